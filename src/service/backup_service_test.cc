// One instance, many sessions (DESIGN §11, issue 12): jobs belong to the instance, so a second
// session neither interrupts the first one's job nor gets past its hold on the database, and
// many sessions read and write while a backup of the same database runs.
#include "service/backup_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <numeric>
#include <thread>

#include "auth/auth.h"
#include "base/file_util.h"
#include "service/job_view.h"
#include "service/service_test_util.h"

namespace strata {
namespace {

// Holds a backup or restore at its first progress report (after the backup has pinned its
// snapshot and planned) until released: a hook, not a sleep.
class HoldingProgress : public ProgressObserver {
 public:
  void Start(const std::string&) override {}
  void Update(const TaskProgress&) override {
    if (held_.exchange(true)) return;
    reached_.count_down();
    released_.wait();
  }
  void Finish() override {}
  void WaitUntilHeld() { reached_.wait(); }
  void Release() { released_.count_down(); }

 private:
  std::atomic<bool> held_{false};
  std::latch reached_{1};
  std::latch released_{1};
};

class BackupServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_backup_service_test");
    auto engine = Engine::Open(dir_ + "/data");
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    ASSERT_TRUE(EnsureDefaultAdmin(engine_->catalog()).ok());
    instance_ = Instance::Open(engine_.get());
    auto admin = LoggedIn();
    auto scheme =
        PartitionScheme::Make(PartitionType::kValue, Value::Vector(Ids({1, 2, 3}).column(0)));
    ASSERT_TRUE(scheme.ok()) << scheme.status().ToString();
    for (const char* db : {"dfs://a", "dfs://b"}) {
      ASSERT_TRUE(admin->databases().CreateDatabase(db, **scheme, {}).ok());
      ASSERT_TRUE(admin->databases().CreateTable(db, "pt", Ids({}).schema(), {"id"}).ok());
      ASSERT_TRUE(admin->databases().Append(db, "pt", Ids({1, 2, 3, 1, 2, 3})).ok());
    }
  }
  void TearDown() override {
    instance_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Session> LoggedIn() {
    auto session = std::make_unique<Session>(*instance_);
    Status status = session->Login("admin", "123456");
    EXPECT_TRUE(status.ok()) << status.ToString();
    return session;
  }
  BackupSpec BackupOf(const std::string& db, const std::string& repository) {
    BackupSpec spec;
    spec.dir = dir_ + "/" + repository;
    spec.request.database = db;
    return spec;
  }
  // dfs://many: one row in each of 3000 VALUE partitions, backed up into "repo".
  void BackUpManyPartitions(Session& admin) {
    std::vector<int32_t> ids(3000);
    std::iota(ids.begin(), ids.end(), 1);
    auto scheme = PartitionScheme::Make(PartitionType::kValue, Value::Vector(Ids(ids).column(0)));
    ASSERT_TRUE(scheme.ok()) << scheme.status().ToString();
    ASSERT_TRUE(admin.databases().CreateDatabase("dfs://many", **scheme, {}).ok());
    ASSERT_TRUE(admin.databases().CreateTable("dfs://many", "pt", Ids({}).schema(), {"id"}).ok());
    ASSERT_TRUE(admin.databases().Append("dfs://many", "pt", Ids(ids)).ok());
    ASSERT_TRUE(BackupService(admin).Backup(BackupOf("dfs://many", "repo")).ok());
  }
  static uint64_t Rows(Session& session, const std::string& db) {
    auto scan = session.databases().OpenScan(db, "pt");
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    if (!scan.ok()) return 0;
    uint64_t rows = 0;
    for (const auto& chunk : scan->chunks) rows += chunk.rows;
    return rows;
  }
  static std::optional<JobRecord> FindBackupJob(Session& session, const std::string& db) {
    auto jobs = ListJobs(session, JobFilter{JobClass::kBackupOrRestore, ""});
    EXPECT_TRUE(jobs.ok()) << jobs.status().ToString();
    for (const auto& r : *jobs) {
      if (r.database == db) return r;
    }
    return std::nullopt;
  }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Instance> instance_;
};

TEST_F(BackupServiceTest, ASecondSessionLeavesTheFirstSessionsJobRunningAndWaitsForIt) {
  auto a = LoggedIn();
  HoldingProgress hold;
  a->set_progress(&hold);
  Result<BackupOutcome> a_outcome = Internal("not run");
  std::thread a_thread([&] { a_outcome = BackupService(*a).Backup(BackupOf("dfs://a", "repo")); });
  hold.WaitUntilHeld();

  // B opens a session on the same instance.
  auto b = LoggedIn();
  auto a_job = FindBackupJob(*b, "dfs://a");
  ASSERT_TRUE(a_job.has_value());
  EXPECT_EQ(a_job->state, "running");
  EXPECT_EQ(engine_->catalog().FindJob(a_job->id)->value().state, "running");

  // B works on another database meanwhile.
  auto b_other = BackupService(*b).Backup(BackupOf("dfs://b", "repo_b"));
  ASSERT_TRUE(b_other.ok()) << b_other.status().ToString();
  EXPECT_EQ(Rows(*b, "dfs://a"), 6u);

  // B's backup of A's database is refused, naming A's job.
  auto b_same = BackupService(*b).Backup(BackupOf("dfs://a", "repo_b"));
  ASSERT_FALSE(b_same.ok());
  EXPECT_EQ(b_same.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(b_same.status().message().find("job '" + a_job->id + "'"), std::string::npos)
      << b_same.status().message();
  EXPECT_EQ(FindBackupJob(*b, "dfs://a")->state, "running");

  hold.Release();
  a_thread.join();
  ASSERT_TRUE(a_outcome.ok()) << a_outcome.status().ToString();
  EXPECT_EQ(engine_->catalog().FindJob(a_job->id)->value().state, "finished");
}

TEST_F(BackupServiceTest, FiftySessionsQueryAndAppendWhileABackupRunsAndItHoldsItsSnapshot) {
  constexpr int kSessions = 50;
  auto admin = LoggedIn();
  const uint64_t pinned_rows = Rows(*admin, "dfs://a");
  HoldingProgress hold;
  auto backup_session = LoggedIn();
  backup_session->set_progress(&hold);
  Result<BackupOutcome> outcome = Internal("not run");
  std::thread backup(
      [&] { outcome = BackupService(*backup_session).Backup(BackupOf("dfs://a", "repo")); });
  hold.WaitUntilHeld();  // the backup has pinned its snapshot

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kSessions; ++i) {
    threads.emplace_back([&, i] {
      auto session = LoggedIn();
      if (Rows(*session, "dfs://a") < pinned_rows) ++failures;
      if (!session->databases().Append("dfs://a", "pt", Ids({1 + i % 3})).ok()) ++failures;
      if (Rows(*session, "dfs://b") != 6) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  hold.Release();
  backup.join();
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(Rows(*admin, "dfs://a"), pinned_rows + kSessions);

  // The backup holds the database as it was pinned, none of the appends made meanwhile.
  RestoreSpec restore;
  restore.dir = dir_ + "/repo";
  restore.request.database = "dfs://a";
  restore.request.target_database = "dfs://copy";
  restore.request.create_missing = true;
  auto restored = BackupService(*admin).Restore(restore);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(Rows(*admin, "dfs://copy"), pinned_rows);
}

TEST_F(BackupServiceTest, JobsAreVisibleToTheirOwnerAndSuperusersOnly) {
  ASSERT_TRUE(CreateUser(engine_->catalog(), "admin", "alice", "pw", UserRole::kUser).ok());
  ASSERT_TRUE(BackupService(*LoggedIn()).Backup(BackupOf("dfs://a", "repo")).ok());
  Session alice(*instance_);
  ASSERT_TRUE(alice.Login("alice", "pw").ok());
  EXPECT_TRUE(ListJobs(alice, {})->empty());
  auto others = ListJobs(alice, JobFilter{JobClass::kAll, "admin"});
  EXPECT_EQ(others.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ListJobs(*LoggedIn(), {})->size(), 1u);
  Session nobody(*instance_);
  EXPECT_FALSE(ListJobs(nobody, {}).ok());
}

// The service names no script call: the fix travels as a neutral remedy on the Status.
TEST_F(BackupServiceTest, RefusalsCarryNeutralRemedies) {
  ASSERT_TRUE(CreateUser(engine_->catalog(), "admin", "alice", "pw", UserRole::kUser).ok());
  Session alice(*instance_);
  ASSERT_TRUE(alice.Login("alice", "pw").ok());
  const std::string dir = dir_ + "/repo";
  auto pruned =
      BackupService(alice).Prune(dir, "", PruneRequest{.database = "dfs://a", .keep_last = 1});
  EXPECT_EQ(pruned.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pruned.status().remedy(), (Remedy{RemedyKind::kAskSuperuserToPrune, {dir, "dfs://a"}}));
  EXPECT_EQ(pruned.status().message().find("pruneBackup"), std::string::npos);
}

// checkBackup of a partition reads the head's path to it, not every tree: with the first leaf of
// the head's tree lost, partition /2999 checks clean, while a whole check, and one of the
// partitions under /1 (that leaf's), report the snapshot damaged. getBackupMeta's and
// loadBackup's reads of one partition do the same.
TEST_F(BackupServiceTest, CheckingOnePartitionReadsOnlyItsPathThroughTheTree) {
  auto admin = LoggedIn();
  BackUpManyPartitions(*admin);

  auto location = *OpenBackupDir(dir_ + "/repo", RepositoryOpen::kMustExist, StoreSettings());
  Manifest head = **FindHead(location, "dfs://many", /*with_chunks=*/false);
  ASSERT_GE(head.tree.height, 2);
  std::string leaf = head.tree.root;  // the first child of each node down from the root
  for (int64_t level = head.tree.height - 1; level > 0; --level) {
    auto node = location.repository->ReadObject(leaf);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    leaf = nlohmann::json::parse(node->content())["children"][0]["node"];
  }
  ASSERT_TRUE(location.repository->DeleteObject(leaf).ok());

  CheckSpec spec{dir_ + "/repo", "", "dfs://many", {"pt"}, "/many/2999", ""};
  auto one = BackupService(*admin).Check(spec);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_TRUE(one->damaged_snapshots.empty());
  EXPECT_TRUE(one->damaged_chunks.empty());
  ASSERT_TRUE(one->checked.has_value());
  ASSERT_EQ(one->checked->chunks.size(), 1u);
  EXPECT_EQ(one->checked->chunks[0].path, "/2999");
  for (const char* pattern : {"%", "/many/1%"}) {
    spec.pattern = pattern;
    auto all = BackupService(*admin).Check(spec);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->damaged_snapshots.size(), 1u) << pattern;
    EXPECT_EQ(all->damaged_snapshots[0].id, head.id);
    EXPECT_NE(all->damaged_snapshots[0].problem.find(leaf + " is missing"), std::string::npos)
        << all->damaged_snapshots[0].problem;
  }
  // getBackupMeta and loadBackup read the same path (OpenHeadAt); getBackupList reads every
  // leaf, the lost one too.
  auto at = BackupService(*admin).OpenHeadAt(dir_ + "/repo", "", "dfs://many", "pt", "/many/2999");
  ASSERT_TRUE(at.ok()) << at.status().ToString();
  ASSERT_EQ(at->manifest.chunks.size(), 1u);
  EXPECT_EQ(at->manifest.chunks[0].path, "/2999");
  auto opened = BackupService(*admin).OpenHead(dir_ + "/repo", "", "dfs://many");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Status listed =
      BackupService::ForEachChunk(*opened, "pt", [](const ManifestChunk&) { return Status::Ok(); });
  EXPECT_EQ(listed.code(), StatusCode::kCorruption) << listed.ToString();
}

// A whole check reads the snapshot's tree a leaf at a time and checks the chunks of each: a
// segment lost from a partition far from the first leaf is found, and named.
TEST_F(BackupServiceTest, AWholeCheckFindsADamagedPartitionInAnyLeaf) {
  auto admin = LoggedIn();
  BackUpManyPartitions(*admin);
  auto location = *OpenBackupDir(dir_ + "/repo", RepositoryOpen::kMustExist, StoreSettings());
  Manifest head = **FindHead(location, "dfs://many");
  ASSERT_GE(head.tree.height, 2);
  const ManifestChunk* lost = *FindChunk(head, "pt", "/2500");
  ASSERT_TRUE(location.repository->DeleteObject(lost->objects[0].id).ok());

  for (const std::string& snapshot_id : {std::string(), head.id}) {
    CheckSpec spec{dir_ + "/repo", "", "dfs://many", {}, "%", snapshot_id};
    auto all = BackupService(*admin).Check(spec);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_TRUE(all->damaged_snapshots.empty());
    ASSERT_EQ(all->damaged_chunks.size(), 1u);
    EXPECT_EQ(all->damaged_chunks[0].table, "pt");
    EXPECT_EQ(all->damaged_chunks[0].path, "/2500");
    EXPECT_EQ(all->damaged_chunks[0].chunk_id, lost->chunk_id);
    ASSERT_TRUE(all->checked.has_value());
    EXPECT_TRUE(all->checked->chunks.empty());  // read a leaf at a time, not kept
  }
  // A pattern that leaves the partition out finds nothing.
  CheckSpec spec{dir_ + "/repo", "", "dfs://many", {"pt"}, "/many/1%", ""};
  auto others = BackupService(*admin).Check(spec);
  ASSERT_TRUE(others.ok()) << others.status().ToString();
  EXPECT_TRUE(others->damaged_chunks.empty());
}

TEST_F(BackupServiceTest, SqlBackupsToS3AreRefusedBeforeAnyJobStarts) {
  BackupSpec spec = BackupOf("dfs://a", "unused");
  spec.dir = "s3://bucket/prefix";
  spec.request.method = BackupMethod::kSql;
  auto refused = BackupService(*LoggedIn()).Backup(spec);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("s3://"), std::string::npos);
  EXPECT_TRUE(ListJobs(*LoggedIn(), {})->empty());
}

}  // namespace
}  // namespace strata
