// Segment block codec (internal to storage): turns a run of rows of one column into the raw
// bytes of one block (frame-of-reference integers, plain floats, plain or dictionary strings),
// compresses them, and decodes them back straight into a column's contiguous vector. Byte
// layouts: docs/format/segment.md. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/compression.h"
#include "base/status.h"
#include "types/column.h"

namespace strata {

enum class BlockEncoding : uint8_t {
  kPlain = 0,             // float/double values, little-endian, as stored in memory
  kFrameOfReference = 1,  // integer storage: base + narrowed unsigned offsets, NULL = max code
  kStringPlain = 2,       // varint lengths, then the concatenated bytes
  kStringDictionary = 3,  // sorted distinct values, then narrowed codes
};

// A block before it is written: its encoding, codec and the stored (maybe compressed) bytes.
struct EncodedBlock {
  BlockEncoding encoding = BlockEncoding::kPlain;
  Codec codec = Codec::kNone;
  uint32_t raw_size_bytes = 0;  // size before compression
  std::string stored;           // the bytes written to the file
};

// Strings: a block also ends once its values hold this many bytes, so every raw block stays
// far below the 2 GiB limit of LZ4 and of the u32 size fields.
inline constexpr size_t kStringBlockBytesMax = 16u << 20;
// No block holds more rows than this, whatever the options say (2^24 rows of 8 bytes = 128 MiB).
inline constexpr size_t kBlockRowsLimit = size_t{1} << 24;

// The number of rows, starting at `begin`, that form the next block of `column`: at most
// `block_rows_max` (clamped to [1, kBlockRowsLimit]), at least one.
size_t NextBlockRows(const Column& column, size_t begin, size_t block_rows_max);

// Encodes rows [begin, end) of `column` and compresses them (LZ4 when it saves at least 1/8,
// otherwise stored uncompressed). Deterministic.
EncodedBlock EncodeBlock(const Column& column, size_t begin, size_t end);

// Decodes one block of `rows` rows into `out` at rows [out_begin, out_begin + rows); `out` is
// already sized. `scratch` is reused across calls to avoid allocations. Corruption (without
// naming the block; the caller adds that) if the bytes are inconsistent.
Status DecodeBlock(BlockEncoding encoding, Codec codec, std::string_view stored,
                   uint32_t raw_size_bytes, size_t rows, ColumnData& out, size_t out_begin,
                   std::string& scratch);

// ---- helpers shared by the codec files ----

// The smallest code width in bytes (1, 2, 4 or 8) whose codes reach `max_code`.
inline size_t CodeWidthFor(uint64_t max_code) {
  if (max_code <= 0xff) return 1;
  if (max_code <= 0xffff) return 2;
  if (max_code <= 0xffffffffu) return 4;
  return 8;
}

// Unaligned little-endian access to code `i` of a packed array of C.
template <typename C>
void PutCode(char* out, size_t i, C code) {
  std::memcpy(out + i * sizeof(C), &code, sizeof(C));
}
template <typename C>
C GetCode(const char* in, size_t i) {
  C code;
  std::memcpy(&code, in + i * sizeof(C), sizeof(C));
  return code;
}

}  // namespace strata
