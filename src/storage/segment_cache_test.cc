#include "storage/segment_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/segment_test_util.h"

namespace strata {
namespace {

using testing_util::MakeAllTypesTable;

size_t BytesOf(const Table& table) { return SegmentCache::BytesOf(table); }

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

// Threads putting, getting and removing at once keep the byte count within the bound and
// every answer whole (run under ThreadSanitizer too).
TEST(SegmentCacheTest, ConcurrentUseStaysWithinItsBytes) {
  Table table = MakeAllTypesTable(100, 1);
  SegmentCache cache(BytesOf(table) * 16);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string id = "s" + std::to_string((i * 7 + t) % 40);
        if (auto hit = cache.Get(id, {})) {
          if (hit->rows() != 100) wrong.fetch_add(1);
        } else {
          cache.Put(id, {}, table);
        }
        if (i % 97 == 0) cache.Remove(id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.bytes(), BytesOf(table) * 16);
}

}  // namespace
}  // namespace strata
