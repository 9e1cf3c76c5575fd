// The stored form of a repository object (docs/format/repository.md, "Objects"): an 18-byte
// header (magic, version, codec, content size) and the content, zstd-compressed when that
// saves at least 1/8. An object's id is the SHA-256 (hex) of its content; decoding verifies
// the header, the size and the hash, so damage anywhere is reported as Corruption.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata {

// Lower-case hex SHA-256 of `content`: the object's id.
std::string ObjectIdOf(std::string_view content);
// "objects/<first two hex digits>/<id>".
std::string ObjectKeyOf(std::string_view id);
// True for 64 lower-case hex digits.
bool IsObjectId(std::string_view id);

// The stored form of `content` as two pieces — the header, then the payload, which is
// `content` itself unless zstd pays — so a large object can be written without copying it.
// Views into `content`, which must outlive this.
class EncodedObject {
 public:
  explicit EncodedObject(std::string_view content);
  std::vector<std::string_view> pieces() const;
  uint64_t size() const { return header_.size() + payload().size(); }

 private:
  std::string_view payload() const { return compressed_ ? std::string_view(zstd_) : content_; }

  std::string_view content_;
  std::string header_;
  bool compressed_ = false;
  std::string zstd_;
};
// The pieces of EncodedObject(content), concatenated.
std::string EncodeObject(std::string_view content);

// The content of `stored`, verified against `expected_id`; Corruption naming the object and
// what is wrong (header, size, codec, hash), Unimplemented for a newer format version.
Result<std::string> DecodeObject(std::string_view stored, std::string_view expected_id);
// How a decoder knows the content is the object's. kHash: its SHA-256 must be the id.
// kAuthenticated: the caller has opened `stored` with an authenticated cipher whose tag binds it
// to the id (an encrypted repository: the id was computed from this content when it was
// sealed), so hashing again would check nothing new; header, codec and size are still checked.
enum class ContentCheck { kHash, kAuthenticated };

// The same without copying: a view into `stored` when the object is stored as is, else into
// `*scratch`, which receives the decompressed content.
Result<std::string_view> DecodeObjectView(std::string_view stored, std::string_view expected_id,
                                          std::string* scratch, ContentCheck check);

}  // namespace strata
