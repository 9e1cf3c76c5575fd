// Little-endian binary encoding helpers for on-disk formats: ByteWriter appends fixed-width
// integers, varints and length-prefixed strings; ByteReader reads them back and reports
// truncation as Corruption instead of reading past the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strata {

// Appends to an owned string. Not thread-safe.
class ByteWriter {
 public:
  void PutU8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void PutU32(uint32_t v) { PutFixed(v); }
  void PutU64(uint64_t v) { PutFixed(v); }
  void PutVarint(uint64_t v);
  void PutBytes(std::string_view bytes) { out_.append(bytes); }
  // Varint length followed by the bytes.
  void PutString(std::string_view s);

  size_t size() const { return out_.size(); }
  const std::string& bytes() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  template <typename T>
  void PutFixed(T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));  // the formats are little-endian; x86-64 and arm64 are too
    out_.append(buf, sizeof(T));
  }
  std::string out_;
};

// Reads from a borrowed buffer that must outlive it. Not thread-safe.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  Result<uint8_t> GetU8();
  Result<uint32_t> GetU32();
  Result<uint64_t> GetU64();
  Result<uint64_t> GetVarint();
  Result<std::string_view> GetBytes(size_t n);
  Result<std::string_view> GetString();

  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  Status Need(size_t n) const;
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace strata
