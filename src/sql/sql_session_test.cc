// SqlSession in process: names (shop → dfs://shop), USE, outcomes and their typed cells,
// stopping at the first failing statement, warnings, and errors of statements on what is missing.
#include "sql/sql_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "auth/auth.h"
#include "base/file_util.h"
#include "sql/sql_session_fixture.h"
#include "types/format.h"
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
                    [&](SqlOutcome outcome, bool) {
                      seen.push_back(outcome.result ? "rows" : "none");
                      return Status::Ok();
                    });
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

// A SELECT that can be read a chunk at a time comes in batches when the front end asks for it
// (`strata serve` does), a segment at a time: the same rows as the whole result, LIMIT and
// OFFSET across segments,
// the columns named even when no row matches, the snapshot of the statement kept while the
// rows are read, and KILL QUERY heard between batches.
TEST_F(SqlSessionTest, SelectsStreamChunkByChunk) {
  Run("CREATE DATABASE d; CREATE TABLE d.t (k INT, v DOUBLE, s VARCHAR(8)) DUPLICATE KEY(k) "
      "DISTRIBUTED BY HASH(k) BUCKETS 4");
  std::string values;
  for (int k = 0; k < 200; ++k) {
    values += (k ? ", (" : "(") + std::to_string(k) + ", " +
              (k % 7 ? std::to_string(k) + ".5" : "NULL") + ", " +
              (k % 5 ? "'s" + std::to_string(k) + "'" : "NULL") + ")";
  }
  Run("INSERT INTO d.t VALUES " + values);
  SqlSession streaming(*session_);
  streaming.set_stream_results(true);
  // Every row of a result as text, the batches it came in, and its column names.
  struct Rows {
    std::vector<std::string> rows;
    size_t batches = 0;
    std::vector<std::string> columns;
  };
  auto read = [](SqlSession& sql, const std::string& text) {
    Rows out;
    auto outcomes = sql.Execute(text);
    EXPECT_TRUE(outcomes.ok()) << text << ": " << outcomes.status().ToString();
    if (!outcomes.ok() || !(*outcomes)[0].result) return out;
    const SqlResultSet& result = *(*outcomes)[0].result;
    out.columns = result.columns;
    SqlResultSet batch;
    batch.table = result.table;
    while (batch.table) {
      ++out.batches;
      for (size_t r = 0; r < batch.row_count(); ++r) {
        std::string row;
        for (size_t c = 0; c < result.columns.size(); ++c) {
          SqlCell cell = batch.cell(r, c);
          row += (cell ? FormatScalar(*cell) : "NULL") + "|";
        }
        out.rows.push_back(row);
      }
      if (!result.more_rows) break;
      auto next = result.more_rows();
      EXPECT_TRUE(next.ok()) << next.status().ToString();
      batch.table = next.ok() ? *next : nullptr;
    }
    return out;
  };
  for (const std::string text :
       {"SELECT * FROM d.t", "SELECT k, v * 2 AS w, s FROM d.t WHERE k > 150",
        "SELECT s, k FROM d.t WHERE v IS NULL OR k < 3", "SELECT * FROM d.t LIMIT 7 OFFSET 45",
        "SELECT * FROM d.t LIMIT 80", "SELECT * FROM d.t LIMIT 5 OFFSET 199",
        "SELECT k FROM d.t WHERE k IN (1, 2, 150) OR s LIKE 's1%'",
        "SELECT * FROM d.t WHERE k BETWEEN 20 AND 30", "SELECT abs(k - 100) FROM d.t"}) {
    Rows whole = read(*sql_, text);
    Rows streamed = read(streaming, text);
    EXPECT_EQ(whole.batches, 1u) << text;
    EXPECT_EQ(streamed.columns, whole.columns) << text;
    EXPECT_EQ(streamed.rows, whole.rows) << text;
    EXPECT_FALSE(whole.rows.empty()) << text;
  }
  EXPECT_EQ(read(streaming, "SELECT * FROM d.t").batches, 4u);  // one segment per bucket
  EXPECT_EQ(read(streaming, "SELECT * FROM d.t LIMIT 7 OFFSET 45").rows.size(), 7u);
  Rows none = read(streaming, "SELECT k, s FROM d.t WHERE k < 0");
  EXPECT_EQ(none.columns, (std::vector<std::string>{"k", "s"}));
  EXPECT_TRUE(none.rows.empty());
  // What needs its rows at once comes whole.
  for (const std::string text : {"SELECT count(*) FROM d.t", "SELECT * FROM d.t ORDER BY k",
                                 "SELECT k FROM d.t WHERE k IN (1, 2) GROUP BY k"}) {
    auto outcomes = streaming.Execute(text);
    ASSERT_TRUE(outcomes.ok()) << text << ": " << outcomes.status().ToString();
    EXPECT_FALSE((*outcomes)[0].result->more_rows) << text;
  }

  // Rows written after the SELECT ran are not in its stream; a KILL QUERY stops it.
  auto outcomes = streaming.Execute("SELECT * FROM d.t");
  ASSERT_TRUE(outcomes.ok());
  const SqlResultSet& result = *(*outcomes)[0].result;
  Run("INSERT INTO d.t VALUES " + values);
  size_t rows = result.row_count();
  for (;;) {
    auto next = result.more_rows();
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    if (*next == nullptr) break;
    rows += (*next)->rows();
  }
  EXPECT_EQ(rows, 200u);
  std::atomic<bool> interrupt{false};
  session_->set_interrupt_flag(&interrupt);
  outcomes = streaming.Execute("SELECT * FROM d.t");
  ASSERT_TRUE(outcomes.ok());
  interrupt.store(true);
  auto next = (*outcomes)[0].result->more_rows();
  ASSERT_FALSE(next.ok());
  EXPECT_NE(next.status().message().find("interrupted"), std::string::npos);
  session_->set_interrupt_flag(nullptr);
  // Two INSERTs made two segments per bucket: read one at a time.
  Rows twice = read(streaming, "SELECT * FROM d.t");
  EXPECT_EQ(twice.batches, 8u);
  EXPECT_EQ(twice.rows, read(*sql_, "SELECT * FROM d.t").rows);
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
