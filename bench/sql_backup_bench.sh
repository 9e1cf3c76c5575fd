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
strata="$work/strata"
cp "$strata_src" "$strata"  # a private copy: a rebuild during the run cannot change it
data="$work/data"
strata_run=("$strata" run --quiet --data "$data" --user admin --password 123456)
run() { "${strata_run[@]}" "$@"; }

. "$root/bench/bench_db.sh"
build_bench_db
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
sync

: > "$work/times"
query='<select * from loadTable("dfs://bench", "pt") where x < 0.5>'
for r in $(seq 1 "$reps"); do
  for mode in false true; do
    /usr/bin/time -f "%e %M" -o "$work/time.out" \
      "${strata_run[@]}" -e "backup(\"$work/bak.$mode.$r\", $query, parallel=$mode)" \
      > "$work/out" 2> "$work/err" || { echo "backup failed:"; tail -5 "$work/err"; exit 1; }
    echo "parallel=$mode $(cat "$work/time.out")" >> "$work/times"
  done
done

echo "sql_backup_bench: $rows rows in $partitions partitions, $mb MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-16s %10s %12s\n" step seconds "peak MiB"
while read -r name secs kib; do
  printf "%-16s %10s %12d\n" "$name" "$secs" $((kib / 1024))
done < "$work/times"
median() { awk -v n="$1" '$1 == n { print $2 }' "$work/times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
serial=$(median parallel=false)
parallel=$(median parallel=true)
echo "median parallel=false ${serial} s, parallel=true ${parallel} s, speed-up $(awk -v a="$serial" -v b="$parallel" 'BEGIN { printf "%.2f", a / b }')x (target >= 1.7x on 2 cores)"
[ "$keep" = 1 ] || rm -rf "$work"
