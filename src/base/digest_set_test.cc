#include "base/digest_set.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "base/hash.h"

namespace strata {
namespace {

DigestSet::Digest DigestOf(int i) { return Sha256Of("object " + std::to_string(i)); }

// Adds the digests of 0..n-1, the even ones twice (a name listed twice, or referenced by two
// snapshots), in an order that is not sorted.
DigestSet Filled(size_t in_memory, int n) {
  DigestSet set(in_memory);
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(set.Add(DigestOf(i)).ok());
    if (i % 2 == 0) {
      EXPECT_TRUE(set.Add(DigestOf(n - 1 - i)).ok());
    }
  }
  EXPECT_TRUE(set.Seal().ok());
  return set;
}

void ExpectExactly(const DigestSet& set, int n) {
  EXPECT_EQ(set.size(), static_cast<uint64_t>(n));
  for (int i = 0; i < n; ++i) {
    auto found = set.Contains(DigestOf(i));
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_TRUE(*found) << i;
  }
  for (int i = n; i < n + 2000; ++i) {
    auto found = set.Contains(DigestOf(i));
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(*found) << i;
  }
  DigestSet::Digest least{};
  DigestSet::Digest most;
  most.fill(0xff);
  EXPECT_FALSE(*set.Contains(least));
  EXPECT_FALSE(*set.Contains(most));
}

TEST(DigestSetTest, SmallSetsStayInMemory) {
  DigestSet set = Filled(2000, 999);  // 1,499 added
  EXPECT_FALSE(set.spilled());
  ExpectExactly(set, 999);
}

TEST(DigestSetTest, LargeSetsGoToAFileAndAnswerTheSame) {
  // 20,000 distinct digests (30,000 added) through a budget of 1,000: 30 runs, merged; a
  // lookup reads one block of the merged file.
  DigestSet set = Filled(1000, 20000);
  EXPECT_TRUE(set.spilled());
  ExpectExactly(set, 20000);
}

TEST(DigestSetTest, ExactlyOneBatchAndOneMore) {
  for (int n : {2, 3, 64, 65}) {
    DigestSet set = Filled(2, n);
    EXPECT_TRUE(set.spilled());
    ExpectExactly(set, n);
  }
}

TEST(DigestSetTest, EmptyAndMovedSets) {
  DigestSet empty;
  ASSERT_TRUE(empty.Seal().ok());
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_FALSE(*empty.Contains(DigestOf(1)));
  DigestSet moved = Filled(100, 500);
  DigestSet target(7);
  target = std::move(moved);
  ExpectExactly(target, 500);
}

TEST(DigestSetTest, MisuseIsAnErrorNotACrash) {
  DigestSet set;
  EXPECT_EQ(set.Contains(DigestOf(1)).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(set.Seal().ok());
  EXPECT_EQ(set.Add(DigestOf(1)).code(), StatusCode::kFailedPrecondition);
}

TEST(DigestSetTest, ATemporaryDirectoryThatIsNotThereIsAnErrorNamingIt) {
  const char* old = std::getenv("TMPDIR");
  std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", "/nonexistent-strata-tmp", 1);
  DigestSet set(2);
  Status added = set.Add(DigestOf(1));
  if (added.ok()) added = set.Add(DigestOf(2));
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.code(), StatusCode::kIoError);
  EXPECT_NE(added.message().find("/nonexistent-strata-tmp"), std::string::npos);
  EXPECT_NE(added.message().find("TMPDIR"), std::string::npos);
}

}  // namespace
}  // namespace strata
