#include "auth/auth.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/password.h"
#include "base/file_util.h"

namespace strata {
namespace {

TEST(PasswordTest, VerifiesOnlyTheRightPassword) {
  UserRecord user = MakeUserRecord("alice", "s3cret", false, 1000);
  EXPECT_TRUE(VerifyPassword(user, "s3cret"));
  EXPECT_FALSE(VerifyPassword(user, "s3cret "));
  EXPECT_FALSE(VerifyPassword(user, ""));
  UserRecord again = MakeUserRecord("alice", "s3cret", false, 1000);
  EXPECT_NE(user.salt, again.salt);  // salted: equal passwords hash differently
  EXPECT_NE(user.hash, again.hash);
}

TEST(AuthTest, DefaultAdminCanLogIn) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_auth_test");
  ASSERT_TRUE(MakeDirs(dir).ok());
  {
    auto catalog = *Catalog::Open(dir + "/catalog.sqlite");
    ASSERT_TRUE(EnsureDefaultAdmin(*catalog).ok());
    ASSERT_TRUE(EnsureDefaultAdmin(*catalog).ok());  // idempotent
    EXPECT_TRUE(CheckLogin(*catalog, "admin", "123456").ok());
    Status wrong = CheckLogin(*catalog, "admin", "654321");
    EXPECT_EQ(wrong.code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(wrong.message().find("654321"), std::string::npos);  // never echo secrets
    EXPECT_FALSE(CheckLogin(*catalog, "nobody", "123456").ok());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace strata
