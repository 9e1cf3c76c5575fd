// Segment: the immutable columnar file that holds some rows of one chunk. Per column:
// compressed blocks of rows, each with its own XXH3 checksum, plus min/max/NULL-count
// statistics; a footer with the layout and a whole-file checksum. The segment's id is the
// SHA-256 (hex) of its bytes, so equal bytes have equal names here and in every backup
// repository. Encoding is deterministic. Format: docs/format/segment.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/table.h"

namespace strata {

struct ColumnStats {
  Scalar min;  // NULL when every value is NULL
  Scalar max;
  uint64_t null_count = 0;
};

// What a reader learns from the footer alone, without decoding any block.
struct SegmentSummary {
  Schema schema;
  uint64_t rows = 0;
  std::vector<ColumnStats> stats;  // one per column
};

struct SegmentEncodeOptions {
  uint32_t block_rows_max = 65536;  // rows per compressed block
};

// Encodes every row of `table`. Deterministic: the same table gives the same bytes.
std::string EncodeSegment(const Table& table, const SegmentEncodeOptions& options = {});

// Reads the footer; verifies the whole-file checksum. Corruption naming what is wrong.
Result<SegmentSummary> ReadSegmentSummary(std::string_view bytes);

// Decodes the columns listed in `column_indices` (all when empty), in that order, verifying
// the file and block checksums. Corruption naming the column and block on any damage.
Result<Table> DecodeSegment(std::string_view bytes, const std::vector<size_t>& column_indices = {});

}  // namespace strata
