"""DolphinDB's client protocol for the tests, written from ../shared/notes/dolphindb-api-protocol.md
(not from Strata's code): requests as the C++, Java and Python APIs send them over plain TCP, a
minimal WebSocket client as the JavaScript API's, and readers of the answers. Only what the tests
need: scalars and vectors of a few types, and table heads."""
import base64
import os
import socket
import struct

INT, LONG, DOUBLE, STRING, BOOL, VOID, ANY = 4, 5, 16, 18, 1, 0, 25


def string_scalar(text):
    return bytes([STRING, 0]) + text.encode() + b"\0"


def bool_scalar(value):
    return bytes([BOOL, 0, 1 if value else 0])


def int_scalar(value):
    return bytes([INT, 0]) + struct.pack("<i", value)


def int_vector(values):
    return bytes([INT, 1]) + struct.pack("<ii", len(values), 1) + struct.pack("<%di" % len(values), *values)


def request(command, session="0", flag=32, fetch_size=None, api="API2", args=b""):
    """A request: the header line, the command text, the argument objects."""
    body = command.encode()
    options = "%d_1_4_64" % flag
    if fetch_size is not None:
        options += "__%d" % fetch_size
    return ("%s %s %d / %s\n" % (api, session, len(body), options)).encode() + body + args


def function(name, args, **kw):
    return request("function\n%s\n%d\n1" % (name, len(args)), args=b"".join(args), **kw)


def script(text, **kw):
    return request("script\n" + text, **kw)


def frame(payload, opcode=2, fin=True, mask=True, rsv=0, length=None, key=None):
    """A client frame (masked with `key`, 4 random bytes by default); `length` may promise more
    (or less) than the payload holds."""
    n = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | rsv << 4 | opcode])
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if not mask:
        return head + payload
    key = key or os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class _Connection:
    """A socket to the server and the bytes read ahead on it."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def close(self):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def read_exact(self, n):
        while len(self.buffer) < n:
            self._fill()
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


class TcpClient(_Connection):
    """A plain-TCP API connection, as the C++ API uses one."""

    def __init__(self, port, timeout=30):
        super().__init__(port, timeout)
        self.session = "0"

    def send(self, data):
        self.sock.sendall(data)

    def read_line(self):
        while b"\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def read_until_nul(self):
        while b"\0" not in self.buffer:
            self._fill()
        text, self.buffer = self.buffer.split(b"\0", 1)
        return text.decode()

    def answer(self):
        """(messages, header words, 'OK' or the error text); the object is left to read."""
        messages = []
        line = self.read_line()
        while line == "MSG":
            messages.append(self.read_until_nul())
            line = self.read_line()
        words = line.split(" ")
        self.session = words[0]
        status = self.read_line()
        return messages, words, status

    def call(self, data):
        self.send(data)
        return self.answer()

    def connect(self):
        messages, words, status = self.call(request("connect\n", flag=32, api="API"))
        assert status == "OK", status
        return words

    def login(self, user="admin", password="123456"):
        return self.call(function("login", [string_scalar(user), string_scalar(password),
                                            bool_scalar(False)], session=self.session))

    def read_scalar(self):
        """A scalar object of the types the tests use."""
        type_id, form = self.read_exact(2)
        assert form == 0, form
        if type_id == INT:
            return struct.unpack("<i", self.read_exact(4))[0]
        if type_id == LONG:
            return struct.unpack("<q", self.read_exact(8))[0]
        if type_id == DOUBLE:
            return struct.unpack("<d", self.read_exact(8))[0]
        if type_id == BOOL:
            return self.read_exact(1)[0] == 1
        if type_id in (STRING, 17):
            return self.read_until_nul()
        raise AssertionError("unexpected scalar type %d" % type_id)

    def read_int_vector(self):
        type_id, form = self.read_exact(2)
        assert (type_id, form) == (INT, 1), (type_id, form)
        rows, cols = struct.unpack("<ii", self.read_exact(8))
        return list(struct.unpack("<%di" % rows, self.read_exact(4 * rows)))

    def read_int_table(self):
        """A table whose columns are INT vectors: (name, {column: values})."""
        type_id, form = self.read_exact(2)
        assert form == 6, form
        rows, cols = struct.unpack("<ii", self.read_exact(8))
        name = self.read_until_nul()
        names = [self.read_until_nul() for _ in range(cols)]
        return name, {n: self.read_int_vector() for n in names}


class WebSocketClient(_Connection):
    """A WebSocket connection as the JavaScript API opens one; frames are masked."""

    def __init__(self, port, timeout=30):
        super().__init__(port, timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n" % (port, key)).encode())
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    frame = staticmethod(frame)

    def send_message(self, payload):
        self.sock.sendall(self.frame(payload))

    def read_message(self):
        """(opcode, payload) of the next frame from the server (which never fragments)."""
        b0, b1 = self.read_exact(2)
        n = b1 & 0x7f
        if n == 126:
            n = struct.unpack(">H", self.read_exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.read_exact(8))[0]
        return b0 & 0x0f, self.read_exact(n)

    def call(self, data):
        """Sends one request; returns (messages, answer payload)."""
        self.send_message(data)
        messages = []
        while True:
            opcode, payload = self.read_message()
            assert opcode == 2, (opcode, payload)
            if payload.startswith(b"MSG\n"):
                messages.append(payload[4:].rstrip(b"\0").decode())
                continue
            return messages, payload
