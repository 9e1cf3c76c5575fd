#include "jobs/job_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

#include "base/file_util.h"

namespace strata {
namespace {

const JobCaller kAdmin{"admin", JobAccess::kOwnJobs};
const JobCaller kRoot{"root", JobAccess::kAllJobs};

Result<Value> Nothing(TaskControl&) { return Value(); }

// Work that blocks until `released`, then returns `value`.
JobWork Held(std::shared_future<void> released, int64_t value = 0) {
  return [released, value](TaskControl&) -> Result<Value> {
    released.wait();
    return Value(Scalar::Int(Type::kInt, value));
  };
}

JobWork Returns(int64_t value) {
  return [value](TaskControl&) -> Result<Value> { return Value(Scalar::Int(Type::kInt, value)); };
}

// Work that ends when cancelled (by cancelJob or its timeout).
Result<Value> UntilCancelled(TaskControl& control) {
  while (!control.cancelled()) std::this_thread::yield();
  return Cancelled("stopped");
}

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
  void Reopen(JobManagerOptions options) {
    jobs_.reset();
    jobs_ = std::move(*JobManager::Open(*catalog_, std::move(options)));
  }
  static JobSpec Backup(const std::string& db, std::string id = "") {
    JobSpec spec;
    spec.id = std::move(id);
    spec.kind = JobKind::kBackupByCopyFile;
    spec.user = "admin";
    spec.database = db;
    spec.table = "pt";
    spec.label = "test";
    return spec;
  }
  static JobSpec Script(std::string id) {
    JobSpec spec;
    spec.id = std::move(id);
    spec.user = "admin";
    return spec;
  }
  std::string StateOf(const std::string& id) {
    auto records = jobs_->List();
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    if (!records.ok()) return "unlisted";
    for (const auto& r : *records) {
      if (r.id == id) return r.state;
    }
    return "absent";
  }

  std::string dir_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<JobManager> jobs_;
};

TEST_F(JobManagerTest, KindsAndStatesKeepTheirStoredNames) {
  for (JobKind kind : {JobKind::kBackupByCopyFile, JobKind::kBackupBySql,
                       JobKind::kRestoreByCopyFile, JobKind::kRestoreBySql, JobKind::kScript}) {
    EXPECT_EQ(ParseJobKind(JobKindName(kind)), kind);
  }
  EXPECT_STREQ(JobKindName(JobKind::kBackupByCopyFile), "BACKUP_BY_COPY_FILE");
  EXPECT_STREQ(JobKindName(JobKind::kRestoreBySql), "RESTORE_BY_SQL");
  for (JobState state : {JobState::kQueued, JobState::kRunning, JobState::kFinished,
                         JobState::kFailed, JobState::kCancelled, JobState::kInterrupted}) {
    EXPECT_EQ(ParseJobState(JobStateName(state)), state);
  }
  EXPECT_STREQ(JobStateName(JobState::kInterrupted), "interrupted");
  EXPECT_FALSE(ParseJobKind("OTHER").has_value());
}

// A failed job's record keeps its error in the words of the front end that ran it, remedy
// included; the caller still gets the Status with its neutral remedy.
TEST_F(JobManagerTest, AFailedJobsRecordWordsItsRemedyAsTheFrontEndDoes) {
  JobSpec spec = Backup("dfs://a", "restore-1");
  spec.error_wording = [](const Status& status) {
    return status.message() + " (remedy " + std::to_string(static_cast<int>(status.remedy().kind)) +
           ")";
  };
  Remedy remedy{RemedyKind::kCreateDatabase, {"dfs://a"}};
  auto failed = jobs_->Run(spec, [&](TaskControl&) -> Result<Value> {
    return NotFound("database 'dfs://a' does not exist").WithRemedy(remedy);
  });
  EXPECT_EQ(failed.status().remedy(), remedy);
  auto records = jobs_->List();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().error,
            "database 'dfs://a' does not exist (remedy " +
                std::to_string(static_cast<int>(RemedyKind::kCreateDatabase)) + ")");
}

TEST_F(JobManagerTest, OneExclusiveJobPerDatabaseAndPersistedRecords) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto id = jobs_->Submit(Backup("dfs://a"), [released](TaskControl& control) -> Result<Value> {
    control.SetTotals(2, 100, {{"pt", 1, 0}, {"pt1", 1, 0}, {"empty", 0, 0}});
    released.wait();
    control.AddDone(1, 60, "pt1");
    control.AddDone(1, 40, "pt");
    return Value(Scalar::Int(Type::kInt, 2));
  });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // A second backup of the same database is refused and names the queued or running job.
  auto second = jobs_->Run(Backup("dfs://a"), Nothing);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(*id), std::string::npos) << second.status().message();
  EXPECT_EQ(second.status().remedy(), (Remedy{RemedyKind::kCancelJob, {*id}}));
  // Another database is not affected, nor is a script job.
  EXPECT_TRUE(jobs_->Run(Backup("dfs://b"), Nothing).ok());
  EXPECT_TRUE(jobs_->Run(Script("s"), Nothing).ok());
  EXPECT_FALSE(jobs_->GetReturn(*id, JobWait::kNo, kAdmin).ok());
  release.set_value();
  auto result = jobs_->GetReturn(*id, JobWait::kUntilDone, kAdmin);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->scalar().int_value(), 2);

  auto records = *jobs_->List();
  ASSERT_EQ(records.size(), 3u);
  auto record = *catalog_->FindJob(*id);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->state, "finished");
  EXPECT_EQ(record->done_units, 2);
  // Each table's units, for getBackupStatus's row per table.
  EXPECT_EQ(record->table_progress, R"([["pt",1,1],["pt1",1,1],["empty",0,0]])");
  EXPECT_EQ(record->result, "2");
  EXPECT_GT(record->end_ms, 0);
}

TEST_F(JobManagerTest, CancelStopsAJobAndOnlyItsOwnerOrAnAdminMayCancel) {
  std::promise<void> started;
  auto id = jobs_->Submit(Backup("dfs://a"), [&started](TaskControl& control) -> Result<Value> {
    started.set_value();
    return UntilCancelled(control);
  });
  ASSERT_TRUE(id.ok());
  started.get_future().wait();
  EXPECT_EQ(jobs_->Cancel(*id, {"bob", JobAccess::kOwnJobs}).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(jobs_->Cancel(*id, kAdmin).ok());
  EXPECT_EQ(jobs_->GetReturn(*id, JobWait::kUntilDone, kAdmin).status().code(),
            StatusCode::kCancelled);
  EXPECT_EQ(catalog_->FindJob(*id)->value().state, "cancelled");
}

TEST_F(JobManagerTest, JobsRunningOrQueuedWhenTheProcessDiedAreInterrupted) {
  for (const char* state : {"running", "queued"}) {
    JobRecord record{std::string("job-") + state,
                     "BACKUP_BY_COPY_FILE",
                     "admin",
                     "dfs://a",
                     "",
                     "",
                     state,
                     1,
                     0,
                     10,
                     3,
                     0,
                     0,
                     "",
                     ""};
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertJob(record).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  Reopen({});
  for (const char* id : {"job-running", "job-queued"}) {
    auto found = *catalog_->FindJob(id);
    EXPECT_EQ(found->state, "interrupted") << id;
    EXPECT_NE(found->error.find("re-run"), std::string::npos);
  }
}

TEST_F(JobManagerTest, AJobIsDoneOnlyOnceItsFinalRecordIsPersisted) {
  std::promise<void> persisting;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  JobManagerOptions options;
  options.before_final_persist = [&persisting, released](const JobRecord&) {
    persisting.set_value();
    released.wait();
    return Status::Ok();
  };
  Reopen(std::move(options));
  auto id = jobs_->Submit(Backup("dfs://a"), [](TaskControl&) -> Result<Value> {
    return Value(Scalar::Int(Type::kInt, 1));
  });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  persisting.get_future().wait();
  // The work has returned, but its final record is not yet in the catalog.
  auto early = jobs_->GetReturn(*id, JobWait::kNo, kAdmin);
  ASSERT_FALSE(early.ok()) << "the job's return was visible before its record was persisted";
  EXPECT_NE(early.status().message().find("still running"), std::string::npos)
      << early.status().message();
  release.set_value();
  auto result = jobs_->GetReturn(*id, JobWait::kUntilDone, kAdmin);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto record = *catalog_->FindJob(*id);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->state, "finished");
  EXPECT_EQ(record->result, "1");
}

TEST_F(JobManagerTest, AFailureToPersistTheFinalRecordIsReportedNotIgnored) {
  JobManagerOptions options;
  options.before_final_persist = [](const JobRecord&) { return IoError("disk full"); };
  Reopen(std::move(options));
  auto result = jobs_->Run(Backup("dfs://a", "unsaved"), Nothing);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("job 'unsaved' ended finished but its final record "
                                           "could not be saved in the catalog (disk full)"),
            std::string::npos)
      << result.status().message();
  // The listing tells what this process knows, not the catalog's stale "running".
  EXPECT_EQ(StateOf("unsaved"), "failed");
  EXPECT_EQ(catalog_->FindJob("unsaved")->value().state, "running");
}

TEST_F(JobManagerTest, AnExceptionEscapingAJobBecomesAnErrorNamingIt) {
  auto result = jobs_->Run(Script("thrower"), [](TaskControl&) -> Result<Value> {
    throw std::runtime_error("bad input byte");
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("job 'thrower' stopped on an unexpected error: bad "
                                           "input byte"),
            std::string::npos)
      << result.status().message();
  EXPECT_EQ(catalog_->FindJob("thrower")->value().state, "failed");
}

TEST_F(JobManagerTest, AJobPastItsTimeoutIsCancelledWithAnErrorSayingSo) {
  JobSpec spec = Backup("dfs://a", "slow");
  spec.timeout_ms = 1;
  auto result = jobs_->Run(spec, UntilCancelled);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  EXPECT_NE(result.status().message().find("job 'slow' ran past its timeout of 1 ms and was "
                                           "cancelled"),
            std::string::npos)
      << result.status().message();
  EXPECT_EQ(catalog_->FindJob("slow")->value().state, "cancelled");
}

TEST_F(JobManagerTest, BackgroundJobsBeyondThePoolWaitQueuedAndCanBeCancelledThere) {
  JobManagerOptions options;
  options.background_job_count_max = 1;
  Reopen(std::move(options));
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(jobs_->Submit(Script("first"), Held(released, 1)).ok());
  ASSERT_TRUE(jobs_->Submit(Script("second"), Held(released, 2)).ok());
  ASSERT_TRUE(jobs_->Submit(Script("third"), Held(released, 3)).ok());
  // One worker: at most one of them runs, the others wait queued.
  EXPECT_EQ(StateOf("third"), "queued");
  EXPECT_EQ(catalog_->FindJob("third")->value().state, "queued");
  ASSERT_TRUE(jobs_->Cancel("third", kAdmin).ok());
  release.set_value();
  EXPECT_EQ(jobs_->GetReturn("first", JobWait::kUntilDone, kAdmin)->scalar().int_value(), 1);
  EXPECT_EQ(jobs_->GetReturn("second", JobWait::kUntilDone, kAdmin)->scalar().int_value(), 2);
  auto third = jobs_->GetReturn("third", JobWait::kUntilDone, kAdmin);
  EXPECT_NE(third.status().message().find("cancelled before it started"), std::string::npos)
      << third.status().ToString();
}

// A background job that queues another and waits for it lends its worker's slot: with a pool
// of one (and two nested levels) the inner jobs still start, instead of every slot being held
// by a waiter. Running jobs other than waiters stay within the bound.
TEST_F(JobManagerTest, ABackgroundJobWaitingForOneItQueuedDoesNotStallThePool) {
  JobManagerOptions options;
  options.background_job_count_max = 1;
  Reopen(std::move(options));
  std::atomic<int> running{0}, most_running{0};
  auto leaf = [&](int value) {
    return [&, value](TaskControl&) -> Result<Value> {
      int now = ++running;
      int seen = most_running.load();
      while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --running;
      return Value(Scalar::Int(Type::kInt, value));
    };
  };
  auto waits_for = [&](std::string inner_id, JobWork inner) {
    return [this, inner_id, inner](TaskControl&) -> Result<Value> {
      ASSIGN_OR_RETURN(std::string id, jobs_->Submit(Script(inner_id), inner));
      ASSIGN_OR_RETURN(Value v, jobs_->GetReturn(id, JobWait::kUntilDone, kAdmin));
      return Value(Scalar::Int(Type::kInt, v.scalar().int_value() + 1));
    };
  };
  ASSERT_TRUE(
      jobs_->Submit(Script("outer"), waits_for("middle", waits_for("inner", leaf(40)))).ok());
  ASSERT_TRUE(jobs_->Submit(Script("sibling"), leaf(7)).ok());
  auto outer = std::async(std::launch::async,
                          [&] { return jobs_->GetReturn("outer", JobWait::kUntilDone, kAdmin); });
  ASSERT_EQ(outer.wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "the pool stalled: every worker waits for a queued job";
  auto result = outer.get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->scalar().int_value(), 42);
  EXPECT_EQ(jobs_->GetReturn("sibling", JobWait::kUntilDone, kAdmin)->scalar().int_value(), 7);
  EXPECT_EQ(most_running.load(), 1);  // the two leaf jobs never ran at once
}

TEST_F(JobManagerTest, FinishedJobsLeaveMemoryAndOnlyRecentResultsAreKept) {
  JobManagerOptions options;
  options.kept_result_count_max = 1;
  Reopen(std::move(options));
  ASSERT_TRUE(jobs_->Submit(Script("older"), Returns(1)).ok());
  jobs_->WaitAll();
  ASSERT_TRUE(jobs_->Submit(Script("newer"), Returns(2)).ok());
  jobs_->WaitAll();
  EXPECT_EQ(jobs_->GetReturn("newer", JobWait::kNo, kAdmin)->scalar().int_value(), 2);
  auto older = jobs_->GetReturn("older", JobWait::kNo, kAdmin);
  EXPECT_EQ(older.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(older.status().message().find("only its state is kept"), std::string::npos)
      << older.status().message();
  // A foreground job's result went to its caller; only its record stays.
  ASSERT_TRUE(jobs_->Run(Script("fore"), Nothing).ok());
  EXPECT_EQ(StateOf("fore"), "finished");
  EXPECT_FALSE(jobs_->GetReturn("fore", JobWait::kNo, kAdmin).ok());
}

TEST_F(JobManagerTest, OnlyTheOwnerOrASuperuserGetsAResultAndALaterProcessNeverShowsIt) {
  auto id = jobs_->Submit(Backup("dfs://a"), [](TaskControl&) -> Result<Value> {
    return Value(Scalar::String(Type::kString, "secret-rows"));
  });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto other = jobs_->GetReturn(*id, JobWait::kUntilDone, {"mallory", JobAccess::kOwnJobs});
  EXPECT_EQ(other.status().code(), StatusCode::kPermissionDenied) << other.status().ToString();
  EXPECT_NE(other.status().message().find("belongs to 'admin'"), std::string::npos);
  auto superuser = jobs_->GetReturn(*id, JobWait::kUntilDone, kRoot);
  ASSERT_TRUE(superuser.ok()) << superuser.status().ToString();
  EXPECT_EQ(superuser->scalar().string_value(), "secret-rows");

  Reopen({});  // a later process
  ASSERT_NE(catalog_->FindJob(*id)->value().result.find("secret-rows"), std::string::npos);
  auto later_other = jobs_->GetReturn(*id, JobWait::kNo, {"mallory", JobAccess::kOwnJobs});
  EXPECT_EQ(later_other.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(later_other.status().message().find("secret-rows"), std::string::npos);
  auto later_owner = jobs_->GetReturn(*id, JobWait::kNo, kAdmin);
  EXPECT_EQ(later_owner.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(later_owner.status().message().find("earlier process"), std::string::npos);
  EXPECT_EQ(later_owner.status().message().find("secret-rows"), std::string::npos)
      << later_owner.status().message();
}

}  // namespace
}  // namespace strata
