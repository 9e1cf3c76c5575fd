// Monitor: `strata serve`'s HTTP port for the monitoring people already run (docs/server.md),
// and the job watcher that logs every job state change. GET /metrics answers in Prometheus'
// text format (connections, statements, errors, login failures, jobs by kind and state, bytes
// backed up and restored, the last backup's throughput); GET /api/jobs answers the job history
// as JSON. Served by cpp-httplib on two worker threads; read-only and without secrets (job
// records hold none). Thread-compatible: Start and Stop from one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catalog/records.h"
#include "server/server_context.h"

namespace httplib {
class Server;
}

namespace strata {

// The Prometheus text of `metrics` and `jobs` at `now_ms`.
std::string MetricsText(const ServerMetrics& metrics, const std::vector<JobRecord>& jobs,
                        int64_t now_ms);
// The job records as a JSON array, oldest first (times as ISO 8601 UTC text).
std::string JobsJson(const std::vector<JobRecord>& jobs);

class Monitor {
 public:
  Monitor(Instance& instance, ServerMetrics& metrics, ServerLog& log);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Listens on host:port (0: the kernel picks) and starts serving and watching jobs.
  Status Start(const std::string& host, int port);
  int port() const { return port_; }
  void Stop();

 private:
  void WatchJobs();

  Instance& instance_;
  ServerMetrics& metrics_;
  ServerLog& log_;
  std::unique_ptr<httplib::Server> http_;
  std::thread http_thread_;
  std::thread watcher_;
  std::mutex mutex_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;  // mutex_
  int port_ = 0;
};

}  // namespace strata
