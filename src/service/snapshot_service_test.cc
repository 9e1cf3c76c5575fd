// Doris's repositories and snapshot jobs through the service layer: CREATE REPOSITORY's checks,
// BACKUP/RESTORE SNAPSHOT validated at submission and run as jobs, named partitions selected,
// a READ ONLY repository attached to the same location.
#include "service/snapshot_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <latch>
#include <thread>

#include "auth/auth.h"
#include "base/file_util.h"
#include "partition/named_partitions.h"
#include "service/repository_service.h"
#include "service/service_test_util.h"

namespace strata {
namespace {

Scalar Int(int v) { return Scalar::Int(Type::kInt, v); }

class SnapshotServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_snapshot_test");
    auto engine = Engine::Open(dir_ + "/data");
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    ASSERT_TRUE(EnsureDefaultAdmin(engine_->catalog()).ok());
    instance_ = Instance::Open(engine_.get());
    admin_ = std::make_unique<Session>(*instance_);
    ASSERT_TRUE(admin_->Login("admin", "123456").ok());
    // A Doris-style table: named ranges p1 [MIN, 10), p2 [10, 20) of `id`.
    auto db_scheme =
        PartitionScheme::Make(PartitionType::kValue, Value::Vector(Ids({1}).column(0)));
    ASSERT_TRUE(admin_->databases().CreateDatabase("dfs://shop", **db_scheme, {}).ok());
    auto named =
        MakeNamedRanges(Type::kInt, {{"p1", std::nullopt, Int(10)}, {"p2", Int(10), Int(20)}});
    ASSERT_TRUE(named.ok()) << named.status().ToString();
    ASSERT_TRUE(admin_->databases()
                    .CreateTable("dfs://shop", "t", Ids({}).schema(), {"id"},
                                 TableOptions{named->get(), nlohmann::json{{"sql", 1}}})
                    .ok());
    ASSERT_TRUE(admin_->databases().Append("dfs://shop", "t", Ids({1, 2, 11, 12, 13})).ok());
    RepositorySpec repo{"repo", false, "LOCAL", "file://" + dir_ + "/bak", {}};
    ASSERT_TRUE(RepositoryService(*admin_).Create(repo).ok());
  }
  void TearDown() override {
    admin_.reset();
    instance_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void WaitForJobs() { (*instance_->jobs())->WaitAll(); }
  uint64_t Rows(const std::string& table) {
    auto scan = admin_->databases().OpenScan("dfs://shop", table);
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    uint64_t rows = 0;
    if (scan.ok()) {
      for (const auto& chunk : scan->chunks) rows += chunk.rows;
    }
    return rows;
  }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Instance> instance_;
  std::unique_ptr<Session> admin_;
};

// One backup or restore per database: while a job holds the database (here a foreground job
// that waits on a latch, so the test does not race), a submission is refused naming it.
TEST_F(SnapshotServiceTest, ASubmissionWhileTheDatabaseIsBusyNamesTheJob) {
  JobManager* jobs = *instance_->jobs();
  std::latch started(1), release(1);
  JobSpec holder;
  holder.id = "job-holding-shop";
  holder.kind = JobKind::kBackupByCopyFile;
  holder.user = "admin";
  holder.database = "dfs://shop";
  std::thread thread([&] {
    (void)jobs->Run(holder, [&](TaskControl&) -> Result<Value> {
      started.count_down();
      release.wait();
      return Value();
    });
  });
  started.wait();
  auto busy = SnapshotService(*admin_).SubmitBackup({"dfs://shop", "b1", "repo", {}});
  EXPECT_EQ(busy.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(busy.status().message().find("job-holding-shop"), std::string::npos)
      << busy.status().message();
  release.count_down();
  thread.join();
  ASSERT_TRUE(SnapshotService(*admin_).SubmitBackup({"dfs://shop", "b1", "repo", {}}).ok());
  WaitForJobs();
}

TEST_F(SnapshotServiceTest, RepositoriesAreCheckedWhenCreatedAndNeverShowSecrets) {
  RepositoryService repositories(*admin_);
  auto again = repositories.Create({"repo", false, "LOCAL", "file://" + dir_ + "/other", {}});
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  auto bad_type = repositories.Create({"r2", false, "HDFS", "hdfs://x", {}});
  EXPECT_NE(bad_type.message().find("use WITH S3 or WITH LOCAL"), std::string::npos);
  auto bad_local = repositories.Create({"r2", false, "LOCAL", "/no/scheme", {}});
  EXPECT_NE(bad_local.message().find("file:///absolute/path"), std::string::npos);
  auto unknown = repositories.Create(
      {"r2", false, "S3", "s3://b/p", {{"s3.secret_key", "TOPSECRET"}, {"s3.bogus", "x"}}});
  EXPECT_NE(unknown.message().find("unknown property 's3.bogus'"), std::string::npos)
      << unknown.message();
  auto missing =
      repositories.Create({"r2", false, "S3", "s3://b/p", {{"s3.secret_key", "TOPSECRET"}}});
  EXPECT_NE(missing.message().find("needs the property 's3.endpoint'"), std::string::npos)
      << missing.message();
  auto bad_flag =
      repositories.Create({"r2",
                           false,
                           "S3",
                           "s3://b/p",
                           {{"AWS_SECRET_KEY", "TOPSECRET"}, {"use_path_style", "yes"}}});
  EXPECT_NE(bad_flag.message().find("use_path_style"), std::string::npos);
  for (const Status& s : {unknown, missing, bad_flag}) {
    EXPECT_EQ(s.message().find("TOPSECRET"), std::string::npos) << s.message();
  }
  // READ ONLY must find a repository; an empty location is refused at once.
  auto empty_read_only = repositories.Create({"r2", true, "LOCAL", "file://" + dir_ + "/none", {}});
  EXPECT_EQ(empty_read_only.code(), StatusCode::kNotFound) << empty_read_only.ToString();
  // Only superusers.
  ASSERT_TRUE(CreateUser(engine_->catalog(), "admin", "bob", "pw123456", UserRole::kUser).ok());
  Session bob(*instance_);
  ASSERT_TRUE(bob.Login("bob", "pw123456").ok());
  auto denied = RepositoryService(bob).Create({"r3", false, "LOCAL", "file://" + dir_ + "/b", {}});
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RepositoryService(bob).Drop("repo").code(), StatusCode::kPermissionDenied);
  auto listed = repositories.List(true);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "repo");
  EXPECT_EQ((*listed)[0].error, "");
}

TEST_F(SnapshotServiceTest, BackupSelectsNamedPartitionsAndRestoreBringsThemBack) {
  SnapshotService snapshots(*admin_);
  SnapshotBackupSpec spec{"dfs://shop", "s1", "repo", {{"t", {"p2"}, ""}}, false, false};
  auto job = snapshots.SubmitBackup(spec);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  WaitForJobs();
  auto jobs = snapshots.ListJobs(SnapshotJobKind::kBackup, "dfs://shop");
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].record.state, "finished") << (*jobs)[0].record.error;
  EXPECT_EQ((*jobs)[0].objects, (std::vector<std::string>{"shop.t PARTITION (p2)"}));
  auto listed = snapshots.ListSnapshots("repo", true);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  const SnapshotView& s1 = (*listed)[0];
  EXPECT_EQ(s1.label, "s1");
  ASSERT_EQ(s1.manifest.chunks.size(), 1u);
  EXPECT_EQ(s1.manifest.chunks[0].path, "/p2");

  // What can be known at submission fails the statement.
  EXPECT_EQ(snapshots.SubmitBackup(spec).status().code(), StatusCode::kAlreadyExists);
  auto no_partition = snapshots.SubmitBackup({"dfs://shop", "s2", "repo", {{"t", {"p9"}, ""}}});
  EXPECT_NE(no_partition.status().message().find("partition 'p9' does not exist in table 't'"),
            std::string::npos)
      << no_partition.status().message();
  auto no_table = snapshots.SubmitBackup({"dfs://shop", "s2", "repo", {{"nope", {}, ""}}});
  EXPECT_EQ(no_table.status().code(), StatusCode::kNotFound);
  auto no_repo = snapshots.SubmitBackup({"dfs://shop", "s2", "nope", {}});
  EXPECT_NE(no_repo.status().message().find("repository 'nope' does not exist"), std::string::npos);

  // Restore: the timestamp is required and must be the label's.
  SnapshotRestoreSpec restore{"dfs://shop", "s1", "repo", "", {}, false, false};
  EXPECT_NE(snapshots.SubmitRestore(restore).status().message().find("backup_timestamp"),
            std::string::npos);
  restore.timestamp = "2000-01-01-00-00-00";
  auto wrong = snapshots.SubmitRestore(restore);
  EXPECT_NE(wrong.status().message().find(s1.timestamp), std::string::npos)
      << wrong.status().message();
  restore.timestamp = s1.timestamp;
  // p2 dropped since: the restore brings it back; AS restores a copy under a new name.
  auto without_p2 = DropNamedPartition(
      *(*admin_->databases().SchemeOf(*admin_->databases().GetTable("dfs://shop", "t"))), "p2");
  ASSERT_TRUE(without_p2.ok());
  ASSERT_TRUE(admin_->databases().AlterTablePartitions("dfs://shop", "t", **without_p2).ok());
  EXPECT_EQ(Rows("t"), 2u);
  auto first = snapshots.SubmitRestore(restore);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  WaitForJobs();
  restore.tables = {{"t", {}, "t_copy"}};
  auto second = snapshots.SubmitRestore(restore);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  WaitForJobs();
  auto restores = snapshots.ListJobs(SnapshotJobKind::kRestore, "dfs://shop");
  ASSERT_TRUE(restores.ok());
  ASSERT_EQ(restores->size(), 2u);
  for (const auto& r : *restores) EXPECT_EQ(r.record.state, "finished") << r.record.error;
  EXPECT_EQ(Rows("t"), 5u);
  EXPECT_EQ(Rows("t_copy"), 3u);
  // clean_tables drops, in the restore's commit, the tables the snapshot lacks.
  restore.tables.clear();
  restore.clean_tables = true;
  ASSERT_TRUE(snapshots.SubmitRestore(restore).ok());
  WaitForJobs();
  auto cleaned = snapshots.ListJobs(SnapshotJobKind::kRestore, "dfs://shop");
  ASSERT_TRUE(cleaned.ok());
  EXPECT_EQ(cleaned->back().record.state, "finished") << cleaned->back().record.error;
  auto tables = admin_->databases().ListTables("dfs://shop");
  ASSERT_TRUE(tables.ok());
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].name, "t");

  // A READ ONLY repository on the same location sees the snapshot and takes no backup.
  RepositoryService repositories(*admin_);
  ASSERT_TRUE(repositories.Create({"ro", true, "LOCAL", "file://" + dir_ + "/bak", {}}).ok());
  auto seen = snapshots.ListSnapshots("ro", true);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->size(), 1u);
  auto refused = snapshots.SubmitBackup({"dfs://shop", "s3", "ro", {}});
  EXPECT_NE(refused.status().message().find("READ ONLY"), std::string::npos);
  EXPECT_NE(snapshots.DropSnapshot("ro", "s1", "").message().find("READ ONLY"), std::string::npos);
  ASSERT_TRUE(repositories.Drop("ro").ok());
  EXPECT_EQ(repositories.Drop("ro").code(), StatusCode::kNotFound);
}

// DROP SNAPSHOT deletes the label's backup, even the newest (the database's head moves down to
// the one before), and what no other snapshot references; the next backup still works.
TEST_F(SnapshotServiceTest, DropSnapshotDeletesTheLabelAndMovesTheHead) {
  SnapshotService snapshots(*admin_);
  ASSERT_TRUE(snapshots.SubmitBackup({"dfs://shop", "old", "repo", {}}).ok());
  WaitForJobs();
  ASSERT_TRUE(admin_->databases().Append("dfs://shop", "t", Ids({3})).ok());
  ASSERT_TRUE(snapshots.SubmitBackup({"dfs://shop", "new", "repo", {}}).ok());
  WaitForJobs();
  auto listed = snapshots.ListSnapshots("repo", true);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(snapshots.DropSnapshot("repo", "new", "1999-01-01-00-00-00").code(),
            StatusCode::kNotFound);
  EXPECT_EQ(snapshots.DropSnapshot("repo", "nope", "").code(), StatusCode::kNotFound);
  Status dropped = snapshots.DropSnapshot("repo", "new", (*listed)[1].timestamp);
  ASSERT_TRUE(dropped.ok()) << dropped.ToString();
  listed = snapshots.ListSnapshots("repo", true);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].label, "old");
  // The label may be used again, and a backup after the drop finds a sound head.
  ASSERT_TRUE(snapshots.SubmitBackup({"dfs://shop", "new", "repo", {}}).ok());
  WaitForJobs();
  auto jobs = snapshots.ListJobs(SnapshotJobKind::kBackup, "dfs://shop");
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ(jobs->back().record.state, "finished") << jobs->back().record.error;
  ASSERT_TRUE(snapshots.DropSnapshot("repo", "old", "").ok());
  ASSERT_TRUE(snapshots.DropSnapshot("repo", "new", "").ok());
  EXPECT_TRUE(snapshots.ListSnapshots("repo", true)->empty());
  ASSERT_TRUE(snapshots.SubmitBackup({"dfs://shop", "again", "repo", {}}).ok());
  WaitForJobs();
  EXPECT_EQ(snapshots.ListJobs(SnapshotJobKind::kBackup, "dfs://shop")->back().record.state,
            "finished");
}

}  // namespace
}  // namespace strata
