// Instance (DESIGN §11): what one process holds for all its sessions — the engine, the one job
// manager, and the settings read at start (how backup locations are reached, scriptFileDir).
// An embedded `strata run` builds one; the server will build one and open a Session per
// connection. Thread-safe: the settings are immutable after Open, the engine and the job
// manager are thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "engine/engine.h"
#include "jobs/job_manager.h"
#include "repository/store_settings.h"

namespace strata {

struct InstanceSettings {
  StoreSettings store =
      StoreSettings();          // strata.cfg and the environment: S3 endpoints, keys, leases
  std::string script_file_dir;  // strata.cfg's scriptFileDir ("" when unset)
  JobManagerOptions jobs;
};

class Instance {
 public:
  // `engine` may be null (no data directory): then there are no jobs and every database call
  // fails with FailedPrecondition. It must outlive the instance. A job manager that cannot
  // start (its catalog records unreadable) leaves the instance usable; jobs() reports why.
  static std::unique_ptr<Instance> Open(Engine* engine, InstanceSettings settings = {});
  ~Instance();  // runs the queued background jobs and waits for them

  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  Engine* engine() const { return engine_; }
  // The process's job manager; FailedPrecondition without a data directory, or why it could
  // not start.
  Result<JobManager*> jobs() const;
  const StoreSettings& store_settings() const { return settings_.store; }
  const std::string& script_file_dir() const { return settings_.script_file_dir; }
  // Whether this process runs the scheduled jobs (`strata serve` does; an embedded `strata run`
  // only stores them).
  bool runs_schedules() const { return runs_schedules_.load(); }
  void set_runs_schedules(bool on) { runs_schedules_.store(on); }
  // The time scheduled jobs are reckoned by (ms since the epoch): the system clock unless
  // replaced (tests) before any session or scheduler starts.
  int64_t ScheduleNowMs() const { return schedule_clock_(); }
  void set_schedule_clock(std::function<int64_t()> clock) { schedule_clock_ = std::move(clock); }

 private:
  Instance(Engine* engine, InstanceSettings settings);

  Engine* const engine_;
  const InstanceSettings settings_;
  std::unique_ptr<JobManager> jobs_;  // null without an engine or when it failed to open
  Status jobs_status_;                // why jobs_ is null
  std::atomic<bool> runs_schedules_{false};
  std::function<int64_t()> schedule_clock_;
};

}  // namespace strata
