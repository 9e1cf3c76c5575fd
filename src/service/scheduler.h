// Scheduler (DESIGN §11): runs the scheduled jobs of `strata serve`. A thread looks at the
// catalog's schedules once a poll interval and starts each due slot as a background job of
// the instance's job manager, as the schedule's user (the front end's `ScheduledRun` does
// that; the script's runs go through the interpreter). The rules, also in
// docs/dolphindb-clients.md:
// - A slot runs once: its schedule's last slot is written to the catalog before the run starts,
//   so a crash during a run does not run it again (the job shows interrupted).
// - Missed slots (the server was down, or the machine slept): the latest runs once, as soon as
//   the scheduler sees it; the earlier ones are passed over and logged.
// - A slot that finds the schedule's previous run still going is passed over and logged.
// - A run that fails (its user lost a grant, was deleted, a backup of the database is already
//   running) is a failed job like any other, in getRecentJobs.
// Time is the instance's ScheduleNowMs (tests replace its clock). Start and Stop from one
// thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "catalog/records.h"
#include "service/instance.h"

namespace strata {

// Starts the run of `schedule` for the slot at `slot_ms`: returns the id of its job.
using ScheduledRun =
    std::function<Result<std::string>(const ScheduleRecord& schedule, int64_t slot_ms)>;

struct SchedulerOptions {
  std::function<void(std::string)> log;  // one line per run started, passed over or failed
  int poll_ms = 1000;
};

class Scheduler {
 public:
  Scheduler(Instance& instance, ScheduledRun run, SchedulerOptions options);
  ~Scheduler();  // stops
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  // Ends the thread; runs already started go on as background jobs.
  void Stop();
  // One look at the schedules: starts what is due now. The thread calls it; tests may too.
  void Tick();

  // The id of a run's job: "<schedule id>-<slot, yyyyMMddTHHmm UTC>".
  static std::string RunId(const std::string& schedule_id, int64_t slot_ms);

 private:
  void Loop();
  void Due(const ScheduleRecord& schedule, int64_t now_ms);

  Instance& instance_;
  ScheduledRun run_;
  SchedulerOptions options_;
  std::map<std::string, std::string> last_run_;  // schedule id -> its latest run's job id
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // mutex_
  std::thread thread_;
};

}  // namespace strata
