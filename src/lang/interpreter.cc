#include "lang/interpreter.h"

#include <algorithm>
#include <functional>

#include "auth/auth.h"
#include "base/strings.h"
#include "lang/ast_printer.h"
#include "lang/parser.h"
#include "lang/script_remedy.h"
#include "partition/partition_scheme.h"
#include "query/dfs_table.h"
#include "query/evaluator.h"
#include "query/operators.h"
#include "query/select.h"

namespace strata {

namespace {

// A user-defined function (def or lambda). Holds its interpreter, which outlives it.
class UserFunction : public FunctionObject {
 public:
  UserFunction(Interpreter* interpreter, std::string name, std::vector<std::string> params,
               std::vector<StmtPtr> body)
      : interpreter_(interpreter),
        name_(std::move(name)),
        params_(std::move(params)),
        body_(std::move(body)) {}
  // The same function, run by another interpreter.
  UserFunction(Interpreter* interpreter, const UserFunction& other)
      : UserFunction(interpreter, other.name_, other.params_, other.body_) {}
  const std::vector<std::string>& params() const override { return params_; }
  const std::string& name() const override { return name_; }
  // Its definition as script text (a lambda when `as_lambda`).
  std::string Source(bool as_lambda) const {
    return DefinitionToString(as_lambda ? "" : name_, params_, body_);
  }
  Result<Value> Invoke(EvalContext&, std::vector<Value> args) const override {
    if (args.size() > params_.size()) {
      return InvalidArgument("function " + name_ + " takes " + std::to_string(params_.size()) +
                             " argument(s) but got " + std::to_string(args.size()));
    }
    return interpreter_->CallUser(params_, body_, std::move(args));
  }

 private:
  Interpreter* interpreter_;
  std::string name_;
  std::vector<std::string> params_;
  std::vector<StmtPtr> body_;
};

constexpr size_t kCallDepthMax = 200;

// The constants every script sees: partition types, type names and access types (DB_READ,
// DB_WRITE: the strings themselves, so grant(u, DB_READ) and grant(u, "DB_READ") agree).
std::unordered_map<std::string, Value> Constants() {
  std::unordered_map<std::string, Value> out;
  for (DatabaseAccess access : {DatabaseAccess::kRead, DatabaseAccess::kWrite}) {
    out[DatabaseAccessName(access)] =
        Value(Scalar::String(Type::kString, DatabaseAccessName(access)));
  }
  for (PartitionType t : {PartitionType::kValue, PartitionType::kRange, PartitionType::kHash,
                          PartitionType::kList, PartitionType::kCompo}) {
    out[PartitionTypeName(t)] = Value(Scalar::Int(Type::kInt, static_cast<int64_t>(t)));
  }
  for (int id = 1; id <= 18; ++id) {
    out[TypeName(static_cast<Type>(id))] = Value(Scalar::Int(Type::kInt, id));
  }
  out["ANY"] = Value(Scalar::Int(Type::kInt, kAnyTypeId));
  return out;
}

}  // namespace

Interpreter::Interpreter(Session& session, OutputFn output)
    : session_(session), output_(std::move(output)) {
  session_.set_error_wording(ScriptMessage);  // jobs keep their errors in the script's words
  RegisterCoreFunctions(registry_);
  RegisterDatabaseFunctions(*this);
  RegisterSessionFunctions(*this);
  RegisterTextFunctions(*this);
  RegisterUserFunctions(*this);
  RegisterBackupFunctions(*this);
  RegisterJobFunctions(*this);
  RegisterClientFunctions(*this);
  RegisterScheduleFunctions(*this);
  frames_.emplace_back(Constants());
}

Interpreter::Interpreter(std::unique_ptr<Session> session, OutputFn output)
    : Interpreter(*session, std::move(output)) {
  owned_session_ = std::move(session);
}

Interpreter::~Interpreter() = default;

std::unique_ptr<Interpreter> Interpreter::ForkForJob() const {
  auto job =
      std::unique_ptr<Interpreter>(new Interpreter(session_.ForkForJob(), [](const Value&) {}));
  for (const auto& [name, value] : frames_.front()) {
    if (!value.is_object()) continue;
    if (auto f = std::dynamic_pointer_cast<const UserFunction>(value.object())) {
      job->frames_.front()[name] =
          Value::MakeObject(std::make_shared<const UserFunction>(job.get(), *f));
    }
  }
  return job;
}

std::optional<Value> Interpreter::FindVariable(const std::string& name) const {
  if (frames_.size() > 1) {
    auto it = frames_.back().find(name);
    if (it != frames_.back().end()) return it->second;
  }
  auto it = frames_.front().find(name);
  if (it != frames_.front().end()) return it->second;
  return std::nullopt;
}

FunctionPtr Interpreter::FindFunction(const std::string& name) const {
  return registry_.Find(name);
}

Result<FunctionPtr> Interpreter::Adopt(const FunctionPtr& function) {
  if (auto user = std::dynamic_pointer_cast<const UserFunction>(function)) {
    return FunctionPtr(std::make_shared<const UserFunction>(this, *user));
  }
  if (auto partial = std::dynamic_pointer_cast<const PartialFunction>(function)) {
    ASSIGN_OR_RETURN(FunctionPtr inner, Adopt(partial->inner()));
    return FunctionPtr(std::make_shared<const PartialFunction>(inner, partial->bound()));
  }
  FunctionPtr builtin = registry_.Find(function->name());
  if (builtin == nullptr) {
    return InvalidArgument("function " + function->name() + " cannot run as a background job");
  }
  return builtin;
}

Result<std::string> Interpreter::FunctionSource(const FunctionPtr& function) const {
  std::vector<std::string> definitions;
  auto is_global_def = [&](const UserFunction& f) {
    auto it = frames_.front().find(f.name());
    return it != frames_.front().end() && it->second.is_object() && it->second.object().get() == &f;
  };
  for (const auto& [name, value] : frames_.front()) {
    if (!value.is_object()) continue;
    if (auto f = std::dynamic_pointer_cast<const UserFunction>(value.object())) {
      if (is_global_def(*f)) definitions.push_back(f->Source(/*as_lambda=*/false));
    }
  }
  std::sort(definitions.begin(), definitions.end());  // the same text for the same session
  std::function<Result<std::string>(const FunctionPtr&)> expression =
      [&](const FunctionPtr& f) -> Result<std::string> {
    if (auto user = std::dynamic_pointer_cast<const UserFunction>(f)) {
      return is_global_def(*user) ? user->name() : user->Source(/*as_lambda=*/true);
    }
    if (auto partial = std::dynamic_pointer_cast<const PartialFunction>(f)) {
      ASSIGN_OR_RETURN(std::string inner, expression(partial->inner()));
      std::vector<std::string> args;
      for (const Value& arg : partial->bound()) {
        if (!arg.is_void() && !arg.is_scalar() && !arg.is_vector() && !arg.is_pair()) {
          return InvalidArgument(
              "the fixed arguments of a scheduled function must be scalars, "
              "pairs or vectors, not a " +
              arg.Describe() + "; compute the value inside the function");
        }
        args.push_back(arg.is_void() ? "" : LiteralToString(arg));
      }
      return inner + "{" + Join(args, ", ") + "}";
    }
    return f->name();
  };
  ASSIGN_OR_RETURN(std::string function_text, expression(function));
  definitions.push_back(function_text);
  return Join(definitions, "\n");
}

Result<Value> Interpreter::MakeLambda(const Expr& lambda) {
  if (!lambda.body) return InvalidArgument("a function definition without a body");
  return Value::MakeObject(
      std::make_shared<const UserFunction>(this, "lambda", lambda.params, lambda.body->statements));
}

void Interpreter::Show(Value value) {
  if (answer_ != nullptr) {
    *answer_ = std::move(value);
  } else {
    output_(value);
  }
}

void Interpreter::Assign(const std::string& name, Value value) {
  frames_.back()[name] = std::move(value);
}

Result<Value> Interpreter::CallUser(const std::vector<std::string>& params,
                                    const std::vector<StmtPtr>& body, std::vector<Value> args) {
  if (frames_.size() > kCallDepthMax) {
    return FailedPrecondition("function calls nest deeper than " + std::to_string(kCallDepthMax) +
                              " levels");
  }
  args.resize(params.size());
  std::unordered_map<std::string, Value> frame;
  for (size_t i = 0; i < params.size(); ++i) frame[params[i]] = std::move(args[i]);
  frames_.push_back(std::move(frame));
  auto outcome = ExecuteBlock(body);
  frames_.pop_back();
  if (!outcome.ok()) return outcome.status();
  return outcome->flow == Flow::kReturn ? outcome->value : Value();
}

Status Interpreter::RunSource(std::string_view source) {
  ASSIGN_OR_RETURN(Program program, ParseProgram(source));
  return Run(program);
}

namespace {

// The statement boundary: nothing a statement throws ends the process.
template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return Internal(std::string("the statement failed: ") + e.what() + "; please report this");
  } catch (...) {
    return Internal("the statement failed with an unknown exception; please report this");
  }
}

}  // namespace

Result<Value> Interpreter::Answer(std::string_view source) {
  ASSIGN_OR_RETURN(Program program, ParseProgram(source));
  std::optional<Value> answer;
  answer_ = &answer;
  Status status = Run(program);
  answer_ = nullptr;
  RETURN_IF_ERROR(status);
  return answer ? std::move(*answer) : Value();
}

Result<Value> Interpreter::CallFunction(const std::string& name, std::vector<Value> args) {
  FunctionPtr function = FindCallee(name, *this);
  if (!function) return NotFound("function " + Quote(name) + " is not defined");
  return Guarded([&]() -> Result<Value> {
    Result<Value> value = function->Invoke(*this, std::move(args));
    if (!value.ok()) return Status(value.status().code(), ScriptMessage(value.status()));
    return value;
  });
}

Status Interpreter::Run(const Program& program) {
  for (const auto& stmt : program.statements) {
    if (answer_ != nullptr) answer_->reset();
    Status status = Guarded([&] { return Execute(*stmt, /*top_level=*/true).status(); });
    if (!status.ok()) {
      return Status(status.code(),
                    "line " + std::to_string(stmt->line) + ": " + ScriptMessage(status));
    }
  }
  return Status::Ok();
}

Result<Interpreter::Outcome> Interpreter::ExecuteBlock(const std::vector<StmtPtr>& body) {
  for (const auto& stmt : body) {
    ASSIGN_OR_RETURN(Outcome outcome, Execute(*stmt, /*top_level=*/false));
    if (outcome.flow != Flow::kNormal) return outcome;
  }
  return Outcome{};
}

Result<Interpreter::Outcome> Interpreter::ExecuteExpression(const Stmt& stmt, bool top_level) {
  const Expr& expr = *stmt.expr;
  // `t.append!(x)` / `tableInsert(t, x)` on an in-memory table variable rebinds the variable.
  bool mutating = expr.kind == ExprKind::kCall && !expr.callee &&
                  (expr.name == "append!" || expr.name == "tableInsert") && !expr.args.empty() &&
                  expr.args[0].value && expr.args[0].value->kind == ExprKind::kVariable;
  std::optional<Value> target;
  if (mutating) target = FindVariable(expr.args[0].value->name);
  ASSIGN_OR_RETURN(Value value, Evaluate(expr, *this));
  if (mutating && target && target->is_table() && value.is_table()) {
    Value grown = value;
    Assign(expr.args[0].value->name, std::move(grown));
    if (expr.name == "tableInsert") {
      if (top_level) {
        Show(Value(Scalar::Int(Type::kInt, static_cast<int64_t>(value.size() - target->size()))));
      }
    }
    return Outcome{};
  }
  // A statement that only appends shows nothing, though append! returns its table.
  bool appends = expr.kind == ExprKind::kCall && !expr.callee && expr.name == "append!";
  if (top_level && !value.is_void() && !appends) Show(std::move(value));
  return Outcome{};
}

Result<Interpreter::Outcome> Interpreter::Execute(const Stmt& stmt, bool top_level) {
  switch (stmt.kind) {
    case StmtKind::kExpr:
      return ExecuteExpression(stmt, top_level);
    case StmtKind::kAssign: {
      ASSIGN_OR_RETURN(Value value, Evaluate(*stmt.expr, *this));
      if (stmt.targets.size() == 1) {
        Assign(stmt.targets[0], std::move(value));
        return Outcome{};
      }
      if (!value.is_tuple() || value.size() != stmt.targets.size()) {
        return InvalidArgument("cannot assign a " + value.Describe() + " to " +
                               std::to_string(stmt.targets.size()) + " variables");
      }
      for (size_t i = 0; i < stmt.targets.size(); ++i) Assign(stmt.targets[i], value.tuple()[i]);
      return Outcome{};
    }
    case StmtKind::kUpdate: {
      const std::string& name = stmt.update->table->name;
      ASSIGN_OR_RETURN(Value target, Evaluate(*stmt.update->table, *this));
      if (const DfsTableObject* dfs = AsDfsTable(target)) {
        // Refused before any partition is read when the user may not change the database.
        RETURN_IF_ERROR(databases().Check(dfs->db_name(), DatabaseAccess::kWrite));
        ASSIGN_OR_RETURN(auto rewrites, PlanDfsUpdate(*stmt.update, *dfs, *this));
        RETURN_IF_ERROR(
            databases().RewriteChunks(dfs->db_name(), dfs->table_name(), rewrites).status());
        return Outcome{};
      }
      if (!target.is_table()) {
        return InvalidArgument("update changes a table, and " + Quote(name) + " is a " +
                               target.Describe());
      }
      ASSIGN_OR_RETURN(TablePtr updated, UpdateTable(*stmt.update, target.table(), *this));
      Assign(name, Value::MakeTable(std::move(updated)));
      return Outcome{};
    }
    case StmtKind::kDef:
      Assign(stmt.name, Value::MakeObject(std::make_shared<const UserFunction>(
                            this, stmt.name, stmt.params, stmt.body)));
      return Outcome{};
    case StmtKind::kIf: {
      ASSIGN_OR_RETURN(Value condition, Evaluate(*stmt.expr, *this));
      ASSIGN_OR_RETURN(auto mask, ToMask(condition, 1));
      if (!condition.is_scalar()) {
        return InvalidArgument("an if condition must be a scalar, got a " + condition.Describe());
      }
      return ExecuteBlock(mask[0] ? stmt.body : stmt.else_body);
    }
    case StmtKind::kFor: {
      ASSIGN_OR_RETURN(Value range, Evaluate(*stmt.expr, *this));
      std::vector<Value> items;
      if (range.is_pair()) {
        ASSIGN_OR_RETURN(Value hi, ApplyBinary(BinaryOp::kSub, Value(range.column()->Get(1)),
                                               Value(Scalar::Int(Type::kInt, 1))));
        ASSIGN_OR_RETURN(range, ApplyBinary(BinaryOp::kRange, Value(range.column()->Get(0)), hi));
      }
      if (range.is_tuple()) {
        items = range.tuple();
      } else if (range.is_vector()) {
        for (size_t i = 0; i < range.size(); ++i) items.emplace_back(range.column()->Get(i));
      } else if (range.is_scalar()) {
        items.push_back(range);
      } else {
        return InvalidArgument("cannot iterate over a " + range.Describe());
      }
      for (auto& item : items) {
        Assign(stmt.targets[0], std::move(item));
        ASSIGN_OR_RETURN(Outcome outcome, ExecuteBlock(stmt.body));
        if (outcome.flow == Flow::kBreak) break;
        if (outcome.flow == Flow::kReturn) return outcome;
      }
      return Outcome{};
    }
    case StmtKind::kWhile:
    case StmtKind::kDoWhile: {
      bool first = stmt.kind == StmtKind::kDoWhile;
      for (;;) {
        if (!first) {
          ASSIGN_OR_RETURN(Value condition, Evaluate(*stmt.expr, *this));
          ASSIGN_OR_RETURN(auto mask, ToMask(condition, 1));
          if (!mask[0]) break;
        }
        first = false;
        ASSIGN_OR_RETURN(Outcome outcome, ExecuteBlock(stmt.body));
        if (outcome.flow == Flow::kBreak) break;
        if (outcome.flow == Flow::kReturn) return outcome;
      }
      return Outcome{};
    }
    case StmtKind::kReturn: {
      Outcome outcome{Flow::kReturn, Value()};
      if (stmt.expr) {
        ASSIGN_OR_RETURN(outcome.value, Evaluate(*stmt.expr, *this));
      }
      return outcome;
    }
    case StmtKind::kBreak:
      return Outcome{Flow::kBreak, Value()};
    case StmtKind::kContinue:
      return Outcome{Flow::kContinue, Value()};
    case StmtKind::kBlock:
      return ExecuteBlock(stmt.body);
  }
  return Internal("unknown statement kind");
}

}  // namespace strata
