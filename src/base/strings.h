// Small string helpers shared by every module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

std::vector<std::string> Split(std::string_view s, char separator);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view Trim(std::string_view s);
// Quotes a string for messages: 'name'.
std::string Quote(std::string_view s);

// Wildcard matching of the whole `text`: '%' matches any run of characters (including none);
// with kPercentAndQuestion '?' matches exactly one; with kSqlLike (SQL's LIKE) '_' matches
// exactly one and '\' makes the next character match itself; every other character matches
// itself.
enum class WildcardSyntax : uint8_t { kPercent, kPercentAndQuestion, kSqlLike };
bool MatchesWildcard(std::string_view pattern, std::string_view text, WildcardSyntax syntax);

}  // namespace strata
