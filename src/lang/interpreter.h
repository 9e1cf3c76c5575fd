// Interpreter: runs DolphinDB-style script programs against an open Engine. Holds the session
// (variables, the logged-in user) and the function table; expression statements hand their
// values to the output callback, assignments print nothing. Implements EvalContext for the
// query module. Needs external locking: one statement at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "query/ast.h"
#include "query/eval_context.h"

namespace strata {

using OutputFn = std::function<void(const Value&)>;

class Interpreter : public EvalContext {
 public:
  // `engine` may be null (then database functions fail with a clear error); it must outlive
  // the interpreter.
  Interpreter(Engine* engine, OutputFn output);

  // Runs every statement in order; stops at the first error and returns it, its message
  // prefixed with "line N: " (the failing top-level statement's line).
  Status Run(const Program& program);
  // Parses and runs `source`.
  Status RunSource(std::string_view source);

  Status Login(const std::string& user, const std::string& password);
  void Logout() { user_.clear(); }
  const std::string& user() const { return user_; }

  // EvalContext
  std::optional<Value> FindVariable(const std::string& name) const override;
  FunctionPtr FindFunction(const std::string& name) const override;
  Engine* engine() const override { return engine_; }
  Result<Value> MakeLambda(const Expr& lambda) override;

  // Used by builtins.
  void Print(const Value& value) { output_(value); }
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

  Engine* engine_;
  OutputFn output_;
  FunctionRegistry registry_;
  std::vector<std::unordered_map<std::string, Value>> frames_;  // [0] = globals
  std::string user_;
};

// Registers the database-facing builtins (database, createPartitionedTable, loadTable,
// append!, dropPartition, login, print, loadText, createUser, grant, ...). Defined in
// builtins_*.cc.
void RegisterDatabaseFunctions(Interpreter& interpreter);
void RegisterSessionFunctions(Interpreter& interpreter);
void RegisterTextFunctions(Interpreter& interpreter);
void RegisterUserFunctions(Interpreter& interpreter);

}  // namespace strata
