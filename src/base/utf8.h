// UTF-8 validation for user strings. Strata stores user values as the bytes they came with;
// these helpers find where a string stops being well-formed UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF) so that JSON writers can encode those bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata {

// Length of the well-formed UTF-8 sequence that starts at text[at], or 0 if the byte there does
// not start one (then that single byte is "not part of valid UTF-8").
size_t Utf8SequenceLength(std::string_view text, size_t at);

bool IsValidUtf8(std::string_view text);

// `text` with each byte that is not part of well-formed UTF-8 replaced by the character whose
// code point is that byte's value (0xFC becomes U+00FC). Valid UTF-8 is copied unchanged. Lossy
// by design: for display only, never for stored documents.
std::string BytesAsCodePoints(std::string_view text);

}  // namespace strata
