#include "service/scheduler.h"

#include "base/strings.h"
#include "base/utc_time.h"
#include "jobs/schedule.h"

namespace strata {

Scheduler::Scheduler(Instance& instance, ScheduledRun run, SchedulerOptions options)
    : instance_(instance), run_(std::move(run)), options_(std::move(options)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    Tick();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [&] { return stopping_; });
  }
}

std::string Scheduler::RunId(const std::string& schedule_id, int64_t slot_ms) {
  return schedule_id + "-" + FormatUtcMs(slot_ms, /*compact=*/true).substr(0, 13);
}

void Scheduler::Tick() {
  if (instance_.engine() == nullptr) return;
  Result<std::vector<ScheduleRecord>> schedules = instance_.engine()->catalog().ListSchedules();
  if (!schedules.ok()) {
    options_.log("scheduler: cannot read the schedules: " + schedules.status().message());
    return;
  }
  int64_t now = instance_.ScheduleNowMs();
  for (const ScheduleRecord& schedule : *schedules) Due(schedule, now);
}

void Scheduler::Due(const ScheduleRecord& schedule, int64_t now_ms) {
  std::optional<int64_t> slot = NextSlot(schedule, schedule.last_slot_ms);
  if (!slot || *slot > now_ms) return;
  // The latest slot due; those before it were missed.
  int missed = 0;
  while (std::optional<int64_t> next = NextSlot(schedule, *slot)) {
    if (*next > now_ms) break;
    slot = next;
    ++missed;
  }
  const std::string name = "scheduled job " + Quote(schedule.id);
  if (missed > 0) {
    options_.log(name + ": " + std::to_string(missed) +
                 " slot(s) passed while the server was not running are not run; the latest, " +
                 FormatUtcMs(*slot) + ", runs now");
  }
  // The slot is taken before the run starts: it never runs twice.
  Result<JobManager*> jobs = instance_.jobs();
  Status taken = jobs.status();
  if (taken.ok()) {
    Result<std::unique_ptr<Catalog::Transaction>> txn = instance_.engine()->catalog().Begin();
    taken = txn.status();
    if (taken.ok()) taken = (*txn)->SetScheduleSlot(schedule.id, *slot);
    if (taken.ok()) taken = (*txn)->Commit();
  }
  if (!taken.ok()) {
    options_.log(name + ": the slot " + FormatUtcMs(*slot) +
                 " is not run: its record could not be written: " + taken.message());
    return;
  }
  auto previous = last_run_.find(schedule.id);
  if (previous != last_run_.end() && (*jobs)->IsUnfinished(previous->second)) {
    options_.log(name + ": the slot " + FormatUtcMs(*slot) + " is passed over: its run " +
                 Quote(previous->second) + " is still going");
    return;
  }
  Result<std::string> job = run_(schedule, *slot);
  if (!job.ok()) {
    options_.log(name + ": the run for " + FormatUtcMs(*slot) +
                 " could not start: " + job.status().message());
    return;
  }
  last_run_[schedule.id] = *job;
  options_.log(name + ": run " + Quote(*job) + " started as " + schedule.user + " for " +
               FormatUtcMs(*slot));
}

}  // namespace strata
