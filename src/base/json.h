// The JSON layer of Strata: parsing and serializing that never throw. Every stored document
// (catalog columns, manifests, journals, head records, locks, markers) goes through ParseJson and
// DumpJson, which keep user strings byte-exact: a string that is not valid UTF-8 is stored as
// {"bytes_hex": "<hex>"} and read back as the same bytes (docs/format/json-strings.md). Output for
// people and tools goes through DumpJsonForDisplay instead. Typed reads: base/json_fields.h.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strata {

// Parses a stored document. `what` names it in errors ("snapshot '2026…'", "catalog scheme of
// database 'dfs://x'"); returns Corruption naming it and the position of the syntax error.
// {"bytes_hex": "<even-length lower- or upper-case hex>"} objects become the strings they encode.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view what);

// Serializes a document for storage; strings that are not valid UTF-8 become {"bytes_hex": ...}
// objects so that ParseJson returns them unchanged. `indent` < 0 writes one line. Never throws.
std::string DumpJson(const nlohmann::json& json, int indent = -1);

// Serializes for output to people and tools: each byte of a string that is not part of valid
// UTF-8 is written as the character U+00XX with XX that byte (0xFC reads as "ü"); always valid
// JSON, lossy for such bytes (docs/script.md, "JSON output"). Never throws.
std::string DumpJsonForDisplay(const nlohmann::json& json);

}  // namespace strata
