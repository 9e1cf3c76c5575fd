// Interpreter: runs DolphinDB-style script programs in a Session of an Instance (service/).
// Holds the script's variables and function table; the user, the engine, the job manager and
// the settings belong to the session and its instance. Expression statements hand their values
// to the output callback, assignments print nothing. Implements EvalContext for the query
// module. Needs external locking: one statement at a time.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "jobs/job_manager.h"
#include "lang/script_ast.h"
#include "query/eval_context.h"
#include "repository/store_settings.h"
#include "service/database_service.h"
#include "service/session.h"

namespace strata {

using OutputFn = std::function<void(const Value&)>;

class Interpreter : public EvalContext {
 public:
  // Runs scripts in `session`, which must outlive the interpreter. Without an engine in the
  // session's instance, database functions fail with a clear error.
  Interpreter(Session& session, OutputFn output);
  ~Interpreter() override;

  // An interpreter for a background job of this session: a session of its own on the same
  // instance, as the same user, and the functions defined with `def` (bound to the new
  // interpreter); none of the session's other variables.
  std::unique_ptr<Interpreter> ForkForJob() const;
  // `function`, taken from the parent session, bound to this (forked) interpreter: builtins by
  // name, `def` functions and lambdas to this interpreter, partial applications inside out.
  Result<FunctionPtr> Adopt(const FunctionPtr& function);

  // Runs every statement in order; stops at the first error and returns it, its message
  // prefixed with "line N: " (the failing top-level statement's line).
  Status Run(const Program& program);
  // Parses and runs `source`.
  Status RunSource(std::string_view source);
  // Runs `source` as a client's request does (the DolphinDB port): the value of its last
  // top-level statement is the answer (VOID when that statement is no expression, or shows
  // nothing, as `append!`); the values of the statements before it are not handed to the
  // output, which only `print` (and the like) reaches. Errors as Run's.
  Result<Value> Answer(std::string_view source);
  // Calls the function `name` (a `def` of the session, else a builtin) with positional
  // arguments, as a client's function request does; NotFound naming it when there is none.
  Result<Value> CallFunction(const std::string& name, std::vector<Value> args);
  // Script text that evaluates, in a new interpreter, to `function`: the session's `def`
  // functions (which it may call), then an expression for it — its name, a lambda, or a
  // partial application with its fixed arguments as literals. InvalidArgument when a fixed
  // argument has no literal (only scalars, pairs and vectors have, as in DolphinDB).
  Result<std::string> FunctionSource(const FunctionPtr& function) const;
  // Binds a session variable (a client's upload).
  void SetVariable(const std::string& name, Value value) {
    frames_.front()[name] = std::move(value);
  }

  // The session this interpreter runs in, and its instance.
  Session& session() const { return session_; }
  Instance& instance() const { return session_.instance(); }

  Status Login(const std::string& user, const std::string& password) {
    return session_.Login(user, password);
  }
  void Logout() { session_.Logout(); }
  const std::string& user() const { return session_.user(); }

  // The process's job manager, or why there is none.
  Result<JobManager*> jobs() const { return instance().jobs(); }
  // The job this session runs as (a fork running submitJob's function), or null.
  const TaskControl* job_control() const { return session_.job_control(); }
  ProgressObserver* progress() const { return session_.progress(); }
  // How backup locations are reached (strata.cfg and the environment).
  const StoreSettings& store_settings() const { return instance().store_settings(); }

  // The open engine (null without a data directory), for the backup family and user
  // management. Databases and tables are reached through databases(), never through it.
  Engine* engine() const { return instance().engine(); }
  // The session's databases and tables: every table read and every change is checked against
  // the logged-in user there (and only there).
  DatabaseService& databases() const { return session_.databases(); }
  // strata.cfg's scriptFileDir: the directory under which sessions that are not superusers may
  // name files (lang/script_files.h); "" when unset.
  const std::string& script_file_dir() const { return instance().script_file_dir(); }

  // EvalContext
  std::optional<Value> FindVariable(const std::string& name) const override;
  FunctionPtr FindFunction(const std::string& name) const override;
  TableReader* tables() const override { return engine() ? &databases() : nullptr; }
  Result<Value> MakeLambda(const Expr& lambda) override;

  // Used by builtins.
  void Print(const Value& value) { output_(value); }
  // A warning for the user (stderr by default; a front end may route it elsewhere).
  void Warn(const std::string& message) { session_.Warn(message); }
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
  // A top-level statement's value: to the output, or kept as the answer while Answer runs.
  void Show(Value value);

  // A fork owns its session.
  Interpreter(std::unique_ptr<Session> session, OutputFn output);

  std::unique_ptr<Session> owned_session_;  // a fork's; null for the main interpreter
  Session& session_;
  OutputFn output_;
  FunctionRegistry registry_;
  std::vector<std::unordered_map<std::string, Value>> frames_;  // [0] = globals
  // While Answer runs: the last top-level statement's value, in place of the output.
  std::optional<Value>* answer_ = nullptr;
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
void RegisterClientFunctions(Interpreter& interpreter);
// DolphinDB's type id of ANY (a tuple), which Strata's Type has no member for: the script's
// constant ANY, type() of a tuple, cast(x, ANY).
inline constexpr int64_t kAnyTypeId = 25;
void RegisterScheduleFunctions(Interpreter& interpreter);

}  // namespace strata
