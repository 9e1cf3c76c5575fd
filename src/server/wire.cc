#include "server/wire.h"

namespace strata {

WireWriter& WireWriter::Fixed(uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) data_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return *this;
}

WireWriter& WireWriter::LenencInt(uint64_t v) {
  if (v < 0xfb) return Int1(v);
  if (v <= 0xffff) return Int1(0xfc).Int2(v);
  if (v <= 0xffffff) return Int1(0xfd).Int3(v);
  return Int1(0xfe).Int8(v);
}

WireWriter& WireWriter::LenencString(std::string_view s) {
  LenencInt(s.size());
  return Bytes(s);
}

WireWriter& WireWriter::NulString(std::string_view s) {
  Bytes(s);
  data_.push_back('\0');
  return *this;
}

WireWriter& WireWriter::Bytes(std::string_view s) {
  data_.append(s.data(), s.size());
  return *this;
}

WireWriter& WireWriter::Zeros(size_t n) {
  data_.append(n, '\0');
  return *this;
}

bool WireReader::Need(size_t n) {
  if (ok_ && data_.size() - pos_ >= n) return true;
  ok_ = false;
  return false;
}

uint64_t WireReader::Fixed(int bytes) {
  if (!Need(static_cast<size_t>(bytes))) return 0;
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  }
  pos_ += static_cast<size_t>(bytes);
  return v;
}

std::optional<uint64_t> WireReader::LenencInt() {
  uint64_t first = Int1();
  if (!ok_) return 0;
  switch (first) {
    case 0xfb:
      return std::nullopt;
    case 0xfc:
      return Int2();
    case 0xfd:
      return Int3();
    case 0xfe:
      return Int8();
    case 0xff:  // not a length: an ERR packet's marker
      ok_ = false;
      return 0;
    default:
      return first;
  }
}

std::string_view WireReader::LenencString() {
  std::optional<uint64_t> n = LenencInt();
  if (!n) {
    ok_ = false;
    return {};
  }
  return Bytes(*n);
}

std::string_view WireReader::NulString() {
  if (!ok_) return {};
  size_t end = data_.find('\0', pos_);
  if (end == std::string_view::npos) {
    ok_ = false;
    return {};
  }
  std::string_view out = data_.substr(pos_, end - pos_);
  pos_ = end + 1;
  return out;
}

std::string_view WireReader::Bytes(size_t n) {
  if (!Need(n)) return {};
  std::string_view out = data_.substr(pos_, n);
  pos_ += n;
  return out;
}

std::string_view WireReader::Rest() { return Bytes(remaining()); }

std::optional<uint8_t> WireReader::Peek() const {
  if (!ok_ || pos_ >= data_.size()) return std::nullopt;
  return static_cast<uint8_t>(data_[pos_]);
}

}  // namespace strata
