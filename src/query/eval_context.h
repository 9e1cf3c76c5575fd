// EvalContext: what expression evaluation needs from its surroundings — variables and
// functions by name. The interpreter (src/lang) implements it; the select engine layers table
// columns over it. Needs external locking (one evaluation at a time per context).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "query/ast.h"
#include "query/function.h"
#include "types/value.h"

namespace strata {

class TableReader;

// How comparisons treat NULL. DolphinDB orders NULL below every value (`NULL < 2` is true);
// SQL calls any comparison with NULL unknown (NULL), which a where condition does not pass.
enum class NullSemantics : uint8_t { kDolphinDb, kSql };

class EvalContext {
 public:
  virtual ~EvalContext() = default;
  // The value of a variable, or nullopt if no variable has that name.
  virtual std::optional<Value> FindVariable(const std::string& name) const = 0;
  // A function by name, or nullptr.
  virtual FunctionPtr FindFunction(const std::string& name) const = 0;
  // How table handles are read, with the session's access checks; nullptr when no data
  // directory is open.
  virtual TableReader* tables() const = 0;
  // The number of rows of the table whose columns this context shows (select), or nullopt.
  virtual std::optional<size_t> RowCount() const { return std::nullopt; }
  // The NULL semantics of comparisons evaluated here.
  virtual NullSemantics nulls() const { return NullSemantics::kDolphinDb; }
  // Cancelled when whoever runs the query asked it to stop (checked between chunks); OK by
  // default.
  virtual Status CheckInterrupted() const { return Status::Ok(); }
  // Turns a kLambda expression into a function value (closures belong to the interpreter).
  virtual Result<Value> MakeLambda(const Expr& lambda) = 0;
};

}  // namespace strata
