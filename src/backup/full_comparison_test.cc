// The full comparison (FullComparison) over a database of several batches (kPlanBatchChunks
// each): the snapshot it makes, key by key, equals the one a backup into an empty repository
// makes of the same state, whether it copies, reuses, carries or drops across batch bounds.
#include <gtest/gtest.h>

#include <filesystem>

#include "backup/backup.h"
#include "backup/backup_plan.h"
#include "backup/chunk_tree.h"
#include "backup/many_partitions_test_util.h"
#include "backup/prune.h"
#include "base/file_util.h"

namespace strata {
namespace {

class FullComparisonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_full_comparison");
    engine_ = std::move(*Engine::Open(dir_ + "/data"));
    MakeManyDb(*engine_);
    request_.database = "dfs://manyDB";
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  BackupOutcome Backup(const std::string& dir) {
    TaskControl control;
    auto outcome = RunBackup(*engine_, StoreSettings(), dir, "", request_, control);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    EXPECT_TRUE(control.warnings().empty());
    EXPECT_EQ(control.progress().done_units, control.progress().total_units);
    return outcome.ok() ? *outcome : BackupOutcome{};
  }
  // The head of `dir` and its chunks.
  std::pair<Manifest, std::vector<ManifestChunk>> HeadOf(const std::string& dir) {
    auto location = *OpenBackupDir(dir, RepositoryOpen::kMustExist, StoreSettings());
    Manifest head = **FindHead(location, "dfs://manyDB");
    auto chunks = ReadChunkTree(*location.repository, head.tree, head.id);
    EXPECT_TRUE(chunks.ok()) << chunks.status().ToString();
    return {head, chunks.ok() ? *chunks : std::vector<ManifestChunk>{}};
  }
  static std::vector<std::string> PathsOf(const std::vector<ManifestChunk>& chunks,
                                          const std::string& table) {
    std::vector<std::string> paths;
    for (const auto& c : chunks) {
      if (c.table == table) paths.push_back(c.path);
    }
    return paths;
  }
  std::string repo() const { return dir_ + "/bak"; }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  BackupRequest request_;
};

TEST_F(FullComparisonTest, MakesTheSnapshotOfAnEmptyRepositoryAcrossBatches) {
  BackupOutcome first = Backup(repo());
  EXPECT_FALSE(first.planned_by_changes);
  EXPECT_EQ(first.units_written, kManyPartitions + 100);
  auto [head, chunks] = HeadOf(repo());
  ASSERT_EQ(chunks.size(), size_t{kManyPartitions + 100});
  EXPECT_EQ(PathsOf(chunks, "a").size(), size_t{kManyPartitions});
  EXPECT_TRUE(head.origin.complete && head.origin.exact);

  // Two partitions of "a" change and two are dropped; force=true compares the whole database
  // with the head and copies every chunk again.
  ASSERT_TRUE(engine_->Append("dfs://manyDB", "a", ManyRows(5, 6, 0.25)).ok());
  ASSERT_TRUE(engine_->Append("dfs://manyDB", "a", ManyRows(8000, 8001, 0.25)).ok());
  ASSERT_EQ(*engine_->DropPartitions("dfs://manyDB", {"/3", "/7000"}, "a"), 2u);
  request_.force = true;
  BackupOutcome forced = Backup(repo());
  EXPECT_FALSE(forced.planned_by_changes);
  EXPECT_EQ(forced.units_written, kManyPartitions - 2 + 100);
  auto [after_force, forced_chunks] = HeadOf(repo());

  // The same state backed up into an empty repository: the same entries, the same tree.
  request_.force = false;
  Backup(dir_ + "/fresh");
  auto [fresh, fresh_chunks] = HeadOf(dir_ + "/fresh");
  EXPECT_EQ(forced_chunks, fresh_chunks);
  EXPECT_EQ(after_force.tree, fresh.tree);
  std::vector<std::string> a_paths = PathsOf(fresh_chunks, "a");
  EXPECT_EQ(std::count(a_paths.begin(), a_paths.end(), "/3"), 0);
  EXPECT_EQ(std::count(a_paths.begin(), a_paths.end(), "/7000"), 0);

  // A backup of table "b" alone carries every chunk of "a" over, across every batch, and
  // reuses b's: the same tree.
  request_.tables = {"b"};
  BackupOutcome only_b = Backup(repo());
  EXPECT_EQ(only_b.units_written, 0);
  EXPECT_EQ(only_b.units_reused, 100);
  EXPECT_EQ(HeadOf(repo()).first.tree, fresh.tree);

  // Naming every table selects the whole database: the snapshot is complete and exact, so the
  // next backup of the database reads only what changed since.
  request_.tables = {"a", "b"};
  Backup(repo());
  EXPECT_TRUE(HeadOf(repo()).first.origin.complete);
  EXPECT_TRUE(HeadOf(repo()).first.origin.exact);
  request_.tables = {};
  EXPECT_TRUE(Backup(repo()).planned_by_changes);

  // snapshot=false after a deletion compares in full and keeps the deleted partition; a
  // snapshot=true backup drops it, as the empty repository's does.
  ASSERT_EQ(*engine_->DropPartitions("dfs://manyDB", {"/4500"}, "a"), 1u);
  request_.snapshot = false;
  BackupOutcome kept = Backup(repo());
  EXPECT_FALSE(kept.planned_by_changes);
  EXPECT_EQ(kept.units_written, 0);
  EXPECT_EQ(HeadOf(repo()).second, fresh_chunks);
  request_.snapshot = true;
  Backup(repo());
  Backup(dir_ + "/fresh2");
  EXPECT_EQ(HeadOf(repo()).second, HeadOf(dir_ + "/fresh2").second);
  EXPECT_EQ(HeadOf(repo()).second.size(), fresh_chunks.size() - 1);
}

// Listings and reference sets of a repository too large for memory: with at most 1,000 names
// in memory, the ~9,200 objects go through temporary files (DigestSet), and the comparison and
// the prune still find exactly what is missing and what nothing references.
TEST_F(FullComparisonTest, SpilledNameSetsFindExactlyTheMissingAndTheUnreferenced) {
  struct InMemoryCap {  // set for this test alone, even when an assertion ends it early
    InMemoryCap() { ::setenv("STRATA_TEST_DIGESTS_IN_MEMORY", "1000", 1); }
    ~InMemoryCap() { ::unsetenv("STRATA_TEST_DIGESTS_IN_MEMORY"); }
  } cap;
  Backup(repo());
  auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  auto listed = location.repository->ListObjects();
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  auto [head, chunks] = HeadOf(repo());
  const size_t segments = kManyPartitions + 100;
  // The segments (b's 100 are a's first 100: the same bytes, stored once) and the tree's nodes.
  EXPECT_GT(listed->size(), size_t{kManyPartitions});

  // Two segments deleted by hand: the full comparison (a selection of every table) copies
  // exactly those two partitions again.
  std::vector<std::string> lost;
  for (const auto& chunk : chunks) {
    if ((chunk.path == "/5000" || chunk.path == "/8999") && chunk.table == "a") {
      lost.push_back(chunk.objects.at(0).id);
    }
  }
  ASSERT_EQ(lost.size(), 2u);
  for (const auto& id : lost) ASSERT_TRUE(location.repository->DeleteObject(id).ok());
  request_.tables = {"a", "b"};
  TaskControl control;
  auto repaired = RunBackup(*engine_, StoreSettings(), repo(), "", request_, control);
  ASSERT_TRUE(repaired.ok()) << repaired.status().ToString();
  EXPECT_FALSE(repaired->planned_by_changes);
  EXPECT_EQ(repaired->units_written, 2);
  ASSERT_EQ(control.warnings().size(), 1u);
  EXPECT_NE(control.warnings()[0].message().find("2 partitions"), std::string::npos)
      << control.warnings()[0].ToString();
  for (const auto& id : lost) EXPECT_TRUE(*location.repository->HasObject(id));

  // 300 partitions dropped, a snapshot backup, and a prune keeping it alone: their 300
  // segments go, every object of the head stays.
  std::vector<std::string> doomed_paths;
  for (int i = 1000; i < 1300; ++i) doomed_paths.push_back("/" + std::to_string(i));
  ASSERT_EQ(*engine_->DropPartitions("dfs://manyDB", doomed_paths, "a"), 300u);
  request_.tables = {};
  Backup(repo());
  auto before_prune = *location.repository->ListObjects();
  PruneRequest prune;
  prune.database = "dfs://manyDB";
  prune.keep_last = 1;
  auto pruned = PruneBackups(location, prune);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_TRUE(pruned->sweep_skipped.empty()) << pruned->sweep_skipped;
  auto [kept, kept_chunks] = HeadOf(repo());
  ASSERT_EQ(kept_chunks.size(), segments - 300);
  auto after = *location.repository->ListObjects();
  for (const auto& chunk : kept_chunks) {
    ASSERT_TRUE(*after.Contains(chunk.objects.at(0).id)) << chunk.path;
  }
  // What went: the 300 segments and the nodes only the older snapshots' trees had.
  EXPECT_GE(pruned->objects_deleted, 300);
  EXPECT_EQ(static_cast<int64_t>(before_prune.size() - after.size()), pruned->objects_deleted);
  EXPECT_LT(pruned->objects_deleted, 300 + 100);
}

TEST_F(FullComparisonTest, ASelectionThatMatchesNothingWritesNothing) {
  request_.partitions = PartitionSelection::Paths({"/99999"});
  TaskControl control;
  auto outcome = RunBackup(*engine_, StoreSettings(), repo(), "", request_, control);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), StatusCode::kNotFound) << outcome.status().ToString();
  EXPECT_NE(outcome.status().message().find("its partitions include /0"), std::string::npos)
      << outcome.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(repo()));
}

}  // namespace
}  // namespace strata
