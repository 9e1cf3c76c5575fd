// Malformed statements: each error names its line, column, what was found and what was
// expected; nesting beyond kSqlExprDepthMax is an error, not a stack overflow.
#include <gtest/gtest.h>

#include <string>

#include "sql/parser_test_util.h"
#include "sql/sql_parser.h"

namespace strata {
namespace {

struct ErrorCase {
  const char* text;
  const char* message;
};

constexpr ErrorCase kErrorCases[] = {
    {"CREATE TABL t (k INT)",
     "line 1, column 8: found 'TABL'; expected TABLE, DATABASE, USER or REPOSITORY after CREATE"},
    // Unterminated string and comment: reported where they start.
    {"SELECT 'abc", "line 1, column 8: unterminated string: ' has no closing '"},
    {"SELECT a FROM t WHERE a = 'x", "line 1, column 27: unterminated string: ' has no closing '"},
    {"SELECT a FROM t /* never closed",
     "line 1, column 17: unterminated comment: '/*' has no closing '*/'"},
    // Missing closing parentheses.
    {"SELECT (a + 1 FROM t",
     "line 1, column 15: found 'FROM'; expected ')' to close the '(' at line 1, column 8"},
    {"INSERT INTO t VALUES (1, 2",
     "line 1, column 27: found end of input; expected ',' or ')' in a row of values"},
    // Bad PARTITION clauses.
    {"CREATE TABLE t (k INT) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS (10))",
     "line 1, column 72: found '('; expected THAN after LESS"},
    {"CREATE TABLE t (k INT) PARTITION BY LIST(k) (PARTITION p1 VALUES LESS THAN (10))",
     "line 1, column 66: found 'LESS'; expected IN after VALUES in a LIST partition"},
    {"CREATE TABLE t (k INT) PARTITION BY RANGE(k) (PARTITION p1 VALUES IN (1))",
     "line 1, column 67: found 'IN'; expected LESS THAN or '[' after VALUES in a RANGE "
     "partition"},
    {"CREATE TABLE t (k INT) PARTITION BY HASH(k) ()",
     "line 1, column 37: found 'HASH'; expected RANGE or LIST after PARTITION BY"},
    {"CREATE TABLE t (k INT) PARTITION BY RANGE(k) (PARTITION p1 VALUES [(1), (2)]",
     "line 1, column 76: found ']'; expected ')' to close [(lower), (upper))"},
    // A number or a reserved word where a name is needed.
    {"CREATE DATABASE 42", "line 1, column 17: found '42'; expected a database name"},
    {"DROP TABLE db.7", "line 1, column 15: found '7'; expected a table name after 'db.'"},
    {"USE select",
     "line 1, column 5: found 'select'; expected a database name after USE (backquote a "
     "reserved word to use it as a name: `select`)"},
    {"SELECT a FROM t WHERE", "line 1, column 22: found end of input; expected an expression"},
    {"SELECT a FROM t LIMIT ten",
     "line 1, column 23: found 'ten'; expected a row count after LIMIT"},
    {"INSERT t VALUES (1)", "line 1, column 8: found 't'; expected INTO after INSERT"},
    {"CREATE REPOSITORY r WITH BROKER ON LOCATION 'x'",
     "line 1, column 26: found 'BROKER'; expected S3 or LOCAL after WITH (BROKER and HDFS "
     "repositories are not supported)"},
    {"RESTORE SNAPSHOT db.l FROM repo",
     "line 1, column 32: found end of input; expected PROPERTIES (\"backup_timestamp\" = "
     "\"...\"), which RESTORE requires"},
    {"BACKUP SNAPSHOT db.l TO repo ON tbl",
     "line 1, column 33: found 'tbl'; expected '(' and the tables"},
    {"BACKUP SNAPSHOT l TO r ON (t AS t2)",
     "line 1, column 30: found 'AS'; expected ',' or ')' after a table"},
    {"SELECT a FROM t;\nUSE db1 extra",
     "line 2, column 9: found 'extra'; expected ';' or end of input after the statement"},
    {"GRANT SELECT_PRIV ON db TO 'u'",
     "line 1, column 25: found 'TO'; expected '.' after the database, as example_db.*"},
    {"SET PASSWORD FOR 'u' = 'plain'",
     "line 1, column 24: found ''plain''; expected PASSWORD('...') after '='"},
    {"ALTER TABLE t MODIFY COLUMN k BIGINT",
     "line 1, column 15: found 'MODIFY'; expected ADD PARTITION or DROP PARTITION after ALTER "
     "TABLE"},
    {"CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k) BUCKETS 0",
     "line 1, column 55: found '0'; expected a positive bucket count or AUTO after BUCKETS"},
    {"SELECT 99999999999999999999",
     "line 1, column 8: found '99999999999999999999'; expected an integer within BIGINT's range"},
    {"SELECT a FROM t HAVING a > 1",
     "line 1, column 17: found 'HAVING'; expected ORDER BY, LIMIT or the end (HAVING is not "
     "supported yet)"},
    {"PROPERTIES ('a' = 'b')",
     "line 1, column 1: found 'PROPERTIES'; expected a statement (CREATE, DROP, ALTER, "
     "TRUNCATE, INSERT, SELECT, USE, SHOW, DESC, SET, GRANT, REVOKE, BACKUP, RESTORE, CANCEL or "
     "KILL)"},
    {"SELECT @@ version",
     "line 1, column 11: found 'version'; expected a system variable name right after '@@', as "
     "@@version"},
    {"SET @x = 1",
     "line 1, column 5: found '@'; expected a system variable (user variables such as @x are not "
     "supported; SET name = value or SET @@name = value sets a system variable)"},
    {"KILL x", "line 1, column 6: found 'x'; expected a connection id, as KILL 12"},
    {"SHOW GLOBAL TABLES",
     "line 1, column 13: found 'TABLES'; expected VARIABLES or STATUS after SHOW GLOBAL / SHOW "
     "SESSION"},
    {"SHOW VARIABLES WHERE Value = 1",
     "line 1, column 22: found 'Value'; expected Variable_name after WHERE (the one condition "
     "supported)"},
    {"SET TRANSACTION ISOLATION LEVEL LOW",
     "line 1, column 33: found 'LOW'; expected an isolation level (REPEATABLE READ, READ "
     "COMMITTED, READ UNCOMMITTED or SERIALIZABLE)"},
    {"CREATE DATABASE d PROPERTIES ('a' 'b')",
     "line 1, column 35: found ''b''; expected '=' after the property name"},
};

TEST(SqlParserErrors, NameThePositionFoundAndExpected) {
  for (const ErrorCase& error : kErrorCases) {
    EXPECT_EQ(ParseError(error.text), error.message) << error.text;
  }
}

TEST(SqlParserErrors, ErrorsAreInvalidArgument) {
  auto statements = ParseSql("SELECT FROM");
  ASSERT_FALSE(statements.ok());
  EXPECT_EQ(statements.status().code(), StatusCode::kInvalidArgument);
}

TEST(SqlParserErrors, DeepNestingIsAnErrorNotACrash) {
  const std::string expected =
      "expected an expression nested at most " + std::to_string(kSqlExprDepthMax) + " levels deep";
  for (const char* unit : {"(", "NOT ", "- ", "-(", "a IN ("}) {
    std::string text = "SELECT ";
    for (int i = 0; i < 10000; ++i) text += unit;
    EXPECT_NE(ParseError(text).find(expected), std::string::npos) << unit;
  }
  std::string fine = "SELECT ";
  for (int i = 0; i < kSqlExprDepthMax - 1; ++i) fine += "(";
  fine += "1";
  for (int i = 0; i < kSqlExprDepthMax - 1; ++i) fine += ")";
  EXPECT_TRUE(ParseSql(fine).ok());
}

}  // namespace
}  // namespace strata
