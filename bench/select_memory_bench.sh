#!/usr/bin/env bash
# Server memory of a streamed SELECT as the result grows (bench/README.md, "strata serve",
# item 5b): one table of 1 M rows and one of 4 M rows (4 hash buckets, appended 500,000 rows at a
# time, so 2 and 8 segments per bucket), each SELECTed whole by PyMySQL's unbuffered SSCursor
# from a fresh `strata serve`; the server's VmHWM before and after. Memory is flat when the two
# peaks are the same.
#
# Usage: bench/select_memory_bench.sh STRATA_BINARY [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 STRATA_BINARY [WORKDIR]" >&2; exit 2; }
strata="$(realpath "$1")"
work="$(realpath -m "${2:-${TMPDIR:-/tmp}/strata-select-memory-bench}")"
rm -rf "$work"
mkdir -p "$work"
cat > "$work/make.dos" <<'DOS'
login("admin", "123456")
db = database("dfs://flat", HASH, [INT, 4])
for (n in [1000000, 4000000]) {
  name = "t" + string(n / 1000000) + "m"
  pt = db.createPartitionedTable(table(1:0, `ID`x`y`s, [INT, DOUBLE, DOUBLE, INT]), name, `ID)
  for (start in 0..(n / 500000 - 1)) {
    ids = (0..499999) + start * 500000
    pt.append!(table(ids as ID, double(ids) * 1.5 as x, double(ids) / 7.0 as y, ids % 1000 as s))
  }
}
DOS
"$strata" run --data "$work/data" "$work/make.dos"
/usr/bin/python3 - "$strata" "$work/data" "$root" <<'PY'
import sys, time
strata, data, root = sys.argv[1:4]
sys.path[:0] = [root + "/tests/server", root + "/bench"]
import pymysql, pymysql.cursors
from server_bench import proc_status as status
from strata_server import StrataServer

for table in ("t1m", "t4m"):
    server = StrataServer(strata, data).start()
    try:
        time.sleep(0.3)
        before = status(server.process.pid)
        c = pymysql.connect(host="127.0.0.1", port=server.port, user="admin", password="123456",
                            cursorclass=pymysql.cursors.SSCursor)
        cur = c.cursor()
        t0 = time.perf_counter()
        cur.execute("SELECT ID, x, y, s FROM flat.%s" % table)
        rows = sum(1 for _ in cur)
        elapsed = time.perf_counter() - t0
        after = status(server.process.pid)
        c.close()
        print("%s: %d rows in %.2f s; server VmHWM %.1f -> %.1f MiB (+%.1f)"
              % (table, rows, elapsed, before["VmHWM"], after["VmHWM"],
                 after["VmHWM"] - before["VmHWM"]))
    finally:
        server.stop()
PY
rm -rf "$work"
