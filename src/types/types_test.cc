#include <gtest/gtest.h>

#include "types/cast.h"
#include "types/format.h"
#include "types/temporal.h"
#include "types/value.h"

namespace strata {
namespace {

TEST(TemporalTest, ParsesAndFormatsEveryForm) {
  struct Case {
    const char* text;
    Type type;
  };
  const Case cases[] = {
      {"2017.08.07", Type::kDate},
      {"2017.08M", Type::kMonth},
      {"13:30:10.008", Type::kTime},
      {"13:30m", Type::kMinute},
      {"13:30:10", Type::kSecond},
      {"13:30:10.008007006", Type::kNanoTime},
      {"2012.06.13T13:30:10", Type::kDateTime},
      {"2012.06.13T13:30:10.008", Type::kTimestamp},
      {"2012.06.13T13:30:10.008007006", Type::kNanoTimestamp},
      {"1969.12.31", Type::kDate},
  };
  for (const auto& c : cases) {
    auto parsed = ParseTemporal(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(parsed->type(), c.type) << c.text;
    EXPECT_EQ(FormatScalar(*parsed), c.text);
  }
  EXPECT_EQ(ParseTemporal("2017.08.07")->int_value(), 17385);
  EXPECT_EQ(ParseTemporal("2017-08-07")->int_value(), 17385);  // ISO form
  EXPECT_FALSE(ParseTemporal("2017.02.30").has_value());
  EXPECT_FALSE(ParseTemporal("12345").has_value());
}

TEST(TemporalTest, ConvertsBetweenUnits) {
  Scalar ts = *ParseTemporal("2017.08.07T23:59:59.999");
  EXPECT_EQ(FormatScalar(*CastScalar(ts, Type::kDate)), "2017.08.07");
  EXPECT_EQ(FormatScalar(*CastScalar(ts, Type::kMonth)), "2017.08M");
  EXPECT_EQ(FormatScalar(*CastScalar(ts, Type::kMinute)), "23:59m");
  Scalar before_epoch = *ParseTemporal("1969.12.31T12:00:00");
  EXPECT_EQ(FormatScalar(*CastScalar(before_epoch, Type::kDate)), "1969.12.31");
  EXPECT_FALSE(CastScalar(*ParseTemporal("13:30:10"), Type::kDate).ok());
}

TEST(CastTest, ParsesTextForEveryType) {
  EXPECT_EQ(ParseScalar("42", Type::kInt)->int_value(), 42);
  EXPECT_TRUE(ParseScalar("", Type::kInt)->is_null());
  EXPECT_FALSE(ParseScalar("4x", Type::kInt).ok());
  EXPECT_FALSE(ParseScalar("300", Type::kChar).ok());
  EXPECT_DOUBLE_EQ(ParseScalar("2.5", Type::kDouble)->float_value(), 2.5);
  EXPECT_EQ(FormatScalar(*ParseScalar("2017-08-07", Type::kDate)), "2017.08.07");
  EXPECT_EQ(FormatScalar(*ParseScalar("2017.08.07", Type::kTimestamp)), "2017.08.07T00:00:00.000");
  EXPECT_EQ(ParseScalar("abc", Type::kSymbol)->string_value(), "abc");
}

TEST(CastTest, CastsColumnsKeepingNulls) {
  Column ints(Type::kInt);
  ints.Append(Scalar::Int(Type::kInt, 7));
  ints.AppendNull();
  Column doubles = *CastColumn(ints, Type::kDouble);
  EXPECT_DOUBLE_EQ(doubles.values<double>()[0], 7.0);
  EXPECT_TRUE(doubles.IsNull(1));
  Column longs = *CastColumn(ints, Type::kLong);
  EXPECT_TRUE(longs.IsNull(1));
  EXPECT_TRUE(IsImplicitlyConvertible(Type::kInt, Type::kLong));
  // Narrowing never wraps: a value outside the target type fails the whole column.
  Column longs_big(Type::kLong, std::vector<int64_t>{1, 5000000000LL});
  EXPECT_FALSE(CastColumn(longs_big, Type::kInt).ok());
  Column doubles_big(Type::kDouble, std::vector<double>{1e12});
  EXPECT_FALSE(CastColumn(doubles_big, Type::kInt).ok());
  EXPECT_EQ(CastColumn(Column(Type::kDouble, std::vector<double>{2.5, -1.4}), Type::kInt)
                ->values<int32_t>(),
            (std::vector<int32_t>{3, -1}));
  // Temporal columns convert in bulk: TIMESTAMP → DATE floors, NULL stays NULL.
  Column stamps(Type::kTimestamp);
  stamps.Append(*ParseTemporal("1969.12.31T23:00:00.000"));
  stamps.AppendNull();
  Column days = *CastColumn(stamps, Type::kDate);
  EXPECT_EQ(FormatScalar(days.Get(0)), "1969.12.31");
  EXPECT_TRUE(days.IsNull(1));
  EXPECT_FALSE(CastColumn(*CastColumn(stamps, Type::kSecond), Type::kDate).ok());
  EXPECT_FALSE(IsImplicitlyConvertible(Type::kDouble, Type::kInt));
}

TEST(FormatTest, JsonAndTextForms) {
  Column dates(Type::kDate);
  dates.Append(*ParseTemporal("2017.08.07"));
  dates.AppendNull();
  Column xs(Type::kDouble);
  xs.Append(Scalar::Float(Type::kDouble, 1.5));
  xs.Append(Scalar::Float(Type::kDouble, 0.1));
  auto table =
      std::make_shared<const Table>(Schema({{"date", Type::kDate}, {"x", Type::kDouble}}),
                                    std::vector<ColumnPtr>{std::make_shared<const Column>(dates),
                                                           std::make_shared<const Column>(xs)});
  EXPECT_EQ(FormatValueJson(Value::MakeTable(table)),
            R"({"columns":["date","x"],"rows":[["2017.08.07",1.5],[null,0.1]],)"
            R"("types":["DATE","DOUBLE"]})");
  EXPECT_EQ(FormatValueText(Value::MakeTable(table)),
            "date       x\n---------- ---\n2017.08.07 1.5\n           0.1");
  EXPECT_EQ(FormatValueText(Value::Vector(dates)), "[2017.08.07,]");
  EXPECT_EQ(FormatValueJson(Value(Scalar::Null(Type::kInt))), "null");
}

}  // namespace
}  // namespace strata
