// SqlSession's side of the MySQL client statements: SET of variables, KILL, the values of
// @@name and of DATABASE(), USER(), CONNECTION_ID(), VERSION() (substituted into expressions as
// literals before the query engine sees them), the diagnostics SHOW WARNINGS reads, and the
// columns COM_FIELD_LIST lists.
#include <memory>
#include <utility>

#include "base/strings.h"
#include "query/evaluator.h"
#include "sql/binder_types.h"
#include "sql/sql_select_internal.h"
#include "sql/sql_session.h"
#include "sql/table_store.h"

namespace strata {

namespace {

Value TextValue(std::string text) { return Value(Scalar::String(Type::kString, std::move(text))); }

ExprPtr LiteralOf(Value value, int line) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kLiteral;
  expr->line = line;
  expr->literal = std::move(value);
  return expr;
}

bool IsDiagnosticsShow(const Statement* statement) {
  const auto* show = statement ? std::get_if<SqlShow>(statement) : nullptr;
  return show && (show->kind == SqlShowKind::kWarnings || show->kind == SqlShowKind::kErrors);
}

}  // namespace

void SqlSession::set_server_info(SqlServerInfo info) {
  info_ = std::move(info);
  variables_.ApplyServerInfo(info_);
}

void SqlSession::NoteDiagnostics(const Statement* statement, const Result<SqlOutcome>& outcome) {
  // SHOW WARNINGS / ERRORS read the diagnostics; they do not replace them (as in MySQL).
  if (outcome.ok() && IsDiagnosticsShow(statement)) return;
  last_warnings_.clear();
  last_error_.reset();
  if (outcome.ok()) {
    last_warnings_ = outcome->warnings;
  } else {
    last_error_ = SqlErrorText(outcome.status());
  }
}

Result<Value> SqlSession::SystemVariableValue(const std::string& reference) const {
  std::string name = reference;
  size_t dot = name.find('.');
  if (dot != std::string::npos) name = name.substr(dot + 1);  // session. / global. / local.
  std::optional<SqlCell> cell = variables_.Find(name);
  if (!cell) {
    return InvalidArgument("unknown system variable " + Quote(name) +
                           "; SHOW VARIABLES lists them, SET " + name + " = value defines one");
  }
  if (!*cell) {
    return Value(Scalar::Null(variables_.TypeOf(name) == "BIGINT" ? Type::kLong : Type::kString));
  }
  return Value(**cell);
}

std::optional<Value> SqlSession::SessionFunctionValue(const std::string& name) const {
  std::string lower = ToLower(name);
  if (lower == "database" || lower == "schema") {
    if (session_.current_database().empty()) return Value(Scalar::Null(Type::kString));
    return TextValue(DorisDatabaseName(session_.current_database()));
  }
  if (lower == "user" || lower == "session_user" || lower == "system_user") {
    return TextValue(session_.user() + "@" + info_.client_host);
  }
  if (lower == "current_user") return TextValue(session_.user() + "@%");
  if (lower == "connection_id") {
    return Value(Scalar::Int(Type::kLong, static_cast<int64_t>(info_.connection_id)));
  }
  if (lower == "version") return TextValue(info_.version);
  return std::nullopt;
}

Result<ExprPtr> SqlSession::SubstituteSessionValues(const ExprPtr& expr) const {
  if (!expr) return expr;
  const Expr& e = *expr;
  if (e.kind == ExprKind::kCall && e.args.empty()) {
    if (e.name.rfind("@@", 0) == 0) {
      ASSIGN_OR_RETURN(Value value, SystemVariableValue(e.name.substr(2)));
      return LiteralOf(std::move(value), e.line);
    }
    if (auto value = SessionFunctionValue(e.name)) return LiteralOf(std::move(*value), e.line);
  }
  if (e.children.empty() && e.args.empty()) return expr;
  Expr copy = e;
  for (auto& child : copy.children) {
    ASSIGN_OR_RETURN(child, SubstituteSessionValues(child));
  }
  for (auto& arg : copy.args) {
    ASSIGN_OR_RETURN(arg.value, SubstituteSessionValues(arg.value));
  }
  return std::make_shared<const Expr>(std::move(copy));
}

Result<SqlOutcome> SqlSession::SelectWithoutFrom(const SqlSelect& s) {
  const SelectQuery& query = s.query;
  if (!query.where.empty() || !query.group_by.empty()) {
    return InvalidArgument("WHERE and GROUP BY need a FROM clause");
  }
  SqlResultSet out;
  std::vector<SqlCell> row;
  SqlEvalContext context(session_);
  for (size_t i = 0; i < query.columns.size(); ++i) {
    const SelectColumn& column = query.columns[i];
    const Expr& e = *column.expr;
    if (e.kind == ExprKind::kStar) return InvalidArgument("SELECT * needs a FROM clause");
    std::string name = !column.alias.empty()                           ? column.alias
                       : s.column_texts.size() == query.columns.size() ? s.column_texts[i]
                                                                       : SqlExprText(e);
    out.columns.push_back(name);
    if (e.kind == ExprKind::kCall && e.args.empty() && e.name.rfind("@@", 0) == 0) {
      // A variable alone: its cell and type as they are.
      std::string variable = e.name.substr(2);
      size_t dot = variable.find('.');
      if (dot != std::string::npos) variable = variable.substr(dot + 1);
      std::optional<SqlCell> cell = variables_.Find(variable);
      if (!cell) return SystemVariableValue(e.name.substr(2)).status();  // the error
      out.types.push_back(variables_.TypeOf(variable));
      row.push_back(*cell);
      continue;
    }
    ASSIGN_OR_RETURN(ExprPtr expr, SubstituteSessionValues(column.expr));
    ASSIGN_OR_RETURN(expr, RewriteSqlExpr(expr, SqlColumnScope()));
    ASSIGN_OR_RETURN(Value v, Evaluate(*expr, context));
    if (!v.is_scalar()) return InvalidArgument("column " + Quote(name) + " is not one value");
    if (v.is_void()) {
      out.types.push_back(MySqlTypeName(Type::kInt));
      row.push_back(SqlCell());
      continue;
    }
    const Scalar& scalar = v.scalar();
    out.types.push_back(MySqlTypeName(scalar.type()));
    // A string is a value, '' included; DATABASE() with no database is NULL.
    bool no_database =
        e.kind == ExprKind::kCall && e.args.empty() &&
        (EqualsIgnoreCase(e.name, "database") || EqualsIgnoreCase(e.name, "schema")) &&
        session_.current_database().empty();
    if (no_database || (!IsStringLike(scalar.type()) && scalar.is_null())) {
      row.push_back(SqlCell());
    } else {
      row.push_back(scalar);
    }
  }
  // LIMIT 0 (and an OFFSET past the one row) gives no rows, as clients' `limit 1` expects.
  if (query.limit.value_or(1) > 0 && query.offset.value_or(0) == 0) {
    out.rows.push_back(std::move(row));
  }
  SqlOutcome outcome;
  outcome.result = std::move(out);
  return outcome;
}

Result<SqlOutcome> SqlSession::Run(const SqlSetVariables& s) {
  // All values first, then every assignment on a copy: a statement that fails sets nothing.
  SqlSessionVariables changed = variables_;
  SqlOutcome outcome;
  for (const auto& a : s.assignments) {
    SqlVariableScope scope = a.global ? SqlVariableScope::kGlobal : SqlVariableScope::kSession;
    if (a.is_default) {
      RETURN_IF_ERROR(changed.SetDefault(a.name, scope, &outcome.warnings));
      continue;
    }
    SqlCell cell;
    if (a.value->kind == ExprKind::kVariable) {
      cell = Scalar::String(Type::kString, a.value->name);  // a bare word: ON, utf8mb4, SYSTEM
    } else {
      ASSIGN_OR_RETURN(ExprPtr expr, SubstituteSessionValues(a.value));
      ASSIGN_OR_RETURN(expr, RewriteSqlExpr(expr, SqlColumnScope()));
      SqlEvalContext context(session_);
      ASSIGN_OR_RETURN(Value value, Evaluate(*expr, context));
      if (!value.is_scalar()) {
        return InvalidArgument("the value of " + a.name + " is not one value");
      }
      // A string is a value, '' included.
      if (!value.is_void() && (IsStringLike(value.type()) || !value.scalar().is_null())) {
        cell = value.scalar();
      }
    }
    RETURN_IF_ERROR(changed.Set(a.name, cell, scope, &outcome.warnings));
  }
  variables_ = std::move(changed);
  return outcome;
}

Result<SqlOutcome> SqlSession::Run(const SqlKill& s) {
  if (!info_.kill) {
    return FailedPrecondition(
        "KILL works on connections of `strata serve`; this session (strata sql) has no other "
        "connections or queries to stop");
  }
  RETURN_IF_ERROR(info_.kill(s.connection_id, s.query_only));
  return SqlOutcome();
}

Result<SqlResultSet> SqlSession::TableColumns(std::string_view table) {
  SqlTableRef ref;
  size_t dot = table.find('.');
  if (dot == std::string_view::npos) {
    ref.table = std::string(table);
  } else {
    ref.db = std::string(table.substr(0, dot));
    ref.table = std::string(table.substr(dot + 1));
  }
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(ref));
  ASSIGN_OR_RETURN(SqlTableHandle handle, OpenSqlTable(session_.databases(), db, ref.table));
  SqlResultSet out;
  for (const auto& column : handle.definition.columns) {
    out.columns.push_back(column.name);
    out.types.push_back(MySqlTypeName(column.type.type));
  }
  return out;
}

}  // namespace strata
