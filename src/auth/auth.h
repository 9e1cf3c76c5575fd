// Users, logins and per-database grants. A fresh data directory has one superuser (admin /
// 123456, as DolphinDB ships); superusers manage users and grants and pass every access check;
// other users need a DB_READ or DB_WRITE grant on a database (or on "*", every database).
// Every function names the acting user: the empty name means nobody is logged in. Passwords
// never appear in a message. Thread-safe (state lives in the catalog).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

namespace strata {

inline constexpr const char* kDefaultAdminName = "admin";
inline constexpr const char* kDefaultAdminPassword = "123456";
// The database name of a grant that covers every database.
inline constexpr const char* kAllDatabases = "*";
inline constexpr size_t kUserNameLengthMax = 30;
inline constexpr size_t kPasswordLengthMax = 64;

enum class DatabaseAccess : uint8_t { kRead, kWrite };
// "DB_READ" / "DB_WRITE": the access strings of grants and of the script constants.
const char* DatabaseAccessName(DatabaseAccess access);
// The access named `name` (case-insensitive), or nullopt.
std::optional<DatabaseAccess> DatabaseAccessFromName(std::string_view name);

enum class UserRole : uint8_t { kUser, kSuperuser };

// ---- logins and checks ----

// Creates the default superuser when the catalog has no users yet.
Status EnsureDefaultAdmin(Catalog& catalog);

// PermissionDenied with a message that names the user but never the password when the name or
// password is wrong. A user whose record predates the native verifier gets it now.
Status CheckLogin(Catalog& catalog, const std::string& user, const std::string& password);

// The same check for a MySQL client's mysql_native_password login: `response` answers the
// 20-byte `scramble` the server sent. One PermissionDenied for an unknown user, a wrong
// password, and a user whose password predates the native verifier (CheckLogin adds it).
Status CheckNativeLogin(Catalog& catalog, const std::string& user, std::string_view scramble,
                        std::string_view response);

// PermissionDenied telling how to log in when `user` is empty.
Status CheckLoggedIn(const std::string& user);

// True if `user` exists and is a superuser (false for unknown users).
Result<bool> IsAdmin(Catalog& catalog, const std::string& user);

// OK if `user` may read (kRead) or write (kWrite) `database`: superusers always may, others
// need the matching grant on the database or on "*". PermissionDenied naming the user, the
// database and the grant(...) call a superuser would run; or telling how to log in when `user`
// is empty.
Status CheckDatabaseAccess(Catalog& catalog, const std::string& user, const std::string& database,
                           DatabaseAccess access);

// ---- user management (the acting user must be a superuser unless said otherwise) ----

// InvalidArgument naming the rule when `name` is not a valid user name: a letter, then
// letters, digits or underscores, at most kUserNameLengthMax characters.
Status ValidateUserName(const std::string& name);
// InvalidArgument naming the rule (never the password) when `password` is not valid: not
// empty, no whitespace or control characters, at most kPasswordLengthMax bytes.
Status ValidatePassword(const std::string& password);

// Creates the user. AlreadyExists when the name is taken.
Status CreateUser(Catalog& catalog, const std::string& acting_user, const std::string& name,
                  const std::string& password, UserRole role);
// Deletes the user and their grants. NotFound for an unknown user; FailedPrecondition when
// `name` is the acting user or the last superuser.
Status DeleteUser(Catalog& catalog, const std::string& acting_user, const std::string& name);
// Changes the logged-in `user`'s own password after checking the old one (PermissionDenied
// when it is wrong). Any logged-in user may.
Status ChangePassword(Catalog& catalog, const std::string& user, const std::string& old_password,
                      const std::string& new_password);
// Sets the logged-in `user`'s own password in a session that has already authenticated them,
// without the old one (SQL's SET PASSWORD, as Doris and MySQL allow). Any logged-in user may.
Status SetOwnPassword(Catalog& catalog, const std::string& user, const std::string& new_password);
// Sets another user's password without knowing the old one. NotFound for an unknown user.
Status ResetPassword(Catalog& catalog, const std::string& acting_user, const std::string& name,
                     const std::string& new_password);
// Every user name, sorted.
Result<std::vector<std::string>> ListUsers(Catalog& catalog, const std::string& acting_user);

// ---- grants (superusers only) ----

// Grants `access` ("DB_READ" or "DB_WRITE", case-insensitive) on `database` ("dfs://..."; it
// need not exist yet; "*" means every database) to the existing user `name`. Granting twice
// is the same as once. InvalidArgument for another access or database name; NotFound for an
// unknown user.
Status Grant(Catalog& catalog, const std::string& acting_user, const std::string& name,
             const std::string& access, const std::string& database);
// The same for several databases at once: all of them or, on error, none.
Status Grant(Catalog& catalog, const std::string& acting_user, const std::string& name,
             const std::string& access, const std::vector<std::string>& databases);
// Removes that grant; revoking one the user does not hold is not an error. Errors as Grant.
Status Revoke(Catalog& catalog, const std::string& acting_user, const std::string& name,
              const std::string& access, const std::string& database);
Status Revoke(Catalog& catalog, const std::string& acting_user, const std::string& name,
              const std::string& access, const std::vector<std::string>& databases);

}  // namespace strata
