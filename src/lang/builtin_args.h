// Argument helpers for builtins: each returns the argument in the wanted shape or an
// InvalidArgument that names the function, the parameter and what was given.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "types/value.h"

namespace strata {

Result<std::string> StringArg(const Value& v, const char* function, const char* param);
// A string, or a VOID value → `fallback`.
Result<std::string> OptionalStringArg(const Value& v, const char* function, const char* param,
                                      const std::string& fallback);
// A STRING/SYMBOL scalar or vector, as a list.
Result<std::vector<std::string>> StringListArg(const Value& v, const char* function,
                                               const char* param);
// A BOOL, or the integer 1 or 0; a VOID value → `fallback`. Any other value (parallel=-1) is an
// error naming the parameter and what it accepts.
Result<bool> BoolArg(const Value& v, const char* function, const char* param, bool fallback);
// A database handle or a "dfs://..." path, as the database's name.
Result<std::string> NamedDatabaseArg(const Value& v, const char* function);

}  // namespace strata
