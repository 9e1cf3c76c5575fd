// ParseSql, the token helpers of SqlParser, the pieces every statement shares (names, table
// references, PROPERTIES, IF [NOT] EXISTS) and the dispatch on a statement's first word.
#include "sql/parser.h"

#include <utility>

#include "base/strings.h"
#include "sql/sql_parser.h"

namespace strata {

namespace {

// Words that are never read as a bare name (MySQL reserves them too); backquote them to use
// one as a name. Other keywords (DATE, COMMENT, TIMESTAMP, STATUS, ...) stay usable as names.
constexpr const char* kReservedWords[] = {
    "ALL",       "ALTER",   "AND",    "AS",    "ASC",      "BETWEEN",   "BY",          "CREATE",
    "DATABASE",  "DEFAULT", "DELETE", "DESC",  "DESCRIBE", "DISTINCT",  "DISTRIBUTED", "DROP",
    "DUPLICATE", "EXISTS",  "FALSE",  "FROM",  "GRANT",    "GROUP",     "HAVING",      "IF",
    "IN",        "INSERT",  "INTO",   "IS",    "KEY",      "LIKE",      "LIMIT",       "MAXVALUE",
    "NOT",       "NULL",    "ON",     "OR",    "ORDER",    "PARTITION", "PROPERTIES",  "REVOKE",
    "SELECT",    "SET",     "SHOW",   "TABLE", "TO",       "TRUE",      "UNIQUE",      "USE",
    "VALUES",    "WHERE",   "WITH",
};

}  // namespace

bool IsReservedSqlWord(std::string_view word) {
  for (const char* reserved : kReservedWords) {
    if (EqualsIgnoreCase(word, reserved)) return true;
  }
  return false;
}

Result<std::vector<Statement>> ParseSql(std::string_view text) {
  SqlParser parser(text);
  return parser.ParseAll();
}

Result<std::vector<Statement>> SqlParser::ParseAll() {
  std::vector<Statement> statements;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Statement> statement, Next(false));
    if (!statement) return statements;
    statements.push_back(std::move(*statement));
  }
}

Result<std::optional<Statement>> SqlParser::Next(bool defer_values) {
  if (values_pending_) RETURN_IF_ERROR(ReadValueRows(nullptr));
  DropConsumed();
  while (Accept(SqlTokenKind::kSemicolon)) {
  }
  if (At(SqlTokenKind::kEnd)) {
    if (lex_error_) return *lex_error_;
    return std::optional<Statement>();
  }
  defer_values_ = defer_values;
  ASSIGN_OR_RETURN(Statement statement, ParseStatement());
  if (values_pending_) return std::optional<Statement>(std::move(statement));
  if (!At(SqlTokenKind::kSemicolon) && !At(SqlTokenKind::kEnd)) {
    return ErrorAtCurrent("';' or end of input after the statement");
  }
  if (lex_error_) return *lex_error_;
  return std::optional<Statement>(std::move(statement));
}

bool SqlParser::AtEnd() {
  if (values_pending_) return false;
  while (Accept(SqlTokenKind::kSemicolon)) {
  }
  return At(SqlTokenKind::kEnd) && !lex_error_;
}

Result<Statement> SqlParser::ParseStatement() {
  if (AtKeyword("CREATE")) return ParseCreate();
  if (AtKeyword("DROP")) return ParseDrop();
  if (AtKeyword("ALTER")) return ParseAlter();
  if (AtKeyword("TRUNCATE")) return ParseTruncate();
  if (AtKeyword("INSERT")) return ParseInsert();
  if (AtKeyword("SELECT")) {
    ASSIGN_OR_RETURN(SqlSelect select, ParseSelect());
    return Statement(std::move(select));
  }
  if (AtKeyword("USE")) return ParseUse();
  if (AtKeyword("SHOW")) return ParseShow();
  if (AtKeyword("DESC") || AtKeyword("DESCRIBE")) return ParseDescribe();
  if (AtKeyword("SET")) return ParseSet();
  if (AtKeyword("GRANT") || AtKeyword("REVOKE")) return ParseGrant();
  if (AtKeyword("BACKUP")) return ParseBackup();
  if (AtKeyword("RESTORE")) return ParseRestore();
  if (AtKeyword("CANCEL")) return ParseCancel();
  if (AtKeyword("KILL")) return ParseKill();
  return ErrorAtCurrent(
      "a statement (CREATE, DROP, ALTER, TRUNCATE, INSERT, SELECT, USE, SHOW, DESC, SET, "
      "GRANT, REVOKE, BACKUP, RESTORE, CANCEL or KILL)");
}

// --- tokens ----------------------------------------------------------------------------------

void SqlParser::Fill(size_t ahead) const {
  while (tokens_.size() <= pos_ + ahead) {
    if (!tokens_.empty() && tokens_.back().kind == SqlTokenKind::kEnd) return;
    auto token = lexer_.Next();
    if (!token.ok()) {
      lex_error_ = token.status();
      tokens_.emplace_back();  // kEnd
      return;
    }
    tokens_.push_back(std::move(*token));
  }
}

void SqlParser::DropConsumed() {
  tokens_.erase(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(pos_));
  pos_ = 0;
}

const SqlToken& SqlParser::Peek(size_t ahead) const {
  Fill(ahead);
  size_t at = pos_ + ahead;
  return at < tokens_.size() ? tokens_[at] : tokens_.back();
}

const SqlToken& SqlParser::Advance() {
  const SqlToken& token = Peek();
  if (token.kind != SqlTokenKind::kEnd) ++pos_;
  return token;
}

bool SqlParser::At(SqlTokenKind kind, size_t ahead) const { return Peek(ahead).kind == kind; }

bool SqlParser::Accept(SqlTokenKind kind) {
  if (!At(kind)) return false;
  Advance();
  return true;
}

Status SqlParser::Expect(SqlTokenKind kind, const std::string& expected) {
  if (!Accept(kind)) return ErrorAtCurrent(expected);
  return Status::Ok();
}

bool SqlParser::AtKeyword(const char* keyword, size_t ahead) const {
  const SqlToken& token = Peek(ahead);
  return token.kind == SqlTokenKind::kIdentifier && EqualsIgnoreCase(token.value, keyword);
}

bool SqlParser::AcceptKeyword(const char* keyword) {
  if (!AtKeyword(keyword)) return false;
  Advance();
  return true;
}

Status SqlParser::ExpectKeyword(const char* keyword, const std::string& expected) {
  if (!AcceptKeyword(keyword)) return ErrorAtCurrent(expected);
  return Status::Ok();
}

Status SqlParser::ErrorAtCurrent(const std::string& expected) const {
  const SqlToken& token = Peek();
  if (token.kind == SqlTokenKind::kEnd && lex_error_) return *lex_error_;
  return InvalidArgument("line " + std::to_string(token.line) + ", column " +
                         std::to_string(token.column) + ": found " + DescribeSqlToken(token) +
                         "; expected " + expected);
}

SqlPosition SqlParser::Position() const { return {Peek().line, Peek().column}; }

// --- shared pieces ---------------------------------------------------------------------------

Result<std::string> SqlParser::ParseName(const std::string& what) {
  const SqlToken& token = Peek();
  if (token.kind == SqlTokenKind::kQuotedIdentifier) return Advance().value;
  if (token.kind == SqlTokenKind::kIdentifier) {
    if (IsReservedSqlWord(token.value)) {
      return ErrorAtCurrent(what + " (backquote a reserved word to use it as a name: `" +
                            token.value + "`)");
    }
    return Advance().value;
  }
  return ErrorAtCurrent(what);
}

Result<std::string> SqlParser::ParseNameOrString(const std::string& what) {
  if (At(SqlTokenKind::kString)) return Advance().value;
  return ParseName(what);
}

Result<std::string> SqlParser::ParseString(const std::string& what) {
  if (!At(SqlTokenKind::kString)) return ErrorAtCurrent(what);
  return Advance().value;
}

Result<SqlTableRef> SqlParser::ParseTableRef() {
  SqlTableRef ref;
  ASSIGN_OR_RETURN(ref.table, ParseName("a table name"));
  if (Accept(SqlTokenKind::kDot)) {
    ref.db = std::move(ref.table);
    ASSIGN_OR_RETURN(ref.table, ParseName("a table name after '" + *ref.db + ".'"));
  }
  return ref;
}

Result<std::vector<std::string>> SqlParser::ParseNameList(const std::string& what) {
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' before the " + what + "s"));
  std::vector<std::string> names;
  do {
    ASSIGN_OR_RETURN(std::string name, ParseName("a " + what));
    names.push_back(std::move(name));
  } while (Accept(SqlTokenKind::kComma));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' in the list of " + what + "s"));
  return names;
}

Result<SqlProperties> SqlParser::ParseProperties() {
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' after PROPERTIES"));
  SqlProperties properties;
  if (Accept(SqlTokenKind::kRParen)) return properties;
  do {
    SqlProperty property;
    property.position = Position();
    ASSIGN_OR_RETURN(property.key, ParseString("a property name in quotes, as \"timeout\""));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after the property name"));
    if (At(SqlTokenKind::kInteger) || At(SqlTokenKind::kDecimal)) {
      property.value = Advance().value;
    } else {
      ASSIGN_OR_RETURN(property.value, ParseString("a property value in quotes"));
    }
    properties.push_back(std::move(property));
  } while (Accept(SqlTokenKind::kComma));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' in PROPERTIES"));
  return properties;
}

Result<bool> SqlParser::ParseIfNotExists() {
  if (!AtKeyword("IF")) return false;
  Advance();
  RETURN_IF_ERROR(ExpectKeyword("NOT", "NOT EXISTS after IF"));
  RETURN_IF_ERROR(ExpectKeyword("EXISTS", "EXISTS after IF NOT"));
  return true;
}

Result<bool> SqlParser::ParseIfExists() {
  if (!AtKeyword("IF")) return false;
  Advance();
  RETURN_IF_ERROR(ExpectKeyword("EXISTS", "EXISTS after IF"));
  return true;
}

Status SqlParser::ParseDbAndName(std::optional<std::string>* db, std::string* name,
                                 const std::string& what) {
  ASSIGN_OR_RETURN(*name, ParseName(what));
  if (Accept(SqlTokenKind::kDot)) {
    *db = std::move(*name);
    ASSIGN_OR_RETURN(*name, ParseName(what + " after '" + **db + ".'"));
  }
  return Status::Ok();
}

}  // namespace strata
