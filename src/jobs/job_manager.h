// JobManager (DESIGN §7): every backup and restore runs as a job — in the foreground (the
// DolphinDB functions wait for it) or on a background thread (submitJob). It enforces one
// running backup-or-restore per database, publishes progress, persists every job's record in
// the catalog (a job that was running when the process died is found as "interrupted" at the
// next start), and answers status queries. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backup/task_control.h"
#include "catalog/catalog.h"
#include "types/value.h"

namespace strata {

struct JobSpec {
  std::string id;    // empty: one is generated
  std::string kind;  // BACKUP_BY_COPY_FILE, BACKUP_BY_SQL, RESTORE_BY_COPY_FILE, ...
  std::string user;
  std::string database;  // the database a backup or restore works on
  std::string table;
  std::string label;                    // description
  bool exclusive = false;               // one running exclusive job per database
  TaskControl::Listener observer;       // also told of every progress change (a progress display)
  const TaskControl* parent = nullptr;  // the job this one runs inside; cancelling it cancels this
};

using JobWork = std::function<Result<Value>(TaskControl&)>;

class JobManager {
 public:
  // Marks jobs that an earlier process left "running" as "interrupted".
  static Result<std::unique_ptr<JobManager>> Open(Catalog& catalog);
  ~JobManager();  // waits for background jobs

  // Runs `work` on this thread as a job; returns its result.
  Result<Value> Run(const JobSpec& spec, const JobWork& work);
  // Starts `work` on a background thread; returns the job id at once. Exclusivity is checked
  // now, so a conflict is reported to the caller.
  Result<std::string> Submit(const JobSpec& spec, JobWork work);

  // The result of job `id`: waits for it when `wait`, else FailedPrecondition while running.
  // A failed job returns its error. `user` must own the job unless `is_admin` (else
  // PermissionDenied naming the owner). A job of an earlier process has no result any more:
  // FailedPrecondition saying so, which never shows what the job returned.
  Result<Value> GetReturn(const std::string& id, bool wait, const std::string& user, bool is_admin);
  // Asks job `id` to stop (between bounded steps). `user` must own it unless `is_admin`.
  Status Cancel(const std::string& id, const std::string& user, bool is_admin);

  // Every job record, with live progress for running jobs, oldest first.
  Result<std::vector<JobRecord>> List();
  // Blocks until no background job runs.
  void WaitAll();

 private:
  struct Live {
    JobRecord record;
    std::shared_ptr<TaskControl> control;
    bool done = false;  // set only after the final record is persisted
    Result<Value> result = Value();
    int64_t persisted_ms = 0;
    // Orders progress records before the final one, which nothing may overwrite.
    std::mutex persist_mutex;
    bool final_persisted = false;  // guarded by persist_mutex
  };

  explicit JobManager(Catalog& catalog) : catalog_(catalog) {}
  // Registers a job (checking exclusivity) and persists its first record.
  Result<std::shared_ptr<Live>> Begin(const JobSpec& spec);
  void Execute(const std::shared_ptr<Live>& live, const JobWork& work);
  Status Persist(const JobRecord& record);
  // OK if `user` may `action` ("cancel it", "get its result") the job of `record`: its owner
  // or a superuser; else PermissionDenied naming the owner.
  static Status CheckOwner(const JobRecord& record, const std::string& user, bool is_admin,
                           const char* action);

  Catalog& catalog_;
  std::mutex mutex_;
  std::condition_variable changed_;                    // guarded by mutex_
  std::map<std::string, std::shared_ptr<Live>> live_;  // this process's jobs, by id
  std::vector<std::thread> threads_;                   // guarded by mutex_
};

}  // namespace strata
