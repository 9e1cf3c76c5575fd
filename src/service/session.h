// Session (DESIGN §11): one user's conversation with an Instance — the logged-in user, the
// current database, the job it runs as (a background job's session) and where progress is
// shown. One per script run; the server will open one per connection; a background job gets
// its own (ForkForJob). Thread-compatible: one statement of a session at a time; many
// sessions of one instance run at once.
#pragma once

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/task_control.h"
#include "jobs/job_manager.h"
#include "service/database_service.h"
#include "service/instance.h"

namespace strata {

// Shows the progress of a long foreground task (the CLI draws a bar on a terminal).
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  virtual void Start(const std::string& title) = 0;
  virtual void Update(const TaskProgress& progress) = 0;  // from worker threads, serialized
  virtual void Finish() = 0;
};

class Session {
 public:
  // `instance` must outlive the session.
  explicit Session(Instance& instance);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Instance& instance() const { return instance_; }
  Engine* engine() const { return instance_.engine(); }

  // Checks `password` and acts as `user` from now on; on failure the session keeps its user.
  Status Login(const std::string& user, const std::string& password);
  // The same for a MySQL client's mysql_native_password answer to the server's scramble.
  Status LoginNative(const std::string& user, std::string_view scramble, std::string_view response);
  // Acts as `user`, who must exist, without a password: for the runs of a schedule that user
  // stored (the scheduler), never for a front end. NotFound when the user is gone.
  Status ActAs(const std::string& user);
  void Logout() { user_.clear(); }
  const std::string& user() const { return user_; }  // "" when nobody is logged in
  // OK when someone is logged in; else PermissionDenied with the kLogin remedy.
  Status CheckLoggedIn() const;
  Result<bool> IsSuperuser() const;
  // The logged-in user as the job manager sees callers (superusers see every job).
  Result<JobCaller> JobCallerOf() const;

  const std::string& current_database() const { return current_database_; }
  void set_current_database(std::string db) { current_database_ = std::move(db); }

  // The session's databases and tables, checked against the logged-in user.
  DatabaseService& databases() const { return *databases_; }

  // The job this session runs as (a fork running submitJob's function), or null.
  const TaskControl* job_control() const { return job_control_; }
  void set_job_control(const TaskControl* control) { job_control_ = control; }
  // Set by a front end when the session's running statement should stop (the server's KILL
  // QUERY); long statements check it between bounded steps (a chunk scanned, rows read). Null:
  // never interrupted. `flag` must outlive the session.
  void set_interrupt_flag(const std::atomic<bool>* flag) { interrupt_ = flag; }
  // Cancelled("Query execution was interrupted") once the flag is set, else OK.
  Status CheckInterrupted() const;
  ProgressObserver* progress() const { return progress_; }
  void set_progress(ProgressObserver* progress) { progress_ = progress; }
  // Something the user should know that did not stop the call (stderr unless a front end
  // routes it elsewhere).
  void Warn(const std::string& message) const { warn_(message); }
  // A warning with a remedy (TaskControl::Warn), in the front end's words.
  void Warn(const Status& warning) const { warn_(error_wording_(warning)); }
  void set_warning_sink(std::function<void(const std::string&)> sink) { warn_ = std::move(sink); }

  // How the session's front end words an error for its user (the message alone until a front
  // end sets it); jobs the session runs keep their error in these words.
  const ErrorWording& error_wording() const { return error_wording_; }
  void set_error_wording(ErrorWording wording) { error_wording_ = std::move(wording); }

  // A session for a background job of this one: the same instance and user, no progress
  // display, the current database kept.
  std::unique_ptr<Session> ForkForJob() const;

 private:
  Instance& instance_;
  std::string user_;
  std::string current_database_;
  const TaskControl* job_control_ = nullptr;
  const std::atomic<bool>* interrupt_ = nullptr;
  ProgressObserver* progress_ = nullptr;
  std::function<void(const std::string&)> warn_ = [](const std::string& message) {
    std::fprintf(stderr, "warning: %s\n", message.c_str());
  };
  ErrorWording error_wording_ = [](const Status& status) { return status.message(); };
  std::unique_ptr<DatabaseService> databases_;  // acts as user_
};

}  // namespace strata
