// Entry point of the Doris SQL parser: text → statements (sql/ast.h).
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/ast.h"

namespace strata {

// Parses `text`, one or more statements separated by ';' (empty statements are skipped, so
// "" and ";;" give none). Never throws or aborts on any input. A syntax error is
// InvalidArgument "line L, column C: found <token as written, or end of input>; expected
// <what>"; lexical errors (unterminated string or comment, ...) use the same position prefix.
Result<std::vector<Statement>> ParseSql(std::string_view text);

}  // namespace strata
