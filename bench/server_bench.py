#!/usr/bin/python3
"""The measurements of bench/server_bench.sh against a running-from-scratch `strata serve`.

usage: server_bench.py STRATA_BINARY DATA_DIR WORK_DIR [--seconds S] [--reps N] [--perf]

DATA_DIR must already hold (server_bench.sh makes them with `strata run` / `strata sql` before
any server holds the directory's lock):
  bench.pt     the ~256 MiB database that is backed up (bench/bench_db.sh)
  aux.small    10,000 rows (k INT, v VARCHAR) for the point selects
  aux.big      1,000,000 rows for the streamed SELECT
Every section starts its own server (127.0.0.1, --port 0 --http-port 0) and stops it by its PID
with SIGTERM, so each one's VmHWM is its own. Clients are separate processes (multiprocessing,
fork), one connection each, so the GIL does not cap the rate.
"""
import argparse
import datetime
import json
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import pymysql
import pymysql.cursors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "server"))
from strata_server import StrataServer  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CLIENTS = 16


def connect(port, database=None, cursorclass=pymysql.cursors.Cursor):
    return pymysql.connect(host="127.0.0.1", port=port, user="admin", password="123456",
                           database=database, cursorclass=cursorclass)


def proc_status(pid):
    """VmRSS, VmHWM (MiB) and Threads of a process."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024.0
            elif key == "Threads":
                out[key] = int(value)
    return out


def proc_cpu(pid):
    """utime + stime of a process, seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu():
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def worker(port, kind, start_at, seconds, stop, results, number, nice=0):
    """One client process: one connection, statements back to back from start_at until
    start_at + seconds or until stop is set. Puts (count, errors, client CPU s)."""
    try:
        if nice:
            os.nice(nice)
        c = connect(port)
        cur = c.cursor()
        cur.execute("SELECT 1")
        cur.fetchall()
        key = (number * 7919) % 10000
        while time.time() < start_at:
            time.sleep(0.001)
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        end = start_at + seconds
        count = 0
        errors = 0
        while not stop.is_set():
            if kind == "select1":
                cur.execute("SELECT 1")
                if cur.fetchall()[0][0] != 1:
                    errors += 1
            else:
                key = (key + 7) % 10000
                cur.execute("SELECT v FROM aux.small WHERE k = %d" % key)
                if len(cur.fetchall()) != 1:
                    errors += 1
            count += 1
            if count % 16 == 0 and time.time() >= end:
                break
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
        c.close()
        results.put((count, errors, cpu, None))
    except Exception as e:  # noqa: BLE001 - reported
        results.put((0, 1, 0.0, repr(e)))


class Load:
    """CLIENTS worker processes running `kind` from start_at for seconds (or until stop())."""

    def __init__(self, port, kind, seconds, delay=1.5, nice=0):
        self.stop_event = mp.Event()
        self.results = mp.Queue()
        self.start_at = time.time() + delay
        self.seconds = seconds
        self.procs = [mp.Process(target=worker, args=(port, kind, self.start_at, seconds,
                                                      self.stop_event, self.results, n, nice))
                      for n in range(CLIENTS)]
        for p in self.procs:
            p.start()

    def wait_start(self):
        time.sleep(max(0.0, self.start_at - time.time()))

    def stop(self):
        self.stop_event.set()

    def join(self):
        out = [self.results.get(timeout=120) for _ in self.procs]
        for p in self.procs:
            p.join()
        return out


def measure_throughput(server, kind, seconds, perf_out=None):
    pid = server.process.pid
    load = Load(server.port, kind, seconds)
    load.wait_start()
    cpu0, m0, t0 = proc_cpu(pid), machine_cpu(), time.time()
    perf = None
    if perf_out:
        # Profiles the middle of the run: -g call graphs of the server for 4 s.
        time.sleep(2)
        perf = subprocess.Popen(["perf", "record", "-g", "-F", "999", "-o", perf_out, "-p", str(pid),
                                 "--", "sleep", "4"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    cpu1, m1, t1 = proc_cpu(pid), machine_cpu(), time.time()
    results = load.join()
    if perf:
        perf.wait()
    count = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    messages = [r[3] for r in results if r[3]]
    client_cpu = sum(r[2] for r in results)
    wall = t1 - t0
    return {
        "kind": kind, "statements": count, "rate": count / seconds, "errors": errors,
        "messages": messages, "server_cpu": cpu1 - cpu0, "client_cpu": client_cpu, "wall": wall,
        "machine_busy": (m1[0] - m0[0]) / max(1, m1[1] - m0[1]),
    }


def show_state(cur, label):
    cur.execute("SHOW BACKUP FROM bench")
    rows = cur.fetchall()
    for row in reversed(rows):
        if row[1] == label:
            return row[3]
    return None


class Backups:
    def __init__(self, server, work):
        self.server = server
        self.work = work
        self.n = 0
        self.conn = connect(server.port)
        self.cur = self.conn.cursor()

    def submit(self):
        """A fresh repository and a fresh label: a full backup. Returns (label, submit time)."""
        self.n += 1
        n = self.n
        location = os.path.join(self.work, "repo.%d" % n)
        shutil.rmtree(location, ignore_errors=True)
        self.cur.execute("CREATE REPOSITORY r%d WITH LOCAL ON LOCATION 'file://%s'" % (n, location))
        label = "s%d" % n
        t0 = time.perf_counter()
        self.cur.execute("BACKUP SNAPSHOT bench.%s TO r%d" % (label, n))
        return label, t0

    def wait(self, label, t0, poll_s, latencies=None):
        """Polls SHOW BACKUP FROM bench every poll_s (0: back to back) until the job is FINISHED;
        returns seconds from submission. Records each SHOW BACKUP's latency when asked."""
        while True:
            s = time.perf_counter()
            state = show_state(self.cur, label)
            e = time.perf_counter()
            if latencies is not None:
                latencies.append(e - s)
            if state == "FINISHED":
                return e - t0
            if state == "CANCELLED":
                raise RuntimeError("backup %s was cancelled:\n%s" % (label, self.server.log()))
            if e - t0 > 600:
                raise RuntimeError("backup %s not finished after 600 s" % label)
            if poll_s:
                time.sleep(poll_s)

    def job_seconds(self, label):
        """The job's own start-to-end time from GET /api/jobs (ISO 8601 times), or None."""
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/api/jobs" % self.server.http_port,
                                        timeout=10) as r:
                jobs = json.load(r)
            for job in reversed(jobs):
                if job.get("label", "").startswith("BACKUP SNAPSHOT %s " % label) and job.get("end"):
                    def parse(t):
                        return datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
                    return (parse(job["end"]) - parse(job["start"])).total_seconds()
        except Exception:  # noqa: BLE001 - a diagnostic only
            return None
        return None

    def clean(self):
        self.cur.execute("DROP REPOSITORY r%d" % self.n)
        shutil.rmtree(os.path.join(self.work, "repo.%d" % self.n), ignore_errors=True)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("strata")
    parser.add_argument("data")
    parser.add_argument("work")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--perf", action="store_true")
    args = parser.parse_args()
    mp.set_start_method("fork")
    out = []

    def report(line=""):
        print(line, flush=True)
        out.append(line)

    def server():
        return StrataServer(args.strata, args.data).start()

    with open("/proc/loadavg") as f:
        load_start = " ".join(f.read().split()[:3])
    report("machine: nproc %d, load average at start %s, %s" % (
        os.cpu_count(), load_start, subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip()))

    # 4. Memory with 200 idle connections (first, on a fresh server).
    s = server()
    try:
        time.sleep(0.5)
        before = proc_status(s.process.pid)
        conns = [connect(s.port) for _ in range(200)]
        for c in conns[:1]:
            c.cursor().execute("SELECT 1")
        time.sleep(1.0)
        idle = proc_status(s.process.pid)
        for c in conns:
            c.close()
    finally:
        s.stop()
    report("4. 200 idle connections: VmRSS %.1f MiB before, %.1f MiB with them (VmHWM %.1f MiB), "
           "threads %d -> %d" % (before["VmRSS"], idle["VmRSS"], idle["VmHWM"], before["Threads"],
                                  idle["Threads"]))

    # 1. Statements per second, 16 processes x 1 connection.
    s = server()
    try:
        tp = []
        for kind in ("select1", "point"):
            r = measure_throughput(s, kind, args.seconds)
            tp.append(r)
            report("1. %-7s %d clients x %.0f s: %d statements = %.0f/s, %d errors; server CPU %.1f s "
                   "(%.2f cores), clients CPU %.1f s (%.2f cores), machine busy %.0f%%"
                   % (kind, CLIENTS, args.seconds, r["statements"], r["rate"], r["errors"],
                      r["server_cpu"], r["server_cpu"] / r["wall"], r["client_cpu"],
                      r["client_cpu"] / r["wall"], 100 * r["machine_busy"]))
            for m in r["messages"][:3]:
                report("   error: " + m)
        if args.perf and shutil.which("perf"):
            for kind in ("select1", "point"):
                perf_data = os.path.join(args.work, "perf.%s.data" % kind)
                r = measure_throughput(s, kind, 8, perf_out=perf_data)
                report("   (profiled run, not counted: %.0f %s/s with perf record -g on the server)"
                       % (r["rate"], kind))
    finally:
        s.stop()

    # 2 and 3. Backups of bench (~256 MiB), each a fresh label into a fresh repository.
    s = server()
    try:
        b = Backups(s, args.work)
        # Warm the page cache with one backup that is not counted.
        label, t0 = b.submit()
        warm = b.wait(label, t0, 0.02)
        b.clean()
        report("   warm-up backup (not counted): %.2f s" % warm)
        latencies, latency_backups = [], []
        for _ in range(args.reps):
            label, t0 = b.submit()
            latency_backups.append(b.wait(label, t0, 0, latencies))
            b.clean()
        report("2. SHOW BACKUP FROM bench polled back to back during %d backups (%s s): %d samples, "
               "p50 %.2f ms, p99 %.2f ms, max %.2f ms"
               % (args.reps, ", ".join("%.2f" % x for x in latency_backups), len(latencies),
                  1000 * percentile(latencies, 0.5), 1000 * percentile(latencies, 0.99),
                  1000 * max(latencies)))
        quiet, loaded, load_rates = [], [], []
        quiet_jobs, loaded_jobs, loaded_polls = [], [], []
        niced, niced_rates = [], []
        for _ in range(args.reps):
            label, t0 = b.submit()
            quiet.append(b.wait(label, t0, 0.02))
            quiet_jobs.append(b.job_seconds(label))
            b.clean()
            load = Load(s.port, "select1", 3600)
            load.wait_start()
            time.sleep(1.0)  # the load is in full swing
            label, t0 = b.submit()
            loaded.append(b.wait(label, t0, 0.02, loaded_polls))
            c1 = time.time()
            loaded_jobs.append(b.job_seconds(label))
            load.stop()
            results = load.join()
            # Statements of the whole load run over its whole time (approximate: it ran ~1 s
            # before the backup and until the backup ended).
            load_rates.append(sum(r[0] for r in results) / (c1 - load.start_at))
            b.clean()
            # Diagnostic: the same load from client processes at nice 19, so that the server's
            # threads (backup workers included) come first for the 2 cores.
            load = Load(s.port, "select1", 3600, nice=19)
            load.wait_start()
            time.sleep(1.0)
            label, t0 = b.submit()
            niced.append(b.wait(label, t0, 0.02))
            c1 = time.time()
            load.stop()
            results = load.join()
            niced_rates.append(sum(r[0] for r in results) / (c1 - load.start_at))
            b.clean()
        qm, lm = statistics.median(quiet), statistics.median(loaded)
        report("3. backup without load %s s (median %.2f), with 16-client SELECT 1 load %s s "
               "(median %.2f): %.2fx; load meanwhile ~%s statements/s"
               % (", ".join("%.2f" % x for x in quiet), qm, ", ".join("%.2f" % x for x in loaded),
                  lm, lm / qm, ", ".join("%.0f" % x for x in load_rates)))

        def fmt(xs):
            return ", ".join("?" if x is None else "%.3f" % x for x in xs)
        report("   diagnostic: with the same load from clients at nice 19 %s s (median %.2f): %.2fx; "
               "load meanwhile ~%s statements/s"
               % (", ".join("%.2f" % x for x in niced), statistics.median(niced),
                  statistics.median(niced) / qm, ", ".join("%.0f" % x for x in niced_rates)))
        report("   the jobs' own start-to-end times (/api/jobs): without load %s s, with load %s s; "
               "SHOW BACKUP under load p50 %.1f ms, max %.1f ms"
               % (fmt(quiet_jobs), fmt(loaded_jobs), 1000 * percentile(loaded_polls, 0.5),
                  1000 * max(loaded_polls)))
        b.conn.close()
    finally:
        s.stop()

    # 5. 1 M rows streamed to an unbuffered cursor.
    s = server()
    try:
        time.sleep(0.5)
        before = proc_status(s.process.pid)
        peak = [0.0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], proc_status(s.process.pid)["VmRSS"])
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        c = connect(s.port, cursorclass=pymysql.cursors.SSCursor)
        cur = c.cursor()
        cpu0 = proc_cpu(s.process.pid)
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        sampler.start()
        t0 = time.perf_counter()
        cur.execute("SELECT ID, date, x, y FROM aux.big")
        first = None
        rows = 0
        for _ in cur:
            if rows == 0:
                first = time.perf_counter() - t0
            rows += 1
        elapsed = time.perf_counter() - t0
        done.set()
        sampler.join()
        server_cpu = proc_cpu(s.process.pid) - cpu0
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
        after = proc_status(s.process.pid)
        c.close()
        # The same SELECT read by a C client (mariadb-client's mysql --quick: mysql_use_result,
        # row by row), to tell the server's rate from PyMySQL's.
        cli = None
        if shutil.which("mysql"):
            t1 = time.perf_counter()
            cpu_cli0 = proc_cpu(s.process.pid)
            p = subprocess.run(["mysql", "--quick", "--batch", "--skip-column-names", "-h", "127.0.0.1",
                                "-P", str(s.port), "-u", "admin", "-p123456", "-e",
                                "SELECT ID, date, x, y FROM aux.big"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            cli_s = time.perf_counter() - t1
            cli_rows = p.stdout.count(b"\n")
            cli = (cli_rows, cli_s, proc_status(s.process.pid)["VmHWM"],
                   proc_cpu(s.process.pid) - cpu_cli0)
    finally:
        s.stop()
    report("5. SELECT of %d rows (4 columns) through SSCursor: %.2f s = %.0f rows/s (first row after "
           "%.2f s); server CPU %.2f s; server VmHWM %.1f MiB before, %.1f MiB after (VmRSS peak "
           "sampled %.1f MiB, %.1f MiB after)"
           % (rows, elapsed, rows / elapsed, first or 0, server_cpu, before["VmHWM"], after["VmHWM"],
              peak[0], after["VmRSS"]))
    report("   client (PyMySQL) CPU %.2f s of the %.2f s" % (client_cpu, elapsed))
    if cli:
        report("   same SELECT by mysql --quick (C client, rows written to a pipe): %d rows in %.2f s "
               "= %.0f rows/s; server CPU %.2f s; server VmHWM after it %.1f MiB"
               % (cli[0], cli[1], cli[0] / cli[1], cli[3], cli[2]))
    with open("/proc/loadavg") as f:
        report("load average at end %s" % " ".join(f.read().split()[:3]))
    with open(os.path.join(args.work, "results.txt"), "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
