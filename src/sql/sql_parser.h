// SqlParser: the recursive-descent parser behind ParseSql (sql/parser.h), split over
// parser.cc (tokens, names, properties, dispatch), parser_expr.cc (expressions),
// parser_ddl.cc (databases, tables, partitions), parser_dml.cc (INSERT, SELECT),
// parser_show.cc (USE, SHOW, DESCRIBE), parser_users.cc and parser_backup.cc. Internal to the
// module. One parser reads one source once, lexing as it goes and keeping only the tokens of
// the statement it is in, so a source of any size is read statement by statement; not
// thread-safe.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "sql/ast.h"
#include "sql/lexer.h"

namespace strata {

// Deepest nesting of expressions (parentheses, NOT, unary minus) the parser follows; deeper
// input is an error rather than a stack overflow.
inline constexpr int kSqlExprDepthMax = 64;

// Words never read as a bare name (SELECT, FROM, TABLE, ...): backquote them to use one.
bool IsReservedSqlWord(std::string_view word);

// One value of a row of INSERT ... VALUES, as SqlParser::ReadValueRows hands it on: a literal
// (nearly every cell of a bulk insert; `expr` is null) or any other expression.
struct SqlValueCell {
  size_t row = 0;    // 0-based
  size_t index = 0;  // 0-based place in the row
  Value literal;
  ExprPtr expr;
};

// Receives the rows of INSERT ... VALUES as the parser reads them.
class SqlValueSink {
 public:
  virtual ~SqlValueSink() = default;
  virtual Status Cell(const SqlValueCell& cell) = 0;
  // After the last cell of `row`, which had `width` values.
  virtual Status RowEnd(size_t row, size_t width) = 0;
};

class SqlParser {
 public:
  explicit SqlParser(std::string_view source) : lexer_(source) {}

  // Every statement of the source, INSERT ... VALUES rows included.
  Result<std::vector<Statement>> ParseAll();
  // The next statement, or none at the end of the source. With `defer_values`, an INSERT ...
  // VALUES ends after VALUES (SqlInsert::values_follow) and ReadValueRows reads its rows, one at
  // a time, before the next call (which skips them if nobody did).
  Result<std::optional<Statement>> Next(bool defer_values);
  // The rows of the INSERT ... VALUES that Next just gave, each cell to `sink`; the tokens of
  // a row are dropped once it is read. A null `sink` checks the syntax only.
  Status ReadValueRows(SqlValueSink* sink);
  // Whether nothing but ';' is left after the statement Next gave (and its rows, when
  // deferred, have been read): the source's last statement has been given.
  bool AtEnd();

 private:
  // --- tokens (parser.cc)
  const SqlToken& Peek(size_t ahead = 0) const;
  const SqlToken& Advance();
  bool At(SqlTokenKind kind, size_t ahead = 0) const;
  bool Accept(SqlTokenKind kind);
  Status Expect(SqlTokenKind kind, const std::string& expected);
  // A bare word equal to `keyword`, ignoring case (a backquoted name never is one).
  bool AtKeyword(const char* keyword, size_t ahead = 0) const;
  bool AcceptKeyword(const char* keyword);
  Status ExpectKeyword(const char* keyword, const std::string& expected);
  Status ErrorAtCurrent(const std::string& expected) const;
  SqlPosition Position() const;

  // --- shared pieces (parser.cc)
  // A name: a bare word that is not reserved, or a backquoted name.
  Result<std::string> ParseName(const std::string& what);
  // A name, or a string literal ('u' in CREATE USER, `repo` or "repo").
  Result<std::string> ParseNameOrString(const std::string& what);
  Result<std::string> ParseString(const std::string& what);
  Result<SqlTableRef> ParseTableRef();
  // ( name, ... )
  Result<std::vector<std::string>> ParseNameList(const std::string& what);
  // PROPERTIES ( "k" = "v", ... ), the PROPERTIES keyword already read.
  Result<SqlProperties> ParseProperties();
  // [IF NOT EXISTS] / [IF EXISTS]
  Result<bool> ParseIfNotExists();
  Result<bool> ParseIfExists();
  // [db.]label, as in BACKUP SNAPSHOT.
  Status ParseDbAndName(std::optional<std::string>* db, std::string* name, const std::string& what);
  Result<Statement> ParseStatement();

  // --- expressions (parser_expr.cc)
  // One level deeper (the caller undoes it with a guard), or an error past kSqlExprDepthMax.
  Status EnterNesting();
  Result<ExprPtr> ParseExpr();
  // operand (keyword operand)*, left-associative: OR and AND.
  Result<ExprPtr> ParseLogical(const char* keyword, BinaryOp op,
                               Result<ExprPtr> (SqlParser::*operand)());
  Result<ExprPtr> ParseAnd();
  Result<ExprPtr> ParseNot();
  Result<ExprPtr> ParsePredicate();
  Result<ExprPtr> ParseAdditive();
  Result<ExprPtr> ParseMultiplicative();
  Result<ExprPtr> ParseUnary();
  Result<ExprPtr> ParsePrimary();
  Result<ExprPtr> ParseNameExpr();
  Result<ExprPtr> ParseCall(const SqlToken& name_token);
  // A constant: number (optionally signed), string, NULL, TRUE, FALSE.
  Result<Value> ParseLiteralValue(const std::string& what);
  // A number token (the sign already read) as a LONG or DOUBLE literal.
  Result<Value> NumberValue(const SqlToken& token, bool negative) const;

  // --- DDL (parser_ddl.cc)
  Result<Statement> ParseCreate();
  Result<Statement> ParseDrop();
  Result<Statement> ParseCreateTable(SqlPosition position);
  Status ParseColumnDef(SqlCreateTable* table);
  Status ParseTableClauses(SqlCreateTable* table);
  Result<SqlPartitionClause> ParsePartitionClause();
  // name VALUES ..., after the PARTITION keyword; `kind` checks the bound's form if known.
  Result<SqlPartitionDef> ParsePartitionDef(std::optional<SqlPartitionKind> kind);
  Result<SqlPartitionTuple> ParsePartitionTuple(bool allow_max_value);
  Result<SqlDistribution> ParseDistribution();
  Result<Statement> ParseAlter();
  Result<Statement> ParseTruncate();

  // --- DML (parser_dml.cc)
  Result<Statement> ParseInsert();
  Result<SqlSelect> ParseSelect();
  Status ParseSelectColumns(SelectQuery* query, std::vector<std::string>* texts);
  Status ParseSelectTail(SelectQuery* query);
  Result<int64_t> ParseCount(const std::string& what);

  // --- USE, SHOW, DESCRIBE (parser_show.cc)
  Result<Statement> ParseUse();
  Result<Statement> ParseShow();
  Status ParseShowJobFilter(SqlShow* show);
  Status ParseShowSnapshot(SqlShow* show);
  Result<Statement> ParseDescribe();

  // --- users (parser_users.cc)
  Result<SqlUser> ParseUser();
  Result<Statement> ParseCreateUser(SqlPosition position);
  Result<Statement> ParseDropUser(SqlPosition position);
  Result<Statement> ParseSet();
  Result<Statement> ParseSetPassword(SqlPosition position);

  // --- SET of variables, KILL, SHOW VARIABLES and friends (parser_variables.cc)
  // `@@name` / `@@scope.name` after the @@: a kCall named as written.
  Result<ExprPtr> ParseSystemVariable();
  Result<Statement> ParseSetVariables(SqlPosition position);
  Status ParseAssignment(SqlSetVariables* set);
  // After [scope] TRANSACTION; `scope` gives the position and GLOBAL flag.
  Status ParseTransactionCharacteristics(const SqlVariableAssignment& scope, SqlSetVariables* set);
  Result<Statement> ParseKill();
  // SHOW VARIABLES and the other MySQL client statements, after SHOW [GLOBAL|SESSION].
  Status ParseShowClient(SqlShow* show);
  // The source text from `begin` (a token's first byte) to the end of the last token read.
  std::string TextSince(const char* begin) const;
  Result<Statement> ParseGrant();

  // --- repositories, backups, restores (parser_backup.cc)
  Result<Statement> ParseCreateRepository(SqlPosition position, bool read_only);
  Result<Statement> ParseBackup();
  Result<Statement> ParseRestore();
  // SNAPSHOT [db.]label <direction> repo [ON (...) | EXCLUDE (...)] after BACKUP/RESTORE.
  Status ParseSnapshotJob(const char* direction, SqlSnapshotJob* job);
  Status ParseTableFilter(bool allow_alias, SqlSnapshotJob* job);
  Result<Statement> ParseCancel();
  Result<Statement> ParseDropSnapshot(SqlPosition position);

  // Lexes up to `ahead` tokens past the current one; a lexing error ends the tokens with kEnd
  // and is kept in lex_error_.
  void Fill(size_t ahead) const;
  // Forgets the tokens before the current one (none is referenced any more).
  void DropConsumed();

  mutable SqlLexer lexer_;
  // The current statement's tokens from its first one, lexed on demand; ends with kEnd once the
  // source is read. A deque, so references to tokens stay valid while more are lexed.
  mutable std::deque<SqlToken> tokens_;
  mutable std::optional<Status> lex_error_;
  size_t pos_ = 0;
  int depth_ = 0;  // current expression nesting, at most kSqlExprDepthMax
  bool defer_values_ = false;
  bool values_pending_ = false;  // Next gave an INSERT whose rows are not read yet
  SqlToken constant_;            // ReadValueRows' last constant read by the lexer's shortcut
};

}  // namespace strata
