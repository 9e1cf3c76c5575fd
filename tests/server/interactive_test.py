#!/usr/bin/python3
"""The mariadb-client `mysql` in an interactive session against `strata serve`, driven through
a pseudo-terminal: the banner (which asks `select @@version_comment limit 1`), `use shop` (COM_
INIT_DB, then SHOW DATABASES, SHOW TABLES and COM_FIELD_LIST for tab completion), a column name
completed with TAB, `status` (COM_STATISTICS and the character-set variables), and quit.

usage: interactive_test.py STRATA_BINARY
"""
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time

import pymysql

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import StrataServer  # noqa: E402


class Terminal:
    def __init__(self, argv):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=dict(os.environ, TERM="dumb", HOME=tempfile.gettempdir()))
        os.close(slave)
        self.seen = ""

    def expect(self, text, timeout_s=30):
        deadline = time.time() + timeout_s
        while text not in self.seen:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("waited for %r; the terminal shows:\n%s" % (text, self.seen))
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode("utf-8", errors="replace")
                except OSError:
                    break
        if text not in self.seen:
            raise AssertionError("waited for %r; the terminal shows:\n%s" % (text, self.seen))
        position = self.seen.index(text) + len(text)
        before, self.seen = self.seen[:position], self.seen[position:]
        return before

    def send(self, text):
        os.write(self.master, text.encode())


def main():
    strata = os.path.abspath(sys.argv[1])
    scratch = tempfile.mkdtemp(prefix="strata-interactive-")
    server = StrataServer(strata, os.path.join(scratch, "data")).start()
    failed = None
    try:
        c = pymysql.connect(host="127.0.0.1", port=server.port, user="admin", password="123456")
        cur = c.cursor()
        cur.execute("CREATE DATABASE shop")
        cur.execute("CREATE TABLE shop.orders (k INT, item_count INT) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 2")
        cur.execute("INSERT INTO shop.orders VALUES (1, 41), (2, 42)")
        c.close()
        term = Terminal(["mysql", "-h", "127.0.0.1", "-P", str(server.port), "-u", "admin",
                         "-p123456"])
        banner = term.expect("> ")
        assert "Server version: 5.7.99-Strata Strata" in banner, banner
        term.send("use shop\n")
        term.expect("Database changed")
        term.expect("> ")
        # `item_co` + TAB completes to item_count only if COM_FIELD_LIST gave the columns.
        term.send("select sum(item_co\t) as total from orders;\n")
        out = term.expect("row in set")
        assert "83" in out, out
        term.expect("> ")
        term.send("status\n")
        out = term.expect("> ")
        for line in ("Current database:\tshop", "Server version:\t\t5.7.99-Strata Strata",
                     "Threads: ", "Conn.  characterset:\tutf8mb4"):
            assert line in out, "%r not in:\n%s" % (line, out)
        term.send("quit\n")
        term.expect("Bye")
        assert term.process.wait(timeout=30) == 0
        errors = [l for l in server.log().splitlines() if " error " in l]
        assert not errors, "the session's own queries failed:\n" + "\n".join(errors)
        print("interactive session: banner, use, completion, status, quit all as expected")
    except AssertionError as e:
        failed = e
    finally:
        status = server.stop()
    if failed or status != 0:
        print("FAILED: %s\nserver exit %d; log:\n%s" % (failed, status, server.log()))
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
