"""Starts and stops `strata serve` for the server tests (tests/server/README.md).

The server listens on 127.0.0.1 with ports the kernel picks (--port 0, --http-port 0,
--dolphindb-port 0); they are read from its first log lines. It is stopped by the PID this module
started, with SIGTERM, and must exit 0.
"""
import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

PORT_LINE = re.compile(r"MySQL protocol on 127\.0\.0\.1:(\d+)")
HTTP_LINE = re.compile(r"HTTP on 127\.0\.0\.1:(\d+)")
DDB_LINE = re.compile(r"DolphinDB protocol on 127\.0\.0\.1:(\d+)")


def remove_quietly(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class StrataServer:
    def __init__(self, strata, data_dir, *extra_args):
        self.strata = strata
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.process = None
        self.port = None
        self.http_port = None
        self.ddb_port = None
        self.log_path = None

    def start(self, timeout_s=30):
        log = tempfile.NamedTemporaryFile(prefix="strata-serve-", suffix=".log", delete=False)
        self.log_path = log.name
        atexit.register(remove_quietly, self.log_path)  # kept for messages until the test ends
        self.process = subprocess.Popen(
            [self.strata, "serve", "--data", self.data_dir, "--host", "127.0.0.1", "--port", "0",
             "--http-port", "0", "--dolphindb-port", "0"]
            + self.extra_args,
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            log = self.log()
            match = PORT_LINE.search(log)
            if match:
                self.port = int(match.group(1))
                self.http_port = int(HTTP_LINE.search(log).group(1))
                self.ddb_port = int(DDB_LINE.search(log).group(1))
                return self
            if self.process.poll() is not None:
                raise RuntimeError("strata serve exited %d:\n%s" % (self.process.returncode, self.log()))
            time.sleep(0.05)
        self.process.kill()
        raise RuntimeError("strata serve did not start within %d s:\n%s" % (timeout_s, self.log()))

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self, timeout_s=60):
        """SIGTERM, then waits; returns the exit status (the tests expect 0)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError("strata serve did not stop within %d s of SIGTERM:\n%s"
                               % (timeout_s, self.log()))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        status = self.stop()
        remove_quietly(self.log_path)
        if exc[0] is None and status != 0:
            raise RuntimeError("strata serve exited %d on SIGTERM" % status)


class ServerTestCase(unittest.TestCase):
    """A test class with its own server for all its tests, on a fresh data directory. Set
    ServerTestCase.strata to the binary before the tests run; `extra_args` go to strata serve;
    `fill()` may prepare data once. The server must exit 0 on SIGTERM at the end."""
    strata = None
    extra_args = ()

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="strata-%s-" % cls.__name__)
        cls.server = StrataServer(ServerTestCase.strata, os.path.join(cls.scratch, "data"),
                                  *cls.extra_args).start()
        try:
            cls.fill()
        except BaseException:
            cls.server.stop()  # tearDownClass does not run when setUpClass fails
            raise

    @classmethod
    def fill(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        log = cls.server.log()
        shutil.rmtree(cls.scratch, ignore_errors=True)
        if status != 0:
            raise AssertionError("strata serve exited %d on SIGTERM:\n%s" % (status, log))
