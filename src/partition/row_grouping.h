// Row grouping: collects the rows of one append by their combination of per-level partition ids,
// the last step of splitting. Linear in the rows: ids are combined with integer arithmetic and
// renumbered through a direct table (a hash table only when the id space is sparse and large).
// Stateless function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace strata {

struct RowGroups {
  std::vector<uint32_t> first_rows;         // per group: its first row
  std::vector<std::vector<uint32_t>> rows;  // per group: its rows, ascending
};

// Groups `row_count` rows by (level_ids[0][row], level_ids[1][row], ...), where every id of
// level l is below id_counts[l]. Groups come out in order of their first row.
RowGroups GroupRows(std::span<const std::vector<uint32_t>* const> level_ids,
                    std::span<const uint32_t> id_counts, size_t row_count);

}  // namespace strata
