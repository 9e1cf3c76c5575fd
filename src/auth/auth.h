// Users and sessions: the default superuser of a fresh data directory (admin / 123456, as
// DolphinDB ships) and login checks. Grants and user management arrive with the backup
// issue. Thread-safe (state lives in the catalog).
#pragma once

#include <string>

#include "catalog/catalog.h"

namespace strata {

inline constexpr const char* kDefaultAdminName = "admin";
inline constexpr const char* kDefaultAdminPassword = "123456";

// Creates the default superuser when the catalog has no users yet.
Status EnsureDefaultAdmin(Catalog& catalog);

// PermissionDenied with a message that names the user but never the password when the name or
// password is wrong.
Status CheckLogin(Catalog& catalog, const std::string& user, const std::string& password);

}  // namespace strata
