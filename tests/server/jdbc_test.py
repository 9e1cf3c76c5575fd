#!/usr/bin/python3
"""MariaDB Connector/J (Debian's libmariadb-java) against `strata serve`: compiles
jdbc/JdbcClientTest.java with the JDK's javac into a scratch directory and runs it against a
fresh server. Passes when every check of the Java program passed and the server exits 0.

usage: jdbc_test.py STRATA_BINARY
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import StrataServer  # noqa: E402

DRIVER = "/usr/share/java/mariadb-java-client.jar"


def main():
    strata = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    scratch = tempfile.mkdtemp(prefix="strata-jdbc-")
    classes = os.path.join(scratch, "classes")
    subprocess.run(["javac", "-d", classes, os.path.join(here, "jdbc", "JdbcClientTest.java")],
                   check=True)
    server = StrataServer(strata, os.path.join(scratch, "data")).start()
    try:
        run = subprocess.run(["java", "-cp", DRIVER + ":" + classes, "JdbcClientTest",
                              str(server.port), os.path.join(scratch, "repo")],
                             capture_output=True, text=True, timeout=300)
        print(run.stdout + run.stderr)
    finally:
        status = server.stop()
    if run.returncode != 0 or status != 0 or "all JDBC checks passed" not in run.stdout:
        print("server exit status %d; log:\n%s" % (status, server.log()))
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
