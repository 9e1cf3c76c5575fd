// Block compression with zstd and lz4. The codec id is stored beside every compressed block,
// so readers never guess.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strata {

enum class Codec : uint8_t { kNone = 0, kLz4 = 1, kZstd = 2 };

// Compresses `input` with `codec` (zstd at `level`, ignored otherwise).
std::string Compress(Codec codec, std::string_view input, int level = 3);

// Decompresses `input` into exactly `raw_size_bytes` bytes; Corruption if the block is damaged
// or its size differs.
Result<std::string> Decompress(Codec codec, std::string_view input, size_t raw_size_bytes);

}  // namespace strata
