#!/usr/bin/env python3
"""`strata serve`'s DolphinDB port over plain TCP, driven byte for byte as the C++, Java and Python
APIs drive it (../shared/notes/dolphindb-api-protocol.md §2.3, §5, §9; checked there against the
official C++ API): connect, then login, isNodeInitialized and version as function requests;
scripts with print output inline (API2) or without (API); asynchronous requests answered with
nothing; a table in blocks for a fetchSize; an upload cut into many small writes; errors that
keep the connection; the RSA login refused with the way out; a malformed request answered,
then the connection closed; and the WebSocket side's errors, which keep its connection.
Usage: ddb_tcp_test.py STRATA"""
import os
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ddb_wire import (TcpClient, WebSocketClient, bool_scalar, function, int_vector, request,  # noqa: E402
                      script, string_scalar)
from strata_server import ServerTestCase  # noqa: E402


class DdbTcpTest(ServerTestCase):
    def client(self):
        c = TcpClient(self.server.ddb_port)
        self.addCleanup(c.close)
        c.connect()
        messages, words, status = c.login()
        self.assertEqual(status, "OK")
        self.assertEqual(words[1], "0", "login answers no object (the C++ API accepts VOID)")
        return c

    def test_what_the_cpp_api_sends_after_connect(self):
        c = TcpClient(self.server.ddb_port)
        self.addCleanup(c.close)
        words = c.connect()
        self.assertEqual(words[1:], ["0", "1"], "a connect without login answers no object")
        self.assertTrue(int(words[0]) > 0, "the session id is a positive number")
        session = words[0]
        messages, words, status = c.login()
        self.assertEqual((words[0], status), (session, "OK"), "one session per connection")
        _, words, status = c.call(function("isNodeInitialized", [], session=session))
        self.assertEqual((words[1], status), ("1", "OK"))
        self.assertIs(c.read_scalar(), True)
        _, words, status = c.call(function("version", [], session=session))
        version = c.read_scalar()
        self.assertRegex(version, r"^\d+\.\d+\.\d+ \d{4}\.\d{2}\.\d{2}$")

    def test_a_script_and_its_print_output(self):
        c = self.client()
        messages, words, status = c.call(script('print("hello")\n1+1', session=c.session))
        self.assertEqual((messages, words[1:], status), (["hello"], ["1", "1"], "OK"))
        self.assertEqual(c.read_scalar(), 2)
        # API (not API2) requests get no MSG blocks.
        messages, words, status = c.call(script('print("quiet")\n3', session=c.session, api="API"))
        self.assertEqual((messages, status), ([], "OK"))
        self.assertEqual(c.read_scalar(), 3)

    def test_asynchronous_requests_get_no_answer(self):
        c = self.client()
        c.send(script("asyncVar = 41", session=c.session, flag=36))
        c.send(script('print("not sent")\nasyncVar = asyncVar + 1', session=c.session, flag=36))
        _, words, status = c.call(script("asyncVar", session=c.session))
        self.assertEqual(status, "OK")
        self.assertEqual(c.read_scalar(), 42, "both asynchronous scripts ran, in order")

    def test_a_table_in_blocks_for_a_fetch_size(self):
        c = self.client()
        _, words, status = c.call(script("table(1..20000 as id)", session=c.session,
                                         fetch_size=8192))
        self.assertEqual((words[1], status), ("1", "OK"))
        type_id, form = c.read_exact(2)
        self.assertEqual((type_id, form), (25, 1), "the head of an ANY vector")
        blocks, _ = struct.unpack("<ii", c.read_exact(8))
        self.assertEqual(blocks, 3)
        ids = []
        for _ in range(blocks):
            ids += c.read_int_table()[1]["id"]
        self.assertEqual(ids, list(range(1, 20001)))
        _, words, status = c.call(script("1+1", session=c.session))
        self.assertEqual(c.read_scalar(), 2, "the connection goes on after the blocks")

    def test_an_upload_in_many_small_writes(self):
        c = self.client()
        values = list(range(300000))
        data = request("variable\nbig\n1\n1", session=c.session, args=int_vector(values))
        for start in range(0, len(data), 7777):
            c.send(data[start:start + 7777])
        _, words, status = c.call(b"")  # the answer to the upload
        self.assertEqual((words[1], status), ("0", "OK"))
        _, words, status = c.call(script("sum(long(big))", session=c.session))
        self.assertEqual(c.read_scalar(), sum(values))

    def test_function_arguments_of_several_types(self):
        c = self.client()
        _, words, status = c.call(function("concat", [string_scalar("ab"), string_scalar("cd")],
                                           session=c.session))
        self.assertEqual((status, c.read_scalar()), ("OK", "abcd"))
        _, words, status = c.call(function("add", [int_vector([1, 2]), int_vector([10, 20])],
                                           session=c.session))
        self.assertEqual((status, c.read_int_vector()), ("OK", [11, 22]))

    def test_errors_keep_the_connection(self):
        c = self.client()
        _, words, status = c.call(script("1 +", session=c.session))
        self.assertEqual(words[1:], ["0", "1"])
        self.assertIn("expected an expression", status)
        _, words, status = c.call(function("nosuch", [], session=c.session))
        self.assertEqual(status, "function 'nosuch' is not defined")
        _, words, status = c.call(function("getDynamicPublicKey", [], session=c.session))
        self.assertIn("enableEncryption=False", status, "the RSA login is refused with the way out")
        _, words, status = c.call(script("2*3", session=c.session))
        self.assertEqual((status, c.read_scalar()), ("OK", 6))

    def test_login_failures_read_alike(self):
        texts = []
        for user, password in (("admin", "wrong"), ("nobody", "123456")):
            c = TcpClient(self.server.ddb_port)
            c.connect()
            _, words, status = c.login(user, password)
            texts.append(status.replace(user, "<user>"))
            c.close()
        self.assertEqual(texts[0], texts[1])
        self.assertIn("the password is wrong", texts[0])
        c = TcpClient(self.server.ddb_port)
        _, words, status = c.call(request("connect\nlogin\nadmin\nx\ntrue", api="API"))
        self.assertIn("no RSA-encrypted login", status, "an encrypted login inside connect")
        c.close()
        deadline = time.time() + 10
        while "login as nobody refused" not in self.server.log():
            self.assertLess(time.time(), deadline, "the log names the refused login")
            time.sleep(0.05)
        self.assertNotIn("wrong", self.server.log(), "no password in the log")

    def test_a_malformed_request_is_answered_then_closed(self):
        c = TcpClient(self.server.ddb_port)
        self.addCleanup(c.close)
        c.connect()
        _, words, status = c.call(b"API2 0 notanumber / 0_1_4_64\n")
        self.assertIn("length", status)
        with self.assertRaises((ConnectionError, OSError)):
            c.call(script("1+1", session=c.session))

    def test_not_the_protocol(self):
        c = TcpClient(self.server.ddb_port)
        self.addCleanup(c.close)
        c.send(b"HELLO there\r\n\r\n")
        self.assertEqual(c.read_line(), "HTTP/1.1 400 Bad Request\r")
        c2 = TcpClient(self.server.ddb_port)
        self.addCleanup(c2.close)
        c2.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(c2.read_line().startswith("HTTP/1.1 400"), "no upgrade: 400")

    def test_websocket_errors_keep_the_connection(self):
        w = WebSocketClient(self.server.ddb_port)
        self.addCleanup(w.close)
        _, answer = w.call(request("connect\nlogin\nadmin\n123456", flag=0))
        self.assertIn(b"\nOK\n", answer)
        session = answer.split(b" ")[0].decode()
        for bad in (b"garbage", b"API2 1 99 / 0\nscript\n1", b"API2 1 8 / 0\nfunction",
                    request("function\nadd\n2\n1", session=session, args=b"\x04\x00\x01")):
            _, answer = w.call(bad)
            self.assertNotIn(b"\nOK\n", answer, bad)
        messages, answer = w.call(script('print("still here")\n1+1', session=session, flag=0))
        self.assertEqual(messages, ["still here"])
        self.assertTrue(answer.endswith(b"OK\n\x04\x00\x02\x00\x00\x00"), answer)
        # A ping is answered with a pong, a close with a close.
        w.sock.sendall(w.frame(b"hi", opcode=9))
        self.assertEqual(w.read_message(), (10, b"hi"))
        w.sock.sendall(w.frame(struct.pack(">H", 1000), opcode=8))
        self.assertEqual(w.read_message(), (8, struct.pack(">H", 1000)))


if __name__ == "__main__":
    ServerTestCase.strata = sys.argv.pop(1)
    unittest.main()
