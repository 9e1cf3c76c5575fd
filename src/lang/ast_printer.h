// Prints syntax trees back as script text, fully parenthesized so the structure is visible:
// `x = (a + (b * 2))`, `f(, VALUE, (2017.08.07..2017.08.11))`, `<select * from t where (x > 1)>`.
// Method calls print in their normalized form f(obj, ...). The text parses back to the same
// tree; used in tests, to show metacode, and for debugging.
#pragma once

#include <string>
#include <vector>

#include "lang/script_ast.h"

namespace strata {

// An empty expression pointer (an omitted argument) prints as "".
std::string ToString(const ExprPtr& expr);
std::string ToString(const StmtPtr& stmt);
// One statement per line.
std::string ToString(const Program& program);
// A function definition: "def name(a, b) {\n...\n}", or the lambda "def(a, b) {...}" when
// `name` is empty.
std::string DefinitionToString(const std::string& name, const std::vector<std::string>& params,
                               const std::vector<StmtPtr>& body);
// A literal's value in script syntax: 100, 100l, 10.0, 1.5f, "s", `a`b, 0 50 100, 2017.08.07.
std::string LiteralToString(const Value& value);

}  // namespace strata
