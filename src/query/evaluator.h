// Expression evaluation: turns an Expr into a Value in an EvalContext. Calls bind named
// arguments by parameter name; `table(a, b)` names its columns after the argument variables.
// Select/exec expressions are handed to the select engine (select.h).
#pragma once

#include <utility>
#include <vector>

#include "query/ast.h"
#include "query/eval_context.h"

namespace strata {

Result<Value> Evaluate(const Expr& expr, EvalContext& context);

// Calls `function` with positional and named arguments; named ones bind by parameter name
// (InvalidArgument naming the function and its parameters when a name is unknown).
Result<Value> CallFunction(const FunctionPtr& function, std::vector<Value> positional,
                           const std::vector<std::pair<std::string, Value>>& named,
                           EvalContext& context);

// The FunctionObject inside `value`, or nullptr.
FunctionPtr AsFunction(const Value& value);
// The function a call by `name` reaches: a variable holding one (a `def`), else a builtin;
// null when there is none.
FunctionPtr FindCallee(const std::string& name, const EvalContext& context);

// A name for the column an expression produces: its alias, a variable's name, `sum_x` for
// sum(x), `count` for count(*), else `col<index>`.
std::string ColumnNameFor(const Expr& expr, size_t index);

// Builds an in-memory table from named vectors/scalars (scalars broadcast).
Result<Value> MakeTableValue(const std::vector<std::string>& names,
                             const std::vector<Value>& values);

}  // namespace strata
