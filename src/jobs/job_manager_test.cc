#include "jobs/job_manager.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>

#include "base/file_util.h"

namespace strata {
namespace {

class JobManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_jobs_test");
    std::filesystem::create_directories(dir_);
    catalog_ = std::move(*Catalog::Open(dir_ + "/catalog.sqlite"));
    jobs_ = std::move(*JobManager::Open(*catalog_));
  }
  void TearDown() override {
    jobs_.reset();
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }
  JobSpec Backup(const std::string& db) {
    return JobSpec{"", "BACKUP_BY_COPY_FILE", "admin", db, "pt", "test", /*exclusive=*/true};
  }

  std::string dir_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<JobManager> jobs_;
};

TEST_F(JobManagerTest, OneExclusiveJobPerDatabaseAndPersistedRecords) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto id = jobs_->Submit(Backup("dfs://a"), [released](TaskControl& control) -> Result<Value> {
    control.SetTotals(2, 100);
    released.wait();
    control.AddDone(2, 100);
    return Value(Scalar::Int(Type::kInt, 2));
  });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // A second backup of the same database is refused and names the running job.
  auto second =
      jobs_->Run(Backup("dfs://a"), [](TaskControl&) -> Result<Value> { return Value(); });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(*id), std::string::npos) << second.status().message();
  // Another database is not affected.
  EXPECT_TRUE(
      jobs_->Run(Backup("dfs://b"), [](TaskControl&) -> Result<Value> { return Value(); }).ok());
  EXPECT_FALSE(jobs_->GetReturn(*id, /*wait=*/false, "admin", false).ok());
  release.set_value();
  auto result = jobs_->GetReturn(*id, /*wait=*/true, "admin", false);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->scalar().int_value(), 2);

  auto records = *jobs_->List();
  ASSERT_EQ(records.size(), 2u);
  auto record = *catalog_->FindJob(*id);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->state, "finished");
  EXPECT_EQ(record->done_units, 2);
  EXPECT_EQ(record->result, "2");
  EXPECT_GT(record->end_ms, 0);
}

TEST_F(JobManagerTest, CancelStopsAJobAndOnlyItsOwnerOrAnAdminMayCancel) {
  std::promise<void> started;
  auto id = jobs_->Submit(Backup("dfs://a"), [&started](TaskControl& control) -> Result<Value> {
    started.set_value();
    while (!control.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return Cancelled("stopped");
  });
  ASSERT_TRUE(id.ok());
  started.get_future().wait();
  EXPECT_EQ(jobs_->Cancel(*id, "bob", false).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(jobs_->Cancel(*id, "admin", false).ok());
  EXPECT_EQ(jobs_->GetReturn(*id, true, "admin", false).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(catalog_->FindJob(*id)->value().state, "cancelled");
}

TEST_F(JobManagerTest, JobsRunningWhenTheProcessDiedAreInterrupted) {
  JobRecord record{
      "job-1", "BACKUP_BY_COPY_FILE", "admin", "dfs://a", "", "", "running", 1, 0, 10, 3, 0, 0, "",
      ""};
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertJob(record).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  jobs_ = std::move(*JobManager::Open(*catalog_));
  auto found = *catalog_->FindJob("job-1");
  EXPECT_EQ(found->state, "interrupted");
  EXPECT_NE(found->error.find("re-run"), std::string::npos);
}

TEST_F(JobManagerTest, AJobIsDoneOnlyOnceItsFinalRecordIsPersisted) {
  std::promise<void> totals_set;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto id = jobs_->Submit(Backup("dfs://a"),
                          [&totals_set, released](TaskControl& control) -> Result<Value> {
                            control.SetTotals(1, 10);
                            totals_set.set_value();
                            released.wait();
                            control.AddDone(1, 10);
                            return Value(Scalar::Int(Type::kInt, 1));
                          });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  totals_set.get_future().wait();
  {
    // Holding the catalog's writer keeps the job's final record from being persisted.
    auto txn = *catalog_->Begin();
    release.set_value();
    for (int i = 0; i < 40; ++i) {
      auto early = jobs_->GetReturn(*id, /*wait=*/false, "admin", false);
      ASSERT_FALSE(early.ok()) << "the job's return was visible before its record was persisted";
      EXPECT_NE(early.status().message().find("still running"), std::string::npos)
          << early.status().message();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  auto result = jobs_->GetReturn(*id, /*wait=*/true, "admin", false);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto record = *catalog_->FindJob(*id);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->state, "finished");
  EXPECT_EQ(record->result, "1");
}

TEST_F(JobManagerTest, OnlyTheOwnerOrASuperuserGetsAResultAndALaterProcessNeverShowsIt) {
  auto id = jobs_->Submit(Backup("dfs://a"), [](TaskControl&) -> Result<Value> {
    return Value(Scalar::String(Type::kString, "secret-rows"));
  });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto other = jobs_->GetReturn(*id, /*wait=*/true, "mallory", false);
  EXPECT_EQ(other.status().code(), StatusCode::kPermissionDenied) << other.status().ToString();
  EXPECT_NE(other.status().message().find("belongs to 'admin'"), std::string::npos);
  auto superuser = jobs_->GetReturn(*id, /*wait=*/true, "root", true);
  ASSERT_TRUE(superuser.ok()) << superuser.status().ToString();
  EXPECT_EQ(superuser->scalar().string_value(), "secret-rows");

  jobs_ = std::move(*JobManager::Open(*catalog_));  // a later process
  ASSERT_NE(catalog_->FindJob(*id)->value().result.find("secret-rows"), std::string::npos);
  auto later_other = jobs_->GetReturn(*id, /*wait=*/false, "mallory", false);
  EXPECT_EQ(later_other.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(later_other.status().message().find("secret-rows"), std::string::npos);
  auto later_owner = jobs_->GetReturn(*id, /*wait=*/false, "admin", false);
  EXPECT_EQ(later_owner.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(later_owner.status().message().find("secret-rows"), std::string::npos)
      << later_owner.status().message();
}

}  // namespace
}  // namespace strata
