#!/usr/bin/env bash
# `strata serve`'s DolphinDB port through DolphinDB's own JavaScript client (bench/README.md,
# "ddb_bench.sh"); the measurements are bench/ddb_bench.mjs's, each on a fresh data directory:
#   1. `1+1` round trip: p50, p99, mean of 2,000 sequential calls (target p50 < 1 ms);
#   2. download of a 1,000,000-row table (INT, DOUBLE, DATE, SYMBOL) held in the session, as
#      the client sees it: eval (to DdbObj) and execute (to JS rows), median of 3 (target
#      >= 2 M rows/s); building the table is timed apart;
#   3. upload of a 1,000,000-row DdbTable, median of 3 (target >= 2 M rows/s);
#   4. server VmRSS with 200 idle logged-in clients, against before (target <= 100 MB).
#
# Usage: bench/ddb_bench.sh [--strata PATH] [--repeats N]
#   --strata   the binary (default build/strata); a private copy runs, so a rebuild during the
#              run cannot change it
#   --repeats  runs of 2 and 3 (default 3)
# Needs Node.js and the `dolphindb` package of tests/ddb (tests/ddb/install.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
strata="$root/build/strata"
repeats=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --strata) strata="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -x "$strata" ]] || { echo "no strata binary at $strata; build it first" >&2; exit 2; }
command -v node > /dev/null || { echo "no node; run tests/ddb/install.sh" >&2; exit 2; }
[[ -f "$root/tests/ddb/node_modules/dolphindb/package.json" ]] ||
  { echo "no dolphindb client in tests/ddb/node_modules; run tests/ddb/install.sh" >&2; exit 2; }

source "$root/bench/release_check.sh"
warn_unless_release "$strata" "$root"

work="$(mktemp -d "${TMPDIR:-/tmp}/strata_ddb_bench_XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$strata" "$work/strata"

echo "== Strata DolphinDB-port benchmark =="
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "binary:  $strata ($build_type, sha256 $(sha256sum "$strata" | cut -c1-12)), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$root" diff --quiet 2>/dev/null || echo '+dirty')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
echo
# --expose-gc: a collection before each timed run, so one run's garbage is not the next one's.
TMPDIR="$work" node --expose-gc "$root/bench/ddb_bench.mjs" "$work/strata" --repeats "$repeats"
