#include "base/compression.h"

#include <lz4.h>
#include <zstd.h>

#include <cstdint>
#include <string>

namespace strata {

std::string Compress(Codec codec, std::string_view input, int level) {
  switch (codec) {
    case Codec::kNone:
      return std::string(input);
    case Codec::kLz4: {
      std::string out(LZ4_compressBound(static_cast<int>(input.size())), '\0');
      int n = LZ4_compress_default(input.data(), out.data(), static_cast<int>(input.size()),
                                   static_cast<int>(out.size()));
      STRATA_CHECK(n > 0 || input.empty());
      out.resize(n);
      return out;
    }
    case Codec::kZstd: {
      std::string out(ZSTD_compressBound(input.size()), '\0');
      size_t n = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), level);
      STRATA_CHECK(!ZSTD_isError(n));
      out.resize(n);
      return out;
    }
  }
  STRATA_CHECK(false);
  return {};
}

namespace {

// LZ4 cannot expand a block more than 255-fold (plus a few bytes of framing).
constexpr size_t kLz4ExpansionMax = 255;
constexpr size_t kLz4ExpansionSlackBytes = 16;

// Whether `input` can decompress to `raw_size_bytes` at all, checked before that many bytes are
// allocated: a damaged size field is Corruption, not a huge allocation that throws.
Status CheckRecordedSize(Codec codec, std::string_view input, size_t raw_size_bytes) {
  if (codec == Codec::kLz4 &&
      (raw_size_bytes > input.size() * kLz4ExpansionMax + kLz4ExpansionSlackBytes ||
       raw_size_bytes > static_cast<size_t>(INT32_MAX))) {
    return Corruption("lz4 block cannot decompress to its recorded size of " +
                      std::to_string(raw_size_bytes) + " bytes");
  }
  if (codec == Codec::kZstd &&
      ZSTD_getFrameContentSize(input.data(), input.size()) != raw_size_bytes) {
    return Corruption("zstd block does not decompress to its recorded size");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> Decompress(Codec codec, std::string_view input, size_t raw_size_bytes) {
  RETURN_IF_ERROR(CheckRecordedSize(codec, input, raw_size_bytes));
  std::string out(codec == Codec::kNone ? 0 : raw_size_bytes, '\0');
  switch (codec) {
    case Codec::kNone:
      if (input.size() != raw_size_bytes) return Corruption("uncompressed block has wrong size");
      return std::string(input);
    case Codec::kLz4: {
      int n = LZ4_decompress_safe(input.data(), out.data(), static_cast<int>(input.size()),
                                  static_cast<int>(raw_size_bytes));
      if (n < 0 || static_cast<size_t>(n) != raw_size_bytes) {
        return Corruption("lz4 block does not decompress to its recorded size");
      }
      return out;
    }
    case Codec::kZstd: {
      size_t n = ZSTD_decompress(out.data(), raw_size_bytes, input.data(), input.size());
      if (ZSTD_isError(n) || n != raw_size_bytes) {
        return Corruption("zstd block does not decompress to its recorded size");
      }
      return out;
    }
  }
  return Corruption("unknown compression codec " + std::to_string(static_cast<int>(codec)));
}

}  // namespace strata
