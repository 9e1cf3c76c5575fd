// What MySQL clients send besides queries: `@@name` in expressions, SET of variables (SET
// NAMES, SET CHARACTER SET, SET TRANSACTION), KILL, and SHOW VARIABLES / STATUS / WARNINGS /
// ERRORS / ENGINES / CHARSET / COLLATION.
#include <charconv>
#include <memory>
#include <utility>

#include "base/strings.h"
#include "sql/sql_parser.h"

namespace strata {

namespace {

ExprPtr TextLiteral(std::string text, int line) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kLiteral;
  expr->line = line;
  expr->literal = Value(Scalar::String(Type::kString, std::move(text)));
  return expr;
}

ExprPtr IntegerLiteral(int64_t n, int line) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kLiteral;
  expr->line = line;
  expr->literal = Value(Scalar::Int(Type::kLong, n));
  return expr;
}

// A reference to a system variable, as ParseSystemVariable makes it.
ExprPtr VariableReference(std::string name, int line) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kCall;
  expr->line = line;
  expr->name = "@@" + std::move(name);
  return expr;
}

bool IsScopeWord(const std::string& word) {
  return EqualsIgnoreCase(word, "SESSION") || EqualsIgnoreCase(word, "GLOBAL") ||
         EqualsIgnoreCase(word, "LOCAL");
}

}  // namespace

std::string SqlParser::TextSince(const char* begin) const {
  if (pos_ == 0 || pos_ > tokens_.size()) return "";
  const SqlToken& last = tokens_[pos_ - 1];
  const char* end = last.text.data() + last.text.size();
  if (end < begin) return "";
  return std::string(begin, static_cast<size_t>(end - begin));
}

Result<ExprPtr> SqlParser::ParseSystemVariable() {
  const SqlToken& at = Advance();  // @@
  int line = at.line;
  const char* after_at = at.text.data() + at.text.size();
  auto name = [&]() -> Result<std::string> {
    if (!At(SqlTokenKind::kIdentifier) && !At(SqlTokenKind::kQuotedIdentifier)) {
      return ErrorAtCurrent("a system variable name after '@@', as @@version");
    }
    return Advance().value;
  };
  if (Peek().text.data() != after_at) {
    return ErrorAtCurrent("a system variable name right after '@@', as @@version");
  }
  ASSIGN_OR_RETURN(std::string first, name());
  if (IsScopeWord(first) && Accept(SqlTokenKind::kDot)) {
    ASSIGN_OR_RETURN(std::string second, name());
    return VariableReference(first + "." + second, line);
  }
  return VariableReference(std::move(first), line);
}

Result<Statement> SqlParser::ParseSetVariables(SqlPosition position) {
  SqlSetVariables set{.position = position};
  int line = Peek().line;
  auto assign = [&](const char* name, ExprPtr value) {
    set.assignments.push_back(
        SqlVariableAssignment{.position = position, .name = name, .value = std::move(value)});
  };
  if (AcceptKeyword("NAMES")) {
    // SET NAMES cs [COLLATE c]: the client's, the connection's and the results' character set.
    if (AcceptKeyword("DEFAULT")) {
      for (const char* name : {"character_set_client", "character_set_connection",
                               "character_set_results", "collation_connection"}) {
        set.assignments.push_back(
            SqlVariableAssignment{.position = position, .name = name, .is_default = true});
      }
      return Statement(std::move(set));
    }
    ASSIGN_OR_RETURN(std::string charset, ParseNameOrString("a character set after SET NAMES"));
    std::string collation = EqualsIgnoreCase(charset, "binary") ? charset : charset + "_general_ci";
    if (AcceptKeyword("COLLATE")) {
      ASSIGN_OR_RETURN(collation, ParseNameOrString("a collation after COLLATE"));
    }
    assign("character_set_client", TextLiteral(charset, line));
    assign("character_set_connection", TextLiteral(charset, line));
    assign("character_set_results", TextLiteral(charset, line));
    assign("collation_connection", TextLiteral(collation, line));
    return Statement(std::move(set));
  }
  if (AcceptKeyword("CHARSET") || (AtKeyword("CHARACTER") && AtKeyword("SET", 1))) {
    // SET CHARACTER SET cs: the client's and the results' set; the connection's is the
    // database's.
    if (AtKeyword("CHARACTER")) {
      Advance();
      Advance();
    }
    ASSIGN_OR_RETURN(std::string charset,
                     ParseNameOrString("a character set after SET CHARACTER SET"));
    assign("character_set_client", TextLiteral(charset, line));
    assign("character_set_results", TextLiteral(charset, line));
    assign("character_set_connection", VariableReference("character_set_database", line));
    assign("collation_connection", VariableReference("collation_database", line));
    return Statement(std::move(set));
  }
  do {
    RETURN_IF_ERROR(ParseAssignment(&set));
  } while (Accept(SqlTokenKind::kComma));
  return Statement(std::move(set));
}

// One `[SESSION|GLOBAL|LOCAL] name = value`, `@@[scope.]name = value` or `[scope] TRANSACTION
// characteristic, ...`.
Status SqlParser::ParseAssignment(SqlSetVariables* set) {
  SqlVariableAssignment assignment{.position = Position()};
  auto variable_name = [&](const std::string& what) -> Result<std::string> {
    if (!At(SqlTokenKind::kIdentifier) && !At(SqlTokenKind::kQuotedIdentifier)) {
      return ErrorAtCurrent(what);
    }
    return Advance().value;
  };
  if (Accept(SqlTokenKind::kAtAt)) {
    if (At(SqlTokenKind::kIdentifier) && IsScopeWord(Peek().value) && At(SqlTokenKind::kDot, 1)) {
      assignment.global = EqualsIgnoreCase(Advance().value, "GLOBAL");
      Advance();  // .
    }
    ASSIGN_OR_RETURN(assignment.name, variable_name("a system variable name after '@@'"));
  } else if (At(SqlTokenKind::kAt)) {
    return ErrorAtCurrent(
        "a system variable (user variables such as @x are not supported; SET name = value or "
        "SET @@name = value sets a system variable)");
  } else {
    if (At(SqlTokenKind::kIdentifier) && IsScopeWord(Peek().value) && !At(SqlTokenKind::kEq, 1)) {
      assignment.global = EqualsIgnoreCase(Advance().value, "GLOBAL");
    }
    if (AtKeyword("TRANSACTION") && !At(SqlTokenKind::kEq, 1)) {
      Advance();
      return ParseTransactionCharacteristics(assignment, set);
    }
    ASSIGN_OR_RETURN(assignment.name,
                     variable_name("a variable name after SET, as SET autocommit = 1"));
  }
  RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after the variable name " + assignment.name));
  bool ends =
      At(SqlTokenKind::kComma, 1) || At(SqlTokenKind::kSemicolon, 1) || At(SqlTokenKind::kEnd, 1);
  if (AtKeyword("DEFAULT") && ends) {
    Advance();
    assignment.is_default = true;
  } else if ((AtKeyword("ON") || AtKeyword("ALL") || AtKeyword("BINARY")) && ends) {
    auto word = std::make_shared<Expr>();
    word->kind = ExprKind::kVariable;
    word->line = Peek().line;
    word->name = Advance().value;
    assignment.value = std::move(word);
  } else {
    ASSIGN_OR_RETURN(assignment.value, ParseExpr());
  }
  set->assignments.push_back(std::move(assignment));
  return Status::Ok();
}

// ISOLATION LEVEL ... | READ ONLY | READ WRITE, ..., after [scope] TRANSACTION. Strata has no
// transactions: the characteristics are recorded for clients to read back.
Status SqlParser::ParseTransactionCharacteristics(const SqlVariableAssignment& scope,
                                                  SqlSetVariables* set) {
  do {
    SqlVariableAssignment characteristic = scope;
    int line = Peek().line;
    if (AcceptKeyword("ISOLATION")) {
      RETURN_IF_ERROR(ExpectKeyword("LEVEL", "LEVEL after ISOLATION"));
      std::string level;
      if (AcceptKeyword("SERIALIZABLE")) {
        level = "SERIALIZABLE";
      } else if (AcceptKeyword("REPEATABLE")) {
        RETURN_IF_ERROR(ExpectKeyword("READ", "READ after REPEATABLE"));
        level = "REPEATABLE-READ";
      } else if (AcceptKeyword("READ")) {
        if (AcceptKeyword("COMMITTED")) {
          level = "READ-COMMITTED";
        } else {
          RETURN_IF_ERROR(ExpectKeyword("UNCOMMITTED", "COMMITTED or UNCOMMITTED after READ"));
          level = "READ-UNCOMMITTED";
        }
      } else {
        return ErrorAtCurrent(
            "an isolation level (REPEATABLE READ, READ COMMITTED, READ UNCOMMITTED or "
            "SERIALIZABLE)");
      }
      characteristic.name = "transaction_isolation";
      characteristic.value = TextLiteral(level, line);
    } else if (AcceptKeyword("READ")) {
      bool read_only = AcceptKeyword("ONLY");
      if (!read_only) RETURN_IF_ERROR(ExpectKeyword("WRITE", "ONLY or WRITE after READ"));
      characteristic.name = "transaction_read_only";
      characteristic.value = IntegerLiteral(read_only ? 1 : 0, line);
    } else {
      return ErrorAtCurrent("ISOLATION LEVEL, READ ONLY or READ WRITE after TRANSACTION");
    }
    set->assignments.push_back(std::move(characteristic));
  } while (Accept(SqlTokenKind::kComma));
  return Status::Ok();
}

Result<Statement> SqlParser::ParseKill() {
  SqlKill kill{.position = Position()};
  Advance();  // KILL
  if (AcceptKeyword("QUERY")) {
    kill.query_only = true;
  } else {
    AcceptKeyword("CONNECTION");
  }
  if (!At(SqlTokenKind::kInteger)) return ErrorAtCurrent("a connection id, as KILL 12");
  const std::string& digits = Peek().value;
  auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), kill.connection_id);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return ErrorAtCurrent("a connection id within 0..18446744073709551615");
  }
  Advance();
  return Statement(std::move(kill));
}

Status SqlParser::ParseShowClient(SqlShow* show) {
  bool scoped = false;
  if (AcceptKeyword("GLOBAL")) {
    show->global = scoped = true;
  } else if (AcceptKeyword("SESSION") || AcceptKeyword("LOCAL")) {
    scoped = true;
  }
  bool filtered = false;
  if (AcceptKeyword("VARIABLES")) {
    show->kind = SqlShowKind::kVariables;
    filtered = true;
  } else if (AcceptKeyword("STATUS")) {
    show->kind = SqlShowKind::kStatus;
    filtered = true;
  } else if (scoped) {
    return ErrorAtCurrent("VARIABLES or STATUS after SHOW GLOBAL / SHOW SESSION");
  } else if (AcceptKeyword("WARNINGS")) {
    show->kind = SqlShowKind::kWarnings;
  } else if (AcceptKeyword("ERRORS")) {
    show->kind = SqlShowKind::kErrors;
  } else if (AtKeyword("COUNT") && At(SqlTokenKind::kLParen, 1)) {
    Advance();
    Advance();
    RETURN_IF_ERROR(Expect(SqlTokenKind::kStar, "'*' in SHOW COUNT(*)"));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "')' after COUNT(*"));
    show->count_only = true;
    if (AcceptKeyword("WARNINGS")) {
      show->kind = SqlShowKind::kWarnings;
    } else {
      RETURN_IF_ERROR(ExpectKeyword("ERRORS", "WARNINGS or ERRORS after SHOW COUNT(*)"));
      show->kind = SqlShowKind::kErrors;
    }
  } else if (AcceptKeyword("ENGINES")) {
    show->kind = SqlShowKind::kEngines;
  } else if (AcceptKeyword("STORAGE")) {
    RETURN_IF_ERROR(ExpectKeyword("ENGINES", "ENGINES after SHOW STORAGE"));
    show->kind = SqlShowKind::kEngines;
  } else if (AcceptKeyword("CHARSET")) {
    show->kind = SqlShowKind::kCharset;
    filtered = true;
  } else if (AtKeyword("CHARACTER") && AtKeyword("SET", 1)) {
    Advance();
    Advance();
    show->kind = SqlShowKind::kCharset;
    filtered = true;
  } else if (AcceptKeyword("COLLATION")) {
    show->kind = SqlShowKind::kCollation;
    filtered = true;
  } else {
    return ErrorAtCurrent(
        "DATABASES, TABLES, PARTITIONS, CREATE TABLE, REPOSITORIES, BACKUP, RESTORE, SNAPSHOT, "
        "GRANTS, VARIABLES, STATUS, WARNINGS, ERRORS, ENGINES, CHARSET or COLLATION after SHOW");
  }
  if (!filtered) return Status::Ok();
  if (AcceptKeyword("LIKE")) {
    ASSIGN_OR_RETURN(show->pattern, ParseString("a pattern in quotes after LIKE, as 'time%'"));
    return Status::Ok();
  }
  if (!AcceptKeyword("WHERE")) return Status::Ok();
  bool named =
      (At(SqlTokenKind::kIdentifier) || At(SqlTokenKind::kQuotedIdentifier)) &&
      (EqualsIgnoreCase(Peek().value, "Variable_name") ||
       EqualsIgnoreCase(Peek().value, "Charset") || EqualsIgnoreCase(Peek().value, "Collation"));
  if (!named) return ErrorAtCurrent("Variable_name after WHERE (the one condition supported)");
  Advance();
  if (AcceptKeyword("LIKE")) {
    ASSIGN_OR_RETURN(show->pattern, ParseString("a pattern in quotes after LIKE"));
  } else if (Accept(SqlTokenKind::kEq)) {
    // Variable_name = 'a' [OR Variable_name = 'b' ...] (Connector/J 5.1 sends such a chain).
    show->names.emplace();
    while (true) {
      ASSIGN_OR_RETURN(std::string name, ParseString("a variable name in quotes after '='"));
      show->names->push_back(std::move(name));
      if (!AcceptKeyword("OR")) break;
      bool again = (At(SqlTokenKind::kIdentifier) || At(SqlTokenKind::kQuotedIdentifier)) &&
                   EqualsIgnoreCase(Peek().value, "Variable_name");
      if (!again) return ErrorAtCurrent("Variable_name after OR");
      Advance();
      RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after Variable_name"));
    }
  } else {
    RETURN_IF_ERROR(ExpectKeyword("IN", "'=', IN or LIKE after Variable_name"));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' after IN"));
    show->names.emplace();
    do {
      ASSIGN_OR_RETURN(std::string name, ParseString("a variable name in quotes"));
      show->names->push_back(std::move(name));
    } while (Accept(SqlTokenKind::kComma));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' after the names"));
  }
  return Status::Ok();
}

}  // namespace strata
