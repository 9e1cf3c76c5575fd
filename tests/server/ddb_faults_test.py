#!/usr/bin/python3
"""Faults against `strata serve`'s DolphinDB port (docs/dolphindb-clients.md): 100,000 random or
truncated WebSocket frames and DolphinDB requests, a WebSocket message over --max-allowed-packet
and an idle timeout. None may crash the server or disturb a healthy WebSocket connection and a
healthy TCP connection beside them; every request the protocol answers must get one well-formed
answer.

The faults are seeded ($STRATA_FAULT_SEED, 17 by default; printed), so a failure reproduces.
They are counted one per WebSocket frame, WebSocket message or TCP request sent:
  (a) random bytes on a fresh connection, neither a GET nor an API request (or a GET that is not
      an upgrade): answered 400, closed;
  (b) a WebSocket upgrade, then frames among which are invalid or cut ones (unmasked, reserved
      bits, unknown opcodes, control frames that are long or fragmented, fragments out of order,
      lengths promising more than follows, a frame over the size limit): closed with 1002 or
      1009, or, for a cut frame, left waiting until the test ends its side;
  (c) valid framing around random or mutated requests (header lines, lengths, unknown commands,
      function and variable requests with random or cut argument objects, huge counts), many
      per connection: each answered (an error, or OK when valid), the connection goes on;
  (d) plain-TCP requests, answered one by one, then a malformed, random or cut one: a malformed
      one is answered with an error and closed, a cut one waits until the test ends its side.

Two more classes check what this test once found: a few request bytes must not take much
memory (a VOID vector has no payload, a SYMBOL code copies its base string), and a script nested
thousands of levels deep is an error, not a stack overflow.

usage: ddb_faults_test.py STRATA [COUNT]      (default: $STRATA_FAULT_PACKETS or 100,000)
"""
import collections
import errno
import os
import random
import re
import socket
import struct
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ddb_wire  # noqa: E402
from ddb_wire import TcpClient, WebSocketClient, request, script, string_scalar  # noqa: E402
from strata_server import ServerTestCase  # noqa: E402

# 100,000 by default; scripts/test.sh may ask fewer of a slower sanitizer build.
PACKETS = int(os.environ.get("STRATA_FAULT_PACKETS", "100000"))
SEED = int(os.environ.get("STRATA_FAULT_SEED", "17"))
TIMEOUT_S = 20  # every socket: a server that stops answering fails the test, never hangs it
CHECK_EVERY = 300  # faults between two checks of the healthy connections
BIG_CHECK_EVERY = 5000  # faults between two checks with a 200,000-row table
STALLED_MAX = 16  # cut requests left waiting at once, closed oldest first

# DolphinDB type ids (../shared/notes/dolphindb-api-protocol.md §6.2).
VOID, INT, SYMBOL, STRING, FUNCTIONDEF, HANDLE, ANY = 0, 4, 17, 18, 20, 21, 25
SYMBOL_WITH_BASE = 145
WIDTH = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 4, 7: 4, 8: 4, 9: 4, 10: 4, 11: 4, 12: 8, 13: 8, 14: 8,
         15: 4, 16: 8}
# A VOID vector has no payload, so its row count costs the server memory without costing the
# client bytes; the random objects keep it this small (RequestMemoryTest has large ones).
VOID_ROWS_MAX = 1 << 16
HUGE_COUNTS = (1 << 28, (1 << 28) + 1, 0x7fffffff, -1, -0x80000000, 0x40000000, 12345678)


class Incomplete(Exception):
    """The bytes end inside an answer: read more."""


# ---- reading what the server sends


def _need(buf, end):
    if end > len(buf):
        raise Incomplete()


def _text_end(buf, pos):
    end = buf.find(b"\0", pos)
    if end < 0:
        raise Incomplete()
    return end + 1


def skip_object(buf, pos):
    """The end of the serialized object at buf[pos] (protocol note §6); Incomplete when buf ends
    inside it; AssertionError for anything a DolphinDB client could not read."""
    _need(buf, pos + 2)
    type_id, form = buf[pos], buf[pos + 1]
    pos += 2
    if form == 0:
        if type_id == VOID:
            _need(buf, pos + 1)
            return pos + 1
        if type_id in (SYMBOL, STRING, HANDLE):
            return _text_end(buf, pos)
        if type_id == FUNCTIONDEF:
            _need(buf, pos + 1)
            return _text_end(buf, pos + 1)
        assert type_id in WIDTH, "a scalar of type %d" % type_id
        _need(buf, pos + WIDTH[type_id])
        return pos + WIDTH[type_id]
    if form in (1, 2):  # vector, pair
        _need(buf, pos + 8)
        rows, cols = struct.unpack_from("<ii", buf, pos)
        pos += 8
        assert rows >= 0 and cols == 1 and (form == 1 or rows == 2), (type_id, form, rows, cols)
        if type_id == ANY:
            for _ in range(rows):
                pos = skip_object(buf, pos)
            return pos
        if type_id == SYMBOL_WITH_BASE:
            _need(buf, pos + 8)
            _, size = struct.unpack_from("<ii", buf, pos)
            pos += 8
            for _ in range(size):
                pos = _text_end(buf, pos)
            _need(buf, pos + 4 * rows)
            return pos + 4 * rows
        if type_id in (SYMBOL, STRING):
            for _ in range(rows):
                pos = _text_end(buf, pos)
            return pos
        if type_id == VOID:
            return pos
        assert type_id in WIDTH, "a vector of type %d" % type_id
        _need(buf, pos + rows * WIDTH[type_id])
        return pos + rows * WIDTH[type_id]
    if form == 4:  # set: a vector of its keys
        return skip_object(buf, pos)
    if form == 5:  # dictionary: keys, values
        return skip_object(buf, skip_object(buf, pos))
    if form == 6:  # table
        _need(buf, pos + 8)
        rows, cols = struct.unpack_from("<ii", buf, pos)
        pos = _text_end(buf, pos + 8)
        for _ in range(cols):
            pos = _text_end(buf, pos)
        for _ in range(cols):
            pos = skip_object(buf, pos)
        return pos
    raise AssertionError("an object of form %d" % form)


def parse_answer(buf, pos=0):
    """(end, status) of the answer at buf[pos]: MSG blocks, `<session> <0|1> 1`, then OK and its
    object, or an error line. Incomplete when buf ends inside it."""
    while buf.startswith(b"MSG\n", pos):
        pos = _text_end(buf, pos + 4)
    line_end = buf.find(b"\n", pos)
    if line_end < 0:
        raise Incomplete()
    words = buf[pos:line_end].split(b" ")
    assert (len(words) == 3 and words[0].isdigit() and words[1] in (b"0", b"1")
            and words[2] == b"1"), "not an answer's first line: %r" % buf[pos:line_end][:200]
    status_end = buf.find(b"\n", line_end + 1)
    if status_end < 0:
        raise Incomplete()
    status = buf[line_end + 1:status_end]
    pos = status_end + 1
    if status != b"OK":
        assert words[1] == b"0", "an error answer with an object: %r" % buf[:200]
        assert status, "an empty error text"
        return pos, status
    if words[1] == b"1":
        pos = skip_object(buf, pos)
    return pos, status


def read_tcp_answer(client):
    """The status of the next answer on a TcpClient, the whole answer consumed."""
    while True:
        try:
            end, status = parse_answer(client.buffer)
        except Incomplete:
            client._fill()
            continue
        client.buffer = client.buffer[end:]
        return status


def drain(sock):
    """Everything the server sends until it closes (None when it resets the connection)."""
    data = b""
    try:
        while True:
            chunk = sock.recv(1 << 16)
            if not chunk:
                return data
            data += chunk
    except ConnectionResetError:
        return None


def shut_write(sock):
    """Ends the test's side of sock; the server may have reset it already."""
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError as e:
        if e.errno != errno.ENOTCONN:
            raise


def server_frames(data):
    """(opcode, payload) of each whole server frame in data, and the bytes left over."""
    frames, pos = [], 0
    while len(data) - pos >= 2:
        b0, b1 = data[pos], data[pos + 1]
        assert b1 & 0x80 == 0, "a masked frame from the server"
        n, at = b1 & 0x7f, pos + 2
        if n == 126:
            if len(data) - at < 2:
                break
            n, at = struct.unpack_from(">H", data, at)[0], at + 2
        elif n == 127:
            if len(data) - at < 8:
                break
            n, at = struct.unpack_from(">Q", data, at)[0], at + 8
        if len(data) - at < n:
            break
        assert b0 & 0x80, "a fragmented frame from the server"
        frames.append((b0 & 0x0f, data[at:at + n]))
        pos = at + n
    return frames, data[pos:]


# ---- what the test sends


def frame(rng, payload, **kw):
    """A client frame masked with a key from `rng` (ddb_wire.frame)."""
    return ddb_wire.frame(payload, key=rng.randbytes(4), **kw)


def header_line(command, session="0", api="API2", options="0_1_4_64", length=None):
    n = len(command) if length is None else length
    line = "%s %s %d" % (api, session, n)
    if options is not None:
        line += " / " + options
    return line.encode() + b"\n"


def random_options(rng, asynchronous=False):
    flag = rng.choice([0, 0, 1, 32, 2048, 8, 16, 64, 40, rng.randrange(1 << 20)])
    if not asynchronous:
        flag &= ~4
    options = "%d_1_%d_%d" % (flag, rng.randrange(10), rng.choice([1, 2, 64]))
    if rng.random() < 0.1:
        options += "__%d" % rng.choice([0, 1, 3, 8192, rng.randrange(1 << 31)])
    return options


def _number(text):
    """The value of a non-negative decimal field as the server reads one, or None."""
    if not re.fullmatch(rb"-?[0-9]+", text):
        return None
    value = int(text)
    return value if 0 <= value < 1 << 63 else None


def parsed_header(line, max_length):
    """(length, flag) if the server reads `line` (without its LF) as a request line, else None."""
    if line.endswith(b"\r"):
        line = line[:-1]
    words = line.split(b" ")
    if not (len(words) == 3 or (len(words) == 5 and words[3] == b"/")):
        return None
    if words[0] not in (b"API", b"API2") or _number(words[1]) is None:
        return None
    length = _number(words[2])
    if length is None or length > max_length:
        return None
    flag = 0
    if len(words) == 5:
        options = words[4].split(b"_")
        for i in (0, 5):
            if i < len(options) and options[i]:
                value = _number(options[i])
                if value is None:
                    return None
                if i == 0:
                    flag = value
    return length, flag


def random_text(rng, n, alphabet=b"abcxyz_ABC019 +-*/=(),;[]{}`\"'!?<>&|%:\t\n"):
    return bytes(rng.choice(alphabet) for _ in range(n))


def valid_object(rng, depth=0):
    """A well-formed argument object of a type Strata reads."""
    kind = rng.randrange(10 if depth < 2 else 6)
    fixed = rng.choice(list(WIDTH))
    if kind <= 1:  # fixed-width scalar
        return bytes([fixed, 0]) + rng.randbytes(WIDTH[fixed])
    if kind == 2:  # text scalar, or VOID
        if rng.random() < 0.2:
            return bytes([VOID, 0, rng.randrange(3)])
        text = random_text(rng, rng.randrange(12))
        return bytes([rng.choice([STRING, SYMBOL]), 0]) + text + b"\0"
    if kind == 3:  # fixed-width vector
        rows = rng.randrange(20)
        return bytes([fixed, 1]) + struct.pack("<ii", rows, 1) + rng.randbytes(rows * WIDTH[fixed])
    if kind == 4:  # STRING vector, SYMBOL vector with its base, VOID vector
        rows = rng.randrange(10)
        choice = rng.randrange(3)
        if choice == 0:
            return (bytes([STRING, 1]) + struct.pack("<ii", rows, 1) +
                    b"".join(random_text(rng, rng.randrange(6)) + b"\0" for _ in range(rows)))
        if choice == 1:
            base = [b""] + [random_text(rng, rng.randrange(1, 6)) for _ in range(rng.randrange(4))]
            return (bytes([SYMBOL_WITH_BASE, 1]) + struct.pack("<ii", rows, 1) +
                    struct.pack("<ii", rng.randrange(3), len(base)) +
                    b"".join(s + b"\0" for s in base) +
                    b"".join(struct.pack("<i", rng.randrange(len(base))) for _ in range(rows)))
        return bytes([VOID, 1]) + struct.pack("<ii", rows, 1)
    if kind == 5:  # pair
        return bytes([fixed, 2]) + struct.pack("<ii", 2, 1) + rng.randbytes(2 * WIDTH[fixed])
    if kind == 6:  # ANY vector
        items = [valid_object(rng, depth + 1) for _ in range(rng.randrange(4))]
        return bytes([ANY, 1]) + struct.pack("<ii", len(items), 1) + b"".join(items)
    if kind == 7:  # set
        rows = rng.randrange(8)
        return bytes([INT, 4, INT, 1]) + struct.pack("<ii", rows, 1) + rng.randbytes(4 * rows)
    if kind == 8:  # dictionary INT -> DOUBLE
        rows = rng.randrange(8)
        return (bytes([16, 5, INT, 1]) + struct.pack("<ii", rows, 1) + rng.randbytes(4 * rows) +
                bytes([16, 1]) + struct.pack("<ii", rows, 1) + rng.randbytes(8 * rows))
    # table
    rows, cols = rng.randrange(10), rng.randrange(1, 4)
    out = bytes([0, 6]) + struct.pack("<ii", rows, cols) + random_text(rng, 3) + b"\0"
    out += b"".join(b"c%d\0" % c for c in range(cols))
    for _ in range(cols):
        t = rng.choice(list(WIDTH))
        out += bytes([t, 1]) + struct.pack("<ii", rows, 1) + rng.randbytes(rows * WIDTH[t])
    return out


def random_object(rng, depth=0):
    """An argument object that may be malformed: random type and form bytes, huge or negative
    counts, random bodies, too deep, or a valid object cut or with bytes changed."""
    choice = rng.randrange(8)
    if choice == 0:  # random type and form, random body
        type_id = rng.choice([rng.randrange(256), rng.randrange(19), ANY, SYMBOL_WITH_BASE,
                              26, 37, 19, 32])
        form = rng.choice([rng.randrange(256), rng.randrange(12)])
        out = bytes([type_id, form]) + rng.randbytes(rng.randrange(24))
    elif choice == 1:  # a huge or negative count with a short body
        type_id = rng.choice([rng.choice(list(WIDTH)), STRING, SYMBOL_WITH_BASE, ANY, VOID])
        form = rng.choice([1, 1, 2, 4, 6])
        count = rng.choice(HUGE_COUNTS)
        if type_id == VOID and form != 6:
            count = min(count, VOID_ROWS_MAX)
        if form == 6:  # a table: huge rows or columns
            out = bytes([0, 6]) + struct.pack("<ii", count, rng.choice([1, count])) + b"t\0"
        elif form == 4:
            out = bytes([type_id, 4, type_id, 1]) + struct.pack("<ii", count, 1)
        else:
            out = bytes([type_id, form]) + struct.pack("<ii", count, rng.choice([1, 1, 0, 2, -1]))
        if type_id == SYMBOL_WITH_BASE and rng.random() < 0.5:  # a huge symbol base instead
            out = bytes([type_id, 1]) + struct.pack("<iiii", 2, 1, 0, rng.choice(HUGE_COUNTS))
        out += rng.randbytes(rng.randrange(32))
    elif choice == 2:  # nested deeper than the decoder's limit
        levels = rng.choice([31, 33, 40, 200])
        out = (bytes([ANY, 1]) + struct.pack("<ii", 1, 1)) * levels + bytes([INT, 0]) + bytes(4)
    elif choice == 3 and depth < 2:  # an ANY vector of random objects
        items = [random_object(rng, depth + 1) for _ in range(rng.randrange(1, 4))]
        out = bytes([ANY, 1]) + struct.pack("<ii", len(items) + rng.choice([0, 0, 1, -1]), 1)
        out += b"".join(items)
    elif choice == 4:  # a SYMBOL vector whose codes or base id are wrong
        out = (bytes([SYMBOL_WITH_BASE, 1]) + struct.pack("<ii", 2, 1) +
               struct.pack("<ii", rng.randrange(4), rng.choice([0, 1, 2])) + b"\0A\0" +
               struct.pack("<ii", rng.choice([0, 1, 2, -1, 99]), rng.choice([0, 1, 5])))
    else:  # a valid object, mutated
        out = mutate(rng, valid_object(rng, depth))
    if len(out) >= 10 and out[0] == VOID and out[1] == 1:
        rows = struct.unpack_from("<i", out, 2)[0]
        if rows > VOID_ROWS_MAX:
            out = out[:2] + struct.pack("<i", VOID_ROWS_MAX) + out[6:]
    return out


def mutate(rng, data):
    """data cut short, with bytes changed, inserted or dropped; unchanged now and then."""
    data = bytearray(data)
    choice = rng.randrange(5)
    if choice == 0 and data:
        del data[rng.randrange(len(data)):]
    elif choice == 1 and data:
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif choice == 2:
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.randbytes(rng.randrange(1, 5))
    elif choice == 3 and data:
        at = rng.randrange(len(data))
        del data[at:at + rng.randrange(1, 4)]
    return bytes(data)


# Scripts a fault connection may run: small, quick, and none loops or builds anything large.
SCRIPTS = [("1+1", True), ("x = 5", True), ("1 2 3", True), ("`a`b`a", True),
           ("table(1..10 as id, take(`a`b, 10) as s)", True), ('print("hi")\n2', True),
           ("[1.5, NULL]", True), ("1 2 3 + 1", True), ("(1, `a, 2.5)", True),
           ("nosuch(1)", False), ("1 +", False), ("undefinedName", False), ('"unclosed', False)]
FUNCTIONS = ["add", "concat", "size", "sum", "nosuch", "string", "isNodeInitialized", "version",
             "max", "typestr", "fromStdJson", "cast"]


class Request:
    """One request of a fault connection: its bytes, and what its answer must be: "error",
    "ok", or None (either, or none at all when the request is asynchronous)."""

    def __init__(self, data, expect=None):
        self.data = data
        self.expect = expect


def random_request(rng, session, max_length):
    """A random or mutated request for a WebSocket message (its end is the message's end)."""
    kind = rng.randrange(12)
    options = random_options(rng, asynchronous=rng.random() < 0.05)
    if kind == 0:  # a known script
        text, ok = rng.choice(SCRIPTS)
        command = b"script\n" + text.encode()
        return Request(header_line(command, session, options=random_options(rng)) + command,
                       "ok" if ok else "error")
    if kind == 1:  # add of two INT scalars: OK, and their sum
        a, b = rng.randrange(-1000, 1000), rng.randrange(-1000, 1000)
        command = b"function\nadd\n2\n1\n"
        args = bytes([INT, 0]) + struct.pack("<i", a) + bytes([INT, 0]) + struct.pack("<i", b)
        return Request(header_line(command, session) + command + args, ("sum", a + b))
    if kind == 2:  # a random header line
        line = random_text(rng, rng.randrange(60)).replace(b"\n", b" ")
        if rng.random() < 0.5:
            line = rng.choice([b"API2 ", b"API ", b"API2 1 ", b"API2 1 5 / "]) + line
        body = random_text(rng, rng.randrange(20))
        expect = "error" if parsed_header(line, max_length) is None else None
        return Request(line + b"\n" + body, expect)
    if kind == 3:  # a length that is not the command's
        command = b"script\n1+1"
        length = rng.choice([0, 1, len(command) - 1, len(command) + 1, len(command) + 1000,
                             max_length, max_length + 1, rng.randrange(1 << 40)])
        return Request(header_line(command, session, length=length) + command, "error")
    if kind == 4:  # an unknown or empty command
        command = rng.choice([b"", b"\n", b"frobnicate\n1", b"SCRIPT\n1", b"connect\nlogout",
                              b"connect\nlogin\nadmin", b"function\n", b"variable\n\n1\n1",
                              b"function\nadd\nx\n1",
                              b"function\nadd\n1\n0\n" + bytes([INT, 0, 1, 0, 0, 0])])
        return Request(header_line(command, session, options=options) + command, "error")
    if kind == 5:  # huge or negative argument counts
        command = rng.choice([b"function\nadd\n%d\n1\n", b"variable\na,b\n%d\n1\n",
                              b"function\nadd\n%d\n1"]) % rng.choice([1025, 99999999, 1 << 40])
        return Request(header_line(command, session, options=options) + command, "error")
    if kind in (6, 7):  # a function request with random argument objects
        name = rng.choice(FUNCTIONS).encode()
        args = [random_object(rng) if rng.random() < 0.6 else valid_object(rng)
                for _ in range(rng.randrange(4))]
        command = b"function\n%s\n%d\n1\n" % (name, len(args))
        return Request(header_line(command, session, options=options) + command + b"".join(args))
    if kind == 8:  # a variable request with random objects
        args = [random_object(rng) if rng.random() < 0.6 else valid_object(rng)
                for _ in range(rng.randrange(1, 4))]
        names = b",".join(random_text(rng, rng.randrange(1, 6), b"abcxyz_019") for _ in args)
        command = b"variable\n%s\n%d\n1\n" % (names, len(args))
        return Request(header_line(command, session, options=options) + command + b"".join(args))
    if kind == 9:  # a random script
        command = b"script\n" + random_text(rng, rng.randrange(60)).replace(b"\0", b"")
        return Request(header_line(command, session, options=options) + command)
    if kind == 10:  # connect, mostly without a login (a refused login costs a password hash)
        command = rng.choice([b"connect\n", b"connect\n", b"connect\nlogin\nnobody"])
        if rng.random() < 0.002:
            command = b"connect\nlogin\nadmin\nwrong"
        return Request(header_line(command, session, options=options) + command)
    # a valid request, mutated anywhere
    command = b"function\nconcat\n2\n1\n"
    data = header_line(command, session) + command + string_scalar("ab") + string_scalar("cd")
    return Request(mutate(rng, data))


# ---- the tests


class DdbFaultTest(ServerTestCase):
    """Healthy connections and their checks, shared by the fault tests."""
    max_length = 64 << 20

    def open_healthy(self):
        ws = WebSocketClient(self.server.ddb_port, timeout=TIMEOUT_S)
        self.addCleanup(ws.close)
        _, answer = ws.call(request("connect\nlogin\nadmin\n123456", flag=0))
        self.assertIn(b"\nOK\n", answer)
        ws.session = answer.split(b" ")[0].decode()
        tcp = TcpClient(self.server.ddb_port, timeout=TIMEOUT_S)
        self.addCleanup(tcp.close)
        tcp.connect()
        _, _, status = tcp.login()
        self.assertEqual(status, "OK")
        return ws, tcp

    def assert_healthy(self, ws, tcp, big=False):
        self.assertIsNone(self.server.process.poll(), self.server.log())
        _, answer = ws.call(script("1+1", session=ws.session, flag=0))
        self.assertTrue(answer.endswith(b" 1 1\nOK\n\x04\x00\x02\x00\x00\x00"), answer)
        _, _, status = tcp.call(script("1+1", session=tcp.session))
        self.assertEqual((status, tcp.read_scalar()), ("OK", 2))
        if big:
            _, _, status = tcp.call(script("table(1..200000 as id)", session=tcp.session))
            self.assertEqual(status, "OK")
            self.assertEqual(tcp.read_int_table()[1]["id"], list(range(1, 200001)))
            _, answer = ws.call(script("table(1..200000 as id)", session=ws.session, flag=0))
            head = answer.index(b"\nOK\n") + 4
            self.assertEqual(answer[head:head + 10], b"\x00\x06" + struct.pack("<ii", 200000, 1))
            self.assertEqual(skip_object(answer, head), len(answer))


class RandomFaultsTest(DdbFaultTest):
    def setUp(self):
        self.stalled = collections.deque()  # connections holding a cut request
        self.counts = collections.Counter()
        self.fault_ws = None  # the WebSocket connection of the (c) requests, renewed now and then

    def tearDown(self):
        for sock in self.stalled:
            sock.close()
        if self.fault_ws is not None:
            self.fault_ws.close()

    def stall(self, sock):
        """Leaves sock waiting inside a request for a while, then closes it."""
        self.stalled.append(sock)
        if len(self.stalled) > STALLED_MAX:
            self.stalled.popleft().close()

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.server.ddb_port), timeout=TIMEOUT_S)

    def test_random_and_truncated_frames_and_requests(self):
        print("\nseed %d (STRATA_FAULT_SEED), %d faults" % (SEED, PACKETS))
        rng = random.Random(SEED)
        ws, tcp = self.open_healthy()
        sent, checked, big_checked = 0, 0, 0
        start = time.time()
        by_kind = collections.Counter()
        while sent < PACKETS:
            r = rng.random()
            if r < 0.30:
                kind, n = "a", self.random_bytes(rng)
            elif r < 0.56:
                kind, n = "b", self.bad_frames(rng)
            elif r < 0.69:
                if self.fault_ws is None or self.fault_ws.requests > 2000:
                    if self.fault_ws is not None:
                        self.fault_ws.close()
                    self.fault_ws = self.open_fault_websocket()
                kind, n = "c", self.websocket_requests(rng, self.fault_ws, 50)
            else:
                kind, n = "d", self.tcp_requests(rng)
            sent += n
            by_kind[kind] += n
            if sent - checked >= CHECK_EVERY:
                checked = sent
                big = sent - big_checked >= BIG_CHECK_EVERY
                if big:
                    big_checked = sent
                self.assert_healthy(ws, tcp, big)
        self.assert_healthy(ws, tcp, big=True)
        print("sent %d faults in %.1f s: %s; outcomes %s" % (
            sent, time.time() - start, dict(sorted(by_kind.items())),
            dict(sorted(self.counts.items()))))

    # (a)
    def random_bytes(self, rng):
        sock = self.connect()
        try:
            if rng.random() < 0.25:  # a GET that is not a WebSocket upgrade, or a broken one
                upgrade = b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                data = rng.choice([b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                                   upgrade + b"Sec-WebSocket-Version: 12\r\n"
                                   b"Sec-WebSocket-Key: a\r\n\r\n",
                                   upgrade + b"Sec-WebSocket-Version: 13\r\n\r\n",
                                   b"GET " + random_text(rng, 40) + b"\r\n\r\n"])
            else:
                data = rng.randbytes(rng.randrange(4, 200))
                if data[:4] in (b"GET ", b"API ", b"API2"):
                    data = b"X" + data
            sock.sendall(data)
            answer = drain(sock)
            if answer is not None:
                self.assertRegex(answer[:12], rb"^HTTP/1\.1 4\d\d", data)
            self.counts["a"] += 1
        except (BrokenPipeError, ConnectionResetError):
            self.counts["a reset"] += 1
        finally:
            sock.close()
        return 1

    # (b)
    def bad_frames(self, rng):
        """Frames after an upgrade, ending with an invalid or cut one; returns the frames sent."""
        ws = WebSocketClient(self.server.ddb_port, timeout=TIMEOUT_S)
        sock = ws.sock
        sent, expected_close, cut = 0, None, False
        fragmented = False
        try:
            for _ in range(rng.randrange(12)):  # valid frames first
                choice = rng.randrange(4)
                if choice == 0:
                    sock.sendall(frame(rng, rng.randbytes(rng.randrange(126)), opcode=9))
                elif choice == 1 and not fragmented:
                    command = b"script\n1"
                    sock.sendall(frame(rng, header_line(command) + command))
                elif choice == 2 and not fragmented:
                    sock.sendall(frame(rng, b"API2 0 8 / 0\nscr", fin=False))
                    fragmented = True
                elif fragmented:
                    sock.sendall(frame(rng, b"ipt\n1", opcode=0))
                    fragmented = False
                else:
                    sock.sendall(frame(rng, b"", opcode=10))  # an unasked pong: ignored
                sent += 1
            kind = rng.randrange(12)
            payload = rng.randbytes(rng.randrange(40))
            if kind == 0:
                last, expected_close = frame(rng, payload, rsv=rng.randrange(1, 8)), 1002
            elif kind == 1:
                last, expected_close = frame(rng, payload, mask=False), 1002
            elif kind == 2:
                opcode = rng.choice([3, 4, 5, 6, 7, 11, 12, 13, 14, 15])
                last, expected_close = frame(rng, payload, opcode=opcode), 1002
            elif kind == 3:  # a control frame over 125 bytes
                last = frame(rng, rng.randbytes(rng.randrange(126, 300)),
                             opcode=rng.choice([8, 9, 10]))
                expected_close = 1002
            elif kind == 4:  # a fragmented control frame
                last = frame(rng, payload[:10], opcode=rng.choice([9, 10]), fin=False)
                expected_close = 1002
            elif kind == 5:  # a continuation without a message, or a message inside another
                if fragmented:
                    last = frame(rng, payload, opcode=rng.choice([1, 2]))
                else:
                    last = frame(rng, payload, opcode=0, fin=rng.random() < 0.5)
                expected_close = 1002
            elif kind == 6:  # a frame over the size limit
                length = rng.choice([self.max_length + 1, 1 << 40, (1 << 63) + 5])
                last = frame(rng, b"", length=length)
                expected_close = 1009
            elif kind == 7:  # a length promising more than follows
                last = frame(rng, payload, length=len(payload) + rng.randrange(1, 70000))
                cut = True
            elif kind == 8:  # a frame header cut short
                last = frame(rng, payload)[:rng.randrange(1, 6)]
                cut = True
            elif kind == 9:  # random bytes
                last = rng.randbytes(rng.randrange(1, 60))
            elif kind == 10:  # a frame with random first two bytes, masked
                last = (bytes([rng.randrange(256), rng.randrange(256) | 0x80]) +
                        rng.randbytes(rng.randrange(30)))
            else:  # a random request in a valid frame, then a cut one
                last = frame(rng, random_request(rng, "0", self.max_length).data)
                last += frame(rng, payload)[:-1] if payload else b"\x82"
                cut = True
            sock.sendall(last)
            sent += 1
            if rng.random() < 0.3:  # more after the invalid frame: the server may have closed
                sock.sendall(rng.randbytes(rng.randrange(1, 100)))
                sent += 1
                expected_close = None
            if expected_close is None:
                if cut and rng.random() < 0.5:  # the server waits inside the frame
                    self.stall(sock)
                    ws = None
                    return sent
                shut_write(sock)  # the server waits no longer
            data = drain(sock)  # until the server closes
            if data is None:
                self.counts["b reset"] += 1
                return sent
            frames, rest = server_frames(ws.buffer + data)
            self.assertEqual(rest, b"", "a frame cut short by the server")
            for opcode, payload in frames[:-1]:
                self.assertIn(opcode, (2, 10), frames)
            if expected_close is not None:
                self.assertTrue(frames and frames[-1][0] == 8, "no close frame: %r" % frames[-3:])
                code = struct.unpack(">H", frames[-1][1][:2])[0]
                self.assertEqual(code, expected_close, frames[-1])
                self.counts["b close %d" % code] += 1
            else:
                self.counts["b closed"] += 1
        except (BrokenPipeError, ConnectionResetError):
            self.counts["b reset"] += 1
        finally:
            if ws is not None:
                ws.close()
        return sent

    # (c)
    def open_fault_websocket(self):
        ws = WebSocketClient(self.server.ddb_port, timeout=TIMEOUT_S)
        ws.sock.sendall(WebSocketClient.frame(request("connect\nlogin\nadmin\n123456", flag=0)))
        opcode, answer = ws.read_message()
        self.assertIn(b"\nOK\n", answer)
        ws.session = answer.split(b" ")[0].decode()
        ws.requests = 0
        return ws

    def websocket_requests(self, rng, ws, count):
        """count random requests, each in valid framing and followed by a ping: each is
        answered once (or, asynchronous, not at all) before the pong."""
        for i in range(count):
            req = random_request(rng, ws.session, self.max_length)
            message = req.data
            opcode = 1 if rng.random() < 0.05 else 2
            out = b""
            if rng.random() < 0.15 and len(message) > 1:  # in fragments, with a ping between
                pieces = min(len(message) - 1, rng.randrange(1, 4))
                cuts = sorted(rng.sample(range(1, len(message)), pieces))
                parts = [message[a:b] for a, b in zip([0] + cuts, cuts + [len(message)])]
                for j, part in enumerate(parts):
                    out += frame(rng, part, opcode=opcode if j == 0 else 0, fin=j == len(parts) - 1)
                    if rng.random() < 0.3:
                        out += frame(rng, b"between", opcode=9)
            else:
                out += frame(rng, message, opcode=opcode)
            tag = b"after %d" % ws.requests
            out += frame(rng, tag, opcode=9)
            ws.sock.sendall(out)
            ws.requests += 1
            answers = []
            while True:
                opcode, payload = ws.read_message()
                if opcode == 10:
                    if payload == tag:
                        break
                    self.assertEqual(payload, b"between")
                    continue
                self.assertEqual(opcode, 2, payload[:200])
                if payload.startswith(b"MSG\n"):
                    self.assertTrue(payload.endswith(b"\0"), payload)
                    continue
                end, status = parse_answer(payload)
                self.assertEqual(end, len(payload), payload[:200])
                answers.append((status, payload))
            self.check_answers(req, answers)
        return count

    def check_answers(self, req, answers):
        line = req.data.split(b"\n", 1)[0]
        header = parsed_header(line, self.max_length)
        asynchronous = header is not None and header[1] & 4
        if not answers:
            self.assertTrue(asynchronous, "no answer to %r" % req.data[:200])
            self.counts["c async"] += 1
            return
        self.assertEqual(len(answers), 1, req.data[:200])
        status, payload = answers[0]
        self.counts["c ok" if status == b"OK" else "c error"] += 1
        if req.expect == "error":
            self.assertNotEqual(status, b"OK", req.data[:200])
        elif req.expect == "ok":
            self.assertEqual(status, b"OK", req.data[:200])
        elif isinstance(req.expect, tuple):
            self.assertEqual(status, b"OK", req.data[:200])
            int_sum = bytes([INT, 0]) + struct.pack("<i", req.expect[1])
            self.assertTrue(payload.endswith(int_sum), payload)

    # (d)
    def tcp_requests(self, rng):
        """Requests over TCP answered one by one, then a malformed, random or cut one."""
        c = TcpClient(self.server.ddb_port, timeout=TIMEOUT_S)
        sent = 0
        try:
            for _ in range(rng.randrange(16)):  # well-formed: each answered, the connection goes on
                req = self.tcp_good_request(rng, c.session)
                c.send(req.data)
                sent += 1
                status = read_tcp_answer(c)
                if req.expect == "error":
                    self.assertNotEqual(status, b"OK", req.data[:200])
                elif req.expect == "ok":
                    self.assertEqual(status, b"OK", req.data[:200])
                self.counts["d answered"] += 1
            data, expect = self.tcp_bad_request(rng, c.session, first=sent == 0)
            c.send(data)
            sent += 1
            if expect == "cut" and rng.random() < 0.5:
                self.stall(c.sock)  # it waits; closed later
                c = None
                self.counts["d cut, left waiting"] += 1
                return sent
            shut_write(c.sock)
            rest = drain(c.sock)
            if rest is None:
                self.counts["d reset"] += 1
                return sent
            buf, answers = c.buffer + rest, []
            if expect == "http":
                self.assertTrue(buf.startswith(b"HTTP/1.1 400"), buf[:100])
                return sent
            pos = 0
            while pos < len(buf):
                try:
                    pos, status = parse_answer(buf, pos)
                except Incomplete:
                    self.fail("an answer cut short: %r after %r" % (buf[pos:pos + 200], data[:200]))
                answers.append(status)
            if expect == "error":
                self.assertEqual(len(answers), 1, (answers, data[:200]))
                self.assertNotEqual(answers[0], b"OK", data[:200])
            elif expect == "cut":
                self.assertEqual(answers, [], data[:200])
            self.counts["d %s" % expect] += 1
        except (BrokenPipeError, ConnectionResetError):
            self.counts["d reset"] += 1
        finally:
            if c is not None:
                c.close()
        return sent

    def tcp_good_request(self, rng, session):
        kind = rng.randrange(4)
        if kind == 0:
            text, ok = rng.choice(SCRIPTS)
            command = b"script\n" + text.encode()
            return Request(header_line(command, session, options=random_options(rng)) + command,
                           "ok" if ok else "error")
        if kind == 1:  # an unknown function with well-formed arguments
            args = [valid_object(rng) for _ in range(rng.randrange(4))]
            command = b"function\nnosuch\n%d\n1" % len(args)
            return Request(header_line(command, session, options="32_1_4_64") + command +
                           b"".join(args), "error")
        if kind == 2:  # an upload of well-formed objects
            args = [valid_object(rng) for _ in range(rng.randrange(1, 4))]
            names = b",".join(b"v%d" % i for i in range(len(args)))
            command = b"variable\n%s\n%d\n1" % (names, len(args))
            return Request(header_line(command, session, options="32_1_4_64") + command +
                           b"".join(args))
        name = rng.choice(FUNCTIONS).encode()  # a builtin with well-formed arguments
        args = [valid_object(rng) for _ in range(rng.randrange(3))]
        command = b"function\n%s\n%d\n1" % (name, len(args))
        return Request(header_line(command, session, options=random_options(rng)) + command +
                       b"".join(args))

    def tcp_bad_request(self, rng, session, first):
        """(bytes, what follows): "error" (answered, then closed), "cut" (no answer), "http"
        (the first bytes are not a request), or None (any answers, then closed)."""
        kind = rng.randrange(7)
        if kind == 0:  # a header line that does not parse, or does
            line = random_text(rng, rng.randrange(50)).replace(b"\n", b" ")
            if first or rng.random() < 0.5:
                line = rng.choice([b"API2 ", b"API ", b"API2 1 "]) + line
            parsed = parsed_header(line, self.max_length)
            return line + b"\n", "error" if parsed is None else None
        if kind == 1:  # an unknown command, or counts above the limit
            command = rng.choice([b"frobnicate\n1", b"function\nadd\n1025\n1", b"variable\na\n2\n1",
                                  b"function\n\n0\n1", b"function\nadd\n1\n0"])
            return header_line(command, session) + command, "error"
        if kind == 2:  # a command shorter than its header says
            command = b"script\n1+1"
            length = len(command) + rng.randrange(1, 5000)
            return header_line(command, session, length=length) + command, "cut"
        if kind == 3:  # a valid argument cut short
            arg = valid_object(rng)
            command = b"function\nnosuch\n1\n1"
            return header_line(command, session) + command + arg[:rng.randrange(len(arg))], "cut"
        if kind in (4, 5):  # random argument objects
            args = [random_object(rng) for _ in range(rng.randrange(1, 4))]
            command = b"function\n%s\n%d\n1" % (rng.choice(FUNCTIONS).encode(), len(args))
            return header_line(command, session) + command + b"".join(args), None
        data = rng.randbytes(rng.randrange(1, 100))  # random bytes
        if first:
            if data[:4] in (b"API ", b"API2", b"GET "):
                data = b"X" + data
            return data + b"\n", "http" if len(data) >= 3 else None
        return data, None


class OversizedMessageTest(DdbFaultTest):
    """A request of exactly --max-allowed-packet is read; one byte more is refused: over
    WebSocket with close code 1009 (in one frame, or in two under the limit each), over TCP
    with an error, then the connection is closed."""
    extra_args = ("--max-allowed-packet", "1048576")
    max_length = 1048576

    def test_a_message_over_max_allowed_packet_is_closed_with_1009(self):
        healthy_ws, healthy_tcp = self.open_healthy()
        rng = random.Random(SEED)
        # A message of exactly the limit is read.
        w = self.open_session()
        command = b"variable\ns\n1\n1\n"
        head = header_line(command, w.session)
        length = self.max_length - len(head) - len(command) - 3
        message = head + command + string_scalar("x" * length)
        self.assertEqual(len(message), self.max_length)
        w.sock.sendall(frame(rng, message))
        _, answer = w.read_message()
        self.assertTrue(answer.endswith(b" 0 1\nOK\n"), answer[:200])
        _, answer = w.call(script("s", session=w.session, flag=0))
        self.assertTrue(answer.endswith(b" 1 1\nOK\n" + string_scalar("x" * length)), answer[:100])
        # One byte more, in one frame: refused at the frame's header.
        w.sock.sendall(frame(rng, b"", length=self.max_length + 1))
        self.assert_closed_with(w, 1009)
        # One byte more, in two frames each under the limit.
        w = self.open_session()
        half = (len(message) + 1) // 2
        w.sock.sendall(frame(rng, message[:half], fin=False) +
                       frame(rng, message[half:] + b"x", opcode=0))
        self.assert_closed_with(w, 1009)
        # Over TCP: an upload one byte over the limit is answered with the error, then closed.
        c = TcpClient(self.server.ddb_port, timeout=TIMEOUT_S)
        self.addCleanup(c.close)
        command = b"variable\nbig\n1\n1"
        rows = self.max_length // 4
        c.send(header_line(command, options="32_1_4_64") + command + bytes([INT, 1]) +
               struct.pack("<ii", rows, 1) + bytes(self.max_length + 1 - 10))
        status = read_tcp_answer(c)
        self.assertIn(b"max-allowed-packet", status)
        self.assertEqual(drain(c.sock), b"")
        self.assert_healthy(healthy_ws, healthy_tcp, big=True)

    def open_session(self):
        w = WebSocketClient(self.server.ddb_port, timeout=TIMEOUT_S)
        self.addCleanup(w.close)
        _, answer = w.call(request("connect\n", flag=0))
        w.session = answer.split(b" ")[0].decode()
        return w

    def assert_closed_with(self, w, code):
        opcode, payload = w.read_message()
        self.assertEqual((opcode, struct.unpack(">H", payload[:2])[0]), (8, code), payload)
        self.assertIn(b"limit", payload)
        self.assertIn(drain(w.sock), (b"", None))


class IdleTimeoutTest(DdbFaultTest):
    """Connections silent for --idle-timeout are closed; one that keeps asking is not."""
    extra_args = ("--idle-timeout", "2")

    def test_idle_connections_are_closed(self):
        ws, tcp = self.open_healthy()
        idle_ws, idle_tcp = self.open_healthy()
        start = time.time()
        closed_after = {}
        for name, sock in (("ws", idle_ws.sock), ("tcp", idle_tcp.sock)):
            sock.settimeout(0.1)
        while len(closed_after) < 2 and time.time() - start < 10:
            _, answer = ws.call(script("1+1", session=ws.session, flag=0))  # busy: not idle
            self.assertIn(b"\nOK\n", answer)
            for name, sock in (("ws", idle_ws.sock), ("tcp", idle_tcp.sock)):
                if name in closed_after:
                    continue
                try:
                    if sock.recv(100) == b"":
                        closed_after[name] = time.time() - start
                except socket.timeout:
                    pass
                except ConnectionResetError:
                    closed_after[name] = time.time() - start
            time.sleep(0.2)
        self.assertEqual(sorted(closed_after), ["tcp", "ws"], closed_after)
        for name, seconds in closed_after.items():
            self.assertGreater(seconds, 1.5, closed_after)
            self.assertLess(seconds, 5, closed_after)
        self.assertIn("timed out", self.server.log())
        # tcp was silent as long as the idle ones but is asked only now: it was closed too.
        with self.assertRaises((ConnectionError, OSError)):
            tcp.call(script("1+1", session=tcp.session))
        _, answer = ws.call(script("1+1", session=ws.session, flag=0))
        self.assertIn(b"\nOK\n", answer)


class OwnServerTest(DdbFaultTest):
    """Each of these classes has a server of its own: a regression may crash it."""
    extra_args = ("--max-allowed-packet", "1048576")

    def answer(self, data):
        """The status of the answer to one request on a fresh TCP connection."""
        c = TcpClient(self.server.ddb_port, timeout=60)
        try:
            c.send(data)
            return read_tcp_answer(c)
        except (ConnectionError, OSError) as e:
            try:
                self.server.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass  # alive: the connection alone was closed
            self.fail("no answer (%r); the server's exit status: %s; the log ends:\n%s"
                      % (e, self.server.process.poll(), self.server.log()[-300:]))
        finally:
            c.close()


class RequestMemoryTest(OwnServerTest):
    """Requests of a few bytes must not cost the server far more memory than they hold. The sizes
    here stay harmless to this machine; a few times more of each (a VOID vector inside a tuple
    of 100, a dictionary of 2^28 VOID rows: 61 bytes) is gigabytes, the server's end."""

    def peak_rss_mib(self, reset=False):
        """The server's VmHWM; reset=True starts it again from the current RSS."""
        if reset:
            with open("/proc/%d/clear_refs" % self.server.process.pid, "w") as f:
                f.write("5")
        with open("/proc/%d/status" % self.server.process.pid) as f:
            return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) / 1024

    def test_small_requests_cost_little_memory(self):
        command = b"function\nsize\n1\n1"
        cases = {
            # a VOID vector of 2^28 rows: 10 bytes, a 256 MiB column
            "void vector": bytes([VOID, 1]) + struct.pack("<ii", 1 << 28, 1),
            # a dictionary of VOID keys and values, 2^21 rows each: 22 bytes, ~230 bytes a row
            "void dictionary":
                bytes([VOID, 5]) + (bytes([VOID, 1]) + struct.pack("<ii", 1 << 21, 1)) * 2,
            # a symbol base of one 256 KiB string and 1000 codes: 260 KiB, 250 MiB of strings
            "symbol base":
                bytes([SYMBOL_WITH_BASE, 1]) + struct.pack("<iiii", 1000, 1, 0, 2) + b"\0" +
                b"x" * (256 << 10) + b"\0" + struct.pack("<i", 1) * 1000,
        }
        grown_mib = {}
        for name, arg in cases.items():
            before = self.peak_rss_mib(reset=True)
            self.answer(header_line(command, options="32_1_4_64") + command + arg)
            grown_mib["%s (%d bytes)" % (name, len(arg))] = round(self.peak_rss_mib() - before)
        self.assertLess(max(grown_mib.values()), 64,
                        "the server's peak RSS grew by MiB: %s" % grown_mib)


class DeepScriptTest(OwnServerTest):
    """A script nested thousands of levels deep (10 KB) must be an error, not a stack overflow."""

    def test_deeply_nested_script_is_an_error(self):
        for text in ("(" * 5000 + "1" + ")" * 5000, "1+" * 5000 + "1", "[" * 5000,
                     "-" * 5000 + "1"):
            command = b"script\n" + text.encode()
            status = self.answer(header_line(command) + command)
            self.assertNotEqual(status, b"OK")


if __name__ == "__main__":
    ServerTestCase.strata = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        PACKETS = int(sys.argv.pop(1))
    unittest.main(verbosity=2)
