#include "server/monitor.h"

#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "base/utc_time.h"

namespace strata {

namespace {

constexpr auto kJobWatchInterval = std::chrono::milliseconds(500);

bool IsBackup(const JobRecord& job) { return job.kind.rfind("BACKUP", 0) == 0; }
bool IsRestore(const JobRecord& job) { return job.kind.rfind("RESTORE", 0) == 0; }

// A label value with \, " and newlines escaped (Prometheus text format).
std::string LabelValue(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Metric(std::string* out, const char* name, const char* type, const char* help,
            const std::string& value) {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
          name + " " + value + "\n";
}

Result<std::vector<JobRecord>> ListJobs(Instance& instance) {
  ASSIGN_OR_RETURN(JobManager * jobs, instance.jobs());
  return jobs->List();
}

}  // namespace

std::string MetricsText(const ServerMetrics& m, const std::vector<JobRecord>& jobs,
                        int64_t now_ms) {
  std::string out;
  auto n = [](uint64_t v) { return std::to_string(v); };
  Metric(&out, "strata_uptime_seconds", "gauge", "Seconds since the server started.",
         std::to_string((now_ms - m.started_ms.load()) / 1000));
  Metric(&out, "strata_connections_open", "gauge", "MySQL connections open now.",
         n(m.connections_open.load()));
  Metric(&out, "strata_connections_total", "counter", "MySQL connections accepted.",
         n(m.connections_total.load()));
  Metric(&out, "strata_connections_refused_total", "counter",
         "Connections refused for the connection limit.", n(m.connections_refused.load()));
  Metric(&out, "strata_login_failures_total", "counter", "Failed logins.",
         n(m.login_failures.load()));
  Metric(&out, "strata_statements_total", "counter", "Queries and prepared executions received.",
         n(m.statements_total.load()));
  Metric(&out, "strata_statement_errors_total", "counter", "Errors answered to statements.",
         n(m.statement_errors.load()));

  std::map<std::pair<std::string, std::string>, uint64_t> by_kind_state;
  uint64_t backup_bytes = 0, restore_bytes = 0;
  const JobRecord* last_backup = nullptr;
  for (const JobRecord& job : jobs) {
    ++by_kind_state[{job.kind, job.state}];
    if (IsBackup(job)) backup_bytes += static_cast<uint64_t>(job.done_bytes);
    if (IsRestore(job)) restore_bytes += static_cast<uint64_t>(job.done_bytes);
    if (IsBackup(job) && job.state == "finished" &&
        (last_backup == nullptr || job.end_ms >= last_backup->end_ms)) {
      last_backup = &job;
    }
  }
  out +=
      "# HELP strata_jobs Jobs in the job history by kind and state.\n# TYPE strata_jobs gauge\n";
  for (const auto& [key, count] : by_kind_state) {
    out += "strata_jobs{kind=\"" + LabelValue(key.first) + "\",state=\"" + LabelValue(key.second) +
           "\"} " + n(count) + "\n";
  }
  Metric(&out, "strata_backup_bytes_total", "counter",
         "Bytes copied by the backup jobs in the job history.", n(backup_bytes));
  Metric(&out, "strata_restore_bytes_total", "counter",
         "Bytes copied by the restore jobs in the job history.", n(restore_bytes));
  double throughput = 0;
  if (last_backup != nullptr && last_backup->end_ms > last_backup->start_ms) {
    throughput = static_cast<double>(last_backup->done_bytes) * 1000.0 /
                 static_cast<double>(last_backup->end_ms - last_backup->start_ms);
  }
  Metric(&out, "strata_last_backup_throughput_bytes_per_second", "gauge",
         "Bytes per second of the most recent finished backup.", std::to_string(throughput));
  return out;
}

std::string JobsJson(const std::vector<JobRecord>& jobs) {
  nlohmann::json out = nlohmann::json::array();
  for (const JobRecord& job : jobs) {
    nlohmann::json j = {
        {"id", job.id},
        {"kind", job.kind},
        {"user", job.user},
        {"database", job.database},
        {"tables", job.table},
        {"label", job.label},
        {"state", job.state},
        {"start", FormatUtcMs(job.start_ms)},
        {"end", job.end_ms > 0 ? nlohmann::json(FormatUtcMs(job.end_ms)) : nlohmann::json(nullptr)},
        {"done_units", job.done_units},
        {"total_units", job.total_units},
        {"done_bytes", job.done_bytes},
        {"total_bytes", job.total_bytes},
        {"error", job.error}};
    out.push_back(std::move(j));
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Monitor::Monitor(Instance& instance, ServerMetrics& metrics, ServerLog& log)
    : instance_(instance), metrics_(metrics), log_(log) {}

Monitor::~Monitor() { Stop(); }

Status Monitor::Start(const std::string& host, int port) {
  http_ = std::make_unique<httplib::Server>();
  http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  http_->set_read_timeout(5, 0);
  http_->set_write_timeout(5, 0);
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    Result<std::vector<JobRecord>> jobs = ListJobs(instance_);
    response.set_content(
        MetricsText(metrics_, jobs.ok() ? *jobs : std::vector<JobRecord>{}, NowMs()),
        "text/plain; version=0.0.4");
  });
  http_->Get("/api/jobs", [this](const httplib::Request&, httplib::Response& response) {
    Result<std::vector<JobRecord>> jobs = ListJobs(instance_);
    if (!jobs.ok()) {
      response.status = 503;
      response.set_content(nlohmann::json({{"error", jobs.status().message()}}).dump(),
                           "application/json");
      return;
    }
    response.set_content(JobsJson(*jobs), "application/json");
  });
  if (port == 0) {
    port_ = http_->bind_to_any_port(host);
  } else {
    port_ = http_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ < 0) {
    return IoError("cannot listen on " + host + ":" + std::to_string(port) +
                   " for HTTP; another process may use the port: stop it or choose another "
                   "with --http-port");
  }
  http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  watcher_ = std::thread([this] { WatchJobs(); });
  return Status::Ok();
}

void Monitor::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_changed_.notify_all();
  if (http_) http_->stop();
  if (http_thread_.joinable()) http_thread_.join();
  if (watcher_.joinable()) watcher_.join();
}

void Monitor::WatchJobs() {
  std::map<std::string, std::string> known;  // job id -> state
  bool first = true;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    Result<std::vector<JobRecord>> jobs = ListJobs(instance_);
    if (jobs.ok()) {
      for (const JobRecord& job : *jobs) {
        auto [it, added] = known.emplace(job.id, job.state);
        if (!added && it->second == job.state) continue;
        if (!first) {
          std::string line = "job " + job.id + " (" + job.kind + " " + job.database +
                             (job.label.empty() ? "" : " " + job.label) + " by " + job.user +
                             "): " + (added ? "" : it->second + " -> ") + job.state;
          if (!job.error.empty()) line += ": " + job.error;
          log_.Write(line);
        }
        it->second = job.state;
      }
      first = false;
    }
    lock.lock();
    stop_changed_.wait_for(lock, kJobWatchInterval, [this] { return stopping_; });
  }
}

}  // namespace strata
