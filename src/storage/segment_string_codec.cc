#include "storage/segment_string_codec.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"

namespace strata {
namespace {

std::string EncodeStringPlain(const std::string* values, size_t n) {
  ByteWriter writer;
  size_t bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    writer.PutVarint(values[i].size());
    bytes += values[i].size();
  }
  std::string raw = writer.Release();
  raw.reserve(raw.size() + bytes);
  for (size_t i = 0; i < n; ++i) raw.append(values[i]);
  return raw;
}

template <typename C>
void PutDictionaryCodes(const std::vector<uint32_t>& first_seen_ids,
                        const std::vector<uint32_t>& rank, char* out) {
  for (size_t i = 0; i < first_seen_ids.size(); ++i) {
    PutCode<C>(out, i, static_cast<C>(rank[first_seen_ids[i]]));
  }
}

// Dictionary of the sorted distinct values, or an empty string when the block has more than
// n / 2 distinct values (then plain is about as small and faster to decode).
std::string EncodeStringDictionary(const std::string* values, size_t n) {
  // One hash lookup per row: number values in order of first appearance, then map those
  // numbers to ranks in the sorted dictionary.
  std::unordered_map<std::string_view, uint32_t> first_seen;
  std::vector<std::string_view> distinct;
  std::vector<uint32_t> first_seen_ids(n);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && values[i] == values[i - 1]) {  // runs are common in sorted data
      first_seen_ids[i] = first_seen_ids[i - 1];
      continue;
    }
    auto [it, inserted] = first_seen.try_emplace(values[i], static_cast<uint32_t>(distinct.size()));
    if (inserted) {
      distinct.push_back(values[i]);
      if (distinct.size() * 2 > n) return {};
    }
    first_seen_ids[i] = it->second;
  }
  std::vector<uint32_t> order(distinct.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // Sorted by value: the dictionary never depends on hashing, and min/max are its ends.
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return distinct[a] < distinct[b]; });
  std::vector<uint32_t> rank(distinct.size());
  ByteWriter writer;
  writer.PutVarint(distinct.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    rank[order[i]] = i;
    writer.PutString(distinct[order[i]]);
  }
  const size_t width = CodeWidthFor(distinct.size() - 1);
  writer.PutU8(static_cast<uint8_t>(width));
  std::string raw = writer.Release();
  const size_t codes_begin = raw.size();
  raw.resize(codes_begin + n * width);
  char* out = raw.data() + codes_begin;
  switch (width) {
    case 1:
      PutDictionaryCodes<uint8_t>(first_seen_ids, rank, out);
      break;
    case 2:
      PutDictionaryCodes<uint16_t>(first_seen_ids, rank, out);
      break;
    default:
      PutDictionaryCodes<uint32_t>(first_seen_ids, rank, out);
      break;
  }
  return raw;
}

// Reads a varint at `*pos` of `in`; false if it runs past the end or beyond 10 bytes.
bool ReadVarint(std::string_view in, size_t* pos, uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in[(*pos)++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
}

Status DecodeStringPlain(std::string_view raw, size_t rows, std::string* out) {
  // Lengths first, then bytes: find where the lengths end before reading any value.
  std::vector<uint64_t> lengths(rows);
  size_t pos = 0;
  uint64_t total = 0;
  for (size_t i = 0; i < rows; ++i) {
    if (!ReadVarint(raw, &pos, &lengths[i])) return Corruption("string lengths truncated");
    total += lengths[i];
  }
  if (total != raw.size() - pos) {
    return Corruption("string lengths add up to " + std::to_string(total) + " bytes, block has " +
                      std::to_string(raw.size() - pos));
  }
  for (size_t i = 0; i < rows; ++i) {
    out[i].assign(raw.data() + pos, lengths[i]);
    pos += lengths[i];
  }
  return Status::Ok();
}

template <typename C>
Status ReadDictionaryCodes(const char* codes, size_t rows,
                           const std::vector<std::string_view>& dictionary, std::string* out) {
  for (size_t i = 0; i < rows; ++i) {
    C code = GetCode<C>(codes, i);
    if (code >= dictionary.size()) {
      return Corruption("dictionary code " + std::to_string(code) + " at row " + std::to_string(i) +
                        " exceeds the " + std::to_string(dictionary.size()) +
                        " dictionary entries");
    }
    out[i].assign(dictionary[code].data(), dictionary[code].size());
  }
  return Status::Ok();
}

Status DecodeStringDictionary(std::string_view raw, size_t rows, std::string* out) {
  size_t pos = 0;
  uint64_t count = 0;
  if (!ReadVarint(raw, &pos, &count) || count == 0 || count > rows) {
    return Corruption("dictionary size is missing or invalid");
  }
  std::vector<std::string_view> dictionary(count);
  for (auto& entry : dictionary) {
    uint64_t length = 0;
    if (!ReadVarint(raw, &pos, &length) || length > raw.size() - pos) {
      return Corruption("dictionary entries truncated");
    }
    entry = raw.substr(pos, length);
    pos += length;
  }
  if (pos >= raw.size()) return Corruption("dictionary code width missing");
  const size_t width = static_cast<uint8_t>(raw[pos++]);
  if ((width != 1 && width != 2 && width != 4) || raw.size() - pos != rows * width) {
    return Corruption("dictionary codes have width " + std::to_string(width) + " and " +
                      std::to_string(raw.size() - pos) + " bytes for " + std::to_string(rows) +
                      " rows");
  }
  const char* codes = raw.data() + pos;
  switch (width) {
    case 1:
      return ReadDictionaryCodes<uint8_t>(codes, rows, dictionary, out);
    case 2:
      return ReadDictionaryCodes<uint16_t>(codes, rows, dictionary, out);
    default:
      return ReadDictionaryCodes<uint32_t>(codes, rows, dictionary, out);
  }
}

}  // namespace

std::string EncodeStringBlock(const std::string* values, size_t n, BlockEncoding* encoding) {
  std::string raw = EncodeStringDictionary(values, n);
  if (!raw.empty()) {
    *encoding = BlockEncoding::kStringDictionary;
    return raw;
  }
  *encoding = BlockEncoding::kStringPlain;
  return EncodeStringPlain(values, n);
}

Status DecodeStringBlock(BlockEncoding encoding, std::string_view raw, size_t rows,
                         std::string* out) {
  switch (encoding) {
    case BlockEncoding::kStringPlain:
      return DecodeStringPlain(raw, rows, out);
    case BlockEncoding::kStringDictionary:
      return DecodeStringDictionary(raw, rows, out);
    default:
      return Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                        " is not valid for a string column");
  }
}

}  // namespace strata
