#!/usr/bin/env bash
# SQL-mode backup benchmark (issue 12): builds dfs://bench (bench/bench_db.sh, --mb MiB in
# --partitions partitions), then times a full SQL-mode backup of
#   <select * from loadTable("dfs://bench", "pt") where x < 0.5>
# with parallel=false and with parallel=true, alternating --reps times (each into a new
# directory), and prints both medians and their ratio. The query is bound once and every
# worker runs it on its own partitions, so on 2 cores parallel=true should be >= 1.7x faster.
#
# Usage: bench/sql_backup_bench.sh [--mb N] [--partitions N] [--batch ROWS] [--reps N]
#                                  [--work DIR] [--strata PATH] [--keep]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mb=256
partitions=100
batch=2000000
reps=3
work="${TMPDIR:-/tmp}/strata-sql-backup-bench"
strata_src="$root/build/strata"
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
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
build_bench_db
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
sync

: > "$work/times"
query='<select * from loadTable("dfs://bench", "pt") where x < 0.5>'
for r in $(seq 1 "$reps"); do
  timed "serial.$r" "${strata_run[@]}" -e "backup(\"$work/bak.serial.$r\", $query, parallel=false)"
  timed "parallel.$r" "${strata_run[@]}" -e "backup(\"$work/bak.parallel.$r\", $query, parallel=true)"
done

echo "sql_backup_bench: $rows rows in $partitions partitions, $mb MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
print_times
serial=$(median serial)
parallel=$(median parallel)
echo "median parallel=false ${serial} s, parallel=true ${parallel} s, speed-up $(ratio "$serial" "$parallel")x (target >= 1.7x on 2 cores)"
[ "$keep" = 1 ] || rm -rf "$work"
