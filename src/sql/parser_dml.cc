// INSERT and SELECT. SELECT reads into the query engine's SelectQuery; the clause order is
// MySQL's: FROM, WHERE, GROUP BY, ORDER BY, LIMIT.
#include <memory>
#include <utility>

#include "sql/sql_parser.h"

namespace strata {

Result<Statement> SqlParser::ParseInsert() {
  SqlInsert insert{.position = Position()};
  Advance();  // INSERT
  RETURN_IF_ERROR(ExpectKeyword("INTO", "INTO after INSERT"));
  ASSIGN_OR_RETURN(insert.table, ParseTableRef());
  if (At(SqlTokenKind::kLParen)) {
    ASSIGN_OR_RETURN(insert.columns, ParseNameList("column name"));
  }
  if (AtKeyword("SELECT")) {
    ASSIGN_OR_RETURN(insert.select, ParseSelect());
    return Statement(std::move(insert));
  }
  RETURN_IF_ERROR(ExpectKeyword("VALUES", "VALUES or SELECT after the table"));
  values_pending_ = true;
  if (defer_values_) {
    insert.values_follow = true;
    return Statement(std::move(insert));
  }
  // Collects the rows as expressions, a literal cell as a kLiteral one.
  class Rows final : public SqlValueSink {
   public:
    explicit Rows(std::vector<std::vector<ExprPtr>>* rows) : rows_(rows) {}
    Status Cell(const SqlValueCell& cell) override {
      if (cell.index == 0) rows_->emplace_back();
      ExprPtr expr = cell.expr;
      if (!expr) {
        auto literal = std::make_shared<Expr>();
        literal->kind = ExprKind::kLiteral;
        literal->literal = cell.literal;
        expr = std::move(literal);
      }
      rows_->back().push_back(std::move(expr));
      return Status::Ok();
    }
    Status RowEnd(size_t, size_t) override { return Status::Ok(); }

   private:
    std::vector<std::vector<ExprPtr>>* rows_;
  };
  Rows rows(&insert.rows);
  RETURN_IF_ERROR(ReadValueRows(&rows));
  return Statement(std::move(insert));
}

Status SqlParser::ReadValueRows(SqlValueSink* sink) {
  values_pending_ = false;
  size_t row = 0;
  do {
    RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and a row of values"));
    SqlValueCell cell{.row = row};
    bool closed = false;  // the row's ')' is read
    for (cell.index = 0; !closed; ++cell.index) {
      cell.expr = nullptr;
      bool negative = false;
      SqlTokenKind terminator;
      // With no token read ahead, the lexer can read a plain constant and its ',' or ')'
      // directly: no token, no expression tree.
      if (pos_ == tokens_.size() && !lex_error_ &&
          lexer_.NextPlainConstant(&constant_, &negative, &terminator)) {
        if (constant_.kind == SqlTokenKind::kString) {
          cell.literal = Value(Scalar::String(Type::kString, constant_.value));
        } else {
          ASSIGN_OR_RETURN(cell.literal, NumberValue(constant_, negative));
        }
        if (sink) RETURN_IF_ERROR(sink->Cell(cell));
        closed = terminator == SqlTokenKind::kRParen;
        continue;
      }
      // Anything else (NULL, a spaced sign, an expression) through the expression parser.
      ASSIGN_OR_RETURN(cell.expr, ParseExpr());
      if (sink) RETURN_IF_ERROR(sink->Cell(cell));
      if (!Accept(SqlTokenKind::kComma)) {
        RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' in a row of values"));
        closed = true;
      }
    }
    if (sink) RETURN_IF_ERROR(sink->RowEnd(row, cell.index));
    ++row;
    DropConsumed();
  } while (Accept(SqlTokenKind::kComma));
  // Checked here, before the rows are written: `VALUES (1) (2)` is a syntax error that writes
  // nothing, not one row and then an error.
  if (!At(SqlTokenKind::kSemicolon) && !At(SqlTokenKind::kEnd)) {
    return ErrorAtCurrent("',' and another row, ';' or end of input after a row of VALUES");
  }
  return Status::Ok();
}

Result<SqlSelect> SqlParser::ParseSelect() {
  SqlSelect select{.position = Position()};
  Advance();  // SELECT
  if (AtKeyword("DISTINCT"))
    return ErrorAtCurrent("a column (SELECT DISTINCT is not supported yet)");
  AcceptKeyword("ALL");
  RETURN_IF_ERROR(ParseSelectColumns(&select.query, &select.column_texts));
  if (AcceptKeyword("FROM")) {
    int line = Peek().line;
    ASSIGN_OR_RETURN(SqlTableRef from, ParseTableRef());
    auto table = std::make_shared<Expr>();
    table->kind = ExprKind::kVariable;
    table->line = line;
    table->name = from.table;
    if (from.db) {
      auto member = std::make_shared<Expr>();
      member->kind = ExprKind::kMember;
      member->line = line;
      member->name = from.table;
      table->name = *from.db;
      member->children = {std::move(table)};
      select.query.from = std::move(member);
    } else {
      select.query.from = std::move(table);
    }
    select.from = std::move(from);
  }
  RETURN_IF_ERROR(ParseSelectTail(&select.query));
  return select;
}

Status SqlParser::ParseSelectColumns(SelectQuery* query, std::vector<std::string>* texts) {
  do {
    SelectColumn column;
    if (At(SqlTokenKind::kStar)) {
      auto star = std::make_shared<Expr>();
      star->kind = ExprKind::kStar;
      star->line = Advance().line;
      column.expr = std::move(star);
      texts->push_back("*");
    } else {
      const char* begin = Peek().text.data();
      ASSIGN_OR_RETURN(column.expr, ParseExpr());
      texts->push_back(TextSince(begin));
      if (AcceptKeyword("AS")) {
        ASSIGN_OR_RETURN(column.alias, ParseNameOrString("a column alias after AS"));
      } else if (At(SqlTokenKind::kQuotedIdentifier) ||
                 (At(SqlTokenKind::kIdentifier) && !IsReservedSqlWord(Peek().value))) {
        column.alias = Advance().value;
      }
    }
    query->columns.push_back(std::move(column));
  } while (Accept(SqlTokenKind::kComma));
  return Status::Ok();
}

Status SqlParser::ParseSelectTail(SelectQuery* query) {
  if (AcceptKeyword("WHERE")) {
    ASSIGN_OR_RETURN(ExprPtr condition, ParseExpr());
    query->where.push_back(std::move(condition));
  }
  if (AtKeyword("GROUP")) {
    Advance();
    RETURN_IF_ERROR(ExpectKeyword("BY", "BY after GROUP"));
    do {
      SelectColumn key;
      ASSIGN_OR_RETURN(key.expr, ParseExpr());
      query->group_by.push_back(std::move(key));
    } while (Accept(SqlTokenKind::kComma));
  }
  if (AtKeyword("HAVING"))
    return ErrorAtCurrent("ORDER BY, LIMIT or the end (HAVING is not supported yet)");
  if (AtKeyword("ORDER")) {
    Advance();
    RETURN_IF_ERROR(ExpectKeyword("BY", "BY after ORDER"));
    do {
      OrderKey key;
      ASSIGN_OR_RETURN(key.expr, ParseExpr());
      if (AcceptKeyword("DESC")) {
        key.descending = true;
      } else {
        AcceptKeyword("ASC");
      }
      query->order_by.push_back(std::move(key));
    } while (Accept(SqlTokenKind::kComma));
  }
  if (AcceptKeyword("LIMIT")) {
    ASSIGN_OR_RETURN(int64_t count, ParseCount("a row count after LIMIT"));
    if (Accept(SqlTokenKind::kComma)) {  // MySQL's LIMIT offset, count
      query->offset = count;
      ASSIGN_OR_RETURN(count, ParseCount("a row count after LIMIT offset,"));
    } else if (AcceptKeyword("OFFSET")) {
      ASSIGN_OR_RETURN(int64_t offset, ParseCount("a row count after OFFSET"));
      query->offset = offset;
    }
    query->limit = count;
  }
  return Status::Ok();
}

Result<int64_t> SqlParser::ParseCount(const std::string& what) {
  if (!At(SqlTokenKind::kInteger)) return ErrorAtCurrent(what);
  ASSIGN_OR_RETURN(Value value, NumberValue(Peek(), false));
  Advance();
  return value.scalar().int_value();
}

}  // namespace strata
