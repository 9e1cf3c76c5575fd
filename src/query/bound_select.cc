#include "query/bound_select.h"

#include "base/strings.h"
#include "query/evaluator.h"
#include "query/select.h"

namespace strata {

namespace {

// What a bound query is evaluated in: no variables (binding replaced them), the built-in
// functions only, no tables to open. One per evaluation, so threads share nothing mutable.
class BoundContext : public EvalContext {
 public:
  explicit BoundContext(NullSemantics nulls) : nulls_(nulls) {}
  std::optional<Value> FindVariable(const std::string&) const override { return std::nullopt; }
  FunctionPtr FindFunction(const std::string& name) const override {
    return CoreFunctions().Find(name);
  }
  TableReader* tables() const override { return nullptr; }
  NullSemantics nulls() const override { return nulls_; }
  Result<Value> MakeLambda(const Expr&) override {
    return InvalidArgument("a bound query cannot make a function");
  }

 private:
  NullSemantics nulls_;
};

// Rewrites one query's expressions: columns stay, other names become constants, calls must
// be built in, and subtrees that read no column are evaluated once.
class Binder {
 public:
  Binder(const Schema& schema, const std::string& table, EvalContext& context, NullSemantics nulls)
      : schema_(schema), table_(table), context_(context), folding_(nulls) {}

  // A bound copy of `expr` (nullptr stays nullptr).
  Result<ExprPtr> Bind(const ExprPtr& expr) {
    if (!expr) return expr;
    bool reads_rows = false;
    return BindNode(*expr, &reads_rows);
  }

 private:
  // Binds `expr`; sets *reads_rows when it reads a column (else it is folded).
  Result<ExprPtr> BindNode(const Expr& expr, bool* reads_rows) {
    bool own = false;
    ASSIGN_OR_RETURN(ExprPtr bound, BindOwn(expr, &own));
    *reads_rows = *reads_rows || own;
    return bound;
  }

  Result<ExprPtr> BindOwn(const Expr& expr, bool* reads_rows) {
    auto bound = std::make_shared<Expr>(expr);
    switch (expr.kind) {
      case ExprKind::kLiteral:
        return ExprPtr(bound);
      case ExprKind::kStar:
        *reads_rows = true;
        return ExprPtr(bound);
      case ExprKind::kVariable:
        return BindName(expr, reads_rows);
      case ExprKind::kCall:
        RETURN_IF_ERROR(BindCall(expr, *bound, reads_rows));
        break;
      case ExprKind::kBinary:
      case ExprKind::kUnary:
      case ExprKind::kVector:
      case ExprKind::kTuple:
      case ExprKind::kIndex:
        for (auto& child : bound->children) {
          if (!child) continue;
          ASSIGN_OR_RETURN(child, BindNode(*child, reads_rows));
        }
        break;
      case ExprKind::kMember:
        return Unbindable("column access with '.'", "name the column alone");
      case ExprKind::kSelect:
        return Unbindable("a nested query", "select from the table directly");
      case ExprKind::kMetacode:
        return Unbindable("metacode", "write the expression itself");
      case ExprKind::kLambda:
        return Unbindable("a function definition", "use built-in functions");
    }
    if (*reads_rows) return ExprPtr(bound);
    return Fold(*bound);
  }

  // A column of the table, or the constant a variable holds now.
  Result<ExprPtr> BindName(const Expr& expr, bool* reads_rows) {
    if (schema_.Find(expr.name)) {
      *reads_rows = true;
      return std::make_shared<const Expr>(expr);
    }
    auto value = context_.FindVariable(expr.name);
    if (!value) {
      if (CoreFunctions().Find(expr.name)) return std::make_shared<const Expr>(expr);
      return InvalidArgument(Quote(expr.name) + " is neither a column of table " + Quote(table_) +
                             " nor a defined variable");
    }
    RETURN_IF_ERROR(CheckNotUserFunction(*value, expr.name));
    auto literal = std::make_shared<Expr>(expr);
    literal->kind = ExprKind::kLiteral;
    literal->literal = std::move(*value);
    literal->name.clear();
    return ExprPtr(literal);
  }

  Status BindCall(const Expr& expr, Expr& bound, bool* reads_rows) {
    if (expr.callee) {
      ASSIGN_OR_RETURN(bound.callee, BindNode(*expr.callee, reads_rows));
    } else {
      if (auto variable = context_.FindVariable(expr.name)) {
        RETURN_IF_ERROR(CheckNotUserFunction(*variable, expr.name));
      }
      FunctionPtr function = CoreFunctions().Find(expr.name);
      if (!function) return NotBuiltIn(expr.name);
      if (function->is_aggregate()) *reads_rows = true;  // folded per group, never once
    }
    for (auto& arg : bound.args) {
      if (!arg.value) continue;
      ASSIGN_OR_RETURN(arg.value, BindNode(*arg.value, reads_rows));
    }
    return Status::Ok();
  }

  // True for a built-in function of this module, or one with its first arguments fixed.
  static bool IsBuiltIn(const FunctionPtr& function) {
    if (auto* partial = dynamic_cast<const PartialFunction*>(function.get())) {
      return IsBuiltIn(partial->inner());
    }
    return dynamic_cast<const BuiltinFunction*>(function.get()) != nullptr &&
           CoreFunctions().Find(function->name()) != nullptr;
  }

  Status CheckNotUserFunction(const Value& value, const std::string& name) const {
    FunctionPtr function = AsFunction(value);
    if (function && !IsBuiltIn(function)) {
      return NotBuiltIn(name);
    }
    return Status::Ok();
  }

  static Status NotBuiltIn(const std::string& name) {
    return InvalidArgument("function " + Quote(name) +
                           " is not a built-in function; a query that runs on worker threads (a "
                           "SQL-mode backup) may call built-in functions only");
  }

  // A subtree that reads no column, evaluated now.
  Result<ExprPtr> Fold(const Expr& expr) {
    ASSIGN_OR_RETURN(Value value, Evaluate(expr, folding_));
    auto literal = std::make_shared<Expr>();
    literal->kind = ExprKind::kLiteral;
    literal->line = expr.line;
    literal->literal = std::move(value);
    return ExprPtr(literal);
  }

  Result<ExprPtr> Unbindable(const std::string& what, const std::string& fix) const {
    return InvalidArgument("a query on table " + Quote(table_) + " that runs on worker threads " +
                           "(a SQL-mode backup) cannot hold " + what + ": " + fix);
  }

  const Schema& schema_;
  const std::string& table_;
  EvalContext& context_;
  BoundContext folding_;
};

Status BindColumns(Binder& binder, std::vector<SelectColumn>& columns) {
  for (auto& column : columns) {
    ASSIGN_OR_RETURN(column.expr, binder.Bind(column.expr));
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const BoundSelect>> BoundSelect::Bind(const SelectQuery& query,
                                                             const Schema& schema,
                                                             const std::string& table_name,
                                                             EvalContext& context,
                                                             NullSemantics nulls) {
  Binder binder(schema, table_name, context, nulls);
  SelectQuery bound = query;
  bound.from = nullptr;
  RETURN_IF_ERROR(BindColumns(binder, bound.columns));
  RETURN_IF_ERROR(BindColumns(binder, bound.group_by));
  for (auto& condition : bound.where) {
    ASSIGN_OR_RETURN(condition, binder.Bind(condition));
  }
  for (auto& key : bound.order_by) {
    ASSIGN_OR_RETURN(key.expr, binder.Bind(key.expr));
  }
  return std::shared_ptr<const BoundSelect>(new BoundSelect(std::move(bound), schema, nulls));
}

Result<Value> BoundSelect::Apply(TablePtr rows) const {
  BoundContext context(nulls_);
  return ExecuteSelectOn(query_, std::move(rows), context);
}

std::vector<PrunePredicate> BoundSelect::PrunePredicates(
    const std::vector<std::string>& partition_columns) const {
  if (query_.where.empty() || partition_columns.empty()) return {};
  BoundContext context(nulls_);
  return ExtractPrunePredicates(query_.where, partition_columns, schema_, context);
}

const FunctionRegistry& CoreFunctions() {
  static const FunctionRegistry* const registry = [] {
    auto* made = new FunctionRegistry();
    RegisterCoreFunctions(*made);
    return made;
  }();
  return *registry;
}

}  // namespace strata
