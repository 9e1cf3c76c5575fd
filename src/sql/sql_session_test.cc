// SqlSession in process: names (shop → dfs://shop), USE, outcomes and their typed cells,
// stopping at the first failing statement, warnings, and errors of statements on what is missing.
#include "sql/sql_session.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/auth.h"
#include "base/file_util.h"
#include "types/temporal.h"

namespace strata {
namespace {

class SqlSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_sql_session_test");
    auto engine = Engine::Open(dir_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    ASSERT_TRUE(EnsureDefaultAdmin(engine_->catalog()).ok());
    instance_ = Instance::Open(engine_.get());
    session_ = std::make_unique<Session>(*instance_);
    ASSERT_TRUE(session_->Login(kDefaultAdminName, kDefaultAdminPassword).ok());
    sql_ = std::make_unique<SqlSession>(*session_);
  }
  void TearDown() override {
    sql_.reset();
    session_.reset();
    instance_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<SqlOutcome> Run(const std::string& text) {
    auto outcomes = sql_->Execute(text);
    EXPECT_TRUE(outcomes.ok()) << text << "\n" << outcomes.status().ToString();
    return outcomes.ok() ? std::move(*outcomes) : std::vector<SqlOutcome>();
  }
  std::string Error(const std::string& text) {
    auto outcomes = sql_->Execute(text);
    EXPECT_FALSE(outcomes.ok()) << text;
    return outcomes.ok() ? "" : SqlErrorText(outcomes.status());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Instance> instance_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<SqlSession> sql_;
};

TEST_F(SqlSessionTest, DorisDatabasesAreDfsDatabases) {
  EXPECT_EQ(StrataDatabaseName("shop"), "dfs://shop");
  EXPECT_EQ(DorisDatabaseName("dfs://shop"), "shop");
  Run("CREATE DATABASE shop; USE shop");
  EXPECT_TRUE(*session_->databases().DatabaseExists("dfs://shop"));
  EXPECT_EQ(session_->current_database(), "dfs://shop");
  Run("CREATE TABLE t (k INT)");
  EXPECT_TRUE(*session_->databases().TableExists("dfs://shop", "t"));
}

TEST_F(SqlSessionTest, ResultSetsCarryTypedCellsAndNulls) {
  auto outcomes =
      Run("CREATE DATABASE d; CREATE TABLE d.t (k DATE, v DOUBLE, s VARCHAR(4));"
          "INSERT INTO d.t VALUES ('2020-01-05', 2.5, NULL), ('2020-01-06', NULL, 'x');"
          "SELECT * FROM d.t ORDER BY k");
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_FALSE(outcomes[0].result.has_value());
  EXPECT_EQ(outcomes[2].affected_rows, 2u);
  ASSERT_TRUE(outcomes[3].result.has_value());
  const SqlResultSet& r = *outcomes[3].result;
  EXPECT_EQ(r.columns, (std::vector<std::string>{"k", "v", "s"}));
  EXPECT_EQ(r.types, (std::vector<std::string>{"DATE", "DOUBLE", "VARCHAR"}));
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][0]->int_value(), DaysFromCivil(2020, 1, 5));
  EXPECT_EQ(r.rows[0][1]->float_value(), 2.5);
  EXPECT_FALSE(r.rows[0][2].has_value());
  EXPECT_FALSE(r.rows[1][1].has_value());
  EXPECT_EQ(r.rows[1][2]->string_value(), "x");
}

TEST_F(SqlSessionTest, StopsAtTheFirstFailingStatement) {
  std::vector<std::string> seen;
  Status status =
      sql_->Execute("CREATE DATABASE a; SHOW DATABASES; SELECT nope FROM a.t; CREATE DATABASE b",
                    [&](SqlOutcome outcome) { seen.push_back(outcome.result ? "rows" : "none"); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"none", "rows"}));
  EXPECT_FALSE(*session_->databases().DatabaseExists("dfs://b"));
  // A syntax error anywhere runs nothing.
  EXPECT_NE(Error("CREATE DATABASE c; SELEC 1").find("line 1, column 20"), std::string::npos);
  EXPECT_FALSE(*session_->databases().DatabaseExists("dfs://c"));
}

TEST_F(SqlSessionTest, WarningsAndStatementsOnMissingObjects) {
  auto outcomes = Run("CREATE DATABASE w PROPERTIES (\"replication_num\" = \"2\")");
  ASSERT_EQ(outcomes.size(), 1u);
  ASSERT_EQ(outcomes[0].warnings.size(), 1u);
  EXPECT_NE(outcomes[0].warnings[0].find("keeps one copy"), std::string::npos);
  EXPECT_NE(Error("RESTORE SNAPSHOT w.l FROM repo PROPERTIES (\"backup_timestamp\" = \"x\")")
                .find("repository 'repo' does not exist"),
            std::string::npos);
  EXPECT_NE(Error("SHOW TABLES").find("no database selected; USE db or qualify the table as db.t"),
            std::string::npos);
}

TEST_F(SqlSessionTest, RemediesAreWordedInSql) {
  Run("CREATE DATABASE g; CREATE TABLE g.t (k INT); CREATE USER 'r' IDENTIFIED BY 'pw_r'");
  ASSERT_TRUE(session_->Login("r", "pw_r").ok());
  std::string error = Error("SELECT * FROM g.t");
  EXPECT_NE(error.find("GRANT SELECT_PRIV ON g.* TO 'r'"), std::string::npos) << error;
  EXPECT_EQ(error.find("grant("), std::string::npos) << error;
  session_->Logout();
  EXPECT_NE(Error("SELECT * FROM g.t").find("strata sql --user NAME --password PASSWORD"),
            std::string::npos);
}

}  // namespace
}  // namespace strata
