// Segment layout (internal to storage): the fixed header, the per-block header, the footer
// (schema, statistics, block index) and the trailer of a segment file, with their
// serialization. Byte layouts: docs/format/segment.md. Plain values and stateless functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/compression.h"
#include "base/status.h"
#include "storage/segment.h"
#include "storage/segment_codec.h"

namespace strata {

inline constexpr std::string_view kSegmentMagic = "STRATSEG";
inline constexpr uint32_t kSegmentFormatVersion = 1;
inline constexpr size_t kSegmentHeaderBytes = 16;   // magic, u32 version, u32 flags
inline constexpr size_t kSegmentTrailerBytes = 32;  // footer size, footer xxh3, file xxh3, magic
// Block header: u64 xxh3, u8 encoding, u8 codec, u32 raw size, u32 stored size.
inline constexpr size_t kBlockHeaderBytes = 18;

// Where one block of a column starts and how many rows it holds.
struct BlockRef {
  uint64_t offset = 0;
  uint32_t rows = 0;
};

struct ColumnLayout {
  Field field;
  ColumnStats stats;
  std::vector<BlockRef> blocks;
};

struct SegmentFooter {
  uint64_t rows = 0;
  uint32_t block_rows_max = 0;
  std::vector<ColumnLayout> columns;
};

// One block as found in the file: its header fields and a view of its stored bytes.
struct BlockView {
  BlockEncoding encoding = BlockEncoding::kPlain;
  Codec codec = Codec::kNone;
  uint32_t raw_size_bytes = 0;
  std::string_view stored;
};

// Appends the block header and stored bytes of `block` to `out`.
void AppendBlock(const EncodedBlock& block, std::string& out);

// Reads the block at `offset` of `file`, which must end before `body_end`, and verifies its
// checksum. Corruption (without naming the column; the caller adds it) otherwise.
Result<BlockView> ReadBlock(std::string_view file, uint64_t offset, uint64_t body_end);

std::string SerializeFooter(const SegmentFooter& footer);

// Parses and validates a footer whose blocks must lie in [kSegmentHeaderBytes, body_end).
// Corruption naming the inconsistency.
Result<SegmentFooter> ParseFooter(std::string_view bytes, uint64_t body_end);

// "column 'price' (index 2) block 3 (rows 196608..262143, offset 1234)", for messages.
std::string DescribeBlock(const SegmentFooter& footer, size_t column, size_t block);

}  // namespace strata
