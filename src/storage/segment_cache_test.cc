#include "storage/segment_cache.h"

#include <gtest/gtest.h>

#include "storage/segment_test_util.h"

namespace strata {
namespace {

using testing_util::MakeAllTypesTable;

size_t BytesOf(const Table& table) {
  size_t bytes = 0;
  for (const ColumnPtr& column : table.columns()) bytes += column->MemoryBytes();
  return bytes;
}

TEST(SegmentCacheTest, AnswersWhatWasPutPerColumnSelectionSharingTheColumns) {
  Table table = MakeAllTypesTable(100, 1);
  SegmentCache cache(BytesOf(table) * 8);
  EXPECT_FALSE(cache.Get("a", {}).has_value());
  cache.Put("a", {}, table);
  auto hit = cache.Get("a", {});
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->rows(), 100u);
  EXPECT_EQ(hit->column(0).get(), table.column(0).get());  // no copy of the data
  EXPECT_FALSE(cache.Get("a", {0}).has_value());           // another column selection
  EXPECT_FALSE(cache.Get("b", {}).has_value());
}

TEST(SegmentCacheTest, EvictsTheLeastRecentlyUsedWithinItsBytes) {
  Table table = MakeAllTypesTable(100, 1);
  const size_t one = BytesOf(table);
  SegmentCache cache(one * 8);  // room for 8
  for (int i = 0; i < 8; ++i) cache.Put("s" + std::to_string(i), {}, table);
  EXPECT_EQ(cache.bytes(), one * 8);
  ASSERT_TRUE(cache.Get("s0", {}).has_value());  // s0 is now the most recently used
  cache.Put("s8", {}, table);                    // evicts s1, the least recently used
  EXPECT_TRUE(cache.Get("s0", {}).has_value());
  EXPECT_FALSE(cache.Get("s1", {}).has_value());
  EXPECT_TRUE(cache.Get("s8", {}).has_value());
  EXPECT_EQ(cache.bytes(), one * 8);
}

TEST(SegmentCacheTest, DoesNotKeepASegmentOverAnEighthAndForgetsRemovedOnes) {
  Table table = MakeAllTypesTable(100, 1);
  SegmentCache small(BytesOf(table) * 8 - 1);
  small.Put("big", {}, table);
  EXPECT_FALSE(small.Get("big", {}).has_value());
  EXPECT_EQ(small.bytes(), 0u);

  SegmentCache cache(BytesOf(table) * 8);
  cache.Put("a", {}, table);
  Schema two;
  two.Add(table.schema().field(0));
  two.Add(table.schema().field(1));
  cache.Put("a", {0, 1}, Table(two, {table.column(0), table.column(1)}));
  cache.Put("b", {}, table);
  cache.Remove("a");
  EXPECT_FALSE(cache.Get("a", {}).has_value());
  EXPECT_FALSE(cache.Get("a", {0, 1}).has_value());
  EXPECT_TRUE(cache.Get("b", {}).has_value());
  EXPECT_EQ(cache.bytes(), BytesOf(table));
}

}  // namespace
}  // namespace strata
