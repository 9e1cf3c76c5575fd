#include "auth/auth.h"

#include "auth/password.h"
#include "base/strings.h"

namespace strata {

const char* DatabaseAccessName(DatabaseAccess access) {
  return access == DatabaseAccess::kRead ? "DB_READ" : "DB_WRITE";
}

std::optional<DatabaseAccess> DatabaseAccessFromName(std::string_view name) {
  for (DatabaseAccess access : {DatabaseAccess::kRead, DatabaseAccess::kWrite}) {
    if (EqualsIgnoreCase(name, DatabaseAccessName(access))) return access;
  }
  return std::nullopt;
}

Status EnsureDefaultAdmin(Catalog& catalog) {
  ASSIGN_OR_RETURN(auto users, catalog.ListUsers());
  if (!users.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  RETURN_IF_ERROR(txn->UpsertUser(MakeUserRecord(kDefaultAdminName, kDefaultAdminPassword,
                                                 /*is_admin=*/true)));
  return txn->Commit();
}

namespace {

// The one answer to every failed login: it does not tell a wrong name from a wrong password.
Status LoginFailed(const std::string& user) {
  return PermissionDenied("login failed for user " + Quote(user) +
                          ": the user does not exist or the password is wrong");
}

}  // namespace

Status CheckLogin(Catalog& catalog, const std::string& user, const std::string& password) {
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(user));
  // An unknown user is verified against a record no password matches, so both failures cost
  // one hash and take the same time (no user enumeration by timing).
  bool verified = VerifyPassword(record ? *record : UnknownUserRecord(), password);
  if (!record || !verified) return LoginFailed(user);
  if (record->native_verifier.empty()) {
    // A password set before catalog version 3: add the verifier MySQL clients log in with.
    record->native_verifier = NativePasswordVerifier(password);
    ASSIGN_OR_RETURN(auto txn, catalog.Begin());
    RETURN_IF_ERROR(txn->UpsertUser(*record));
    RETURN_IF_ERROR(txn->Commit());
  }
  return Status::Ok();
}

Status CheckNativeLogin(Catalog& catalog, const std::string& user, std::string_view scramble,
                        std::string_view response) {
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(user));
  bool verified = VerifyNativeScramble(record ? *record : UnknownUserRecord(), scramble, response);
  if (record && verified) return Status::Ok();
  return PermissionDenied("login failed for user " + Quote(user) +
                          ": the user does not exist, the password is wrong, or the password "
                          "was set before this server took MySQL logins (log in once with "
                          "`strata sql`, or have it set again, to enable them)");
}

Status CheckLoggedIn(const std::string& user) {
  if (!user.empty()) return Status::Ok();
  return PermissionDenied("not logged in").WithRemedy({RemedyKind::kLogin, {}});
}

Result<bool> IsAdmin(Catalog& catalog, const std::string& user) {
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(user));
  return record.has_value() && record->is_admin;
}

Status CheckDatabaseAccess(Catalog& catalog, const std::string& user, const std::string& database,
                           DatabaseAccess access) {
  RETURN_IF_ERROR(CheckLoggedIn(user));
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(user));
  if (!record) {
    return PermissionDenied("user " + Quote(user) +
                            " no longer exists: log in again as an existing user");
  }
  if (record->is_admin) return Status::Ok();
  const char* name = DatabaseAccessName(access);
  ASSIGN_OR_RETURN(auto grants, catalog.ListGrants(user));
  for (const auto& grant : grants) {
    if (grant.access == name && (grant.database == database || grant.database == kAllDatabases)) {
      return Status::Ok();
    }
  }
  return PermissionDenied("user " + Quote(user) + " has no " + name + " access to database " +
                          Quote(database))
      .WithRemedy({RemedyKind::kGrant, {user, name, database}});
}

}  // namespace strata
