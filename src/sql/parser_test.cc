// Tables, partitions, loads, queries and SHOW: the examples of shared/spec/doris-sql.md.
#include <gtest/gtest.h>

#include "sql/parser_test_util.h"

namespace strata {
namespace {

std::string Text(const Value& value) { return value.scalar().string_value(); }

TEST(SqlParser, CreateDatabase) {
  auto create = ParseOne<SqlCreateDatabase>("CREATE DATABASE IF NOT EXISTS example_db");
  EXPECT_EQ(create.name, "example_db");
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_FALSE(ParseOne<SqlCreateDatabase>("create database `my db`;").if_not_exists);
  EXPECT_EQ(ParseOne<SqlCreateDatabase>("create database `my db`;").name, "my db");
}

TEST(SqlParser, DropDatabase) {
  auto drop = ParseOne<SqlDropDatabase>("DROP DATABASE IF EXISTS example_db");
  EXPECT_EQ(drop.name, "example_db");
  EXPECT_TRUE(drop.if_exists);
}

constexpr const char* kCreateRangeTable = R"(
CREATE TABLE example_db.example_tbl (k1 DATE, k2 INT, v DOUBLE, s VARCHAR(32))
  DUPLICATE KEY(k1, k2)
  PARTITION BY RANGE(k1) (
    PARTITION p1 VALUES LESS THAN ("2020-02-01"),
    PARTITION p2 VALUES [("2020-02-01"), ("2020-03-01")),
    PARTITION p3 VALUES LESS THAN (MAXVALUE)
  )
  DISTRIBUTED BY HASH(k2) BUCKETS 8
  PROPERTIES ("replication_num" = "1");)";

TEST(SqlParser, CreateTableWithRangePartitions) {
  auto create = ParseOne<SqlCreateTable>(kCreateRangeTable);
  EXPECT_EQ(create.position.line, 2);
  EXPECT_EQ(create.position.column, 1);
  EXPECT_EQ(create.table.db, "example_db");
  EXPECT_EQ(create.table.table, "example_tbl");
  ASSERT_EQ(create.columns.size(), 4u);
  EXPECT_EQ(create.columns[0].name, "k1");
  EXPECT_EQ(create.columns[0].type_name, "DATE");
  EXPECT_EQ(create.columns[3].type_name, "VARCHAR");
  EXPECT_EQ(create.columns[3].type_params, std::vector<int64_t>{32});
  EXPECT_EQ(create.key_kind, SqlKeyKind::kDuplicate);
  EXPECT_EQ(create.key_columns, (std::vector<std::string>{"k1", "k2"}));
  ASSERT_TRUE(create.partition.has_value());
  const SqlPartitionClause& partition = *create.partition;
  EXPECT_EQ(partition.kind, SqlPartitionKind::kRange);
  EXPECT_EQ(partition.columns, std::vector<std::string>{"k1"});
  ASSERT_EQ(partition.partitions.size(), 3u);
  EXPECT_EQ(partition.partitions[0].name, "p1");
  EXPECT_EQ(partition.partitions[0].bound, SqlPartitionBound::kLessThan);
  EXPECT_EQ(Text(partition.partitions[0].upper.at(0).literal), "2020-02-01");
  EXPECT_EQ(partition.partitions[1].bound, SqlPartitionBound::kFixedRange);
  EXPECT_EQ(Text(partition.partitions[1].lower.at(0).literal), "2020-02-01");
  EXPECT_EQ(Text(partition.partitions[1].upper.at(0).literal), "2020-03-01");
  EXPECT_TRUE(partition.partitions[2].upper.at(0).is_max_value);
  ASSERT_TRUE(create.distribution.has_value());
  EXPECT_EQ(create.distribution->hash_columns, std::vector<std::string>{"k2"});
  EXPECT_EQ(create.distribution->bucket_count, 8);
  ASSERT_EQ(create.properties.size(), 1u);
  EXPECT_EQ(create.properties[0].key, "replication_num");
  EXPECT_EQ(create.properties[0].value, "1");
}

TEST(SqlParser, CreateTableWithListPartitionsAndColumnOptions) {
  auto create = ParseOne<SqlCreateTable>(
      "create table if not exists t (city VARCHAR(20) NOT NULL COMMENT 'where', "
      "amount DECIMAL(10, 2) DEFAULT -1.5, n BIGINT NULL DEFAULT \"0\", at DATETIME DEFAULT "
      "CURRENT_TIMESTAMP) UNIQUE KEY(city) partition by list(city) (PARTITION p_cn VALUES IN "
      "(\"Beijing\",\"Shanghai\"), PARTITION p_us VALUES IN ('NYC')) distributed by hash(city) "
      "buckets auto");
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_FALSE(create.table.db.has_value());
  ASSERT_EQ(create.columns.size(), 4u);
  EXPECT_EQ(create.columns[0].nullability, SqlNullability::kNotNull);
  EXPECT_EQ(create.columns[0].comment, "where");
  EXPECT_EQ(create.columns[1].type_params, (std::vector<int64_t>{10, 2}));
  ASSERT_NE(create.columns[1].default_value, nullptr);
  EXPECT_DOUBLE_EQ(create.columns[1].default_value->literal.scalar().float_value(), -1.5);
  EXPECT_EQ(create.columns[2].nullability, SqlNullability::kNull);
  EXPECT_EQ(create.columns[1].nullability, SqlNullability::kUnspecified);
  EXPECT_EQ(create.columns[3].default_value->kind, ExprKind::kCall);
  EXPECT_EQ(create.key_kind, SqlKeyKind::kUnique);  // parsed; the binder refuses it
  ASSERT_TRUE(create.partition.has_value());
  EXPECT_EQ(create.partition->kind, SqlPartitionKind::kList);
  ASSERT_EQ(create.partition->partitions.size(), 2u);
  EXPECT_EQ(create.partition->partitions[0].bound, SqlPartitionBound::kIn);
  ASSERT_EQ(create.partition->partitions[0].in_values.size(), 2u);
  EXPECT_EQ(Text(create.partition->partitions[0].in_values[1].at(0).literal), "Shanghai");
  EXPECT_EQ(create.distribution->bucket_count, 0);  // AUTO
}

TEST(SqlParser, CreateTableWithoutPartitionsAndAggregateKey) {
  auto create =
      ParseOne<SqlCreateTable>("CREATE TABLE t (k INT, v BIGINT SUM DEFAULT '0') AGGREGATE KEY(k)");
  EXPECT_EQ(create.key_kind, SqlKeyKind::kAggregate);
  EXPECT_EQ(create.columns[1].aggregation, "SUM");
  EXPECT_FALSE(create.partition.has_value());
  EXPECT_FALSE(create.distribution.has_value());
}

TEST(SqlParser, AlterTablePartitions) {
  auto add = ParseOne<SqlAlterTable>(
      "ALTER TABLE example_db.example_tbl ADD PARTITION p4 VALUES LESS THAN (\"2020-05-01\")");
  EXPECT_EQ(add.action, SqlAlterTable::Action::kAddPartition);
  EXPECT_EQ(add.table.table, "example_tbl");
  EXPECT_EQ(add.partition.name, "p4");
  EXPECT_EQ(Text(add.partition.upper.at(0).literal), "2020-05-01");
  auto add_range = ParseOne<SqlAlterTable>(
      "ALTER TABLE example_db.t ADD PARTITION IF NOT EXISTS p5 VALUES [(\"2020-05-01\"), "
      "(\"2020-06-01\"))");
  EXPECT_TRUE(add_range.if_not_exists);
  EXPECT_EQ(add_range.partition.bound, SqlPartitionBound::kFixedRange);
  auto drop = ParseOne<SqlAlterTable>("ALTER TABLE example_db.t DROP PARTITION IF EXISTS p1");
  EXPECT_EQ(drop.action, SqlAlterTable::Action::kDropPartition);
  EXPECT_TRUE(drop.if_exists);
  EXPECT_EQ(drop.partition.name, "p1");
}

TEST(SqlParser, DropAndTruncateTable) {
  auto drop = ParseOne<SqlDropTable>("DROP TABLE IF EXISTS example_db.t");
  EXPECT_TRUE(drop.if_exists);
  EXPECT_EQ(drop.table.db, "example_db");
  auto truncate = ParseOne<SqlTruncateTable>("TRUNCATE TABLE example_db.t PARTITION (p1, `p2`)");
  EXPECT_EQ(truncate.partitions, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_TRUE(ParseOne<SqlTruncateTable>("truncate table t").partitions.empty());
}

TEST(SqlParser, InsertValues) {
  auto insert = ParseOne<SqlInsert>(
      "INSERT INTO example_db.example_tbl VALUES ('2020-01-05', 1, 2.5, 'a'), "
      "('2020-01-06', -2, NULL, 'b')");
  EXPECT_EQ(insert.table.table, "example_tbl");
  ASSERT_EQ(insert.rows.size(), 2u);
  ASSERT_EQ(insert.rows[0].size(), 4u);
  EXPECT_EQ(Text(insert.rows[0][0]->literal), "2020-01-05");
  EXPECT_EQ(insert.rows[0][1]->literal.scalar().int_value(), 1);
  EXPECT_EQ(insert.rows[1][1]->literal.scalar().int_value(), -2);
  EXPECT_TRUE(insert.rows[1][2]->literal.scalar().is_null());
  EXPECT_FALSE(insert.select.has_value());
}

TEST(SqlParser, InsertSelectWithColumns) {
  auto insert = ParseOne<SqlInsert>("INSERT INTO t (k1, v) SELECT k1, v FROM s WHERE v > 1");
  EXPECT_EQ(insert.columns, (std::vector<std::string>{"k1", "v"}));
  ASSERT_TRUE(insert.select.has_value());
  EXPECT_EQ(insert.select->from->table, "s");
}

TEST(SqlParser, SelectClauses) {
  auto select = ParseOne<SqlSelect>(
      "SELECT k1, count(*) AS n, sum(v) total FROM example_db.example_tbl "
      "WHERE k1 >= '2020-01-01' AND s IS NOT NULL GROUP BY k1 ORDER BY n DESC, k1 LIMIT 10 "
      "OFFSET 5");
  const SelectQuery& query = select.query;
  ASSERT_EQ(query.columns.size(), 3u);
  EXPECT_EQ(query.columns[0].expr->kind, ExprKind::kVariable);
  EXPECT_EQ(query.columns[1].alias, "n");
  EXPECT_EQ(query.columns[1].expr->kind, ExprKind::kCall);
  EXPECT_EQ(query.columns[1].expr->args.at(0).value->kind, ExprKind::kStar);
  EXPECT_EQ(query.columns[2].alias, "total");
  ASSERT_TRUE(select.from.has_value());
  EXPECT_EQ(select.from->db, "example_db");
  EXPECT_EQ(query.from->kind, ExprKind::kMember);
  EXPECT_EQ(query.from->name, "example_tbl");
  ASSERT_EQ(query.where.size(), 1u);
  EXPECT_EQ(query.where[0]->binary_op, BinaryOp::kAnd);
  EXPECT_EQ(query.where[0]->children[1]->unary_op, UnaryOp::kNot);
  ASSERT_EQ(query.group_by.size(), 1u);
  ASSERT_EQ(query.order_by.size(), 2u);
  EXPECT_TRUE(query.order_by[0].descending);
  EXPECT_FALSE(query.order_by[1].descending);
  EXPECT_EQ(query.limit, 10);
  EXPECT_EQ(query.offset, 5);
}

TEST(SqlParser, ExpressionPrecedenceAndForms) {
  auto select = ParseOne<SqlSelect>(
      "select * from t where a = 1 or not b in (1, 2) and c between 1 + 2 * 3 and 10 "
      "or t.d like 'x%' or db.t.e not like 'y'");
  const ExprPtr& where = select.query.where.at(0);
  EXPECT_EQ(select.query.columns.at(0).expr->kind, ExprKind::kStar);
  // ((a = 1 OR (NOT b IN ...) AND (c BETWEEN ...)) OR t.d LIKE ...) OR NOT db.t.e LIKE ...
  ASSERT_EQ(where->binary_op, BinaryOp::kOr);
  const ExprPtr& not_like = where->children[1];
  EXPECT_EQ(not_like->unary_op, UnaryOp::kNot);
  const ExprPtr& db_t_e = not_like->children[0]->children[0];
  EXPECT_EQ(db_t_e->kind, ExprKind::kMember);
  EXPECT_EQ(db_t_e->name, "e");
  EXPECT_EQ(db_t_e->children[0]->kind, ExprKind::kMember);
  const ExprPtr& first_or = where->children[0]->children[0];
  ASSERT_EQ(first_or->binary_op, BinaryOp::kOr);
  const ExprPtr& conjunction = first_or->children[1];
  ASSERT_EQ(conjunction->binary_op, BinaryOp::kAnd);
  EXPECT_EQ(conjunction->children[0]->kind, ExprKind::kUnary);
  EXPECT_EQ(conjunction->children[0]->children[0]->binary_op, BinaryOp::kIn);
  EXPECT_EQ(conjunction->children[0]->children[0]->children[1]->kind, ExprKind::kVector);
  const ExprPtr& between = conjunction->children[1];
  EXPECT_EQ(between->binary_op, BinaryOp::kBetween);
  EXPECT_EQ(between->children[1]->binary_op, BinaryOp::kPair);
  EXPECT_EQ(between->children[1]->children[0]->binary_op, BinaryOp::kAdd);
  EXPECT_EQ(between->children[1]->children[0]->children[1]->binary_op, BinaryOp::kMul);
}

TEST(SqlParser, SelectWithoutFromAndMySqlLimit) {
  auto select = ParseOne<SqlSelect>("SELECT 1 + 2, TRUE, 'x' LIMIT 2, 3");
  EXPECT_FALSE(select.from.has_value());
  EXPECT_EQ(select.query.from, nullptr);
  EXPECT_EQ(select.query.offset, 2);
  EXPECT_EQ(select.query.limit, 3);
}

TEST(SqlParser, IntegerLiteralsReachBigintsRange) {
  auto select = ParseOne<SqlSelect>("SELECT -9223372036854775808, 9223372036854775807, -2.5e3");
  const auto& columns = select.query.columns;
  EXPECT_EQ(columns.at(0).expr->literal.scalar().int_value(), INT64_MIN);
  EXPECT_EQ(columns.at(1).expr->literal.scalar().int_value(), INT64_MAX);
  EXPECT_DOUBLE_EQ(columns.at(2).expr->literal.scalar().float_value(), -2500.0);
}

TEST(SqlParser, UseShowDescribe) {
  EXPECT_EQ(ParseOne<SqlUse>("USE example_db").db, "example_db");
  EXPECT_EQ(ParseOne<SqlShow>("SHOW DATABASES").kind, SqlShowKind::kDatabases);
  EXPECT_EQ(ParseOne<SqlShow>("SHOW TABLES").kind, SqlShowKind::kTables);
  auto partitions = ParseOne<SqlShow>("SHOW PARTITIONS FROM example_tbl");
  EXPECT_EQ(partitions.kind, SqlShowKind::kPartitions);
  EXPECT_EQ(partitions.table->table, "example_tbl");
  auto create = ParseOne<SqlShow>("SHOW CREATE TABLE example_db.t");
  EXPECT_EQ(create.kind, SqlShowKind::kCreateTable);
  EXPECT_EQ(create.table->db, "example_db");
  EXPECT_EQ(ParseOne<SqlDescribe>("DESC example_db.t").table.table, "t");
  EXPECT_EQ(ParseOne<SqlDescribe>("describe t").table.table, "t");
}

TEST(SqlParser, KeywordsIgnoreCaseAndNamesKeepIt) {
  auto select = ParseOne<SqlSelect>("sElEcT `Select`, Date FrOm `My Table` wHeRe `where` = 1");
  EXPECT_EQ(select.query.columns.at(0).expr->name, "Select");
  EXPECT_EQ(select.query.columns.at(1).expr->name, "Date");
  EXPECT_EQ(select.from->table, "My Table");
}

TEST(SqlParser, SeveralStatementsAndComments) {
  auto statements = ParseSql(
      "-- setup\nUSE db1; ;\n# hash comment\nSHOW TABLES; /* block\n comment */ "
      "SELECT a FROM t;;");
  ASSERT_TRUE(statements.ok()) << statements.status().ToString();
  ASSERT_EQ(statements->size(), 3u);
  EXPECT_TRUE(std::holds_alternative<SqlUse>((*statements)[0]));
  EXPECT_TRUE(std::holds_alternative<SqlShow>((*statements)[1]));
  const auto& select = std::get<SqlSelect>((*statements)[2]);
  EXPECT_EQ(select.position.line, 5);
  EXPECT_EQ(select.position.column, 13);
  // The spec's line of session statements.
  auto line =
      ParseSql("USE example_db;  SHOW DATABASES;  SHOW TABLES;  SHOW PARTITIONS FROM example_tbl;");
  ASSERT_TRUE(line.ok()) << line.status().ToString();
  EXPECT_EQ(line->size(), 4u);
  auto empty = ParseSql(" ; -- nothing\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace strata
