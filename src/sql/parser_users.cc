// CREATE USER, DROP USER, SET PASSWORD, GRANT and REVOKE.
#include <utility>

#include "base/strings.h"
#include "sql/sql_parser.h"

namespace strata {

// 'name' or name, optionally @'host' / @host.
Result<SqlUser> SqlParser::ParseUser() {
  SqlUser user;
  ASSIGN_OR_RETURN(user.name, ParseNameOrString("a user name, as 'u'"));
  if (Accept(SqlTokenKind::kAt)) {
    ASSIGN_OR_RETURN(user.host, ParseNameOrString("a host after '@', as '%'"));
  }
  return user;
}

Result<Statement> SqlParser::ParseCreateUser(SqlPosition position) {
  SqlCreateUser create{.position = position};
  ASSIGN_OR_RETURN(create.if_not_exists, ParseIfNotExists());
  ASSIGN_OR_RETURN(create.user, ParseUser());
  if (AcceptKeyword("IDENTIFIED")) {
    RETURN_IF_ERROR(ExpectKeyword("BY", "BY after IDENTIFIED"));
    ASSIGN_OR_RETURN(create.password, ParseString("a password in quotes"));
  }
  return Statement(std::move(create));
}

Result<Statement> SqlParser::ParseDropUser(SqlPosition position) {
  SqlDropUser drop{.position = position};
  ASSIGN_OR_RETURN(drop.if_exists, ParseIfExists());
  ASSIGN_OR_RETURN(drop.user, ParseUser());
  return Statement(std::move(drop));
}

// SET PASSWORD ... or SET of variables (parser_variables.cc).
Result<Statement> SqlParser::ParseSet() {
  SqlPosition position = Position();
  Advance();  // SET
  // SET PASSWORD = ... / SET PASSWORD FOR ...; `SET password_x = 1` is a variable.
  if (AtKeyword("PASSWORD") && (AtKeyword("FOR", 1) || At(SqlTokenKind::kEq, 1))) {
    Advance();
    return ParseSetPassword(position);
  }
  return ParseSetVariables(position);
}

// [FOR user] = PASSWORD('new'), after SET PASSWORD.
Result<Statement> SqlParser::ParseSetPassword(SqlPosition position) {
  SqlSetPassword set{.position = position};
  if (AcceptKeyword("FOR")) {
    ASSIGN_OR_RETURN(set.user, ParseUser());
  }
  RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' and PASSWORD('...')"));
  RETURN_IF_ERROR(ExpectKeyword("PASSWORD", "PASSWORD('...') after '='"));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' after PASSWORD"));
  ASSIGN_OR_RETURN(set.password, ParseString("the new password in quotes"));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "')' after the password"));
  return Statement(std::move(set));
}

// GRANT priv, ... ON db.* TO user / REVOKE priv, ... ON db.* FROM user
Result<Statement> SqlParser::ParseGrant() {
  SqlGrant grant{.position = Position()};
  grant.revoke = AtKeyword("REVOKE");
  Advance();
  do {
    if (!At(SqlTokenKind::kIdentifier)) {
      return ErrorAtCurrent("a privilege (SELECT_PRIV, LOAD_PRIV or ALL)");
    }
    grant.privileges.push_back(ToUpper(Advance().value));
    if (grant.privileges.back() == "ALL") AcceptKeyword("PRIVILEGES");
  } while (Accept(SqlTokenKind::kComma));
  RETURN_IF_ERROR(ExpectKeyword("ON", "',' or ON after the privileges"));
  auto star_or_name = [&](const std::string& what) -> Result<std::string> {
    if (Accept(SqlTokenKind::kStar)) return std::string("*");
    return ParseName(what);
  };
  ASSIGN_OR_RETURN(grant.target.db, star_or_name("a database name or '*'"));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kDot, "'.' after the database, as example_db.*"));
  ASSIGN_OR_RETURN(grant.target.table, star_or_name("a table name or '*'"));
  const char* direction = grant.revoke ? "FROM" : "TO";
  RETURN_IF_ERROR(ExpectKeyword(direction, std::string(direction) + " and a user"));
  ASSIGN_OR_RETURN(grant.user, ParseUser());
  return Statement(std::move(grant));
}

}  // namespace strata
