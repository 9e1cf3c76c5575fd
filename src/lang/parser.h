// Parser for the DolphinDB-style script: source text → Program (query/ast.h). Errors are
// InvalidArgument with the line and what was expected, e.g. "line 3: expected ')' to close the
// call of 'database' opened on line 2".
#pragma once

#include <string_view>

#include "base/status.h"
#include "lang/script_ast.h"

namespace strata {

Result<Program> ParseProgram(std::string_view source);

// Parses a single expression (used for `-e` snippets that are one expression and by tests).
Result<ExprPtr> ParseExpression(std::string_view source);

}  // namespace strata
