// Functions as values: FunctionObject is anything callable from a script — a builtin, a user
// `def` (src/lang), or a partial application f{a}. Builtins declare their parameter names so
// named arguments (`backup(backupDir=d, force=true)`) bind by name, and whether they aggregate
// (which the select engine needs for `group by`). Immutable; thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/value.h"

namespace strata {

class EvalContext;

// Whether the parameter `param` is called `name`. A parameter with alternative names spells
// them as DolphinDB's pages do, "dbPath|sqlObj", and answers to each.
bool ParameterHasName(std::string_view param, std::string_view name);

class FunctionObject : public Object {
 public:
  // Parameter names, in order (see ParameterHasName). Omitted arguments arrive as VOID values.
  virtual const std::vector<std::string>& params() const = 0;
  virtual const std::string& name() const = 0;
  virtual bool is_aggregate() const { return false; }
  // Calls the function with positional arguments (already bound by name).
  virtual Result<Value> Invoke(EvalContext& context, std::vector<Value> args) const = 0;

  std::string KindName() const override { return "function"; }
  std::string ToString() const override { return name(); }
};

using FunctionPtr = std::shared_ptr<const FunctionObject>;

// The body of a builtin: receives the call's context and positional arguments.
using BuiltinBody = std::function<Result<Value>(EvalContext&, std::vector<Value>&)>;

struct BuiltinSpec {
  std::string name;
  std::vector<std::string> params;
  size_t required = 0;  // how many leading params the call must reach (NULL counts as given)
  bool aggregate = false;
  BuiltinBody body;
};

class BuiltinFunction : public FunctionObject {
 public:
  explicit BuiltinFunction(BuiltinSpec spec) : spec_(std::move(spec)) {}
  const std::vector<std::string>& params() const override { return spec_.params; }
  const std::string& name() const override { return spec_.name; }
  bool is_aggregate() const override { return spec_.aggregate; }
  // Checks the argument count (InvalidArgument naming the function and its signature).
  Result<Value> Invoke(EvalContext& context, std::vector<Value> args) const override;

 private:
  BuiltinSpec spec_;
};

// f{a, b}: a function with its first arguments fixed.
class PartialFunction : public FunctionObject {
 public:
  PartialFunction(FunctionPtr inner, std::vector<Value> bound);
  const FunctionPtr& inner() const { return inner_; }
  const std::vector<Value>& bound() const { return bound_; }
  const std::vector<std::string>& params() const override { return params_; }
  const std::string& name() const override { return inner_->name(); }
  Result<Value> Invoke(EvalContext& context, std::vector<Value> args) const override;

 private:
  FunctionPtr inner_;
  std::vector<Value> bound_;
  std::vector<std::string> params_;
};

// A name → function table. Not thread-safe for registration; lookups are const.
class FunctionRegistry {
 public:
  void Register(BuiltinSpec spec);
  // nullptr if unknown.
  FunctionPtr Find(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::vector<std::pair<std::string, FunctionPtr>> functions_;  // sorted by name
};

// Registers the pure functions of this module (operators as functions, aggregates, vector
// construction, conversions, rand/take/seq/table, ...).
void RegisterCoreFunctions(FunctionRegistry& registry);

}  // namespace strata
