// SELECT and the expression plumbing of SqlSession: rewriting SQL expressions for the query
// engine, running them with SQL NULL semantics, and turning tables into result sets.
#include <algorithm>
#include <map>

#include "base/strings.h"
#include "query/bound_select.h"
#include "query/dfs_table.h"
#include "query/evaluator.h"
#include "query/select.h"
#include "sql/binder_types.h"
#include "sql/sql_select_internal.h"
#include "sql/sql_session.h"
#include "types/cast.h"

namespace strata {

namespace {

const std::map<std::string, std::string>& SqlFunctions() {
  static const auto* functions = new std::map<std::string, std::string>{
      {"count", "count"},   {"sum", "sum"},
      {"avg", "avg"},       {"min", "min"},
      {"max", "max"},       {"abs", "abs"},
      {"concat", "concat"}, {"isnull", "isNull"},
      {"now", "now"},       {"current_timestamp", "now"},
      {"curdate", "today"}, {"current_date", "today"},
      {"today", "today"},
  };
  return *functions;
}

std::string SupportedFunctions() {
  std::vector<std::string> names;
  for (const auto& [name, core] : SqlFunctions()) {
    if (name != "isnull") names.push_back(ToUpper(name));
  }
  return Join(names, ", ");
}

const char* BinaryText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return " + ";
    case BinaryOp::kSub:
      return " - ";
    case BinaryOp::kMul:
      return " * ";
    case BinaryOp::kDiv:
      return " / ";
    case BinaryOp::kMod:
      return " % ";
    case BinaryOp::kEq:
      return " = ";
    case BinaryOp::kNe:
      return " != ";
    case BinaryOp::kLt:
      return " < ";
    case BinaryOp::kLe:
      return " <= ";
    case BinaryOp::kGt:
      return " > ";
    case BinaryOp::kGe:
      return " >= ";
    case BinaryOp::kAnd:
      return " AND ";
    case BinaryOp::kOr:
      return " OR ";
    case BinaryOp::kIn:
      return " IN ";
    case BinaryOp::kBetween:
      return " BETWEEN ";
    case BinaryOp::kLike:
      return " LIKE ";
    case BinaryOp::kPair:
      return " AND ";
    case BinaryOp::kRange:
      return "..";
  }
  return " ? ";
}

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNe || op == BinaryOp::kLt || op == BinaryOp::kLe ||
         op == BinaryOp::kGt || op == BinaryOp::kGe;
}

bool IsStringLiteral(const Expr& e) {
  return e.kind == ExprKind::kLiteral && e.literal.is_scalar() &&
         IsStringLike(e.literal.scalar().type());
}

// The column spec `e` names when it is a plain column of the scope's table.
const SqlColumnSpec* ColumnOf(const Expr& e, const SqlColumnScope& scope) {
  if (e.kind != ExprKind::kVariable || scope.definition == nullptr) return nullptr;
  return scope.definition->Find(e.name);
}

// A string literal compared with a DATE/DATETIME column, as a value of the column's type.
Result<ExprPtr> Coerce(const ExprPtr& literal, const SqlColumnSpec* column) {
  if (!column || !IsTemporal(column->type.type) || !IsStringLiteral(*literal)) return literal;
  SqlColumnType type = column->type;
  type.max_length.reset();
  // A DATETIME column compared with '2020-01-05' means midnight; a DATE column with a
  // datetime text keeps the text's day.
  auto parsed = ConvertToColumn(literal->literal,
                                SqlColumnType{Type::kTimestamp, "DATETIME(3)", {}}, column->name);
  if (!parsed.ok()) return parsed.status();
  auto value = CastScalar(*parsed, type.type);
  if (!value.ok()) return value.status();
  Expr copy = *literal;
  copy.literal = Value(*value);
  return std::make_shared<const Expr>(std::move(copy));
}

Status UnknownColumn(const std::string& name, const SqlColumnScope& scope) {
  if (scope.definition == nullptr) {
    return InvalidArgument("unknown column " + Quote(name) +
                           ": a SELECT without FROM has no columns");
  }
  std::vector<std::string> names;
  for (const auto& c : scope.definition->columns) names.push_back(c.name);
  return InvalidArgument("unknown column " + Quote(name) + " in table " + Quote(scope.table) +
                         "; its columns are " + Join(names, ", "));
}

// MySQL's CONCAT(a, b, c, ...) as concat(concat(a, b), c) ...; CONCAT(a) is a as a string.
Result<ExprPtr> FoldConcat(Expr call) {
  if (call.args.empty()) return InvalidArgument("CONCAT needs at least one argument");
  if (call.args.size() == 1) {
    Expr empty;
    empty.kind = ExprKind::kLiteral;
    empty.line = call.line;
    empty.literal = Value(Scalar::String(Type::kString, ""));
    call.args.push_back(call.args[0]);
    call.args.back().value = std::make_shared<const Expr>(std::move(empty));
  }
  while (call.args.size() > 2) {
    Expr inner = call;
    inner.args.resize(2);
    call.args.erase(call.args.begin() + 1);
    call.args[0].value = std::make_shared<const Expr>(std::move(inner));
  }
  return std::make_shared<const Expr>(std::move(call));
}

}  // namespace

FunctionPtr SqlEvalContext::FindFunction(const std::string& name) const {
  auto core = CoreFunctionName(name);
  return core ? CoreFunctions().Find(*core) : nullptr;
}

std::optional<std::string> CoreFunctionName(const std::string& name) {
  auto it = SqlFunctions().find(ToLower(name));
  if (it == SqlFunctions().end()) return std::nullopt;
  return it->second;
}

std::string SqlExprText(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return e.literal.is_scalar() ? SqlLiteralText(e.literal.scalar()) : e.literal.Describe();
    case ExprKind::kVariable:
      return e.name;
    case ExprKind::kStar:
      return "*";
    case ExprKind::kMember:
      return (e.children.empty() ? "" : SqlExprText(*e.children[0]) + ".") + e.name;
    case ExprKind::kCall: {
      if (e.name.rfind("@@", 0) == 0) return e.name;  // a system variable
      std::string out = e.name + "(";
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        if (e.args[i].value) out += SqlExprText(*e.args[i].value);
      }
      return out + ")";
    }
    case ExprKind::kBinary:
      return SqlExprText(*e.children[0]) + BinaryText(e.binary_op) + SqlExprText(*e.children[1]);
    case ExprKind::kUnary:
      return (e.unary_op == UnaryOp::kNeg ? "-" : "NOT ") + SqlExprText(*e.children[0]);
    case ExprKind::kVector:
    case ExprKind::kTuple: {
      std::string out = "(";
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i) out += ", ";
        if (e.children[i]) out += SqlExprText(*e.children[i]);
      }
      return out + ")";
    }
    default:
      return "expr";
  }
}

Result<ExprPtr> RewriteSqlExpr(const ExprPtr& expr, const SqlColumnScope& scope) {
  if (!expr) return expr;
  const Expr& e = *expr;
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kStar:
      return expr;
    case ExprKind::kVariable: {
      if (ColumnOf(e, scope)) return expr;
      for (const auto& alias : scope.aliases) {
        if (ToLower(alias) == ToLower(e.name)) return expr;
      }
      return UnknownColumn(e.name, scope);
    }
    case ExprKind::kMember: {
      const Expr& base = *e.children[0];
      bool matches = false;
      if (base.kind == ExprKind::kVariable) {
        matches = ToLower(base.name) == ToLower(scope.table);
      } else if (base.kind == ExprKind::kMember && base.children[0]->kind == ExprKind::kVariable) {
        matches = ToLower(base.name) == ToLower(scope.table) &&
                  ToLower(base.children[0]->name) == ToLower(scope.db);
      }
      if (!matches || scope.definition == nullptr) {
        return InvalidArgument("unknown table " + Quote(SqlExprText(base)) + " in " +
                               Quote(SqlExprText(e)) +
                               (scope.definition ? "; the query reads " + Quote(scope.table)
                                                 : std::string("; the query has no FROM")));
      }
      Expr column;
      column.kind = ExprKind::kVariable;
      column.line = e.line;
      column.name = e.name;
      if (!scope.definition->Find(e.name)) return UnknownColumn(e.name, scope);
      return std::make_shared<const Expr>(std::move(column));
    }
    case ExprKind::kCall: {
      if (e.callee || e.partial) return InvalidArgument("unsupported call " + SqlExprText(e));
      auto core = CoreFunctionName(e.name);
      if (!core) {
        return InvalidArgument("function " + ToUpper(e.name) +
                               " is not supported; supported functions: " + SupportedFunctions() +
                               ", and IS NULL");
      }
      Expr copy = e;
      copy.name = *core;
      for (auto& arg : copy.args) {
        if (!arg.name.empty()) return InvalidArgument("SQL calls take no named arguments");
        ASSIGN_OR_RETURN(arg.value, RewriteSqlExpr(arg.value, scope));
      }
      if (*core == "concat") return FoldConcat(std::move(copy));
      return std::make_shared<const Expr>(std::move(copy));
    }
    case ExprKind::kBinary:
    case ExprKind::kUnary:
    case ExprKind::kVector:
    case ExprKind::kTuple: {
      Expr copy = e;
      for (auto& child : copy.children) {
        ASSIGN_OR_RETURN(child, RewriteSqlExpr(child, scope));
      }
      if (e.kind == ExprKind::kBinary) {
        const SqlColumnSpec* left = ColumnOf(*copy.children[0], scope);
        if (IsComparison(e.binary_op)) {
          const SqlColumnSpec* right = ColumnOf(*copy.children[1], scope);
          ASSIGN_OR_RETURN(copy.children[1], Coerce(copy.children[1], left));
          ASSIGN_OR_RETURN(copy.children[0], Coerce(copy.children[0], right));
        } else if ((e.binary_op == BinaryOp::kIn || e.binary_op == BinaryOp::kBetween) && left) {
          Expr list = *copy.children[1];
          if (list.kind == ExprKind::kVector || list.kind == ExprKind::kTuple ||
              (list.kind == ExprKind::kBinary && list.binary_op == BinaryOp::kPair)) {
            for (auto& item : list.children) {
              ASSIGN_OR_RETURN(item, Coerce(item, left));
            }
            copy.children[1] = std::make_shared<const Expr>(std::move(list));
          }
        }
      }
      return std::make_shared<const Expr>(std::move(copy));
    }
    default:
      return InvalidArgument("unsupported expression " + SqlExprText(e));
  }
}

SqlResultSet ResultSetOf(TablePtr table) {
  SqlResultSet out;
  for (size_t c = 0; c < table->column_count(); ++c) {
    out.columns.push_back(table->schema().field(c).name);
    out.types.push_back(MySqlTypeName(table->column(c)->type()));
  }
  out.table = std::move(table);
  return out;
}

namespace {

// The rows of `table` ordered by `keys` (column, descending) in MySQL's order — NULL first
// ascending, last descending; stable — then [offset, offset + limit).
TablePtr SortAndLimit(const TablePtr& table, const std::vector<std::pair<size_t, bool>>& keys,
                      std::optional<int64_t> limit, std::optional<int64_t> offset) {
  std::vector<uint32_t> order(table->rows());
  for (size_t r = 0; r < order.size(); ++r) order[r] = static_cast<uint32_t>(r);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (const auto& [column, descending] : keys) {
      const Column& c = *table->column(column);
      const bool x_null = c.IsNull(a);
      const bool y_null = c.IsNull(b);
      if (x_null && y_null) continue;
      if (x_null || y_null) return descending ? y_null : x_null;
      const Scalar x = c.Get(a);
      const Scalar y = c.Get(b);
      if (x < y) return !descending;
      if (y < x) return descending;
    }
    return false;
  });
  size_t begin =
      std::min(order.size(), static_cast<size_t>(std::max<int64_t>(0, offset.value_or(0))));
  size_t end =
      limit ? std::min(order.size(), begin + static_cast<size_t>(std::max<int64_t>(0, *limit)))
            : order.size();
  std::vector<uint32_t> kept(order.begin() + static_cast<std::ptrdiff_t>(begin),
                             order.begin() + static_cast<std::ptrdiff_t>(end));
  std::vector<ColumnPtr> columns;
  for (const auto& column : table->columns()) {
    columns.push_back(std::make_shared<const Column>(column->Gather(kept)));
  }
  return std::make_shared<const Table>(table->schema(), std::move(columns));
}

}  // namespace

Result<SqlOutcome> SqlSession::Run(const SqlSelect& s) {
  if (!s.from) return SelectWithoutFrom(s);
  std::unique_ptr<SelectStream> stream;
  ASSIGN_OR_RETURN(TablePtr table, SelectTable(s, stream_results_ ? &stream : nullptr));
  SqlOutcome outcome;
  if (stream) {
    ASSIGN_OR_RETURN(table, stream->Next());  // the first rows, which name the columns
    outcome.result = ResultSetOf(std::move(table));
    outcome.result->more_rows = [stream = std::shared_ptr<SelectStream>(std::move(stream))] {
      return stream->Next();
    };
    return outcome;
  }
  outcome.result = ResultSetOf(std::move(table));
  return outcome;
}

Result<TablePtr> SqlSession::SelectTable(const SqlSelect& s,
                                         std::unique_ptr<SelectStream>* stream) {
  SqlEvalContext context(session_);
  SelectQuery query = s.query;
  SqlColumnScope scope;
  std::optional<SqlTableHandle> handle;
  if (s.from) {
    ASSIGN_OR_RETURN(std::string db, DatabaseOf(*s.from));
    ASSIGN_OR_RETURN(auto opened, OpenSqlTable(session_.databases(), db, s.from->table));
    handle = std::move(opened);
    scope.definition = &handle->definition;
    scope.table = s.from->table;
    scope.db = s.from->db.value_or("");
    Expr from;
    from.kind = ExprKind::kLiteral;
    from.literal = Value::MakeObject(std::make_shared<const DfsTableObject>(db, s.from->table));
    query.from = std::make_shared<const Expr>(std::move(from));
  }
  // Result column names as MySQL gives them: the alias, else the expression as written.
  // `texts` holds each column's expression in one spelling (SqlExprText), so ORDER BY
  // count(*) finds a column written COUNT( * ).
  std::vector<std::string> names;
  std::vector<std::string> texts;
  bool has_star = false;
  for (size_t i = 0; i < query.columns.size(); ++i) {
    auto& column = query.columns[i];
    if (column.expr->kind == ExprKind::kStar) {
      has_star = true;
      continue;
    }
    bool written = s.column_texts.size() == query.columns.size();
    if (column.alias.empty() && column.expr->kind == ExprKind::kMember) {
      column.alias = column.expr->name;  // db.t.c is named c
    } else if (column.alias.empty() && column.expr->kind != ExprKind::kVariable) {
      column.alias = written ? s.column_texts[i] : SqlExprText(*column.expr);
    }
    names.push_back(column.alias.empty() ? column.expr->name : column.alias);
    texts.push_back(SqlExprText(*column.expr));
    scope.aliases.push_back(names.back());
  }
  // @@name, DATABASE(), USER(), ...: the session's values, as literals.
  for (auto& column : query.columns) {
    ASSIGN_OR_RETURN(column.expr, SubstituteSessionValues(column.expr));
  }
  for (auto& condition : query.where) {
    ASSIGN_OR_RETURN(condition, SubstituteSessionValues(condition));
  }
  for (auto& key : query.order_by) {
    ASSIGN_OR_RETURN(key.expr, SubstituteSessionValues(key.expr));
  }
  // A grouped query orders its output: ORDER BY keys that name output columns (`total`,
  // `count(*)`, a group key) are sorted here, after grouping, and LIMIT applied after them.
  bool grouped = !query.group_by.empty();
  for (const auto& column : query.columns) {
    if (column.expr->kind == ExprKind::kCall) {
      std::string name = ToLower(column.expr->name);
      grouped |=
          name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max";
    }
  }
  std::vector<std::pair<size_t, bool>> sort_keys;  // (output column, descending)
  bool sort_here = grouped && !has_star && !query.order_by.empty();
  for (const auto& key : query.order_by) {
    if (!sort_here) break;
    std::string text = key.expr->kind == ExprKind::kVariable ? key.expr->name
                       : key.expr->kind == ExprKind::kMember ? key.expr->name
                                                             : SqlExprText(*key.expr);
    auto it = std::find_if(names.begin(), names.end(),
                           [&](const std::string& n) { return ToLower(n) == ToLower(text); });
    if (it == names.end()) {
      it = std::find_if(texts.begin(), texts.end(),
                        [&](const std::string& n) { return ToLower(n) == ToLower(text); });
      if (it == texts.end()) {
        sort_here = false;
      } else {
        sort_keys.emplace_back(static_cast<size_t>(it - texts.begin()), key.descending);
      }
    } else {
      sort_keys.emplace_back(static_cast<size_t>(it - names.begin()), key.descending);
    }
  }
  std::optional<int64_t> limit, offset;
  if (sort_here) {
    limit = query.limit;
    offset = query.offset;
    query.order_by.clear();
    query.limit.reset();
    query.offset.reset();
  }
  SqlColumnScope no_aliases = scope;
  no_aliases.aliases.clear();
  for (auto& column : query.columns) {
    ASSIGN_OR_RETURN(column.expr, RewriteSqlExpr(column.expr, no_aliases));
  }
  for (auto& condition : query.where) {
    ASSIGN_OR_RETURN(condition, RewriteSqlExpr(condition, no_aliases));
  }
  for (auto& key : query.group_by) {
    ASSIGN_OR_RETURN(key.expr, RewriteSqlExpr(key.expr, no_aliases));
  }
  for (auto& key : query.order_by) {
    // ORDER BY an alias of the select list orders by that column's expression.
    if (key.expr->kind == ExprKind::kVariable &&
        !(scope.definition && scope.definition->Find(key.expr->name))) {
      for (const auto& column : query.columns) {
        if (!column.alias.empty() && ToLower(column.alias) == ToLower(key.expr->name)) {
          key.expr = column.expr;  // already rewritten
          break;
        }
      }
    }
    ASSIGN_OR_RETURN(key.expr, RewriteSqlExpr(key.expr, no_aliases));
  }

  if (!s.from) {
    if (!query.where.empty() || !query.group_by.empty()) {
      return InvalidArgument("WHERE and GROUP BY need a FROM clause");
    }
    Schema schema;
    std::vector<ColumnPtr> columns;
    for (size_t i = 0; i < query.columns.size(); ++i) {
      const auto& column = query.columns[i];
      if (column.expr->kind == ExprKind::kStar) {
        return InvalidArgument("SELECT * needs a FROM clause");
      }
      ASSIGN_OR_RETURN(Value v, Evaluate(*column.expr, context));
      if (!v.is_scalar()) return InvalidArgument("column " + Quote(names[i]) + " is not one value");
      Column c(v.is_void() ? Type::kInt : v.type());
      c.Append(v.is_void() ? Scalar::Null(Type::kInt) : v.scalar());
      schema.Add({names[i], c.type()});
      columns.push_back(std::make_shared<const Column>(std::move(c)));
    }
    return std::make_shared<const Table>(std::move(schema), std::move(columns));
  }
  if (stream != nullptr && !sort_here && query.group_by.empty()) {
    ASSIGN_OR_RETURN(*stream, OpenSelectStream(query, std::make_unique<SqlEvalContext>(session_)));
    if (*stream) return TablePtr();
  }
  ASSIGN_OR_RETURN(Value result, ExecuteSelect(query, context));
  if (!result.is_table()) return Internal("a SELECT gave a " + result.Describe());
  TablePtr table = result.table();
  // GROUP BY puts the keys first and keeps keys that are not selected: back to the select
  // list's order.
  if (!has_star && !query.group_by.empty()) {
    Schema schema;
    std::vector<ColumnPtr> columns;
    bool all_found = true;
    for (const auto& name : names) {
      auto index = table->schema().Find(name);
      if (!index) {
        all_found = false;
        break;
      }
      schema.Add({name, table->column(*index)->type()});
      columns.push_back(table->column(*index));
    }
    if (all_found) table = std::make_shared<const Table>(std::move(schema), std::move(columns));
  }
  if (sort_here && table->column_count() == names.size()) {
    table = SortAndLimit(table, sort_keys, limit, offset);
  }
  return table;
}

}  // namespace strata
