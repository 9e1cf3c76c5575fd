// Backups planned by the chunks changed since the head (MakeChangedSincePlan): the snapshot
// they make equals the one a full comparison makes, and whatever the changes cannot tell
// (a dropped table, another source, a selection, force, deletions under snapshot=false) takes
// the full comparison.
#include <gtest/gtest.h>

#include "backup/backup_plan.h"
#include "backup/backup_test_fixture.h"

namespace strata {
namespace {

// Rows of pt: (ID, date, x) each.
Table Rows(const std::vector<std::tuple<int, const char*, double>>& rows) {
  Column id(Type::kInt), date(Type::kDate), x(Type::kDouble);
  for (const auto& [i, d, v] : rows) {
    id.Append(Scalar::Int(Type::kInt, i));
    date.Append(*ParseTemporal(d));
    x.Append(Scalar::Float(Type::kDouble, v));
  }
  return Table(Batch().schema(), {std::make_shared<const Column>(std::move(id)),
                                  std::make_shared<const Column>(std::move(date)),
                                  std::make_shared<const Column>(std::move(x))});
}

class ChangedSinceTest : public BackupEngineTest {
 protected:
  ChangedSinceTest() { request_.database = "dfs://compoDB"; }
  BackupOutcome Backup(const std::string& dir) { return Backup(*engine_, dir); }
  BackupOutcome Backup(Engine& engine, const std::string& dir) {
    TaskControl control;
    auto outcome = RunBackup(engine, StoreSettings(), dir, "", request_, control);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    EXPECT_TRUE(control.warnings().empty());
    return outcome.ok() ? *outcome : BackupOutcome{};
  }
  // The head of `dir` with its chunks.
  std::pair<Manifest, std::vector<ManifestChunk>> HeadOf(const std::string& dir) {
    auto location = *OpenBackupDir(dir, RepositoryOpen::kMustExist, StoreSettings());
    Manifest head = **FindHead(location, "dfs://compoDB");
    auto chunks = ReadChunkTree(*location.repository, head.tree, head.id);
    EXPECT_TRUE(chunks.ok()) << chunks.status().ToString();
    return {head, chunks.ok() ? *chunks : std::vector<ManifestChunk>{}};
  }

  BackupRequest request_;
};

TEST_F(ChangedSinceTest, MakesTheSnapshotAFullComparisonMakes) {
  BackupOutcome full = Backup(repo());
  EXPECT_FALSE(full.planned_by_changes);
  auto [first, first_chunks] = HeadOf(repo());
  EXPECT_TRUE(first.origin.complete && first.origin.exact);
  EXPECT_EQ(first.origin.data_directory, *engine_->DataDirectoryId());

  // Nothing changed: nothing copied, the tree shared.
  BackupOutcome unchanged = Backup(repo());
  EXPECT_TRUE(unchanged.planned_by_changes);
  EXPECT_EQ(unchanged.units_written, 0);
  EXPECT_EQ(unchanged.units_reused, 10);
  EXPECT_EQ(HeadOf(repo()).first.tree, first.tree);

  // One partition gains a row, a new day makes a partition (the VALUE scheme grows), one is
  // dropped, and one is dropped and made again.
  ASSERT_TRUE(
      engine_
          ->Append("dfs://compoDB", "pt", Rows({{1, "2017.08.07", 0.5}, {60, "2017.08.12", 1.5}}))
          .ok());
  ASSERT_EQ(*engine_->DropPartitions("dfs://compoDB", {"/20170809/0_50", "/20170810/0_50"}, ""),
            2u);
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Rows({{2, "2017.08.10", 2.5}})).ok());
  BackupOutcome changed = Backup(repo());
  EXPECT_TRUE(changed.planned_by_changes);
  EXPECT_EQ(changed.units_written, 3);
  EXPECT_EQ(changed.units_reused, 7);

  // A full comparison of the same state into another repository makes the same snapshot.
  BackupOutcome compared = Backup(dir_ + "/other");
  EXPECT_FALSE(compared.planned_by_changes);
  auto [edited, edited_chunks] = HeadOf(repo());
  auto [whole, whole_chunks] = HeadOf(dir_ + "/other");
  EXPECT_EQ(edited_chunks, whole_chunks);
  EXPECT_EQ(edited_chunks.size(), 10u);
  EXPECT_EQ(edited.tree.chunks, 10u);
  EXPECT_EQ(edited.tree.rows, 1002u - 200u + 1u);
  EXPECT_EQ(edited.tables, whole.tables);
  EXPECT_EQ(edited.scheme, whole.scheme);
  EXPECT_EQ(edited.source_cid, whole.source_cid);
  EXPECT_EQ(edited.origin, whole.origin);
}

TEST_F(ChangedSinceTest, WhatChangesCannotTellTakesTheFullComparison) {
  Backup(repo());
  // A dropped partition is dropped from the snapshot too (snapshot=true): the catalog logged
  // the deletion, although it forgot the chunk.
  ASSERT_EQ(*engine_->DropPartitions("dfs://compoDB", {"/20170808/0_50"}, ""), 1u);
  EXPECT_TRUE(Backup(repo()).planned_by_changes);
  EXPECT_EQ(HeadOf(repo()).second.size(), 9u);
  EXPECT_TRUE(HeadOf(repo()).first.origin.exact);
  // A dropped table: removed_cid moves.
  ASSERT_TRUE(
      engine_->CreateTable("dfs://compoDB", "other", Batch().schema(), {"date", "ID"}).ok());
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "other", Batch()).ok());
  EXPECT_TRUE(Backup(repo()).planned_by_changes);
  EXPECT_EQ(HeadOf(repo()).second.size(), 19u);
  ASSERT_TRUE(engine_->DropTable("dfs://compoDB", "other").ok());
  EXPECT_FALSE(Backup(repo()).planned_by_changes);
  EXPECT_EQ(HeadOf(repo()).second.size(), 9u);
  EXPECT_TRUE(Backup(repo()).planned_by_changes);  // the drop is older than the head now

  // A selection, force, or (on a head that is exact) snapshot=false.
  request_.partitions = PartitionSelection::Paths({"/20170807/0_50"});
  EXPECT_FALSE(Backup(repo()).planned_by_changes);
  request_.partitions = PartitionSelection::All();
  EXPECT_FALSE(Backup(repo()).planned_by_changes);  // the head holds one partition's worth
  request_.force = true;
  EXPECT_FALSE(Backup(repo()).planned_by_changes);
  request_.force = false;

  // snapshot=false keeps the partitions the database dropped: its head is complete but not
  // exact, which a snapshot=false backup may edit and a snapshot=true one may not.
  request_.snapshot = false;
  ASSERT_EQ(*engine_->DropPartitions("dfs://compoDB", {"/20170809/0_50"}, ""), 1u);
  EXPECT_FALSE(Backup(repo()).planned_by_changes);
  EXPECT_FALSE(HeadOf(repo()).first.origin.exact);
  EXPECT_EQ(HeadOf(repo()).second.size(), 9u);
  EXPECT_TRUE(Backup(repo()).planned_by_changes);
  EXPECT_FALSE(HeadOf(repo()).first.origin.exact);
  request_.snapshot = true;
  EXPECT_FALSE(Backup(repo()).planned_by_changes);
  EXPECT_TRUE(HeadOf(repo()).first.origin.exact);
  EXPECT_EQ(HeadOf(repo()).second.size(), 8u);

  // Another data directory with a database of the same name backs up into the repository:
  // its cids are not this catalog's.
  {
    auto other = std::move(*Engine::Open(dir_ + "/data2"));
    auto scheme = *engine_->SchemeOf(*engine_->GetDatabase(*engine_->PinLatest(), "dfs://compoDB"));
    ASSERT_TRUE(other->CreateDatabase("dfs://compoDB", *scheme, {}).ok());
    ASSERT_TRUE(other->CreateTable("dfs://compoDB", "pt", Batch().schema(), {"date", "ID"}).ok());
    ASSERT_TRUE(other->Append("dfs://compoDB", "pt", Rows({{1, "2017.08.07", 2.5}})).ok());
    EXPECT_FALSE(Backup(*other, repo()).planned_by_changes);
    EXPECT_EQ(HeadOf(repo()).second.size(), 1u);
    EXPECT_TRUE(Backup(*other, repo()).planned_by_changes);
  }
  EXPECT_FALSE(Backup(repo()).planned_by_changes);
  EXPECT_EQ(HeadOf(repo()).second.size(), 8u);
}

// A backup by the changes since the head that is cancelled resumes like any other: the re-run
// reuses what the journal holds.
TEST_F(ChangedSinceTest, ACancelledRunResumes) {
  Backup(repo());
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
  TaskControl cancelled;
  cancelled.set_listener([&](const TaskProgress& p) {
    if (p.done_units >= 4) cancelled.Cancel();
  });
  auto first = RunBackup(*engine_, StoreSettings(), repo(), "", request_, cancelled);
  ASSERT_EQ(first.status().code(), StatusCode::kCancelled) << first.status().ToString();
  TaskControl control;
  auto second = RunBackup(*engine_, StoreSettings(), repo(), "", request_, control);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->planned_by_changes);
  EXPECT_EQ(second->units_written, 10);
  EXPECT_LE(control.progress().total_units, 10 - 4);
  EXPECT_EQ(HeadOf(repo()).first.tree.rows, 2000u);
}

}  // namespace
}  // namespace strata
