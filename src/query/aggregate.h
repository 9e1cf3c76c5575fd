// Aggregates (count, sum, avg, min, max, first, last) over columns: whole-column, per group,
// and as mergeable partial states so a query can aggregate chunk by chunk with bounded memory.
// NULLs are skipped (count counts non-NULL values); an empty input gives NULL (count gives 0).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "types/column.h"

namespace strata {

enum class AggregateKind : uint8_t { kCount, kSum, kAvg, kMin, kMax, kFirst, kLast };

std::optional<AggregateKind> AggregateFromName(std::string_view name);

// A partial aggregate. Not thread-safe; one per worker, then Merge.
class AggregateState {
 public:
  explicit AggregateState(AggregateKind kind) : kind_(kind) {}
  // Folds in every value of `column`. InvalidArgument when the kind does not apply to the type
  // (sum of strings).
  Status Update(const Column& column);
  // Folds in the rows counted by count(*): `rows` rows without looking at values.
  void UpdateRows(uint64_t rows) { count_ += rows; }
  // Merges a state that saw values after this one's (first/last keep their order).
  void Merge(const AggregateState& later);
  // The aggregate; InvalidArgument when an integer sum does not fit a LONG.
  Result<Scalar> Finish() const;

 private:
  AggregateKind kind_;
  Type type_ = Type::kVoid;
  uint64_t count_ = 0;
  __int128 int_sum_ = 0;  // integer sums never overflow while accumulating
  double float_sum_ = 0;
  Scalar best_;  // min / max / first / last
  bool has_best_ = false;
};

// The aggregate of a whole column.
Result<Scalar> Aggregate(AggregateKind kind, const Column& column);

// One aggregate per group: `group_of_row[i]` in [0, group_count).
Result<Column> AggregateGrouped(AggregateKind kind, const Column& column,
                                const std::vector<uint32_t>& group_of_row, size_t group_count);

}  // namespace strata
