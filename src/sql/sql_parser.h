// SqlParser: the recursive-descent parser behind ParseSql (sql/parser.h), split over
// parser.cc (tokens, names, properties, dispatch), parser_expr.cc (expressions),
// parser_ddl.cc (databases, tables, partitions), parser_dml.cc (INSERT, SELECT),
// parser_show.cc (USE, SHOW, DESCRIBE), parser_users.cc and parser_backup.cc. Internal to the
// module. One parser reads one token list once; not thread-safe.
#pragma once

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

class SqlParser {
 public:
  explicit SqlParser(std::vector<SqlToken> tokens) : tokens_(std::move(tokens)) {}

  Result<std::vector<Statement>> ParseAll();

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
  Status ParseSelectColumns(SelectQuery* query);
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

  std::vector<SqlToken> tokens_;  // ends with kEnd
  size_t pos_ = 0;
  int depth_ = 0;  // current expression nesting, at most kSqlExprDepthMax
};

}  // namespace strata
