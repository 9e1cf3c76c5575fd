#include "repository/object_codec.h"

#include "base/bytes.h"
#include "base/compression.h"
#include "base/hash.h"

namespace strata {

namespace {

constexpr std::string_view kMagic = "STRATOBJ";
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 18;
constexpr size_t kSampleBytes = 128 * 1024;
constexpr int kZstdLevel = 3;

Status Damaged(std::string_view id, const std::string& what) {
  return Corruption("repository object " + std::string(id) + " is damaged: " + what);
}

}  // namespace

std::string ObjectIdOf(std::string_view content) { return ToHex(Sha256Of(content)); }

std::string ObjectKeyOf(std::string_view id) {
  return "objects/" + std::string(id.substr(0, 2)) + "/" + std::string(id);
}

bool IsObjectId(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

namespace {

// zstd pays when it saves at least 1/8 of `size` bytes.
bool Saves(size_t compressed, size_t size) { return compressed + size / 8 <= size; }

}  // namespace

std::string EncodeObject(std::string_view content) {
  // Most objects are segments whose blocks are LZ4-compressed already: a sample of the first
  // kSampleBytes decides whether compressing the whole object is worth the CPU.
  bool worth_it = true;
  if (content.size() > 2 * kSampleBytes) {
    std::string sample = Compress(Codec::kZstd, content.substr(0, kSampleBytes), kZstdLevel);
    worth_it = Saves(sample.size(), kSampleBytes);
  }
  std::string compressed;
  if (worth_it) {
    compressed = Compress(Codec::kZstd, content, kZstdLevel);
    worth_it = Saves(compressed.size(), content.size());
  }
  ByteWriter out;
  out.PutBytes(kMagic);
  out.PutU8(kVersion);
  out.PutU8(static_cast<uint8_t>(worth_it ? Codec::kZstd : Codec::kNone));
  out.PutU64(content.size());
  out.PutBytes(worth_it ? std::string_view(compressed) : content);
  return out.Release();
}

Result<std::string> DecodeObject(std::string_view stored, std::string_view expected_id) {
  if (stored.size() < kHeaderBytes || stored.substr(0, kMagic.size()) != kMagic) {
    return Damaged(expected_id, "it does not start with a strata object header");
  }
  ByteReader in(stored.substr(kMagic.size()));
  ASSIGN_OR_RETURN(uint8_t version, in.GetU8());
  if (version != kVersion) {
    return Unimplemented("repository object " + std::string(expected_id) + " has format version " +
                         std::to_string(version) +
                         "; this strata reads version 1 — upgrade strata");
  }
  ASSIGN_OR_RETURN(uint8_t codec, in.GetU8());
  ASSIGN_OR_RETURN(uint64_t size, in.GetU64());
  if (codec != static_cast<uint8_t>(Codec::kNone) && codec != static_cast<uint8_t>(Codec::kZstd)) {
    return Damaged(expected_id, "unknown codec " + std::to_string(codec));
  }
  std::string_view payload = stored.substr(kHeaderBytes);
  auto content = Decompress(static_cast<Codec>(codec), payload, static_cast<size_t>(size));
  if (!content.ok()) return Damaged(expected_id, content.status().message());
  if (ObjectIdOf(*content) != expected_id) {
    return Damaged(expected_id, "its content does not hash to its name");
  }
  return content;
}

}  // namespace strata
