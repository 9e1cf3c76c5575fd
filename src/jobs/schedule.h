// When a scheduled job runs (the script's scheduleJob; DolphinDB's rules): at each of its times
// of day, on the days its frequency picks — every day ('D'), the given weekdays ('W', 0 is
// Sunday) or the given days of the month ('M'; a month without that day is passed over) — from
// its start date to its end date, both included. Times are UTC, as today() and now() are.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "base/status.h"
#include "catalog/records.h"

namespace strata {

// The shortest gap DolphinDB allows between two times of one schedule, in minutes.
inline constexpr int kScheduleGapMinutes = 5;

// OK, or InvalidArgument naming the parameter of scheduleJob at fault: no time or a time
// outside the day, two times closer than kScheduleGapMinutes, an end before the start, a
// frequency other than D, W and M, days missing for W or M or out of their range.
Status ValidateSchedule(const ScheduleRecord& schedule);

// The first time slot of `schedule` strictly after `after_ms` (ms since the epoch), or nullopt
// when none is left before its end date.
std::optional<int64_t> NextSlot(const ScheduleRecord& schedule, int64_t after_ms);

}  // namespace strata
