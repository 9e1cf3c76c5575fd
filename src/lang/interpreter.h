// Interpreter: runs DolphinDB-style script programs against an open Engine. Holds the session
// (variables, the logged-in user) and the function table; expression statements hand their
// values to the output callback, assignments print nothing. Implements EvalContext for the
// query module. Needs external locking: one statement at a time.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "jobs/job_manager.h"
#include "query/ast.h"
#include "query/eval_context.h"
#include "repository/store_settings.h"
#include "service/database_service.h"

namespace strata {

using OutputFn = std::function<void(const Value&)>;

// Shows the progress of a long foreground task (the CLI draws a bar on a terminal).
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  virtual void Start(const std::string& title) = 0;
  virtual void Update(const TaskProgress& progress) = 0;  // from worker threads, serialized
  virtual void Finish() = 0;
};

class Interpreter : public EvalContext {
 public:
  // `engine` may be null (then database functions fail with a clear error); it must outlive
  // the interpreter. With an engine, the interpreter runs a job manager for it.
  Interpreter(Engine* engine, OutputFn output);
  ~Interpreter() override;

  // An interpreter for a background job of this session: the same engine, user and job
  // manager, and the functions defined with `def` (bound to the new interpreter); none of the
  // session's other variables.
  std::unique_ptr<Interpreter> ForkForJob() const;
  // `function`, taken from the parent session, bound to this (forked) interpreter: builtins by
  // name, `def` functions and lambdas to this interpreter, partial applications inside out.
  Result<FunctionPtr> Adopt(const FunctionPtr& function);

  // Runs every statement in order; stops at the first error and returns it, its message
  // prefixed with "line N: " (the failing top-level statement's line).
  Status Run(const Program& program);
  // Parses and runs `source`.
  Status RunSource(std::string_view source);

  Status Login(const std::string& user, const std::string& password);
  void Logout() { user_.clear(); }
  const std::string& user() const { return user_; }

  // The job manager (null without an engine, or if it could not start: see jobs_status()).
  JobManager* jobs() const { return jobs_; }
  const Status& jobs_status() const { return jobs_status_; }
  void set_progress(ProgressObserver* progress) { progress_ = progress; }
  // The job this session runs as (a fork running submitJob's function), or null.
  const TaskControl* job_control() const { return job_control_; }
  void set_job_control(const TaskControl* control) { job_control_ = control; }
  ProgressObserver* progress() const { return progress_; }
  // How backup locations are reached (strata.cfg and the environment); shared with forks.
  const StoreSettings& store_settings() const { return *store_settings_; }
  void set_store_settings(StoreSettings settings) {
    store_settings_ = std::make_shared<const StoreSettings>(std::move(settings));
  }

  // The open engine (null without a data directory), for the backup family and user
  // management. Databases and tables are reached through databases(), never through it.
  Engine* engine() const { return engine_; }
  // The session's databases and tables: every table read and every change is checked against
  // the logged-in user there (and only there).
  DatabaseService& databases() const { return *databases_; }
  // strata.cfg's scriptFileDir: the directory under which sessions that are not superusers may
  // name files (lang/script_files.h); "" when unset. Shared with forks.
  const std::string& script_file_dir() const { return script_file_dir_; }
  void set_script_file_dir(std::string dir) { script_file_dir_ = std::move(dir); }

  // EvalContext
  std::optional<Value> FindVariable(const std::string& name) const override;
  FunctionPtr FindFunction(const std::string& name) const override;
  TableReader* tables() const override { return engine_ ? databases_.get() : nullptr; }
  Result<Value> MakeLambda(const Expr& lambda) override;

  // Used by builtins.
  void Print(const Value& value) { output_(value); }
  // A warning for the user (stderr by default; a front end may route it elsewhere).
  void Warn(const std::string& message) { warn_(message); }
  void set_warning_sink(std::function<void(const std::string&)> sink) { warn_ = std::move(sink); }
  FunctionRegistry& registry() { return registry_; }
  // Calls a user function body with `args` bound to `params` in a new frame.
  Result<Value> CallUser(const std::vector<std::string>& params, const std::vector<StmtPtr>& body,
                         std::vector<Value> args);

 private:
  enum class Flow : uint8_t { kNormal, kReturn, kBreak, kContinue };
  struct Outcome {
    Flow flow = Flow::kNormal;
    Value value;  // for kReturn
  };

  Result<Outcome> Execute(const Stmt& stmt, bool top_level);
  Result<Outcome> ExecuteBlock(const std::vector<StmtPtr>& body);
  Result<Outcome> ExecuteExpression(const Stmt& stmt, bool top_level);
  void Assign(const std::string& name, Value value);

  // Forks share the parent's job manager.
  Interpreter(Engine* engine, OutputFn output, JobManager* jobs);

  Engine* engine_;
  OutputFn output_;
  std::function<void(const std::string&)> warn_ = [](const std::string& message) {
    std::fprintf(stderr, "warning: %s\n", message.c_str());
  };
  std::unique_ptr<JobManager> owned_jobs_;
  JobManager* jobs_ = nullptr;
  Status jobs_status_;
  ProgressObserver* progress_ = nullptr;
  std::shared_ptr<const StoreSettings> store_settings_ = std::make_shared<const StoreSettings>();
  const TaskControl* job_control_ = nullptr;
  std::string script_file_dir_;
  FunctionRegistry registry_;
  std::vector<std::unordered_map<std::string, Value>> frames_;  // [0] = globals
  std::string user_;
  std::unique_ptr<DatabaseService> databases_;  // acts as user_
};

// Registers the database-facing builtins (database, createPartitionedTable, loadTable,
// append!, dropPartition, login, print, loadText, createUser, grant, ...). Defined in
// builtins_*.cc.
void RegisterDatabaseFunctions(Interpreter& interpreter);
void RegisterSessionFunctions(Interpreter& interpreter);
void RegisterTextFunctions(Interpreter& interpreter);
void RegisterUserFunctions(Interpreter& interpreter);
void RegisterBackupFunctions(Interpreter& interpreter);
void RegisterJobFunctions(Interpreter& interpreter);

}  // namespace strata
