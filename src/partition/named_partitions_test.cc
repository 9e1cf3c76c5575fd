// Named RANGE and LIST partitions (Doris tables): building, splitting, paths, ADD/DROP, JSON and
// pruning.
#include "partition/named_partitions.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "base/json.h"
#include "partition/layout_check.h"
#include "partition/partition_test_util.h"

namespace strata {
namespace {

Scalar Date(const char* text) { return Temporal(text); }
int32_t Days(const char* text) { return static_cast<int32_t>(Temporal(text).int_value()); }
Scalar Long(int64_t v) { return Scalar::Int(Type::kLong, v); }

template <typename T>
std::unique_ptr<PartitionScheme> Ok(Result<T> made) {
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return made.ok() ? std::move(made).value() : nullptr;
}

// The spec's example: p1 LESS THAN 2020-02-01, p2 [2020-02-01, 2020-03-01), p3 LESS THAN
// MAXVALUE.
std::unique_ptr<PartitionScheme> SpecRanges() {
  return Ok(MakeNamedRanges(Type::kDate, {{"p1", std::nullopt, Date("2020.02.01")},
                                          {"p2", Date("2020.02.01"), Date("2020.03.01")},
                                          {"p3", Date("2020.03.01"), std::nullopt}}));
}

// `first` × HASH(INT) 8 buckets: Doris's `DISTRIBUTED BY HASH(k2) BUCKETS 8`.
std::unique_ptr<PartitionScheme> WithBuckets(std::unique_ptr<PartitionScheme> first) {
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(std::move(first));
  levels.push_back(MakeOk(PartitionType::kHash, Vec(IntColumn({4, 8}))));
  return Ok(PartitionScheme::MakeCompo(std::move(levels)));
}

Column Dates(std::vector<const char*> texts) {
  std::vector<int32_t> days;
  for (const char* text : texts) days.push_back(text == nullptr ? INT32_MIN : Days(text));
  return Column(Type::kDate, std::move(days));
}

std::vector<std::string> NamesOf(const std::vector<NamedPartition>& partitions) {
  std::vector<std::string> names;
  for (const NamedPartition& partition : partitions) names.push_back(partition.name);
  return names;
}

bool Contains(const Status& status, std::string_view text) {
  return status.message().find(text) != std::string::npos;
}

TEST(NamedRangesTest, SpecExampleSplitsIntoNamedPathsWithBuckets) {
  auto scheme = WithBuckets(SpecRanges());
  ASSERT_NE(scheme, nullptr);
  auto groups = SplitOk(*scheme, {Dates({"2020.01.05", "2020.02.01", "2020.02.29", "2020.03.01",
                                         "1900.01.01", "9999.12.31", "0001.01.01"}),
                                  IntColumn({1, 2, 3, 4, -3, 13, 8})});
  EXPECT_EQ(PathByRow(groups, 7),
            (std::vector<std::string>{"/p1/Key1", "/p2/Key2", "/p2/Key3", "/p3/Key4", "/p1/Key5",
                                      "/p3/Key5", "/p1/Key0"}));
  EXPECT_TRUE(scheme->ValidatePath("/p2/Key7").ok());
  EXPECT_EQ(scheme->PartitionName("/p2/Key7"), "p2");
  EXPECT_EQ(scheme->ComponentNamed("p3"), std::optional<std::string>("p3"));
  EXPECT_EQ(scheme->partition_names(), (std::vector<std::string>{"p1", "p2", "p3"}));
  EXPECT_EQ(scheme->Describe(), "COMPO(RANGE DATE 3 named ranges, HASH INT 8 buckets)");
  // A finer column converts first: a TIMESTAMP on 2020-02-29 23:59 lands in p2.
  auto timestamp = Temporal("2020.02.29T23:59:59.999");
  ASSERT_EQ(timestamp.type(), Type::kTimestamp);
  auto fine = SplitOk(
      *scheme,
      {Column(Type::kTimestamp, std::vector<int64_t>{timestamp.int_value()}), IntColumn({0})});
  EXPECT_EQ(PathsOf(fine), std::vector<std::string>{"/p2/Key0"});
}

TEST(NamedRangesTest, GapsNullsAndOutsideValuesFitNoPartition) {
  auto gapped =
      Ok(MakeNamedRanges(Type::kInt, {{"p_b", Int(20), Int(30)}, {"p_a", Int(0), Int(10)}}));
  EXPECT_EQ(PathByRow(SplitOk(*gapped, {IntColumn({0, 9, 20, 29})}), 4),
            (std::vector<std::string>{"/p_a", "/p_a", "/p_b", "/p_b"}));
  for (int32_t outside : {10, 15, 19, 30, -1, INT32_MAX}) {
    Status status = SplitStatus(*gapped, {IntColumn({5, outside})});
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(status, "value " + std::to_string(outside) +
                                     " of partition column 1 fits no partition of RANGE scheme "
                                     "(p_a [0, 10), p_b [20, 30))"))
        << status.message();
  }
  Status null = SplitStatus(*gapped, {IntColumn({5, INT32_MIN})});
  EXPECT_TRUE(Contains(null, "partition column 1 is NULL at row index 1")) << null.message();
  // NULL is the storage minimum, yet never lands in a range unbounded below.
  auto spec = WithBuckets(SpecRanges());
  Status null_date = SplitStatus(*spec, {Dates({"2020.01.05", nullptr}), IntColumn({1, 2})});
  EXPECT_TRUE(Contains(null_date, "partition column 1 is NULL at row index 1"))
      << null_date.message();
  // Filters: a value in a gap selects nothing; far values select the unbounded ends.
  EXPECT_EQ(Select(*gapped, Vec(IntColumn({15})), {"/p_a", "/p_b"}), std::vector<std::string>{});
  EXPECT_EQ(Select(*gapped, Vec(IntColumn({25, 3})), {"/p_a", "/p_b"}),
            (std::vector<std::string>{"/p_a", "/p_b"}));
  const std::vector<std::string> existing = {"/p1/Key0", "/p2/Key0", "/p3/Key0", "/p3/Key1"};
  EXPECT_EQ(Select(*spec, Vec(Dates({"1000.01.01"})), existing),
            std::vector<std::string>{"/p1/Key0"});
  EXPECT_EQ(
      Select(*spec, Value::MakeTuple({Vec(Dates({"9000.01.01"})), Vec(IntColumn({9}))}), existing),
      std::vector<std::string>{"/p3/Key1"});
}

TEST(NamedRangesTest, BadRangesAreRefusedNamingTheProblem) {
  auto status = [](Type type, std::vector<NamedRange> ranges) {
    return MakeNamedRanges(type, std::move(ranges)).status();
  };
  Status overlap = status(
      Type::kInt, {{"p1", Int(0), Int(20)}, {"p2", Int(20), Int(40)}, {"p3", Int(30), Int(50)}});
  EXPECT_EQ(overlap.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(overlap, "partition p3 [30, 50) overlaps partition p2 [20, 40)"))
      << overlap.message();
  Status unbounded =
      status(Type::kInt, {{"p1", std::nullopt, Int(10)}, {"p0", std::nullopt, Int(5)}});
  EXPECT_TRUE(
      Contains(unbounded, "partition p0 [MINVALUE, 5) overlaps partition p1 [MINVALUE, 10)"))
      << unbounded.message();
  Status maxvalue = status(Type::kInt, {{"p9", Int(100), std::nullopt}, {"p1", Int(0), Int(200)}});
  EXPECT_TRUE(Contains(maxvalue, "partition p1 [0, 200) overlaps partition p9 [100, MAXVALUE)"))
      << maxvalue.message();
  EXPECT_TRUE(Contains(status(Type::kInt, {{"p1", Int(5), Int(5)}}), "p1 [5, 5) is empty"));
  EXPECT_TRUE(Contains(status(Type::kInt, {{"p1", Int(6), Int(5)}}), "is empty"));
  EXPECT_TRUE(Contains(status(Type::kInt, {{"p1", Scalar::Null(Type::kInt), Int(5)}}),
                       "the lower bound of partition 'p1' is NULL"));
  EXPECT_TRUE(Contains(status(Type::kInt, {{"p1", Int(0), Scalar()}}),
                       "the upper bound of partition 'p1' is NULL"));
  EXPECT_TRUE(Contains(status(Type::kString, {{"p1", std::nullopt, Sym("M")}}),
                       "RANGE partitions cannot hold STRING values"));
  EXPECT_TRUE(
      Contains(status(Type::kDouble, {{"p1", std::nullopt, std::nullopt}}), "cannot hold DOUBLE"));
  EXPECT_TRUE(Contains(status(Type::kInt, {}), "needs 1 to"));
  EXPECT_TRUE(Contains(status(Type::kInt, {{"p1", Long(int64_t{1} << 40), std::nullopt}}),
                       "1099511627776 is out of the range of INT"));
  EXPECT_TRUE(Contains(status(Type::kDate, {{"p1", Sym("2020-01-01"), std::nullopt}}),
                       "is not a DATE value"));
  // Exact conversions are taken: INT bounds of a LONG level, a midnight DATETIME of a DATE one.
  EXPECT_TRUE(status(Type::kLong, {{"p1", Int(0), Int(10)}}).ok());
  EXPECT_TRUE(status(Type::kDate, {{"p1", Temporal("2020.01.01T00:00:00"), std::nullopt}}).ok());
  EXPECT_TRUE(Contains(status(Type::kDate, {{"p1", Temporal("2020.01.01T10:00:00"), std::nullopt}}),
                       "is not a DATE value"));
  // One unbounded range covers everything.
  EXPECT_TRUE(status(Type::kInt, {{"p_all", std::nullopt, std::nullopt}}).ok());
}

TEST(NamedRangesTest, IntegerExtremesAtUnboundedEnds) {
  constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
  constexpr int64_t kLeast64 = std::numeric_limits<int64_t>::min() + 1;
  auto longs = Ok(MakeNamedRanges(Type::kLong, {{"lo", std::nullopt, Long(kLeast64 + 1)},
                                                {"mid", Long(kLeast64 + 1), Long(kMax64)},
                                                {"hi", Long(kMax64), std::nullopt}}));
  auto column =
      Column(Type::kLong, std::vector<int64_t>{kLeast64, kLeast64 + 1, 0, kMax64 - 1, kMax64});
  EXPECT_EQ(PathByRow(SplitOk(*longs, {column}), 5),
            (std::vector<std::string>{"/lo", "/mid", "/mid", "/mid", "/hi"}));
  Status null = SplitStatus(*longs, {Column(Type::kLong, std::vector<int64_t>{INT64_MIN})});
  EXPECT_TRUE(Contains(null, "is NULL")) << null.message();
  EXPECT_TRUE(longs->MayMatch("/hi", 0, Pred(Op::kGt, {Long(kMax64 - 1)})));
  EXPECT_FALSE(longs->MayMatch("/mid", 0, Pred(Op::kGt, {Long(kMax64 - 1)})));
  EXPECT_TRUE(longs->AlwaysMatches("/hi", 0, Pred(Op::kEq, {Long(kMax64)})));
  EXPECT_TRUE(longs->AlwaysMatches("/lo", 0, Pred(Op::kLt, {Long(kLeast64 + 1)})));
  EXPECT_FALSE(longs->MayMatch("/lo", 0, Pred(Op::kGe, {Long(kLeast64 + 1)})));
  ExpectJsonRoundTrip(*longs);
  // [0, INT64_MAX) stops just short of INT64_MAX.
  auto below_max = Ok(MakeNamedRanges(Type::kLong, {{"p", Long(0), Long(kMax64)}}));
  Status at_max = SplitStatus(*below_max, {Column(Type::kLong, std::vector<int64_t>{kMax64})});
  EXPECT_TRUE(Contains(at_max, "fits no partition")) << at_max.message();

  auto ints =
      Ok(MakeNamedRanges(Type::kInt, {{"lo", std::nullopt, Int(0)}, {"hi", Int(0), std::nullopt}}));
  EXPECT_EQ(PathByRow(SplitOk(*ints, {IntColumn({INT32_MIN + 1, -1, 0, INT32_MAX})}), 4),
            (std::vector<std::string>{"/lo", "/lo", "/hi", "/hi"}));
  EXPECT_TRUE(Contains(SplitStatus(*ints, {IntColumn({INT32_MIN})}), "is NULL"));
  // A LONG filter beyond INT selects nothing, not the MAXVALUE partition.
  EXPECT_EQ(Select(*ints, Vec(Column(Type::kLong, std::vector<int64_t>{int64_t{1} << 40})),
                   {"/lo", "/hi"}),
            std::vector<std::string>{});
  EXPECT_TRUE(ints->AlwaysMatches("/hi", 0, Pred(Op::kGe, {Int(0)})));
  EXPECT_TRUE(ints->AlwaysMatches("/lo", 0, Pred(Op::kLe, {Int(-1)})));
  EXPECT_FALSE(ints->MayMatch("/lo", 0, Pred(Op::kGt, {Int(-1)})));
  EXPECT_TRUE(ints->MayMatch("/lo", 0, Pred(Op::kLt, {Int(INT32_MIN + 2)})));
}

// Random gapped ranges against a row-by-row scan: Split, filters and MayMatch all agree with
// "the one range whose bounds hold the value".
TEST(NamedRangesTest, MatchesARowByRowScanOnRandomRanges) {
  const uint32_t seed = std::random_device{}();
  std::printf("MatchesARowByRowScanOnRandomRanges seed=%u\n", seed);
  std::mt19937 random(seed);
  for (int round = 0; round < 50; ++round) {
    // Sorted cut points over the whole INT range; ranges take some of the spans between them.
    std::vector<int64_t> cuts = {INT32_MIN + 1, INT32_MAX};
    for (int i = 0; i < 8; ++i)
      cuts.push_back(std::uniform_int_distribution<int64_t>(-40, 40)(random));
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<NamedRange> ranges;
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
      if (random() % 3 == 0) continue;  // a gap
      NamedRange range{"p" + std::to_string(i), Int(cuts[i]), Int(cuts[i + 1])};
      if (i == 0 && random() % 2) range.low = std::nullopt;
      if (i + 2 == cuts.size() && random() % 2) range.high = std::nullopt;
      ranges.push_back(std::move(range));
    }
    if (ranges.empty()) ranges.push_back({"p_all", std::nullopt, std::nullopt});
    std::shuffle(ranges.begin(), ranges.end(), random);
    auto scheme = Ok(MakeNamedRanges(Type::kInt, ranges));
    ASSERT_NE(scheme, nullptr) << "seed " << seed;
    auto holder = [&](int64_t v) -> std::string {
      for (const NamedRange& range : ranges) {
        if ((!range.low || range.low->int_value() <= v) &&
            (!range.high || v < range.high->int_value())) {
          return "/" + range.name;
        }
      }
      return "";
    };
    std::vector<std::string> existing;
    for (const NamedRange& range : ranges) existing.push_back("/" + range.name);
    for (int64_t v : {int64_t{INT32_MIN + 1}, int64_t{INT32_MAX}, int64_t{-41}, int64_t{41}}) {
      cuts.push_back(v);
    }
    for (int64_t cut : cuts) {
      for (int64_t v : {cut - 1, cut, cut + 1}) {
        if (v <= INT32_MIN || v > INT32_MAX) continue;
        const std::string expected = holder(v);
        const auto value = static_cast<int32_t>(v);
        if (expected.empty()) {
          EXPECT_TRUE(Contains(SplitStatus(*scheme, {IntColumn({value})}), "fits no partition"))
              << "seed " << seed << " value " << v;
        } else {
          EXPECT_EQ(PathsOf(SplitOk(*scheme, {IntColumn({value})})),
                    std::vector<std::string>{expected})
              << "seed " << seed << " value " << v;
        }
        std::vector<std::string> selected = Select(*scheme, Vec(IntColumn({value})), existing);
        EXPECT_EQ(selected, expected.empty() ? std::vector<std::string>{}
                                             : std::vector<std::string>{expected})
            << "seed " << seed << " value " << v;
        for (const std::string& path : existing) {
          EXPECT_EQ(scheme->MayMatch(path, 0, Pred(Op::kEq, {Int(v)})), path == expected)
              << "seed " << seed << " value " << v << " path " << path;
        }
      }
    }
    ExpectJsonRoundTrip(*scheme);
  }
}

TEST(NamedRangesTest, PruningSelectsOnlyPartitionsThatMayMatch) {
  auto scheme = WithBuckets(SpecRanges());
  const std::vector<std::string> paths = {"/p1/Key0", "/p1/Key7", "/p2/Key0", "/p3/Key0"};
  auto may_match = [&](const LevelPredicate& predicate) {
    std::vector<std::string> kept;
    for (const auto& path : paths) {
      if (scheme->MayMatch(path, 0, predicate)) kept.push_back(path);
    }
    return kept;
  };
  EXPECT_EQ(may_match(Pred(Op::kLt, {Date("2020.02.01")})),
            (std::vector<std::string>{"/p1/Key0", "/p1/Key7"}));
  EXPECT_EQ(may_match(Pred(Op::kGe, {Date("2020.03.01")})), std::vector<std::string>{"/p3/Key0"});
  EXPECT_EQ(may_match(Pred(Op::kEq, {Date("1000.01.01")})),
            (std::vector<std::string>{"/p1/Key0", "/p1/Key7"}));
  EXPECT_EQ(may_match(Pred(Op::kBetween, {Date("2020.02.10"), Date("2020.02.20")})),
            std::vector<std::string>{"/p2/Key0"});
  EXPECT_TRUE(scheme->AlwaysMatches("/p1/Key0", 0, Pred(Op::kLt, {Date("2020.02.01")})));
  EXPECT_TRUE(scheme->AlwaysMatches("/p3/Key0", 0, Pred(Op::kGe, {Date("2020.03.01")})));
  EXPECT_FALSE(scheme->AlwaysMatches("/p2/Key0", 0, Pred(Op::kLt, {Date("2020.02.01")})));
  EXPECT_FALSE(scheme->AlwaysMatches("/p3/Key0", 0, Pred(Op::kLt, {Date("2020.05.01")})));
  // A gap: no partition may hold 15.
  auto gapped =
      Ok(MakeNamedRanges(Type::kInt, {{"p_a", Int(0), Int(10)}, {"p_b", Int(20), Int(30)}}));
  EXPECT_FALSE(gapped->MayMatch("/p_a", 0, Pred(Op::kEq, {Int(15)})));
  EXPECT_FALSE(gapped->MayMatch("/p_b", 0, Pred(Op::kEq, {Int(15)})));
  EXPECT_TRUE(gapped->MayMatch("/p_b", 0, Pred(Op::kGt, {Int(15)})));
  // Unknown components prune nothing and prove nothing.
  EXPECT_TRUE(gapped->MayMatch("/p_zz", 0, Pred(Op::kEq, {Int(15)})));
  EXPECT_FALSE(gapped->AlwaysMatches("/p_zz", 0, Pred(Op::kNe, {Int(15)})));
}

TEST(NamedRangesTest, AddAndDropKeepTheOtherComponents) {
  auto two = WithBuckets(
      Ok(MakeNamedRanges(Type::kDate, {{"p1", std::nullopt, Date("2020.02.01")},
                                       {"p2", Date("2020.02.01"), Date("2020.03.01")}})));
  auto rows = [] {
    return std::vector<Column>{Dates({"2020.01.05", "2020.02.15"}), IntColumn({1, 2})};
  };
  const auto before = PathsOf(SplitOk(*two, rows()));
  EXPECT_EQ(before, (std::vector<std::string>{"/p1/Key1", "/p2/Key2"}));

  auto added = Ok(AddNamedRange(*two, {"p4", Date("2020.03.01"), Date("2020.05.01")}));
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(PathsOf(SplitOk(*added, rows())), before);
  EXPECT_EQ(PathsOf(SplitOk(*added, {Dates({"2020.04.30"}), IntColumn({0})})),
            std::vector<std::string>{"/p4/Key0"});
  EXPECT_EQ(NamesOf(NamedPartitionsOf(*added)), (std::vector<std::string>{"p1", "p2", "p4"}));
  EXPECT_EQ(added->level_type(1), Type::kInt);  // the bucket level is unchanged
  EXPECT_EQ(two->partition_names(), (std::vector<std::string>{"p1", "p2"}));  // the copy only

  // A range below the others sorts first; its neighbours keep their names.
  auto gap_filler = Ok(MakeNamedRanges(Type::kInt, {{"p_hi", Int(100), Int(200)}}));
  auto low = Ok(AddNamedRange(*gap_filler, {"p_lo", Int(0), Int(50)}));
  EXPECT_EQ(low->partition_names(), (std::vector<std::string>{"p_lo", "p_hi"}));

  Status overlap = AddNamedRange(*added, {"p5", Date("2020.04.01"), std::nullopt}).status();
  EXPECT_EQ(overlap.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(overlap,
                       "partition p5 [2020.04.01, MAXVALUE) overlaps partition "
                       "p4 [2020.03.01, 2020.05.01)"))
      << overlap.message();
  Status taken = AddNamedRange(*added, {"P2", Date("2021.01.01"), std::nullopt}).status();
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(Contains(taken, "partition 'P2' already exists")) << taken.message();
  Status bad_name = AddNamedRange(*added, {"9x", Date("2021.01.01"), std::nullopt}).status();
  EXPECT_TRUE(Contains(bad_name, "'9x' is not valid")) << bad_name.message();
  Status wrong_kind = AddNamedList(*added, {"p9", {Date("2021.01.01")}}).status();
  EXPECT_TRUE(Contains(wrong_kind, "not by named LIST partitions")) << wrong_kind.message();
  auto unnamed = MakeOk(PartitionType::kRange, Vec(IntColumn({0, 50, 100})));
  Status not_named = AddNamedRange(*unnamed, {"p9", Int(100), Int(150)}).status();
  EXPECT_EQ(not_named.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(not_named, "partitioned by RANGE INT 2 ranges, not by named RANGE"))
      << not_named.message();

  auto dropped = Ok(DropNamedPartition(*added, "p1"));
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(PathsOf(SplitOk(*dropped, {Dates({"2020.02.15"}), IntColumn({2})})),
            std::vector<std::string>{"/p2/Key2"});
  Status gone = SplitStatus(*dropped, rows());
  EXPECT_TRUE(Contains(gone, "value 2020.01.05 of partition column 1 fits no partition"))
      << gone.message();
  EXPECT_FALSE(dropped->ValidatePath("/p1/Key1").ok());
  EXPECT_TRUE(dropped->ValidatePath("/p4/Key1").ok());
  // The freed range can be added back, under a new name.
  EXPECT_TRUE(AddNamedRange(*dropped, {"p0", std::nullopt, Date("2020.02.01")}).ok());

  Status unknown = DropNamedPartition(*dropped, "p7").status();
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(unknown, "partition 'p7' does not exist; the partitions are p2, p4"))
      << unknown.message();
  auto last = Ok(DropNamedPartition(*dropped, "p2"));
  ASSERT_NE(last, nullptr);
  Status keep_one = DropNamedPartition(*last, "p4").status();
  EXPECT_EQ(keep_one.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(keep_one,
                       "a partitioned table keeps at least one partition; drop the "
                       "table instead"))
      << keep_one.message();
  EXPECT_EQ(DropNamedPartition(*unnamed, "0_50").status().code(), StatusCode::kInvalidArgument);
}

TEST(NamedRangesTest, AdmitPathRefusesUnknownNames) {
  auto scheme = WithBuckets(SpecRanges());
  auto admitted = scheme->AdmitPath("/p2/Key3");
  ASSERT_TRUE(admitted.ok()) << admitted.status().ToString();
  EXPECT_FALSE(*admitted);
  for (const char* path : {"/p9/Key3", "/20200201_20200301/Key3", "/p2", "/p2/Key8", "p2/Key1"}) {
    EXPECT_EQ(scheme->AdmitPath(path).status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_FALSE(scheme->ValidatePath(path).ok()) << path;
  }
  // Only the first level may be named.
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(MakeOk(PartitionType::kHash, Vec(IntColumn({4, 8}))));
  levels.push_back(SpecRanges());
  Status second = PartitionScheme::MakeCompo(std::move(levels)).status();
  EXPECT_TRUE(Contains(second,
                       "level 2 of a COMPO scheme (RANGE DATE 3 named ranges) has named "
                       "partitions; only the first level may be named"))
      << second.message();
  Status unknown = scheme->ValidatePath("/p9/Key3");
  EXPECT_TRUE(Contains(unknown,
                       "component 'p9' of level 1 (RANGE DATE 3 named ranges) is not a "
                       "partition of the scheme; its partitions are p1, p2, p3"))
      << unknown.message();
}

TEST(NamedListsTest, ListsSplitByNameAndRefuseDuplicates) {
  auto cities = Ok(MakeNamedLists(
      Type::kString, {{"p_cn", {Sym("Beijing"), Sym("Shanghai")}}, {"p_jp", {Sym("Tokyo")}}}));
  auto scheme = WithBuckets(std::move(cities));
  auto groups = SplitOk(
      *scheme, {Strings(Type::kSymbol, {"Tokyo", "Beijing", "Shanghai"}), IntColumn({1, 2, 3})});
  EXPECT_EQ(PathByRow(groups, 3),
            (std::vector<std::string>{"/p_jp/Key1", "/p_cn/Key2", "/p_cn/Key3"}));
  Status nowhere = SplitStatus(*scheme, {Strings(Type::kString, {"Paris"}), IntColumn({1})});
  EXPECT_TRUE(Contains(nowhere,
                       "value 'Paris' of partition column 1 fits no partition of LIST "
                       "scheme [p_cn ('Beijing', 'Shanghai'), p_jp ('Tokyo')]"))
      << nowhere.message();
  Status null = SplitStatus(*scheme, {Strings(Type::kString, {"Tokyo", ""}), IntColumn({1, 2})});
  EXPECT_TRUE(Contains(null, "is NULL at row index 1")) << null.message();

  Status twice =
      MakeNamedLists(Type::kString, {{"p_a", {Sym("x")}}, {"p_b", {Sym("y"), Sym("x")}}}).status();
  EXPECT_TRUE(Contains(twice, "value 'x' is in partitions 'p_a' and 'p_b'")) << twice.message();
  EXPECT_TRUE(
      Contains(MakeNamedLists(Type::kInt, {{"p_a", {Int(1), Int(1)}}}).status(), "listed twice"));
  EXPECT_TRUE(Contains(MakeNamedLists(Type::kInt, {{"p_a", {}}}).status(), "lists no values"));
  EXPECT_TRUE(
      Contains(MakeNamedLists(Type::kInt, {{"p_a", {Int(1), Scalar::Null(Type::kInt)}}}).status(),
               "is NULL"));
  EXPECT_TRUE(Contains(MakeNamedLists(Type::kInt, {}).status(), "needs 1 to"));
  EXPECT_TRUE(Contains(MakeNamedLists(Type::kInt, {{"p_a", {Int(1)}}, {"P_A", {Int(2)}}}).status(),
                       "given twice"));

  // ADD and DROP keep the other lists' components (a positional List<i> would shift).
  auto added = Ok(AddNamedList(*scheme, {"p_fr", {Sym("Paris")}}));
  EXPECT_EQ(PathsOf(SplitOk(*added, {Strings(Type::kString, {"Paris"}), IntColumn({0})})),
            std::vector<std::string>{"/p_fr/Key0"});
  Status clash = AddNamedList(*added, {"p_x", {Sym("Lyon"), Sym("Tokyo")}}).status();
  EXPECT_TRUE(Contains(clash, "value 'Tokyo' is in partitions 'p_jp' and 'p_x'"))
      << clash.message();
  EXPECT_EQ(AddNamedList(*added, {"p_jp", {Sym("Osaka")}}).status().code(),
            StatusCode::kAlreadyExists);
  auto dropped = Ok(DropNamedPartition(*added, "p_cn"));
  EXPECT_EQ(dropped->partition_names(), (std::vector<std::string>{"p_jp", "p_fr"}));
  EXPECT_EQ(
      PathByRow(SplitOk(*dropped, {Strings(Type::kString, {"Tokyo", "Paris"}), IntColumn({1, 1})}),
                2),
      (std::vector<std::string>{"/p_jp/Key1", "/p_fr/Key1"}));
  EXPECT_FALSE(dropped->ValidatePath("/p_cn/Key1").ok());
  auto partitions = NamedPartitionsOf(*dropped);
  ASSERT_EQ(partitions.size(), 2u);
  EXPECT_EQ(partitions[1].type, PartitionType::kList);
  EXPECT_EQ(partitions[1].values, std::vector<Scalar>{Scalar::String(Type::kString, "Paris")});
}

TEST(NamedListsTest, IntegerAndDateListsPruneAndSelect) {
  auto ints =
      Ok(MakeNamedLists(Type::kInt, {{"p_small", {Int(1), Int(2)}}, {"p_big", {Int(100)}}}));
  EXPECT_EQ(PathByRow(SplitOk(*ints, {IntColumn({100, 2})}), 2),
            (std::vector<std::string>{"/p_big", "/p_small"}));
  EXPECT_FALSE(ints->MayMatch("/p_small", 0, Pred(Op::kGt, {Int(50)})));
  EXPECT_TRUE(ints->MayMatch("/p_big", 0, Pred(Op::kGt, {Int(50)})));
  EXPECT_EQ(Select(*ints, Vec(IntColumn({1, 7})), {"/p_small", "/p_big"}),
            std::vector<std::string>{"/p_small"});
  auto dates =
      Ok(MakeNamedLists(Type::kDate, {{"p_ny", {Date("2020.01.01")}},
                                      {"p_xmas", {Date("2020.12.25"), Date("2021.12.25")}}}));
  EXPECT_EQ(PathsOf(SplitOk(*dates, {Dates({"2021.12.25"})})), std::vector<std::string>{"/p_xmas"});
  EXPECT_FALSE(dates->MayMatch("/p_ny", 0, Pred(Op::kGe, {Date("2020.06.01")})));
  ExpectJsonRoundTrip(*ints);
  ExpectJsonRoundTrip(*dates);
  auto longs = Ok(MakeNamedLists(Type::kLong, {{"p_a", {Long(int64_t{1} << 40)}}}));
  ExpectJsonRoundTrip(*longs);
  EXPECT_TRUE(NamedPartitionsOf(*MakeOk(PartitionType::kList, Vec(IntColumn({1, 2})))).empty());
}

TEST(NamedPartitionsJsonTest, EveryShapeRoundTrips) {
  auto ranges = SpecRanges();
  EXPECT_EQ(DumpJson(ranges->ToJson()),
            R"({"format_version":1,"partitions":[{"high":"2020.02.01","low":null,"name":"p1"},)"
            R"({"high":"2020.03.01","low":"2020.02.01","name":"p2"},)"
            R"({"high":null,"low":"2020.03.01","name":"p3"}],"type":"RANGE","value_type":"DATE"})");
  ExpectJsonRoundTrip(*ranges);
  ExpectJsonRoundTrip(*WithBuckets(SpecRanges()));
  auto lists =
      Ok(MakeNamedLists(Type::kSymbol, {{"p_cn", {Sym("Beijing")}}, {"p_jp", {Sym("Tokyo")}}}));
  EXPECT_EQ(DumpJson(lists->ToJson()),
            R"({"format_version":1,"partitions":[{"name":"p_cn","values":["Beijing"]},)"
            R"({"name":"p_jp","values":["Tokyo"]}],"type":"LIST","value_type":"SYMBOL"})");
  ExpectJsonRoundTrip(*lists);
  ExpectJsonRoundTrip(*WithBuckets(std::move(lists)));
  for (Type type : {Type::kChar, Type::kShort, Type::kMonth, Type::kDateTime, Type::kSecond}) {
    auto made = MakeNamedRanges(type, {{"p_lo", std::nullopt, Scalar::Int(type, 1)},
                                       {"p_hi", Scalar::Int(type, 5), std::nullopt}});
    ASSERT_TRUE(made.ok()) << TypeName(type) << ": " << made.status().ToString();
    ExpectJsonRoundTrip(**made);
    EXPECT_EQ(NamesOf(NamedPartitionsOf(**made)), (std::vector<std::string>{"p_lo", "p_hi"}));
  }
  // FromJson keeps the canonical order: ranges by low bound.
  auto decoded = PartitionScheme::FromJson(ranges->ToJson());
  ASSERT_TRUE(decoded.ok());
  auto partitions = NamedPartitionsOf(**decoded);
  ASSERT_EQ(partitions.size(), 3u);
  EXPECT_EQ(partitions[0].low, std::nullopt);
  EXPECT_EQ(partitions[0].high, std::optional<Scalar>(Date("2020.02.01")));
  EXPECT_EQ(partitions[2].high, std::nullopt);
  EXPECT_EQ(partitions[2].type, PartitionType::kRange);
}

TEST(NamedPartitionsJsonTest, MalformedJsonIsCorruption) {
  const nlohmann::json good = SpecRanges()->ToJson();
  auto expect_corruption = [](const nlohmann::json& json, std::string_view what) {
    auto decoded = PartitionScheme::FromJson(json);
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << what << ": " << json.dump();
  };
  auto damage = [&](auto change, std::string_view what) {
    nlohmann::json json = good;
    change(json);
    expect_corruption(json, what);
  };
  damage([](nlohmann::json& j) { j["partitions"] = 7; }, "not an array");
  damage([](nlohmann::json& j) { j["partitions"] = nlohmann::json::array(); }, "no partitions");
  damage([](nlohmann::json& j) { j["partitions"][0] = "p1"; }, "partition not an object");
  damage([](nlohmann::json& j) { j["partitions"][0].erase("name"); }, "no name");
  damage([](nlohmann::json& j) { j["partitions"][0]["name"] = 5; }, "name not a string");
  damage([](nlohmann::json& j) { j["partitions"][0]["name"] = "1p"; }, "invalid name");
  damage([](nlohmann::json& j) { j["partitions"][1]["name"] = "p1"; }, "repeated name");
  damage([](nlohmann::json& j) { j["partitions"][0].erase("low"); }, "no low");
  damage([](nlohmann::json& j) { j["partitions"][0]["high"] = 20200201; }, "number bound");
  damage([](nlohmann::json& j) { j["partitions"][0]["high"] = "Feb"; }, "unparsable bound");
  damage([](nlohmann::json& j) { j["partitions"][0]["high"] = "2020.02.02"; }, "overlap");
  damage([](nlohmann::json& j) { j["partitions"][1]["low"] = "2020.03.01"; }, "empty range");
  damage([](nlohmann::json& j) { j["value_type"] = "STRING"; }, "string range");
  damage([](nlohmann::json& j) { j["format_version"] = 2; }, "version");
  damage([](nlohmann::json& j) { j["boundaries"] = {"2020.01.01", "2020.02.01"}; }, "both forms");
  damage([](nlohmann::json& j) { j["names"] = {"p1", "p2", "p3"}; }, "legacy names");
  const nlohmann::json list =
      Ok(MakeNamedLists(Type::kInt, {{"p_a", {Int(1)}}, {"p_b", {Int(2)}}}))->ToJson();
  auto damage_list = [&](auto change, std::string_view what) {
    nlohmann::json json = list;
    change(json);
    expect_corruption(json, what);
  };
  damage_list([](nlohmann::json& j) { j["partitions"][0].erase("values"); }, "no values");
  damage_list([](nlohmann::json& j) { j["partitions"][0]["values"] = "1"; }, "values not array");
  damage_list([](nlohmann::json& j) { j["partitions"][0]["values"] = {"2"}; }, "duplicate");
  damage_list([](nlohmann::json& j) { j["partitions"][0]["values"] = nlohmann::json::array(); },
              "empty list");
  damage_list([](nlohmann::json& j) { j["partitions"][0]["values"] = {"x"}; }, "not an INT");
  damage_list([](nlohmann::json& j) { j["partitions"] = nullptr; }, "null partitions");
}

TEST(NamedPartitionsLayoutTest, RestoreNeedsPartitionsOfOneNameToAgree) {
  auto spec = WithBuckets(SpecRanges());
  auto check = [&](const PartitionScheme& source) {
    return CheckSameLayout(*spec, "database 'target'", source, "backup 'b'");
  };
  EXPECT_TRUE(check(*spec).ok());
  // A backup taken before an ADD or after a DROP still restores: shared names agree.
  auto fewer = Ok(DropNamedPartition(*spec, "p3"));
  EXPECT_TRUE(check(*fewer).ok());
  auto more = Ok(AddNamedRange(*fewer, {"p9", Date("2030.01.01"), std::nullopt}));
  EXPECT_TRUE(check(*more).ok());
  EXPECT_FALSE(spec->ValidatePath("/p9/Key0").ok());  // its p9 paths are refused one by one
  // The same name with other bounds would put rows where they do not belong.
  auto moved = WithBuckets(
      Ok(MakeNamedRanges(Type::kDate, {{"p1", std::nullopt, Date("2020.01.15")},
                                       {"p2", Date("2020.01.15"), Date("2020.03.01")}})));
  Status differs = check(*moved);
  EXPECT_EQ(differs.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(differs,
                       "partition level 1 is partition p1 [MINVALUE, 2020.02.01) in "
                       "database 'target' but partition p1 [MINVALUE, 2020.01.15) in "
                       "backup 'b'"))
      << differs.message();
  // Named against unnamed, or another type, never agree.
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(MakeOk(PartitionType::kRange, Vec(DateColumn({0, 10}))));
  levels.push_back(MakeOk(PartitionType::kHash, Vec(IntColumn({4, 8}))));
  auto unnamed = Ok(PartitionScheme::MakeCompo(std::move(levels)));
  EXPECT_EQ(check(*unnamed).code(), StatusCode::kFailedPrecondition);
  auto lists = Ok(MakeNamedLists(Type::kInt, {{"p1", {Int(1)}}}));
  auto list_only = Ok(MakeNamedLists(Type::kInt, {{"p1", {Int(1)}}, {"p2", {Int(2)}}}));
  EXPECT_TRUE(CheckSameLayout(*list_only, "t", *lists, "s").ok());
  auto list_other = Ok(MakeNamedLists(Type::kInt, {{"p1", {Int(3)}}}));
  EXPECT_FALSE(CheckSameLayout(*list_other, "t", *lists, "s").ok());
  EXPECT_FALSE(CheckSameLayout(*spec, "t", *lists, "s").ok());
}

}  // namespace
}  // namespace strata
