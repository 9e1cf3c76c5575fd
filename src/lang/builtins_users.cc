// Builtins that manage users and their grants.
#include "lang/interpreter.h"

namespace strata {

void RegisterUserFunctions(Interpreter& /*in*/) {}

}  // namespace strata
