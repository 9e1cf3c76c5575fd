#!/usr/bin/python3
"""Runs one tests/sql/<area>/<name>.test file through `strata serve` with PyMySQL.

The same blocks the script runner (tests/runner, --sql) runs with `strata sql`, here sent over
the MySQL protocol: `statement ok` and `query` text goes to the server as one COM_QUERY
(CLIENT_MULTI_STATEMENTS), each result set printed as the JSON line `strata sql --format json`
prints; `statement error <text>` expects an error whose `error: <message>` contains the text.
A block whose first line is `-- as NAME PASSWORD` connects as that user. `shell` blocks run
while the server is stopped (they may open the data directory themselves), then it starts
again, so every file also checks that what one server process wrote the next one reads.
Blocks run as nobody (`-- as nobody`) cannot exist on a MySQL connection, which always has a
user; they are listed as not run, never counted as passed.

usage: sql_via_pymysql.py STRATA_BINARY FILE.test      exit 0 when every block ran and passed
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import pymysql
from pymysql.constants import CLIENT, FIELD_TYPE

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import StrataServer  # noqa: E402

TYPE_NAMES = {FIELD_TYPE.SHORT: "SMALLINT", FIELD_TYPE.LONG: "INT", FIELD_TYPE.LONGLONG: "BIGINT",
              FIELD_TYPE.FLOAT: "FLOAT", FIELD_TYPE.DOUBLE: "DOUBLE", FIELD_TYPE.DATE: "DATE",
              FIELD_TYPE.DATETIME: "DATETIME", FIELD_TYPE.TIME: "TIME", FIELD_TYPE.NULL: "NULL",
              FIELD_TYPE.VAR_STRING: "VARCHAR"}
# Temporal values stay the server's text (strata sql prints them as text too).
CONVERSIONS = {k: v for k, v in pymysql.converters.conversions.items()
               if k not in (FIELD_TYPE.DATE, FIELD_TYPE.DATETIME, FIELD_TYPE.TIME,
                            FIELD_TYPE.TIMESTAMP)}


def parse_blocks(path):
    """[(line_number, [lines])] of the file's blocks, comments dropped."""
    blocks, current, start = [], [], 0
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip()
            if line.startswith("#"):
                continue
            if not line:
                if current:
                    blocks.append((start, current))
                current = []
                continue
            if not current:
                start = number
            current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def type_name(description):
    code, length = description[1], description[3]
    if code == FIELD_TYPE.TINY:
        return "BOOLEAN" if length == 1 else "TINYINT"
    return TYPE_NAMES.get(code, "VARCHAR")


def cell_json(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def result_json(cursor):
    columns = [d[0] for d in cursor.description]
    types = [type_name(d) for d in cursor.description]
    rows = [[cell_json(v) for v in row] for row in cursor.fetchall()]
    return json.dumps({"columns": columns, "types": types, "rows": rows},
                      separators=(",", ":"), ensure_ascii=False)


def run_sql(port, user, password, text):
    """(output lines, error message or None)."""
    out = []
    try:
        connection = pymysql.connect(host="127.0.0.1", port=port, user=user, password=password,
                                     client_flag=CLIENT.MULTI_STATEMENTS, conv=CONVERSIONS,
                                     autocommit=None)
    except pymysql.MySQLError as e:
        return out, "%s (%s)" % (e.args[1] if len(e.args) > 1 else e, e.args[0])
    try:
        cursor = connection.cursor()
        cursor.execute(text)
        while True:
            if cursor.description is not None:
                out.append(result_json(cursor))
            if not cursor.nextset():
                break
        return out, None
    except pymysql.MySQLError as e:
        return out, "%s (%s)" % (e.args[1] if len(e.args) > 1 else e, e.args[0])
    finally:
        connection.close()


def main():
    strata, path = os.path.abspath(sys.argv[1]), sys.argv[2]
    scratch = tempfile.mkdtemp(prefix="strata-server-sql-")
    data, tmp = os.path.join(scratch, "data"), os.path.join(scratch, "tmp")
    os.makedirs(tmp)
    server = StrataServer(strata, data).start()
    failures, not_run, passed = [], [], 0

    def subst(s):
        return s.replace("${DATA}", data).replace("${TMP}", tmp)

    try:
        for line, lines in parse_blocks(path):
            head, body = lines[0], lines[1:]
            expected = None
            if "----" in body:
                cut = body.index("----")
                body, expected = body[:cut], [subst(x) for x in body[cut + 1:]]
            text = subst("\n".join(body))
            if head == "shell":
                if server.stop() != 0:
                    failures.append((line, "strata serve exited non-zero on SIGTERM", server.log()))
                env = dict(os.environ, STRATA=strata, DATA=data, TMP=tmp)
                run = subprocess.run(["bash", "-c", "set -eo pipefail\n" + text], env=env,
                                     capture_output=True, text=True, timeout=300)
                server = StrataServer(strata, data).start()
                got = run.stdout.splitlines()
                if run.returncode != 0 or (expected is not None and got != expected):
                    failures.append((line, "shell block: exit %d" % run.returncode,
                                     "expected %s\ngot %s\nstderr %s" % (expected, got, run.stderr)))
                else:
                    passed += 1
                continue
            user, password = "admin", "123456"
            if body and body[0].startswith("-- as "):
                who = body[0][len("-- as "):].split()
                if who == ["nobody"]:
                    not_run.append(line)
                    continue
                user, password = who[0], who[1]
            out, error = run_sql(server.port, user, password, text)
            if head.startswith("statement error"):
                want = subst(head[len("statement error"):].strip())
                if error is None or want not in "error: " + error:
                    failures.append((line, "expected an error containing %r" % want,
                                     "got %r" % error))
                else:
                    passed += 1
            elif error is not None:
                failures.append((line, "unexpected error", error))
            elif head == "query" and out != expected:
                failures.append((line, "query output differs",
                                 "expected:\n%s\ngot:\n%s" % ("\n".join(expected or []), "\n".join(out))))
            else:
                passed += 1
    finally:
        status = server.stop()
        if status != 0:
            failures.append((0, "strata serve exited %d on SIGTERM" % status, server.log()))
    for line, what, detail in failures:
        print("%s:%d: %s\n%s\n" % (path, line, what, detail))
    print("%s: %d blocks passed, %d failed%s" % (
        path, passed, len(failures),
        ", %d not run (as nobody: a MySQL connection always has a user; lines %s)"
        % (len(not_run), not_run) if not_run else ""))
    if failures:
        print("server log: %s\nkept: %s" % (server.log_path, scratch))
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
