#!/usr/bin/env bash
# Backup benchmark (issue 3): builds a database of about --gb GiB on disk in --partitions
# partitions, then times on the same data, each step a separate `strata run` measured with
# GNU time (wall seconds and peak RSS):
#   1. a full copy-files backup into an empty directory (parallel=true)
#   2. restoreDB of that backup into a fresh data directory
#      (steps 1 and 2 alternate --reps times with the `cp -r` + `sync` peer; medians compared)
#   3. the first backup again with nothing changed
#   4. that backup after appending rows to 1% of the partitions
#   5. restoreDB of the backup into a new database of the same data directory
# and, as peers on the same data directory: restic (twice) and borg (twice).
# Steps 3 and 4 also report the backup call's own time, measured inside the script with now().
# Prints every time, the ratios the targets are stated in, and the peak memory.
#
# Usage: bench/backup_bench.sh [--gb N | --mb N] [--partitions N] [--batch ROWS] [--reps N]
#                              [--work DIR] [--strata PATH] [--no-peers] [--keep]
# --batch sets the rows per append (default 20 M): smaller batches make more, smaller segments,
# e.g. `--mb 140 --batch 200000 --no-peers` gives 32 segments per chunk in 140 MiB.
# --reps (default 3) needs 3 x reps times the data size free on disk: nothing is deleted while
# steps are timed (on ext4 a file created soon after a deletion costs an inode-table scan).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mb=1024
partitions=1000
batch=20000000
work="${TMPDIR:-/tmp}/strata-backup-bench"
strata_src="$root/build/strata"
peers=1
keep=0
reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --gb) mb=$(($2 * 1024)); shift 2 ;;
    --mb) mb="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --strata) strata_src="$2"; shift 2 ;;
    --no-peers) peers=0; shift ;;
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

# ---- the database (bench/bench_db.sh).
build_bench_db
size=$(du -sb "$data" | cut -f1)
chunks=$(run -e 'exec count(*) from getChunksMeta("dfs://bench", "pt")' | tail -1)
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
sync

: > "$work/times"
# Full backup, restore into a fresh directory and cp + sync, alternating: this VM's disk and
# page cache vary from minute to minute, so each is compared by its median over one period.
for r in $(seq 1 "$reps"); do
  timed "cp_sync.$r" bash -c "cp -r '$data' '$work/copy.$r' && sync"
  timed "full.$r" "${strata_run[@]}" -e "backup(\"$work/bak.$r\", \"dfs://bench\", parallel=true)"
  timed "restore_fresh.$r" "$strata" run --quiet --data "$work/fresh.$r" --user admin \
    --password 123456 -e "restoreDB(\"$work/bak.$r\", \"dfs://bench\")"
done
bak="$work/bak.1"
# The backup call alone, without starting the process and logging in: now() around it.
printf 't0 = now()\nbackup("%s", "dfs://bench", parallel=true)\nprint(now() - t0)\n' "$bak" \
  > "$work/inner.dos"
timed unchanged "${strata_run[@]}" "$work/inner.dos"
# 1% of the partitions: the first date's partitions hold 5 of every 5 * days; pick dates so
# that partitions/100 partitions change (rows with ID < 20 of the first partitions/100 dates).
changed=$((partitions / 100))
cat > "$work/touch.dos" <<EOF
n = $changed * 1000
t = table(take(7, n) as ID, 2020.01.01 + (til(n) % $changed) as date, rand(1.0, n) as x, rand(1.0, n) as y)
loadTable("dfs://bench", "pt").append!(t)
EOF
run "$work/touch.dos" > /dev/null
timed incremental "${strata_run[@]}" "$work/inner.dos"
# Into a new database of the same data directory: segments the directory holds already are
# not copied again.
timed restore "${strata_run[@]}" -e "restoreDB(\"$bak\", \"dfs://bench\", \"dfs://restored\")"
run -e "exec count(*) from loadTable(\"dfs://restored\", \"pt\")" > "$work/restored.out"

if [ "$peers" = 1 ]; then
  export RESTIC_PASSWORD=bench BORG_PASSPHRASE="" BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
  restic init --repo "$work/restic" > /dev/null
  timed restic_1 restic backup --repo "$work/restic" "$data"
  timed restic_2 restic backup --repo "$work/restic" "$data"
  borg init --encryption none "$work/borg" > /dev/null
  timed borg_1 borg create "$work/borg::one" "$data"
  timed borg_2 borg create "$work/borg::two" "$data"
fi

echo
echo "backup_bench: $rows rows in $chunks chunks, data directory $((size / 1048576)) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
print_times
t() { awk -v n="$1" '$1 == n { print $2 }' "$work/times"; }
# Peak RSS in MiB, the largest over the repeated step's runs.
peak() { awk -v n="$1" 'index($1, n ".") == 1 && $3 > m { m = $3 } END { print int(m / 1024) }' "$work/times"; }
inner() { awk 'END { printf "%.3f", $1 / 1000 }' "$work/$1.out"; }
full=$(median full)
cp_sync=$(median cp_sync)
echo
echo "medians of $reps: full $full s, restore_fresh $(median restore_fresh) s, cp -r + sync $cp_sync s"
echo "backup call alone (now() in the script): unchanged $(inner unchanged) s, incremental $(inner incremental) s"
echo "full backup / cp -r + sync:        $(ratio "$full" "$cp_sync")   (target <= 1.2)"
echo "restoreDB (fresh dir) / cp + sync: $(ratio "$(median restore_fresh)" "$cp_sync")   (target <= 1.2)"
echo "restoreDB (same dir) / cp + sync:  $(ratio "$(t restore)" "$cp_sync")"
echo "incremental (1% changed) / full:   $(ratio "$(t incremental)" "$full") whole process, $(ratio "$(inner incremental)" "$full") the call alone   (target <= 0.05)"
if [ "$peers" = 1 ]; then
  echo "full backup / restic first run:    $(ratio "$full" "$(t restic_1)")   (target < 1)"
  echo "full backup / borg first run:      $(ratio "$full" "$(t borg_1)")"
  echo "unchanged backup / restic second:  $(ratio "$(t unchanged)" "$(t restic_2)")"
fi
echo "peak RSS: full $(peak full) MiB, restore_fresh $(peak restore_fresh) MiB   (target <= 300 MB)"
echo "restored rows: $(tail -1 "$work/restored.out") (source $rows + $((changed * 1000)) appended)"
if [ "$keep" = 0 ]; then rm -rf "$work"; fi
