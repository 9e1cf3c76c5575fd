// The builtin groups RegisterCoreFunctions (function.h) registers, one per file.
#pragma once

#include "query/function.h"

namespace strata {

// temporalAdd / datetimeAdd (builtins_temporal.cc).
void RegisterTemporalFunctions(FunctionRegistry& registry);
// temporalFormat / datetimeFormat, decimalFormat, format, regexFind (builtins_text.cc).
void RegisterTextFunctions(FunctionRegistry& registry);

}  // namespace strata
