#!/usr/bin/env bash
# `strata serve`'s benchmark (bench/README.md, "strata serve"), through PyMySQL:
#   1. statements/s over 16 connections, one per client process: `SELECT 1`, and point selects
#      on a 10,000-row table (target >= 10,000/s on 2 cores);
#   2. p50/p99 of `SHOW BACKUP FROM bench` polled back to back while a BACKUP SNAPSHOT of
#      ~256 MiB runs (target p99 < 10 ms);
#   3. that backup (fresh label, fresh repository: a full backup) with and without the load of
#      item 1 (target with <= 1.2x without);
#   4. server VmRSS/VmHWM with 200 idle connections (target <= 100 MB);
#   5. a 1 M-row SELECT streamed to an unbuffered cursor (target >= 1 M rows/s, memory flat).
# The data is made before any server starts (`strata run` / `strata sql` hold the directory's
# lock too); the measurements are bench/server_bench.py's. One server at a time.
#
# Usage: bench/server_bench.sh STRATA_BINARY [WORKDIR]
#   env: MB (256), PARTITIONS (100), BENCH_SECONDS (10 per throughput run), REPS (3 backups per
#        case), PERF (1: extra profiled SELECT 1 and point-select runs, perf record -g, when perf exists),
#        KEEP (1: leave WORKDIR)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 STRATA_BINARY [WORKDIR]" >&2; exit 2; }
strata_src="$(realpath "$1")"
work="$(realpath -m "${2:-${TMPDIR:-/tmp}/strata-server-bench}")"
mb="${MB:-256}"
partitions="${PARTITIONS:-100}"
batch=2000000
seconds="${BENCH_SECONDS:-10}"
reps="${REPS:-3}"
python=/usr/bin/python3

rm -rf "$work"
mkdir -p "$work"
data="$work/data"
. "$root/bench/bench_db.sh"
use_strata "$strata_src"
sql() { "$strata" sql --quiet --data "$data" --user admin --password 123456 "$@"; }

echo "server_bench: $("$strata" --version 2>/dev/null | head -1 || true) $(sha256sum "$strata" | cut -c1-12)"
echo "nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg) before preparing the data"
t0=$(date +%s.%N)
build_bench_db
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
$python - "$work/small.sql" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("CREATE DATABASE aux;\n"
            "CREATE TABLE aux.small (k INT, v VARCHAR(20)) DUPLICATE KEY(k) "
            "DISTRIBUTED BY HASH(k) BUCKETS 8;\n")
    f.write("INSERT INTO aux.small VALUES " +
            ",".join("(%d, 'v%d')" % (k, k) for k in range(10000)) + ";\n")
    f.write("CREATE TABLE aux.big (ID INT, date DATE, x DOUBLE, y DOUBLE) DUPLICATE KEY(ID) "
            "DISTRIBUTED BY HASH(ID) BUCKETS 4;\n")
PY
sql "$work/small.sql"
sql -e "INSERT INTO aux.big SELECT ID, date, x, y FROM bench.pt LIMIT 1000000"
big=$(sql --format json -e "SELECT count(*) FROM aux.big" | $python -c 'import json,sys; print(json.load(sys.stdin)["rows"][0][0])')
[ "$big" = 1000000 ] || { echo "aux.big has $big rows, not 1000000"; exit 1; }
sync
echo "data: bench.pt $rows rows, $(du -sm "$data" | cut -f1) MiB on disk in total; aux.small 10000 rows;" \
     "aux.big $big rows; prepared in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"

perf_flag=()
if [ "${PERF:-1}" = 1 ] && command -v perf > /dev/null; then perf_flag=(--perf); fi
$python "$root/bench/server_bench.py" "$strata" "$data" "$work" --seconds "$seconds" --reps "$reps" \
  "${perf_flag[@]}"

for kind in select1 point; do
  [ -f "$work/perf.$kind.data" ] || continue
  echo "perf, server under the $kind load, self time by symbol (>= 1.5%):"
  perf report -i "$work/perf.$kind.data" --no-children --stdio --percent-limit 1.5 \
    --sort dso,symbol -g none 2> /dev/null | grep -v '^#' | grep -v '^$' | sed 's/  *$//' |
    cut -c1-110 | head -25 | tee "$work/perf.$kind.txt"
done
[ "${KEEP:-0}" = 1 ] || rm -rf "$work/data" "$work"/repo.*
