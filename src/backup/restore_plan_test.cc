// A restore of a snapshot several batches long (kRestoreBatchChunks each): it counts, fetches
// and installs a batch at a time, yet commits once; it skips what the target holds and drops
// what the backup lacks across batch bounds; and a failure in a later batch changes nothing
// and leaves no segment behind.
#include "backup/restore_plan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "backup/backup.h"
#include "backup/chunk_tree.h"
#include "backup/many_partitions_test_util.h"
#include "backup/restore.h"
#include "base/file_util.h"

namespace strata {
namespace {

class RestorePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static_assert(kManyPartitions > 2 * kRestoreBatchChunks);
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_restore_plan");
    engine_ = std::move(*Engine::Open(dir_ + "/data"));
    MakeManyDb(*engine_);
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Backup() {
    BackupRequest request;
    request.database = "dfs://manyDB";
    TaskControl control;
    auto outcome = RunBackup(*engine_, StoreSettings(), repo(), "", request, control);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  }
  Result<RestoreOutcome> Restore(Engine& engine, const RestoreRequest& request,
                                 TaskControl& control) {
    auto location = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
    if (!location.ok()) return location.status();
    ASSIGN_OR_RETURN(Manifest head, ResolveSnapshot(*location, "dfs://manyDB", "", false));
    return RunRestore(engine, *location, head, request, control);
  }
  // Path → rows of `table` of `db` in `engine`'s newest state.
  static std::map<std::string, uint64_t> Contents(Engine& engine, const std::string& db,
                                                  const std::string& table) {
    std::map<std::string, uint64_t> contents;
    auto pin = engine.PinLatest();
    auto ref = engine.GetTable(*pin, db, table);
    EXPECT_TRUE(ref.ok()) << ref.status().ToString();
    if (!ref.ok()) return contents;
    auto chunks = engine.ListChunks(*pin, *ref);
    EXPECT_TRUE(chunks.ok()) << chunks.status().ToString();
    if (!chunks.ok()) return contents;
    for (const auto& c : *chunks) contents[c.path] = c.rows;
    return contents;
  }
  std::string repo() const { return dir_ + "/bak"; }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
};

// Into a new data directory: first with the object of a chunk in the third batch lost, so
// that the restore fails after two batches were fetched and published: it changes nothing, and
// the close removes what they left. With the object back, it restores every batch in one
// commit; again, it finds nothing to do.
TEST_F(RestorePlanTest, RestoresEveryBatchInOneCommitOrNothing) {
  Backup();
  auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  Manifest head = **FindHead(location, "dfs://manyDB", /*with_chunks=*/false);
  auto lost =
      *ReadChunkTreeRange(*location.repository, head.tree, head.id, {"a", "/8500"}, {"a", "/8501"});
  ASSERT_EQ(lost.size(), 1u);
  const std::string lost_id = lost[0].objects[0].id;
  ASSERT_TRUE(location.repository->DeleteObject(lost_id).ok());
  {
    auto other = std::move(*Engine::Open(dir_ + "/other"));
    const int64_t cid_before = *other->catalog().LastCid();
    RestoreRequest request;
    request.database = "dfs://manyDB";
    request.create_missing = true;
    TaskControl control;
    auto restored = Restore(*other, request, control);
    ASSERT_FALSE(restored.ok());
    EXPECT_EQ(restored.status().code(), StatusCode::kNotFound) << restored.status().ToString();
    EXPECT_NE(restored.status().message().find("/8500"), std::string::npos)
        << restored.status().message();
    EXPECT_EQ(*other->catalog().LastCid(), cid_before);
    EXPECT_FALSE(other->GetDatabase(*other->PinLatest(), "dfs://manyDB").ok());
    EXPECT_GE(other->segments().ListIds()->size(), 2 * kRestoreBatchChunks)
        << "the first two batches were published before the failure";
  }
  EXPECT_TRUE(PathExists(dir_ + "/other/clean-close"));
  {
    auto reopened = std::move(*Engine::Open(dir_ + "/other"));
    EXPECT_TRUE(reopened->segments().ListIds()->empty());
  }
  auto bytes = engine_->segments().ReadRawBytes(lost_id);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_EQ(location.repository->PutObject(*bytes, Repository::IfPresent::kAbsent)->id, lost_id);
  ASSERT_TRUE(location.repository->store().Flush().ok());  // the object is durable and present

  auto other = std::move(*Engine::Open(dir_ + "/other"));
  const int64_t cid_before = *other->catalog().LastCid();
  RestoreRequest request;
  request.database = "dfs://manyDB";
  request.create_missing = true;
  request.parallel = true;
  request.want_paths = true;
  TaskControl control;
  auto restored = Restore(*other, request, control);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->chunks_restored, size_t{kManyPartitions + 100});
  ASSERT_EQ(restored->chunk_paths.size(), size_t{kManyPartitions + 100});
  EXPECT_EQ(control.progress().total_units, kManyPartitions + 100);
  EXPECT_EQ(control.progress().done_units, kManyPartitions + 100);
  EXPECT_EQ(*other->catalog().LastCid(), cid_before + 1) << "one commit, however many batches";
  EXPECT_EQ(Contents(*other, "dfs://manyDB", "a"), Contents(*engine_, "dfs://manyDB", "a"));
  EXPECT_EQ(Contents(*other, "dfs://manyDB", "b"), Contents(*engine_, "dfs://manyDB", "b"));
  EXPECT_EQ(other->segments().ListIds()->size(), engine_->segments().ListIds()->size());
  std::set<std::string> paths(restored->chunk_paths.begin(), restored->chunk_paths.end());
  EXPECT_EQ(paths.size(), restored->chunk_paths.size());
  EXPECT_TRUE(
      paths.count("dfs://manyDB/8999/" +
                  other->GetTable(*other->PinLatest(), "dfs://manyDB", "a")->table.physical_index));

  // Restoring again changes nothing: every chunk is the same, so none is installed.
  request.want_paths = false;
  TaskControl again;
  auto same = Restore(*other, request, again);
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_EQ(same->chunks_restored, 0u);
  EXPECT_TRUE(same->chunk_paths.empty());
  EXPECT_EQ(*other->catalog().LastCid(), cid_before + 1);
}

// snapshot=true over three batches: the four chunks that differ come back, the two the backup
// lacks go, the rest are left as they are; the table then equals the backup.
TEST_F(RestorePlanTest, RestoresWhatDiffersAndDropsWhatTheBackupLacksAcrossBatches) {
  ASSERT_EQ(*engine_->DropPartitions("dfs://manyDB", {"/100", "/6000"}, "a"), 2u);
  Backup();
  const auto backed_up = Contents(*engine_, "dfs://manyDB", "a");
  ASSERT_TRUE(engine_->Append("dfs://manyDB", "a", ManyRows(100, 101, 0)).ok());
  ASSERT_TRUE(engine_->Append("dfs://manyDB", "a", ManyRows(6000, 6001, 0)).ok());
  ASSERT_TRUE(engine_->Append("dfs://manyDB", "a", ManyRows(5, 6, 0.5)).ok());
  ASSERT_TRUE(engine_->Append("dfs://manyDB", "a", ManyRows(8000, 8001, 0.5)).ok());
  ASSERT_EQ(*engine_->DropPartitions("dfs://manyDB", {"/3", "/7000"}, "a"), 2u);
  ASSERT_NE(Contents(*engine_, "dfs://manyDB", "a"), backed_up);

  RestoreRequest request;
  request.database = "dfs://manyDB";
  request.tables = {"a"};
  request.snapshot = true;
  request.want_paths = true;
  TaskControl control;
  const int64_t cid_before = *engine_->catalog().LastCid();
  auto restored = Restore(*engine_, request, control);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->chunks_restored, 4u);
  std::set<std::string> paths;
  for (const auto& p : restored->chunk_paths) paths.insert(p.substr(0, p.rfind('/')));
  EXPECT_EQ(paths, (std::set<std::string>{"dfs://manyDB/3", "dfs://manyDB/5", "dfs://manyDB/7000",
                                          "dfs://manyDB/8000"}));
  EXPECT_EQ(*engine_->catalog().LastCid(), cid_before + 1);
  EXPECT_EQ(Contents(*engine_, "dfs://manyDB", "a"), backed_up);
  EXPECT_EQ(Contents(*engine_, "dfs://manyDB", "b").size(), 100u);

  // What the restore replaced is pruned with it: after the close nothing is left that no
  // version references, and no full scan was needed (the close was clean).
  engine_.reset();
  EXPECT_TRUE(PathExists(dir_ + "/data/clean-close"));
  engine_ = std::move(*Engine::Open(dir_ + "/data"));
  auto referenced = *engine_->catalog().ReferencedSegmentIds();
  EXPECT_EQ(std::set<std::string>(referenced.begin(), referenced.end()).size(),
            engine_->segments().ListIds()->size());
}

}  // namespace
}  // namespace strata
