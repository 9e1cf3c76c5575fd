// select / exec:
//   select [top N] cols from expr [where c, ...] [group by e [as a], ...]
//          [order by e [asc|desc], ...] [limit N | limit OFFSET, N]
// Clause keywords are case-insensitive and may start a new line; inside the clauses `=`
// compares.
#include <utility>

#include "lang/script_parser.h"

namespace strata {

namespace {

// Clauses DolphinDB has that this parser does not, for a clear error instead of a confusing one.
constexpr const char* kUnsupportedClauses[] = {"context", "cgroup", "pivot", "having"};

}  // namespace

bool ScriptParser::AtSqlKeyword(const char* keyword, size_t ahead) const {
  return AtWord(keyword, ahead);  // case-insensitive while sql_depth_ > 0
}

Status ScriptParser::ParseWhere(std::vector<ExprPtr>* where) {
  if (!AtSqlKeyword("where")) return Status::Ok();
  Advance();
  while (true) {
    ASSIGN_OR_RETURN(ExprPtr condition, ParseExpr());
    where->push_back(std::move(condition));
    if (!At(TokenKind::kComma)) return Status::Ok();
    Advance();
  }
}

Result<StmtPtr> ScriptParser::ParseUpdate() {
  const Token& keyword = Advance();
  auto stmt = NewStmt(StmtKind::kUpdate, keyword.line);
  auto update = std::make_shared<UpdateQuery>();
  ++sql_depth_;
  auto table = NewExpr(ExprKind::kVariable, keyword.line);
  table->name = Advance().text;
  update->table = std::move(table);
  Advance();  // set
  while (true) {
    if (!At(TokenKind::kIdentifier)) return ErrorAtCurrent("a column name to set");
    SelectColumn assignment;
    assignment.alias = Advance().text;
    if (!At(TokenKind::kAssign)) {
      return ErrorAtCurrent("'=' after the column '" + assignment.alias + "' of 'update'");
    }
    Advance();
    ASSIGN_OR_RETURN(assignment.expr, ParseExpr());
    update->assignments.push_back(std::move(assignment));
    if (!At(TokenKind::kComma)) break;
    Advance();
  }
  RETURN_IF_ERROR(ParseWhere(&update->where));
  for (const char* clause : {"from", "context"}) {
    if (AtSqlKeyword(clause)) {
      return InvalidArgument("line " + std::to_string(Current().line) + ": update ... " + clause +
                             " is not supported; set values with where conditions only");
    }
  }
  --sql_depth_;
  RETURN_IF_ERROR(ExpectStatementEnd());
  stmt->update = std::move(update);
  return StmtPtr(stmt);
}

Result<ExprPtr> ScriptParser::ParseSelect() {
  const Token& keyword = Advance();
  auto select = NewExpr(ExprKind::kSelect, keyword.line);
  auto query = std::make_shared<SelectQuery>();
  ++sql_depth_;
  // A select nested in a from clause compares with `=` again.
  const bool named_args_outside = std::exchange(named_args_in_sql_, false);
  query->kind = IsWord(keyword, "exec") ? SelectQuery::Kind::kExec : SelectQuery::Kind::kSelect;
  std::string name = query->kind == SelectQuery::Kind::kExec ? "exec" : "select";
  if (AtSqlKeyword("top")) {
    Advance();
    ASSIGN_OR_RETURN(query->top, ParseSqlCount("top"));
  }
  RETURN_IF_ERROR(ParseSelectColumns(&query->columns));
  if (!AtSqlKeyword("from")) {
    return ErrorAtCurrent("'from' after the column list of '" + name + "' on line " +
                          std::to_string(keyword.line));
  }
  Advance();
  named_args_in_sql_ = true;
  ASSIGN_OR_RETURN(query->from, ParseExpr());
  named_args_in_sql_ = false;
  RETURN_IF_ERROR(ParseWhere(&query->where));
  if (AtSqlKeyword("group") && AtSqlKeyword("by", 1)) {
    Advance();
    Advance();
    RETURN_IF_ERROR(ParseSelectColumns(&query->group_by));
  }
  if (AtSqlKeyword("order") && AtSqlKeyword("by", 1)) {
    RETURN_IF_ERROR(ParseOrderBy(query.get()));
  }
  if (AtSqlKeyword("limit")) {
    Advance();
    ASSIGN_OR_RETURN(int64_t count, ParseSqlCount("limit"));
    if (At(TokenKind::kComma)) {
      Advance();
      query->offset = count;
      ASSIGN_OR_RETURN(count, ParseSqlCount("limit"));
    }
    query->limit = count;
  }
  for (const char* clause : kUnsupportedClauses) {
    if (AtSqlKeyword(clause)) {
      return InvalidArgument("line " + std::to_string(Current().line) + ": the '" + Current().text +
                             "' clause of '" + name + "' is not supported");
    }
  }
  for (const char* clause : {"where", "group", "order", "limit", "top", "from"}) {
    if (AtSqlKeyword(clause)) {
      return InvalidArgument("line " + std::to_string(Current().line) + ": unexpected '" +
                             Current().text + "' in '" + name +
                             "'; the clause order is from, where, group by, order by, limit");
    }
  }
  --sql_depth_;
  named_args_in_sql_ = named_args_outside;
  select->select = std::move(query);
  return ExprPtr(select);
}

// `cols` of select and `group by`: expr [as alias], ...
Status ScriptParser::ParseSelectColumns(std::vector<SelectColumn>* columns) {
  while (true) {
    SelectColumn column;
    ASSIGN_OR_RETURN(column.expr, ParseExpr());
    if (AtSqlKeyword("as")) {
      Advance();
      ASSIGN_OR_RETURN(column.alias, ExpectName("a column name after 'as'"));
    }
    columns->push_back(std::move(column));
    if (!At(TokenKind::kComma)) return Status::Ok();
    Advance();
  }
}

Status ScriptParser::ParseOrderBy(SelectQuery* query) {
  Advance();
  Advance();
  while (true) {
    OrderKey key;
    ASSIGN_OR_RETURN(key.expr, ParseExpr());
    if (AtSqlKeyword("desc")) {
      key.descending = true;
      Advance();
    } else if (AtSqlKeyword("asc")) {
      Advance();
    }
    query->order_by.push_back(std::move(key));
    if (!At(TokenKind::kComma)) return Status::Ok();
    Advance();
  }
}

// The integer constant after `top` or `limit` (possibly negative: limit -5 is the last 5 rows).
Result<int64_t> ScriptParser::ParseSqlCount(const std::string& clause) {
  bool negative = At(TokenKind::kMinus);
  const Token& number = negative ? PeekToken(1) : Current();
  if (number.kind != TokenKind::kNumber || !IsIntegral(number.value.type()) ||
      number.value.type() == Type::kBool) {
    return ErrorAtCurrent("an integer constant after '" + clause + "'");
  }
  if (negative) Advance();
  Advance();
  return negative ? -number.value.int_value() : number.value.int_value();
}

}  // namespace strata
