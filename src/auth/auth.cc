#include "auth/auth.h"

#include "auth/password.h"
#include "base/strings.h"

namespace strata {

Status EnsureDefaultAdmin(Catalog& catalog) {
  ASSIGN_OR_RETURN(auto users, catalog.ListUsers());
  if (!users.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  RETURN_IF_ERROR(txn->UpsertUser(MakeUserRecord(kDefaultAdminName, kDefaultAdminPassword,
                                                 /*is_admin=*/true)));
  return txn->Commit();
}

Status CheckLogin(Catalog& catalog, const std::string& user, const std::string& password) {
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(user));
  if (!record || !VerifyPassword(*record, password)) {
    return PermissionDenied("login failed for user " + Quote(user) +
                            ": the user does not exist or the password is wrong");
  }
  return Status::Ok();
}

}  // namespace strata
