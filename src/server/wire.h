// The MySQL protocol's basic encodings (little-endian fixed-width integers, length-encoded
// integers and strings, NUL-terminated strings) for building and reading packet payloads.
// WireReader never reads past its input: a short or malformed payload makes it fail, and every
// later read fails too, so a parser checks ok() once at the end. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

class WireWriter {
 public:
  WireWriter& Int1(uint64_t v) { return Fixed(v, 1); }
  WireWriter& Int2(uint64_t v) { return Fixed(v, 2); }
  WireWriter& Int3(uint64_t v) { return Fixed(v, 3); }
  WireWriter& Int4(uint64_t v) { return Fixed(v, 4); }
  WireWriter& Int8(uint64_t v) { return Fixed(v, 8); }
  WireWriter& Fixed(uint64_t v, int bytes);
  WireWriter& LenencInt(uint64_t v);
  WireWriter& LenencString(std::string_view s);
  WireWriter& NulString(std::string_view s);  // s must hold no NUL
  WireWriter& Bytes(std::string_view s);
  WireWriter& Zeros(size_t n);

  const std::string& data() const { return data_; }
  std::string Take() { return std::move(data_); }

 private:
  std::string data_;
};

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  uint64_t Int1() { return Fixed(1); }
  uint64_t Int2() { return Fixed(2); }
  uint64_t Int3() { return Fixed(3); }
  uint64_t Int4() { return Fixed(4); }
  uint64_t Int8() { return Fixed(8); }
  uint64_t Fixed(int bytes);
  // A length-encoded integer; 0xFB (NULL) reads as nullopt without failing.
  std::optional<uint64_t> LenencInt();
  std::string_view LenencString();
  std::string_view NulString();  // up to the next NUL, which is consumed
  std::string_view Bytes(size_t n);
  std::string_view Rest();  // everything left

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ >= data_.size(); }
  size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  // The next byte without consuming it; nullopt at the end.
  std::optional<uint8_t> Peek() const;

 private:
  bool Need(size_t n);

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace strata
