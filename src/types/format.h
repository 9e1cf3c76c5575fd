// Text and JSON forms of values. Text follows the DolphinDB console: temporal values in their
// literal form, NULL as an empty cell, vectors as [a,b,c], tables as aligned columns
// (abbreviated past `row_limit` rows). JSON: one document per value, as DESIGN §1 says —
// scalars as JSON scalars (temporal values as DolphinDB text, NULL as null), vectors as arrays,
// dictionaries as objects, tables as {"columns":[...],"types":[...],"rows":[[...],...]}.
#pragma once

#include <string>

#include "types/value.h"

namespace strata {

// The text of one scalar; NULL is "" (as a table cell) — the console prints it that way too.
std::string FormatScalar(const Scalar& scalar);

struct TextFormatOptions {
  size_t row_limit = 20;  // tables longer than this print their head and tail
};
std::string FormatValueText(const Value& value, const TextFormatOptions& options = {});

// One line of JSON; bytes of strings that are not valid UTF-8 become U+00XX (base/json.h,
// DumpJsonForDisplay). Never throws.
std::string FormatValueJson(const Value& value);

}  // namespace strata
