#include "jobs/schedule.h"

#include <algorithm>
#include <string>

#include "types/temporal.h"

namespace strata {

namespace {

constexpr int64_t kMsPerMinute = 60'000;
constexpr int64_t kMsPerDay = 86'400'000;
constexpr int kMinutesPerDay = 1440;

// 1970-01-01 was a Thursday (4).
int Weekday(int64_t day) { return static_cast<int>(FloorMod(day + 4, 7)); }

int DayOfMonth(int64_t day) {
  int64_t year = 0;
  unsigned month = 0, day_of_month = 0;
  CivilFromDays(day, &year, &month, &day_of_month);
  return static_cast<int>(day_of_month);
}

bool RunsOn(const ScheduleRecord& s, int64_t day) {
  if (s.frequency == "D") return true;
  int wanted = s.frequency == "W" ? Weekday(day) : DayOfMonth(day);
  return std::find(s.days.begin(), s.days.end(), wanted) != s.days.end();
}

}  // namespace

Status ValidateSchedule(const ScheduleRecord& s) {
  if (s.minutes.empty()) {
    return InvalidArgument("scheduleJob needs at least one scheduleTime, such as 00:05m");
  }
  for (size_t i = 0; i < s.minutes.size(); ++i) {
    if (s.minutes[i] < 0 || s.minutes[i] >= kMinutesPerDay) {
      return InvalidArgument("scheduleTime must be times of day (MINUTE, 00:00m to 23:59m)");
    }
    if (i > 0 && s.minutes[i] - s.minutes[i - 1] < kScheduleGapMinutes) {
      return InvalidArgument("the times of scheduleTime must be at least " +
                             std::to_string(kScheduleGapMinutes) + " minutes apart");
    }
  }
  if (s.minutes.size() > 1 &&
      s.minutes.front() + kMinutesPerDay - s.minutes.back() < kScheduleGapMinutes) {
    return InvalidArgument("the times of scheduleTime must be at least " +
                           std::to_string(kScheduleGapMinutes) +
                           " minutes apart, across midnight too");
  }
  if (s.end_day < s.start_day) {
    return InvalidArgument("endDate of scheduleJob is before its startDate");
  }
  if (s.frequency != "D" && s.frequency != "W" && s.frequency != "M") {
    return InvalidArgument(
        "frequency of scheduleJob must be 'D' (daily), 'W' (weekly) or 'M' "
        "(monthly), got " +
        (s.frequency.empty() ? std::string("nothing") : "'" + s.frequency + "'"));
  }
  if (s.frequency == "D") return Status::Ok();
  if (s.days.empty()) {
    return InvalidArgument(std::string("scheduleJob with frequency '") + s.frequency +
                           "' needs days: " +
                           (s.frequency == "W" ? "weekdays, 0 (Sunday) to 6 (Saturday)"
                                               : "days of the month, 1 to 31"));
  }
  int low = s.frequency == "W" ? 0 : 1;
  int high = s.frequency == "W" ? 6 : 31;
  for (int day : s.days) {
    if (day < low || day > high) {
      return InvalidArgument("days of scheduleJob with frequency '" + s.frequency +
                             "' must be from " + std::to_string(low) + " to " +
                             std::to_string(high) + ", got " + std::to_string(day));
    }
  }
  return Status::Ok();
}

std::optional<int64_t> NextSlot(const ScheduleRecord& s, int64_t after_ms) {
  if (s.minutes.empty()) return std::nullopt;
  int64_t day = std::max(s.start_day, FloorDiv(after_ms, kMsPerDay));
  // Within 62 days every day of the month and of the week has come round once.
  for (int64_t last = std::min(s.end_day, day + 62); day <= last; ++day) {
    if (!RunsOn(s, day)) continue;
    for (int minute : s.minutes) {
      int64_t slot = day * kMsPerDay + minute * kMsPerMinute;
      if (slot > after_ms) return slot;
    }
  }
  return std::nullopt;
}

}  // namespace strata
