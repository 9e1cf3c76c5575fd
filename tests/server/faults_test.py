#!/usr/bin/python3
"""Faults against `strata serve`: 100,000 random or truncated packets (seeded), a client killed
in the middle of a result, a client that does not read, a statement over max_allowed_packet and
an idle timeout. None may crash the server or disturb a healthy connection beside it.

usage: faults_test.py STRATA_BINARY [PACKETS]      (default: $STRATA_FAULT_PACKETS or 100,000)
"""
import glob
import hashlib
import os
import random
import socket
import struct
import sys
import time
import unittest

import pymysql
import pymysql.constants
import pymysql.cursors

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strata_server import ServerTestCase  # noqa: E402

# 100,000 by default; scripts/test.sh asks fewer of the slower ASan binary (they ran in Release).
PACKETS = int(os.environ.get("STRATA_FAULT_PACKETS", "100000"))


def packet(sequence, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([sequence & 0xff]) + payload


def read_packet(sock):
    header = b""
    while len(header) < 4:
        chunk = sock.recv(4 - len(header))
        if not chunk:
            raise ConnectionError("closed")
        header += chunk
    length = int.from_bytes(header[:3], "little")
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return body


def native_answer(password, scramble):
    stage1 = hashlib.sha1(password).digest()
    mask = hashlib.sha1(scramble + hashlib.sha1(stage1).digest()).digest()
    return bytes(a ^ b for a, b in zip(stage1, mask))


def handshake_response(user=b"admin", password=b"123456", scramble=b""):
    caps = 0x200 | 0x8000 | 0x80000 | 0x10000 | 0x20000  # 4.1, secure, plugin, multi
    answer = native_answer(password, scramble)
    return (struct.pack("<IIB", caps, 1 << 24, 33) + bytes(23) + user + b"\0" +
            bytes([len(answer)]) + answer + b"mysql_native_password\0")


def raw_login(port):
    """A logged-in raw socket: (socket, handshake scramble)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    hello = read_packet(sock)
    version_end = hello.index(b"\0", 1)
    rest = hello[version_end + 1:]
    scramble = rest[4:12] + rest[31:43]
    sock.sendall(packet(1, handshake_response(scramble=scramble)))
    ok = read_packet(sock)
    if ok[0] != 0:
        raise AssertionError("raw login failed: %r" % ok)
    return sock, scramble


class FaultTest(ServerTestCase):
    @classmethod
    def fill(cls):
        c = cls.connect()
        cur = c.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS f")
        cur.execute("CREATE TABLE IF NOT EXISTS f.big (k INT, v VARCHAR(40)) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 4")
        for start in range(0, 20000, 1000):  # statements under the 64 KiB packet limit
            values = ",".join("(%d, 'row %d of the big table, padded')" % (i, i)
                              for i in range(start, start + 1000))
            for _ in range(10):
                cur.execute("INSERT INTO f.big VALUES " + values)
        c.close()

    @classmethod
    def connect(cls, **kwargs):
        return pymysql.connect(host="127.0.0.1", port=cls.server.port, user="admin",
                               password="123456", **kwargs)

    def assert_healthy(self, connection):
        cur = connection.cursor()
        cur.execute("SELECT count(*), sum(k) FROM f.big")
        self.assertEqual(cur.fetchall(), ((200000, 10 * 19999 * 20000 // 2),))
        self.assertIsNone(self.server.process.poll(), self.server.log())


class RandomPacketsTest(FaultTest):
    def test_random_and_truncated_packets(self):
        rng = random.Random(14)
        healthy = self.connect()
        valid_query = b"\x03SELECT count(*) FROM f.big WHERE k < 100"
        sent = 0
        connections = 0
        while sent < PACKETS:
            connections += 1
            try:
                if connections % 4 == 0:
                    # Before login: a random or cut handshake response.
                    sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
                    read_packet(sock)
                    body = handshake_response(scramble=bytes(20))
                    if rng.random() < 0.5:
                        body = body[:rng.randrange(len(body))]
                    else:
                        body = bytes(rng.randrange(256) for _ in range(rng.randrange(80)))
                    sock.sendall(packet(rng.choice([1, 1, 1, 0, 7]), body))
                    sent += 1
                else:
                    sock, _ = raw_login(self.server.port)
                    for _ in range(50):
                        kind = rng.randrange(5)
                        if kind == 0:  # a random command byte and payload
                            body = bytes([rng.randrange(256)]) + bytes(
                                rng.randrange(256) for _ in range(rng.randrange(40)))
                        elif kind == 1:  # a valid query cut short
                            body = valid_query[:rng.randrange(1, len(valid_query))]
                        elif kind == 2:  # random bytes as SQL text
                            body = b"\x03" + bytes(rng.randrange(32, 127) for _ in range(rng.randrange(60)))
                        elif kind == 3:  # a prepared-statement command with junk
                            body = bytes([rng.choice([0x16, 0x17, 0x18, 0x19, 0x1a, 0x04])]) + bytes(
                                rng.randrange(256) for _ in range(rng.randrange(30)))
                        else:  # a header that promises more than follows
                            sock.sendall(struct.pack("<I", rng.randrange(1, 1 << 24))[:3] + b"\0" + b"abc")
                            sent += 1
                            break
                        if body[:1] == b"\x01":  # COM_QUIT would only end the connection
                            body = b"\x0e"
                        if body[:1] == b"\x0c":  # COM_PROCESS_KILL of a random id: keep it ours
                            body = b"\x0e"
                        sock.sendall(packet(0, body))
                        sent += 1
                sock.close()
            except (ConnectionError, socket.timeout, OSError):
                pass
            if connections % 200 == 0:
                self.assert_healthy(healthy)
        self.assert_healthy(healthy)
        healthy.close()
        print("sent %d packets on %d connections" % (sent, connections))


class ClientFaultTest(FaultTest):
    extra_args = ("--max-allowed-packet", "65536")

    def test_client_killed_mid_result(self):
        healthy = self.connect()
        for _ in range(3):
            sock, _ = raw_login(self.server.port)
            sock.sendall(packet(0, b"\x03SELECT * FROM f.big"))
            sock.recv(1000)
            # Reset instead of a polite close.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        self.assert_healthy(healthy)
        healthy.close()

    def test_slow_client_does_not_hold_up_others(self):
        slow, _ = raw_login(self.server.port)
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.sendall(packet(0, b"\x03SELECT * FROM f.big"))  # never read
        time.sleep(0.5)
        healthy = self.connect()
        start = time.time()
        for _ in range(20):
            healthy.cursor().execute("SELECT count(*) FROM f.big WHERE k < 10")
        self.assertLess(time.time() - start, 10)
        self.assert_healthy(healthy)
        healthy.close()
        slow.close()

    def test_statement_over_max_allowed_packet(self):
        c = self.connect()
        with self.assertRaises(pymysql.MySQLError) as caught:
            c.cursor().execute("INSERT INTO f.big VALUES " +
                               ",".join("(%d, 'x')" % i for i in range(20000)))
        self.assertEqual(caught.exception.args[0], 1153, caught.exception.args)
        self.assertIn("max_allowed_packet", self.server.log())
        healthy = self.connect()
        self.assert_healthy(healthy)  # nothing of the refused INSERT arrived
        healthy.close()



class DamagedChunkTest(FaultTest):
    """A SELECT's rows go out as its chunks are read. A chunk found damaged half-way through ends
    the result set with an error in place of its EOF; the statements after it in the same query
    do not run, and the connection goes on."""

    @classmethod
    def fill(cls):
        c = cls.connect()
        cur = c.cursor()
        cur.execute("CREATE DATABASE d")
        cur.execute("CREATE TABLE d.t (k INT, v VARCHAR(40)) DUPLICATE KEY(k) "
                    "DISTRIBUTED BY HASH(k) BUCKETS 4")
        cur.execute("INSERT INTO d.t VALUES " +
                    ",".join("(%d, 'value %d')" % (i, i) for i in range(2000)))
        c.close()

    def restart(self):
        self.assertEqual(self.server.stop(), 0, self.server.log())
        self.server.start()

    def test_damaged_chunk_ends_the_result_with_an_error(self):
        segments = sorted(glob.glob(os.path.join(self.server.data_dir, "segments", "*", "*.seg")))
        self.assertGreaterEqual(len(segments), 2, segments)
        rows_before_error = []
        for path in segments:  # each in turn, so some chunk is read fine before the damaged one
            with open(path, "rb") as f:
                original = f.read()
            damaged = bytearray(original)
            damaged[len(damaged) // 2] ^= 0xff
            with open(path, "wb") as f:
                f.write(damaged)
            try:
                self.restart()  # nothing of the file is in the server's memory yet
                c = self.connect(cursorclass=pymysql.cursors.SSCursor,
                                 client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
                cur = c.cursor()
                got = 0
                with self.assertRaises(pymysql.MySQLError) as caught:
                    cur.execute("SELECT * FROM d.t; INSERT INTO d.t VALUES (-1, 'after')")
                    for _ in cur:
                        got += 1
                rows_before_error.append(got)
                self.assertEqual(caught.exception.args[0], 1105, caught.exception.args)
                self.assertIn(os.path.basename(path)[:-4], caught.exception.args[1])
                cur = c.cursor()
                cur.execute("SHOW ERRORS")  # the error that ended the rows, as MySQL keeps it
                errors = cur.fetchall()
                self.assertEqual(len(errors), 1, errors)
                self.assertIn(os.path.basename(path)[:-4], errors[0][2])
                cur.execute("SELECT count(*) FROM d.t")  # from metadata: no damaged file read
                self.assertEqual(tuple(cur.fetchall()), ((2000,),))  # the INSERT after did not run
                c.close()
            finally:
                with open(path, "wb") as f:
                    f.write(original)
        self.restart()
        healthy = self.connect()
        cur = healthy.cursor()
        cur.execute("SELECT count(*), sum(k) FROM d.t")
        self.assertEqual(cur.fetchall(), ((2000, 1999 * 2000 // 2),))
        healthy.close()
        # Where the damage was met after the first chunk, its rows had gone out already.
        self.assertTrue(any(0 < n < 2000 for n in rows_before_error), rows_before_error)


class IdleTimeoutTest(FaultTest):
    extra_args = ("--max-allowed-packet", "65536", "--idle-timeout", "2")

    def test_idle_connection_times_out(self):
        idle = self.connect()
        healthy = self.connect()
        time.sleep(3.5)
        with self.assertRaises(pymysql.MySQLError):
            idle.cursor().execute("SELECT 1")
        self.assertIn("timed out", self.server.log())
        healthy.ping(reconnect=True)
        self.assert_healthy(healthy)


if __name__ == "__main__":
    ServerTestCase.strata = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        PACKETS = int(sys.argv.pop(1))
    unittest.main(verbosity=2)
