#include "base/utc_time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace strata {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatUtcMs(int64_t ms, bool compact) {
  int64_t seconds = ms / 1000;
  int64_t millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, compact ? "%Y%m%dT%H%M%S" : "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, compact ? "%s%03dZ" : "%s.%03dZ", buf, static_cast<int>(millis));
  return out;
}

std::optional<int64_t> ParseUtcMs(std::string_view text) {
  if (text.size() != 24) return std::nullopt;
  std::string s(text);
  std::tm tm{};
  int millis = 0;
  char z = 0;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%n", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis, &z,
                  &consumed) != 8 ||
      z != 'Z' || consumed != 24) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t seconds = timegm(&tm);
  int64_t ms = seconds * 1000 + millis;
  if (FormatUtcMs(ms) != text) return std::nullopt;  // rejects 2026-02-30 and the like
  return ms;
}

}  // namespace strata
