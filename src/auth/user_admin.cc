// User management and grants: the superuser-only writes of auth.h, with the rules for names,
// passwords, access types and database names. Checks that depend on the catalog's state run
// inside the write transaction, so they see what the write replaces.
#include <cctype>

#include "auth/auth.h"
#include "auth/password.h"
#include "base/strings.h"

namespace strata {

namespace {

// OK if `acting_user` is logged in and a superuser; PermissionDenied saying who may `action`.
Status RequireSuperuser(Catalog& catalog, const std::string& acting_user,
                        const std::string& action) {
  RETURN_IF_ERROR(CheckLoggedIn(acting_user));
  ASSIGN_OR_RETURN(bool admin, IsAdmin(catalog, acting_user));
  if (admin) return Status::Ok();
  return PermissionDenied("user " + Quote(acting_user) + " may not " + action +
                          ": only a superuser may; log in as one");
}

Status UnknownUser(const std::string& name) {
  return NotFound("user " + Quote(name) + " does not exist");
}

// The user's committed record, or NotFound.
Result<UserRecord> ExistingUser(Catalog& catalog, const std::string& name) {
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(name));
  if (!record) return UnknownUser(name);
  return std::move(*record);
}

// The grant `access` on `database` to `name`, validated; InvalidArgument naming what is wrong.
Result<GrantRecord> MakeGrant(const std::string& name, const std::string& access,
                              const std::string& database) {
  auto parsed = DatabaseAccessFromName(access);
  if (!parsed) {
    return InvalidArgument("access type " + Quote(access) +
                           " is not supported; the supported ones are DB_READ and DB_WRITE");
  }
  bool dfs = database.starts_with("dfs://") && database.size() > 6;
  if (!dfs && database != kAllDatabases) {
    return InvalidArgument(R"(a grant names a database such as "dfs://compoDB", or "*" for )"
                           "every database; got " +
                           Quote(database));
  }
  return GrantRecord{name, database, DatabaseAccessName(*parsed)};
}

enum class GrantChange : uint8_t { kAdd, kRemove };

Status ChangeGrant(Catalog& catalog, const std::string& acting_user, const std::string& name,
                   const std::string& access, const std::vector<std::string>& databases,
                   GrantChange change) {
  bool add = change == GrantChange::kAdd;
  RETURN_IF_ERROR(RequireSuperuser(catalog, acting_user, add ? "grant access" : "revoke access"));
  if (databases.empty()) {
    return InvalidArgument(std::string(add ? "a grant" : "a revoke") +
                           " names at least one database, or \"*\" for every database");
  }
  std::vector<GrantRecord> grants;
  for (const auto& database : databases) {
    ASSIGN_OR_RETURN(GrantRecord grant, MakeGrant(name, access, database));
    grants.push_back(std::move(grant));
  }
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  RETURN_IF_ERROR(ExistingUser(catalog, name).status());
  for (const auto& grant : grants) {
    RETURN_IF_ERROR(add ? txn->InsertGrant(grant) : txn->DeleteGrant(grant));
  }
  return txn->Commit();
}

}  // namespace

Status ValidateUserName(const std::string& name) {
  if (name.empty()) return InvalidArgument("a user name must not be empty");
  if (name.size() > kUserNameLengthMax) {
    return InvalidArgument("user name " + Quote(name) + " is too long: at most " +
                           std::to_string(kUserNameLengthMax) + " characters");
  }
  auto c = [](char ch) { return static_cast<unsigned char>(ch); };
  bool valid = std::isalpha(c(name[0])) != 0;
  for (char ch : name) valid = valid && (std::isalnum(c(ch)) != 0 || ch == '_');
  if (!valid) {
    return InvalidArgument("user name " + Quote(name) +
                           " is not valid: it must start with a letter and contain only "
                           "letters, digits and underscores");
  }
  return Status::Ok();
}

Status ValidatePassword(const std::string& password) {
  if (password.empty()) return InvalidArgument("a password must not be empty");
  if (password.size() > kPasswordLengthMax) {
    return InvalidArgument("the password is too long: at most " +
                           std::to_string(kPasswordLengthMax) + " characters");
  }
  for (char ch : password) {
    auto u = static_cast<unsigned char>(ch);
    if (std::isspace(u) != 0 || std::iscntrl(u) != 0) {
      return InvalidArgument("the password must not contain spaces or control characters");
    }
  }
  return Status::Ok();
}

Status CreateUser(Catalog& catalog, const std::string& acting_user, const std::string& name,
                  const std::string& password, UserRole role) {
  RETURN_IF_ERROR(RequireSuperuser(catalog, acting_user, "create users"));
  RETURN_IF_ERROR(ValidateUserName(name));
  RETURN_IF_ERROR(ValidatePassword(password));
  UserRecord record = MakeUserRecord(name, password, role == UserRole::kSuperuser);
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  ASSIGN_OR_RETURN(auto existing, catalog.FindUser(name));
  if (existing) return AlreadyExists("user " + Quote(name) + " already exists");
  RETURN_IF_ERROR(txn->UpsertUser(record));
  return txn->Commit();
}

Status DeleteUser(Catalog& catalog, const std::string& acting_user, const std::string& name) {
  RETURN_IF_ERROR(RequireSuperuser(catalog, acting_user, "delete users"));
  if (name == acting_user) {
    return FailedPrecondition("user " + Quote(name) +
                              " cannot delete itself: log in as another superuser to delete it");
  }
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  ASSIGN_OR_RETURN(UserRecord record, ExistingUser(catalog, name));
  if (record.is_admin) {
    ASSIGN_OR_RETURN(auto users, catalog.ListUsers());
    size_t superusers = 0;
    for (const auto& u : users) superusers += u.is_admin ? 1 : 0;
    if (superusers <= 1) {
      return FailedPrecondition("user " + Quote(name) +
                                " is the last superuser and cannot be deleted; create another "
                                "superuser first");
    }
  }
  RETURN_IF_ERROR(txn->DeleteUser(name));
  return txn->Commit();
}

Status ChangePassword(Catalog& catalog, const std::string& user, const std::string& old_password,
                      const std::string& new_password) {
  RETURN_IF_ERROR(CheckLoggedIn(user));
  ASSIGN_OR_RETURN(UserRecord current, ExistingUser(catalog, user));
  if (!VerifyPassword(current, old_password)) {
    return PermissionDenied("the old password given for user " + Quote(user) +
                            " is wrong; the password was not changed");
  }
  RETURN_IF_ERROR(ValidatePassword(new_password));
  UserRecord updated = MakeUserRecord(user, new_password, current.is_admin);
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  ASSIGN_OR_RETURN(UserRecord now, ExistingUser(catalog, user));
  if (now != current) {
    return FailedPrecondition("user " + Quote(user) +
                              " was changed while its password was being changed; try again");
  }
  RETURN_IF_ERROR(txn->UpsertUser(updated));
  return txn->Commit();
}

Status SetOwnPassword(Catalog& catalog, const std::string& user, const std::string& new_password) {
  RETURN_IF_ERROR(CheckLoggedIn(user));
  RETURN_IF_ERROR(ValidatePassword(new_password));
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  ASSIGN_OR_RETURN(UserRecord now, ExistingUser(catalog, user));
  RETURN_IF_ERROR(txn->UpsertUser(MakeUserRecord(user, new_password, now.is_admin)));
  return txn->Commit();
}

Status ResetPassword(Catalog& catalog, const std::string& acting_user, const std::string& name,
                     const std::string& new_password) {
  RETURN_IF_ERROR(RequireSuperuser(catalog, acting_user, "reset passwords"));
  RETURN_IF_ERROR(ValidatePassword(new_password));
  ASSIGN_OR_RETURN(UserRecord current, ExistingUser(catalog, name));
  UserRecord updated = MakeUserRecord(name, new_password, current.is_admin);
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  ASSIGN_OR_RETURN(UserRecord now, ExistingUser(catalog, name));
  updated.is_admin = now.is_admin;
  RETURN_IF_ERROR(txn->UpsertUser(updated));
  return txn->Commit();
}

Result<std::vector<std::string>> ListUsers(Catalog& catalog, const std::string& acting_user) {
  RETURN_IF_ERROR(RequireSuperuser(catalog, acting_user, "list users"));
  ASSIGN_OR_RETURN(auto users, catalog.ListUsers());
  std::vector<std::string> names;
  for (auto& u : users) names.push_back(std::move(u.name));
  return names;
}

Status Grant(Catalog& catalog, const std::string& acting_user, const std::string& name,
             const std::string& access, const std::string& database) {
  return ChangeGrant(catalog, acting_user, name, access, {database}, GrantChange::kAdd);
}

Status Grant(Catalog& catalog, const std::string& acting_user, const std::string& name,
             const std::string& access, const std::vector<std::string>& databases) {
  return ChangeGrant(catalog, acting_user, name, access, databases, GrantChange::kAdd);
}

Status Revoke(Catalog& catalog, const std::string& acting_user, const std::string& name,
              const std::string& access, const std::string& database) {
  return ChangeGrant(catalog, acting_user, name, access, {database}, GrantChange::kRemove);
}

Status Revoke(Catalog& catalog, const std::string& acting_user, const std::string& name,
              const std::string& access, const std::vector<std::string>& databases) {
  return ChangeGrant(catalog, acting_user, name, access, databases, GrantChange::kRemove);
}

}  // namespace strata
