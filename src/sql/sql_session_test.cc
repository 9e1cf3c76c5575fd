// SqlSession in process: names (shop → dfs://shop), USE, outcomes and their typed cells,
// stopping at the first failing statement, warnings, and errors of statements on what is missing.
#include "sql/sql_session.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/auth.h"
#include "base/file_util.h"
#include "sql/sql_session_fixture.h"
#include "types/temporal.h"

namespace strata {
namespace {

class SqlSessionTest : public SqlSessionFixture {
 protected:
  std::vector<SqlOutcome> Run(const std::string& text) {
    auto outcomes = sql_->Execute(text);
    EXPECT_TRUE(outcomes.ok()) << text << "\n" << outcomes.status().ToString();
    return outcomes.ok() ? std::move(*outcomes) : std::vector<SqlOutcome>();
  }
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
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(r.cell(0, 0)->int_value(), DaysFromCivil(2020, 1, 5));
  EXPECT_EQ(r.cell(0, 1)->float_value(), 2.5);
  EXPECT_FALSE(r.cell(0, 2).has_value());
  EXPECT_FALSE(r.cell(1, 1).has_value());
  EXPECT_EQ(r.cell(1, 2)->string_value(), "x");
}

TEST_F(SqlSessionTest, StopsAtTheFirstFailingStatement) {
  std::vector<std::string> seen;
  Status status =
      sql_->Execute("CREATE DATABASE a; SHOW DATABASES; SELECT nope FROM a.t; CREATE DATABASE b",
                    [&](SqlOutcome outcome) { seen.push_back(outcome.result ? "rows" : "none"); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"none", "rows"}));
  EXPECT_FALSE(*session_->databases().DatabaseExists("dfs://b"));
  // Statements run as they are read (as MySQL runs a script): those before a syntax error
  // have run, those after it have not.
  EXPECT_NE(Error("CREATE DATABASE c; SELEC 1; CREATE DATABASE e").find("line 1, column 20"),
            std::string::npos);
  EXPECT_TRUE(*session_->databases().DatabaseExists("dfs://c"));
  EXPECT_FALSE(*session_->databases().DatabaseExists("dfs://e"));
}

// The rows of INSERT ... VALUES go from the text to the columns (SqlParser::ReadValueRows):
// plain constants by the lexer's shortcut, everything else parsed and evaluated; any bad row
// leaves the table as it was.
TEST_F(SqlSessionTest, InsertValuesStreamsRowsWithEveryKindOfCell) {
  Run("CREATE DATABASE d; CREATE TABLE d.t (k INT NOT NULL, v DOUBLE, s VARCHAR(8), "
      "b BOOLEAN, day DATE)");
  auto outcomes =
      Run("INSERT INTO d.t VALUES (1, 2.5, 'a', TRUE, '2020-01-05'),\n"
          "  ( -2 , -0.5 , \"dq\" , FALSE , \"2020-01-06\" ) , /* a comment */ (3, 1e2, 'it''s', "
          "NULL, NULL),\n"
          "(1 + 3, - 2, 'a\\nb', 1, '2020-01-07'), (abs(-5), +7, 'xy', 0, NULL);"
          "SELECT k, v, s, b, day FROM d.t ORDER BY k");
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].affected_rows, 5u);
  const SqlResultSet& r = *outcomes[1].result;
  ASSERT_EQ(r.row_count(), 5u);
  std::vector<int64_t> keys;
  for (size_t i = 0; i < r.row_count(); ++i) keys.push_back(r.cell(i, 0)->int_value());
  EXPECT_EQ(keys, (std::vector<int64_t>{-2, 1, 3, 4, 5}));
  EXPECT_EQ(r.cell(0, 1)->float_value(), -0.5);
  EXPECT_EQ(r.cell(0, 2)->string_value(), "dq");
  EXPECT_EQ(r.cell(0, 4)->int_value(), DaysFromCivil(2020, 1, 6));
  EXPECT_EQ(r.cell(2, 1)->float_value(), 100.0);
  EXPECT_EQ(r.cell(2, 2)->string_value(), "it's");
  EXPECT_FALSE(r.cell(2, 3).has_value());
  EXPECT_EQ(r.cell(3, 1)->float_value(), -2.0);
  EXPECT_EQ(r.cell(3, 2)->string_value(), "a\nb");
  EXPECT_EQ(r.cell(4, 1)->float_value(), 7.0);
  EXPECT_EQ(r.cell(4, 2)->string_value(), "xy");

  // A bad value, a short row or a syntax error in row 3 of 4: nothing of the statement is
  // written, and the error names the row.
  EXPECT_NE(Error("INSERT INTO d.t VALUES (10, 1, 'a', 1, NULL), (11, 1, 'a', 1, NULL), "
                  "(12, 1, 'far too long', 1, NULL), (13, 1, 'a', 1, NULL)")
                .find("row 3"),
            std::string::npos);
  EXPECT_NE(Error("INSERT INTO d.t VALUES (10, 1, 'a', 1, NULL), (11, 1, 'a', 1, NULL), "
                  "(12, 1, 'a', 1), (13, 1, 'a', 1, NULL)")
                .find("row 3 has 4 values for 5 columns"),
            std::string::npos);
  EXPECT_NE(Error("INSERT INTO d.t VALUES (10, 1, 'a', 1, NULL), (11, 1, 'a', 1, NULL), "
                  "(12, 1, 'a' 'b', 1, NULL)")
                .find("expected ',' or ')' in a row of values"),
            std::string::npos);
  EXPECT_NE(Error("INSERT INTO d.t VALUES (NULL, 1, 'a', 1, NULL)").find("NOT NULL"),
            std::string::npos);
  EXPECT_NE(Error("INSERT INTO d.t VALUES (20, 1, 'a', 1, NULL) (21, 1, 'a', 1, NULL)")
                .find("line 1, column 46: found '('; expected ',' and another row"),
            std::string::npos);
  auto count = Run("SELECT count(*) FROM d.t");
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(count[0].result->cell(0, 0)->int_value(), 5);
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
