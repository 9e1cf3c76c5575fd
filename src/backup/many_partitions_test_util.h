// For the tests of work done in batches (full_comparison_test, restore_plan_test): a database
// of more partitions than a few batches hold.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "engine/engine.h"

namespace strata {

// Partitions of table "a" of dfs://manyDB: three batches of 4096 for it alone.
inline constexpr int kManyPartitions = 9000;

// One row (id, x + id) per id in [from, to).
inline Table ManyRows(int from, int to, double x) {
  Column id(Type::kInt), value(Type::kDouble);
  for (int i = from; i < to; ++i) {
    id.Append(Scalar::Int(Type::kInt, i));
    value.Append(Scalar::Float(Type::kDouble, x + i));
  }
  return Table(Schema({{"id", Type::kInt}, {"x", Type::kDouble}}),
               {std::make_shared<const Column>(std::move(id)),
                std::make_shared<const Column>(std::move(value))});
}

// dfs://manyDB, VALUE on id over [0, kManyPartitions): table "a" with a row in every
// partition, table "b" with rows in the first 100.
inline void MakeManyDb(Engine& engine) {
  std::vector<int32_t> values;
  for (int i = 0; i < kManyPartitions; ++i) values.push_back(i);
  auto scheme = *PartitionScheme::Make(PartitionType::kValue,
                                       Value::Vector(Column(Type::kInt, std::move(values))));
  ASSERT_TRUE(engine.CreateDatabase("dfs://manyDB", *scheme, {}).ok());
  for (const char* table : {"a", "b"}) {
    ASSERT_TRUE(engine.CreateTable("dfs://manyDB", table, ManyRows(0, 0, 0).schema(), {"id"}).ok());
  }
  ASSERT_TRUE(engine.Append("dfs://manyDB", "a", ManyRows(0, kManyPartitions, 0)).ok());
  ASSERT_TRUE(engine.Append("dfs://manyDB", "b", ManyRows(0, 100, 0)).ok());
}

}  // namespace strata
