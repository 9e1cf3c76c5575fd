// String block encodings (internal to storage): SYMBOL and STRING blocks as varint lengths plus
// bytes, or as a sorted dictionary plus narrowed codes when few values are distinct. Byte
// layouts: docs/format/segment.md. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/segment_codec.h"

namespace strata {

// Encodes `n` strings as a raw (uncompressed) block: a dictionary when at most n / 2 values are
// distinct, plain otherwise. Sets `*encoding` to the one chosen. Deterministic.
std::string EncodeStringBlock(const std::string* values, size_t n, BlockEncoding* encoding);

// Decodes a raw string block of `rows` rows into out[0, rows). Corruption if the bytes are
// inconsistent (lengths, dictionary size, codes out of range) or the encoding is not a string
// encoding.
Status DecodeStringBlock(BlockEncoding encoding, std::string_view raw, size_t rows,
                         std::string* out);

}  // namespace strata
