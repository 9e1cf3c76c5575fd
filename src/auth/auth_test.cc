#include "auth/auth.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

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

std::string Sha1(std::string_view data) {
  std::string out(SHA_DIGEST_LENGTH, '\0');
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// What a MySQL client answers to `scramble` for `password` (mysql_native_password).
std::string NativeResponse(std::string_view password, std::string_view scramble) {
  std::string stage1 = Sha1(password);
  std::string mask = Sha1(std::string(scramble) + Sha1(stage1));
  for (size_t i = 0; i < stage1.size(); ++i) stage1[i] ^= mask[i];
  return stage1;
}

constexpr std::string_view kScramble = "0123456789abcdefghij";

TEST(PasswordTest, NativeScrambleMatchesOnlyTheRightPassword) {
  UserRecord user = MakeUserRecord("alice", "s3cret", false, 1000);
  EXPECT_EQ(user.native_verifier.size(), 20u);
  EXPECT_EQ(user.native_verifier.find("s3cret"), std::string::npos);
  EXPECT_TRUE(VerifyNativeScramble(user, kScramble, NativeResponse("s3cret", kScramble)));
  EXPECT_FALSE(VerifyNativeScramble(user, kScramble, NativeResponse("s3cret ", kScramble)));
  // An answer to another scramble (a replayed login) fails.
  EXPECT_FALSE(
      VerifyNativeScramble(user, kScramble, NativeResponse("s3cret", "abcdefghij0123456789")));
  EXPECT_FALSE(VerifyNativeScramble(user, kScramble, ""));
  // The verifier itself is not a login.
  EXPECT_FALSE(VerifyNativeScramble(user, kScramble, user.native_verifier));
  UserRecord old = user;
  old.native_verifier.clear();
  EXPECT_FALSE(VerifyNativeScramble(old, kScramble, NativeResponse("s3cret", kScramble)));
}

// A fresh catalog with the default superuser.
class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_auth_test");
    ASSERT_TRUE(MakeDirs(dir_).ok());
    auto catalog = Catalog::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);
    ASSERT_TRUE(EnsureDefaultAdmin(*catalog_).ok());
  }
  void TearDown() override {
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Creates user `name` (password "pw_<name>") as admin; fails the test on error.
  void AddUser(const std::string& name, UserRole role = UserRole::kUser) {
    Status status = CreateUser(*catalog_, "admin", name, "pw_" + name, role);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  std::string dir_;
  std::unique_ptr<Catalog> catalog_;
};

// `status` has `code` and a message containing `part` but none of `secrets`.
void ExpectError(const Status& status, StatusCode code, const std::string& part,
                 const std::vector<std::string>& secrets = {}) {
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_NE(status.message().find(part), std::string::npos) << status.ToString();
  for (const auto& secret : secrets) {
    EXPECT_EQ(status.message().find(secret), std::string::npos) << status.ToString();
  }
}

TEST_F(AuthTest, DefaultAdminCanLogIn) {
  ASSERT_TRUE(EnsureDefaultAdmin(*catalog_).ok());  // idempotent
  EXPECT_TRUE(CheckLogin(*catalog_, "admin", "123456").ok());
  Status wrong = CheckLogin(*catalog_, "admin", "654321");
  ExpectError(wrong, StatusCode::kPermissionDenied, "login failed for user 'admin'", {"654321"});
  EXPECT_FALSE(CheckLogin(*catalog_, "nobody", "123456").ok());
  EXPECT_TRUE(*IsAdmin(*catalog_, "admin"));
  EXPECT_FALSE(*IsAdmin(*catalog_, "nobody"));
}

// A MySQL client's login: the same error for an unknown user and a wrong password; a user whose
// record predates the verifier gets one from their next clear-text login.
TEST_F(AuthTest, NativeLogins) {
  AddUser("bob");
  EXPECT_TRUE(
      CheckNativeLogin(*catalog_, "bob", kScramble, NativeResponse("pw_bob", kScramble)).ok());
  Status wrong = CheckNativeLogin(*catalog_, "bob", kScramble, NativeResponse("x", kScramble));
  Status unknown = CheckNativeLogin(*catalog_, "eve", kScramble, NativeResponse("x", kScramble));
  ExpectError(wrong, StatusCode::kPermissionDenied, "the password is wrong");
  EXPECT_EQ(unknown.message(), wrong.message().substr(0, wrong.message().find("'bob'")) + "'eve'" +
                                   wrong.message().substr(wrong.message().find("'bob'") + 5));

  UserRecord old = **catalog_->FindUser("bob");
  old.native_verifier.clear();
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertUser(old).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_FALSE(
      CheckNativeLogin(*catalog_, "bob", kScramble, NativeResponse("pw_bob", kScramble)).ok());
  ASSERT_TRUE(CheckLogin(*catalog_, "bob", "pw_bob").ok());
  EXPECT_TRUE(
      CheckNativeLogin(*catalog_, "bob", kScramble, NativeResponse("pw_bob", kScramble)).ok());
}

// A failed login costs one password hash whether the user exists or not (the unknown user is
// verified against UnknownUserRecord), so its time does not reveal which user names exist.
TEST_F(AuthTest, UnknownUserCostsTheSameHashAsAWrongPassword) {
  auto admin = catalog_->FindUser("admin");
  ASSERT_TRUE(admin.ok() && admin->has_value());
  EXPECT_EQ(UnknownUserRecord().iterations, (*admin)->iterations);
  EXPECT_EQ(UnknownUserRecord().salt.size(), (*admin)->salt.size());
  uint64_t before = PasswordHashCount();
  Status unknown = CheckLogin(*catalog_, "nobody", "654321");
  EXPECT_EQ(PasswordHashCount() - before, 1u);
  before = PasswordHashCount();
  Status wrong = CheckLogin(*catalog_, "admin", "654321");
  EXPECT_EQ(PasswordHashCount() - before, 1u);
  // Both fail alike: the same code and the same message but for the name.
  EXPECT_EQ(unknown.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(wrong.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(unknown.message().substr(unknown.message().find(':')),
            wrong.message().substr(wrong.message().find(':')));
  EXPECT_FALSE(VerifyPassword(UnknownUserRecord(), ""));
  EXPECT_FALSE(VerifyPassword(UnknownUserRecord(), "123456"));
}

TEST_F(AuthTest, AccessNames) {
  EXPECT_STREQ(DatabaseAccessName(DatabaseAccess::kRead), "DB_READ");
  EXPECT_STREQ(DatabaseAccessName(DatabaseAccess::kWrite), "DB_WRITE");
  EXPECT_EQ(DatabaseAccessFromName("db_write"), DatabaseAccess::kWrite);
  EXPECT_EQ(DatabaseAccessFromName("DB_OWNER"), std::nullopt);
}

TEST_F(AuthTest, CreatedUsersLogInWithTheirRole) {
  AddUser("bob");
  AddUser("root2", UserRole::kSuperuser);
  EXPECT_TRUE(CheckLogin(*catalog_, "bob", "pw_bob").ok());
  EXPECT_FALSE(*IsAdmin(*catalog_, "bob"));
  EXPECT_TRUE(*IsAdmin(*catalog_, "root2"));
  // A superuser created by a superuser can create users in turn.
  EXPECT_TRUE(CreateUser(*catalog_, "root2", "carol", "pw", UserRole::kUser).ok());
  EXPECT_EQ(*ListUsers(*catalog_, "admin"),
            (std::vector<std::string>{"admin", "bob", "carol", "root2"}));
}

TEST_F(AuthTest, CreateUserChecksTheActingUserNameAndPassword) {
  AddUser("bob");
  ExpectError(CreateUser(*catalog_, "", "x", "pw", UserRole::kUser), StatusCode::kPermissionDenied,
              "not logged in");
  EXPECT_EQ(CreateUser(*catalog_, "", "x", "pw", UserRole::kUser).remedy().kind,
            RemedyKind::kLogin);
  ExpectError(CreateUser(*catalog_, "bob", "x", "pw", UserRole::kUser),
              StatusCode::kPermissionDenied, "user 'bob' may not create users");
  ExpectError(CreateUser(*catalog_, "admin", "bob", "pw", UserRole::kUser),
              StatusCode::kAlreadyExists, "user 'bob' already exists");
  ExpectError(CreateUser(*catalog_, "admin", "", "pw", UserRole::kUser),
              StatusCode::kInvalidArgument, "must not be empty");
  for (const char* bad : {"1bob", "_bob", "bo b", "bob-2", "b\xc3\xa9"}) {
    ExpectError(CreateUser(*catalog_, "admin", bad, "pw", UserRole::kUser),
                StatusCode::kInvalidArgument, "must start with a letter");
  }
  std::string longest(kUserNameLengthMax, 'a');
  EXPECT_TRUE(CreateUser(*catalog_, "admin", longest, "pw", UserRole::kUser).ok());
  ExpectError(CreateUser(*catalog_, "admin", longest + "a", "pw", UserRole::kUser),
              StatusCode::kInvalidArgument, "at most 30 characters");
  ExpectError(CreateUser(*catalog_, "admin", "dave", "", UserRole::kUser),
              StatusCode::kInvalidArgument, "a password must not be empty");
  ExpectError(CreateUser(*catalog_, "admin", "dave", "my secret", UserRole::kUser),
              StatusCode::kInvalidArgument, "must not contain spaces", {"my secret"});
  std::string too_long(kPasswordLengthMax + 1, 'p');
  ExpectError(CreateUser(*catalog_, "admin", "dave", too_long, UserRole::kUser),
              StatusCode::kInvalidArgument, "at most 64 characters", {too_long});
  EXPECT_FALSE(catalog_->FindUser("dave")->has_value());
}

TEST_F(AuthTest, DeleteUserRemovesTheUserAndTheirGrants) {
  AddUser("bob");
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "DB_READ", "dfs://a").ok());
  ExpectError(DeleteUser(*catalog_, "bob", "admin"), StatusCode::kPermissionDenied,
              "user 'bob' may not delete users");
  ExpectError(DeleteUser(*catalog_, "", "bob"), StatusCode::kPermissionDenied, "not logged in");
  ExpectError(DeleteUser(*catalog_, "admin", "nobody"), StatusCode::kNotFound,
              "user 'nobody' does not exist");
  ASSERT_TRUE(DeleteUser(*catalog_, "admin", "bob").ok());
  EXPECT_FALSE(catalog_->FindUser("bob")->has_value());
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
  // Re-created, bob starts without the old grants.
  AddUser("bob");
  EXPECT_FALSE(CheckDatabaseAccess(*catalog_, "bob", "dfs://a", DatabaseAccess::kRead).ok());
}

TEST_F(AuthTest, SuperusersCannotDeleteThemselvesOrTheLastSuperuser) {
  ExpectError(DeleteUser(*catalog_, "admin", "admin"), StatusCode::kFailedPrecondition,
              "cannot delete itself");
  AddUser("root2", UserRole::kSuperuser);
  ASSERT_TRUE(DeleteUser(*catalog_, "root2", "admin").ok());
  ExpectError(DeleteUser(*catalog_, "root2", "root2"), StatusCode::kFailedPrecondition,
              "cannot delete itself");
  EXPECT_EQ(*ListUsers(*catalog_, "root2"), (std::vector<std::string>{"root2"}));
}

TEST_F(AuthTest, ChangePasswordNeedsTheOldOne) {
  AddUser("bob");
  ExpectError(ChangePassword(*catalog_, "", "pw_bob", "new_pw"), StatusCode::kPermissionDenied,
              "not logged in");
  ExpectError(ChangePassword(*catalog_, "bob", "guess", "new_pw"), StatusCode::kPermissionDenied,
              "the old password given for user 'bob' is wrong", {"guess", "new_pw", "pw_bob"});
  EXPECT_TRUE(CheckLogin(*catalog_, "bob", "pw_bob").ok());
  ExpectError(ChangePassword(*catalog_, "bob", "pw_bob", "a b"), StatusCode::kInvalidArgument,
              "must not contain spaces", {"a b", "pw_bob"});
  ASSERT_TRUE(ChangePassword(*catalog_, "bob", "pw_bob", "new_pw").ok());
  EXPECT_TRUE(CheckLogin(*catalog_, "bob", "new_pw").ok());
  EXPECT_FALSE(CheckLogin(*catalog_, "bob", "pw_bob").ok());
  EXPECT_FALSE(*IsAdmin(*catalog_, "bob"));  // the role is kept
  ExpectError(ChangePassword(*catalog_, "ghost", "x", "y"), StatusCode::kNotFound,
              "user 'ghost' does not exist");
}

TEST_F(AuthTest, ResetPasswordIsForSuperusers) {
  AddUser("bob");
  AddUser("carol");
  ExpectError(ResetPassword(*catalog_, "bob", "carol", "x"), StatusCode::kPermissionDenied,
              "user 'bob' may not reset passwords");
  ExpectError(ResetPassword(*catalog_, "admin", "ghost", "x"), StatusCode::kNotFound,
              "user 'ghost' does not exist");
  ExpectError(ResetPassword(*catalog_, "admin", "carol", ""), StatusCode::kInvalidArgument,
              "must not be empty");
  ASSERT_TRUE(ResetPassword(*catalog_, "admin", "carol", "fresh").ok());
  EXPECT_TRUE(CheckLogin(*catalog_, "carol", "fresh").ok());
  EXPECT_FALSE(CheckLogin(*catalog_, "carol", "pw_carol").ok());
}

TEST_F(AuthTest, ListUsersIsForSuperusers) {
  AddUser("bob");
  ExpectError(ListUsers(*catalog_, "bob").status(), StatusCode::kPermissionDenied,
              "user 'bob' may not list users");
  ExpectError(ListUsers(*catalog_, "").status(), StatusCode::kPermissionDenied, "not logged in");
}

TEST_F(AuthTest, GrantsGiveExactlyTheirAccess) {
  AddUser("bob");
  auto check = [&](const std::string& db, DatabaseAccess access) {
    return CheckDatabaseAccess(*catalog_, "bob", db, access);
  };
  ExpectError(check("dfs://a", DatabaseAccess::kRead), StatusCode::kPermissionDenied,
              "user 'bob' has no DB_READ access to database 'dfs://a'");
  // The fix is a neutral remedy; each dialect words it (the script: grant("bob", ...)).
  EXPECT_EQ(check("dfs://a", DatabaseAccess::kRead).remedy(),
            (Remedy{RemedyKind::kGrant, {"bob", "DB_READ", "dfs://a"}}));
  EXPECT_EQ(check("dfs://a", DatabaseAccess::kRead).message().find("grant("), std::string::npos);
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "DB_READ", "dfs://a").ok());
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "db_read", "dfs://a").ok());  // idempotent
  EXPECT_TRUE(check("dfs://a", DatabaseAccess::kRead).ok());
  EXPECT_EQ(check("dfs://a", DatabaseAccess::kWrite).remedy(),
            (Remedy{RemedyKind::kGrant, {"bob", "DB_WRITE", "dfs://a"}}));
  EXPECT_FALSE(check("dfs://b", DatabaseAccess::kRead).ok());
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "DB_WRITE", "dfs://a").ok());
  EXPECT_TRUE(check("dfs://a", DatabaseAccess::kWrite).ok());
  EXPECT_EQ(catalog_->ListGrants("bob")->size(), 2u);

  ASSERT_TRUE(Revoke(*catalog_, "admin", "bob", "DB_READ", "dfs://a").ok());
  ASSERT_TRUE(Revoke(*catalog_, "admin", "bob", "DB_READ", "dfs://a").ok());  // idempotent
  EXPECT_FALSE(check("dfs://a", DatabaseAccess::kRead).ok());
  EXPECT_TRUE(check("dfs://a", DatabaseAccess::kWrite).ok());

  // "*" covers every database.
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "DB_READ", "*").ok());
  EXPECT_TRUE(check("dfs://anything", DatabaseAccess::kRead).ok());
  EXPECT_FALSE(check("dfs://anything", DatabaseAccess::kWrite).ok());
}

TEST_F(AuthTest, SuperusersPassAndOthersNeedALogin) {
  EXPECT_TRUE(CheckDatabaseAccess(*catalog_, "admin", "dfs://x", DatabaseAccess::kWrite).ok());
  ExpectError(CheckDatabaseAccess(*catalog_, "", "dfs://x", DatabaseAccess::kRead),
              StatusCode::kPermissionDenied, "not logged in");
  ExpectError(CheckDatabaseAccess(*catalog_, "ghost", "dfs://x", DatabaseAccess::kRead),
              StatusCode::kPermissionDenied, "user 'ghost' no longer exists");
}

TEST_F(AuthTest, GrantChecksItsArguments) {
  AddUser("bob");
  ExpectError(Grant(*catalog_, "bob", "bob", "DB_READ", "dfs://a"), StatusCode::kPermissionDenied,
              "user 'bob' may not grant access");
  ExpectError(Revoke(*catalog_, "bob", "bob", "DB_READ", "dfs://a"), StatusCode::kPermissionDenied,
              "user 'bob' may not revoke access");
  ExpectError(Grant(*catalog_, "", "bob", "DB_READ", "dfs://a"), StatusCode::kPermissionDenied,
              "not logged in");
  ExpectError(Grant(*catalog_, "admin", "bob", "DB_OWNER", "dfs://a"), StatusCode::kInvalidArgument,
              "access type 'DB_OWNER' is not supported; the supported ones are DB_READ and "
              "DB_WRITE");
  for (const char* bad : {"compoDB", "dfs://", "", "s3://x"}) {
    ExpectError(Grant(*catalog_, "admin", "bob", "DB_READ", bad), StatusCode::kInvalidArgument,
                "a grant names a database such as \"dfs://compoDB\"");
  }
  ExpectError(Grant(*catalog_, "admin", "ghost", "DB_READ", "dfs://a"), StatusCode::kNotFound,
              "user 'ghost' does not exist");
  ExpectError(Revoke(*catalog_, "admin", "ghost", "DB_READ", "dfs://a"), StatusCode::kNotFound,
              "user 'ghost' does not exist");
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
}

TEST_F(AuthTest, GrantsOnSeveralDatabasesAreAllOrNothing) {
  AddUser("bob");
  std::vector<std::string> mixed = {"dfs://a", "oops"};
  ExpectError(Grant(*catalog_, "admin", "bob", "DB_READ", mixed), StatusCode::kInvalidArgument,
              "got 'oops'");
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
  ExpectError(Grant(*catalog_, "admin", "bob", "DB_READ", std::vector<std::string>{}),
              StatusCode::kInvalidArgument, "names at least one database");
  std::vector<std::string> both = {"dfs://a", "dfs://b"};
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "DB_WRITE", both).ok());
  EXPECT_EQ(catalog_->ListGrants("bob")->size(), 2u);
  ASSERT_TRUE(Revoke(*catalog_, "admin", "bob", "DB_WRITE", both).ok());
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
}

TEST_F(AuthTest, UsersAndGrantsSurviveReopening) {
  AddUser("bob");
  ASSERT_TRUE(Grant(*catalog_, "admin", "bob", "DB_WRITE", "dfs://a").ok());
  catalog_.reset();
  catalog_ = std::move(*Catalog::Open(dir_ + "/catalog.sqlite"));
  ASSERT_TRUE(EnsureDefaultAdmin(*catalog_).ok());
  EXPECT_TRUE(CheckLogin(*catalog_, "bob", "pw_bob").ok());
  EXPECT_TRUE(CheckDatabaseAccess(*catalog_, "bob", "dfs://a", DatabaseAccess::kWrite).ok());
}

}  // namespace
}  // namespace strata
