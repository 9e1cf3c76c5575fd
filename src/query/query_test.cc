// Unit tests of the query module's building blocks: operators and aggregates. Whole queries
// are tested through the interpreter (src/lang) and end to end (tests/script).
#include <gtest/gtest.h>

#include "query/aggregate.h"
#include "query/operators.h"
#include "types/format.h"

namespace strata {
namespace {

Value Ints(std::vector<int32_t> v) { return Value::Vector(Column(Type::kInt, std::move(v))); }

TEST(OperatorsTest, BroadcastsAndPropagatesNull) {
  auto sum =
      ApplyBinary(BinaryOp::kAdd, Ints({1, kNullInt32, 3}), Value(Scalar::Int(Type::kInt, 10)));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(FormatValueJson(*sum), "[11,null,13]");
  auto cmp = ApplyBinary(BinaryOp::kLt, Ints({1, 5}), Value(Scalar::Int(Type::kInt, 3)));
  EXPECT_EQ(FormatValueJson(*cmp), "[true,false]");
  EXPECT_FALSE(ApplyBinary(BinaryOp::kAdd, Ints({1, 2}), Ints({1, 2, 3})).ok());
  auto in = ApplyBinary(BinaryOp::kIn, Ints({1, 2, 3}), Ints({3, 1}));
  EXPECT_EQ(FormatValueJson(*in), "[true,false,true]");
}

TEST(AggregateTest, PartialStatesMergeLikeOneState) {
  Column a(Type::kDouble, std::vector<double>{1.5, kNullDouble, 2.5});
  Column b(Type::kDouble, std::vector<double>{4.0});
  for (AggregateKind kind :
       {AggregateKind::kCount, AggregateKind::kSum, AggregateKind::kAvg, AggregateKind::kMin,
        AggregateKind::kMax, AggregateKind::kFirst, AggregateKind::kLast}) {
    AggregateState left(kind), right(kind), whole(kind);
    ASSERT_TRUE(left.Update(a).ok());
    ASSERT_TRUE(right.Update(b).ok());
    ASSERT_TRUE(whole.Update(a).ok());
    ASSERT_TRUE(whole.Update(b).ok());
    left.Merge(right);
    EXPECT_EQ(FormatScalar(*left.Finish()), FormatScalar(*whole.Finish()));
  }
  EXPECT_EQ(FormatScalar(*Aggregate(AggregateKind::kSum, a)), "4");
  EXPECT_EQ(FormatScalar(*Aggregate(AggregateKind::kCount, a)), "2");
}

TEST(AggregateTest, IntegerSumsNeverWrap) {
  const int64_t big = int64_t{1} << 62;  // four of these exceed LONG
  Column v(Type::kLong, std::vector<int64_t>{big, big, big, big});
  EXPECT_EQ(FormatScalar(*Aggregate(AggregateKind::kAvg, v)),
            FormatScalar(Scalar::Float(Type::kDouble, static_cast<double>(big))));
  auto sum = Aggregate(AggregateKind::kSum, v);
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("sum(double(x))"), std::string::npos);
  EXPECT_FALSE(AggregateGrouped(AggregateKind::kSum, v, {0, 0, 0, 0}, 1).ok());
}

TEST(AggregateTest, GroupedMatchesPerGroup) {
  Column v(Type::kInt, std::vector<int32_t>{1, 2, 3, 4});
  auto sums = AggregateGrouped(AggregateKind::kSum, v, {0, 1, 0, 1}, 2);
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ(FormatValueJson(Value::Vector(*sums)), "[4,6]");
}

}  // namespace
}  // namespace strata
