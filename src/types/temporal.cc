#include "types/temporal.h"

#include <charconv>
#include <cstdio>

namespace strata {

namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kNsPerMs = 1000000;

std::string FormatDate(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld.%02u.%02u", static_cast<long long>(y), m, d);
  return buf;
}

// Formats nanoseconds since midnight with `fraction_digits` digits after the second (0, 3, 9).
std::string FormatTimeOfDay(int64_t ns, int fraction_digits) {
  int64_t total_s = ns / 1000000000;
  int64_t frac_ns = ns % 1000000000;
  char buf[96];
  int n = std::snprintf(
      buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(total_s / 3600),
      static_cast<long long>(total_s / 60 % 60), static_cast<long long>(total_s % 60));
  if (fraction_digits == 3) {
    std::snprintf(buf + n, sizeof buf - n, ".%03lld", static_cast<long long>(frac_ns / 1000000));
  } else if (fraction_digits == 9) {
    std::snprintf(buf + n, sizeof buf - n, ".%09lld", static_cast<long long>(frac_ns));
  }
  return buf;
}

// A cursor over literal text.
struct Cursor {
  std::string_view s;
  size_t pos = 0;
  bool AtEnd() const { return pos == s.size(); }
  bool Eat(char c) {
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  // Reads exactly `min..max` digits; returns -1 if fewer than min.
  int64_t Digits(size_t min, size_t max, size_t* count = nullptr) {
    size_t start = pos;
    int64_t v = 0;
    while (pos < s.size() && pos - start < max && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + (s[pos] - '0');
      ++pos;
    }
    if (count) *count = pos - start;
    if (pos - start < min) return -1;
    return v;
  }
};

bool ValidDate(int64_t y, int64_t m, int64_t d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int64_t max_day = kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
  return d <= max_day;
}

// Parses "HH:MM[:SS[.fff[ffffff]]]" (no suffix). Sets ns since midnight and the precision
// class: 1 minute, 2 second, 3 ms, 4 ns.
bool ParseTimeOfDay(Cursor& c, int64_t* ns, int* precision) {
  int64_t h = c.Digits(2, 2);
  if (h < 0 || !c.Eat(':')) return false;
  int64_t mi = c.Digits(2, 2);
  if (mi < 0 || h > 23 || mi > 59) return false;
  *ns = (h * 3600 + mi * 60) * 1000000000LL;
  *precision = 1;
  if (!c.Eat(':')) return true;
  int64_t sec = c.Digits(2, 2);
  if (sec < 0 || sec > 59) return false;
  *ns += sec * 1000000000LL;
  *precision = 2;
  if (!c.Eat('.')) return true;
  size_t count = 0;
  int64_t frac = c.Digits(1, 9, &count);
  if (frac < 0) return false;
  for (size_t i = count; i < 9; ++i) frac *= 10;
  *ns += frac;
  *precision = count <= 3 ? 3 : 4;
  return true;
}

}  // namespace

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2);
}

std::string FormatTemporal(Type type, int64_t v) {
  switch (type) {
    case Type::kDate:
      return FormatDate(v);
    case Type::kMonth: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%04lld.%02lldM", static_cast<long long>(FloorDiv(v, 12)),
                    static_cast<long long>(FloorMod(v, 12) + 1));
      return buf;
    }
    case Type::kTime:
      return FormatTimeOfDay(v * kNsPerMs, 3);
    case Type::kMinute: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%02lld:%02lldm", static_cast<long long>(v / 60),
                    static_cast<long long>(v % 60));
      return buf;
    }
    case Type::kSecond:
      return FormatTimeOfDay(v * 1000000000LL, 0);
    case Type::kNanoTime:
      return FormatTimeOfDay(v, 9);
    case Type::kDateTime:
      return FormatDate(FloorDiv(v, 86400)) + "T" +
             FormatTimeOfDay(FloorMod(v, 86400) * 1000000000LL, 0);
    case Type::kTimestamp:
      return FormatDate(FloorDiv(v, kMsPerDay)) + "T" +
             FormatTimeOfDay(FloorMod(v, kMsPerDay) * kNsPerMs, 3);
    case Type::kNanoTimestamp: {
      const int64_t ns_per_day = kMsPerDay * kNsPerMs;
      return FormatDate(FloorDiv(v, ns_per_day)) + "T" +
             FormatTimeOfDay(FloorMod(v, ns_per_day), 9);
    }
    default:
      return std::to_string(v);
  }
}

std::optional<Scalar> ParseTemporal(std::string_view text) {
  Cursor c{text};
  // Time-of-day forms start with two digits and a colon.
  if (text.size() >= 3 && text[2] == ':') {
    int64_t ns;
    int precision;
    if (!ParseTimeOfDay(c, &ns, &precision)) return std::nullopt;
    if (precision == 1 && c.Eat('m') && c.AtEnd()) {
      return Scalar::Int(Type::kMinute, ns / 60000000000LL);
    }
    if (!c.AtEnd()) return std::nullopt;
    if (precision == 1 || precision == 2) return Scalar::Int(Type::kSecond, ns / 1000000000LL);
    if (precision == 3) return Scalar::Int(Type::kTime, ns / kNsPerMs);
    return Scalar::Int(Type::kNanoTime, ns);
  }
  int64_t y = c.Digits(4, 4);
  if (y < 0) return std::nullopt;
  char sep = c.pos < text.size() ? text[c.pos] : '\0';
  if (sep != '.' && sep != '-') return std::nullopt;
  ++c.pos;
  int64_t m = c.Digits(2, 2);
  if (m < 1 || m > 12) return std::nullopt;
  if (c.Eat('M')) {
    if (!c.AtEnd()) return std::nullopt;
    return Scalar::Int(Type::kMonth, y * 12 + m - 1);
  }
  if (!c.Eat(sep)) return std::nullopt;
  int64_t d = c.Digits(2, 2);
  if (d < 0 || !ValidDate(y, m, d)) return std::nullopt;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (c.AtEnd()) return Scalar::Int(Type::kDate, days);
  if (!c.Eat('T') && !c.Eat(' ')) return std::nullopt;
  int64_t ns;
  int precision;
  if (!ParseTimeOfDay(c, &ns, &precision) || !c.AtEnd()) return std::nullopt;
  if (precision <= 2) return Scalar::Int(Type::kDateTime, days * 86400 + ns / 1000000000LL);
  if (precision == 3) return Scalar::Int(Type::kTimestamp, days * kMsPerDay + ns / kNsPerMs);
  return Scalar::Int(Type::kNanoTimestamp, days * kMsPerDay * kNsPerMs + ns);
}

namespace {

// Nanoseconds since the epoch (for date-bearing types) or since midnight (time-of-day types).
struct Instant {
  bool has_date;
  int64_t ns;
};

std::optional<Instant> ToInstant(Type from, int64_t v) {
  switch (from) {
    case Type::kDate:
      return Instant{true, v * kMsPerDay * kNsPerMs};
    case Type::kMonth: {
      int64_t days = DaysFromCivil(FloorDiv(v, 12), static_cast<unsigned>(FloorMod(v, 12) + 1), 1);
      return Instant{true, days * kMsPerDay * kNsPerMs};
    }
    case Type::kDateTime:
      return Instant{true, v * 1000000000LL};
    case Type::kTimestamp:
      return Instant{true, v * kNsPerMs};
    case Type::kNanoTimestamp:
      return Instant{true, v};
    case Type::kTime:
      return Instant{false, v * kNsPerMs};
    case Type::kMinute:
      return Instant{false, v * 60000000000LL};
    case Type::kSecond:
      return Instant{false, v * 1000000000LL};
    case Type::kNanoTime:
      return Instant{false, v};
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<int64_t> ConvertTemporal(Type from, int64_t v, Type to) {
  if (v == NullInt64Of(from)) return NullInt64Of(to);
  if (from == to || !IsTemporal(from)) return v;
  auto instant = ToInstant(from, v);
  if (!instant) return std::nullopt;
  const int64_t ns_per_day = kMsPerDay * kNsPerMs;
  int64_t ns = instant->ns;
  if (!instant->has_date) {
    if (to == Type::kDate || to == Type::kMonth) return std::nullopt;
  }
  int64_t in_day = instant->has_date ? FloorMod(ns, ns_per_day) : ns;
  switch (to) {
    case Type::kDate:
      return FloorDiv(ns, ns_per_day);
    case Type::kMonth: {
      int64_t y;
      unsigned m, d;
      CivilFromDays(FloorDiv(ns, ns_per_day), &y, &m, &d);
      return y * 12 + m - 1;
    }
    case Type::kDateTime:
      return FloorDiv(ns, 1000000000LL);
    case Type::kTimestamp:
      return FloorDiv(ns, kNsPerMs);
    case Type::kNanoTimestamp:
      return ns;
    case Type::kTime:
      return in_day / kNsPerMs;
    case Type::kMinute:
      return in_day / 60000000000LL;
    case Type::kSecond:
      return in_day / 1000000000LL;
    case Type::kNanoTime:
      return in_day;
    default:
      return std::nullopt;
  }
}

}  // namespace strata
