// ValueIndex: a map from partition values to ids with a vectorized lookup of whole columns, the
// per-row hot path of VALUE and LIST splitting. Integer and temporal values are keyed by their
// physical value, SYMBOL/STRING by their text. Needs external locking for Insert; const
// methods may run concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "types/column.h"
#include "types/scalar.h"

namespace strata {

class ValueIndex {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  // What LookupColumn does with a value the index does not hold.
  enum class Missing : uint8_t { kAssignNewIds, kReject };

  struct ColumnLookup {
    std::vector<uint32_t> ids;  // per row
    // kAssignNewIds: the first row of each value not in the index, in first-seen order; the
    // k-th such value got id `first_new_id + k`.
    std::vector<uint32_t> new_value_rows;
    // The first row that is NULL (or, with kReject, holds a value not in the index). When set,
    // the lookup stopped there and `ids` is incomplete.
    std::optional<uint32_t> bad_row;
  };

  // `type` decides the key family: SYMBOL/STRING keys are strings, all others integers.
  explicit ValueIndex(Type type);

  size_t size() const { return string_keys_ ? strings_.size() : ints_.size(); }
  // The id of `value` (of the index's key family), or kNotFound.
  uint32_t Find(const Scalar& value) const;
  // Maps `value` → `id`; false (and no change) if `value` is already present.
  bool Insert(const Scalar& value, uint32_t id);

  // The ids of every row of `column` (of the index's key family), without changing the index.
  ColumnLookup LookupColumn(const Column& column, Missing missing, uint32_t first_new_id) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  template <typename T>
  ColumnLookup LookupIntegers(const std::vector<T>& values, Missing missing,
                              uint32_t first_new_id) const;
  template <typename T>
  void LookupIntegersDense(const std::vector<T>& values, T low, uint64_t span, Missing missing,
                           uint32_t first_new_id, ColumnLookup* out) const;
  template <typename T>
  void LookupIntegersHashed(const std::vector<T>& values, Missing missing, uint32_t first_new_id,
                            ColumnLookup* out) const;
  ColumnLookup LookupStrings(const std::vector<std::string>& values, Missing missing,
                             uint32_t first_new_id) const;

  bool string_keys_;
  std::unordered_map<int64_t, uint32_t> ints_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> strings_;
};

}  // namespace strata
