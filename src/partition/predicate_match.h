// Pruning: whether a partition, known by the level values it covers, may hold a row satisfying a
// LevelPredicate. Always conservative: true whenever unsure (a predicate value of an unrelated
// type, a NULL, a malformed predicate). Temporal levels may partition a finer column (TIMESTAMP
// rows in DATE partitions), so a temporal partition value v stands for every column value that
// converts to v. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "partition/partition_scheme.h"

namespace strata {

// Applies `test(op, value)` — for a single-valued kEq, kNe, kLt, kLe, kGt or kGe — to
// `predicate`: kIn is any kEq, kBetween is kGe(low) and kLe(high); a predicate with the wrong
// number of values gives true. (For AlwaysMatches on a partition of several values, kIn is
// still "any kEq": the kEq test holds only when the partition is that one value.)
template <typename Test>
bool EvaluatePredicate(const LevelPredicate& predicate, Test test) {
  using Op = LevelPredicate::Op;
  const auto& values = predicate.values;
  switch (predicate.op) {
    case Op::kIn:
      for (const Scalar& value : values) {
        if (test(Op::kEq, value)) return true;
      }
      return false;
    case Op::kBetween:
      if (values.size() != 2) return true;
      return test(Op::kGe, values[0]) && test(Op::kLe, values[1]);
    default:
      if (values.size() != 1) return true;
      return test(predicate.op, values[0]);
  }
}

// A partition covering the level values low..high (inclusive) of an integer or temporal level of
// `level_type`: VALUE v is v..v, RANGE [b0, b1) is b0..b1-1.
bool IntervalMayMatch(Type level_type, int64_t low, int64_t high, const LevelPredicate& predicate);

// Whether every level value in low..high satisfies `predicate` (the column holding exactly
// level values); false when a predicate value does not convert exactly.
bool IntervalAlwaysMatches(Type level_type, int64_t low, int64_t high,
                           const LevelPredicate& predicate);

// Whether the SYMBOL/STRING value `value` satisfies `predicate`.
bool StringValueAlwaysMatches(std::string_view value, const LevelPredicate& predicate);

// A partition of exactly the SYMBOL/STRING value `value`.
bool StringValueMayMatch(std::string_view value, const LevelPredicate& predicate);

// A partition covering the SYMBOL/STRING values in [low, high).
bool StringRangeMayMatch(std::string_view low, std::string_view high,
                         const LevelPredicate& predicate);

}  // namespace strata
