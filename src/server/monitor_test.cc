#include "server/monitor.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace strata {
namespace {

JobRecord Job(std::string id, std::string kind, std::string state, int64_t bytes, int64_t start_ms,
              int64_t end_ms) {
  JobRecord job;
  job.id = std::move(id);
  job.kind = std::move(kind);
  job.state = std::move(state);
  job.user = "admin";
  job.database = "dfs://shop";
  job.done_bytes = bytes;
  job.start_ms = start_ms;
  job.end_ms = end_ms;
  return job;
}

TEST(MonitorTest, MetricsInPrometheusText) {
  ServerMetrics metrics;
  metrics.started_ms = 1000;
  metrics.connections_open = 3;
  metrics.statements_total = 42;
  std::vector<JobRecord> jobs = {
      Job("a", "BACKUP_BY_COPY_FILE", "finished", 1000, 0, 2000),
      Job("b", "BACKUP_BY_COPY_FILE", "finished", 3000, 5000, 6000),  // the last: 3000 B/s
      Job("c", "BACKUP_BY_COPY_FILE", "running", 10, 7000, 0),
      Job("d", "RESTORE_BY_COPY_FILE", "failed", 7, 0, 1)};
  std::string text = MetricsText(metrics, jobs, 11000);
  for (const char* line :
       {"strata_uptime_seconds 10\n", "strata_connections_open 3\n", "strata_statements_total 42\n",
        "# TYPE strata_statements_total counter\n",
        "strata_jobs{kind=\"BACKUP_BY_COPY_FILE\",state=\"finished\"} 2\n",
        "strata_jobs{kind=\"BACKUP_BY_COPY_FILE\",state=\"running\"} 1\n",
        "strata_jobs{kind=\"RESTORE_BY_COPY_FILE\",state=\"failed\"} 1\n",
        "strata_backup_bytes_total 4010\n", "strata_restore_bytes_total 7\n",
        "strata_last_backup_throughput_bytes_per_second 3000.000000\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << " not in\n" << text;
  }
}

TEST(MonitorTest, JobsAsJson) {
  JobRecord job = Job("a", "BACKUP_BY_SQL", "running", 5, 0, 0);
  job.error = "bad \xff byte";
  auto parsed = nlohmann::json::parse(JobsJson({job}));
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0]["id"], "a");
  EXPECT_EQ(parsed[0]["start"], "1970-01-01T00:00:00.000Z");
  EXPECT_TRUE(parsed[0]["end"].is_null());
  EXPECT_EQ(parsed[0]["done_bytes"], 5);
  EXPECT_EQ(nlohmann::json::parse(JobsJson({})).size(), 0u);
}

}  // namespace
}  // namespace strata
