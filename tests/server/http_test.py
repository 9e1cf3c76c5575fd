#!/usr/bin/python3
"""`strata serve`'s HTTP port: GET /metrics in Prometheus' text format and GET /api/jobs as
JSON, checked after statements, an error, a failed login and a backup; and the server log's
line for each job state change.

usage: http_test.py STRATA_BINARY
"""
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pymysql

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_test import wait_for_job  # noqa: E402
from strata_server import StrataServer  # noqa: E402


def get(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode()


def metric(text, name):
    """The value of sample `name` (with its labels, if any) in Prometheus text."""
    match = re.search("^" + re.escape(name) + r" (\S+)$", text, re.M)
    assert match, "%s not in:\n%s" % (name, text)
    return float(match.group(1))


def main():
    strata = os.path.abspath(sys.argv[1])
    scratch = tempfile.mkdtemp(prefix="strata-http-")
    server = StrataServer(strata, os.path.join(scratch, "data")).start()
    try:
        c = pymysql.connect(host="127.0.0.1", port=server.port, user="admin", password="123456")
        cur = c.cursor()
        cur.execute("CREATE DATABASE shop")
        cur.execute("CREATE TABLE shop.t (k INT, v VARCHAR(10)) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 4")
        cur.execute("INSERT INTO shop.t VALUES " + ",".join("(%d, 'v%d')" % (i, i) for i in range(5000)))
        try:
            cur.execute("SELECT * FROM shop.nosuch")
        except pymysql.MySQLError:
            pass
        try:
            pymysql.connect(host="127.0.0.1", port=server.port, user="admin", password="bad")
        except pymysql.MySQLError:
            pass
        cur.execute("CREATE REPOSITORY repo WITH LOCAL ON LOCATION 'file://%s/repo'" % scratch)
        cur.execute("BACKUP SNAPSHOT shop.s1 TO repo")
        assert wait_for_job(cur, "SHOW BACKUP FROM shop") == "FINISHED"

        status, kind, text = get(server.http_port, "/metrics")
        assert status == 200 and kind.startswith("text/plain"), (status, kind)
        assert metric(text, "strata_connections_open") == 1, text
        assert metric(text, "strata_connections_total") == 2, text
        assert metric(text, "strata_login_failures_total") == 1, text
        assert metric(text, "strata_statements_total") >= 7, text
        assert metric(text, "strata_statement_errors_total") >= 1, text
        assert metric(text, 'strata_jobs{kind="BACKUP_BY_COPY_FILE",state="finished"}') == 1, text
        assert metric(text, "strata_backup_bytes_total") > 0, text
        assert metric(text, "strata_last_backup_throughput_bytes_per_second") > 0, text
        assert "# TYPE strata_statements_total counter" in text

        status, kind, body = get(server.http_port, "/api/jobs")
        assert status == 200 and kind == "application/json", (status, kind)
        jobs = json.loads(body)
        backups = [j for j in jobs if j["kind"].startswith("BACKUP")]
        assert len(backups) == 1 and backups[0]["state"] == "finished", jobs
        assert backups[0]["database"] == "dfs://shop" and backups[0]["user"] == "admin", jobs
        assert backups[0]["done_bytes"] > 0 and backups[0]["end"], jobs

        try:
            get(server.http_port, "/nope")
            raise AssertionError("GET /nope answered")
        except urllib.error.HTTPError as e:
            assert e.code == 404, e.code

        # The job watcher logs each state change within a second.
        deadline = time.time() + 10
        while not re.search(r"job \S+ \(BACKUP_BY_COPY_FILE dfs://shop .*s1.* by admin\): .*finished",
                            server.log()):
            assert time.time() < deadline, server.log()
            time.sleep(0.1)
        c.close()
        print("metrics, job history and job log lines as expected")
    finally:
        status = server.stop()
    if status != 0:
        print("strata serve exited %d:\n%s" % (status, server.log()))
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
