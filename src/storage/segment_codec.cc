#include "storage/segment_codec.h"

#include <lz4.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "base/check.h"
#include "storage/segment_string_codec.h"

namespace strata {
namespace {

// Raw blocks must fit the u32 size fields and LZ4's int sizes with a wide margin.
constexpr size_t kRawBlockBytesLimit = size_t{1} << 31;
// Frame-of-reference header: i64 base, u8 code width.
constexpr size_t kForHeaderBytes = 9;

template <typename T>
constexpr T NullOf() {
  return std::numeric_limits<T>::min();  // the NULL sentinel of every integer storage class
}

// ---- frame of reference (integer storage) ----

template <typename C, typename T>
void WriteForCodes(const T* values, size_t n, int64_t base, char* out) {
  const C null_code = std::numeric_limits<C>::max();
  for (size_t i = 0; i < n; ++i) {
    C code = values[i] == NullOf<T>()
                 ? null_code
                 : static_cast<C>(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(base));
    PutCode<C>(out, i, code);
  }
}

template <typename T>
std::string EncodeFrameOfReference(const T* values, size_t n) {
  // NULL is the minimum of T, so starting `high` at NULL means "no value seen yet".
  T low = std::numeric_limits<T>::max();
  T high = NullOf<T>();
  for (size_t i = 0; i < n; ++i) {
    if (values[i] == NullOf<T>()) continue;
    low = std::min(low, values[i]);
    high = std::max(high, values[i]);
  }
  const bool any_value = high != NullOf<T>();
  const int64_t base = any_value ? low : 0;
  const uint64_t range = any_value ? static_cast<uint64_t>(high) - static_cast<uint64_t>(low) : 0;
  // range + 1 cannot overflow: NULL is excluded, so a range spans at most 2^64 - 2.
  const size_t width = CodeWidthFor(range + 1);  // the all-ones code is reserved for NULL
  std::string raw(kForHeaderBytes + n * width, '\0');
  std::memcpy(raw.data(), &base, sizeof(base));
  raw[8] = static_cast<char>(width);
  char* codes = raw.data() + kForHeaderBytes;
  switch (width) {
    case 1:
      WriteForCodes<uint8_t>(values, n, base, codes);
      break;
    case 2:
      WriteForCodes<uint16_t>(values, n, base, codes);
      break;
    case 4:
      WriteForCodes<uint32_t>(values, n, base, codes);
      break;
    default:
      WriteForCodes<uint64_t>(values, n, base, codes);
      break;
  }
  return raw;
}

template <typename C, typename T>
void ReadForCodes(const char* codes, size_t n, int64_t base, T* out) {
  const C null_code = std::numeric_limits<C>::max();
  const uint64_t unsigned_base = static_cast<uint64_t>(base);
  for (size_t i = 0; i < n; ++i) {
    C code = GetCode<C>(codes, i);
    out[i] = code == null_code ? NullOf<T>() : static_cast<T>(unsigned_base + code);
  }
}

template <typename T>
Status DecodeFrameOfReference(std::string_view raw, size_t rows, T* out) {
  if (raw.size() < kForHeaderBytes) return Corruption("frame-of-reference block too short");
  int64_t base;
  std::memcpy(&base, raw.data(), sizeof(base));
  const size_t width = static_cast<uint8_t>(raw[8]);
  if ((width != 1 && width != 2 && width != 4 && width != 8) || width > sizeof(T)) {
    return Corruption("frame-of-reference code width " + std::to_string(width) +
                      " is invalid for a " + std::to_string(sizeof(T)) + "-byte column");
  }
  if (raw.size() != kForHeaderBytes + rows * width) {
    return Corruption("frame-of-reference block holds " + std::to_string(raw.size()) +
                      " bytes, expected " + std::to_string(kForHeaderBytes + rows * width));
  }
  const char* codes = raw.data() + kForHeaderBytes;
  switch (width) {
    case 1:
      ReadForCodes<uint8_t>(codes, rows, base, out);
      break;
    case 2:
      ReadForCodes<uint16_t>(codes, rows, base, out);
      break;
    case 4:
      ReadForCodes<uint32_t>(codes, rows, base, out);
      break;
    default:
      ReadForCodes<uint64_t>(codes, rows, base, out);
      break;
  }
  return Status::Ok();
}

// ---- compression ----

EncodedBlock Compressed(BlockEncoding encoding, std::string raw) {
  STRATA_CHECK(raw.size() < kRawBlockBytesLimit);  // NextBlockRows bounds every block
  EncodedBlock block;
  block.encoding = encoding;
  block.raw_size_bytes = static_cast<uint32_t>(raw.size());
  if (!raw.empty()) {
    std::string packed = Compress(Codec::kLz4, raw);
    // LZ4 must pay for its decompression time: keep it only when it saves at least 1/8.
    if (packed.size() <= raw.size() - raw.size() / 8) {
      block.codec = Codec::kLz4;
      block.stored = std::move(packed);
      return block;
    }
  }
  block.codec = Codec::kNone;
  block.stored = std::move(raw);
  return block;
}

Status DecompressInto(Codec codec, std::string_view stored, char* out, size_t raw_size_bytes) {
  switch (codec) {
    case Codec::kNone:
      if (stored.size() != raw_size_bytes) {
        return Corruption("uncompressed block holds " + std::to_string(stored.size()) +
                          " bytes, expected " + std::to_string(raw_size_bytes));
      }
      if (raw_size_bytes != 0) std::memcpy(out, stored.data(), raw_size_bytes);
      return Status::Ok();
    case Codec::kLz4: {
      int n = LZ4_decompress_safe(stored.data(), out, static_cast<int>(stored.size()),
                                  static_cast<int>(raw_size_bytes));
      if (n < 0 || static_cast<size_t>(n) != raw_size_bytes) {
        return Corruption("lz4 block does not decompress to its recorded " +
                          std::to_string(raw_size_bytes) + " bytes");
      }
      return Status::Ok();
    }
    case Codec::kZstd: {
      // Version-1 writers emit none or LZ4; readers also accept zstd so a writer may choose it
      // for cold data without a format change.
      size_t n = ZSTD_decompress(out, raw_size_bytes, stored.data(), stored.size());
      if (ZSTD_isError(n) || n != raw_size_bytes) {
        return Corruption("zstd block does not decompress to its recorded " +
                          std::to_string(raw_size_bytes) + " bytes");
      }
      return Status::Ok();
    }
    default:
      return Corruption("unknown codec id " + std::to_string(static_cast<int>(codec)));
  }
}

}  // namespace

size_t NextBlockRows(const Column& column, size_t begin, size_t block_rows_max) {
  const size_t rows =
      std::min(column.size() - begin, std::clamp<size_t>(block_rows_max, 1, kBlockRowsLimit));
  if (StorageOf(column.type()) != Storage::kString) return rows;
  const auto& values = column.values<std::string>();
  size_t bytes = 0;
  for (size_t i = 0; i < rows; ++i) {
    bytes += values[begin + i].size();
    if (bytes >= kStringBlockBytesMax) return i + 1;
  }
  return rows;
}

EncodedBlock EncodeBlock(const Column& column, size_t begin, size_t end) {
  STRATA_CHECK(begin < end && end <= column.size());
  const size_t n = end - begin;
  return std::visit(
      [&](const auto& values) -> EncodedBlock {
        using T = typename std::decay_t<decltype(values)>::value_type;
        const T* first = values.data() + begin;
        if constexpr (std::is_same_v<T, std::string>) {
          BlockEncoding encoding = BlockEncoding::kStringPlain;
          std::string raw = EncodeStringBlock(first, n, &encoding);
          return Compressed(encoding, std::move(raw));
        } else if constexpr (std::is_floating_point_v<T>) {
          return Compressed(BlockEncoding::kPlain,
                            std::string(reinterpret_cast<const char*>(first), n * sizeof(T)));
        } else {
          return Compressed(BlockEncoding::kFrameOfReference, EncodeFrameOfReference(first, n));
        }
      },
      column.data());
}

Status DecodeBlock(BlockEncoding encoding, Codec codec, std::string_view stored,
                   uint32_t raw_size_bytes, size_t rows, ColumnData& out, size_t out_begin,
                   std::string& scratch) {
  return std::visit(
      [&](auto& values) -> Status {
        using T = typename std::decay_t<decltype(values)>::value_type;
        STRATA_CHECK(out_begin + rows <= values.size());
        T* dest = values.data() + out_begin;
        if constexpr (std::is_floating_point_v<T>) {
          // Plain floats decompress straight into the column: no copy in between.
          if (encoding != BlockEncoding::kPlain) {
            return Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                              " is not valid for a floating-point column");
          }
          if (raw_size_bytes != rows * sizeof(T)) {
            return Corruption("plain block holds " + std::to_string(raw_size_bytes) +
                              " bytes for " + std::to_string(rows) + " rows");
          }
          return DecompressInto(codec, stored, reinterpret_cast<char*>(dest), raw_size_bytes);
        } else {
          std::string_view raw = stored;  // uncompressed blocks are decoded in place
          if (codec != Codec::kNone) {
            scratch.resize(raw_size_bytes);
            RETURN_IF_ERROR(DecompressInto(codec, stored, scratch.data(), raw_size_bytes));
            raw = scratch;
          } else if (stored.size() != raw_size_bytes) {
            return Corruption("uncompressed block holds " + std::to_string(stored.size()) +
                              " bytes, expected " + std::to_string(raw_size_bytes));
          }
          if constexpr (std::is_same_v<T, std::string>) {
            return DecodeStringBlock(encoding, raw, rows, dest);
          } else {
            if (encoding != BlockEncoding::kFrameOfReference) {
              return Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                                " is not valid for an integer column");
            }
            return DecodeFrameOfReference(raw, rows, dest);
          }
        }
      },
      out);
}

}  // namespace strata
