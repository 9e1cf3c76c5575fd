#!/usr/bin/env bash
# The Doris dialect's benchmark (issue 13), through the real `strata sql` binary:
#   1. BACKUP SNAPSHOT of dfs://bench (bench/bench_db.sh: --mb MiB, --partitions partitions)
#      into a LOCAL repository against the script's backup(dir, "dfs://bench", parallel=true)
#      of the same data into a local directory, alternating --reps times; target <= 1.05x.
#   2. INSERT INTO ... VALUES with 100,000 rows per statement, 10 statements; target >= 1 M
#      rows/s end to end (the process, parsing, binding, the commit).
#   3. INSERT INTO ... SELECT of every row of dfs://bench's pt (>= 10 M rows at the default
#      --mb) into a Doris table; target >= 5 M rows/s.
#   4. SHOW BACKUP with 1,000 jobs in the history: 100 SHOW BACKUPs in one process minus 100
#      `SELECT 1`, per statement; target < 10 ms.
#
# Usage: bench/doris_sql_bench.sh [--mb N] [--partitions N] [--batch ROWS] [--reps N]
#                                 [--jobs N] [--work DIR] [--strata PATH] [--keep]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mb=256
partitions=100
batch=2000000
reps=3
jobs=1000
work="${TMPDIR:-/tmp}/strata-doris-sql-bench"
strata_src="$root/build/strata"
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --strata) strata_src="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ $((partitions % 5)) -ne 0 ]; then echo "--partitions must be a multiple of 5" >&2; exit 2; fi
"$root/scripts/install-deps.sh" "$root/bench/deps.txt"

rm -rf "$work"
mkdir -p "$work"
data="$work/data"
. "$root/bench/bench_db.sh"
use_strata "$strata_src"
sql_cmd=("$strata" sql --quiet --data "$data" --user admin --password 123456)
sql() { "${sql_cmd[@]}" "$@"; }
build_bench_db
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
sync
: > "$work/times"

# 1. BACKUP SNAPSHOT against the script's backup.
for r in $(seq 1 "$reps"); do
  sql -e "CREATE REPOSITORY repo$r WITH LOCAL ON LOCATION \"file://$work/repo.$r\""
  timed "script.$r" "${strata_run[@]}" -e "backup(\"$work/bak.$r\", \"dfs://bench\", parallel=true)"
  timed "snapshot.$r" "${sql_cmd[@]}" -e "BACKUP SNAPSHOT bench.s$r TO repo$r"
done
sql --format json -e "SHOW BACKUP FROM bench" > "$work/show_backup.json"
grep -q FINISHED "$work/show_backup.json" || { echo "a BACKUP SNAPSHOT did not finish"; exit 1; }

# 2. INSERT ... VALUES, 100,000 rows per statement.
sql -e "CREATE TABLE bench.ins (d DATE, id INT, x DOUBLE, s VARCHAR(16)) DUPLICATE KEY(d, id)
        PARTITION BY RANGE(d) (PARTITION p2020 VALUES LESS THAN ('2021-01-01'),
                               PARTITION pmax VALUES LESS THAN (MAXVALUE))
        DISTRIBUTED BY HASH(id) BUCKETS 4"
python3 - "$work/insert.sql" <<'PY'
import random, sys
random.seed(13)
with open(sys.argv[1], "w") as f:
    for statement in range(10):
        rows = ",".join(
            "('2020-%02d-%02d',%d,%.6f,'s%d')" % (1 + i % 12, 1 + i % 28, i, random.random(), i % 100)
            for i in range(statement * 100000, (statement + 1) * 100000))
        f.write("INSERT INTO bench.ins VALUES " + rows + ";\n")
PY
timed insert_values "${sql_cmd[@]}" "$work/insert.sql"
inserted=$(sql --format json -e "SELECT count(*) FROM bench.ins" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0][0])')
[ "$inserted" = 1000000 ] || { echo "INSERT VALUES wrote $inserted rows, not 1000000"; exit 1; }

# 3. INSERT ... SELECT of every row of pt.
sql -e "CREATE TABLE bench.copy (ID INT, date DATE, x DOUBLE, y DOUBLE) DUPLICATE KEY(ID)
        DISTRIBUTED BY HASH(ID) BUCKETS 8"
timed insert_select "${sql_cmd[@]}" -e "INSERT INTO bench.copy SELECT ID, date, x, y FROM bench.pt"
copied=$(sql --format json -e "SELECT count(*) FROM bench.copy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0][0])')
[ "$copied" = "$rows" ] || { echo "INSERT SELECT wrote $copied rows, not $rows"; exit 1; }

# 4. SHOW BACKUP with $jobs jobs of a small database in the history.
sql -e "CREATE DATABASE tiny; CREATE TABLE tiny.t (k INT) DISTRIBUTED BY HASH(k) BUCKETS 1;
        INSERT INTO tiny.t VALUES (1); CREATE REPOSITORY tiny_repo WITH LOCAL ON LOCATION \"file://$work/tiny\""
# One process per backup: a database runs one backup at a time, and each process waits for its
# job before it exits.
start_jobs=$(date +%s.%N)
for j in $(seq 1 "$jobs"); do sql -e "BACKUP SNAPSHOT tiny.j$j TO tiny_repo"; done
echo "make_jobs $(awk -v a="$start_jobs" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') 0" >> "$work/times"
for i in $(seq 1 100); do echo "SHOW BACKUP FROM tiny;"; done > "$work/show.sql"
for i in $(seq 1 100); do echo "SELECT 1;"; done > "$work/select1.sql"
shown=$(sql --format json -e "SHOW BACKUP FROM tiny" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')
[ "$shown" -ge "$jobs" ] || { echo "SHOW BACKUP lists $shown jobs, not $jobs"; exit 1; }
for r in $(seq 1 "$reps"); do
  timed "show100.$r" "${sql_cmd[@]}" "$work/show.sql"
  timed "select100.$r" "${sql_cmd[@]}" "$work/select1.sql"
done

echo "doris_sql_bench: dfs://bench $rows rows in $partitions partitions, $mb MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
print_times
script=$(median script)
snapshot=$(median snapshot)
echo "BACKUP SNAPSHOT ${snapshot} s vs backup() ${script} s: $(ratio "$snapshot" "$script")x (target <= 1.05x)"
values=$(awk '$1 == "insert_values" { print $2 }' "$work/times")
echo "INSERT VALUES: 1000000 rows in ${values} s = $(awk -v s="$values" 'BEGIN { printf "%.2f", 1 / s }') M rows/s (target >= 1)"
select_s=$(awk '$1 == "insert_select" { print $2 }' "$work/times")
echo "INSERT SELECT: $rows rows in ${select_s} s = $(awk -v r="$rows" -v s="$select_s" 'BEGIN { printf "%.2f", r / s / 1e6 }') M rows/s (target >= 5)"
show=$(median show100)
select1=$(median select100)
echo "SHOW BACKUP with $shown jobs: $(awk -v a="$show" -v b="$select1" 'BEGIN { printf "%.1f", (a - b) * 1000 / 100 }') ms per statement (target < 10)"
[ "$keep" = 1 ] || rm -rf "$work"
