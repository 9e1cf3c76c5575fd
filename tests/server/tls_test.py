#!/usr/bin/python3
"""TLS on `strata serve`: a self-signed certificate made with the openssl command; the mysql
client (--ssl) and PyMySQL (verifying the certificate) connect over TLS; without
--require-secure-transport plain connections still work, with it they get error 3159; a key
that is not the certificate's stops the server at start with an error naming the file.

usage: tls_test.py STRATA_BINARY
"""
import os
import shutil
import subprocess
import sys
import tempfile

import pymysql

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import StrataServer  # noqa: E402


def make_certificate(directory, name):
    cert, key = os.path.join(directory, name + ".pem"), os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def query(port, sql, **kwargs):
    c = pymysql.connect(host="127.0.0.1", port=port, user="admin", password="123456", **kwargs)
    try:
        cur = c.cursor()
        cur.execute(sql)
        return cur.fetchall()
    finally:
        c.close()


def main():
    strata = os.path.abspath(sys.argv[1])
    scratch = tempfile.mkdtemp(prefix="strata-tls-")
    cert, key = make_certificate(scratch, "server")
    _, other_key = make_certificate(scratch, "other")
    data = os.path.join(scratch, "data")
    with StrataServer(strata, data, "--tls-cert", cert, "--tls-key", key) as server:
        run = subprocess.run(["mysql", "-h", "127.0.0.1", "-P", str(server.port), "-u", "admin",
                              "-p123456", "--ssl", "-e", "status"],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert "Cipher in use is TLS" in run.stdout, run.stdout
        assert query(server.port, "SELECT 1", ssl={"ca": cert}) == ((1,),)
        assert query(server.port, "SELECT 2") == ((2,),)  # TLS offered, not required
        assert "over TLS (" in server.log(), server.log()
    with StrataServer(strata, data, "--tls-cert", cert, "--tls-key", key,
                      "--require-secure-transport") as server:
        try:
            query(server.port, "SELECT 1")
            raise AssertionError("a plain connection was accepted")
        except pymysql.MySQLError as e:
            assert e.args[0] == 3159, e.args
        assert query(server.port, "SELECT 3", ssl={"ca": cert}) == ((3,),)
    run = subprocess.run([strata, "serve", "--data", data, "--port", "0", "--http-port", "0",
                          "--tls-cert", cert, "--tls-key", other_key],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and other_key in run.stderr and "does not belong" in run.stderr, \
        run.stderr
    assert "PRIVATE KEY" not in run.stderr
    shutil.rmtree(scratch, ignore_errors=True)
    print("TLS connections, required TLS and a mismatched key as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
