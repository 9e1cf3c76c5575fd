#!/usr/bin/env bash
# Many-partitions benchmark (issue 16): the cost of backups of a database of --chunks
# partitions of one row each (COMPO of VALUE days x HASH 1000 buckets), as production
# installations hold 10^5-10^6 of them. Steps, each a separate `strata run` under GNU time
# (wall seconds, peak RSS):
#   full       a full backup (parallel=true) into an empty directory
#   unchanged  the same backup again, nothing changed; also the bytes it added to the repository
#              (the manifest and its chunk tree: no segment is copied)
#   changed1   the same backup after 1% of the partitions got a row (one day of every 100)
#   dropped1   the same backup after the first day's partitions (0.1%) were dropped, as a
#              daily retention job does (the day is appended again afterwards, untimed)
#   restore1   restore of one partition (force=true) from the head
#   restoreall restoreDB of the whole database into an empty data directory (removed after)
#   list       getBackupList of the database
#   compared   a backup naming the table (tableName="pt"): nothing changed, but a selection
#              compares the whole database with the head (the full comparison, no copy)
#   prune      pruneBackup keeping the newest of --snapshots snapshots (unchanged backups
#              are added first)
# The database is built once per --chunks in --work and kept there (10^6 partitions take a few
# minutes and about 4 GiB); repositories are made afresh on every run.
#
# Usage: bench/many_chunks_bench.sh [--chunks N] [--snapshots N] [--work DIR] [--strata PATH]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chunks=100000
snapshots=30
work="${TMPDIR:-/tmp}/strata-many-chunks-bench"
strata_src="$root/build/strata"
while [ $# -gt 0 ]; do
  case "$1" in
    --chunks) chunks="$2"; shift 2 ;;
    --snapshots) snapshots="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --strata) strata_src="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
buckets=1000
if [ $((chunks % buckets)) -ne 0 ] || [ "$chunks" -lt $((100 * buckets)) ]; then
  echo "--chunks must be a multiple of $buckets, at least $((100 * buckets))" >&2
  exit 2
fi
days=$((chunks / buckets))
"$root/scripts/install-deps.sh" "$root/bench/deps.txt"

mkdir -p "$work"
data="$work/data.$chunks"
repo="$work/repo"
. "$root/bench/bench_db.sh"
use_strata "$strata_src"

if [ ! -f "$data/.built" ]; then
  rm -rf "$data"
  echo "building dfs://many: $days days x $buckets buckets, one row each"
  run -e "
    dates = 2020.01.01 + til($days)
    db = database(\"dfs://many\", COMPO, [database(, VALUE, dates), database(, HASH, [INT, $buckets])])
    n = $chunks
    i = til(n)
    t = table(dates[i / $buckets] as date, int(i % $buckets) as id, rand(1.0, n) as x)
    db.createPartitionedTable(t, \`pt, \`date\`id).append!(t)" > /dev/null
  touch "$data/.built"
fi
rm -rf "$repo"
sync
backup="backup(\"$repo\", \"dfs://many\", parallel=true)"

: > "$work/times"
timed full "${strata_run[@]}" -e "$backup"
before=$(du -sb "$repo" | cut -f1)
timed unchanged "${strata_run[@]}" -e "$backup"
unchanged_bytes=$(($(du -sb "$repo" | cut -f1) - before))
# 1%: every partition of one day of every hundred rewritten (its row's x changed).
run -e "
  pt = loadTable(\"dfs://many\", \"pt\")
  update pt set x = x + 1.0 where date in 2020.01.01 + 100 * til($days / 100)" > /dev/null
timed changed1 "${strata_run[@]}" -e "$backup"
run -e "dropPartition(database(\"dfs://many\"), \"/20200101/Key\" + string(til($buckets)), \"pt\")" > /dev/null
timed dropped1 "${strata_run[@]}" -e "$backup"
run -e "
  t = table(take(2020.01.01, $buckets) as date, int(til($buckets)) as id, rand(1.0, $buckets) as x)
  loadTable(\"dfs://many\", \"pt\").append!(t)" > /dev/null
timed restore1 "${strata_run[@]}" -e "restore(\"$repo\", \"dfs://many\", \"pt\", \"/many/20200105/Key7\", true)"
rm -rf "$work/restored"
timed restoreall "$strata" run --quiet --data "$work/restored" --user admin --password 123456 \
  -e "restoreDB(\"$repo\", \"dfs://many\")"
rm -rf "$work/restored"
timed list "${strata_run[@]}" -e "getBackupList(\"$repo\", \"dfs://many\", \"pt\")"
timed compared "${strata_run[@]}" -e "backup(\"$repo\", \"dfs://many\", tableName=\"pt\", parallel=true)"
for i in $(seq 4 "$snapshots"); do run -e "$backup" > /dev/null; done
timed prune "${strata_run[@]}" -e "pruneBackup(\"$repo\", \"dfs://many\", keepLast=1)"

echo
echo "many_chunks_bench: $chunks partitions ($days days x $buckets buckets); load $(cut -d' ' -f1-3 /proc/loadavg)"
print_times
full=$(awk '$1 == "full" { print $2 }' "$work/times")
changed=$(awk '$1 == "changed1" { print $2 }' "$work/times")
echo "bytes added to the repository by the unchanged backup: $unchanged_bytes   (target <= 1 MiB at 10^6)"
echo "1% changed / full backup: $(ratio "$changed" "$full")   (target <= 0.05)"
