// Partition schemes: path validation, column types, filters, pruning (MayMatch and
// AlwaysMatches), JSON and cloning.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "partition/hash_scheme.h"
#include "partition/named_partitions.h"
#include "partition/partition_scheme.h"
#include "partition/partition_test_util.h"
#include "partition/path_component.h"
#include "partition/selection.h"
#include "types/temporal.h"

namespace strata {
namespace {

// ---- Paths, column types

TEST(ValidatePathTest, ChecksEveryLevel) {
  auto scheme = CompoDb();
  EXPECT_TRUE(scheme->ValidatePath("/20170807/0_50").ok());
  EXPECT_TRUE(scheme->ValidatePath("/20170901/50_100").ok());  // VALUE partitions are open-ended
  auto message = [&](std::string_view path) {
    Status status = scheme->ValidatePath(path);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << path;
    return status.message();
  };
  EXPECT_NE(message("20170807/0_50").find("begins with '/'"), std::string::npos);
  EXPECT_NE(message("/20170807").find("has 1 component but the database has 2 partition levels"),
            std::string::npos)
      << message("/20170807");
  EXPECT_NE(message("/20170807/0_60").find("component '0_60' of level 2"), std::string::npos)
      << message("/20170807/0_60");
  EXPECT_NE(message("/2017.08.07/0_50").find("such as '20170807'"), std::string::npos)
      << message("/2017.08.07/0_50");

  auto hash = MakeOk(PartitionType::kHash, Vec(IntColumn({4, 3})));
  EXPECT_TRUE(hash->ValidatePath("/Key2").ok());
  EXPECT_NE(hash->ValidatePath("/Key3").message().find("'Key0' to 'Key2'"), std::string::npos);
  auto list = MakeOk(PartitionType::kList, Vec(IntColumn({1, 2})));
  EXPECT_TRUE(list->ValidatePath("/List1").ok());
  EXPECT_FALSE(list->ValidatePath("/List2").ok());
}

TEST(CheckColumnTypeTest, AcceptsConvertibleTypesOnly) {
  auto scheme = CompoDb();
  EXPECT_TRUE(scheme->CheckColumnType(0, Type::kDate).ok());
  EXPECT_TRUE(scheme->CheckColumnType(0, Type::kTimestamp).ok());
  EXPECT_TRUE(scheme->CheckColumnType(0, Type::kNanoTimestamp).ok());
  EXPECT_TRUE(scheme->CheckColumnType(0, Type::kDateTime).ok());
  EXPECT_TRUE(scheme->CheckColumnType(1, Type::kLong).ok());
  EXPECT_TRUE(scheme->CheckColumnType(1, Type::kShort).ok());
  Status time_on_date = scheme->CheckColumnType(0, Type::kTime);
  EXPECT_NE(time_on_date.message().find("TIME"), std::string::npos);
  EXPECT_NE(time_on_date.message().find("DATE"), std::string::npos);
  Status double_on_int = scheme->CheckColumnType(1, Type::kDouble);
  EXPECT_EQ(double_on_int.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(double_on_int.message().find("CHAR, SHORT, INT or LONG"), std::string::npos);
  EXPECT_FALSE(scheme->CheckColumnType(1, Type::kString).ok());
  EXPECT_NE(scheme->CheckColumnType(2, Type::kInt).message().find("does not exist"),
            std::string::npos);
  auto symbols = MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"A"})));
  EXPECT_TRUE(symbols->CheckColumnType(0, Type::kString).ok());
  EXPECT_FALSE(symbols->CheckColumnType(0, Type::kInt).ok());
  auto times = MakeOk(PartitionType::kValue, Value(Temporal("13:30m")));
  EXPECT_TRUE(times->CheckColumnType(0, Type::kTimestamp).ok());
  EXPECT_FALSE(times->CheckColumnType(0, Type::kDate).ok());
}

// ---- Filters

TEST(SelectByFilterTest, CompoFiltersFollowTheSeedExamples) {
  auto scheme = CompoDb();
  const auto existing = CompoPaths();
  // [2017.08.07, 50]: a tuple, since its elements have different types.
  EXPECT_EQ(
      Select(*scheme, Value::MakeTuple({Value(Temporal("2017.08.07")), Value(Int(50))}), existing),
      std::vector<std::string>{"/20170807/50_100"});
  // (, [0]): every date, the range holding 0.
  EXPECT_EQ(Select(*scheme, Value::MakeTuple({Value(), Vec(IntColumn({0}))}), existing),
            (std::vector<std::string>{"/20170807/0_50", "/20170808/0_50", "/20170809/0_50",
                                      "/20170810/0_50", "/20170811/0_50"}));
  // A scalar filters the first level only.
  EXPECT_EQ(Select(*scheme, Value(Temporal("2017.08.09")), existing),
            (std::vector<std::string>{"/20170809/0_50", "/20170809/50_100"}));
  // A DATE vector also filters the first level only.
  EXPECT_EQ(Select(*scheme, Vec(DateColumn({4, 0})), existing),
            (std::vector<std::string>{"/20170807/0_50", "/20170807/50_100", "/20170811/0_50",
                                      "/20170811/50_100"}));
  // A TIMESTAMP selects the date holding it.
  EXPECT_EQ(Select(*scheme,
                   Value::MakeTuple(
                       {Value(Temporal("2017.08.08T12:00:00.000")), Vec(IntColumn({99, 1}))}),
                   existing),
            (std::vector<std::string>{"/20170808/0_50", "/20170808/50_100"}));
}

TEST(SelectByFilterTest, SelectsNothingWhenNothingMatches) {
  auto scheme = CompoDb();
  const auto existing = CompoPaths();
  EXPECT_TRUE(Select(*scheme, Value(Temporal("2017.09.01")), existing).empty());
  EXPECT_TRUE(Select(*scheme, Value::MakeTuple({Value(), Value(Int(150))}), existing).empty());
  EXPECT_TRUE(Select(*scheme, Value(Temporal("2017.08.07")), {}).empty());
  EXPECT_TRUE(Select(*scheme, Value(Scalar::Null(Type::kDate)), existing).empty());
  EXPECT_EQ(Select(*scheme, Value(), existing), existing);
}

TEST(SelectByFilterTest, RejectsMalformedFilters) {
  auto scheme = CompoDb();
  const auto existing = CompoPaths();
  auto message = [&](const Value& filter) {
    auto selection = PartitionSelection::FromValue(filter);
    Status status = selection.status();
    if (selection.ok()) status = ResolveSelection(*scheme, *selection, existing).status();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    return status.message();
  };
  EXPECT_NE(message(Value::MakeTuple({Value(), Value(), Value()}))
                .find("3 elements but the database has 2 partition levels"),
            std::string::npos);
  std::string wrong_type = message(Value(Scalar::String(Type::kString, "abc")));
  EXPECT_NE(wrong_type.find("'abc' (STRING) cannot select a partition of level 1"),
            std::string::npos)
      << wrong_type;
  EXPECT_NE(message(Value::MakeTuple({Value(), Value(Temporal("2017.08.07"))})).find("level 2"),
            std::string::npos);
  EXPECT_NE(message(Value::MakeDictionary({})).find("dictionary"), std::string::npos);
  EXPECT_NE(message(Value(Scalar::Float(Type::kDouble, 1.5))).find("DOUBLE"), std::string::npos);
}

TEST(SelectByFilterTest, SingleLevelSchemesSelectTheContainingPartition) {
  auto range = MakeOk(PartitionType::kRange, Vec(IntColumn({0, 50, 100})));
  const std::vector<std::string> ranges = {"/50_100", "/0_50"};
  EXPECT_EQ(Select(*range, Value(Int(50)), ranges), std::vector<std::string>{"/50_100"});
  EXPECT_EQ(Select(*range, Vec(IntColumn({3, 77})), ranges), ranges);  // existing order
  EXPECT_EQ(Select(*range, Value::MakeTuple({Value(Int(3)), Vec(IntColumn({4}))}), ranges),
            std::vector<std::string>{"/0_50"});

  auto hash = MakeOk(PartitionType::kHash, Vec(IntColumn({4, 10})));
  EXPECT_EQ(Select(*hash, Value(Int(23)), {"/Key2", "/Key3"}), std::vector<std::string>{"/Key3"});
  auto list =
      MakeOk(PartitionType::kList, Value::MakeTuple({Vec(Strings(Type::kSymbol, {"A", "B"})),
                                                     Vec(Strings(Type::kSymbol, {"C"}))}));
  EXPECT_EQ(Select(*list, Value(Scalar::String(Type::kString, "B")), {"/List0", "/List1"}),
            std::vector<std::string>{"/List0"});
  EXPECT_TRUE(Select(*list, Value(Sym("Z")), {"/List0", "/List1"}).empty());
  auto symbols = MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"A"})));
  EXPECT_EQ(Select(*symbols, Vec(Strings(Type::kString, {"A", "B"})), {"/A", "/B", "/C"}),
            (std::vector<std::string>{"/A", "/B"}));
}

// ---- Selection kinds and partition names

std::vector<std::string> Resolve(const PartitionScheme& scheme, const PartitionSelection& selection,
                                 const std::vector<std::string>& existing) {
  auto selected = ResolveSelection(scheme, selection, existing);
  EXPECT_TRUE(selected.ok()) << selected.status().ToString();
  return selected.ok() ? std::move(selected).value() : std::vector<std::string>();
}

// INT ranges p1 [0, 50), p2 [50, 100), p_3 [100, 150).
std::unique_ptr<PartitionScheme> NamedRanges() {
  std::vector<NamedRange> ranges = {
      {"p1", Int(0), Int(50)}, {"p2", Int(50), Int(100)}, {"p_3", Int(100), Int(150)}};
  auto made = MakeNamedRanges(Type::kInt, std::move(ranges));
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return std::move(made).value();
}

TEST(PartitionSelectionTest, AllAndPathsSelectExistingPartitions) {
  auto scheme = CompoDb();
  const auto existing = CompoPaths();
  EXPECT_EQ(Resolve(*scheme, PartitionSelection::All(), existing), existing);
  EXPECT_EQ(
      Resolve(*scheme, PartitionSelection::Paths({"/20170808/0_50", "/20170901/0_50"}), existing),
      std::vector<std::string>{"/20170808/0_50"});
  auto malformed = ResolveSelection(*scheme, PartitionSelection::Paths({"/20170808"}), existing);
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
  // The script's STRING value beginning with '/' is paths, and keeps its text for messages.
  auto from_value = PartitionSelection::FromValue(Vec(Strings(Type::kString, {"/20170807/0_50"})));
  ASSERT_TRUE(from_value.ok());
  EXPECT_EQ(from_value->kind(), PartitionSelection::Kind::kPaths);
  EXPECT_EQ(from_value->paths(), std::vector<std::string>{"/20170807/0_50"});
  EXPECT_EQ(from_value->text(), "[\"/20170807/0_50\"]");
}

TEST(PartitionSelectionTest, TypedFiltersSelectPerLevel) {
  auto scheme = CompoDb();
  const auto existing = CompoPaths();
  // Level 1 all, level 2 the range holding 60.
  auto selection = PartitionSelection::Filters({std::nullopt, std::vector<Scalar>{Int(60)}});
  EXPECT_EQ(Resolve(*scheme, selection, existing),
            (std::vector<std::string>{"/20170807/50_100", "/20170808/50_100", "/20170809/50_100",
                                      "/20170810/50_100", "/20170811/50_100"}));
  EXPECT_EQ(selection.text(), "filter (all, [60])");
}

TEST(PartitionNamesTest, RangeAndListPartitionsCarryNames) {
  auto ranges = NamedRanges();
  EXPECT_EQ(ranges->partition_names(), (std::vector<std::string>{"p1", "p2", "p_3"}));
  // A named partition's component is its name.
  EXPECT_EQ(ranges->ComponentNamed("p2"), std::optional<std::string>("p2"));
  EXPECT_EQ(ranges->ComponentNamed("50_100"), std::nullopt);
  EXPECT_EQ(ranges->PartitionName("/p_3"), "p_3");
  const std::vector<std::string> existing = {"/p1", "/p2", "/p_3"};
  EXPECT_EQ(Resolve(*ranges, PartitionSelection::Names({"p_3", "p1"}), existing),
            (std::vector<std::string>{"/p1", "/p_3"}));
  auto unknown = ResolveSelection(*ranges, PartitionSelection::Names({"p9"}), existing);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("partition 'p9' does not exist; the partitions are "
                                            "p1, p2, p_3"),
            std::string::npos)
      << unknown.status().message();

  std::vector<NamedList> cities = {{"p_cn", {Sym("Beijing"), Sym("Shanghai")}},
                                   {"p_jp", {Sym("Tokyo")}}};
  auto lists = MakeNamedLists(Type::kString, std::move(cities));
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  EXPECT_EQ((*lists)->ComponentNamed("p_jp"), std::optional<std::string>("p_jp"));
  EXPECT_EQ(Resolve(**lists, PartitionSelection::Names({"p_jp"}), {"/p_cn", "/p_jp"}),
            std::vector<std::string>{"/p_jp"});
}

TEST(PartitionNamesTest, NamesSurviveJsonAndCloneAndUnnamedJsonIsUnchanged) {
  auto ranges = NamedRanges();
  ExpectJsonRoundTrip(*ranges);
  auto decoded = PartitionScheme::FromJson(ParseJson(DumpJson(ranges->ToJson()), "test").value());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ((*decoded)->partition_names(), ranges->partition_names());
  EXPECT_EQ(ranges->Clone()->PartitionName("/p1"), "p1");
  EXPECT_EQ(ranges->Clone()->partition_names(), ranges->partition_names());
  // Unnamed schemes write what they always wrote, so catalogs and manifests keep their form.
  auto unnamed = MakeOk(PartitionType::kRange, Vec(IntColumn({0, 50, 100, 150})));
  EXPECT_EQ(DumpJson(unnamed->ToJson()),
            R"({"boundaries":["0","50","100","150"],"format_version":1,"type":"RANGE",)"
            R"("value_type":"INT"})");
  // The earlier value-named form ("names" beside "boundaries") is refused, not read unnamed.
  nlohmann::json legacy = unnamed->ToJson();
  legacy["names"] = nlohmann::json::array({"p1", "p2", "p3"});
  auto refused = PartitionScheme::FromJson(legacy);
  EXPECT_EQ(refused.status().code(), StatusCode::kCorruption);
  EXPECT_NE(refused.status().message().find("'names'"), std::string::npos);
}

TEST(PartitionNamesTest, UnnamedLevelsAnswerToTheirComponents) {
  auto scheme = CompoDb();
  const auto existing = CompoPaths();
  EXPECT_EQ(scheme->ComponentNamed("20170808"), std::optional<std::string>("20170808"));
  EXPECT_EQ(scheme->PartitionName("/20170808/0_50"), "20170808");
  EXPECT_TRUE(scheme->partition_names().empty());
  EXPECT_EQ(Resolve(*scheme, PartitionSelection::Names({"20170808"}), existing),
            (std::vector<std::string>{"/20170808/0_50", "/20170808/50_100"}));
  auto unknown = ResolveSelection(*scheme, PartitionSelection::Names({"p1"}), existing);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("the partitions are 20170807, 20170808"),
            std::string::npos)
      << unknown.status().message();
  // A COMPO scheme's names are its first level's.
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(NamedRanges());
  levels.push_back(MakeOk(PartitionType::kHash, Vec(IntColumn({4, 2}))));
  auto compo = PartitionScheme::MakeCompo(std::move(levels));
  ASSERT_TRUE(compo.ok());
  EXPECT_EQ(
      Resolve(**compo, PartitionSelection::Names({"p2"}), {"/p1/Key0", "/p2/Key0", "/p2/Key1"}),
      (std::vector<std::string>{"/p2/Key0", "/p2/Key1"}));
  EXPECT_EQ((*compo)->PartitionName("/p2/Key1"), "p2");
  ExpectJsonRoundTrip(**compo);
}

TEST(PartitionNamesTest, BadNamesAreRefused) {
  auto make = [](std::vector<std::string> names) {
    std::vector<NamedRange> ranges;
    for (size_t i = 0; i < names.size(); ++i) {
      ranges.push_back(
          {names[i], Int(static_cast<int64_t>(i) * 10), Int(static_cast<int64_t>(i) * 10 + 10)});
    }
    return MakeNamedRanges(Type::kInt, std::move(ranges)).status();
  };
  EXPECT_TRUE(make({"p1"}).ok());
  EXPECT_NE(make({}).message().find("needs 1 to"), std::string::npos);
  EXPECT_NE(make({"p1", "p1"}).message().find("'p1' is given twice"), std::string::npos);
  EXPECT_NE(make({"p1", "P1"}).message().find("'P1' is given twice (as 'p1')"), std::string::npos);
  EXPECT_NE(make({"p1", "1p"}).message().find("'1p' is not valid"), std::string::npos);
  EXPECT_NE(make({"p1", "a/b"}).message().find("not valid"), std::string::npos);
  EXPECT_NE(make({"p1", ".."}).message().find("not valid"), std::string::npos);
  EXPECT_NE(make({"p1", ""}).message().find("not valid"), std::string::npos);
  EXPECT_NE(make({"p1", std::string(65, 'x')}).message().find("at most 64"), std::string::npos);
  EXPECT_TRUE(make({"p1", std::string(64, 'x')}).ok());
}

// ---- Pruning

TEST(MayMatchTest, ValueLevelsCompareTheirValue) {
  auto scheme = CompoDb();
  const Scalar d9 = Temporal("2017.08.09");
  EXPECT_TRUE(scheme->MayMatch("/20170809/0_50", 0, Pred(Op::kEq, {d9})));
  EXPECT_FALSE(scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kEq, {d9})));
  EXPECT_FALSE(scheme->MayMatch("/20170809/0_50", 0, Pred(Op::kLt, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kLt, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170809/0_50", 0, Pred(Op::kLe, {d9})));
  EXPECT_FALSE(scheme->MayMatch("/20170810/0_50", 0, Pred(Op::kLe, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170810/0_50", 0, Pred(Op::kGt, {d9})));
  EXPECT_FALSE(scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kGt, {d9})));
  EXPECT_FALSE(scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kGe, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kIn, {d9, Temporal("2017.08.08")})));
  EXPECT_FALSE(scheme->MayMatch("/20170807/0_50", 0, Pred(Op::kIn, {d9, Temporal("2017.08.08")})));
  EXPECT_TRUE(
      scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kBetween, {Temporal("2017.08.08"), d9})));
  EXPECT_FALSE(
      scheme->MayMatch("/20170810/0_50", 0, Pred(Op::kBetween, {Temporal("2017.08.08"), d9})));
  // The column may be finer than the level (TIMESTAMP rows in DATE partitions).
  const Scalar noon = Temporal("2017.08.09T12:00:00.000");
  EXPECT_TRUE(scheme->MayMatch("/20170809/0_50", 0, Pred(Op::kLt, {noon})));
  EXPECT_TRUE(scheme->MayMatch("/20170809/0_50", 0, Pred(Op::kGt, {noon})));
  EXPECT_FALSE(scheme->MayMatch("/20170810/0_50", 0, Pred(Op::kLt, {noon})));
  EXPECT_FALSE(scheme->MayMatch("/20170808/0_50", 0, Pred(Op::kGe, {noon})));
  EXPECT_TRUE(scheme->MayMatch("/20170809/0_50", 0, Pred(Op::kNe, {d9})));

  auto ints = MakeOk(PartitionType::kValue, Vec(IntColumn({5})));
  EXPECT_FALSE(ints->MayMatch("/5", 0, Pred(Op::kNe, {Int(5)})));
  EXPECT_FALSE(ints->MayMatch("/5", 0, Pred(Op::kGt, {Int(5)})));
  EXPECT_TRUE(ints->MayMatch("/5", 0, Pred(Op::kGt, {Scalar::Int(Type::kLong, 4)})));
  auto symbols = MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"IBM"})));
  EXPECT_FALSE(symbols->MayMatch("/IBM", 0, Pred(Op::kEq, {Sym("MSFT")})));
  EXPECT_TRUE(symbols->MayMatch("/IBM", 0, Pred(Op::kLt, {Sym("MSFT")})));
}

TEST(MayMatchTest, RangeHashAndListLevels) {
  auto scheme = CompoDb();
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 1, Pred(Op::kEq, {Int(49)})));
  EXPECT_FALSE(scheme->MayMatch("/20170807/0_50", 1, Pred(Op::kEq, {Int(50)})));
  EXPECT_FALSE(scheme->MayMatch("/20170807/0_50", 1, Pred(Op::kGt, {Int(49)})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 1, Pred(Op::kGe, {Int(49)})));
  EXPECT_FALSE(scheme->MayMatch("/20170807/50_100", 1, Pred(Op::kLt, {Int(50)})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/50_100", 1, Pred(Op::kLe, {Int(50)})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/50_100", 1, Pred(Op::kNe, {Int(50)})));

  auto hash = MakeOk(PartitionType::kHash, Vec(IntColumn({4, 10})));
  EXPECT_TRUE(hash->MayMatch("/Key3", 0, Pred(Op::kEq, {Int(13)})));
  EXPECT_FALSE(hash->MayMatch("/Key4", 0, Pred(Op::kEq, {Int(13)})));
  EXPECT_TRUE(hash->MayMatch("/Key4", 0, Pred(Op::kLt, {Int(13)})));  // unsure: true
  EXPECT_TRUE(hash->MayMatch("/Key4", 0, Pred(Op::kIn, {Int(13), Int(24)})));

  auto list = MakeOk(PartitionType::kList,
                     Value::MakeTuple({Vec(IntColumn({1, 2})), Vec(IntColumn({10}))}));
  EXPECT_TRUE(list->MayMatch("/List0", 0, Pred(Op::kEq, {Int(2)})));
  EXPECT_FALSE(list->MayMatch("/List1", 0, Pred(Op::kEq, {Int(2)})));
  EXPECT_FALSE(list->MayMatch("/List0", 0, Pred(Op::kGt, {Int(5)})));
  EXPECT_FALSE(list->MayMatch("/List1", 0, Pred(Op::kNe, {Int(10)})));
}

TEST(MayMatchTest, IsConservativeWhenUnsure) {
  auto scheme = CompoDb();
  const Scalar d9 = Temporal("2017.08.09");
  EXPECT_TRUE(scheme->MayMatch("bad path", 0, Pred(Op::kEq, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170807", 0, Pred(Op::kEq, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 5, Pred(Op::kEq, {d9})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 0, Pred(Op::kEq, {Int(3)})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 0, Pred(Op::kEq, {Scalar::Null(Type::kDate)})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 0, Pred(Op::kEq, {})));
  EXPECT_TRUE(
      scheme->MayMatch("/20170807/0_50", 1, Pred(Op::kEq, {Scalar::Float(Type::kDouble, 1)})));
  EXPECT_TRUE(scheme->MayMatch("/20170807/7_8", 1, Pred(Op::kEq, {Int(3)})));
}

// ---- JSON, Clone

TEST(JsonTest, EveryKindRoundTrips) {
  ExpectJsonRoundTrip(*CompoDb());
  ExpectJsonRoundTrip(*MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"A", " b "}))));
  // Values that are not UTF-8 (Latin-1, a lone 0xFF) are stored as {"bytes_hex": ...}.
  ExpectJsonRoundTrip(
      *MakeOk(PartitionType::kValue, Vec(Strings(Type::kSymbol, {"M\xfcnchen", "\xff"}))));
  ExpectJsonRoundTrip(*MakeOk(PartitionType::kValue, Value(Temporal("13:30:10.008"))));
  ExpectJsonRoundTrip(*MakeOk(PartitionType::kValue, Value(Temporal("2017.08.07T10:00:00"))));
  ExpectJsonRoundTrip(*MakeOk(PartitionType::kRange, Vec(IntColumn({-10, 0, 50}))));
  ExpectJsonRoundTrip(*MakeOk(PartitionType::kRange,
                              Vec(Column(Type::kMonth, std::vector<int32_t>{24000, 24012}))));
  ExpectJsonRoundTrip(*MakeOk(PartitionType::kHash, Vec(IntColumn({18, 16}))));
  ExpectJsonRoundTrip(*MakeOk(
      PartitionType::kList, Value::MakeTuple({Vec(Column(Type::kChar, std::vector<int8_t>{1, 2})),
                                              Vec(Column(Type::kChar, std::vector<int8_t>{-3}))})));
  auto grown = CompoDb();
  SplitOk(*grown, {DateColumn({30}), IntColumn({1})});
  ExpectJsonRoundTrip(*grown);
  auto decoded = PartitionScheme::FromJson(grown->ToJson());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(PathsOf(SplitOk(**decoded, {DateColumn({30, 0}), IntColumn({1, 60})})),
            (std::vector<std::string>{"/20170807/50_100", "/20170906/0_50"}));
  EXPECT_EQ(CompoDb()->ToJson()["levels"][0],
            nlohmann::json::parse(R"({"format_version":1,"type":"VALUE","value_type":"DATE",
              "values":["2017.08.07","2017.08.08","2017.08.09","2017.08.10","2017.08.11"]})"));
}

TEST(JsonTest, DamagedJsonIsCorruption) {
  auto expect_corruption = [](const char* text) {
    auto decoded = PartitionScheme::FromJson(nlohmann::json::parse(text));
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << text;
    EXPECT_NE(decoded.status().message().find("partition scheme JSON"), std::string::npos);
  };
  expect_corruption("[]");
  expect_corruption(R"({"type":"SEQ"})");
  expect_corruption(R"({"format_version":2,"type":"VALUE","value_type":"INT","values":["1"]})");
  expect_corruption(R"({"format_version":1,"type":"VALUE","value_type":"INT"})");
  expect_corruption(R"({"format_version":1,"type":"VALUE","value_type":"INT","values":["x"]})");
  expect_corruption(R"({"format_version":1,"type":"VALUE","value_type":"INT","values":[1]})");
  expect_corruption(R"({"format_version":1,"type":"VALUE","value_type":"DOUBLE","values":["1"]})");
  expect_corruption(R"({"format_version":1,"type":"RANGE","value_type":"INT","values":["1"]})");
  expect_corruption(R"({"format_version":1,"type":"RANGE","value_type":"INT",
                        "boundaries":["5","1"]})");
  expect_corruption(R"({"format_version":1,"type":"HASH","value_type":"INT","buckets":"10"})");
  expect_corruption(R"({"format_version":1,"type":"HASH","value_type":"INT","buckets":0})");
  expect_corruption(R"({"format_version":1,"type":"LIST","value_type":"INT","lists":[["1"],
                        ["1"]]})");
  expect_corruption(R"({"format_version":1,"type":"COMPO","levels":[
                        {"format_version":1,"type":"HASH","value_type":"INT","buckets":3}]})");
  expect_corruption(R"({"format_version":1,"type":"COMPO","levels":{}})");
}

TEST(CloneTest, ClonesAreIndependent) {
  auto original = CompoDb();
  auto clone = original->Clone();
  SplitOk(*original, {DateColumn({30}), IntColumn({1})});
  EXPECT_EQ(original->Describe(), "COMPO(VALUE DATE 6 values, RANGE INT 2 ranges)");
  EXPECT_EQ(clone->Describe(), "COMPO(VALUE DATE 5 values, RANGE INT 2 ranges)");
  EXPECT_EQ(clone->ToJson(), CompoDb()->ToJson());
  auto single = MakeOk(PartitionType::kHash, Vec(IntColumn({4, 3})));
  EXPECT_EQ(single->Clone()->ToJson(), single->ToJson());
}

// ---- AlwaysMatches: the converse of pruning, used to skip conditions a partition proves.

TEST(AlwaysMatchesTest, ValueAndRangeLevelsProveWholePartitions) {
  using Op = LevelPredicate::Op;
  auto pred = [](Op op, std::vector<Scalar> values) {
    return LevelPredicate{op, std::move(values)};
  };
  auto date = [](const char* text) { return *ParseTemporal(text); };
  auto i = [](int64_t v) { return Scalar::Int(Type::kInt, v); };
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  Column dates(Type::kDate);
  for (const char* d : {"2017.08.07", "2017.08.08"}) dates.Append(date(d));
  levels.push_back(*PartitionScheme::Make(PartitionType::kValue, Value::Vector(dates)));
  levels.push_back(*PartitionScheme::Make(
      PartitionType::kRange, Value::Vector(Column(Type::kInt, std::vector<int32_t>{0, 50, 100}))));
  auto scheme = *PartitionScheme::MakeCompo(std::move(levels));

  EXPECT_TRUE(scheme->AlwaysMatches("/20170807/0_50", 0, pred(Op::kEq, {date("2017.08.07")})));
  EXPECT_FALSE(scheme->AlwaysMatches("/20170808/0_50", 0, pred(Op::kEq, {date("2017.08.07")})));
  EXPECT_TRUE(scheme->AlwaysMatches("/20170808/0_50", 0, pred(Op::kGt, {date("2017.08.07")})));
  EXPECT_TRUE(scheme->AlwaysMatches("/20170808/0_50", 0,
                                    pred(Op::kIn, {date("2017.08.01"), date("2017.08.08")})));
  // A value that is not exactly a level value proves nothing.
  EXPECT_FALSE(
      scheme->AlwaysMatches("/20170807/0_50", 0, pred(Op::kLt, {date("2017.08.07T12:00:00.000")})));
  // RANGE [0, 50) is all of ID < 50, some of ID < 49, all of ID between 0 and 49.
  EXPECT_TRUE(scheme->AlwaysMatches("/20170807/0_50", 1, pred(Op::kLt, {i(50)})));
  EXPECT_FALSE(scheme->AlwaysMatches("/20170807/0_50", 1, pred(Op::kLt, {i(49)})));
  EXPECT_TRUE(scheme->AlwaysMatches("/20170807/50_100", 1, pred(Op::kGe, {i(50)})));
  EXPECT_TRUE(scheme->AlwaysMatches("/20170807/0_50", 1, pred(Op::kBetween, {i(0), i(49)})));
  EXPECT_FALSE(scheme->AlwaysMatches("/20170807/0_50", 1, pred(Op::kEq, {i(7)})));
  // Every proof implies the partition may match.
  EXPECT_TRUE(scheme->MayMatch("/20170807/0_50", 1, pred(Op::kLt, {i(50)})));
}

TEST(AlwaysMatchesTest, HashAndListLevelsNeverProve) {
  using Op = LevelPredicate::Op;
  auto hash = *PartitionScheme::Make(PartitionType::kHash,
                                     Value::Vector(Column(Type::kInt, std::vector<int32_t>{4, 2})));
  EXPECT_FALSE(
      hash->AlwaysMatches("/Key0", 0, LevelPredicate{Op::kGe, {Scalar::Int(Type::kInt, 0)}}));
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(AdmitPathTest, ValueLevelsAddTheValueOtherLevelsOnlyValidate) {
  auto scheme = CompoDb();
  // Already a partition: nothing changes.
  auto same = scheme->AdmitPath("/20170807/0_50");
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_FALSE(*same);
  nlohmann::json before = scheme->ToJson();
  // A new date joins the VALUE level; the RANGE level is unchanged.
  auto grown = scheme->AdmitPath("/20170901/50_100");
  ASSERT_TRUE(grown.ok()) << grown.status().ToString();
  EXPECT_TRUE(*grown);
  EXPECT_NE(scheme->ToJson(), before);
  EXPECT_TRUE(scheme->ValidatePath("/20170901/0_50").ok());
  auto again = scheme->AdmitPath("/20170901/0_50");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  // A range the scheme lacks, or a malformed path, is refused without change.
  nlohmann::json grown_json = scheme->ToJson();
  auto bad_range = scheme->AdmitPath("/20170807/0_100");
  ASSERT_FALSE(bad_range.ok());
  EXPECT_NE(bad_range.status().message().find("0_100"), std::string::npos);
  EXPECT_FALSE(scheme->AdmitPath("/20170807").ok());
  EXPECT_FALSE(scheme->AdmitPath("/notadate/0_50").ok());
  EXPECT_EQ(scheme->ToJson(), grown_json);
}

}  // namespace
}  // namespace strata
