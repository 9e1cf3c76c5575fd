// Wall-clock time as milliseconds since the Unix epoch, and its UTC text forms used in
// documents and ids: "2026-11-21T17:00:00.123Z" and the compact "20261121T170000123Z".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

// Milliseconds since the epoch, from the wall clock.
int64_t NowMs();

// "2026-11-21T17:00:00.123Z" (compact: "20261121T170000123Z").
std::string FormatUtcMs(int64_t ms, bool compact = false);
// The inverse of FormatUtcMs (the non-compact form); nullopt if `text` is not one.
std::optional<int64_t> ParseUtcMs(std::string_view text);

}  // namespace strata
