// Test helpers for the storage module: tables with every type, NULLs and edge values, built
// from a seed, and an exact (bitwise for floats) table comparison.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "types/table.h"

namespace strata::testing_util {

inline const std::vector<Type>& AllStoredTypes() {
  static const std::vector<Type> kTypes = {
      Type::kBool,     Type::kChar,      Type::kShort,    Type::kInt,           Type::kLong,
      Type::kDate,     Type::kMonth,     Type::kTime,     Type::kMinute,        Type::kSecond,
      Type::kDateTime, Type::kTimestamp, Type::kNanoTime, Type::kNanoTimestamp, Type::kFloat,
      Type::kDouble,   Type::kSymbol,    Type::kString};
  return kTypes;
}

// A value of `type` for row `row`; about one in seven is NULL, and a few rows hold the extreme
// values of the storage class.
inline void AppendRandom(Type type, size_t row, std::mt19937_64& rng, Column& column) {
  if (rng() % 7 == 0) {
    column.AppendNull();
    return;
  }
  const bool extreme = row % 997 == 3;
  switch (StorageOf(type)) {
    case Storage::kInt8: {
      if (type == Type::kBool) {
        column.Append(Scalar::Bool(rng() % 2 == 0));
      } else {
        column.Append(Scalar::Int(type, extreme ? 127 : -127 + static_cast<int64_t>(rng() % 255)));
      }
      return;
    }
    case Storage::kInt16:
      column.Append(Scalar::Int(type, extreme ? -32767 : static_cast<int16_t>(rng())));
      return;
    case Storage::kInt32: {
      int64_t v = type == Type::kInt ? static_cast<int32_t>(rng()) : 17000 + rng() % 2000;
      if (v == std::numeric_limits<int32_t>::min()) v = 0;
      column.Append(Scalar::Int(type, extreme ? std::numeric_limits<int32_t>::max() : v));
      return;
    }
    case Storage::kInt64: {
      int64_t v = type == Type::kLong
                      ? static_cast<int64_t>(rng())
                      : 1'500'000'000'000'000'000 + static_cast<int64_t>(rng() % 1'000'000'000);
      if (v == std::numeric_limits<int64_t>::min()) v = 0;
      if (extreme)
        v = row % 2 == 0 ? std::numeric_limits<int64_t>::max()
                         : std::numeric_limits<int64_t>::min() + 1;
      column.Append(Scalar::Int(type, v));
      return;
    }
    case Storage::kFloat32:
    case Storage::kFloat64:
      column.Append(Scalar::Float(type, std::uniform_real_distribution<double>(-1e6, 1e6)(rng)));
      return;
    case Storage::kString: {
      if (type == Type::kSymbol) {
        column.Append(Scalar::String(type, "sym" + std::to_string(rng() % 12)));
      } else {
        std::string s(1 + rng() % (extreme ? 300 : 40), 'a');
        for (char& c : s) c = static_cast<char>(rng());  // any bytes, UTF-8 or not
        if (s[0] == 0 && s.size() == 1) s = "x";
        column.Append(Scalar::String(type, s));
      }
      return;
    }
  }
}

// A table with one column per type (named after the type), `rows` rows.
inline Table MakeAllTypesTable(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Schema schema;
  std::vector<ColumnPtr> columns;
  for (Type type : AllStoredTypes()) {
    auto column = std::make_shared<Column>(type);
    for (size_t r = 0; r < rows; ++r) AppendRandom(type, r, rng, *column);
    schema.Add({std::string("c_") + TypeName(type), type});
    columns.push_back(std::move(column));
  }
  return Table(std::move(schema), std::move(columns));
}

template <typename T>
Table OneColumnTable(Type type, std::vector<T> values) {
  auto column = std::make_shared<Column>(type, ColumnData(std::move(values)));
  return Table(Schema({{"v", type}}), {column});
}

// Exact equality: same schema, same rows, same bits (NaN payloads included).
inline void ExpectSameTable(const Table& expected, const Table& actual) {
  ASSERT_EQ(expected.schema(), actual.schema());
  ASSERT_EQ(expected.rows(), actual.rows());
  for (size_t c = 0; c < expected.column_count(); ++c) {
    ASSERT_EQ(expected.column(c)->type(), actual.column(c)->type());
    std::visit(
        [&](const auto& want) {
          using V = std::decay_t<decltype(want)>;
          const V& got = std::get<V>(actual.column(c)->data());
          ASSERT_EQ(want.size(), got.size());
          if constexpr (std::is_same_v<typename V::value_type, std::string>) {
            for (size_t i = 0; i < want.size(); ++i) {
              ASSERT_EQ(want[i], got[i]) << "column " << c << " row " << i;
            }
          } else if (!want.empty()) {
            ASSERT_EQ(0, std::memcmp(want.data(), got.data(), want.size() * sizeof(want[0])))
                << "column " << expected.schema().field(c).name;
          }
        },
        expected.column(c)->data());
  }
}

}  // namespace strata::testing_util
