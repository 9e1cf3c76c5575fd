#!/usr/bin/python3
"""Real MySQL clients against `strata serve`: PyMySQL, MySQLdb (libmariadb) and the mariadb
command-line client in batch mode. Each test class starts its own server.

usage: clients_test.py STRATA_BINARY
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import MySQLdb
import pymysql
from pymysql.constants import CLIENT

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import ServerTestCase, StrataServer  # noqa: E402

STRATA = None

EVERY_TYPE_TABLE = """CREATE TABLE shop.every (
  k INT, b BOOLEAN, t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE,
  dt DATE, ts DATETIME, c CHAR(4), v VARCHAR(20), str STRING)
  DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2"""
EVERY_TYPE_ROWS = """INSERT INTO shop.every VALUES
  (1, true, -127, -32767, -2147483647, -9223372036854775807, 0.5, 2.25, '2020-01-05',
   '2020-01-05 10:11:12', 'ab', 'it''s', 'üñí'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"""
EVERY_TYPE_VALUES = [
    (1, 1, -127, -32767, -2147483647, -9223372036854775807, 0.5, 2.25, datetime.date(2020, 1, 5),
     datetime.datetime(2020, 1, 5, 10, 11, 12), "ab", "it's", "üñí"),
    (2,) + (None,) * 12]


class ServerTest(ServerTestCase):
    def pymysql(self, **kwargs):
        args = dict(host="127.0.0.1", port=self.server.port, user="admin", password="123456")
        args.update(kwargs)
        return pymysql.connect(**args)

    def error_of(self, connection, sql):
        """(code, message) of the error `sql` raises."""
        with self.assertRaises(pymysql.MySQLError) as caught:
            connection.cursor().execute(sql)
        return caught.exception.args[0], caught.exception.args[1]


class PyMySqlTest(ServerTest):
    def test_every_type_with_nulls(self):
        c = self.pymysql()
        cur = c.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS shop")
        cur.execute(EVERY_TYPE_TABLE)
        self.assertEqual(cur.execute(EVERY_TYPE_ROWS), 2)
        cur.execute("SELECT * FROM shop.every ORDER BY k")
        self.assertEqual(list(cur.fetchall()), EVERY_TYPE_VALUES)
        # MySQL's type codes: LONG, TINY, TINY, SHORT, LONG, LONGLONG, FLOAT, DOUBLE, DATE,
        # DATETIME, then VAR_STRING.
        self.assertEqual([d[1] for d in cur.description],
                         [3, 1, 1, 2, 3, 8, 4, 5, 10, 12, 253, 253, 253])
        self.assertEqual([d[0] for d in cur.description],
                         ["k", "b", "t", "s", "i", "l", "f", "d", "dt", "ts", "c", "v", "str"])
        # Client-side parameters (PyMySQL interpolates and escapes).
        cur.execute("INSERT INTO shop.every (k, str) VALUES (%s, %s)",
                    (3, "x'); DROP DATABASE shop; --"))
        cur.execute("SELECT str FROM shop.every WHERE k = %s", (3,))
        self.assertEqual(cur.fetchall(), (("x'); DROP DATABASE shop; --",),))
        c.close()

    def test_errors_carry_mysql_codes(self):
        c = self.pymysql()
        self.assertEqual(self.error_of(c, "SELEC 1")[0], 1064)
        self.assertEqual(self.error_of(c, "SELECT * FROM nosuchdb.t")[0], 1049)
        c.cursor().execute("CREATE DATABASE IF NOT EXISTS shop")
        code, message = self.error_of(c, "SELECT * FROM shop.nosuch")
        self.assertEqual(code, 1146)
        self.assertIn("'nosuch'", message)
        self.assertEqual(self.error_of(c, "SELECT * FROM nodb_table")[0], 1046)
        c.close()
        with self.assertRaises(pymysql.MySQLError) as unknown_db:
            self.pymysql(database="nosuchdb")
        self.assertEqual(unknown_db.exception.args[0], 1049)

    def test_wrong_user_and_wrong_password_look_the_same(self):
        with self.assertRaises(pymysql.MySQLError) as wrong_password:
            self.pymysql(password="654321")
        with self.assertRaises(pymysql.MySQLError) as wrong_user:
            self.pymysql(user="nobody")
        self.assertEqual(wrong_password.exception.args[0], 1045)
        self.assertEqual(wrong_user.exception.args[0], 1045)
        self.assertEqual(wrong_password.exception.args[1].replace("admin", "X"),
                         wrong_user.exception.args[1].replace("nobody", "X"))
        self.assertNotIn("654321", self.server.log())

    def test_session_state_is_per_connection(self):
        a, b = self.pymysql(), self.pymysql()
        a.cursor().execute("CREATE DATABASE IF NOT EXISTS shop")
        a.select_db("shop")  # COM_INIT_DB
        cur = a.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS kv (k INT, v INT) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 1")
        cur.execute("SHOW TABLES")
        self.assertIn(("kv",), cur.fetchall())
        self.assertEqual(self.error_of(b, "SHOW TABLES")[0], 1046)  # b has no database
        a.ping()
        a.close()
        b.close()

    def test_session_functions_variables_and_kill(self):
        c = self.pymysql()
        cur = c.cursor()
        cur.execute("select @@version_comment limit 1")
        self.assertEqual(cur.fetchall(), (("Strata",),))
        cur.execute("select DATABASE(), USER(), CONNECTION_ID(), VERSION()")
        self.assertEqual(cur.fetchall(), ((None, "admin@127.0.0.1", c.thread_id(), "5.7.99-Strata"),))
        self.assertEqual([d[0] for d in cur.description],
                         ["DATABASE()", "USER()", "CONNECTION_ID()", "VERSION()"])
        cur.execute("SHOW VARIABLES LIKE 'max_allowed_packet'")
        self.assertEqual(cur.fetchall(), (("max_allowed_packet", str(64 << 20)),))
        cur.execute("SET NAMES utf8mb4")
        cur.execute("SET character_set_results = NULL")
        cur.execute("select @@character_set_results")
        self.assertEqual(cur.fetchall(), ((None,),))
        # KILL: another connection of the same user ends; an unknown id is 1094; a user who
        # does not own a connection may not kill it (1095).
        victim = self.pymysql()
        cur.execute("KILL %d" % victim.thread_id())
        with self.assertRaises(pymysql.MySQLError):
            victim.cursor().execute("SELECT 1")
        self.assertEqual(self.error_of(c, "KILL 999999")[0], 1094)
        cur.execute("CREATE USER IF NOT EXISTS 'killer' IDENTIFIED BY 'pw_killer'")
        killer = self.pymysql(user="killer", password="pw_killer")
        self.assertEqual(self.error_of(killer, "KILL %d" % c.thread_id())[0], 1095)
        killer.close()
        c.ping()
        c.close()

    def test_kill_query_stops_a_long_insert_and_writes_nothing(self):
        import json
        import threading
        import urllib.request

        def statements():
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.server.http_port) as r:
                text = r.read().decode()
            return int(float(text.split("\nstrata_statements_total ")[1].split()[0]))

        c = self.pymysql()
        c.cursor().execute("CREATE DATABASE IF NOT EXISTS killdb")
        c.cursor().execute("CREATE TABLE killdb.t (k BIGINT, v BIGINT) DUPLICATE KEY(k) "
                           "DISTRIBUTED BY HASH(k) BUCKETS 4")
        victim = self.pymysql()
        insert = "INSERT INTO killdb.t VALUES " + ",".join(
            "(%d,%d)" % (i, i) for i in range(2000000))
        outcome = {}

        def run():
            try:
                victim.cursor().execute(insert)
                outcome["done"] = True
            except pymysql.MySQLError as e:
                outcome["error"] = e.args

        before = statements()
        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.time() + 60
        while statements() == before:  # the server has the whole statement and runs it
            self.assertLess(time.time(), deadline)
            time.sleep(0.01)
        time.sleep(0.1)
        c.cursor().execute("KILL QUERY %d" % victim.thread_id())
        thread.join()
        self.assertEqual(outcome.get("error", (None,))[0], 1317, json.dumps(outcome))
        cur = c.cursor()
        cur.execute("SELECT count(*) FROM killdb.t")
        self.assertEqual(cur.fetchall(), ((0,),))
        victim.cursor().execute("SELECT 1")  # the connection stays
        victim.close()
        c.close()

    def test_second_server_on_the_same_data_gets_the_lock_error(self):
        run = subprocess.run([STRATA, "serve", "--data", self.server.data_dir, "--port", "0",
                              "--http-port", "0"], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 1)
        self.assertIn("is in use by another strata process (pid %d)" % self.server.process.pid,
                      run.stderr)
        c = self.pymysql()  # the first server is unaffected
        c.ping()
        c.close()

    def test_multi_statements_return_each_result(self):
        c = self.pymysql(client_flag=CLIENT.MULTI_STATEMENTS)
        cur = c.cursor()
        cur.execute("SELECT 1; SELECT 2, 3; CREATE DATABASE IF NOT EXISTS multi")
        self.assertEqual(cur.fetchall(), ((1,),))
        self.assertTrue(cur.nextset())
        self.assertEqual(cur.fetchall(), ((2, 3),))
        self.assertTrue(cur.nextset())
        self.assertIsNone(cur.description)
        self.assertFalse(cur.nextset())
        # The first error ends the query after the statements before it ran.
        with self.assertRaises(pymysql.MySQLError) as caught:
            cur.execute("CREATE DATABASE multi2; SELEC 1; CREATE DATABASE multi3")
            while cur.nextset():
                pass
        self.assertEqual(caught.exception.args[0], 1064)
        c.close()
        c = self.pymysql()
        cur = c.cursor()
        cur.execute("SHOW DATABASES")
        names = [r[0] for r in cur.fetchall()]
        self.assertIn("multi2", names)
        self.assertNotIn("multi3", names)
        c.close()

    def test_backup_followed_to_finished_then_restored(self):
        repo = os.path.join(self.scratch, "repo")
        c = self.pymysql()
        cur = c.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS bk")
        cur.execute("CREATE TABLE bk.t (k INT, v VARCHAR(10)) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 4")
        cur.execute("INSERT INTO bk.t VALUES (1, 'a'), (2, NULL), (3, 'c')")
        cur.execute("CREATE REPOSITORY r1 WITH LOCAL ON LOCATION 'file://%s'" % repo)
        cur.execute("BACKUP SNAPSHOT bk.s1 TO r1 ON (t)")
        state = wait_for_job(cur, "SHOW BACKUP FROM bk")
        self.assertEqual(state, "FINISHED")
        cur.execute("SHOW SNAPSHOT ON r1 WHERE SNAPSHOT = 's1'")
        timestamp = cur.fetchall()[0][1]
        cur.execute("INSERT INTO bk.t VALUES (4, 'd')")
        cur.execute("RESTORE SNAPSHOT bk.s1 FROM r1 ON (t) PROPERTIES ('backup_timestamp' = '%s')"
                    % timestamp)
        self.assertEqual(wait_for_job(cur, "SHOW RESTORE FROM bk"), "FINISHED")
        cur.execute("SELECT k, v FROM bk.t ORDER BY k")
        self.assertEqual(cur.fetchall(), ((1, "a"), (2, None), (3, "c")))
        c.close()


def wait_for_job(cursor, show, timeout_s=120):
    """The State of the last job SHOW BACKUP/RESTORE lists, once it is FINISHED or CANCELLED."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        cursor.execute(show)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        state = rows[-1][columns.index("State")] if rows else None
        if state in ("FINISHED", "CANCELLED"):
            return state
        time.sleep(0.1)
    raise AssertionError("%s: no job finished within %d s" % (show, timeout_s))


class MySqlDbTest(ServerTest):
    def test_libmariadb_client(self):
        c = MySQLdb.connect(host="127.0.0.1", port=self.server.port, user="admin",
                            password="123456")
        cur = c.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS shop")
        cur.execute(EVERY_TYPE_TABLE)
        cur.execute(EVERY_TYPE_ROWS)
        cur.execute("SELECT * FROM shop.every ORDER BY k")
        self.assertEqual(list(cur.fetchall()), EVERY_TYPE_VALUES)
        with self.assertRaises(MySQLdb.MySQLError) as caught:
            cur.execute("SELECT * FROM shop.nosuch")
        self.assertEqual(caught.exception.args[0], 1146)
        c.select_db("shop")
        cur.execute("SELECT count(*) FROM every")
        self.assertEqual(cur.fetchall(), ((2,),))
        c.close()
        with self.assertRaises(MySQLdb.MySQLError) as denied:
            MySQLdb.connect(host="127.0.0.1", port=self.server.port, user="admin", password="x")
        self.assertEqual(denied.exception.args[0], 1045)


class MariaDbBatchTest(ServerTest):
    def mysql(self, *args, stdin=None):
        return subprocess.run(["mysql", "-h", "127.0.0.1", "-P", str(self.server.port), "-u",
                               "admin", "-p123456"] + list(args),
                              input=stdin, capture_output=True, text=True, timeout=60)

    def test_batch_mode(self):
        run = self.mysql("-e", "CREATE DATABASE IF NOT EXISTS shop; CREATE TABLE shop.t "
                         "(k INT, v VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2;"
                         " INSERT INTO shop.t VALUES (1, 'a'), (2, NULL)")
        self.assertEqual(run.returncode, 0, run.stderr)
        run = self.mysql("shop", stdin="SELECT k, v FROM t ORDER BY k;\n")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout, "k\tv\n1\ta\n2\tNULL\n")
        run = self.mysql("-e", "SELECT * FROM shop.nosuch")
        self.assertEqual(run.returncode, 1)
        self.assertIn("ERROR 1146 (42S02)", run.stderr)
        run = subprocess.run(["mysql", "-h", "127.0.0.1", "-P", str(self.server.port), "-u",
                              "admin", "-pwrong", "-e", "SELECT 1"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 1)
        self.assertIn("ERROR 1045 (28000)", run.stderr)


class StopWithoutGraceTest(unittest.TestCase):
    """SIGTERM with --shutdown-grace 0: exit 0 whatever is open or running."""

    def test_backup_left_resumable(self):
        # The job is left interrupted (SHOW BACKUP: CANCELLED, saying to re-run it), and the
        # same BACKUP run again finishes.
        scratch = tempfile.mkdtemp(prefix="strata-stop-")
        data = os.path.join(scratch, "data")
        server = StrataServer(STRATA, data, "--shutdown-grace", "0").start()
        try:
            c = pymysql.connect(host="127.0.0.1", port=server.port, user="admin", password="123456")
            cur = c.cursor()
            cur.execute("CREATE DATABASE r")
            cur.execute("CREATE TABLE r.t (k BIGINT, v DOUBLE, s VARCHAR(30)) DUPLICATE KEY(k) "
                        "DISTRIBUTED BY HASH(k) BUCKETS 32")
            cur.execute("INSERT INTO r.t VALUES " + ",".join(
                "(%d, %d.25, 'some text %d')" % (i, i, i) for i in range(250000)))
            for _ in range(3):
                cur.execute("INSERT INTO r.t SELECT * FROM r.t")
            cur.execute("CREATE REPOSITORY repo WITH LOCAL ON LOCATION 'file://%s/repo'" % scratch)
            cur.execute("BACKUP SNAPSHOT r.s1 TO repo")
            self.assertEqual(server.stop(), 0, server.log())
            self.assertIn("left as after a crash", server.log())
            server = StrataServer(STRATA, data).start()
            c = pymysql.connect(host="127.0.0.1", port=server.port, user="admin", password="123456")
            cur = c.cursor()
            cur.execute("SHOW BACKUP FROM r")
            columns = [d[0] for d in cur.description]
            row = cur.fetchall()[-1]
            self.assertEqual(row[columns.index("State")], "CANCELLED")
            self.assertIn("re-run the same call to resume it", row[columns.index("Status")])
            cur.execute("BACKUP SNAPSHOT r.s1 TO repo")
            self.assertEqual(wait_for_job(cur, "SHOW BACKUP FROM r"), "FINISHED")
            c.close()
        finally:
            self.assertEqual(server.stop(), 0, server.log())
            shutil.rmtree(scratch, ignore_errors=True)

    def test_idle_connections_closing_as_the_grace_ends(self):
        # Idle connections end on their own when the server stops, at the moment a grace of 0
        # has the server kill what is left: a connection must leave the server's list before it
        # is destroyed (under ASan, a use after free here once failed the CI run).
        for _ in range(5):
            scratch = tempfile.mkdtemp(prefix="strata-stop-")
            server = StrataServer(STRATA, os.path.join(scratch, "data"), "--shutdown-grace",
                                  "0").start()
            try:
                clients = [pymysql.connect(host="127.0.0.1", port=server.port, user="admin",
                                           password="123456") for _ in range(40)]
                self.assertEqual(server.stop(), 0, server.log())
                for c in clients:
                    with self.assertRaises(pymysql.err.OperationalError):
                        c.cursor().execute("SELECT 1")
            finally:
                server.stop()
                shutil.rmtree(scratch, ignore_errors=True)


class ConnectionLimitTest(ServerTest):
    extra_args = ("--max-connections", "2")

    def test_one_more_connection_gets_1040(self):
        a, b = self.pymysql(), self.pymysql()
        with self.assertRaises(pymysql.MySQLError) as caught:
            self.pymysql()
        self.assertEqual(caught.exception.args[0], 1040)
        a.close()
        deadline = time.time() + 10
        while True:  # the server notices the closed connection
            try:
                c = self.pymysql()
                break
            except pymysql.MySQLError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        c.cursor().execute("SELECT 1")
        c.close()
        b.close()


if __name__ == "__main__":
    STRATA = ServerTestCase.strata = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
