#include "base/bytes.h"

namespace strata {

void ByteWriter::PutVarint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ByteWriter::PutString(std::string_view s) {
  PutVarint(s.size());
  out_.append(s);
}

Status ByteReader::Need(size_t n) const {
  if (in_.size() - pos_ < n) {
    return Corruption("record truncated: need " + std::to_string(n) + " bytes at offset " +
                      std::to_string(pos_) + ", have " + std::to_string(in_.size() - pos_));
  }
  return Status::Ok();
}

Result<uint8_t> ByteReader::GetU8() {
  RETURN_IF_ERROR(Need(1));
  return static_cast<uint8_t>(in_[pos_++]);
}

Result<uint32_t> ByteReader::GetU32() {
  RETURN_IF_ERROR(Need(4));
  uint32_t v;
  std::memcpy(&v, in_.data() + pos_, 4);
  pos_ += 4;
  return v;
}

Result<uint64_t> ByteReader::GetU64() {
  RETURN_IF_ERROR(Need(8));
  uint64_t v;
  std::memcpy(&v, in_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

Result<uint64_t> ByteReader::GetVarint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    RETURN_IF_ERROR(Need(1));
    uint8_t byte = static_cast<uint8_t>(in_[pos_++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  return Corruption("varint longer than 10 bytes at offset " + std::to_string(pos_));
}

Result<std::string_view> ByteReader::GetBytes(size_t n) {
  RETURN_IF_ERROR(Need(n));
  std::string_view out = in_.substr(pos_, n);
  pos_ += n;
  return out;
}

Result<std::string_view> ByteReader::GetString() {
  ASSIGN_OR_RETURN(uint64_t n, GetVarint());
  return GetBytes(static_cast<size_t>(n));
}

}  // namespace strata
