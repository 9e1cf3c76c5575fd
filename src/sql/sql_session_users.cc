// Users and privileges of SqlSession: CREATE/DROP USER, SET PASSWORD, GRANT/REVOKE. The same
// users and grants as the script's createUser/grant (auth/auth.h): SELECT_PRIV is DB_READ,
// LOAD_PRIV DB_WRITE.
#include "auth/auth.h"
#include "base/strings.h"
#include "sql/sql_session.h"

namespace strata {

namespace {

// MySQL's host part: Strata users have none, so only '%' (any host) or nothing is accepted.
Status CheckHost(const SqlUser& user) {
  if (user.host.empty() || user.host == "%") return Status::Ok();
  return InvalidArgument("user " + Quote(user.name) + "@" + Quote(user.host) +
                         ": Strata users are not tied to a host; write '" + user.name + "' or '" +
                         user.name + "'@'%'");
}

}  // namespace

Result<SqlOutcome> SqlSession::Run(const SqlCreateUser& s) {
  RETURN_IF_ERROR(CheckHost(s.user));
  if (!s.password) {
    return InvalidArgument("CREATE USER " + Quote(s.user.name) +
                           " needs a password: CREATE USER 'u' IDENTIFIED BY 'password'");
  }
  Status status = CreateUser(session_.engine()->catalog(), session_.user(), s.user.name,
                             *s.password, UserRole::kUser);
  if (status.code() == StatusCode::kAlreadyExists && s.if_not_exists) return SqlOutcome();
  RETURN_IF_ERROR(status);
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlDropUser& s) {
  RETURN_IF_ERROR(CheckHost(s.user));
  Status status = DeleteUser(session_.engine()->catalog(), session_.user(), s.user.name);
  if (status.code() == StatusCode::kNotFound && s.if_exists) return SqlOutcome();
  RETURN_IF_ERROR(status);
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlSetPassword& s) {
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  std::string user = session_.user();
  if (s.user) {
    RETURN_IF_ERROR(CheckHost(*s.user));
    user = s.user->name;
  }
  if (user == session_.user()) {
    // One's own password, as Doris allows: the session has authenticated the user already.
    RETURN_IF_ERROR(SetOwnPassword(session_.engine()->catalog(), user, s.password));
    return SqlOutcome();
  }
  ASSIGN_OR_RETURN(bool superuser, session_.IsSuperuser());
  if (!superuser) {
    return PermissionDenied(
        "only a superuser may set the password of another user; SET PASSWORD "
        "= PASSWORD('...') sets your own");
  }
  RETURN_IF_ERROR(ResetPassword(session_.engine()->catalog(), session_.user(), user, s.password));
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlGrant& s) {
  RETURN_IF_ERROR(CheckHost(s.user));
  std::vector<std::string> accesses;
  for (const auto& privilege : s.privileges) {
    std::string p = ToUpper(privilege);
    if (p == "SELECT_PRIV") {
      accesses.push_back("DB_READ");
    } else if (p == "LOAD_PRIV") {
      accesses.push_back("DB_WRITE");
    } else if (p == "ALL" || p == "ALL PRIVILEGES" || p == "ALL_PRIV") {
      accesses.push_back("DB_READ");
      accesses.push_back("DB_WRITE");
    } else {
      return InvalidArgument("privilege " + privilege +
                             " is not supported; use SELECT_PRIV (read), LOAD_PRIV (write) or "
                             "ALL");
    }
  }
  if (s.target.table != "*") {
    return InvalidArgument("privileges on one table (" + s.target.db + "." + s.target.table +
                           ") are not supported; grant on the database: " + s.target.db + ".*");
  }
  std::string database = s.target.db == "*" ? kAllDatabases : StrataDatabaseName(s.target.db);
  Catalog& catalog = session_.engine()->catalog();
  for (const auto& access : accesses) {
    RETURN_IF_ERROR(s.revoke ? Revoke(catalog, session_.user(), s.user.name, access, database)
                             : Grant(catalog, session_.user(), s.user.name, access, database));
  }
  return SqlOutcome();
}

}  // namespace strata
