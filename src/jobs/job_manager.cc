#include "jobs/job_manager.h"

#include "base/strings.h"
#include "base/utc_time.h"
#include "base/uuid.h"
#include "types/format.h"

namespace strata {

namespace {

constexpr int64_t kPersistIntervalMs = 1000;
constexpr size_t kResultTextMax = 4096;

const char* StateOf(const Status& status) {
  if (status.ok()) return "finished";
  return status.code() == StatusCode::kCancelled ? "cancelled" : "failed";
}

}  // namespace

Result<std::unique_ptr<JobManager>> JobManager::Open(Catalog& catalog) {
  auto manager = std::unique_ptr<JobManager>(new JobManager(catalog));
  ASSIGN_OR_RETURN(auto records, catalog.ListJobs());
  for (auto& record : records) {
    if (record.state != "running") continue;
    record.state = "interrupted";
    record.error =
        "the process running this job stopped before it finished; re-run the same "
        "call to resume it";
    RETURN_IF_ERROR(manager->Persist(record));
  }
  return manager;
}

JobManager::~JobManager() { WaitAll(); }

Status JobManager::Persist(const JobRecord& record) {
  ASSIGN_OR_RETURN(auto txn, catalog_.Begin());
  RETURN_IF_ERROR(txn->UpsertJob(record));
  return txn->Commit();
}

Result<std::shared_ptr<JobManager::Live>> JobManager::Begin(const JobSpec& spec) {
  auto live = std::make_shared<Live>();
  live->control = std::make_shared<TaskControl>();
  live->control->set_parent(spec.parent);
  JobRecord& r = live->record;
  r.id = spec.id.empty() ? "job-" + NewUuid().substr(0, 8) : spec.id;
  r.kind = spec.kind;
  r.user = spec.user;
  r.database = spec.database;
  r.table = spec.table;
  r.label = spec.label;
  r.state = "running";
  r.start_ms = NowMs();
  {
    std::lock_guard lock(mutex_);
    auto same = live_.find(r.id);
    if (same != live_.end() && !same->second->done) {
      return AlreadyExists("job " + Quote(r.id) + " is running; choose another job id");
    }
    if (spec.exclusive && !spec.database.empty()) {
      for (const auto& [id, other] : live_) {
        if (other->done || other->record.database != spec.database) continue;
        return FailedPrecondition("database " + Quote(spec.database) + " already has a " +
                                  "backup or restore running: job " + Quote(id) + " (" +
                                  other->record.kind + ", started by " + Quote(other->record.user) +
                                  " at " + FormatUtcMs(other->record.start_ms) +
                                  "); wait for it or cancel it with cancelJob(\"" + id + "\")");
      }
    }
    live_[r.id] = live;
  }
  Status persisted = Persist(r);
  if (!persisted.ok()) {
    std::lock_guard lock(mutex_);
    live_.erase(r.id);
    return persisted;
  }
  // Progress reaches the catalog at most once a second.
  std::weak_ptr<Live> weak = live;
  live->control->set_listener([this, weak, observer = spec.observer](const TaskProgress& p) {
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
      int64_t now = NowMs();
      if (now - job->persisted_ms < kPersistIntervalMs) return;
      job->persisted_ms = now;
      snapshot = job->record;
    }
    std::lock_guard persisting(job->persist_mutex);
    // Progress is advisory; the final record is what counts and stays.
    if (!job->final_persisted) (void)Persist(snapshot);
  });
  return live;
}

void JobManager::Execute(const std::shared_ptr<Live>& live, const JobWork& work) {
  Result<Value> result = work(*live->control);
  JobRecord final_record;
  {
    std::lock_guard lock(mutex_);
    final_record = live->record;
  }
  final_record.state = StateOf(result.status());
  final_record.end_ms = NowMs();
  if (result.ok()) {
    std::string text = FormatValueJson(*result);
    final_record.result = text.size() <= kResultTextMax ? text : text.substr(0, kResultTextMax);
  } else {
    final_record.error = result.status().message();
  }
  // The record is persisted before anyone can see the job done: whoever got its return value
  // finds the same outcome in getRecentJobs, also from another process.
  {
    std::lock_guard persisting(live->persist_mutex);
    (void)Persist(final_record);
    live->final_persisted = true;
  }
  {
    std::lock_guard lock(mutex_);
    live->record = std::move(final_record);
    live->result = std::move(result);
    live->done = true;
  }
  changed_.notify_all();
}

Result<Value> JobManager::Run(const JobSpec& spec, const JobWork& work) {
  ASSIGN_OR_RETURN(auto live, Begin(spec));
  Execute(live, work);
  std::lock_guard lock(mutex_);
  return live->result;
}

Result<std::string> JobManager::Submit(const JobSpec& spec, JobWork work) {
  ASSIGN_OR_RETURN(auto live, Begin(spec));
  std::lock_guard lock(mutex_);
  threads_.emplace_back([this, live, work = std::move(work)] { Execute(live, work); });
  return live->record.id;
}

Status JobManager::CheckOwner(const JobRecord& record, const std::string& user, bool is_admin,
                              const char* action) {
  if (is_admin || record.user == user) return Status::Ok();
  return PermissionDenied("job " + Quote(record.id) + " belongs to " + Quote(record.user) +
                          "; only they or a superuser may " + action);
}

Result<Value> JobManager::GetReturn(const std::string& id, bool wait, const std::string& user,
                                    bool is_admin) {
  constexpr const char* kAction = "get its result";
  std::unique_lock lock(mutex_);
  auto it = live_.find(id);
  if (it == live_.end()) {
    lock.unlock();
    ASSIGN_OR_RETURN(auto record, catalog_.FindJob(id));
    if (!record) return NotFound("there is no job " + Quote(id));
    RETURN_IF_ERROR(CheckOwner(*record, user, is_admin, kAction));
    if (record->state == "finished") {
      return FailedPrecondition("job " + Quote(id) + " finished in an earlier process, which " +
                                "kept its result; only its state is kept (getRecentJobs)");
    }
    return FailedPrecondition("job " + Quote(id) + " is " + record->state + ": " + record->error);
  }
  std::shared_ptr<Live> live = it->second;
  RETURN_IF_ERROR(CheckOwner(live->record, user, is_admin, kAction));
  if (!live->done && !wait) {
    return FailedPrecondition("job " + Quote(id) + " is still running; call getJobReturn(\"" + id +
                              "\", true) to wait for it");
  }
  changed_.wait(lock, [&] { return live->done; });
  return live->result;
}

Status JobManager::Cancel(const std::string& id, const std::string& user, bool is_admin) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(id);
  if (it == live_.end() || it->second->done) {
    return NotFound("there is no running job " + Quote(id));
  }
  RETURN_IF_ERROR(CheckOwner(it->second->record, user, is_admin, "cancel it"));
  it->second->control->Cancel();
  return Status::Ok();
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
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

}  // namespace strata
