// When scheduled jobs run: daily, weekly and monthly slots, several times a day, the start and
// end dates, months without the day, and the checks of scheduleJob's arguments.
#include "jobs/schedule.h"

#include <gtest/gtest.h>

#include "base/utc_time.h"
#include "types/temporal.h"

namespace strata {
namespace {

int64_t Day(int64_t y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }
int64_t At(int64_t y, unsigned m, unsigned d, int hour, int minute) {
  return Day(y, m, d) * 86'400'000 + (hour * 60 + minute) * 60'000;
}
std::string Show(std::optional<int64_t> ms) { return ms ? FormatUtcMs(*ms) : "none"; }

ScheduleRecord Make(std::vector<int> minutes, std::string frequency, std::vector<int> days = {}) {
  ScheduleRecord s;
  s.id = "j";
  s.minutes = std::move(minutes);
  s.start_day = Day(2026, 12, 1);
  s.end_day = Day(2026, 12, 31);
  s.frequency = std::move(frequency);
  s.days = std::move(days);
  return s;
}

TEST(ScheduleTest, DailyAtSeveralTimes) {
  ScheduleRecord s = Make({5, 12 * 60}, "D");
  ASSERT_TRUE(ValidateSchedule(s).ok());
  EXPECT_EQ(Show(NextSlot(s, At(2026, 11, 1, 0, 0))), Show(At(2026, 12, 1, 0, 5)))
      << "nothing before the start date";
  EXPECT_EQ(Show(NextSlot(s, At(2026, 12, 7, 0, 5))), Show(At(2026, 12, 7, 12, 0)))
      << "strictly after";
  EXPECT_EQ(Show(NextSlot(s, At(2026, 12, 7, 13, 0))), Show(At(2026, 12, 8, 0, 5)));
  EXPECT_EQ(Show(NextSlot(s, At(2026, 12, 31, 12, 0))), "none") << "the end date is the last";
}

TEST(ScheduleTest, WeeklyAndMonthly) {
  // 2026-12-07 is a Monday.
  ScheduleRecord weekly = Make({60}, "W", {1, 5});
  ASSERT_TRUE(ValidateSchedule(weekly).ok());
  EXPECT_EQ(Show(NextSlot(weekly, At(2026, 12, 7, 2, 0))), Show(At(2026, 12, 11, 1, 0)));
  EXPECT_EQ(Show(NextSlot(weekly, At(2026, 12, 11, 1, 0))), Show(At(2026, 12, 14, 1, 0)));
  ScheduleRecord monthly = Make({0}, "M", {31});
  monthly.end_day = Day(2027, 6, 30);
  EXPECT_EQ(Show(NextSlot(monthly, At(2026, 12, 31, 0, 0))), Show(At(2027, 1, 31, 0, 0)));
  EXPECT_EQ(Show(NextSlot(monthly, At(2027, 1, 31, 0, 0))), Show(At(2027, 3, 31, 0, 0)))
      << "February has no 31st: passed over";
  ScheduleRecord first = Make({30}, "M", {1});
  first.end_day = Day(2027, 12, 31);
  EXPECT_EQ(Show(NextSlot(first, At(2027, 5, 1, 0, 30))), Show(At(2027, 6, 1, 0, 30)));
}

TEST(ScheduleTest, ArgumentsAreChecked) {
  auto message = [](const ScheduleRecord& s) { return ValidateSchedule(s).message(); };
  EXPECT_EQ(message(Make({}, "D")), "scheduleJob needs at least one scheduleTime, such as 00:05m");
  EXPECT_NE(message(Make({10, 12}, "D")).find("at least 5 minutes apart"), std::string::npos);
  EXPECT_NE(message(Make({2, 1438}, "D")).find("across midnight"), std::string::npos);
  EXPECT_NE(message(Make({1440}, "D")).find("times of day"), std::string::npos);
  EXPECT_NE(message(Make({0}, "H")).find("got 'H'"), std::string::npos);
  EXPECT_NE(message(Make({0}, "W")).find("weekdays, 0 (Sunday) to 6"), std::string::npos);
  EXPECT_NE(message(Make({0}, "W", {7})).find("from 0 to 6, got 7"), std::string::npos);
  EXPECT_NE(message(Make({0}, "M", {0})).find("from 1 to 31, got 0"), std::string::npos);
  ScheduleRecord backwards = Make({0}, "D");
  backwards.end_day = backwards.start_day - 1;
  EXPECT_EQ(message(backwards), "endDate of scheduleJob is before its startDate");
}

}  // namespace
}  // namespace strata
