#include "cli/serve_cli.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "base/utc_time.h"
#include "lang/scheduled_run.h"
#include "server/monitor.h"
#include "server/server.h"
#include "service/scheduler.h"

namespace strata {

void AddServeOptions(CLI::App* command, ServeOptions& options) {
  command->add_option("--data", options.common.data_dir, "data directory (created if missing)")
      ->capture_default_str();
  command->add_option("--config", options.common.config,
                      "node configuration file (default: strata.cfg in the data directory)");
  ServerOptions& s = options.server;
  command->add_option("--host", s.host, "address to listen on (loopback unless told otherwise)")
      ->capture_default_str();
  command->add_option("--port", s.port, "MySQL protocol port")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command
      ->add_option("--dolphindb-port", s.dolphindb_port,
                   "DolphinDB client protocol port (WebSocket and API/API2); -1 turns it off")
      ->check(CLI::Range(-1, 65535))
      ->capture_default_str();
  command->add_option("--tls-cert", s.tls_cert, "PEM certificate (chain) for TLS connections")
      ->check(CLI::ExistingFile);
  command->add_option("--tls-key", s.tls_key, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  command->add_flag("--require-secure-transport", s.require_secure_transport,
                    "refuse connections that do not use TLS (error 3159)");
  command
      ->add_option("--http-port", options.http_port, "HTTP port for GET /metrics and GET /api/jobs")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command
      ->add_option("--max-connections", s.max_connections,
                   "connections served at once; more are answered with error 1040")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command
      ->add_option("--max-allowed-packet", s.max_allowed_packet,
                   "largest packet (statement) a client may send, in bytes")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  command
      ->add_option("--idle-timeout", s.idle_timeout_s,
                   "seconds a client may stay silent between statements")
      ->check(CLI::Range(1, 31536000))
      ->capture_default_str();
  command
      ->add_option("--shutdown-grace", s.shutdown_grace_s,
                   "seconds running statements get to finish on SIGTERM")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
}

namespace {

// The scheduler's clock: the system's; for tests, the time written in the file that
// STRATA_TEST_CLOCK_FILE names ("2026-12-07T00:05:00.000Z"), read at every look so a test moves
// time by rewriting it. The scheduler then looks every 100 ms instead of every second.
SchedulerOptions SchedulerSetup(Instance& instance, ServerLog& log) {
  SchedulerOptions options;
  options.log = [&log](std::string line) { log.Write(line); };
  const char* file = std::getenv("STRATA_TEST_CLOCK_FILE");
  if (file == nullptr || *file == '\0') return options;
  std::string path = file;
  log.Write("scheduler: the clock is the time in " + path + " (STRATA_TEST_CLOCK_FILE)");
  options.poll_ms = 100;
  instance.set_schedule_clock([path, &log] {
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    std::optional<int64_t> ms = ParseUtcMs(text);
    if (!ms) {
      log.Write("scheduler: " + path + " holds no time such as 2026-12-07T00:05:00.000Z");
      return int64_t{0};
    }
    return *ms;
  });
  return options;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // SIGTERM and SIGINT are taken by one thread with sigwait, so no other thread is interrupted
  // and Stop() runs outside a signal handler. Block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  CommonOptions common = options.common;
  common.quiet = true;
  Result<Process> process = OpenProcess(common);
  if (!process.ok()) return Fail(process.status().message());
  ServerLog log;
  Server server(*process->instance, options.server, log);
  if (Status listening = server.Listen(); !listening.ok()) return Fail(listening.message());
  Monitor monitor(*process->instance, server.metrics(), log);
  if (Status http = monitor.Start(options.server.host, options.http_port); !http.ok()) {
    return Fail(http.message());
  }
  log.Write("strata serve: HTTP on " + options.server.host + ":" + std::to_string(monitor.port()) +
            " (GET /metrics, GET /api/jobs)");
  Instance& instance = *process->instance;
  Scheduler scheduler(
      instance,
      [&instance](const ScheduleRecord& schedule, int64_t slot_ms) {
        return StartScheduledRun(instance, schedule, slot_ms);
      },
      SchedulerSetup(instance, log));
  instance.set_runs_schedules(true);
  scheduler.Start();
  std::atomic<bool> serving{true};
  std::thread signals([&server, &log, &serving, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    if (!serving.load()) return;  // woken by RunServe below
    log.Write(std::string("received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") + "; stopping");
    server.Stop();
  });
  size_t still_running = server.Run();
  if (serving.exchange(false)) {
    pthread_kill(signals.native_handle(), SIGTERM);  // a no-op if the thread already took one
  }
  signals.join();
  monitor.Stop();
  scheduler.Stop();  // no new runs; those started are background jobs, waited for below
  // Background jobs get what is left of the grace period.
  Result<JobManager*> jobs = process->instance->jobs();
  int64_t left_ms = std::max<int64_t>(
      0, server.stopped_ms() + options.server.shutdown_grace_s * int64_t{1000} - NowMs());
  bool jobs_idle = !jobs.ok() || (*jobs)->WaitAllFor(std::chrono::milliseconds(left_ms));
  if (still_running > 0 || !jobs_idle) {
    // The engine and the repositories are crash-safe: what a running statement or job has not
    // committed is not there, and an interrupted backup resumes when run again.
    log.Write("stopped with " + std::to_string(still_running) + " statement(s) and " +
              (jobs_idle ? std::string("no") : std::string("some")) +
              " background job(s) still running; they are left as after a crash: the next "
              "start marks the jobs interrupted, and a backup run again resumes");
    std::fflush(nullptr);
    _exit(0);
  }
  log.Write("stopped");
  return 0;
}

}  // namespace strata
