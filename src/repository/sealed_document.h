// Sealed JSON documents (docs/format/repository.md, "Sealed documents"): manifests and journal
// parts end with a "checksum" member holding the SHA-256 of every byte before it. Sealing and
// checking work on the text, so a writer can stream a large document and a reader verifies it
// without building or copying a DOM, and the checksum does not depend on how any JSON library
// formats numbers or orders keys.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace strata {

// `object` is the text of a JSON object with at least one member ("{...}", no trailing
// whitespace). Returns it with `,"checksum":"<sha256 hex>"` before the closing brace, and a
// newline after it; InvalidArgument (a caller's bug, reported rather than sealed) otherwise.
Result<std::string> SealDocument(std::string object);

// True when `text` is a sealed document whose checksum matches the bytes before it (trailing
// whitespace after the closing brace is allowed). Says nothing about whether it is valid JSON.
bool IsSealedIntact(std::string_view text);

}  // namespace strata
