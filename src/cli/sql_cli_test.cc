// `strata sql` output: mysql's boxed table, the one-line JSON document, and where the prompt
// sees the end of a statement.
#include "cli/sql_cli.h"

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace strata {
namespace {

SqlResultSet Sample() {
  SqlResultSet r;
  r.columns = {"k1", "v", "s"};
  r.types = {"DATE", "DOUBLE", "VARCHAR"};
  r.rows.push_back({Scalar::Int(Type::kDate, DaysFromCivil(2020, 1, 5)),
                    Scalar::Float(Type::kDouble, 2.5), Scalar::String(Type::kString, "abc")});
  r.rows.push_back({Scalar::Int(Type::kDate, DaysFromCivil(2020, 2, 1)), std::nullopt,
                    Scalar::String(Type::kString, "")});
  return r;
}

TEST(SqlCli, FormatsTablesAsMysql) {
  EXPECT_EQ(FormatSqlTable(Sample()),
            "+------------+------+-----+\n"
            "| k1         | v    | s   |\n"
            "+------------+------+-----+\n"
            "| 2020-01-05 |  2.5 | abc |\n"
            "| 2020-02-01 | NULL |     |\n"
            "+------------+------+-----+\n");
}

TEST(SqlCli, FormatsJsonOnOneLine) {
  EXPECT_EQ(FormatSqlJson(Sample()),
            "{\"columns\":[\"k1\",\"v\",\"s\"],\"types\":[\"DATE\",\"DOUBLE\",\"VARCHAR\"],"
            "\"rows\":[[\"2020-01-05\",2.5,\"abc\"],[\"2020-02-01\",null,\"\"]]}");
  SqlResultSet f;
  f.columns = {"x", "n"};
  f.types = {"FLOAT", "BIGINT"};
  f.rows.push_back({Scalar::Float(Type::kFloat, 0.1f), Scalar::Int(Type::kLong, -7)});
  EXPECT_EQ(FormatSqlJson(f),
            "{\"columns\":[\"x\",\"n\"],\"types\":[\"FLOAT\",\"BIGINT\"],"
            "\"rows\":[[0.1,-7]]}");
}

TEST(SqlCli, StatementEndsAtSemicolonOutsideQuotesAndComments) {
  EXPECT_TRUE(SqlStatementComplete("SELECT 1;"));
  EXPECT_TRUE(SqlStatementComplete("SELECT 1; -- done\n"));
  EXPECT_TRUE(SqlStatementComplete("SELECT 1;\n  "));
  EXPECT_FALSE(SqlStatementComplete("SELECT 1"));
  EXPECT_FALSE(SqlStatementComplete("SELECT ';"));
  EXPECT_FALSE(SqlStatementComplete("SELECT 'a;b'"));
  EXPECT_TRUE(SqlStatementComplete("SELECT 'a;b';"));
  EXPECT_FALSE(SqlStatementComplete("SELECT 1; SELECT 2"));
  EXPECT_FALSE(SqlStatementComplete("SELECT 1 /* ; */"));
  EXPECT_FALSE(SqlStatementComplete("SELECT 1 -- ;"));
  EXPECT_TRUE(SqlStatementComplete("SELECT 'it''s';"));
}

}  // namespace
}  // namespace strata
