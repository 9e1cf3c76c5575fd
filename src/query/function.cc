#include "query/function.h"

#include <algorithm>

#include "base/strings.h"

namespace strata {

bool ParameterHasName(std::string_view param, std::string_view name) {
  for (;;) {
    size_t bar = param.find('|');
    if (param.substr(0, bar) == name) return true;
    if (bar == std::string_view::npos) return false;
    param.remove_prefix(bar + 1);
  }
}

Result<Value> BuiltinFunction::Invoke(EvalContext& context, std::vector<Value> args) const {
  if (args.size() > spec_.params.size()) {
    return InvalidArgument("function " + spec_.name + " takes at most " +
                           std::to_string(spec_.params.size()) + " argument(s) (" +
                           Join(spec_.params, ", ") + ") but got " + std::to_string(args.size()));
  }
  for (size_t i = 0; i < spec_.required; ++i) {
    if (i >= args.size()) {
      return InvalidArgument("function " + spec_.name + "(" + Join(spec_.params, ", ") +
                             ") needs argument '" + spec_.params[i] + "'");
    }
  }
  args.resize(spec_.params.size());
  auto result = spec_.body(context, args);
  if (!result.ok() && result.status().message().find(spec_.name) == std::string::npos) {
    return result.status().WithContext(spec_.name);
  }
  return result;
}

PartialFunction::PartialFunction(FunctionPtr inner, std::vector<Value> bound)
    : inner_(std::move(inner)), bound_(std::move(bound)) {
  const auto& all = inner_->params();
  if (bound_.size() < all.size()) params_.assign(all.begin() + bound_.size(), all.end());
}

Result<Value> PartialFunction::Invoke(EvalContext& context, std::vector<Value> args) const {
  std::vector<Value> full = bound_;
  full.insert(full.end(), args.begin(), args.end());
  return inner_->Invoke(context, std::move(full));
}

void FunctionRegistry::Register(BuiltinSpec spec) {
  std::string name = spec.name;
  auto fn = std::make_shared<const BuiltinFunction>(std::move(spec));
  auto it =
      std::lower_bound(functions_.begin(), functions_.end(), name,
                       [](const auto& entry, const std::string& n) { return entry.first < n; });
  if (it != functions_.end() && it->first == name) {
    it->second = fn;
  } else {
    functions_.insert(it, {name, fn});
  }
}

FunctionPtr FunctionRegistry::Find(const std::string& name) const {
  auto it =
      std::lower_bound(functions_.begin(), functions_.end(), name,
                       [](const auto& entry, const std::string& n) { return entry.first < n; });
  if (it != functions_.end() && it->first == name) return it->second;
  return nullptr;
}

std::vector<std::string> FunctionRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, fn] : functions_) names.push_back(name);
  return names;
}

}  // namespace strata
