#include "partition/predicate_match.h"

#include <optional>

#include "partition/level_types.h"
#include "types/temporal.h"

namespace strata {

namespace {

using Op = LevelPredicate::Op;

// A predicate value in the level's units: `value` is the level value it falls in (floored), and
// `exact` says the predicate value is exactly that level value's start.
struct LevelUnits {
  int64_t value;
  bool exact;
};

// Only order-preserving conversions qualify: integers to integers, and temporal values within
// the date-bearing or the time-of-day family (a DATETIME's time of day is not monotonic).
std::optional<LevelUnits> ToLevelUnits(const Scalar& x, Type level_type) {
  Type from = x.type();
  if (x.is_null()) return std::nullopt;
  if (IsIntegral(level_type)) {
    if (!IsIntegral(from) || from == Type::kBool) return std::nullopt;
    return LevelUnits{x.int_value(), true};
  }
  if (!IsTemporal(level_type) || !TemporalConvertible(from, level_type)) return std::nullopt;
  if (IsDateBearing(from) != IsDateBearing(level_type)) return std::nullopt;
  std::optional<int64_t> converted = ConvertTemporal(from, x.int_value(), level_type);
  if (!converted) return std::nullopt;
  std::optional<int64_t> back = ConvertTemporal(level_type, *converted, from);
  return LevelUnits{*converted, back == x.int_value()};
}

}  // namespace

bool IntervalMayMatch(Type level_type, int64_t low, int64_t high, const LevelPredicate& predicate) {
  // A temporal level may hold a finer column: level value v covers column values in
  // [start(v), start(v + 1)), so "c > x" and "c != x" can hold inside the partition of x.
  const bool finer_possible = IsTemporal(level_type);
  return EvaluatePredicate(predicate, [&](Op op, const Scalar& x) {
    std::optional<LevelUnits> units = ToLevelUnits(x, level_type);
    if (!units) return true;
    const int64_t v = units->value;
    switch (op) {
      case Op::kEq:
        return low <= v && v <= high;
      case Op::kNe:
        return finer_possible || !(low == high && low == v);
      case Op::kLt:
        return units->exact ? low < v : low <= v;
      case Op::kLe:
        return low <= v;
      case Op::kGt:
        return finer_possible ? v <= high : v < high;
      case Op::kGe:
        return v <= high;
      default:
        return true;
    }
  });
}

bool IntervalAlwaysMatches(Type level_type, int64_t low, int64_t high,
                           const LevelPredicate& predicate) {
  auto holds = [&](Op op, const Scalar& x) {
    std::optional<LevelUnits> units = ToLevelUnits(x, level_type);
    if (!units || !units->exact || x.is_null()) return false;
    const int64_t v = units->value;
    switch (op) {
      case Op::kEq:
        return low == high && low == v;
      case Op::kNe:
        return v < low || v > high;
      case Op::kLt:
        return high < v;
      case Op::kLe:
        return high <= v;
      case Op::kGt:
        return low > v;
      case Op::kGe:
        return low >= v;
      default:
        return false;
    }
  };
  return EvaluatePredicate(predicate, holds);
}

// `value op x` for a single-valued comparison, or nullopt when it cannot be decided (x not a
// string, NULL, or an op that is not a comparison).
std::optional<bool> CompareString(std::string_view value, Op op, const Scalar& x) {
  if (!IsStringLike(x.type()) || x.is_null()) return std::nullopt;
  const std::string& s = x.string_value();
  switch (op) {
    case Op::kEq:
      return value == s;
    case Op::kNe:
      return value != s;
    case Op::kLt:
      return value < s;
    case Op::kLe:
      return value <= s;
    case Op::kGt:
      return value > s;
    case Op::kGe:
      return value >= s;
    default:
      return std::nullopt;
  }
}

bool StringValueAlwaysMatches(std::string_view value, const LevelPredicate& predicate) {
  return EvaluatePredicate(predicate, [&](Op op, const Scalar& x) {
    return CompareString(value, op, x).value_or(false);  // unsure: not proven
  });
}

bool StringValueMayMatch(std::string_view value, const LevelPredicate& predicate) {
  return EvaluatePredicate(predicate, [&](Op op, const Scalar& x) {
    return CompareString(value, op, x).value_or(true);  // unsure: keep the partition
  });
}

bool StringRangeMayMatch(std::string_view low, std::string_view high,
                         const LevelPredicate& predicate) {
  return EvaluatePredicate(predicate, [&](Op op, const Scalar& x) {
    if (!IsStringLike(x.type()) || x.is_null()) return true;
    const std::string& s = x.string_value();
    switch (op) {
      case Op::kEq:
        return low <= s && s < high;
      case Op::kLt:
        return low < s;
      case Op::kLe:
        return low <= s;
      case Op::kGt:
      case Op::kGe:
        return s < high;
      default:
        return true;  // kNe: a range of strings is never a single value
    }
  });
}

}  // namespace strata
