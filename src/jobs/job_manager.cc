#include "jobs/job_manager.h"

#include <exception>

#include "base/json.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "base/uuid.h"
#include "types/format.h"

namespace strata {

namespace {

constexpr int64_t kPersistIntervalMs = 1000;
constexpr size_t kResultTextMax = 4096;

using SteadyTime = std::chrono::steady_clock::time_point;

JobState StateOf(const Status& status) {
  if (status.ok()) return JobState::kFinished;
  return status.code() == StatusCode::kCancelled ? JobState::kCancelled : JobState::kFailed;
}

}  // namespace

struct JobManager::Live {
  JobRecord record;  // guarded by JobManager::mutex_
  std::shared_ptr<TaskControl> control;
  std::shared_ptr<const TaskControl> parent;  // keeps the parent job's control alive
  int64_t timeout_ms = 0;
  bool background = false;
  ErrorWording error_wording;          // null: the message alone
  std::optional<SteadyTime> deadline;  // set when it starts running; JobManager::mutex_
  bool timed_out = false;              // guarded by JobManager::mutex_
  bool done = false;  // set only after the final record is persisted; JobManager::mutex_
  Result<Value> result = Value();  // guarded by JobManager::mutex_
  int64_t persisted_ms = 0;        // guarded by JobManager::mutex_
  // Orders progress records before the final one, which nothing may overwrite.
  std::mutex persist_mutex;
  bool final_persisted = false;  // guarded by persist_mutex
};

JobManager::JobManager(Catalog& catalog, JobManagerOptions options)
    : catalog_(catalog), options_(std::move(options)), opened_ms_(NowMs()) {}

Result<std::unique_ptr<JobManager>> JobManager::Open(Catalog& catalog, JobManagerOptions options) {
  auto manager = std::unique_ptr<JobManager>(new JobManager(catalog, std::move(options)));
  ASSIGN_OR_RETURN(auto records, catalog.ListJobs());
  for (auto& record : records) {
    auto state = ParseJobState(record.state);
    if (!state || IsFinal(*state)) continue;
    record.state = JobStateName(JobState::kInterrupted);
    record.error =
        "the process running this job stopped before it finished; re-run the same "
        "call to resume it";
    RETURN_IF_ERROR(manager->Persist(record));
  }
  manager->watchdog_ = std::thread([m = manager.get()] { m->WatchdogLoop(); });
  return manager;
}

JobManager::~JobManager() {
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    workers.swap(workers_);
  }
  queue_changed_.notify_all();
  for (auto& t : workers) t.join();  // they run what is queued first
  deadlines_changed_.notify_all();
  watchdog_.join();
}

Status JobManager::Persist(const JobRecord& record) {
  ASSIGN_OR_RETURN(auto txn, catalog_.Begin());
  RETURN_IF_ERROR(txn->UpsertJob(record));
  return txn->Commit();
}

Status JobManager::CheckExclusive(const JobSpec& spec) const {
  if (!IsBackupOrRestore(spec.kind) || spec.database.empty()) return Status::Ok();
  for (const auto& [id, other] : live_) {
    auto kind = ParseJobKind(other->record.kind);
    if (other->done || !kind || !IsBackupOrRestore(*kind)) continue;
    if (other->record.database != spec.database) continue;
    return FailedPrecondition("database " + Quote(spec.database) + " already has a " +
                              "backup or restore " + other->record.state + ": job " + Quote(id) +
                              " (" + other->record.kind + ", started by " +
                              Quote(other->record.user) + " at " +
                              FormatUtcMs(other->record.start_ms) + ")")
        .WithRemedy({RemedyKind::kCancelJob, {id}});
  }
  return Status::Ok();
}

Result<std::shared_ptr<JobManager::Live>> JobManager::Begin(const JobSpec& spec, JobState state) {
  auto live = std::make_shared<Live>();
  live->control = std::make_shared<TaskControl>();
  live->timeout_ms = spec.timeout_ms;
  live->background = state == JobState::kQueued;
  live->error_wording = spec.error_wording;
  JobRecord& r = live->record;
  r.id = spec.id.empty() ? "job-" + NewUuid().substr(0, 8) : spec.id;
  r.kind = JobKindName(spec.kind);
  r.user = spec.user;
  r.database = spec.database;
  r.table = spec.table;
  r.label = spec.label;
  r.details = spec.details;
  r.state = JobStateName(state);
  r.start_ms = NowMs();
  {
    std::lock_guard lock(mutex_);
    if (live_.count(r.id) != 0) {
      return AlreadyExists("job " + Quote(r.id) + " has not finished; choose another job id");
    }
    RETURN_IF_ERROR(CheckExclusive(spec));
    if (spec.parent != nullptr) {
      for (const auto& [id, other] : live_) {
        if (other->control.get() == spec.parent) live->parent = other->control;
      }
    }
    live->control->set_parent(spec.parent);
    live_[r.id] = live;
  }
  Status persisted = Persist(r);
  if (!persisted.ok()) {
    std::lock_guard lock(mutex_);
    live_.erase(r.id);
    return persisted.WithContext("job " + Quote(r.id) + " was not started");
  }
  ListenForProgress(live, spec.observer);
  return live;
}

namespace {

// JobRecord::table_progress of `tables`: [["t", total, done], ...], or "" for none.
std::string TableProgressText(const std::vector<TableProgress>& tables) {
  if (tables.empty()) return "";
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& t : tables) rows.push_back({t.table, t.total_units, t.done_units});
  return DumpJson(rows);
}

}  // namespace

// Progress reaches the catalog at most once a second.
void JobManager::ListenForProgress(const std::shared_ptr<Live>& live,
                                   TaskControl::Listener observer) {
  std::weak_ptr<Live> weak = live;
  live->control->set_listener([this, weak, observer = std::move(observer)](const TaskProgress& p) {
    if (observer) observer(p);
    auto job = weak.lock();
    if (!job) return;
    JobRecord snapshot;
    {
      std::lock_guard lock(mutex_);
      job->record.total_units = p.total_units;
      job->record.done_units = p.done_units;
      job->record.total_bytes = p.total_bytes;
      job->record.done_bytes = p.done_bytes;
      job->record.table_progress = TableProgressText(p.tables);
      int64_t now = NowMs();
      if (now - job->persisted_ms < kPersistIntervalMs) return;
      job->persisted_ms = now;
      snapshot = job->record;
    }
    std::lock_guard persisting(job->persist_mutex);
    // Progress is advisory; the final record is what counts and stays.
    if (!job->final_persisted) (void)Persist(snapshot);
  });
}

// Anything escaping the work (an exception from a library) becomes an error naming the job.
Result<Value> JobManager::RunGuarded(const Live& live, const JobWork& work) {
  const std::string& id = live.record.id;
  try {
    if (live.control->cancelled()) {
      return Cancelled("job " + Quote(id) + " was cancelled before it started");
    }
    return work(*live.control);
  } catch (const std::exception& e) {
    return Internal("job " + Quote(id) + " stopped on an unexpected error: " + e.what());
  } catch (...) {
    return Internal("job " + Quote(id) + " stopped on an unexpected error of unknown type");
  }
}

void JobManager::Execute(const std::shared_ptr<Live>& live, const JobWork& work) {
  JobRecord running;
  {
    std::lock_guard lock(mutex_);
    live->record.state = JobStateName(JobState::kRunning);
    if (live->background) live->record.start_ms = NowMs();
    if (live->timeout_ms > 0) {
      live->deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(live->timeout_ms);
    }
    running = live->record;
  }
  deadlines_changed_.notify_all();
  if (live->background) {
    std::lock_guard persisting(live->persist_mutex);
    (void)Persist(running);  // advisory, as progress: the final record is what counts
  }
  Finish(live, RunGuarded(*live, work));
}

// Persists the final record before anyone can see the job done: whoever gets its return value
// finds the same outcome in getRecentJobs, also from another process. A record that could not
// be persisted makes the job's outcome an error saying so, and the job stays listed from
// memory (the catalog still holds its earlier state).
void JobManager::Finish(const std::shared_ptr<Live>& live, Result<Value> result) {
  JobRecord record;
  {
    std::lock_guard lock(mutex_);
    record = live->record;
    if (live->timed_out && !result.ok()) {
      result = Cancelled("job " + Quote(record.id) + " ran past its timeout of " +
                         std::to_string(live->timeout_ms) + " ms and was cancelled");
    }
  }
  record.state = JobStateName(StateOf(result.status()));
  record.end_ms = NowMs();
  if (result.ok()) {
    std::string text = FormatValueJson(*result);
    record.result = text.size() <= kResultTextMax ? text : text.substr(0, kResultTextMax);
  } else {
    record.error =
        live->error_wording ? live->error_wording(result.status()) : result.status().message();
  }
  Status persisted;
  {
    std::lock_guard persisting(live->persist_mutex);
    if (options_.before_final_persist) persisted = options_.before_final_persist(record);
    if (persisted.ok()) persisted = Persist(record);
    live->final_persisted = true;
  }
  if (!persisted.ok()) {
    result = Status(persisted.code(),
                    "job " + Quote(record.id) + " ended " + record.state +
                        " but its final record could not be saved in the catalog (" +
                        persisted.message() + "); a later process will list it as interrupted");
    record.state = JobStateName(JobState::kFailed);
    record.error = result.status().message();
  }
  {
    std::lock_guard lock(mutex_);
    live->record = std::move(record);
    live->result = std::move(result);
    live->done = true;
    live->deadline.reset();
    // Finished jobs live in the catalog; a background job's result is kept for getJobReturn.
    if (persisted.ok()) live_.erase(live->record.id);
    if (live->background && options_.kept_result_count_max > 0) {
      kept_[live->record.id] = live;
      kept_order_.push_back(live->record.id);
      while (kept_order_.size() > options_.kept_result_count_max) {
        kept_.erase(kept_order_.front());
        kept_order_.pop_front();
      }
    }
  }
  changed_.notify_all();
}

Result<Value> JobManager::Run(const JobSpec& spec, const JobWork& work) {
  ASSIGN_OR_RETURN(auto live, Begin(spec, JobState::kRunning));
  Execute(live, work);
  std::lock_guard lock(mutex_);
  return live->result;
}

Result<std::string> JobManager::Submit(const JobSpec& spec, JobWork work) {
  ASSIGN_OR_RETURN(auto live, Begin(spec, JobState::kQueued));
  std::lock_guard lock(mutex_);
  queue_.push_back(Queued{live, std::move(work)});
  StartWorkerIfNeeded();
  queue_changed_.notify_one();
  return live->record.id;
}

namespace {

// The job manager whose background worker runs on this thread, if any.
thread_local const JobManager* worker_of = nullptr;

}  // namespace

bool JobManager::MayStartAJob() const {
  return busy_workers_ - waiting_workers_ < options_.background_job_count_max;
}

void JobManager::StartWorkerIfNeeded() {
  if (queue_.size() > idle_workers_ && MayStartAJob()) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

void JobManager::WorkerLoop() {
  worker_of = this;
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_workers_;
    queue_changed_.wait(lock, [this] { return stopping_ || (!queue_.empty() && MayStartAJob()); });
    --idle_workers_;
    if (queue_.empty()) return;  // stopping, and nothing left to run
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    ++busy_workers_;
    lock.unlock();
    Execute(next.live, next.work);
    next = Queued{};  // the work may hold a session: release it outside the lock
    lock.lock();
    --busy_workers_;
    changed_.notify_all();
    queue_changed_.notify_one();  // a slot is free for a queued job
  }
}

// Cancels each job at its deadline. Waits on a condition, never polls.
void JobManager::WatchdogLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_ || !live_.empty()) {
    std::optional<SteadyTime> next;
    auto now = std::chrono::steady_clock::now();
    for (auto& [id, live] : live_) {
      if (!live->deadline || live->timed_out) continue;
      if (*live->deadline <= now) {
        live->timed_out = true;
        live->control->Cancel();
      } else if (!next || *live->deadline < *next) {
        next = live->deadline;
      }
    }
    if (stopping_ && !next) return;
    if (next) {
      deadlines_changed_.wait_until(lock, *next);
    } else {
      deadlines_changed_.wait(lock);
    }
  }
}

Status JobManager::CheckOwner(const std::string& id, const std::string& owner,
                              const JobCaller& caller, const char* action) {
  if (caller.access == JobAccess::kAllJobs || owner == caller.user) return Status::Ok();
  return PermissionDenied("job " + Quote(id) + " belongs to " + Quote(owner) +
                          "; only they or a superuser may " + action);
}

constexpr const char* kGetResult = "get its result";

Result<Value> JobManager::GetReturn(const std::string& id, JobWait wait, const JobCaller& caller) {
  std::unique_lock lock(mutex_);
  std::shared_ptr<Live> live;
  if (auto it = live_.find(id); it != live_.end()) live = it->second;
  if (auto it = kept_.find(id); !live && it != kept_.end()) live = it->second;
  if (!live) {
    lock.unlock();
    return ReturnOfFinished(id, caller);
  }
  RETURN_IF_ERROR(CheckOwner(id, live->record.user, caller, kGetResult));
  if (!live->done && wait == JobWait::kNo) {
    return FailedPrecondition("job " + Quote(id) + " is still " + live->record.state)
        .WithRemedy({RemedyKind::kWaitForJob, {id}});
  }
  if (worker_of == this && !live->done) {
    // A background job waits: its worker lends its slot, so the job it waits for can start
    // even when every slot is taken by such waiters.
    ++waiting_workers_;
    StartWorkerIfNeeded();
    queue_changed_.notify_one();
    changed_.wait(lock, [&] { return live->done; });
    --waiting_workers_;
    return live->result;
  }
  changed_.wait(lock, [&] { return live->done; });
  return live->result;
}

// A job whose result this process no longer keeps: only its state, from the catalog.
Result<Value> JobManager::ReturnOfFinished(const std::string& id, const JobCaller& caller) {
  ASSIGN_OR_RETURN(auto record, catalog_.FindJob(id));
  if (!record) return NotFound("there is no job " + Quote(id));
  RETURN_IF_ERROR(CheckOwner(id, record->user, caller, kGetResult));
  if (record->state != JobStateName(JobState::kFinished)) {
    return FailedPrecondition("job " + Quote(id) + " is " + record->state + ": " + record->error);
  }
  if (record->start_ms > opened_ms_) {  // this process ran it
    return FailedPrecondition("job " + Quote(id) + " finished, and its result is no longer " +
                              "kept (the " + std::to_string(options_.kept_result_count_max) +
                              " most recent background results are); only its state is kept, in "
                              "the job list");
  }
  return FailedPrecondition("job " + Quote(id) + " finished in an earlier process, which " +
                            "kept its result; only its state is kept, in the job list");
}

Status JobManager::Cancel(const std::string& id, const JobCaller& caller) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(id);
  if (it == live_.end() || it->second->done) {
    return NotFound("there is no running job " + Quote(id));
  }
  RETURN_IF_ERROR(CheckOwner(id, it->second->record.user, caller, "cancel it"));
  it->second->control->Cancel();
  return Status::Ok();
}

bool JobManager::IsUnfinished(const std::string& id) const {
  std::lock_guard lock(mutex_);
  return live_.count(id) != 0;
}

Result<std::vector<JobRecord>> JobManager::List() {
  ASSIGN_OR_RETURN(auto records, catalog_.ListJobs());
  std::lock_guard lock(mutex_);
  for (auto& record : records) {
    auto it = live_.find(record.id);
    if (it != live_.end()) record = it->second->record;
  }
  return records;
}

void JobManager::WaitAll() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.empty() && busy_workers_ == 0; });
}

bool JobManager::WaitAllFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return queue_.empty() && busy_workers_ == 0; });
}

}  // namespace strata
