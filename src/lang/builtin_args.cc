#include "lang/builtin_args.h"

#include "lang/database_handle.h"

namespace strata {

namespace {
Status Wrong(const char* function, const char* param, const char* want, const Value& v) {
  return InvalidArgument(std::string("argument '") + param + "' of " + function + " must be " +
                         want + ", got a " + v.Describe());
}
}  // namespace

Result<std::string> StringArg(const Value& v, const char* function, const char* param) {
  if (!v.is_scalar() || !IsStringLike(v.type())) return Wrong(function, param, "a string", v);
  return v.scalar().string_value();
}

Result<std::string> OptionalStringArg(const Value& v, const char* function, const char* param,
                                      const std::string& fallback) {
  if (v.is_void()) return fallback;
  return StringArg(v, function, param);
}

Result<std::vector<std::string>> StringListArg(const Value& v, const char* function,
                                               const char* param) {
  if (v.is_scalar() && IsStringLike(v.type()))
    return std::vector<std::string>{v.scalar().string_value()};
  if (v.is_vector() && IsStringLike(v.type())) {
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) out.push_back(v.column()->Get(i).string_value());
    return out;
  }
  return Wrong(function, param, "a string or a string vector", v);
}

Result<bool> BoolArg(const Value& v, const char* function, const char* param, bool fallback) {
  if (v.is_void()) return fallback;
  constexpr const char* kWant = "true or false (or 1 or 0)";
  if (!v.is_scalar() || !(v.type() == Type::kBool || IsIntegral(v.type()))) {
    return Wrong(function, param, kWant, v);
  }
  // Any other integer is a mistake (parallel=-1 once meant true without a word).
  int64_t value = v.scalar().int_value();
  if (v.scalar().is_null() || (value != 0 && value != 1)) {
    return InvalidArgument(std::string("argument '") + param + "' of " + function + " must be " +
                           kWant + ", got " +
                           (v.scalar().is_null() ? std::string("NULL") : std::to_string(value)));
  }
  return value != 0;
}

Result<std::string> NamedDatabaseArg(const Value& v, const char* function) {
  if (const DatabaseHandle* handle = AsDatabaseHandle(v)) {
    if (handle->name().empty()) {
      return InvalidArgument(std::string(function) +
                             " needs a named database; database(, TYPE, ...) only describes a "
                             "COMPO level");
    }
    return handle->name();
  }
  if (v.is_scalar() && IsStringLike(v.type())) return v.scalar().string_value();
  return InvalidArgument(std::string(function) + " needs a database handle or path, got a " +
                         v.Describe());
}

}  // namespace strata
