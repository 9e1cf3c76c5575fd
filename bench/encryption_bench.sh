#!/usr/bin/env bash
# Encryption benchmark (issue 15): on one database of about --gb GiB (bench/bench_db.sh), times
# a full copy-files backup (parallel=true) into an empty directory, and restoreDB of it into a
# fresh data directory, plain and encrypted (keyPath, a key file from `strata keygen`). The
# four steps alternate --reps times (this VM's disk varies from minute to minute), plain first
# in odd repetitions and encrypted first in even ones (each step runs on a file system one
# step fuller than the one before it); medians are compared. Each step is a separate
# `strata run` under GNU time (wall seconds, CPU seconds, peak RSS).
#
# Usage: bench/encryption_bench.sh [--gb N | --mb N] [--partitions N] [--reps N] [--work DIR]
#                                  [--strata PATH] [--keep]
# Needs about (2 + 4 x reps) x the data size free on disk.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mb=1024
partitions=1000
batch=20000000
reps=3
work="${TMPDIR:-/tmp}/strata-encryption-bench"
strata_src="$root/build/strata"
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --gb) mb=$(($2 * 1024)); shift 2 ;;
    --mb) mb="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
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
size=$(du -sb "$data" | cut -f1)
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
"$strata" keygen "$work/bench.key" > /dev/null
sync

: > "$work/times"
plain_backup() {
  timed "plain_backup.$1" "${strata_run[@]}" -e "backup(\"$work/plain.$1\", \"dfs://bench\", parallel=true)"
}
enc_backup() {
  timed "enc_backup.$1" "${strata_run[@]}" \
    -e "backup(\"$work/enc.$1\", \"dfs://bench\", parallel=true, keyPath=\"$work/bench.key\")"
}
plain_restore() {
  timed "plain_restore.$1" "$strata" run --quiet --data "$work/fresh_plain.$1" --user admin \
    --password 123456 -e "restoreDB(\"$work/plain.$1\", \"dfs://bench\")"
}
enc_restore() {
  timed "enc_restore.$1" "$strata" run --quiet --data "$work/fresh_enc.$1" --user admin \
    --password 123456 -e "restoreDB(\"$work/enc.$1\", \"dfs://bench\", , \"$work/bench.key\")"
}
for r in $(seq 1 "$reps"); do
  if [ $((r % 2)) = 1 ]; then
    plain_backup "$r"; enc_backup "$r"; plain_restore "$r"; enc_restore "$r"
  else
    enc_backup "$r"; plain_backup "$r"; enc_restore "$r"; plain_restore "$r"
  fi
done
restored=$("$strata" run --quiet --data "$work/fresh_enc.1" --user admin --password 123456 \
  -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
plain_bytes=$(du -sb "$work/plain.1" | cut -f1)
enc_bytes=$(du -sb "$work/enc.1" | cut -f1)

echo
echo "encryption_bench: $rows rows, data directory $((size / 1048576)) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
print_times
peak() { awk -v n="$1" 'index($1, n ".") == 1 && $3 > m { m = $3 } END { print int(m / 1024) }' "$work/times"; }
echo
echo "medians of $reps: backup plain $(median plain_backup) s, encrypted $(median enc_backup) s;" \
  "restore plain $(median plain_restore) s, encrypted $(median enc_restore) s"
echo "encrypted / plain full backup: $(ratio "$(median enc_backup)" "$(median plain_backup)")   (target <= 1.1)"
echo "encrypted / plain restoreDB:   $(ratio "$(median enc_restore)" "$(median plain_restore)")   (target <= 1.1)"
echo "CPU seconds, medians: backup plain $(median plain_backup 4), encrypted $(median enc_backup 4);" \
  "restore plain $(median plain_restore 4), encrypted $(median enc_restore 4)"
echo "repository bytes: plain $((plain_bytes / 1048576)) MiB, encrypted $((enc_bytes / 1048576)) MiB"
echo "peak RSS: backup plain $(peak plain_backup) MiB, encrypted $(peak enc_backup) MiB;" \
  "restore plain $(peak plain_restore) MiB, encrypted $(peak enc_restore) MiB"
echo "rows restored from the encrypted backup: $restored (source $rows)"
if [ "$keep" = 0 ]; then rm -rf "$work"; fi
