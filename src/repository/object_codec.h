// The stored form of a repository object (docs/format/repository.md, "Objects"): an 18-byte
// header (magic, version, codec, content size) and the content, zstd-compressed when that
// saves at least 1/8. An object's id is the SHA-256 (hex) of its content; decoding verifies
// the header, the size and the hash, so damage anywhere is reported as Corruption.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace strata {

// Lower-case hex SHA-256 of `content`: the object's id.
std::string ObjectIdOf(std::string_view content);
// "objects/<first two hex digits>/<id>".
std::string ObjectKeyOf(std::string_view id);
// True for 64 lower-case hex digits.
bool IsObjectId(std::string_view id);

std::string EncodeObject(std::string_view content);

// The content of `stored`, verified against `expected_id`; Corruption naming the object and
// what is wrong (header, size, codec, hash), Unimplemented for a newer format version.
Result<std::string> DecodeObject(std::string_view stored, std::string_view expected_id);

}  // namespace strata
