// The binder's pure parts: types, literal conversion, properties, CREATE TABLE → definition and
// partitions → scheme, and the definition's JSON round trip.
#include <gtest/gtest.h>

#include "sql/binder_table.h"
#include "sql/binder_types.h"
#include "sql/parser_test_util.h"
#include "types/temporal.h"

namespace strata {
namespace {

Result<SqlBoundTable> Bind(const std::string& text, std::vector<std::string>* warnings = nullptr) {
  std::vector<std::string> ignored;
  return BindCreateTable(ParseOne<SqlCreateTable>(text), warnings ? warnings : &ignored);
}

std::string BindError(const std::string& text) {
  auto bound = Bind(text);
  EXPECT_FALSE(bound.ok()) << text;
  return bound.ok() ? "" : bound.status().message();
}

constexpr const char* kSpecTable =
    "CREATE TABLE example_db.example_tbl (k1 DATE, k2 INT, v DOUBLE, s VARCHAR(32)) "
    "DUPLICATE KEY(k1, k2) PARTITION BY RANGE(k1) ("
    "PARTITION p1 VALUES LESS THAN (\"2020-02-01\"), "
    "PARTITION p2 VALUES [(\"2020-02-01\"), (\"2020-03-01\")), "
    "PARTITION p3 VALUES LESS THAN (MAXVALUE)) "
    "DISTRIBUTED BY HASH(k2) BUCKETS 8 PROPERTIES (\"replication_num\" = \"1\")";

TEST(BinderTypes, MapsDorisTypesToStrataTypes) {
  struct Case {
    const char* name;
    std::vector<int64_t> params;
    Type type;
    const char* text;
  } cases[] = {
      {"BOOLEAN", {}, Type::kBool, "BOOLEAN"},         {"TINYINT", {}, Type::kChar, "TINYINT"},
      {"SMALLINT", {}, Type::kShort, "SMALLINT"},      {"INT", {11}, Type::kInt, "INT"},
      {"BIGINT", {}, Type::kLong, "BIGINT"},           {"FLOAT", {}, Type::kFloat, "FLOAT"},
      {"DOUBLE", {}, Type::kDouble, "DOUBLE"},         {"DATE", {}, Type::kDate, "DATE"},
      {"DATETIME", {}, Type::kTimestamp, "DATETIME"},  {"CHAR", {4}, Type::kString, "CHAR(4)"},
      {"VARCHAR", {32}, Type::kString, "VARCHAR(32)"}, {"STRING", {}, Type::kString, "STRING"},
  };
  for (const auto& c : cases) {
    auto bound = BindColumnType("c", c.name, c.params);
    ASSERT_TRUE(bound.ok()) << c.name << ": " << bound.status().message();
    EXPECT_EQ(bound->type, c.type) << c.name;
    EXPECT_EQ(bound->text, c.text);
  }
  EXPECT_EQ(*BindColumnType("s", "VARCHAR", {32})->max_length, 32);
}

TEST(BinderTypes, RefusesDecimalAndUnknownTypesNamingTheColumn) {
  auto decimal = BindColumnType("price", "DECIMAL", {10, 2});
  ASSERT_FALSE(decimal.ok());
  EXPECT_NE(decimal.status().message().find("'price'"), std::string::npos);
  EXPECT_NE(decimal.status().message().find("DECIMAL is not supported yet"), std::string::npos);
  EXPECT_NE(decimal.status().message().find("DOUBLE"), std::string::npos);
  auto unknown = BindColumnType("x", "LARGEINT", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("LARGEINT is not supported"), std::string::npos);
  EXPECT_FALSE(BindColumnType("s", "VARCHAR", {0}).ok());
  EXPECT_FALSE(BindColumnType("s", "CHAR", {256}).ok());
}

TEST(BinderTypes, ConvertsLiteralsToColumnTypes) {
  SqlColumnType date{Type::kDate, "DATE", {}};
  auto d = ConvertToColumn(Value(Scalar::String(Type::kString, "2020-01-05")), date, "k1");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->int_value(), DaysFromCivil(2020, 1, 5));
  EXPECT_EQ(MySqlText(*d), "2020-01-05");
  SqlColumnType datetime{Type::kTimestamp, "DATETIME", {}};
  auto dt =
      ConvertToColumn(Value(Scalar::String(Type::kString, "2020-01-05 10:00:00")), datetime, "t");
  ASSERT_TRUE(dt.ok()) << dt.status().message();
  EXPECT_EQ(MySqlText(*dt), "2020-01-05 10:00:00");
  auto midnight =
      ConvertToColumn(Value(Scalar::String(Type::kString, "2020-01-05")), datetime, "t");
  ASSERT_TRUE(midnight.ok());
  EXPECT_EQ(MySqlText(*midnight), "2020-01-05 00:00:00");
  // Doris's DATETIME reaches years 0000-9999, and keeps whole seconds (rounded).
  for (const char* text : {"2099-12-31 23:59:59", "1900-01-01 00:00:00", "0001-01-01 00:00:00",
                           "9999-12-31 23:59:59"}) {
    auto far = ConvertToColumn(Value(Scalar::String(Type::kString, text)), datetime, "t");
    ASSERT_TRUE(far.ok()) << text << ": " << far.status().message();
    EXPECT_EQ(MySqlText(*far), text);
  }
  auto rounded = ConvertToColumn(Value(Scalar::String(Type::kString, "2020-01-05 10:00:00.600")),
                                 datetime, "t");
  ASSERT_TRUE(rounded.ok()) << rounded.status().message();
  EXPECT_EQ(MySqlText(*rounded), "2020-01-05 10:00:01");
  // A table made before (its definition's version 1) keeps DolphinDB's 32-bit DATETIME.
  SqlColumnType legacy{Type::kDateTime, "DATETIME", {}};
  auto outside =
      ConvertToColumn(Value(Scalar::String(Type::kString, "2099-12-31 23:59:59")), legacy, "t");
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.status().message().find("older table"), std::string::npos);
  // A script's TIMESTAMP column (DATETIME(3)) keeps its milliseconds.
  SqlColumnType millis{Type::kTimestamp, "DATETIME(3)", {}};
  EXPECT_EQ(MySqlText(*ConvertToColumn(
                Value(Scalar::String(Type::kString, "2020-01-05 10:00:00.600")), millis, "t")),
            "2020-01-05 10:00:00.600");
  EXPECT_FALSE(
      ConvertToColumn(Value(Scalar::String(Type::kString, "2020-01-05 10:00:00")), date, "k1")
          .ok());
  EXPECT_FALSE(ConvertToColumn(Value(Scalar::String(Type::kString, "yesterday")), date, "k1").ok());
  SqlColumnType tiny{Type::kChar, "TINYINT", {}};
  EXPECT_EQ(ConvertToColumn(Value(Scalar::Int(Type::kLong, 127)), tiny, "t")->int_value(), 127);
  auto too_big = ConvertToColumn(Value(Scalar::Int(Type::kLong, 128)), tiny, "t");
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("out of range [-127, 127]"), std::string::npos);
  SqlColumnType varchar{Type::kString, "VARCHAR(3)", 3};
  EXPECT_TRUE(ConvertToColumn(Value(Scalar::String(Type::kString, "abc")), varchar, "s").ok());
  auto too_long = ConvertToColumn(Value(Scalar::String(Type::kString, "abcd")), varchar, "s");
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("4 bytes long, longer than 3"), std::string::npos);
  EXPECT_TRUE(ConvertToColumn(Value(), date, "k1")->is_null());
  SqlColumnType integer{Type::kInt, "INT", {}};
  EXPECT_EQ(ConvertToColumn(Value(Scalar::Float(Type::kDouble, 2.6)), integer, "i")->int_value(),
            3);
  EXPECT_EQ(ConvertToColumn(Value(Scalar::String(Type::kString, "42")), integer, "i")->int_value(),
            42);
}

TEST(BinderTypes, PrintsValuesAsMySql) {
  EXPECT_EQ(MySqlText(Scalar::Float(Type::kDouble, 2.5)), "2.5");
  EXPECT_EQ(MySqlText(Scalar::Float(Type::kDouble, 0.1)), "0.1");
  EXPECT_EQ(MySqlText(Scalar::Bool(true)), "1");
  EXPECT_EQ(MySqlText(Scalar::Int(Type::kDate, DaysFromCivil(1969, 12, 31))), "1969-12-31");
  EXPECT_EQ(MySqlTypeName(Type::kLong), "BIGINT");
  EXPECT_EQ(MySqlTypeName(Type::kString), "VARCHAR");
  EXPECT_EQ(SqlLiteralText(Scalar::String(Type::kString, "it's")), "'it''s'");
}

TEST(BinderProperties, AcceptsReplicationAndStorageWithWarningsRefusesOthers) {
  std::vector<std::string> warnings;
  auto ok = Bind(
      "CREATE TABLE t (k INT) PROPERTIES (\"replication_num\" = \"1\", "
      "\"storage_medium\" = \"SSD\", \"in_memory\" = \"false\")",
      &warnings);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("\"storage_medium\" is accepted and ignored"), std::string::npos);
  warnings.clear();
  ASSERT_TRUE(
      Bind("CREATE TABLE t (k INT) PROPERTIES (\"replication_num\" = \"3\")", &warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("keeps one copy"), std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT) PROPERTIES (\"colour\" = \"red\")")
                .find("unknown property \"colour\""),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT) PROPERTIES (\"replication_num\" = \"0\")")
                .find("positive integer"),
            std::string::npos);
}

TEST(BinderTable, BindsTheSpecTable) {
  auto bound = Bind(kSpecTable);
  ASSERT_TRUE(bound.ok()) << bound.status().message();
  const SqlTableDefinition& d = bound->definition;
  ASSERT_EQ(d.columns.size(), 4u);
  EXPECT_EQ(d.columns[3].type.text, "VARCHAR(32)");
  EXPECT_EQ(d.key_columns, (std::vector<std::string>{"k1", "k2"}));
  EXPECT_EQ(d.partition_column, "k1");
  EXPECT_EQ(d.bucket_column, "k2");
  EXPECT_EQ(d.buckets, 8);
  EXPECT_EQ(d.PartitionColumns(), (std::vector<std::string>{"k1", "k2"}));
  const auto& p = bound->partitions;
  ASSERT_EQ(p.size(), 3u);
  // p1: unbounded below up to 2020-02-01; p2 continues; p3 up to MAXVALUE.
  EXPECT_FALSE(p[0].low.has_value());
  EXPECT_EQ(MySqlText(*p[0].high), "2020-02-01");
  EXPECT_EQ(MySqlText(*p[1].low), "2020-02-01");
  EXPECT_EQ(MySqlText(*p[1].high), "2020-03-01");
  EXPECT_EQ(MySqlText(*p[2].low), "2020-03-01");
  EXPECT_FALSE(p[2].high.has_value());
  EXPECT_EQ(PartitionRangeText(p[1], Type::kDate),
            "[types: [DATE]; keys: [2020-02-01]; ..types: [DATE]; keys: [2020-03-01]; )");
  EXPECT_EQ(PartitionRangeText(p[0], Type::kDate),
            "[types: [DATE]; keys: [0000-01-01]; ..types: [DATE]; keys: [2020-02-01]; )");
  auto scheme = MakeTableScheme(d, p);
  ASSERT_TRUE(scheme.ok()) << scheme.status().message();
  ASSERT_NE(*scheme, nullptr);
  EXPECT_EQ((*scheme)->type(), PartitionType::kCompo);
  EXPECT_EQ((*scheme)->level_count(), 2u);
  EXPECT_EQ((*scheme)->level_type(1), Type::kInt);
  EXPECT_EQ((*scheme)->partition_names(), (std::vector<std::string>{"p1", "p2", "p3"}));
}

TEST(BinderTable, LayoutsFollowTheClauses) {
  auto list = Bind(
      "CREATE TABLE t (city VARCHAR(16), v INT) PARTITION BY LIST(city) ("
      "PARTITION p_cn VALUES IN ('Beijing', 'Shanghai'), "
      "PARTITION p_us VALUES IN ('New York'))");
  ASSERT_TRUE(list.ok()) << list.status().message();
  auto list_scheme = MakeTableScheme(list->definition, list->partitions);
  ASSERT_TRUE(list_scheme.ok()) << list_scheme.status().message();
  EXPECT_EQ((*list_scheme)->type(), PartitionType::kList);
  EXPECT_EQ(PartitionRangeText(list->partitions[0], Type::kString),
            "[types: [VARCHAR]; keys: [Beijing]; , types: [VARCHAR]; keys: [Shanghai]; ]");
  auto hash = Bind("CREATE TABLE t (k BIGINT, v INT) DISTRIBUTED BY HASH(k) BUCKETS AUTO");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->definition.buckets, kSqlAutoBuckets);
  auto hash_scheme = MakeTableScheme(hash->definition, hash->partitions);
  ASSERT_TRUE(hash_scheme.ok());
  EXPECT_EQ((*hash_scheme)->type(), PartitionType::kHash);
  auto plain = Bind("CREATE TABLE t (k BIGINT, v INT)");
  ASSERT_TRUE(plain.ok());
  auto none = MakeTableScheme(plain->definition, plain->partitions);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  EXPECT_TRUE(plain->definition.PartitionColumns().empty());
}

TEST(BinderTable, RefusesWhatIsNotSupportedSayingWhy) {
  EXPECT_NE(BindError("CREATE TABLE t (k INT, v INT) UNIQUE KEY(k)")
                .find("only DUPLICATE KEY tables are supported"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT, v INT SUM) AGGREGATE KEY(k)")
                .find("only DUPLICATE KEY tables are supported"),
            std::string::npos);
  EXPECT_NE(
      BindError("CREATE TABLE t (k INT, v INT) DUPLICATE KEY(v)").find("must be the first columns"),
      std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (j INT, k DATE, v INT) DUPLICATE KEY(j) "
                      "PARTITION BY RANGE(k) (PARTITION p VALUES LESS THAN ('2020-01-01'))")
                .find("partition column 'k' must be a key column"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT, k BIGINT)").find("'k' is defined twice"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT, v DECIMAL(10, 2))").find("DECIMAL is not supported"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k DATE) PARTITION BY RANGE(k) ("
                      "PARTITION p1 VALUES LESS THAN ('2020-02-01'), "
                      "PARTITION p2 VALUES LESS THAN ('2020-01-01'))")
                .find("partition 'p2': its range ['2020-02-01', '2020-01-01') is empty"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k DATE) PARTITION BY RANGE(k) ("
                      "PARTITION p1 VALUES LESS THAN ('someday'))")
                .find("partition 'p1'"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT NOT NULL DEFAULT NULL)").find("NOT NULL"),
            std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT DEFAULT 'x')").find("DEFAULT"), std::string::npos);
  EXPECT_NE(BindError("CREATE TABLE t (k INT, v INT) DISTRIBUTED BY HASH(nope) BUCKETS 2")
                .find("'nope', which is not a column"),
            std::string::npos);
}

TEST(BinderTable, DefinitionRoundTripsThroughJsonAndRecreatesTheTable) {
  auto bound = Bind(
      "CREATE TABLE t (k1 DATE NOT NULL, k2 INT DEFAULT '7', s VARCHAR(32) NULL COMMENT 'name') "
      "DUPLICATE KEY(k1, k2) PARTITION BY RANGE(k1) (PARTITION p1 VALUES LESS THAN "
      "('2020-02-01'), PARTITION p2 VALUES LESS THAN (MAXVALUE)) DISTRIBUTED BY HASH(k2) BUCKETS "
      "4 PROPERTIES ('replication_num' = '1')");
  ASSERT_TRUE(bound.ok()) << bound.status().message();
  auto back = SqlTableDefinition::FromJson(bound->definition.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), bound->definition.ToJson());
  EXPECT_FALSE(back->columns[0].nullable);
  EXPECT_EQ(back->columns[1].default_text, "7");
  std::string text = ShowCreateTableText("t", *back, bound->partitions);
  EXPECT_EQ(text,
            "CREATE TABLE `t` (\n"
            "  `k1` DATE NOT NULL,\n"
            "  `k2` INT NULL DEFAULT \"7\",\n"
            "  `s` VARCHAR(32) NULL COMMENT \"name\"\n"
            ") ENGINE=OLAP\n"
            "DUPLICATE KEY(`k1`, `k2`)\n"
            "PARTITION BY RANGE(`k1`)\n"
            "(PARTITION `p1` VALUES LESS THAN ('2020-02-01'),\n"
            "PARTITION `p2` VALUES [('2020-02-01'), (MAXVALUE)))\n"
            "DISTRIBUTED BY HASH(`k2`) BUCKETS 4\n"
            "PROPERTIES (\n"
            "\"replication_num\" = \"1\"\n"
            ");");
  // The text parses and binds to the same definition.
  std::vector<std::string> warnings;
  auto again =
      BindCreateTable(ParseOne<SqlCreateTable>(text.substr(0, text.size() - 1)), &warnings);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->definition.ToJson(), back->ToJson());
  ASSERT_EQ(again->partitions.size(), 2u);
  EXPECT_EQ(MySqlText(*again->partitions[1].low), "2020-02-01");
}

// DATETIME is a TIMESTAMP from definition version 2 on; a version-1 definition (a table made
// before) keeps the 32-bit DATETIME its rows were written with.
TEST(BinderTable, DatetimeOfAnOlderDefinitionStaysThirtyTwoBit) {
  auto bound = Bind("CREATE TABLE t (k INT, at DATETIME) DUPLICATE KEY(k)");
  ASSERT_TRUE(bound.ok()) << bound.status().message();
  nlohmann::json json = bound->definition.ToJson();
  EXPECT_EQ(json["version"], 2);
  auto now = SqlTableDefinition::FromJson(json);
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->columns[1].type.type, Type::kTimestamp);
  json["version"] = 1;
  auto older = SqlTableDefinition::FromJson(json);
  ASSERT_TRUE(older.ok()) << older.status().message();
  EXPECT_EQ(older->columns[1].type.type, Type::kDateTime);
  EXPECT_EQ(older->columns[1].type.text, "DATETIME");
  EXPECT_EQ(older->ToJson(), json);  // stored again (ALTER TABLE), it stays version 1
  json["version"] = 3;
  EXPECT_FALSE(SqlTableDefinition::FromJson(json).ok());
}

}  // namespace
}  // namespace strata
