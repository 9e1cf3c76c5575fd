// Internals of SqlSession shared by its files: the evaluation context SQL expressions run in
// (SQL NULL semantics, SQL function names), expression rewriting, and result-set building.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/eval_context.h"
#include "service/session.h"
#include "sql/ast.h"
#include "sql/result_set.h"
#include "sql/table_store.h"
#include "types/table.h"

namespace strata {

// Where SQL expressions evaluate: no variables, the SQL functions (COUNT, SUM, AVG, MIN, MAX,
// ABS, ISNULL, NOW, CURDATE, ...) mapped to the query engine's, the session's tables, and SQL's
// three-valued NULL logic.
class SqlEvalContext : public EvalContext {
 public:
  explicit SqlEvalContext(Session& session) : session_(session) {}
  std::optional<Value> FindVariable(const std::string&) const override { return std::nullopt; }
  FunctionPtr FindFunction(const std::string& name) const override;
  TableReader* tables() const override { return &session_.databases(); }
  NullSemantics nulls() const override { return NullSemantics::kSql; }
  Status CheckInterrupted() const override { return session_.CheckInterrupted(); }
  Result<Value> MakeLambda(const Expr&) override {
    return InvalidArgument("SQL has no lambda expressions");
  }

 private:
  Session& session_;
};

// The query engine's name of the SQL function `name` (any case), or nullopt if unsupported.
std::optional<std::string> CoreFunctionName(const std::string& name);

// An expression as SQL text, for naming result columns: `sum(v)`, `k1 + 1`, `count(*)`.
std::string SqlExprText(const Expr& expr);

// The columns an expression may name: a table's (with its name and database for `t.c` and
// `db.t.c`), or none.
struct SqlColumnScope {
  const SqlTableDefinition* definition = nullptr;  // null: no FROM
  std::string table;                               // as written in FROM
  std::string db;                                  // Doris name as written, or ""
  std::vector<std::string> aliases;                // select aliases (ORDER BY may name them)
};

// `expr` ready for the query engine: `t.c` → `c`, function names → the engine's, string
// literals compared with DATE/DATETIME columns → values of the column's type. InvalidArgument
// naming an unknown column or function.
Result<ExprPtr> RewriteSqlExpr(const ExprPtr& expr, const SqlColumnScope& scope);

// A query result (a table) as a result set.
SqlResultSet ResultSetOf(TablePtr table);

}  // namespace strata
