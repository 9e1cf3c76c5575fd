#include "service/database_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "service/service_test_util.h"

namespace strata {
namespace {

// A data directory with dfs://a (VALUE 1 2 3, table pt holding 1 2 3) made by admin, and the
// users reader (DB_READ on dfs://a), writer (DB_WRITE on dfs://a), all (DB_WRITE on "*") and
// nobody (no grant).
class DatabaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_service_test");
    auto engine = Engine::Open(dir_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    Catalog& catalog = engine_->catalog();
    ASSERT_TRUE(EnsureDefaultAdmin(catalog).ok());
    for (const char* name : {"reader", "writer", "all", "nobody"}) {
      ASSERT_TRUE(CreateUser(catalog, "admin", name, "pw", UserRole::kUser).ok());
    }
    ASSERT_TRUE(Grant(catalog, "admin", "reader", "DB_READ", "dfs://a").ok());
    ASSERT_TRUE(Grant(catalog, "admin", "writer", "DB_WRITE", "dfs://a").ok());
    ASSERT_TRUE(Grant(catalog, "admin", "all", "DB_WRITE", "*").ok());
    user_ = "admin";
    service_ = std::make_unique<DatabaseService>(engine_.get(), user_);
    auto scheme =
        PartitionScheme::Make(PartitionType::kValue, Value::Vector(Ids({1, 2, 3}).column(0)));
    ASSERT_TRUE(scheme.ok()) << scheme.status().ToString();
    scheme_ = std::move(*scheme);
    ASSERT_TRUE(service_->CreateDatabase("dfs://a", *scheme_, {}).ok());
    ASSERT_TRUE(service_->CreateTable("dfs://a", "pt", Ids({}).schema(), {"id"}).ok());
    ASSERT_TRUE(service_->Append("dfs://a", "pt", Ids({1, 2, 3})).ok());
  }
  void TearDown() override {
    service_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The rows of pt, read as admin.
  uint64_t Rows() {
    std::string saved = user_;
    user_ = "admin";
    auto scan = service_->OpenScan("dfs://a", "pt");
    user_ = saved;
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    uint64_t rows = 0;
    for (const auto& chunk : scan->chunks) rows += chunk.rows;
    return rows;
  }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<PartitionScheme> scheme_;
  std::string user_;
  std::unique_ptr<DatabaseService> service_;
};

void ExpectDenied(const Status& status, const std::string& part) {
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status.ToString();
  EXPECT_NE(status.message().find(part), std::string::npos) << status.ToString();
  // The fix (log in, ask for a grant) travels as a remedy, never as a script call.
  EXPECT_NE(status.remedy().kind, RemedyKind::kNone) << status.ToString();
  EXPECT_EQ(status.message().find("login("), std::string::npos) << status.ToString();
}

TEST_F(DatabaseServiceTest, AnonymousAndUngrantedUsersAreRefusedEverything) {
  for (const std::string user : {"", "nobody"}) {
    user_ = user;
    std::string part = user.empty() ? "not logged in"
                                    : "user 'nobody' has no DB_READ access to database 'dfs://a'";
    ExpectDenied(service_->OpenScan("dfs://a", "pt").status(), part);
    ExpectDenied(service_->GetTable("dfs://a", "pt").status(), part);
    ExpectDenied(service_->ListChunks("dfs://a", "").status(), part);
    ExpectDenied(service_->DatabaseExists("dfs://a").status(), part);
    std::string write =
        user.empty() ? part : "user 'nobody' has no DB_WRITE access to database 'dfs://a'";
    ExpectDenied(service_->Append("dfs://a", "pt", Ids({1})).status(), write);
    ExpectDenied(
        service_->DropPartitions("dfs://a", PartitionSelection::Names({"1"}), "pt").status(),
        write);
    ExpectDenied(service_->DropTable("dfs://a", "pt"), write);
    ExpectDenied(service_->DropDatabase("dfs://a"), write);
  }
  EXPECT_EQ(Rows(), 3u);
}

TEST_F(DatabaseServiceTest, ReadGrantReadsAndOpensButChangesNothing) {
  user_ = "reader";
  EXPECT_TRUE(service_->OpenScan("dfs://a", "pt").ok());
  EXPECT_TRUE(service_->GetTable("dfs://a", "pt").ok());
  ExpectDenied(service_->Append("dfs://a", "pt", Ids({1})).status(),
               "user 'reader' has no DB_WRITE access to database 'dfs://a'");
  ExpectDenied(service_->CreateTable("dfs://a", "t2", Ids({}).schema(), {"id"}).status(),
               "DB_WRITE");
  EXPECT_EQ(Rows(), 3u);
}

TEST_F(DatabaseServiceTest, WriteGrantOpensAndWritesButDoesNotRead) {
  user_ = "writer";
  EXPECT_TRUE(service_->GetTable("dfs://a", "pt").ok());
  EXPECT_TRUE(service_->Append("dfs://a", "pt", Ids({1, 2})).ok());
  ExpectDenied(service_->OpenScan("dfs://a", "pt").status(), "DB_READ");
  ExpectDenied(service_->CreateDatabase("dfs://b", *scheme_, {}).status(),
               "user 'writer' has no DB_WRITE access to database 'dfs://b'");
  EXPECT_EQ(Rows(), 5u);
}

TEST_F(DatabaseServiceTest, WriteGrantOnEveryDatabaseCreatesOne) {
  user_ = "all";
  EXPECT_TRUE(service_->CreateDatabase("dfs://b", *scheme_, {}).ok());
  EXPECT_TRUE(service_->DropDatabase("dfs://b").ok());
}

TEST(DatabaseServiceNoEngineTest, SaysNoDataDirectoryIsOpen) {
  std::string user = "admin";
  DatabaseService service(nullptr, user);
  EXPECT_EQ(service.GetTable("dfs://a", "pt").status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace strata
