// The scheduler with a clock the test moves: slots run once, at their time; missed slots run
// the latest once; a slot that finds the previous run going is passed over; schedules are
// stored, listed and deleted by their owners; the slot taken survives a new scheduler (a
// restart).
#include "service/scheduler.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/auth.h"
#include "base/file_util.h"
#include "service/schedules.h"
#include "service/session.h"
#include "types/temporal.h"

namespace strata {
namespace {

int64_t At(unsigned day, int hour, int minute) {
  return DaysFromCivil(2026, 12, day) * 86'400'000 + (hour * 60 + minute) * 60'000;
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_scheduler_test");
    auto engine = Engine::Open(dir_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    ASSERT_TRUE(EnsureDefaultAdmin(engine_->catalog()).ok());
    ASSERT_TRUE(CreateUser(engine_->catalog(), "admin", "bob", "pw", UserRole::kUser).ok());
    instance_ = Instance::Open(engine_.get());
    instance_->set_schedule_clock([this] { return now_.load(); });
    admin_ = std::make_unique<Session>(*instance_);
    ASSERT_TRUE(admin_->Login("admin", "123456").ok());
    bob_ = std::make_unique<Session>(*instance_);
    ASSERT_TRUE(bob_->Login("bob", "pw").ok());
  }
  void TearDown() override {
    scheduler_.reset();
    admin_.reset();
    bob_.reset();
    instance_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A scheduler whose runs are jobs that wait until `release_` is set.
  void StartScheduler() {
    SchedulerOptions options;
    options.log = [this](std::string line) { log_.push_back(std::move(line)); };
    scheduler_ = std::make_unique<Scheduler>(
        *instance_,
        [this](const ScheduleRecord& s, int64_t slot) -> Result<std::string> {
          runs_.push_back(s.id + "@" + FormatUtcMs(slot));
          JobSpec spec;
          spec.id = Scheduler::RunId(s.id, slot);
          spec.user = s.user;
          return (*instance_->jobs())->Submit(spec, [this](TaskControl&) -> Result<Value> {
            while (!release_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return Value();
          });
        },
        options);
  }

  ScheduleRecord Daily(std::string id, std::vector<int> minutes) {
    ScheduleRecord s;
    s.id = std::move(id);
    s.description = "test";
    s.script = "f";
    s.minutes = std::move(minutes);
    s.start_day = DaysFromCivil(2026, 12, 1);
    s.end_day = DaysFromCivil(2026, 12, 31);
    s.frequency = "D";
    return s;
  }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Instance> instance_;
  std::unique_ptr<Session> admin_, bob_;
  std::unique_ptr<Scheduler> scheduler_;
  std::atomic<int64_t> now_{0};
  std::atomic<bool> release_{true};
  std::vector<std::string> runs_;
  std::vector<std::string> log_;
};

TEST_F(SchedulerTest, SlotsRunOnceAtTheirTimes) {
  now_ = At(7, 0, 0);
  auto id = CreateSchedule(*admin_, Daily("nightly", {5, 12 * 60}), now_);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  StartScheduler();
  scheduler_->Tick();
  EXPECT_TRUE(runs_.empty()) << "nothing is due at 00:00";
  now_ = At(7, 0, 5);
  scheduler_->Tick();
  scheduler_->Tick();
  (*instance_->jobs())->WaitAll();  // else the next slot finds this run going
  now_ = At(7, 12, 1);
  scheduler_->Tick();
  EXPECT_EQ(runs_, (std::vector<std::string>{"nightly@2026-12-07T00:05:00.000Z",
                                             "nightly@2026-12-07T12:00:00.000Z"}));
  (*instance_->jobs())->WaitAll();
  auto record = (*instance_->jobs())->List();
  ASSERT_TRUE(record.ok());
  ASSERT_EQ(record->size(), 2u);
  EXPECT_EQ((*record)[0].id, "nightly-20261207T0005");
  EXPECT_EQ((*record)[0].user, "admin");
}

TEST_F(SchedulerTest, MissedSlotsRunTheLatestOnceAndARestartKeepsTheSlot) {
  now_ = At(7, 0, 0);
  ASSERT_TRUE(CreateSchedule(*admin_, Daily("nightly", {5}), now_).ok());
  now_ = At(10, 1, 0);  // the server was down for the nights of the 7th, 8th, 9th and 10th
  StartScheduler();
  scheduler_->Tick();
  EXPECT_EQ(runs_, (std::vector<std::string>{"nightly@2026-12-10T00:05:00.000Z"}));
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_[0].find("3 slot(s) passed while the server was not running"), std::string::npos)
      << log_[0];
  // A new scheduler (a restart) finds the slot taken in the catalog.
  (*instance_->jobs())->WaitAll();
  StartScheduler();
  runs_.clear();
  scheduler_->Tick();
  EXPECT_TRUE(runs_.empty());
}

TEST_F(SchedulerTest, ASlotThatFindsThePreviousRunGoingIsPassedOver) {
  now_ = At(7, 0, 0);
  ASSERT_TRUE(CreateSchedule(*admin_, Daily("busy", {5, 10}), now_).ok());
  StartScheduler();
  release_ = false;
  now_ = At(7, 0, 5);
  scheduler_->Tick();
  now_ = At(7, 0, 10);
  scheduler_->Tick();
  release_ = true;
  (*instance_->jobs())->WaitAll();
  EXPECT_EQ(runs_, (std::vector<std::string>{"busy@2026-12-07T00:05:00.000Z"}));
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_.back().find("is passed over: its run 'busy-20261207T0005' is still going"),
            std::string::npos)
      << log_.back();
}

TEST_F(SchedulerTest, OwnersAndSuperusersManageSchedules) {
  now_ = At(7, 0, 0);
  auto first = CreateSchedule(*bob_, Daily("job", {5}), now_);
  auto second = CreateSchedule(*admin_, Daily("job", {5}), now_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, "job");
  EXPECT_EQ(*second, "job000") << "a taken id gets a suffix";
  auto bobs = ListSchedules(*bob_, "%");
  ASSERT_TRUE(bobs.ok());
  ASSERT_EQ(bobs->size(), 1u) << "bob sees his own";
  EXPECT_EQ((*bobs)[0].user, "bob");
  EXPECT_EQ(ListSchedules(*admin_, "job0?0")->size(), 1u) << "a superuser sees all";
  Status denied = DeleteSchedule(*bob_, "job000");
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << denied.ToString();
  EXPECT_EQ(DeleteSchedule(*bob_, "nosuch").code(), StatusCode::kNotFound);
  EXPECT_TRUE(DeleteSchedule(*admin_, "job").ok());
  EXPECT_TRUE(ListSchedules(*bob_, "%")->empty());
  ScheduleRecord bad = Daily("bad", {5});
  bad.frequency = "W";
  EXPECT_EQ(CreateSchedule(*admin_, bad, now_).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace strata
