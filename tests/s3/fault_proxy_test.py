#!/usr/bin/env python3
"""Tests of tests/s3/fault_proxy.py against a small upstream in this process (no S3 server):
what it forwards arrives unchanged (Host included, keep-alive, Content-Length and chunked
bodies both ways, HEAD without a body), each fault kind does what it says, hard-down mode
fails everything, a TLS listener serves its certificate and forwards plain HTTP, and the counts
say what happened.

  python3 tests/s3/fault_proxy_test.py
"""

import hashlib
import http.client
import http.server
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

PROXY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fault_proxy.py")
MAKE_TEST_CA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_test_ca.sh")


class Upstream(http.server.BaseHTTPRequestHandler):
    """Echoes what it received: the body's SHA-256 and length, the Host header."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes
    seen = []  # (method, path, host, body length or "cut")

    def log_message(self, *args):
        pass

    def body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()  # no trailers: the blank line
                    return data
                data += self.rfile.read(size + 2)[:size]
        length = int(self.headers.get("Content-Length", 0))
        data = self.rfile.read(length)
        if len(data) != length:
            raise ConnectionError("cut")
        return data

    def answer(self, status, body, chunked=False, head=False):
        self.send_response(status)
        self.send_header("X-Seen-Host", self.headers.get("Host", ""))
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 7):
                part = body[i:i + 7]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self):
        Upstream.seen.append(("GET", self.path, self.headers.get("Host"), 0))
        body = ("content of %s " % self.path).encode() * 50
        self.answer(200, body, chunked=self.path.startswith("/chunked"))

    def do_HEAD(self):
        Upstream.seen.append(("HEAD", self.path, self.headers.get("Host"), 0))
        self.answer(200, b"x" * 1234, head=True)

    def do_PUT(self):
        try:
            data = self.body()
        except ConnectionError:
            Upstream.seen.append(("PUT", self.path, self.headers.get("Host"), "cut"))
            self.close_connection = True
            return
        Upstream.seen.append(("PUT", self.path, self.headers.get("Host"), len(data)))
        self.answer(200, hashlib.sha256(data).hexdigest().encode())


class ProxyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
        cls.upstream.daemon_threads = True
        threading.Thread(target=cls.upstream.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.upstream.shutdown()
        cls.upstream.server_close()

    def setUp(self):
        Upstream.seen = []
        self.dir = tempfile.TemporaryDirectory()
        self.proxy = None

    def tearDown(self):
        if self.proxy is not None:
            self.proxy.terminate()
            self.proxy.wait()
        self.dir.cleanup()

    def start(self, *args):
        port_file = os.path.join(self.dir.name, "port")
        self.stats_file = os.path.join(self.dir.name, "stats.json")
        self.proxy = subprocess.Popen(
            [sys.executable, PROXY, "--upstream",
             "http://127.0.0.1:%d" % self.upstream.server_address[1], "--port-file", port_file,
             "--stats", self.stats_file, "--log", os.path.join(self.dir.name, "log")] +
            list(args))
        for _ in range(100):
            if os.path.exists(port_file):
                self.port = int(open(port_file).read())
                return
            time.sleep(0.05)
        self.fail("fault_proxy.py did not start")

    def connect(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def stats(self):
        """The proxy's final counts: it is stopped first, so every request is in them."""
        self.proxy.terminate()
        self.proxy.wait()
        self.proxy = None
        return json.load(open(self.stats_file))

    def test_forwards_unchanged_on_one_connection(self):
        self.start()
        c = self.connect()
        payload = os.urandom(300000)
        c.request("PUT", "/b/key%20one", body=payload, headers={"Host": "signed.example:9"})
        r = c.getresponse()
        self.assertEqual(r.read(), hashlib.sha256(payload).hexdigest().encode())
        self.assertEqual(r.getheader("X-Seen-Host"), "signed.example:9")
        c.request("PUT", "/b/chunked", body=iter([b"abc", b"", b"defgh"]),
                  headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
        r = c.getresponse()
        self.assertEqual(r.read(), hashlib.sha256(b"abcdefgh").hexdigest().encode())
        c.request("HEAD", "/b/k")
        r = c.getresponse()
        self.assertEqual((r.status, r.getheader("Content-Length"), r.read()), (200, "1234", b""))
        c.request("GET", "/chunked/k?a=b")
        r = c.getresponse()
        self.assertEqual(r.read(), b"content of /chunked/k?a=b " * 50)
        c.request("GET", "/fixed")
        self.assertEqual(c.getresponse().read(), b"content of /fixed " * 50)
        self.assertEqual([s[:2] for s in Upstream.seen],
                         [("PUT", "/b/key%20one"), ("PUT", "/b/chunked"), ("HEAD", "/b/k"),
                          ("GET", "/chunked/k?a=b"), ("GET", "/fixed")])
        stats = self.stats()
        self.assertEqual((stats["requests"], stats["forwarded"], stats["fault_total"]), (5, 5, 0))

    def test_error_faults_answer_s3_xml_and_keep_the_connection(self):
        self.start("--rule", "^GET /a=http500,http503,no_such_upload,pass")
        c = self.connect()
        for status, code in ((500, b"InternalError"), (503, b"SlowDown"),
                             (404, b"NoSuchUpload"), (200, b"content of /a")):
            c.request("GET", "/a")
            r = c.getresponse()
            body = r.read()
            self.assertEqual(r.status, status)
            self.assertIn(code, body)
        self.assertEqual(len(Upstream.seen), 1)  # only the last one went upstream
        stats = self.stats()
        self.assertEqual(stats["fault_total"], 3)
        self.assertEqual(stats["faults"], {"http500": 1, "http503": 1, "no_such_upload": 1})

    def test_resets_and_cuts(self):
        self.start("--rule", "^PUT /up=upload_cut", "--rule", "^PUT /r=reset",
                   "--rule", "^GET /g=response_cut", "--rule", "^HEAD /h=response_cut")
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            c = self.connect()
            c.request("PUT", "/up", body=b"x" * 100000)
            c.getresponse().read()
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            c = self.connect()
            c.request("PUT", "/r", body=b"x" * 100000)
            c.getresponse().read()
        c = self.connect()
        c.request("GET", "/g")
        r = c.getresponse()
        self.assertEqual(r.getheader("Content-Length"), str(len(b"content of /g ") * 50))
        with self.assertRaises(http.client.IncompleteRead):
            r.read()
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            c = self.connect()
            c.request("HEAD", "/h")
            c.getresponse()
        # The cut upload reached the server short; the reset one never did; the cut response
        # and the lost HEAD reply were served upstream.
        deadline = time.time() + 5
        while len(Upstream.seen) < 3 and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(sorted(Upstream.seen),
                         sorted([("PUT", "/up", "127.0.0.1:%d" % self.port, "cut"),
                                 ("GET", "/g", "127.0.0.1:%d" % self.port, 0),
                                 ("HEAD", "/h", "127.0.0.1:%d" % self.port, 0)]))
        self.assertEqual(self.stats()["faults"],
                         {"upload_cut": 1, "reset": 1, "response_cut": 1, "reply_lost": 1})

    def test_stalls_until_the_client_gives_up(self):
        self.start("--rule", "^GET /s=stall")
        c = self.connect(timeout=0.5)
        started = time.time()
        with self.assertRaises(socket.timeout):
            c.request("GET", "/s")
            c.getresponse()
        self.assertGreaterEqual(time.time() - started, 0.5)
        self.assertEqual(Upstream.seen, [])

    def test_random_faults_follow_the_rate_and_seed(self):
        self.start("--seed", "5", "--rate", "0.5", "--weights",
                   "stall=0,reset=0,upload_cut=0,response_cut=0")
        statuses = []
        c = self.connect()
        for i in range(200):
            c.request("GET", "/n%d" % i)
            r = c.getresponse()
            r.read()
            statuses.append(r.status)
        faults = sum(1 for s in statuses if s >= 500)
        self.assertTrue(70 <= faults <= 130, faults)
        stats = self.stats()
        self.assertEqual(stats["fault_total"], faults)
        self.assertEqual(stats["seed"], 5)

    def test_hard_down_by_file_and_after_n_answers(self):
        down = os.path.join(self.dir.name, "down")
        self.start("--down-file", down, "--down-after", "2", "--down-match", "^GET /counted",
                   "--count", "counted=^GET /counted")

        def status(path):
            try:
                c = self.connect()
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                return r.status
            except (ConnectionError, http.client.HTTPException):
                return "reset"

        self.assertEqual(status("/other"), 200)
        open(down, "w").close()
        self.assertIn(status("/other"), (503, "reset"))
        os.remove(down)
        self.assertEqual([status("/counted"), status("/other"), status("/counted")],
                         [200, 200, 200])
        self.assertIn(status("/other"), (503, "reset"))
        stats = self.stats()
        self.assertEqual(stats["counts"], {"counted": 2})
        self.assertEqual(stats["down_total"], 2)
        self.assertEqual(stats["fault_total"], 0)

    def test_tls_listener_forwards_plain_http_and_counts_handshakes(self):
        certs = os.path.join(self.dir.name, "certs")
        subprocess.run(["bash", MAKE_TEST_CA, certs], check=True)
        self.start("--tls-cert", os.path.join(certs, "server.pem"),
                   "--tls-key", os.path.join(certs, "server.key"), "--rule", "^GET /e=http503")
        trusted = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
        c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10, context=trusted)
        payload = os.urandom(200000)
        c.request("PUT", "/b/k", body=payload)
        r = c.getresponse()
        self.assertEqual(r.read(), hashlib.sha256(payload).hexdigest().encode())
        c.request("GET", "/e")  # a fault over TLS keeps the connection too
        r = c.getresponse()
        self.assertEqual((r.status, b"SlowDown" in r.read()), (503, True))
        c.request("GET", "/fixed")
        self.assertEqual(c.getresponse().read(), b"content of /fixed " * 50)
        self.assertEqual([s[:2] for s in Upstream.seen], [("PUT", "/b/k"), ("GET", "/fixed")])
        # A client without the CA refuses the certificate; a plain-HTTP client gets nothing.
        with self.assertRaises(ssl.SSLCertVerificationError):
            untrusting = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10,
                                                     context=ssl.create_default_context())
            untrusting.request("GET", "/x")
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            plain = self.connect()
            plain.request("GET", "/y")
            plain.getresponse().read()
        deadline = time.time() + 5
        while time.time() < deadline:
            if json.load(open(self.stats_file))["tls_handshake_failures"] >= 2:
                break
            time.sleep(0.05)
        stats = self.stats()
        self.assertTrue(stats["tls"])
        self.assertEqual((stats["requests"], stats["tls_requests"], stats["forwarded"]), (3, 3, 2))
        self.assertEqual((stats["tls_connections"], stats["tls_handshake_failures"]), (1, 2))
        self.assertEqual(sum(stats["tls_versions"].values()), 1)
        self.assertEqual(len(Upstream.seen), 2)  # the refused connections sent nothing upstream

    def test_refuses_an_upstream_that_is_not_loopback(self):
        result = subprocess.run([sys.executable, PROXY, "--upstream", "http://10.0.0.1:80"],
                                capture_output=True, text=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("must be http://127.0.0.1:PORT", result.stderr)


if __name__ == "__main__":
    unittest.main()
