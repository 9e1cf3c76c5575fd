#!/usr/bin/python3
"""Load on `strata serve`: CLIENTS concurrent PyMySQL connections, each running STATEMENTS
statements (point selects, SHOW BACKUP, 100-row INSERTs in turn) while backups of the same
database run one after another. Passes when no statement failed and every inserted row is
there afterwards. Prints statements per second and the p50/p99 latency of SHOW BACKUP.

usage: load_test.py STRATA_BINARY [CLIENTS STATEMENTS]     (the test: 16 x 90; bench: 100 x 1000)
"""
import os
import shutil
import sys
import tempfile
import threading
import time

import pymysql

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import StrataServer  # noqa: E402


def connect(port):
    return pymysql.connect(host="127.0.0.1", port=port, user="admin", password="123456",
                           database="load", autocommit=None)


def client(port, number, statements, latencies, errors, inserted):
    try:
        c = connect(port)
        cur = c.cursor()
        for i in range(statements):
            kind = i % 3
            if kind == 0:
                cur.execute("SELECT v FROM base WHERE k = %d" % ((number * 7919 + i) % 10000))
                rows = cur.fetchall()
                if len(rows) != 1:
                    errors.append("point select found %d rows" % len(rows))
            elif kind == 1:
                start = time.perf_counter()
                cur.execute("SHOW BACKUP FROM load")
                cur.fetchall()
                latencies.append(time.perf_counter() - start)
            else:
                first = (number * statements + i) * 100
                cur.execute("INSERT INTO ins VALUES " +
                            ",".join("(%d, %d)" % (k, number) for k in range(first, first + 100)))
                inserted.append(first)
        c.close()
    except Exception as e:  # noqa: BLE001 - every failure is reported
        errors.append("client %d: %r" % (number, e))


def main():
    strata = os.path.abspath(sys.argv[1])
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    statements = int(sys.argv[3]) if len(sys.argv) > 3 else 90
    scratch = tempfile.mkdtemp(prefix="strata-load-")
    server = StrataServer(strata, os.path.join(scratch, "data")).start()
    status = 1
    try:
        setup = pymysql.connect(host="127.0.0.1", port=server.port, user="admin",
                                password="123456")
        cur = setup.cursor()
        cur.execute("CREATE DATABASE load")
        cur.execute("CREATE TABLE load.base (k INT, v VARCHAR(20)) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 8")
        cur.execute("CREATE TABLE load.ins (k BIGINT, c INT) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 8")
        for start in range(0, 10000, 2000):
            cur.execute("INSERT INTO load.base VALUES " + ",".join(
                "(%d, 'v%d')" % (k, k) for k in range(start, start + 2000)))
        cur.execute("CREATE REPOSITORY repo WITH LOCAL ON LOCATION 'file://%s/repo'" % scratch)
        stop = threading.Event()
        backups = []

        def back_up():
            n = 0
            while not stop.is_set():
                n += 1
                cur.execute("BACKUP SNAPSHOT load.s%d TO repo" % n)
                while True:
                    cur.execute("SHOW BACKUP FROM load")
                    rows = cur.fetchall()
                    if rows[-1][3] in ("FINISHED", "CANCELLED"):
                        backups.append(rows[-1][3])
                        break
                    time.sleep(0.05)

        backup_thread = threading.Thread(target=back_up)
        backup_thread.start()
        latencies, errors, inserted = [], [], []
        threads = [threading.Thread(target=client, args=(server.port, n, statements, latencies,
                                                         errors, inserted))
                   for n in range(clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        stop.set()
        backup_thread.join()
        cur.execute("SELECT count(*), sum(k) FROM load.ins")
        count, key_sum = cur.fetchall()[0]
        expected = 100 * len(inserted)
        expected_sum = sum(100 * first + 99 * 100 // 2 for first in inserted)
        latencies.sort()
        print("%d clients x %d statements: %.0f statements/s; SHOW BACKUP p50 %.1f ms, p99 %.1f ms;"
              " %d backups (%s) meanwhile"
              % (clients, statements, clients * statements / elapsed,
                 1000 * latencies[len(latencies) // 2], 1000 * latencies[int(len(latencies) * 0.99)],
                 len(backups), ", ".join(sorted(set(backups)))))
        for e in errors[:10]:
            print("error:", e)
        if errors:
            print("%d statements failed" % len(errors))
        elif count != expected or key_sum != expected_sum:
            print("rows inserted: %d with key sum %s; expected %d with %d"
                  % (count, key_sum, expected, expected_sum))
        elif not backups or set(backups) != {"FINISHED"}:
            print("backups during the load: %s" % backups)
        else:
            status = 0
        setup.close()
    finally:
        if server.stop() != 0:
            print("strata serve did not exit 0:\n" + server.log())
            status = 1
    if status == 0:
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        print("kept: %s; log: %s" % (scratch, server.log_path))
    return status


if __name__ == "__main__":
    sys.exit(main())
