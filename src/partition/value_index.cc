#include "partition/value_index.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "base/check.h"

namespace strata {

namespace {

// A direct-indexed table is used when the column's values span at most this many slots: cheap
// to fill relative to the rows it serves, and small enough to stay in cache for typical data.
size_t DenseSpanMax(size_t rows) { return 4 * rows + 4096; }

}  // namespace

ValueIndex::ValueIndex(Type type) : string_keys_(IsStringLike(type)) {}

uint32_t ValueIndex::Find(const Scalar& value) const {
  if (string_keys_) {
    auto it = strings_.find(std::string_view(value.string_value()));
    return it == strings_.end() ? kNotFound : it->second;
  }
  auto it = ints_.find(value.int_value());
  return it == ints_.end() ? kNotFound : it->second;
}

bool ValueIndex::Insert(const Scalar& value, uint32_t id) {
  STRATA_CHECK(id != kNotFound);
  if (string_keys_) return strings_.emplace(value.string_value(), id).second;
  return ints_.emplace(value.int_value(), id).second;
}

ValueIndex::ColumnLookup ValueIndex::LookupColumn(const Column& column, Missing missing,
                                                  uint32_t first_new_id) const {
  STRATA_CHECK(IsStringLike(column.type()) == string_keys_);
  STRATA_CHECK(column.size() <= std::numeric_limits<uint32_t>::max());
  ColumnLookup out;
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          out = LookupStrings(values, missing, first_new_id);
        } else if constexpr (std::is_integral_v<T>) {
          out = LookupIntegers(values, missing, first_new_id);
        } else {
          STRATA_CHECK(false);  // floating columns never reach a partition level
        }
      },
      column.data());
  return out;
}

template <typename T>
ValueIndex::ColumnLookup ValueIndex::LookupIntegers(const std::vector<T>& values, Missing missing,
                                                    uint32_t first_new_id) const {
  ColumnLookup out;
  if (values.empty()) return out;
  // The NULL sentinel is the type's minimum, so one branch-free min/max pass also finds NULLs.
  T low = std::numeric_limits<T>::max();
  T high = std::numeric_limits<T>::min();
  for (T v : values) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
  if (IsNullValue(low)) {
    auto it = std::find_if(values.begin(), values.end(), [](T v) { return IsNullValue(v); });
    out.bad_row = static_cast<uint32_t>(it - values.begin());
    return out;
  }
  uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  if (span < DenseSpanMax(values.size())) {
    LookupIntegersDense(values, low, span, missing, first_new_id, &out);
  } else {
    LookupIntegersHashed(values, missing, first_new_id, &out);
  }
  return out;
}

template <typename T>
void ValueIndex::LookupIntegersDense(const std::vector<T>& values, T low, uint64_t span,
                                     Missing missing, uint32_t first_new_id,
                                     ColumnLookup* out) const {
  std::vector<uint32_t> table(span + 1, kNotFound);
  const int64_t low64 = low;
  if (ints_.size() <= table.size()) {
    for (const auto& [value, id] : ints_) {
      uint64_t slot = static_cast<uint64_t>(value) - static_cast<uint64_t>(low64);
      if (value >= low64 && slot <= span) table[slot] = id;
    }
  } else {
    for (uint64_t slot = 0; slot <= span; ++slot) {
      auto it = ints_.find(low64 + static_cast<int64_t>(slot));
      if (it != ints_.end()) table[slot] = it->second;
    }
  }
  out->ids.resize(values.size());
  for (size_t row = 0; row < values.size(); ++row) {
    uint32_t& id = table[static_cast<uint64_t>(values[row]) - static_cast<uint64_t>(low)];
    if (id == kNotFound) {
      if (missing == Missing::kReject) {
        out->bad_row = static_cast<uint32_t>(row);
        return;
      }
      id = first_new_id + static_cast<uint32_t>(out->new_value_rows.size());
      out->new_value_rows.push_back(static_cast<uint32_t>(row));
    }
    out->ids[row] = id;
  }
}

template <typename T>
void ValueIndex::LookupIntegersHashed(const std::vector<T>& values, Missing missing,
                                      uint32_t first_new_id, ColumnLookup* out) const {
  std::unordered_map<int64_t, uint32_t> added;
  int64_t last_value = 0;
  uint32_t last_id = kNotFound;
  out->ids.resize(values.size());
  for (size_t row = 0; row < values.size(); ++row) {
    int64_t v = values[row];
    if (last_id != kNotFound && v == last_value) {
      out->ids[row] = last_id;
      continue;
    }
    uint32_t id = kNotFound;
    if (auto it = ints_.find(v); it != ints_.end()) {
      id = it->second;
    } else if (auto added_it = added.find(v); added_it != added.end()) {
      id = added_it->second;
    } else if (missing == Missing::kReject) {
      out->bad_row = static_cast<uint32_t>(row);
      return;
    } else {
      id = first_new_id + static_cast<uint32_t>(out->new_value_rows.size());
      out->new_value_rows.push_back(static_cast<uint32_t>(row));
      added.emplace(v, id);
    }
    last_value = v;
    last_id = id;
    out->ids[row] = id;
  }
}

ValueIndex::ColumnLookup ValueIndex::LookupStrings(const std::vector<std::string>& values,
                                                   Missing missing, uint32_t first_new_id) const {
  ColumnLookup out;
  // Views into `values`, which outlive this call's map.
  std::unordered_map<std::string_view, uint32_t> added;
  const std::string* last_value = nullptr;
  uint32_t last_id = kNotFound;
  out.ids.resize(values.size());
  for (size_t row = 0; row < values.size(); ++row) {
    const std::string& v = values[row];
    if (last_value != nullptr && v == *last_value) {
      out.ids[row] = last_id;
      continue;
    }
    if (IsNullValue(v)) {
      out.bad_row = static_cast<uint32_t>(row);
      return out;
    }
    uint32_t id = kNotFound;
    if (auto it = strings_.find(std::string_view(v)); it != strings_.end()) {
      id = it->second;
    } else if (auto added_it = added.find(v); added_it != added.end()) {
      id = added_it->second;
    } else if (missing == Missing::kReject) {
      out.bad_row = static_cast<uint32_t>(row);
      return out;
    } else {
      id = first_new_id + static_cast<uint32_t>(out.new_value_rows.size());
      out.new_value_rows.push_back(static_cast<uint32_t>(row));
      added.emplace(v, id);
    }
    last_value = &v;
    last_id = id;
    out.ids[row] = id;
  }
  return out;
}

}  // namespace strata
