#include "repository/object_codec.h"

#include "base/bytes.h"
#include "base/compression.h"
#include "base/hash.h"

namespace strata {

namespace {

constexpr std::string_view kMagic = "STRATOBJ";
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 18;
constexpr size_t kSampleSlices = 4;
constexpr size_t kSliceBytes = 8 * 1024;
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

EncodedObject::EncodedObject(std::string_view content) : content_(content) {
  // Most objects are segments whose blocks are LZ4-compressed already. Slices from across the
  // object, compressed together, decide whether compressing all of it is worth the CPU: at
  // 32 KiB per object the sample costs a few percent of a backup, not a tenth of it.
  bool worth_it = true;
  if (content.size() > 4 * kSampleSlices * kSliceBytes) {
    std::string sample;
    sample.reserve(kSampleSlices * kSliceBytes);
    for (size_t i = 0; i < kSampleSlices; ++i) {
      sample.append(content.substr(i * (content.size() / kSampleSlices), kSliceBytes));
    }
    worth_it = Saves(Compress(Codec::kZstd, sample, kZstdLevel).size(), sample.size());
  }
  if (worth_it) {
    zstd_ = Compress(Codec::kZstd, content, kZstdLevel);
    compressed_ = Saves(zstd_.size(), content.size());
    if (!compressed_) zstd_ = std::string();
  }
  ByteWriter out;
  out.PutBytes(kMagic);
  out.PutU8(kVersion);
  out.PutU8(static_cast<uint8_t>(compressed_ ? Codec::kZstd : Codec::kNone));
  out.PutU64(content.size());
  header_ = out.Release();
}

std::vector<std::string_view> EncodedObject::pieces() const { return {header_, payload()}; }

std::string EncodeObject(std::string_view content) {
  EncodedObject encoded(content);
  std::string out;
  out.reserve(encoded.size());
  for (std::string_view piece : encoded.pieces()) out.append(piece);
  return out;
}

Result<std::string_view> DecodeObjectView(std::string_view stored, std::string_view expected_id,
                                          std::string* scratch, ContentCheck check) {
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
  std::string_view payload = stored.substr(kHeaderBytes);
  std::string_view content;
  if (codec == static_cast<uint8_t>(Codec::kNone)) {
    if (payload.size() != size) {
      return Damaged(expected_id, "it holds " + std::to_string(payload.size()) +
                                      " bytes but its header says " + std::to_string(size));
    }
    content = payload;
  } else if (codec == static_cast<uint8_t>(Codec::kZstd)) {
    auto decompressed = Decompress(Codec::kZstd, payload, static_cast<size_t>(size));
    if (!decompressed.ok()) return Damaged(expected_id, decompressed.status().message());
    *scratch = std::move(*decompressed);
    content = *scratch;
  } else {
    return Damaged(expected_id, "unknown codec " + std::to_string(codec));
  }
  if (check == ContentCheck::kHash && ObjectIdOf(content) != expected_id) {
    return Damaged(expected_id, "its content does not hash to its name");
  }
  return content;
}

Result<std::string> DecodeObject(std::string_view stored, std::string_view expected_id) {
  std::string scratch;
  ASSIGN_OR_RETURN(std::string_view content,
                   DecodeObjectView(stored, expected_id, &scratch, ContentCheck::kHash));
  if (!scratch.empty()) return scratch;
  return std::string(content);
}

}  // namespace strata
