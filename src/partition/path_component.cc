#include "partition/path_component.h"

#include <charconv>
#include <cstdio>
#include <map>

#include "base/strings.h"
#include "partition/partition_scheme.h"
#include "types/format.h"
#include "types/temporal.h"

namespace strata {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kMinutesPerDay = 1440;
constexpr int64_t kYearMax = 9999;

std::string FormatYmd(int64_t days) {
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02u", static_cast<long long>(year), month, day);
  return buf;
}

std::string FormatHms(int64_t seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld%02lld%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return buf;
}

// Reads exactly `count` decimal digits of `s` at `pos`.
std::optional<int64_t> Digits(std::string_view s, size_t pos, size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<int64_t> ParseYmd(std::string_view s) {
  auto year = Digits(s, 0, 4), month = Digits(s, 4, 2), day = Digits(s, 6, 2);
  if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
    return std::nullopt;
  }
  return DaysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
}

// Seconds since midnight of "HHMMSS" at `pos`.
std::optional<int64_t> ParseHms(std::string_view s, size_t pos) {
  auto h = Digits(s, pos, 2), m = Digits(s, pos + 2, 2), sec = Digits(s, pos + 4, 2);
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 59) return std::nullopt;
  return *h * 3600 + *m * 60 + *sec;
}

// The physical value a component of `type` spells, before the canonical-form check.
std::optional<int64_t> ParsePhysical(std::string_view s, Type type) {
  switch (type) {
    case Type::kDate:
      if (s.size() != 8) return std::nullopt;
      return ParseYmd(s);
    case Type::kMonth: {
      if (s.size() != 7 || s.back() != 'M') return std::nullopt;
      auto year = Digits(s, 0, 4), month = Digits(s, 4, 2);
      if (!year || !month || *month < 1 || *month > 12) return std::nullopt;
      return *year * 12 + *month - 1;
    }
    case Type::kTime: {
      auto seconds = s.size() == 9 ? ParseHms(s, 0) : std::nullopt;
      auto ms = Digits(s, 6, 3);
      if (!seconds || !ms) return std::nullopt;
      return *seconds * 1000 + *ms;
    }
    case Type::kMinute: {
      auto h = Digits(s, 0, 2), m = Digits(s, 2, 2);
      if (s.size() != 4 || !h || !m || *h > 23 || *m > 59) return std::nullopt;
      return *h * 60 + *m;
    }
    case Type::kSecond:
      if (s.size() != 6) return std::nullopt;
      return ParseHms(s, 0);
    case Type::kDateTime: {
      auto days = s.size() == 14 ? ParseYmd(s.substr(0, 8)) : std::nullopt;
      auto seconds = ParseHms(s, 8);
      if (!days || !seconds) return std::nullopt;
      return *days * kSecondsPerDay + *seconds;
    }
    default: {
      if (!IsIntegral(type) || type == Type::kBool) return std::nullopt;
      int64_t v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
      int64_t null_value = NullInt64Of(type);
      int64_t max_value = -(null_value + 1);
      if (v <= null_value || v > max_value) return std::nullopt;
      return v;
    }
  }
}

Status NotNameable(const Scalar& value, std::string_view why) {
  return InvalidArgument("value " + DescribeValue(value) +
                         " cannot name a partition: " + std::string(why));
}

}  // namespace

std::string FormatComponent(const Scalar& value) {
  Type type = value.type();
  if (IsStringLike(type)) return value.string_value();
  int64_t v = value.int_value();
  char buf[48];
  switch (type) {
    case Type::kDate:
      return FormatYmd(v);
    case Type::kMonth:
      std::snprintf(buf, sizeof buf, "%04lld%02lldM", static_cast<long long>(FloorDiv(v, 12)),
                    static_cast<long long>(FloorMod(v, 12) + 1));
      return buf;
    case Type::kTime:
      std::snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(v % 1000));
      return FormatHms(v / 1000) + buf;
    case Type::kMinute:
      std::snprintf(buf, sizeof buf, "%02lld%02lld", static_cast<long long>(v / 60),
                    static_cast<long long>(v % 60));
      return buf;
    case Type::kSecond:
      return FormatHms(v);
    case Type::kDateTime:
      return FormatYmd(FloorDiv(v, kSecondsPerDay)) + FormatHms(FloorMod(v, kSecondsPerDay));
    default:
      STRATA_CHECK(IsIntegral(type));
      return std::to_string(v);
  }
}

std::optional<Scalar> ParseComponent(std::string_view component, Type type) {
  if (component.empty()) return std::nullopt;
  if (IsStringLike(type)) {
    Scalar value = Scalar::String(type, std::string(component));
    if (!CheckNameable(value).ok()) return std::nullopt;
    return value;
  }
  std::optional<int64_t> physical = ParsePhysical(component, type);
  if (!physical) return std::nullopt;
  Scalar value = Scalar::Int(type, *physical);
  if (!CheckNameable(value).ok() || FormatComponent(value) != component) return std::nullopt;
  return value;
}

Status CheckPartitionName(std::string_view name) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  bool valid =
      !name.empty() && name.size() <= PartitionScheme::kPartitionNameMax && letter(name[0]);
  for (char c : name) valid = valid && (letter(c) || (c >= '0' && c <= '9'));
  if (valid) return Status::Ok();
  return InvalidArgument("partition name " + Quote(name) +
                         " is not valid; a name is a letter or '_' followed by letters, digits "
                         "and '_', at most " +
                         std::to_string(PartitionScheme::kPartitionNameMax) + " characters");
}

Status CheckPartitionNames(const std::vector<std::string>& names) {
  std::map<std::string, std::string_view> seen;  // lower-case name → name as given
  for (const std::string& name : names) {
    RETURN_IF_ERROR(CheckPartitionName(name));
    auto [it, inserted] = seen.emplace(ToLower(name), name);
    if (!inserted) {
      return InvalidArgument(
          "partition name " + Quote(name) + " is given twice" +
          (it->second == name ? std::string() : " (as " + Quote(it->second) + ")") +
          "; give every partition a name of its own (names differing only in case are the same)");
    }
  }
  return Status::Ok();
}

Status CheckNameable(const Scalar& value) {
  if (value.is_null()) {
    return InvalidArgument("NULL cannot name a partition; give every row a value");
  }
  Type type = value.type();
  if (IsStringLike(type)) {
    const std::string& s = value.string_value();
    if (s.find('/') != std::string::npos) {
      return NotNameable(value, "it contains '/'; remove '/' from partition column values");
    }
    if (s.find('\0') != std::string::npos) {
      return NotNameable(value, "it contains a NUL character; remove it");
    }
    if (s == "." || s == "..") return NotNameable(value, "'.' and '..' are not directory names");
    return Status::Ok();
  }
  int64_t v = value.int_value();
  auto year_in_range = [](int64_t days) {
    int64_t year;
    unsigned month, day;
    CivilFromDays(days, &year, &month, &day);
    return year >= 0 && year <= kYearMax;
  };
  switch (type) {
    case Type::kDate:
    case Type::kMonth:
    case Type::kDateTime: {
      bool ok = type == Type::kMonth  ? v >= 0 && v < (kYearMax + 1) * 12
                : type == Type::kDate ? year_in_range(v)
                                      : year_in_range(FloorDiv(v, kSecondsPerDay));
      if (!ok) return NotNameable(value, "partition dates must lie in years 0000-9999");
      return Status::Ok();
    }
    case Type::kTime:
    case Type::kMinute:
    case Type::kSecond: {
      int64_t per_day = type == Type::kTime     ? kMsPerDay
                        : type == Type::kMinute ? kMinutesPerDay
                                                : kSecondsPerDay;
      if (v < 0 || v >= per_day) {
        return NotNameable(value, "partition times of day must lie within 00:00 and 24:00");
      }
      return Status::Ok();
    }
    default:
      if (IsIntegral(type) && type != Type::kBool) return Status::Ok();
      return NotNameable(value,
                         std::string(TypeName(type)) + " values cannot partition a database");
  }
}

std::optional<std::vector<std::string_view>> SplitPartitionPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::vector<std::string_view> components;
  size_t pos = 1;
  while (true) {
    size_t next = path.find('/', pos);
    std::string_view component =
        path.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (component.empty()) return std::nullopt;
    components.push_back(component);
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return components;
}

std::optional<uint32_t> ParseNumberedComponent(std::string_view component, std::string_view prefix,
                                               size_t count) {
  if (!component.starts_with(prefix)) return std::nullopt;
  std::string_view digits = component.substr(prefix.size());
  uint32_t number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      std::to_string(number) != digits || number >= count) {
    return std::nullopt;
  }
  return number;
}

std::string DescribeValue(const Scalar& value) {
  if (value.is_null()) return "NULL";
  if (IsStringLike(value.type())) return Quote(value.string_value());
  return FormatScalar(value);
}

}  // namespace strata
