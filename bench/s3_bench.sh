#!/usr/bin/env bash
# S3 backup benchmark: strata against the usual tools for copying a directory to S3, on the same
# data and the same local S3 server (OpenStack Swift + s3api from scripts/s3-server.sh, started
# here on 127.0.0.1:--port with its state under the work directory, stopped by PID on exit).
#
# Builds dfs://bench as bench/backup_bench.sh does (COMPO: --partitions/5 dates x 5 ID ranges,
# ID, date and two random DOUBLE columns appended in --batch rows until the data directory
# holds --gb/--mb), or reuses the one an earlier run left with --keep in the same --work, then
# times, each step one process under GNU time:
#   full        strata backup("s3://bench/strata", db, parallel=true) into an empty prefix
#   unchanged   the same call again, nothing changed
#   restore     restoreDB from S3 into an empty data directory (every object downloaded)
#   awscli_1/2  aws s3 sync DATADIR s3://bench/awscli/ (first time, then nothing changed)
#   rclone_1/2  rclone copy DATADIR bench:bench/rclone (the same)
#   awscli_down / rclone_down  the peers' copies downloaded into empty directories, + sync
# For each step: wall seconds, the client's CPU seconds and peak RSS, the CPU seconds of the
# Swift processes (proxy, object server, the rest) and how busy the machine was (all CPUs,
# and iowait). Then, unless --no-requests, strata's full backup, unchanged backup and restore
# are repeated (untimed) under strace to count the HTTP requests strata sends.
#
# Usage: bench/s3_bench.sh [--gb N | --mb N] [--partitions N] [--batch ROWS] [--work DIR]
#                          [--strata PATH] [--port P] [--no-peers] [--no-requests] [--keep]
# --keep leaves the work directory (data, logs; the S3 server's data is always deleted); a
# later run with the same --work and size options reuses the database instead of building it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mb=1024
partitions=1000
batch=""
work="${TMPDIR:-/tmp}/strata-s3-bench"
strata_src="$root/build/strata"
port=9400
peers=1
requests=1
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --gb) mb=$(($2 * 1024)); shift 2 ;;
    --mb) mb="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --strata) strata_src="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --no-requests) requests=0; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# Rows per append: 20 M (as backup_bench.sh) or less for small sizes, so that every size gets
# about 4 segments per chunk.
batch="${batch:-$((mb * 20000 < 20000000 ? mb * 20000 : 20000000))}"
if [ $((partitions % 5)) -ne 0 ]; then echo "--partitions must be a multiple of 5" >&2; exit 2; fi
[ -x "$strata_src" ] || { echo "no strata binary at $strata_src; build it first" >&2; exit 2; }
"$root/scripts/install-deps.sh" "$root/bench/deps.txt"
aws=/usr/bin/aws  # Debian's awscli 2.9: a newer SDK earlier on PATH may send what Swift refuses

# The work directory is ours when it is new or carries our marker; only then is it deleted.
if [ -e "$work" ] && [ ! -f "$work/.s3-bench" ]; then
  echo "--work $work exists and was not made by s3_bench.sh; choose another" >&2
  exit 2
fi
mkdir -p "$work"
: > "$work/.s3-bench"
data="$work/data"
params="mb=$mb partitions=$partitions batch=$batch"
if [ "$(cat "$work/data.params" 2>/dev/null)" != "$params" ]; then rm -rf "$data" "$work/data.params"; fi
rm -rf "$work/s3" "$work/fresh" "$work/fresh-count" "$work/down" "$work/log" "$work/times"
mkdir -p "$work/log" "$work/down"
. "$root/bench/bench_db.sh"
use_strata "$strata_src"

# ---- the S3 server, stopped by the PIDs it recorded whatever way this script ends.
s3dir="$work/s3"
envfile="$work/s3.env"
with_env=("$root/tests/s3/with_env.sh" "$envfile")
stop_server() {
  S3_PORT="$port" S3_DIR="$s3dir" "$root/scripts/s3-server.sh" stop 2> /dev/null || true
  rm -rf "$s3dir"
  if [ "$keep" = 0 ]; then rm -rf "$work"; fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM
S3_PORT="$port" S3_DIR="$s3dir" "$root/scripts/s3-server.sh" start > "$envfile"
# shellcheck disable=SC1090
. "$envfile"
[[ "$S3_ENDPOINT" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || { echo "not loopback: $S3_ENDPOINT" >&2; exit 1; }
"${with_env[@]}" "$aws" --endpoint-url "$S3_ENDPOINT" s3 mb s3://bench > /dev/null
# rclone from environment variables only (remote "bench"), never a config file in $HOME.
: > "$work/rclone.conf"
export RCLONE_CONFIG="$work/rclone.conf" RCLONE_CONFIG_BENCH_TYPE=s3
export RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="$S3_ENDPOINT"
export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID"
export RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY"
export RCLONE_CONFIG_BENCH_REGION="$AWS_REGION" RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
# rclone 1.60 fails on any AWS_CA_BUNDLE ("unsupported transport"); the endpoint is plain HTTP.
rclone=(env -u AWS_CA_BUNDLE rclone)

# ---- the database (bench/bench_db.sh, as bench/backup_bench.sh builds it).
if [ ! -d "$data" ]; then
  build_bench_db
  echo "$params" > "$work/data.params"
fi
size=$(du -sb "$data" | cut -f1)
files=$(find "$data" -type f | wc -l)
segments=$(find "$data/segments" -type f | wc -l)
chunks=$(run -e 'exec count(*) from getChunksMeta("dfs://bench", "pt")' | tail -1)
rows=$(run -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
find "$data" -type f -exec cat {} + > /dev/null  # every step starts with a warm page cache
sync

# ---- measuring. CPU seconds of the Swift processes (by the PIDs s3-server.sh recorded):
# "proxy object other", in clock ticks; the machine's "busy iowait total" ticks (/proc/stat).
tck=$(getconf CLK_TCK)
swift_ticks() {
  local pid name stat proxy=0 object=0 other=0
  while read -r pid _ name; do
    stat="$(cat "/proc/$pid/stat" 2> /dev/null)" || continue
    # shellcheck disable=SC2086
    set -- ${stat##*) }
    case "$name" in
      proxy) proxy=$((proxy + ${12} + ${13})) ;;
      object) object=$((object + ${12} + ${13})) ;;
      *) other=$((other + ${12} + ${13})) ;;
    esac
  done < "$s3dir/pids"
  echo "$proxy $object $other"
}
machine_ticks() { awk '$1 == "cpu" { print $2+$3+$4+$7+$8, $6, $2+$3+$4+$5+$6+$7+$8 }' /proc/stat; }

# Timed step (this benchmark's own, in place of bench_db.sh's, to count the S3 server's CPU too):
# "<name> <wall s> <user s> <sys s> <peak KiB> <proxy> <object> <other swift
# ticks> <busy> <iowait> <total machine ticks>" into $work/times.
timed() {
  local name="$1" s0 s1 m0 m1
  shift
  s0=$(swift_ticks)
  m0=$(machine_ticks)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" > "$work/log/$name.out" \
    2> "$work/log/$name.err" || { echo "step $name failed:"; tail -5 "$work/log/$name.err"; exit 1; }
  s1=$(swift_ticks)
  m1=$(machine_ticks)
  echo "$name $(tail -1 "$work/time.out") $(awk -v a="$s0 $m0" -v b="$s1 $m1" 'BEGIN {
    n = split(a, x); split(b, y); for (i = 1; i <= n; ++i) printf "%d ", y[i] - x[i] }')" \
    >> "$work/times"
}

echo "s3_bench: $rows rows in $chunks chunks, $segments segment files ($files files), data $((size / 1048576)) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
: > "$work/times"
bucket_url="s3://bench"
timed full "${with_env[@]}" "${strata_run[@]}" \
  -e "backup(\"$bucket_url/strata\", \"dfs://bench\", parallel=true)"
timed unchanged "${with_env[@]}" "${strata_run[@]}" \
  -e "backup(\"$bucket_url/strata\", \"dfs://bench\", parallel=true)"
timed restore "${with_env[@]}" "$strata" run --quiet --data "$work/fresh" --user admin \
  --password 123456 -e "restoreDB(\"$bucket_url/strata\", \"dfs://bench\")"
restored=$("$strata" run --quiet --data "$work/fresh" --user admin --password 123456 \
  -e 'exec count(*) from loadTable("dfs://bench", "pt")' | tail -1)
rm -rf "$work/fresh"

if [ "$peers" = 1 ]; then
  aws_s3=("${with_env[@]}" "$aws" --endpoint-url "$S3_ENDPOINT" s3)
  timed awscli_1 "${aws_s3[@]}" sync --only-show-errors "$data" "$bucket_url/awscli/"
  timed awscli_2 "${aws_s3[@]}" sync --only-show-errors "$data" "$bucket_url/awscli/"
  timed rclone_1 "${rclone[@]}" copy "$data" bench:bench/rclone
  timed rclone_2 "${rclone[@]}" copy "$data" bench:bench/rclone
  timed awscli_down bash -c '"$@" && sync' _ "${aws_s3[@]}" sync --only-show-errors \
    "$bucket_url/awscli/" "$work/down/awscli"
  timed rclone_down bash -c '"$@" && sync' _ "${rclone[@]}" copy bench:bench/rclone "$work/down/rclone"
  peer_files=$(find "$work/down/awscli" -type f | wc -l)
  rm -rf "$work/down"
fi

# Requests strata sends, counted on the socket (strace of send calls that start an HTTP
# request; --seccomp-bpf stops only those calls), in runs that repeat the timed ones untimed.
count_requests() { # name command...: "<name> <total> <HEAD> <GET> <PUT> <POST> <DELETE>"
  local name="$1"
  shift
  strace -f -qq --seccomp-bpf -e trace=sendto,sendmsg,write -e signal=none -s 8 \
    -o "$work/log/$name.strace" "$@" > "$work/log/$name.req.out" 2>&1 ||
    { echo "request count $name failed:"; tail -5 "$work/log/$name.req.out"; exit 1; }
  grep -oE '^[0-9]+ +(sendto|sendmsg|write)\([0-9]+, "(GET|PUT|HEAD|POST|DELETE) ' \
    "$work/log/$name.strace" | awk -v n="$name" '{ sub(/^"/, "", $NF); c[$NF]++; t++ }
      END { printf "%s %d %d %d %d %d %d\n", n, t, c["HEAD"], c["GET"], c["PUT"], c["POST"], c["DELETE"] }' \
    >> "$work/requests"
  rm -f "$work/log/$name.strace"
}
: > "$work/requests"
if [ "$requests" = 1 ]; then
  count_requests full "${with_env[@]}" "${strata_run[@]}" \
    -e "backup(\"$bucket_url/strata-count\", \"dfs://bench\", parallel=true)"
  count_requests unchanged "${with_env[@]}" "${strata_run[@]}" \
    -e "backup(\"$bucket_url/strata-count\", \"dfs://bench\", parallel=true)"
  count_requests restore "${with_env[@]}" "$strata" run --quiet --data "$work/fresh-count" \
    --user admin --password 123456 -e "restoreDB(\"$bucket_url/strata\", \"dfs://bench\")"
  rm -rf "$work/fresh-count"
fi

echo
echo "s3_bench: $rows rows in $chunks chunks, $segments segment files ($files files), data $((size / 1048576)) MiB; Swift at $S3_ENDPOINT; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %H:%M UTC')"
printf "%-12s %8s %8s %8s %9s %9s %9s %6s %6s %8s\n" step seconds "cli cpu" "cli MiB" \
  "proxy cpu" "obj cpu" "oth cpu" "busy%" "iow%" requests
while read -r name secs user sys kib proxy object other busy iowait total; do
  req=$(awk -v n="$name" '$1 == n { print $2 }' "$work/requests")
  awk -v n="$name" -v s="$secs" -v u="$user" -v y="$sys" -v k="$kib" -v p="$proxy" \
    -v o="$object" -v r="$other" -v b="$busy" -v w="$iowait" -v t="$total" -v tck="$tck" \
    -v q="${req:--}" 'BEGIN {
      printf "%-12s %8.2f %8.2f %8d %9.2f %9.2f %9.2f %6.0f %6.0f %8s\n", n, s, u + y, k / 1024,
        p / tck, o / tck, r / tck, t ? 100 * b / t : 0, t ? 100 * w / t : 0, q }'
done < "$work/times"
if [ -s "$work/requests" ]; then
  echo
  echo "strata requests (strace):  step total HEAD GET PUT POST DELETE"
  sed 's/^/  /' "$work/requests"
fi
t() { awk -v n="$1" '$1 == n { print $2 }' "$work/times"; }
faster() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
echo
echo "cpu columns in seconds; busy% and iow% are shares of all $(nproc) CPUs of the machine during the step"
if [ "$peers" = 1 ]; then
  echo "full backup / faster peer upload:       $(ratio "$(t full)" "$(faster "$(t awscli_1)" "$(t rclone_1)")")   (target <= 1.0)"
  echo "unchanged backup / faster peer re-run:  $(ratio "$(t unchanged)" "$(faster "$(t awscli_2)" "$(t rclone_2)")")"
  echo "restoreDB / faster peer download+sync:  $(ratio "$(t restore)" "$(faster "$(t awscli_down)" "$(t rclone_down)")")"
  echo "awscli downloaded $peer_files files of $files"
fi
echo "restored rows: $restored (source $rows)"
[ "$restored" = "$rows" ] || { echo "restored row count differs from the source" >&2; exit 1; }
