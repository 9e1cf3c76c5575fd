// JobManager (DESIGN §7): the one job manager of a process. Every backup and restore runs as a
// job — in the foreground on the caller's thread (the DolphinDB functions wait for it) or
// queued for a bounded pool of background workers (submitJob). It enforces one backup-or-
// restore per database across every session of the process, cancels jobs past their timeout,
// publishes progress, persists each job's record in the catalog (a job that was queued or
// running when the process died is found "interrupted" at the next start) and answers status
// queries. Thread-safe: every session of the process shares it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/task_control.h"
#include "catalog/catalog.h"
#include "jobs/job_state.h"
#include "types/value.h"

namespace strata {

// Background jobs that run at once; more wait, listed as "queued".
constexpr size_t kBackgroundJobCountMax = 4;
// Results of finished background jobs kept for getJobReturn, oldest dropped first.
constexpr size_t kKeptResultCountMax = 64;

// How a front end words an error for its users: the message and its remedy (base/remedy.h) in
// the dialect's syntax.
using ErrorWording = std::function<std::string(const Status&)>;

struct JobSpec {
  std::string id;  // empty: one is generated
  JobKind kind = JobKind::kScript;
  std::string user;
  std::string database;  // the database a backup or restore works on
  std::string table;
  std::string label;                    // description
  std::string details;                  // JobRecord::details: the front end's, kept as is
  int64_t timeout_ms = 0;               // 0: none; else cancelled this long after it starts
  TaskControl::Listener observer;       // also told of every progress change (a progress display)
  const TaskControl* parent = nullptr;  // the job this one runs inside; cancelling it cancels this
  // Words a failed job's error in its record (job lists, a result no longer kept), so the
  // remedy reaches whoever reads it; null: the message alone.
  ErrorWording error_wording;
};

using JobWork = std::function<Result<Value>(TaskControl&)>;

// Whose jobs a caller may cancel or read the result of.
enum class JobAccess : uint8_t { kOwnJobs, kAllJobs };  // kAllJobs: a superuser
struct JobCaller {
  std::string user;
  JobAccess access = JobAccess::kOwnJobs;
};

enum class JobWait : uint8_t { kNo, kUntilDone };

struct JobManagerOptions {
  size_t background_job_count_max = kBackgroundJobCountMax;
  size_t kept_result_count_max = kKeptResultCountMax;
  // Test hook: called before a job's final record is persisted; an error stands for the
  // catalog refusing it.
  std::function<Status(const JobRecord&)> before_final_persist;
};

class JobManager {
 public:
  // Marks jobs that an earlier process left "queued" or "running" as "interrupted". Open it
  // once per process (service::Instance does): a second manager on the same catalog would
  // mark the first one's jobs interrupted.
  static Result<std::unique_ptr<JobManager>> Open(Catalog& catalog, JobManagerOptions options = {});
  ~JobManager();  // runs the queued jobs, then waits for every background job

  // Runs `work` on this thread as a job; returns its result. A backup or restore of a
  // database that already has one (queued or running) is refused with FailedPrecondition
  // naming that job.
  Result<Value> Run(const JobSpec& spec, const JobWork& work);
  // Queues `work` for a background worker; returns the job id at once. Exclusivity is checked
  // now, so a conflict is reported to the caller.
  Result<std::string> Submit(const JobSpec& spec, JobWork work);

  // The result of job `id`: waits for it with kUntilDone, else FailedPrecondition while it
  // runs. A failed job returns its error. The caller must own the job or see all jobs (else
  // PermissionDenied naming the owner). Results are kept in memory only for background jobs
  // and only for the kept_result_count_max most recent ones; after that, and for a job of an
  // earlier process, FailedPrecondition saying so, which never shows what the job returned.
  Result<Value> GetReturn(const std::string& id, JobWait wait, const JobCaller& caller);
  // Asks job `id` to stop (between bounded steps; a queued job never starts). The caller must
  // own it or see all jobs.
  Status Cancel(const std::string& id, const JobCaller& caller);

  // Every job record, with live state and progress for this process's unfinished jobs, oldest
  // first.
  Result<std::vector<JobRecord>> List();
  // Whether job `id` is queued or running in this process.
  bool IsUnfinished(const std::string& id) const;
  // Blocks until no background job is queued or running.
  void WaitAll();
  // The same for at most `timeout`; true when no background job is queued or running.
  bool WaitAllFor(std::chrono::milliseconds timeout);

 private:
  struct Live;
  struct Queued {
    std::shared_ptr<Live> live;
    JobWork work;
  };

  JobManager(Catalog& catalog, JobManagerOptions options);
  Result<std::shared_ptr<Live>> Begin(const JobSpec& spec, JobState state);
  Status CheckExclusive(const JobSpec& spec) const;  // mutex_ held
  void ListenForProgress(const std::shared_ptr<Live>& live, TaskControl::Listener observer);
  void Execute(const std::shared_ptr<Live>& live, const JobWork& work);
  Result<Value> RunGuarded(const Live& live, const JobWork& work);
  void Finish(const std::shared_ptr<Live>& live, Result<Value> result);
  void WorkerLoop();
  // Starts a worker when queued jobs outnumber idle workers and the running jobs (busy workers
  // not lending their slot) are below the maximum. mutex_ held.
  void StartWorkerIfNeeded();
  // True if a worker may take the next queued job: running jobs below the maximum. mutex_ held.
  bool MayStartAJob() const;
  void WatchdogLoop();
  Status Persist(const JobRecord& record);
  Result<Value> ReturnOfFinished(const std::string& id, const JobCaller& caller);
  static Status CheckOwner(const std::string& id, const std::string& owner, const JobCaller& caller,
                           const char* action);

  Catalog& catalog_;
  const JobManagerOptions options_;
  const int64_t opened_ms_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;            // a job ended or the queue moved; guarded by mutex_
  std::condition_variable queue_changed_;      // guarded by mutex_
  std::condition_variable deadlines_changed_;  // guarded by mutex_
  std::map<std::string, std::shared_ptr<Live>> live_;  // unfinished jobs, by id; mutex_
  std::deque<Queued> queue_;                           // guarded by mutex_
  size_t idle_workers_ = 0;                            // guarded by mutex_
  size_t busy_workers_ = 0;                            // guarded by mutex_
  // Busy workers blocked in GetReturn on another job: each lends its slot, so a background job
  // waiting for one it queued never leaves the pool without a worker. mutex_.
  size_t waiting_workers_ = 0;
  bool stopping_ = false;                              // guarded by mutex_
  std::vector<std::thread> workers_;                   // guarded by mutex_
  std::deque<std::string> kept_order_;                 // guarded by mutex_
  std::map<std::string, std::shared_ptr<Live>> kept_;  // finished, with results; mutex_
  std::thread watchdog_;
};

}  // namespace strata
