// The ObjectStore contract, checked against every backend, and the fault-injecting wrapper.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include "base/file_util.h"
#include "repository/fault_injecting_object_store.h"
#include "repository/local_object_store.h"
#include "repository/memory_object_store.h"

namespace strata {
namespace {

enum class Backend { kLocal, kMemory };

class ObjectStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kLocal) {
      dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_repo_test");
      auto store = LocalObjectStore::Open(dir_);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      store_ = std::move(*store);
    } else {
      store_ = std::make_unique<MemoryObjectStore>();
    }
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(ObjectStoreContractTest, PutGetReplaceAndHead) {
  ASSERT_TRUE(store_->Put("objects/ab/abc", "first").ok());
  EXPECT_EQ(*store_->Get("objects/ab/abc"), "first");
  ASSERT_TRUE(store_->Put("objects/ab/abc", "second, longer").ok());
  EXPECT_EQ(*store_->Get("objects/ab/abc"), "second, longer");
  auto head = store_->Head("objects/ab/abc");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size_bytes, 14u);
  EXPECT_FALSE(store_->Head("objects/ab/none")->has_value());
  ASSERT_TRUE(store_->Put("empty", "").ok());
  EXPECT_EQ(*store_->Get("empty"), "");
}

TEST_P(ObjectStoreContractTest, MissingObjectsAreNotFoundNamingKeyAndStore) {
  auto missing = store_->Get("snapshots/nope.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("snapshots/nope.json"), std::string::npos);
  EXPECT_NE(missing.status().message().find(store_->Describe()), std::string::npos);
  EXPECT_EQ(store_->GetRange("nope", 0, 1).status().code(), StatusCode::kNotFound);
}

TEST_P(ObjectStoreContractTest, RangesClampAtTheEnd) {
  ASSERT_TRUE(store_->Put("r", "0123456789").ok());
  EXPECT_EQ(*store_->GetRange("r", 2, 3), "234");
  EXPECT_EQ(*store_->GetRange("r", 8, 100), "89");
  EXPECT_EQ(*store_->GetRange("r", 10, 5), "");
  EXPECT_EQ(store_->GetRange("r", 11, 1).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(ObjectStoreContractTest, ListsByPrefixInKeyOrder) {
  for (const char* key :
       {"snapshots/b.json", "objects/aa/2", "objects/ab/1", "objects/aa/1", "strata-repo.json"}) {
    ASSERT_TRUE(store_->Put(key, key).ok());
  }
  auto objects = *store_->List("objects/");
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0].key, "objects/aa/1");
  EXPECT_EQ(objects[1].key, "objects/aa/2");
  EXPECT_EQ(objects[2].key, "objects/ab/1");
  EXPECT_EQ(objects[0].size_bytes, std::string("objects/aa/1").size());
  EXPECT_EQ(store_->List("objects/aa")->size(), 2u);
  EXPECT_EQ(store_->List("")->size(), 5u);
  EXPECT_TRUE(store_->List("journal/")->empty());
}

TEST_P(ObjectStoreContractTest, DeletesAreIdempotent) {
  ASSERT_TRUE(store_->Put("a/1", "x").ok());
  ASSERT_TRUE(store_->Put("a/2", "y").ok());
  ASSERT_TRUE(store_->Delete("a/1").ok());
  ASSERT_TRUE(store_->Delete("a/1").ok());
  ASSERT_TRUE(store_->DeleteMany({"a/2", "a/3"}).ok());
  EXPECT_TRUE(store_->List("a/")->empty());
}

TEST_P(ObjectStoreContractTest, RejectsKeysNoBackendCanStore) {
  for (const char* key : {"", "/abs", "a//b", "a/../b", "./a", "a\\b"}) {
    EXPECT_EQ(store_->Put(key, "x").code(), StatusCode::kInvalidArgument) << key;
  }
}

TEST_P(ObjectStoreContractTest, DeferredPutsAreWholeAndPresentAfterFlush) {
  ASSERT_TRUE(store_->Put("objects/ab/x", "old").ok());
  ASSERT_TRUE(store_->PutDeferred("objects/ab/x", {"n", "", "ew"}).ok());
  ASSERT_TRUE(store_->PutDeferred("objects/cd/y", {"why"}).ok());
  // Before the flush a reader sees the old object or the new one, never a part.
  std::string before = *store_->Get("objects/ab/x");
  EXPECT_TRUE(before == "old" || before == "new") << before;
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(*store_->Get("objects/ab/x"), "new");
  EXPECT_EQ(*store_->Get("objects/cd/y"), "why");
  ASSERT_TRUE(store_->Flush().ok());  // nothing pending: nothing to do
  EXPECT_EQ(store_->List("objects/")->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ObjectStoreContractTest,
                         ::testing::Values(Backend::kLocal, Backend::kMemory),
                         [](const auto& info) {
                           return info.param == Backend::kLocal ? "Local" : "Memory";
                         });

TEST(LocalObjectStoreTest, InterruptedWritesAreHiddenAndSweptOnlyByAWriter) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_repo_tmp");
  {
    auto store = *LocalObjectStore::Open(dir);
    ASSERT_TRUE(store->Put("objects/ab/1", "data").ok());
  }
  // A write that died before its rename leaves a file in .tmp only. Opening the store deletes
  // nothing; a writer's sweep removes it once it is old enough to be abandoned (a fresh one may
  // belong to a writer still at work).
  ASSERT_TRUE(WriteFileAtomic(dir + "/.tmp/abandoned", "half", dir).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/.tmp/in-flight", "half", dir).ok());
  std::filesystem::last_write_time(
      dir + "/.tmp/abandoned",
      std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
  auto store = *LocalObjectStore::Open(dir, /*create_if_missing=*/false);
  EXPECT_EQ(ListDirectory(dir + "/.tmp")->size(), 2u);
  store->RemoveAbandonedStaging();
  EXPECT_EQ(*ListDirectory(dir + "/.tmp"), std::vector<std::string>{"in-flight"});
  auto all = *store->List("");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].key, "objects/ab/1");
  EXPECT_FALSE(store->Put(".tmp/x", "y").ok());  // reserved
  std::filesystem::remove_all(dir);
  auto missing = LocalObjectStore::Open(dir, /*create_if_missing=*/false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// Whatever the umask, what the store creates is private to its owner.
TEST(LocalObjectStoreTest, CreatesPrivateDirectoriesAndFiles) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_repo_mode");
  mode_t umask_before = ::umask(022);
  {
    auto store = *LocalObjectStore::Open(dir + "/repo");
    ASSERT_TRUE(store->Put("objects/ab/1", "data").ok());
    ASSERT_TRUE(store->PutDeferred("objects/cd/2", {"more"}).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  ::umask(umask_before);
  using std::filesystem::perms;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    perms want = entry.is_directory() ? perms::owner_all : perms::owner_read | perms::owner_write;
    EXPECT_EQ(entry.status().permissions(), want) << entry.path();
  }
  std::filesystem::remove_all(dir);
}

TEST(LocalObjectStoreTest, DeferredPutsStayInvisibleUntilTheFlushMadeThemDurable) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_repo_defer");
  {
    auto store = *LocalObjectStore::Open(dir, /*create_if_missing=*/true);
    ASSERT_TRUE(store->PutDeferred("objects/ab/1", {"data"}).ok());
    EXPECT_FALSE(store->Head("objects/ab/1")->has_value());
    EXPECT_TRUE(store->List("")->empty());
    ASSERT_TRUE(store->Flush().ok());
    EXPECT_EQ(*store->Get("objects/ab/1"), "data");
    // A store dropped before its flush (a failed backup) leaves no object and no temporary.
    ASSERT_TRUE(store->PutDeferred("objects/ab/2", {"lost"}).ok());
  }
  EXPECT_TRUE(ListDirectory(dir + "/.tmp")->empty());
  auto store = *LocalObjectStore::Open(dir, /*create_if_missing=*/false);
  ASSERT_EQ(store->List("")->size(), 1u);
  EXPECT_FALSE(store->PutDeferred(".tmp/x", {"y"}).ok());  // reserved
  std::filesystem::remove_all(dir);
}

TEST(FaultInjectingObjectStoreTest, FailsFromTheScriptedOperationOnAndWritesNothing) {
  MemoryObjectStore inner;
  FaultInjectingObjectStore store(&inner, {.fail_from_operation = 3});
  ASSERT_TRUE(store.Put("a", "1").ok());
  ASSERT_TRUE(store.Put("b", "2").ok());
  Status third = store.Put("c", "3");
  EXPECT_EQ(third.code(), StatusCode::kIoError);
  EXPECT_NE(third.message().find("injected fault: put of 'c'"), std::string::npos);
  EXPECT_FALSE(store.Get("a").ok());
  EXPECT_FALSE(inner.Head("c")->has_value());
  EXPECT_EQ(store.operations(), 4u);
  EXPECT_EQ(store.faults(), 2u);
}

TEST(FaultInjectingObjectStoreTest, RandomFaultsFollowTheSeed) {
  auto pattern = [](uint64_t seed) {
    MemoryObjectStore inner;
    FaultInjectingObjectStore store(&inner, {.seed = seed, .failure_probability = 0.3});
    std::string out;
    for (int i = 0; i < 200; ++i) out.push_back(store.Put("k", "v").ok() ? '.' : 'x');
    return out;
  };
  std::string a = pattern(42);
  EXPECT_EQ(a, pattern(42));  // reproducible from the printed seed
  EXPECT_NE(a, pattern(43));
  size_t failures = std::count(a.begin(), a.end(), 'x');
  EXPECT_GT(failures, 30u);
  EXPECT_LT(failures, 100u);
}

TEST(FaultInjectingObjectStoreTest, TruncatedReadsReturnPartOfTheObject) {
  MemoryObjectStore inner;
  ASSERT_TRUE(inner.Put("obj", "0123456789").ok());
  FaultInjectingObjectStore store(&inner, {.fail_from_operation = 1, .truncate_reads = true});
  EXPECT_EQ(*store.Get("obj"), "01234");
}

}  // namespace
}  // namespace strata
