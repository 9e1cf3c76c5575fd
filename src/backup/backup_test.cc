// The backup engine against a real engine and a local repository: consistency while writers
// run, cancellation and resume.
#include "backup/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "backup/backup_test_fixture.h"
#include "backup/chunk_tree.h"
#include "backup/inspect.h"
#include "backup/manifest_test_util.h"
#include "backup/prune.h"
#include "backup/restore.h"
#include "base/file_util.h"
#include "base/json.h"
#include "partition/named_partitions.h"
#include "repository/fault_injecting_object_store.h"
#include "repository/key_file.h"
#include "repository/memory_object_store.h"
#include "types/temporal.h"

namespace strata {
namespace {

// The backup layer names no script call: a fix travels as a neutral remedy on the Status.
TEST_F(BackupEngineTest, ErrorsCarryNeutralRemedies) {
  std::filesystem::create_directories(repo());  // a directory that holds no repository
  auto empty = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  ASSERT_EQ(empty.status().code(), StatusCode::kNotFound) << empty.status().ToString();
  EXPECT_EQ(empty.status().remedy(), (Remedy{RemedyKind::kBackUpFirst, {repo()}}));
  EXPECT_EQ(empty.status().message().find("backup("), std::string::npos);
}

// A partition outside a backup's selection whose objects are gone is carried over unrestorable;
// the backup says so in a warning whose remedy (check, then a forced backup) the front end
// words.
TEST_F(BackupEngineTest, MissingObjectsOutsideTheSelectionWarnWithARemedy) {
  BackupRequest request;
  request.database = "dfs://compoDB";
  TaskControl first;
  ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, first).ok());
  EXPECT_TRUE(first.warnings().empty());
  for (const auto& c : Head().chunks) {
    if (c.path != "/20170807/0_50") continue;
    for (const auto& o : c.objects) {
      ASSERT_TRUE(std::filesystem::remove(repo() + "/objects/" + o.id.substr(0, 2) + "/" + o.id));
    }
  }
  request.partitions = PartitionSelection::Paths({"/20170808/0_50"});
  TaskControl second;
  ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, second).ok());
  auto warnings = second.warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].message().find("1 partitions outside this backup's selection name "
                                       "objects missing"),
            std::string::npos)
      << warnings[0].message();
  EXPECT_EQ(warnings[0].remedy(),
            (Remedy{RemedyKind::kCheckThenForceBackup, {repo(), "dfs://compoDB"}}));
}

// A repository whose head a version-1 strata wrote (chunks listed in the manifest) keeps
// working: the next backup reuses every chunk and writes a version-2 snapshot, whose chunk
// tree later snapshots share; prune keeps the nodes the kept snapshots need.
TEST_F(BackupEngineTest, VersionOneHeadsKeepWorkingAndTreesAreShared) {
  BackupRequest request;
  request.database = "dfs://compoDB";
  TaskControl first;
  ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, first).ok());
  Manifest head = Head();
  const std::vector<std::string> head_nodes = TreeNodes(head);
  ASSERT_EQ(head_nodes.size(), 1u);  // ten chunks: one leaf
  EXPECT_EQ(head.tree.chunks, 10u);
  // Make it what a version-1 strata left: the chunks in the manifest, no tree node.
  {
    auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
    ASSERT_TRUE(location.repository->DeleteObject(head_nodes[0]).ok());
    ASSERT_TRUE(location.repository->PutSnapshot(head.id, DumpJson(VersionOneDocument(head))).ok());
  }
  Manifest v1 = Head();
  EXPECT_EQ(v1.chunks, head.chunks);
  EXPECT_TRUE(v1.tree.root.empty());
  auto objects = [&] {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(repo() + "/objects")) {
      n += e.is_regular_file();
    }
    return n;
  };
  const size_t segments = objects();
  TaskControl second;
  auto outcome = RunBackup(*engine_, StoreSettings(), repo(), "", request, second);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->units_written, 0);
  EXPECT_EQ(outcome->units_reused, 10);
  Manifest v2 = Head();
  EXPECT_EQ(v2.parent, v1.id);
  EXPECT_EQ(v2.chunks, v1.chunks);       // unchanged chunks keep their identity
  ASSERT_EQ(TreeNodes(v2), head_nodes);  // the same entries make the same node
  EXPECT_EQ(objects(), segments + 1);
  // Unchanged again: the new snapshot shares the node.
  TaskControl third;
  ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, third).ok());
  EXPECT_EQ(Head().tree, v2.tree);
  EXPECT_EQ(objects(), segments + 1);
  // A change makes a new leaf; pruning to the newest deletes the old leaf and the old segment.
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
  TaskControl fourth;
  outcome = RunBackup(*engine_, StoreSettings(), repo(), "", request, fourth);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->units_written, 10);
  EXPECT_NE(Head().tree.root, v2.tree.root);
  auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  PruneRequest prune;
  prune.database = "dfs://compoDB";
  prune.keep_last = 1;
  auto pruned = PruneBackups(location, prune);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->snapshots_deleted, 3);
  // Ten segments stay: an append adds segments to a chunk. The old leaf goes.
  EXPECT_EQ(pruned->objects_deleted, 1);
  Manifest last = Head();
  EXPECT_EQ(TreeNodes(last).size(), 1u);
  for (const auto& id : TreeNodes(last)) {
    EXPECT_TRUE(*location.repository->HasObject(id));
  }
}

// Prune reads trees, not whole manifests: a missing node of a snapshot it drops does not matter,
// one of a snapshot it keeps stops the sweep (which objects that snapshot needs is unknown).
TEST_F(BackupEngineTest, PruneNeedsTheTreesOfTheSnapshotsItKeepsOnly) {
  BackupRequest request;
  request.database = "dfs://compoDB";
  std::vector<std::vector<std::string>> nodes;  // of each backup's tree
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
    }
    TaskControl control;
    ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, control).ok());
    nodes.push_back(TreeNodes(Head()));
    ASSERT_EQ(nodes.back().size(), 1u);
  }
  auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  ASSERT_TRUE(location.repository->DeleteObject(nodes[0][0]).ok());
  PruneRequest prune;
  prune.database = "dfs://compoDB";
  prune.keep_last = 3;
  auto pruned = PruneBackups(location, prune);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->snapshots_deleted, 1);
  EXPECT_TRUE(pruned->sweep_skipped.empty()) << pruned->sweep_skipped;
  EXPECT_EQ(pruned->objects_deleted, 0);  // its leaf was gone already; its segments are shared
  ASSERT_TRUE(location.repository->DeleteObject(nodes[3][0]).ok());
  prune.keep_last = 1;
  pruned = PruneBackups(location, prune);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->snapshots_deleted, 2);  // the policy still applies
  EXPECT_EQ(pruned->objects_deleted, 0);    // but the sweep does not: the newest is damaged
  EXPECT_NE(pruned->sweep_skipped.find("chunk tree node " + nodes[3][0] +
                                       " is missing from the repository"),
            std::string::npos)
      << pruned->sweep_skipped;
}

// Appends commit 100 rows to every partition at once, so any consistent image has equal row
// counts in all ten partitions; a backup mixing two commits would not.
TEST_F(BackupEngineTest, BackupWhileAppendingEqualsOnePinnedSnapshot) {
  std::atomic<bool> stop{false};
  std::atomic<int> appends{0};
  std::thread writer([&] {
    while (!stop) {
      ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
      ++appends;
    }
  });
  BackupRequest request;
  request.database = "dfs://compoDB";
  request.parallel = true;
  for (int round = 0; round < 8; ++round) {
    TaskControl control;
    auto outcome = RunBackup(*engine_, StoreSettings(), repo(), "", request, control);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    Manifest head = Head();
    ASSERT_EQ(head.chunks.size(), 10u);
    for (const auto& c : head.chunks) {
      EXPECT_EQ(c.rows, head.chunks[0].rows) << "round " << round << " chunk " << c.path;
      EXPECT_LE(c.cid, head.source_cid);
    }
  }
  stop = true;
  writer.join();
  EXPECT_GT(appends.load(), 0);
}

// Named RANGE partitions (as a Doris table has them) are kept by the catalog across a reopen,
// and a backup selects them by name; an unknown name fails before anything is written.
TEST_F(BackupEngineTest, NamedPartitionsAreSelectedByName) {
  auto scheme = MakeNamedRanges(
      Type::kInt, {{"p_low", Scalar::Int(Type::kInt, 0), Scalar::Int(Type::kInt, 50)},
                   {"p_high", Scalar::Int(Type::kInt, 50), Scalar::Int(Type::kInt, 100)}});
  ASSERT_TRUE(scheme.ok()) << scheme.status().ToString();
  ASSERT_TRUE(engine_->CreateDatabase("dfs://named", **scheme, {}).ok());
  ASSERT_TRUE(engine_->CreateTable("dfs://named", "pt", Batch().schema(), {"ID"}).ok());
  ASSERT_TRUE(engine_->Append("dfs://named", "pt", Batch()).ok());
  engine_.reset();
  engine_ = std::move(*Engine::Open(dir_ + "/data"));
  {
    auto pin = engine_->PinLatest();
    auto record = engine_->GetDatabase(*pin, "dfs://named");
    ASSERT_TRUE(record.ok());
    auto stored = engine_->SchemeOf(*record);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ((*stored)->partition_names(), (std::vector<std::string>{"p_low", "p_high"}));
  }

  BackupRequest request;
  request.database = "dfs://named";
  request.partitions = PartitionSelection::Names({"p_nope"});
  TaskControl refused;
  auto unknown = RunBackup(*engine_, StoreSettings(), repo(), "", request, refused);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("'p_nope' does not exist; the partitions are p_low, "
                                            "p_high"),
            std::string::npos)
      << unknown.status().message();
  EXPECT_FALSE(std::filesystem::exists(repo()));

  request.partitions = PartitionSelection::Names({"p_high"});
  TaskControl control;
  auto outcome = RunBackup(*engine_, StoreSettings(), repo(), "", request, control);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->units_written, 1);
  auto location = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  ASSERT_TRUE(location.ok());
  Manifest head = **FindHead(*location, "dfs://named");
  ASSERT_EQ(head.chunks.size(), 1u);
  EXPECT_EQ(head.chunks[0].path, "/p_high");  // a named partition's path is its name
  EXPECT_EQ(head.chunks[0].rows, 500);
}

// A cancelled backup into `key_path`'s encrypted repository ("": a plain one) resumes from its
// journal.
}  // namespace

void BackupEngineTest::CheckCancelledBackupResumes(const std::string& key_path) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
  BackupRequest request;
  request.database = "dfs://compoDB";
  TaskControl cancelled;
  int finished = 0;
  cancelled.set_listener([&](const TaskProgress& p) {
    finished = static_cast<int>(p.done_units);
    if (p.done_units >= 4) cancelled.Cancel();
  });
  auto first = RunBackup(*engine_, StoreSettings(), repo(), key_path, request, cancelled);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kCancelled);
  EXPECT_NE(first.status().message().find("run the same call again to resume"), std::string::npos);
  EXPECT_GE(finished, 4);
  // No snapshot yet; the re-run copies only what is left but reports the call's 10 units.
  TaskControl control;
  auto second = RunBackup(*engine_, StoreSettings(), repo(), key_path, request, control);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->units_written, 10);
  EXPECT_LE(control.progress().total_units, 10 - 4);
  // The journal is gone once the manifest is written.
  auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings(), key_path);
  EXPECT_EQ(location.repository->encrypted(), !key_path.empty());
  EXPECT_TRUE(location.store->List("journal/")->empty());
  EXPECT_TRUE(location.store->List("locks/")->empty());
}

namespace {

TEST_F(BackupEngineTest, CancelledBackupResumesAndCountsTheWholeCall) {
  CheckCancelledBackupResumes("");
}

// A re-run that takes nothing from its journal (as one past kJournalChunksKept takes nothing
// from the later parts) plans every partition again, finds the objects the first run stored,
// and stores only the rest: the same snapshot as a backup into an empty directory.
TEST_F(BackupEngineTest, AReRunThatTakesNothingFromItsJournalStoresNothingTwice) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
  BackupRequest request;
  request.database = "dfs://compoDB";
  TaskControl cancelled;
  cancelled.set_listener([&](const TaskProgress& p) {
    if (p.done_units >= 4) cancelled.Cancel();
  });
  ASSERT_EQ(RunBackup(*engine_, StoreSettings(), repo(), "", request, cancelled).status().code(),
            StatusCode::kCancelled);
  TaskControl whole;
  auto fresh = RunBackup(*engine_, StoreSettings(), dir_ + "/fresh", "", request, whole);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  request.journal_chunks_kept = 0;
  TaskControl control;
  auto second = RunBackup(*engine_, StoreSettings(), repo(), "", request, control);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->units_written, 10);
  EXPECT_EQ(control.progress().total_units, 10);  // nothing taken from the journal
  EXPECT_GT(second->bytes_written, 0u);
  EXPECT_LT(second->bytes_written, fresh->bytes_written);  // the first run's objects stay
  auto location = *OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  auto fresh_location =
      *OpenBackupDir(dir_ + "/fresh", RepositoryOpen::kMustExist, StoreSettings());
  Manifest head = **FindHead(location, "dfs://compoDB");
  Manifest fresh_head = **FindHead(fresh_location, "dfs://compoDB");
  EXPECT_EQ(*ReadChunkTree(*location.repository, head.tree, head.id),
            *ReadChunkTree(*fresh_location.repository, fresh_head.tree, fresh_head.id));
  EXPECT_TRUE(location.store->List("journal/")->empty());
}

TEST_F(BackupEngineTest, CancelledEncryptedBackupResumesToo) {
  ASSERT_TRUE(CreateKeyFile(dir_ + "/backup.key").ok());
  CheckCancelledBackupResumes(dir_ + "/backup.key");
}

// A session that may not create repositories (not a superuser) is refused where none is, even
// when the builtin's earlier check found one (it was removed in between): nothing is created.
TEST_F(BackupEngineTest, ABackupThatMayNotCreateARepositoryCreatesNone) {
  BackupRequest request;
  request.database = "dfs://compoDB";
  request.create_repository = false;
  TaskControl control;
  auto refused = RunBackup(*engine_, StoreSettings(), repo(), "", request, control);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("only a superuser may create one"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(repo()));
  // Into an existing repository the same request is fine.
  request.create_repository = true;
  ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, control).ok());
  request.create_repository = false;
  EXPECT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, control).ok());
}

// A backup target over `inner` through a fault-injecting store, with the repository it holds
// (none when it is empty).
BackupLocation FaultyTarget(MemoryObjectStore& inner, FaultOptions options) {
  BackupLocation location;
  location.dir = "memory";
  location.lock_lease_ms = 600'000;
  location.store = std::make_unique<FaultInjectingObjectStore>(&inner, options);
  auto repository = Repository::Open(location.store.get(), RepositoryOpen::kMustExist);
  if (repository.ok()) location.repository = std::move(*repository);
  return location;
}

// What `inner` holds for compoDB: every snapshot is checked; returns how many there are.
size_t ExpectConsistent(MemoryObjectStore& inner, const std::string& context) {
  BackupLocation location = FaultyTarget(inner, {});
  if (!location.repository) return 0;
  auto snapshots = ListSnapshotsOf(location, "dfs://compoDB");
  EXPECT_TRUE(snapshots.ok()) << context << ": " << snapshots.status().ToString();
  if (!snapshots.ok()) return 0;
  for (Manifest manifest : *snapshots) {
    Status read = LoadChunks(*location.repository, manifest);
    EXPECT_TRUE(read.ok()) << context << ": " << read.ToString();
    std::vector<const ManifestChunk*> chunks;
    uint64_t rows = 0;
    for (const auto& c : manifest.chunks) {
      chunks.push_back(&c);
      rows += c.rows;
    }
    EXPECT_EQ(rows, 1000u) << context << ": snapshot " << manifest.id;
    TaskControl control;
    auto damaged = CheckChunks(*location.repository, chunks, false, control);
    EXPECT_TRUE(damaged.ok()) << context << ": " << damaged.status().ToString();
    if (damaged.ok()) {
      EXPECT_TRUE(damaged->empty()) << context << ": " << damaged->front().problem;
    }
  }
  return snapshots->size();
}

// For every write a full backup makes, a store that refuses that one write: the call fails
// with no snapshot (or succeeds when the write was a best-effort one after the manifest), the
// repository holds only snapshots that check clean, and the same call run again completes.
TEST_F(BackupEngineTest, ABackupFailingOnAnyWriteLeavesTheRepositoryConsistent) {
  BackupRequest request;
  request.database = "dfs://compoDB";
  uint64_t writes = 0;
  {
    MemoryObjectStore inner;
    BackupLocation location = FaultyTarget(inner, {});
    TaskControl control;
    ASSERT_TRUE(RunBackup(*engine_, location, request, control).ok());
    writes = static_cast<FaultInjectingObjectStore*>(location.store.get())->writes();
  }
  ASSERT_GE(writes, 10u);  // ten segments, the marker, the lock, the journal, the manifest
  for (uint64_t n = 1; n <= writes; ++n) {
    const std::string context = "write " + std::to_string(n) + " of " + std::to_string(writes);
    MemoryObjectStore inner;
    bool first_ok = false;
    {
      BackupLocation location = FaultyTarget(inner, {.fail_write = n});
      TaskControl control;
      auto outcome = RunBackup(*engine_, location, request, control);
      first_ok = outcome.ok();
      if (!first_ok) {
        EXPECT_NE(outcome.status().message().find("injected fault"), std::string::npos)
            << context << ": " << outcome.status().ToString();
      }
    }
    EXPECT_EQ(ExpectConsistent(inner, context), first_ok ? 1u : 0u) << context;
    BackupLocation location = FaultyTarget(inner, {});
    TaskControl control;
    auto rerun = RunBackup(*engine_, location, request, control);
    ASSERT_TRUE(rerun.ok()) << context << ": " << rerun.status().ToString();
    EXPECT_EQ(ExpectConsistent(inner, context), first_ok ? 2u : 1u) << context;
  }
}

// A table with partitions of its own (a Doris table) keeps them through a backup: the manifest
// carries its scheme and definition, a restore re-creates it with them, an incremental backup
// after ALTER reuses the chunks that remain and carries none of the dropped ones, and a
// snapshot whose paths the table no longer holds is refused naming the path.
TEST_F(BackupEngineTest, TablesWithPartitionsOfTheirOwnRoundTrip) {
  auto wide = *PartitionScheme::Make(
      PartitionType::kRange, Value::Vector(Column(Type::kInt, std::vector<int32_t>{0, 50, 100})));
  const nlohmann::json definition = {{"key_model", "DUPLICATE"}};
  ASSERT_TRUE(engine_
                  ->CreateTable("dfs://compoDB", "own", Batch().schema(), {"ID"},
                                TableOptions{wide.get(), definition})
                  .ok());
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "own", Batch()).ok());
  BackupRequest request;
  request.database = "dfs://compoDB";
  TaskControl first;
  auto full = RunBackup(*engine_, StoreSettings(), repo(), "", request, first);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  Manifest head = Head();
  const ManifestTable* own = head.FindTable("own");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->scheme, wide->ToJson());
  EXPECT_EQ(own->definition, definition);
  EXPECT_TRUE(head.FindTable("pt")->scheme.is_null());

  auto narrow = *PartitionScheme::Make(
      PartitionType::kRange, Value::Vector(Column(Type::kInt, std::vector<int32_t>{0, 50})));
  ASSERT_EQ(*engine_->AlterTablePartitions("dfs://compoDB", "own", *narrow), 1u);
  TaskControl second;
  auto incremental = RunBackup(*engine_, StoreSettings(), repo(), "", request, second);
  ASSERT_TRUE(incremental.ok()) << incremental.status().ToString();
  EXPECT_EQ(incremental->units_written, 0);
  head = Head();
  EXPECT_EQ(head.FindTable("own")->scheme, narrow->ToJson());
  std::vector<std::string> own_paths;
  for (const auto& c : head.chunks) {
    if (c.table == "own") own_paths.push_back(c.path);
  }
  EXPECT_EQ(own_paths, (std::vector<std::string>{"/0_50"}));

  ASSERT_TRUE(engine_->DropTable("dfs://compoDB", "own").ok());
  auto location = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  ASSERT_TRUE(location.ok());
  RestoreRequest restore;
  restore.database = "dfs://compoDB";
  restore.tables = {"own"};
  restore.create_missing = true;
  TaskControl restoring;
  auto restored = RunRestore(*engine_, *location, head, restore, restoring);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  auto ref = *engine_->GetTable(*engine_->PinLatest(), "dfs://compoDB", "own");
  EXPECT_EQ(ref.table.scheme, narrow->ToJson());
  EXPECT_EQ(ref.table.definition, definition);
  EXPECT_EQ((*engine_->ListChunks(*engine_->PinLatest(), ref))[0].rows, 500u);

  auto old = ResolveSnapshot(*location, "dfs://compoDB", full->snapshot_id);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  TaskControl refused_control;
  auto refused = RunRestore(*engine_, *location, *old, restore, refused_control);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("/50_100"), std::string::npos)
      << refused.status().message();
}

// Doris's "a dropped partition comes back": restoring into a table that dropped a named
// partition since the backup adds it back with its rows; a partition of that name that now
// holds other values is refused naming both ranges.
TEST_F(BackupEngineTest, RestoreBringsADroppedNamedPartitionBack) {
  auto int_value = [](int v) { return Scalar::Int(Type::kInt, v); };
  auto named = MakeNamedRanges(Type::kInt, {{"p_low", int_value(0), int_value(50)},
                                            {"p_high", int_value(50), int_value(100)}});
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  ASSERT_TRUE(engine_
                  ->CreateTable("dfs://compoDB", "own", Batch().schema(), {"ID"},
                                TableOptions{named->get(), nullptr})
                  .ok());
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "own", Batch()).ok());
  BackupRequest request;
  request.database = "dfs://compoDB";
  request.tables = {"own"};
  TaskControl backing_up;
  ASSERT_TRUE(RunBackup(*engine_, StoreSettings(), repo(), "", request, backing_up).ok());
  auto without_high = *DropNamedPartition(**named, "p_high");
  ASSERT_EQ(*engine_->AlterTablePartitions("dfs://compoDB", "own", *without_high), 1u);

  auto location = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
  ASSERT_TRUE(location.ok());
  RestoreRequest restore;
  restore.database = "dfs://compoDB";
  restore.tables = {"own"};
  restore.force = true;
  TaskControl restoring;
  auto restored = RunRestore(*engine_, *location, Head(), restore, restoring);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  auto ref = *engine_->GetTable(*engine_->PinLatest(), "dfs://compoDB", "own");
  EXPECT_EQ((*engine_->SchemeOf(ref))->partition_names(),
            (std::vector<std::string>{"p_low", "p_high"}));
  uint64_t rows = 0;
  auto chunks = engine_->ListChunks(*engine_->PinLatest(), ref);
  ASSERT_TRUE(chunks.ok());
  for (const auto& c : *chunks) rows += c.rows;
  EXPECT_EQ(rows, 1000u);

  auto narrower = *AddNamedRange(*without_high, {"p_high", int_value(50), int_value(60)});
  ASSERT_TRUE(engine_->AlterTablePartitions("dfs://compoDB", "own", *narrower).ok());
  TaskControl conflicting;
  auto refused = RunRestore(*engine_, *location, Head(), restore, conflicting);
  ASSERT_EQ(refused.status().code(), StatusCode::kFailedPrecondition)
      << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("partition p_high [50, 60) in table 'own'"),
            std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace strata
