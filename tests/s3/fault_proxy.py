#!/usr/bin/env python3
"""A loopback HTTP/1.1 proxy that injects faults between strata and the local S3 server.

It listens on 127.0.0.1 only and forwards to an upstream that must be http://127.0.0.1:PORT.
With --tls-cert FILE --tls-key FILE it listens for TLS (HTTPS) instead, with that certificate
chain and key, and still forwards plain HTTP upstream: a loopback HTTPS endpoint in front of a
server that has none. A failed handshake (the client refused the certificate) is counted and
logged, and no request is read from that connection.
Requests are passed on byte for byte: the request line, every header (Host included, so the
SigV4 signature the client computed for the proxy's address still verifies upstream) and the
body (Content-Length or chunked); responses come back the same way, keep-alive included and
HEAD without a body. A seeded random draw per request (under a lock, in arrival order) picks
which requests get a fault instead:

  http500        a 500 InternalError S3 XML error, without forwarding (connection kept)
  http503        a 503 SlowDown S3 XML error, without forwarding (connection kept)
  reset          the connection is reset (RST) after the headers and part of the body
  stall          the request is read whole, never forwarded and never answered; the
                 connection is held until the client gives up (or --stall-max-s)
  upload_cut     headers and half the body go upstream (the server sees a truncated
                 upload), then both connections are reset
  response_cut   the request is forwarded; the client gets the response headers with the
                 full Content-Length and half the body, then the connection closes; a
                 response without a body is dropped entirely (counted as reply_lost): the
                 server did the work, the client never hears of it

--rule 'REGEX=KIND,KIND,...' scripts faults: the first requests whose "METHOD TARGET"
matches REGEX get those kinds in order (`pass` forwards normally; `no_such_upload` answers
404 NoSuchUpload). Rules come before the random draw.

Hard down: while the file --down-file exists, or once --down-after requests matching
--down-match have been answered 2xx, every request gets http503 or reset (counted as
down_http503 / down_reset, apart from the random faults).

Counts go to --stats (JSON, rewritten atomically after every request and at exit): requests,
forwarded, faults per kind, fault_total, down_total, statuses per code, and the --count
NAME=REGEX tallies (matching requests forwarded and answered 2xx in full), and for TLS:
tls (listening with TLS), tls_connections (handshakes done), tls_versions (per protocol),
tls_requests (requests read over TLS) and tls_handshake_failures. --port-file gets
the listening port once the socket listens. SIGTERM or SIGINT writes the stats and exits.
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse

RANDOM_KINDS = ("http500", "http503", "reset", "stall", "upload_cut", "response_cut")
SCRIPTED_KINDS = RANDOM_KINDS + ("pass", "no_such_upload")
ERRORS = {
    "http500": (500, "Internal Server Error", "InternalError",
                "We encountered an internal error. Please try again."),
    "http503": (503, "Slow Down", "SlowDown", "Please reduce your request rate."),
    "no_such_upload": (404, "Not Found", "NoSuchUpload",
                       "The specified multipart upload does not exist."),
}
MAX_HEADER_BYTES = 64 * 1024


class Closed(Exception):
    """The peer closed the connection (or sent something that is not HTTP)."""


class Stats:
    def __init__(self, path, seed):
        self.lock = threading.Lock()
        self.path = path
        self.data = {"seed": seed, "requests": 0, "forwarded": 0, "fault_total": 0,
                     "down_total": 0, "faults": {}, "statuses": {}, "counts": {},
                     "tls": False, "tls_connections": 0, "tls_versions": {}, "tls_requests": 0,
                     "tls_handshake_failures": 0}

    def add(self, section, name, n=1):
        with self.lock:
            if section is None:
                self.data[name] = self.data.get(name, 0) + n
            else:
                table = self.data[section]
                table[name] = table.get(name, 0) + n

    def write(self):
        if not self.path:
            return
        with self.lock:
            text = json.dumps(self.data, sort_keys=True, indent=1)
        tmp = "%s.%d.tmp" % (self.path, threading.get_ident())
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.replace(tmp, self.path)


class Plan:
    """Which fault (if any) each request gets: rules, hard-down state, then the seeded draw."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.random = random.Random(args.seed)
        self.rate = args.rate
        self.weights = [(k, w) for k, w in parse_weights(args.weights).items() if w > 0]
        self.rules = []  # [regex, [kinds]]
        for rule in args.rule:
            pattern, _, kinds = rule.rpartition("=")
            kinds = kinds.split(",")
            for kind in kinds:
                if kind not in SCRIPTED_KINDS:
                    sys.exit("fault_proxy: unknown fault kind %r in --rule %r" % (kind, rule))
            self.rules.append([re.compile(pattern), kinds])
        self.down_file = args.down_file
        self.down_after = args.down_after
        self.down_match = re.compile(args.down_match)
        self.down_matched = 0
        self.down = False

    def is_down(self):
        if self.down_file and os.path.exists(self.down_file):
            return True
        with self.lock:
            return self.down

    def choose(self, what):
        """The fault for request `what` ("METHOD TARGET"): (kind, is_down), kind None = pass."""
        if self.is_down():
            with self.lock:
                return self.random.choice(("http503", "reset")), True
        with self.lock:
            for rule in self.rules:
                if rule[1] and rule[0].search(what):
                    kind = rule[1].pop(0)
                    return (None if kind == "pass" else kind), False
            if self.random.random() >= self.rate:
                return None, False
            total = sum(w for _, w in self.weights)
            pick = self.random.uniform(0, total)
            for kind, weight in self.weights:
                pick -= weight
                if pick <= 0:
                    return kind, False
            return self.weights[-1][0], False

    def answered(self, what, status):
        """Notes a forwarded request's status; may switch the proxy hard down."""
        if self.down_after is None or not 200 <= status < 300:
            return
        with self.lock:
            if self.down_match.search(what):
                self.down_matched += 1
                if self.down_matched >= self.down_after:
                    self.down = True

    def draw(self, low, high):
        with self.lock:
            return self.random.randint(low, high)


def parse_weights(text):
    weights = {kind: 1.0 for kind in RANDOM_KINDS}
    for item in filter(None, text.split(",")):
        kind, _, value = item.partition("=")
        if kind not in weights:
            sys.exit("fault_proxy: unknown fault kind %r in --weights" % kind)
        weights[kind] = float(value)
    return weights


class Message:
    """One HTTP message as raw bytes: the head (start line + headers) and the framed body."""

    def __init__(self, head, start, headers):
        self.head = head          # bytes, up to and including the blank line
        self.start = start        # the start line, str
        self.headers = headers    # [(lower-case name, value)]
        self.body = b""           # raw body bytes as framed on the wire (chunked kept)
        self.length = None        # Content-Length, if given

    def header(self, name):
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def chunked(self):
        return "chunked" in (self.header("transfer-encoding") or "").lower()

    def wants_close(self):
        return (self.header("connection") or "").lower() == "close" or \
            self.start.startswith("HTTP/1.0")


def read_head(reader):
    lines = []
    size = 0
    while True:
        line = reader.readline(MAX_HEADER_BYTES + 1)
        if not line:
            if lines:
                raise Closed("connection closed inside a header")
            raise Closed("connection closed")
        size += len(line)
        if size > MAX_HEADER_BYTES:
            raise Closed("header too large")
        if not lines and line in (b"\r\n", b"\n"):
            continue  # tolerated blank lines between messages
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            break
    text = [l.decode("latin-1").rstrip("\r\n") for l in lines]
    headers = []
    for line in text[1:-1]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    message = Message(b"".join(lines), text[0], headers)
    length = message.header("content-length")
    if length is not None and not message.chunked():
        message.length = int(length)
    return message


def read_exact(reader, n):
    data = reader.read(n)
    if len(data) != n:
        raise Closed("connection closed inside a body")
    return data


def read_chunked(reader):
    """The raw bytes of a chunked body, through the last chunk and the trailers."""
    parts = []
    while True:
        line = reader.readline(MAX_HEADER_BYTES)
        if not line:
            raise Closed("connection closed inside a chunked body")
        parts.append(line)
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            while True:
                trailer = reader.readline(MAX_HEADER_BYTES)
                if not trailer:
                    raise Closed("connection closed inside trailers")
                parts.append(trailer)
                if trailer in (b"\r\n", b"\n"):
                    return b"".join(parts)
        parts.append(read_exact(reader, size + 2))


def read_body(reader, message, until_close=False):
    if message.chunked():
        message.body = read_chunked(reader)
    elif message.length is not None:
        message.body = read_exact(reader, message.length)
    elif until_close:
        message.body = reader.read()


def reset(sock):
    """Closes `sock` with a TCP RST instead of an orderly FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


def error_response(kind, method, target):
    status, reason, code, text = ERRORS[kind]
    resource = urllib.parse.urlsplit(target).path
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s'
            '</Message><Resource>%s</Resource><RequestId>fault-proxy</RequestId></Error>'
            % (code, text, resource.replace("&", "&amp;").replace("<", "&lt;"))).encode()
    head = ("HTTP/1.1 %d %s\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n"
            "x-amz-request-id: fault-proxy\r\n\r\n" % (status, reason, len(body))).encode()
    return head if method == "HEAD" else head + body


class Handler(socketserver.BaseRequestHandler):
    """One client connection: requests in order, each forwarded or answered with a fault."""

    def setup(self):
        self.client = self.request
        self.client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = None
        self.upstream = None
        self.upstream_reader = None
        context = self.server.tls_context
        if context is not None:
            stats = self.server.stats
            try:
                self.client.settimeout(30)  # a client that never finishes its handshake
                self.client = context.wrap_socket(self.client, server_side=True)
                self.client.settimeout(None)
            except (ssl.SSLError, OSError) as error:
                stats.add(None, "tls_handshake_failures")
                self.server.log("TLS handshake failed: %s" % error)
                stats.write()
                self.client = None
                return
            stats.add(None, "tls_connections")
            stats.add("tls_versions", self.client.version())
        self.reader = self.client.makefile("rb")

    def finish(self):
        self.close_upstream()
        try:
            if self.reader is not None:
                self.reader.close()
            if self.client is not None and self.client is not self.request:
                self.client.close()  # the TLS socket; the server closes the plain one
        except OSError:
            pass

    def close_upstream(self, abort=False):
        if self.upstream is not None:
            if abort:
                reset(self.upstream)
            else:
                self.upstream.close()
            self.upstream_reader.close()
        self.upstream = None
        self.upstream_reader = None

    def connect_upstream(self):
        if self.upstream is None:
            host, port = self.server.upstream
            self.upstream = socket.create_connection((host, port), timeout=120)
            self.upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.upstream_reader = self.upstream.makefile("rb")

    def handle(self):
        if self.client is None:
            return  # the TLS handshake failed
        try:
            while self.serve_one():
                self.server.stats.write()
        except (Closed, OSError, ValueError, IndexError) as error:
            if str(error) != "connection closed":
                self.server.log("connection ended: %s" % error)
        finally:
            self.server.stats.write()

    def serve_one(self):
        """Serves one request; False when the connection is done."""
        request = read_head(self.reader)
        stats, plan = self.server.stats, self.server.plan
        stats.add(None, "requests")
        if self.client is not self.request:
            stats.add(None, "tls_requests")
        method, target = request.start.split(" ")[:2]
        what = method + " " + target
        kind, down = plan.choose(what)
        if (request.header("expect") or "").lower() == "100-continue" and kind != "reset":
            self.client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if kind == "upload_cut" and not (request.chunked() or request.length):
            kind = "reset"  # nothing to cut
        if kind == "reset":
            self.count_fault(kind, down, what)
            if request.length:
                read_exact(self.reader, plan.draw(0, request.length - 1))
            reset(self.client)
            return False
        if kind == "upload_cut":
            self.count_fault(kind, down, what)
            self.cut_upload(request)
            reset(self.client)
            return False
        read_body(self.reader, request)
        if kind in ERRORS:
            self.count_fault(kind, down, what)
            self.client.sendall(error_response(kind, method, target))
            stats.add("statuses", str(ERRORS[kind][0]))
            return not request.wants_close()
        if kind == "stall":
            self.count_fault(kind, down, what)
            self.client.settimeout(self.server.stall_max_s)
            try:
                while self.client.recv(65536):
                    pass
            except OSError:
                pass
            return False
        response = self.forward(request, method)
        status = int(response.start.split(" ")[1])
        stats.add(None, "forwarded")
        if kind == "response_cut":
            if len(response.body) >= 2 and method != "HEAD":
                self.count_fault(kind, down, what)
                self.client.sendall(response.head + response.body[:len(response.body) // 2])
            else:
                self.count_fault("reply_lost", down, what)
            self.client.close()
            return False
        self.client.sendall(response.head + response.body)
        stats.add("statuses", str(status))
        if 200 <= status < 300:
            for name, pattern in self.server.counts:
                if pattern.search(what):
                    stats.add("counts", name)
        plan.answered(what, status)
        keep = not (request.wants_close() or response.wants_close() or
                    (response.length is None and not response.chunked() and
                     method != "HEAD" and status not in (204, 304)))
        if not keep:
            self.close_upstream()
        return keep

    def count_fault(self, kind, down, what):
        label = ("down_" if down else "") + kind
        self.server.stats.add(None, "down_total" if down else "fault_total")
        self.server.stats.add("faults", label)
        self.server.log("fault %s: %s" % (label, what))

    def cut_upload(self, request):
        """Sends the head and half the body upstream, then aborts that connection."""
        if request.chunked():
            body = read_chunked(self.reader)
            body = body[:len(body) // 2]
        else:
            body = read_exact(self.reader, max(1, request.length // 2))
        self.connect_upstream()
        try:
            self.upstream.sendall(request.head + body)
        except OSError:
            pass
        self.close_upstream(abort=True)

    def forward(self, request, method):
        """Sends `request` upstream and returns the (final) response, body read."""
        for attempt in (0, 1):
            fresh = self.upstream is None
            self.connect_upstream()
            try:
                self.upstream.sendall(request.head + request.body)
                response = read_head(self.upstream_reader)
                break
            except (Closed, OSError):
                self.close_upstream()
                if fresh or attempt == 1:
                    raise  # only a reused, idle-closed connection is worth a second try
        while response.start.split(" ")[1].startswith("1"):
            response = read_head(self.upstream_reader)  # 100 Continue was already sent
        status = int(response.start.split(" ")[1])
        if method != "HEAD" and status not in (204, 304):
            read_body(self.upstream_reader, response, until_close=True)
        return response


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--port", type=int, default=0, help="listen port (0: any free one)")
    parser.add_argument("--port-file", help="file that gets the port once listening")
    parser.add_argument("--stats", help="JSON counts, rewritten after every request")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--rate", type=float, default=0.0, help="share of requests faulted")
    parser.add_argument("--weights", default="",
                        help="kind=weight,... among %s (default 1 each)" % ",".join(RANDOM_KINDS))
    parser.add_argument("--rule", action="append", default=[], help="REGEX=KIND,KIND,...")
    parser.add_argument("--down-file", help="while this file exists every request fails")
    parser.add_argument("--down-after", type=int, default=None,
                        help="go hard down after this many 2xx answers matching --down-match")
    parser.add_argument("--down-match", default=".", help="regex on 'METHOD TARGET'")
    parser.add_argument("--count", action="append", default=[],
                        help="NAME=REGEX: count matching requests answered 2xx")
    parser.add_argument("--stall-max-s", type=float, default=60.0)
    parser.add_argument("--tls-cert", help="listen with TLS: this PEM certificate (chain)")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    parser.add_argument("--log", help="append one line per fault and dropped connection here")
    args = parser.parse_args()

    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme != "http" or upstream.hostname != "127.0.0.1" or not upstream.port:
        sys.exit("fault_proxy: --upstream must be http://127.0.0.1:PORT, not %r" % args.upstream)
    if bool(args.tls_cert) != bool(args.tls_key):
        sys.exit("fault_proxy: --tls-cert and --tls-key go together")
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    if not 0.0 <= args.rate <= 1.0:
        sys.exit("fault_proxy: --rate must be between 0 and 1")
    if args.seed is None:
        args.seed = int(time.time() * 1000) % 1000000
    stats = Stats(args.stats, args.seed)
    stats.data["tls"] = tls_context is not None
    log_file = open(args.log, "a", buffering=1) if args.log else sys.stderr
    log_lock = threading.Lock()

    def log(text):
        with log_lock:
            log_file.write("%.3f %s\n" % (time.time(), text))

    server = Server(("127.0.0.1", args.port), Handler)
    server.upstream = ("127.0.0.1", upstream.port)
    server.stats = stats
    server.plan = Plan(args)
    server.stall_max_s = args.stall_max_s
    server.tls_context = tls_context
    server.log = log
    server.counts = []
    for item in args.count:
        name, _, pattern = item.partition("=")
        server.counts.append((name, re.compile(pattern)))
        stats.data["counts"][name] = 0

    def stop(signum, frame):
        stats.write()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    stats.write()
    port = server.server_address[1]
    log("listening on 127.0.0.1:%d%s, upstream %s, seed %d, rate %.3f"
        % (port, " (TLS)" if tls_context else "", args.upstream, args.seed, args.rate))
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
