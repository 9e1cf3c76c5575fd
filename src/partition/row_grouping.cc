#include "partition/row_grouping.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "base/check.h"

namespace strata {

namespace {

constexpr uint32_t kUnassigned = std::numeric_limits<uint32_t>::max();

// Key spaces up to this size are renumbered through a direct table; larger ones through a hash
// table. Bounded by the rows so a small append never allocates a large table.
uint64_t DirectTableMax(size_t rows) { return 4 * static_cast<uint64_t>(rows) + 4096; }

struct DenseIds {
  std::vector<uint32_t> ids;  // per row
  uint32_t count = 0;
  std::vector<uint32_t> first_rows;  // per dense id
};

// Renumbers key_of(row) (each < key_bound) densely, in order of first appearance.
template <typename KeyOf>
DenseIds Densify(size_t rows, uint64_t key_bound, KeyOf key_of) {
  DenseIds out;
  out.ids.resize(rows);
  auto assign = [&out](uint32_t& slot, size_t row) {
    if (slot == kUnassigned) {
      slot = out.count++;
      out.first_rows.push_back(static_cast<uint32_t>(row));
    }
    out.ids[row] = slot;
  };
  if (key_bound <= DirectTableMax(rows)) {
    std::vector<uint32_t> table(key_bound, kUnassigned);
    for (size_t row = 0; row < rows; ++row) assign(table[key_of(row)], row);
  } else {
    std::unordered_map<uint64_t, uint32_t> table;
    for (size_t row = 0; row < rows; ++row) {
      assign(table.try_emplace(key_of(row), kUnassigned).first->second, row);
    }
  }
  return out;
}

// The combination of all levels renumbered densely.
DenseIds CombineLevels(std::span<const std::vector<uint32_t>* const> level_ids,
                       std::span<const uint32_t> id_counts, size_t rows) {
  // Direct keys must fit the table bound and 32 bits.
  const uint64_t direct_max =
      std::min<uint64_t>(DirectTableMax(rows), std::numeric_limits<uint32_t>::max());
  uint64_t product = 1;
  bool direct = true;
  for (uint32_t count : id_counts) {
    if (count != 0 && product > direct_max / count) {
      direct = false;
      break;
    }
    product *= count;
  }
  if (direct) {
    // Small id space: one mixed-radix key per row, renumbered through one direct table.
    std::vector<uint32_t> keys = *level_ids[0];
    for (size_t level = 1; level < level_ids.size(); ++level) {
      const std::vector<uint32_t>& ids = *level_ids[level];
      const uint32_t radix = id_counts[level];
      for (size_t row = 0; row < rows; ++row) keys[row] = keys[row] * radix + ids[row];
    }
    return Densify(rows, product, [&keys](size_t row) { return keys[row]; });
  }
  // Large id space: renumber each level to the ids it uses, then fold levels in pairwise. Dense
  // counts are at most the rows, so every pair key fits in 64 bits.
  const std::vector<uint32_t>& first = *level_ids[0];
  DenseIds combined = Densify(rows, id_counts[0], [&first](size_t row) { return first[row]; });
  for (size_t level = 1; level < level_ids.size(); ++level) {
    const std::vector<uint32_t>& ids = *level_ids[level];
    DenseIds next = Densify(rows, id_counts[level], [&ids](size_t row) { return ids[row]; });
    const uint64_t radix = next.count;
    combined = Densify(rows, static_cast<uint64_t>(combined.count) * radix,
                       [&combined, &next, radix](size_t row) {
                         return static_cast<uint64_t>(combined.ids[row]) * radix + next.ids[row];
                       });
  }
  return combined;
}

}  // namespace

RowGroups GroupRows(std::span<const std::vector<uint32_t>* const> level_ids,
                    std::span<const uint32_t> id_counts, size_t row_count) {
  STRATA_CHECK(!level_ids.empty() && level_ids.size() == id_counts.size());
  RowGroups groups;
  if (row_count == 0) return groups;
  DenseIds combined = CombineLevels(level_ids, id_counts, row_count);
  std::vector<uint32_t> sizes(combined.count, 0);
  for (uint32_t id : combined.ids) ++sizes[id];
  groups.rows.resize(combined.count);
  for (uint32_t group = 0; group < combined.count; ++group)
    groups.rows[group].reserve(sizes[group]);
  for (size_t row = 0; row < row_count; ++row) {
    groups.rows[combined.ids[row]].push_back(static_cast<uint32_t>(row));
  }
  groups.first_rows = std::move(combined.first_rows);
  return groups;
}

}  // namespace strata
