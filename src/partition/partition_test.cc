// Partition schemes: naming, VALUE/RANGE/HASH/LIST levels, COMPO and Split.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "partition/hash_scheme.h"
#include "partition/partition_scheme.h"
#include "partition/partition_test_util.h"
#include "partition/path_component.h"
#include "types/temporal.h"

namespace strata {
namespace {

// ---- Names and path components

TEST(PartitionTypeTest, NamesRoundTripCaseInsensitively) {
  for (auto type : {PartitionType::kValue, PartitionType::kRange, PartitionType::kHash,
                    PartitionType::kList, PartitionType::kCompo}) {
    EXPECT_EQ(PartitionTypeFromName(PartitionTypeName(type)), type);
  }
  EXPECT_STREQ(PartitionTypeName(PartitionType::kCompo), "COMPO");
  EXPECT_EQ(PartitionTypeFromName("range"), PartitionType::kRange);
  EXPECT_EQ(PartitionTypeFromName("Value"), PartitionType::kValue);
  EXPECT_FALSE(PartitionTypeFromName("SEQ").has_value());
}

TEST(PathComponentTest, FormatsEveryLevelType) {
  struct Case {
    Scalar value;
    const char* component;
  };
  const Case cases[] = {
      {Scalar::Int(Type::kChar, 5), "5"},
      {Scalar::Int(Type::kShort, -3), "-3"},
      {Int(-5), "-5"},
      {Int(2147483647), "2147483647"},
      {Scalar::Int(Type::kLong, 10000000000), "10000000000"},
      {Temporal("2017.08.07"), "20170807"},
      {Temporal("1969.12.31"), "19691231"},
      {Temporal("2000.01M"), "200001M"},
      {Temporal("13:30:10.008"), "133010008"},
      {Temporal("13:30m"), "1330"},
      {Temporal("13:30:10"), "133010"},
      {Temporal("2017.08.07T10:00:00"), "20170807100000"},
      {Sym("IBM"), "IBM"},
      {Scalar::String(Type::kString, "a b"), "a b"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatComponent(c.value), c.component);
    auto parsed = ParseComponent(c.component, c.value.type());
    ASSERT_TRUE(parsed.has_value()) << c.component;
    EXPECT_EQ(*parsed, c.value) << c.component;
  }
}

TEST(PathComponentTest, RejectsNonCanonicalComponents) {
  EXPECT_FALSE(ParseComponent("020170807", Type::kDate));
  EXPECT_FALSE(ParseComponent("2017087", Type::kDate));
  EXPECT_FALSE(ParseComponent("20170230", Type::kDate));
  EXPECT_FALSE(ParseComponent("2017.08.07", Type::kDate));
  EXPECT_FALSE(ParseComponent("200013M", Type::kMonth));
  EXPECT_FALSE(ParseComponent("200001", Type::kMonth));
  EXPECT_FALSE(ParseComponent("05", Type::kInt));
  EXPECT_FALSE(ParseComponent("+5", Type::kInt));
  EXPECT_FALSE(ParseComponent("-0", Type::kInt));
  EXPECT_FALSE(ParseComponent("128", Type::kChar));
  EXPECT_FALSE(ParseComponent("-2147483648", Type::kInt));  // INT's NULL
  EXPECT_FALSE(ParseComponent("2460", Type::kMinute));
  EXPECT_FALSE(ParseComponent("a/b", Type::kSymbol));
  EXPECT_FALSE(ParseComponent("", Type::kSymbol));
  EXPECT_TRUE(ParseComponent("-7", Type::kShort));
}

TEST(PathComponentTest, SplitsPathsAndNumberedComponents) {
  auto parts = SplitPartitionPath("/20170807/0_50");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(*parts, (std::vector<std::string_view>{"20170807", "0_50"}));
  EXPECT_FALSE(SplitPartitionPath("20170807/0_50"));
  EXPECT_FALSE(SplitPartitionPath("/"));
  EXPECT_FALSE(SplitPartitionPath("/20170807//0_50"));
  EXPECT_FALSE(SplitPartitionPath("/20170807/"));
  EXPECT_EQ(ParseNumberedComponent("Key3", "Key", 10), 3u);
  EXPECT_FALSE(ParseNumberedComponent("Key10", "Key", 10));
  EXPECT_FALSE(ParseNumberedComponent("Key03", "Key", 10));
  EXPECT_FALSE(ParseNumberedComponent("List1", "Key", 10));
}

// ---- VALUE

TEST(ValueSchemeTest, NamesPartitionsByValue) {
  auto scheme = MakeOk(PartitionType::kValue, Vec(DateColumn({0, 1, 2})));
  EXPECT_EQ(scheme->Describe(), "VALUE DATE 3 values");
  EXPECT_EQ(scheme->level_count(), 1u);
  EXPECT_EQ(scheme->level_type(0), Type::kDate);
  auto groups = SplitOk(*scheme, {DateColumn({2, 0, 2, 1})});
  EXPECT_EQ(PathsOf(groups), (std::vector<std::string>{"/20170807", "/20170808", "/20170809"}));
  EXPECT_EQ(groups[2].rows, (std::vector<uint32_t>{0, 2}));

  auto months = MakeOk(PartitionType::kValue, Value(Temporal("2000.01M")));
  EXPECT_EQ(
      PathsOf(SplitOk(*months, {Column(Type::kMonth, std::vector<int32_t>{static_cast<int32_t>(
                                                         Temporal("2000.01M").int_value())})})),
      std::vector<std::string>{"/200001M"});

  auto ints = MakeOk(PartitionType::kValue, Vec(IntColumn({-5, 3})));
  EXPECT_EQ(PathsOf(SplitOk(*ints, {IntColumn({3, -5})})), (std::vector<std::string>{"/-5", "/3"}));

  auto symbols = MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"IBM", "MSFT"})));
  EXPECT_EQ(PathsOf(SplitOk(*symbols, {Strings(Type::kString, {"MSFT", "IBM", "MSFT"})})),
            (std::vector<std::string>{"/IBM", "/MSFT"}));
}

TEST(ValueSchemeTest, GrowsWithNewValuesInFirstSeenOrder) {
  auto scheme = MakeOk(PartitionType::kValue, Vec(IntColumn({10, 20})));
  bool changed = false;
  auto groups = SplitOk(*scheme, {IntColumn({30, 10, 5, 30, 5})}, &changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(PathsOf(groups), (std::vector<std::string>{"/10", "/30", "/5"}));
  EXPECT_EQ(scheme->Describe(), "VALUE INT 4 values");
  EXPECT_EQ(scheme->ToJson()["values"],
            (nlohmann::json{"10", "20", "30", "5"}));  // scheme values, then first-seen order

  SplitOk(*scheme, {IntColumn({20, 5})}, &changed);
  EXPECT_FALSE(changed);
  EXPECT_EQ(scheme->Describe(), "VALUE INT 4 values");
}

TEST(ValueSchemeTest, GrowsThroughTheHashedLookupForSparseValues) {
  auto scheme = MakeOk(PartitionType::kValue, Vec(IntColumn({1})));
  bool changed = false;
  auto groups =
      SplitOk(*scheme, {IntColumn({1, 2000000000, -2000000000, 1, 2000000000})}, &changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(PathsOf(groups), (std::vector<std::string>{"/-2000000000", "/1", "/2000000000"}));
  EXPECT_EQ(groups[1].rows, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(scheme->ToJson()["values"], (nlohmann::json{"1", "2000000000", "-2000000000"}));
}

TEST(ValueSchemeTest, RejectsNullsAndUnnameableValuesWithoutChange) {
  auto scheme = MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"A"})));
  nlohmann::json before = scheme->ToJson();
  Status null_row = SplitStatus(*scheme, {Strings(Type::kSymbol, {"B", ""})});
  EXPECT_EQ(null_row.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(null_row.message().find("NULL at row index 1"), std::string::npos)
      << null_row.message();
  Status slash = SplitStatus(*scheme, {Strings(Type::kSymbol, {"B", "a/b"})});
  EXPECT_NE(slash.message().find("'a/b' cannot name a partition"), std::string::npos)
      << slash.message();
  EXPECT_EQ(scheme->ToJson(), before);

  auto ints = MakeOk(PartitionType::kValue, Vec(IntColumn({1})));
  EXPECT_FALSE(SplitStatus(*ints, {IntColumn({2, INT32_MIN})}).ok());
  EXPECT_EQ(ints->Describe(), "VALUE INT 1 value");
}

TEST(ValueSchemeTest, ValidatesItsArgument) {
  auto expect_error = [](const Value& arg, const char* fragment) {
    auto scheme = PartitionScheme::Make(PartitionType::kValue, arg);
    ASSERT_FALSE(scheme.ok());
    EXPECT_EQ(scheme.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(scheme.status().message().find(fragment), std::string::npos)
        << scheme.status().message();
  };
  expect_error(Vec(Column(Type::kDouble, std::vector<double>{1.5})), "DOUBLE");
  expect_error(Vec(Column(Type::kFloat, std::vector<float>{1.5f})), "floating-point");
  expect_error(Vec(Column(Type::kLong, std::vector<int64_t>{1})), "only by HASH");
  expect_error(Vec(Column(Type::kTimestamp, std::vector<int64_t>{1})), "TIMESTAMP");
  expect_error(Vec(IntColumn({})), "at least one value");
  expect_error(Vec(IntColumn({1, INT32_MIN})), "NULL");
  expect_error(Value::MakeTuple({Value(Int(1))}), "tuple");
  expect_error(Value(), "NULL");
  expect_error(Vec(Strings(Type::kString, {".."})), "'..'");
  // Repeats count once.
  auto scheme = MakeOk(PartitionType::kValue, Vec(IntColumn({1, 2, 1})));
  EXPECT_EQ(scheme->Describe(), "VALUE INT 2 values");
}

// ---- RANGE

TEST(RangeSchemeTest, NamesRangesLowUnderscoreHigh) {
  auto scheme = MakeOk(PartitionType::kRange, Vec(IntColumn({-10, 0, 50, 100})));
  EXPECT_EQ(scheme->Describe(), "RANGE INT 3 ranges");
  auto groups = SplitOk(*scheme, {IntColumn({0, 49, 50, 99, -10, -1})});
  EXPECT_EQ(PathsOf(groups), (std::vector<std::string>{"/-10_0", "/0_50", "/50_100"}));
  auto by_row = PathByRow(groups, 6);
  EXPECT_EQ(by_row,
            (std::vector<std::string>{"/0_50", "/0_50", "/50_100", "/50_100", "/-10_0", "/-10_0"}));

  auto dates = MakeOk(PartitionType::kRange, Vec(DateColumn({-6, 25})));  // 08.01, 09.01
  EXPECT_EQ(PathsOf(SplitOk(*dates, {DateColumn({0})})),
            std::vector<std::string>{"/20170801_20170901"});

  auto strings = MakeOk(PartitionType::kRange, Vec(Strings(Type::kString, {"A", "M", "ZZ"})));
  EXPECT_EQ(PathsOf(SplitOk(*strings, {Strings(Type::kString, {"Apple", "Melon", "M"})})),
            (std::vector<std::string>{"/A_M", "/M_ZZ"}));
}

TEST(RangeSchemeTest, RejectsRowsOutsideEveryRange) {
  auto scheme = MakeOk(PartitionType::kRange, Vec(IntColumn({0, 50, 100})));
  Status status = SplitStatus(*scheme, {IntColumn({1, 150})});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(
                "value 150 of partition column 1 fits no partition of RANGE scheme [0, 50, 100)"),
            std::string::npos)
      << status.message();
  EXPECT_FALSE(SplitStatus(*scheme, {IntColumn({100})}).ok());  // high bound is exclusive
  EXPECT_FALSE(SplitStatus(*scheme, {IntColumn({-1})}).ok());
  Status null_row = SplitStatus(*scheme, {IntColumn({5, INT32_MIN})});
  EXPECT_NE(null_row.message().find("NULL at row index 1"), std::string::npos);
  auto strings = MakeOk(PartitionType::kRange, Vec(Strings(Type::kString, {"B", "M"})));
  EXPECT_NE(SplitStatus(*strings, {Strings(Type::kString, {"A"})}).message().find("'A'"),
            std::string::npos);
}

TEST(RangeSchemeTest, ValidatesBoundaries) {
  auto error_of = [](const Value& arg) {
    return PartitionScheme::Make(PartitionType::kRange, arg).status().message();
  };
  EXPECT_NE(error_of(Vec(IntColumn({0, 100, 50}))).find("strictly increasing"), std::string::npos);
  EXPECT_NE(error_of(Vec(IntColumn({0, 50, 50}))).find("strictly increasing"), std::string::npos);
  EXPECT_NE(error_of(Vec(IntColumn({0}))).find("2 to"), std::string::npos);
  EXPECT_NE(error_of(Vec(Column(Type::kDouble, std::vector<double>{0, 1}))).find("DOUBLE"),
            std::string::npos);
}

// ---- HASH

TEST(HashSchemeTest, BucketsIntegersModNAndStringsByFnv1a) {
  auto scheme = MakeOk(PartitionType::kHash, Vec(IntColumn({4, 10})));  // [INT, 10]
  EXPECT_EQ(scheme->Describe(), "HASH INT 10 buckets");
  EXPECT_EQ(scheme->level_type(0), Type::kInt);
  auto groups = SplitOk(*scheme, {IntColumn({3, 13, -3, 0, 29})});
  EXPECT_EQ(PathByRow(groups, 5),
            (std::vector<std::string>{"/Key3", "/Key3", "/Key7", "/Key0", "/Key9"}));

  EXPECT_EQ(HashScheme::Fnv1a32("a"), 0xe40c292cu);
  EXPECT_EQ(HashScheme::Fnv1a32("foobar"), 0xbf9cf968u);
  auto symbols = MakeOk(PartitionType::kHash,
                        Value::MakeTuple({Value(Int(17)), Value(Int(7))}));  // (SYMBOL, 7)
  EXPECT_EQ(symbols->Describe(), "HASH SYMBOL 7 buckets");
  auto sym_groups = SplitOk(*symbols, {Strings(Type::kSymbol, {"foobar"})});
  EXPECT_EQ(PathsOf(sym_groups),
            std::vector<std::string>{"/Key" + std::to_string(0xbf9cf968u % 7)});

  auto longs =
      MakeOk(PartitionType::kHash,
             Value::MakeTuple({Value(Scalar::String(Type::kString, "LONG")), Value(Int(3))}));
  EXPECT_EQ(longs->level_type(0), Type::kLong);
  EXPECT_EQ(PathsOf(SplitOk(*longs, {Column(Type::kLong, std::vector<int64_t>{10000000001})})),
            std::vector<std::string>{"/Key" + std::to_string(10000000001 % 3)});
}

TEST(HashSchemeTest, ValidatesItsArgument) {
  auto error_of = [](const Value& arg) {
    return PartitionScheme::Make(PartitionType::kHash, arg).status().message();
  };
  EXPECT_NE(error_of(Vec(IntColumn({4, 0}))).find("1 to"), std::string::npos);
  EXPECT_NE(error_of(Vec(IntColumn({4}))).find("[type, bucketCount]"), std::string::npos);
  EXPECT_NE(error_of(Vec(IntColumn({16, 10}))).find("DOUBLE"), std::string::npos);
  EXPECT_NE(error_of(Vec(IntColumn({99, 10}))).find("must be a type"), std::string::npos);
  EXPECT_NE(error_of(Value(Int(4))).find("[type, bucketCount]"), std::string::npos);
}

// ---- LIST

TEST(ListSchemeTest, NamesListsByIndex) {
  auto scheme =
      MakeOk(PartitionType::kList, Value::MakeTuple({Vec(Strings(Type::kString, {"IBM", "ORCL"})),
                                                     Value(Scalar::String(Type::kString, "MSFT")),
                                                     Vec(Strings(Type::kSymbol, {"GOOG"}))}));
  EXPECT_EQ(scheme->Describe(), "LIST STRING 3 lists");
  auto groups = SplitOk(*scheme, {Strings(Type::kSymbol, {"ORCL", "MSFT", "IBM", "GOOG"})});
  EXPECT_EQ(PathByRow(groups, 4),
            (std::vector<std::string>{"/List0", "/List1", "/List0", "/List2"}));
  Status missing = SplitStatus(*scheme, {Strings(Type::kSymbol, {"IBM", "AAPL"})});
  EXPECT_NE(missing.message().find("value 'AAPL' of partition column 1 is in no list"),
            std::string::npos)
      << missing.message();

  auto one_per_list = MakeOk(PartitionType::kList, Vec(IntColumn({5, 1})));
  EXPECT_EQ(PathsOf(SplitOk(*one_per_list, {IntColumn({1, 5})})),
            (std::vector<std::string>{"/List0", "/List1"}));
}

TEST(ListSchemeTest, ValidatesItsArgument) {
  auto error_of = [](const Value& arg) {
    return PartitionScheme::Make(PartitionType::kList, arg).status().message();
  };
  EXPECT_NE(error_of(Value::MakeTuple({Vec(IntColumn({1, 2})), Vec(IntColumn({2}))}))
                .find("value 2 is in lists 1 and 2"),
            std::string::npos);
  EXPECT_NE(error_of(Value::MakeTuple({Vec(IntColumn({1})), Vec(Strings(Type::kSymbol, {"a"}))}))
                .find("one type"),
            std::string::npos);
  EXPECT_NE(error_of(Value::MakeTuple({Vec(IntColumn({1})), Value()})).find("empty element"),
            std::string::npos);
  EXPECT_NE(error_of(Value::MakeTuple({})).find("1 to"), std::string::npos);
}

// ---- COMPO and Split

TEST(CompoSchemeTest, SplitsTheSeedCompoDbIntoTenPartitions) {
  auto scheme = CompoDb();
  EXPECT_EQ(scheme->Describe(), "COMPO(VALUE DATE 5 values, RANGE INT 2 ranges)");
  EXPECT_EQ(scheme->level_count(), 2u);
  EXPECT_EQ(scheme->level_type(1), Type::kInt);
  std::vector<int32_t> days, ids;
  for (int32_t row = 0; row < 100; ++row) {
    days.push_back(row % 5);
    ids.push_back((row * 37) % 100);
  }
  bool changed = true;
  auto groups = SplitOk(*scheme, {DateColumn(days), IntColumn(ids)}, &changed);
  EXPECT_FALSE(changed);
  EXPECT_EQ(PathsOf(groups), CompoPaths());
  auto by_row = PathByRow(groups, 100);
  for (size_t row = 0; row < 100; ++row) {
    std::string expected = "/2017080" + std::to_string(7 + days[row]);
    if (days[row] >= 3) expected = "/201708" + std::to_string(7 + days[row]);
    expected += ids[row] < 50 ? "/0_50" : "/50_100";
    EXPECT_EQ(by_row[row], expected) << "row " << row;
  }
  for (const auto& group : groups) {
    EXPECT_TRUE(std::is_sorted(group.rows.begin(), group.rows.end()));
  }
}

TEST(CompoSchemeTest, RejectedRowsChangeNoLevel) {
  auto scheme = CompoDb();
  nlohmann::json before = scheme->ToJson();
  // Level 1 would gain 2017.08.20, but level 2 rejects 150.
  Status status = SplitStatus(*scheme, {DateColumn({13, 0}), IntColumn({1, 150})});
  EXPECT_NE(status.message().find(
                "value 150 of partition column 2 fits no partition of RANGE scheme [0, 50, 100)"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(scheme->ToJson(), before);
  Status null_date = SplitStatus(*scheme, {DateColumn({13, INT32_MIN}), IntColumn({1, 2})});
  EXPECT_NE(null_date.message().find("partition column 1 is NULL"), std::string::npos);
  EXPECT_EQ(scheme->ToJson(), before);

  bool changed = false;
  auto groups = SplitOk(*scheme, {DateColumn({13}), IntColumn({1})}, &changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(PathsOf(groups), std::vector<std::string>{"/20170820/0_50"});
  EXPECT_EQ(scheme->Describe(), "COMPO(VALUE DATE 6 values, RANGE INT 2 ranges)");
}

TEST(CompoSchemeTest, ValidatesLevels) {
  std::vector<std::unique_ptr<PartitionScheme>> one;
  one.push_back(MakeOk(PartitionType::kValue, Vec(IntColumn({1}))));
  EXPECT_NE(PartitionScheme::MakeCompo(std::move(one)).status().message().find("2 or 3"),
            std::string::npos);
  std::vector<std::unique_ptr<PartitionScheme>> nested;
  nested.push_back(CompoDb());
  nested.push_back(MakeOk(PartitionType::kValue, Vec(IntColumn({1}))));
  EXPECT_NE(PartitionScheme::MakeCompo(std::move(nested)).status().message().find("itself COMPO"),
            std::string::npos);
  EXPECT_FALSE(PartitionScheme::Make(PartitionType::kCompo, Vec(IntColumn({1}))).ok());
}

TEST(SplitTest, ConvertsColumnsToTheLevelType) {
  auto dates = MakeOk(PartitionType::kValue, Vec(DateColumn({0})));
  Column timestamps(Type::kTimestamp,
                    std::vector<int64_t>{Temporal("2017.08.07T23:59:59.999").int_value(),
                                         Temporal("2017.08.08T00:00:00.000").int_value()});
  EXPECT_EQ(PathsOf(SplitOk(*dates, {timestamps})),
            (std::vector<std::string>{"/20170807", "/20170808"}));

  auto ranges = MakeOk(PartitionType::kRange, Vec(IntColumn({0, 50, 100})));
  EXPECT_EQ(PathsOf(SplitOk(*ranges, {Column(Type::kLong, std::vector<int64_t>{7, 70})})),
            (std::vector<std::string>{"/0_50", "/50_100"}));
  EXPECT_EQ(PathsOf(SplitOk(*ranges, {Column(Type::kChar, std::vector<int8_t>{7})})),
            std::vector<std::string>{"/0_50"});
  Status too_big = SplitStatus(*ranges, {Column(Type::kLong, std::vector<int64_t>{5000000000})});
  EXPECT_NE(too_big.message().find("5000000000"), std::string::npos) << too_big.message();
  Status wrong = SplitStatus(*ranges, {Column(Type::kDouble, std::vector<double>{1})});
  EXPECT_NE(wrong.message().find("a DOUBLE column cannot be partitioned"), std::string::npos)
      << wrong.message();
}

TEST(SplitTest, ChecksItsColumns) {
  auto scheme = CompoDb();
  EXPECT_NE(SplitStatus(*scheme, {DateColumn({0})}).message().find("one column per level"),
            std::string::npos);
  EXPECT_NE(
      SplitStatus(*scheme, {DateColumn({0}), IntColumn({1, 2})}).message().find("equal length"),
      std::string::npos);
  EXPECT_TRUE(SplitOk(*scheme, {DateColumn({}), IntColumn({})}).empty());
}

TEST(SplitTest, MatchesRowByRowNamingOnRandomData) {
  const unsigned seed = std::random_device{}();
  std::printf("MatchesRowByRowNamingOnRandomData seed=%u\n", seed);
  std::mt19937 random(seed);
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"s0"}))));
  levels.push_back(MakeOk(PartitionType::kHash, Vec(IntColumn({4, 7}))));
  levels.push_back(MakeOk(PartitionType::kRange, Vec(IntColumn({-1000, -10, 0, 10, 1000}))));
  auto scheme = std::move(PartitionScheme::MakeCompo(std::move(levels))).value();
  const size_t rows = 5000;
  std::vector<std::string> symbols;
  std::vector<int32_t> keys, ranged;
  for (size_t row = 0; row < rows; ++row) {
    symbols.push_back("s" + std::to_string(random() % 30));
    keys.push_back(static_cast<int32_t>(random() % 2000) - 1000);
    ranged.push_back(static_cast<int32_t>(random() % 2000) - 1000);
  }
  auto groups =
      SplitOk(*scheme, {Strings(Type::kSymbol, symbols), IntColumn(keys), IntColumn(ranged)});
  auto by_row = PathByRow(groups, rows);
  const std::vector<int32_t> bounds = {-1000, -10, 0, 10, 1000};
  for (size_t row = 0; row < rows; ++row) {
    size_t r = std::upper_bound(bounds.begin(), bounds.end(), ranged[row]) - bounds.begin() - 1;
    std::string expected = "/" + symbols[row] + "/Key" + std::to_string(((keys[row] % 7) + 7) % 7) +
                           "/" + std::to_string(bounds[r]) + "_" + std::to_string(bounds[r + 1]);
    ASSERT_EQ(by_row[row], expected) << "row " << row << " seed " << seed;
  }
  EXPECT_TRUE(std::is_sorted(groups.begin(), groups.end(),
                             [](const auto& a, const auto& b) { return a.path < b.path; }));
}

TEST(SplitTest, PrintsTimingForTenMillionRows) {
  const size_t rows = 10'000'000;
  std::mt19937 random(42);
  std::vector<int32_t> days(rows), ids(rows);
  for (size_t row = 0; row < rows; ++row) {
    days[row] = static_cast<int32_t>(random() % 5);
    ids[row] = static_cast<int32_t>(random() % 100);
  }
  auto scheme = CompoDb();
  std::vector<ColumnPtr> columns = {std::make_shared<const Column>(DateColumn(std::move(days))),
                                    std::make_shared<const Column>(IntColumn(std::move(ids)))};
  bool changed = false;
  auto start = std::chrono::steady_clock::now();
  auto groups = scheme->Split(columns, &changed);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ(groups->size(), 10u);
  std::printf("Split of %zu rows (COMPO VALUE DATE x RANGE INT): %.1f ms\n", rows,
              std::chrono::duration<double, std::milli>(elapsed).count());
}

}  // namespace
}  // namespace strata
