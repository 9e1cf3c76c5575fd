// Builtins that DolphinDB's client APIs call on their own (../shared/notes/dolphindb-api-
// protocol.md §5, §8): version and isNodeInitialized after a connect, and what the JavaScript
// client's `invoke` helper is written in — type, cast(x, ANY), funcByName, unifiedCall and
// fromStdJson. Ordinary script functions: nothing here knows about the protocol.
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "lang/builtin_args.h"
#include "lang/interpreter.h"
#include "query/evaluator.h"
#include "types/cast.h"
#include "types/temporal.h"

namespace strata {

namespace {

// What version() answers: the DolphinDB release whose client protocol and functions Strata
// follows, then a date, as DolphinDB writes its own ("3.00.3 2025.05.15"). The C++ API reads
// the leading numbers; the Java API keeps the part before the space.
constexpr const char* kCompatibleVersion = "3.00.3 2026.12.07";

// DolphinDB's type id of a function, which Strata's Type has no member for (ANY's is
// kAnyTypeId, interpreter.h).
constexpr int64_t kFunctionTypeId = 20;

// type(X): the type id of a scalar, vector or pair; ANY for a tuple, a dictionary or a table;
// FUNCTIONDEF for a function.
int64_t TypeId(const Value& v) {
  switch (v.form()) {
    case Form::kScalar:
    case Form::kVector:
    case Form::kPair:
      return static_cast<int64_t>(v.type());
    case Form::kObject:
      return AsFunction(v) ? kFunctionTypeId : kAnyTypeId;
    default:
      return kAnyTypeId;
  }
}

// cast(X, ANY): the elements of a vector or pair as a tuple; a tuple as it is; a scalar as a
// tuple of one.
Value ToTuple(const Value& v) {
  if (v.is_tuple()) return v;
  Tuple elements;
  if (v.is_vector() || v.is_pair()) {
    for (size_t i = 0; i < v.size(); ++i) elements.push_back(Value(v.column()->Get(i)));
  } else {
    elements.push_back(v);
  }
  return Value::MakeTuple(std::move(elements));
}

Result<Value> Cast(const Value& x, const Value& type) {
  if (!type.is_scalar() || !IsIntegral(type.type()) || type.scalar().is_null()) {
    return InvalidArgument("cast takes a type as its second argument, such as INT or ANY; got a " +
                           type.Describe());
  }
  int64_t id = type.scalar().int_value();
  if (id == kAnyTypeId) return ToTuple(x);
  if (id < 1 || id > static_cast<int64_t>(Type::kString)) {
    return InvalidArgument("cast: " + std::to_string(id) + " is no type Strata has");
  }
  Type to = static_cast<Type>(id);
  if (x.is_scalar()) {
    ASSIGN_OR_RETURN(Scalar out, CastScalar(x.scalar(), to));
    return Value(std::move(out));
  }
  if (x.is_vector() || x.is_pair()) {
    ASSIGN_OR_RETURN(Column out, CastColumn(*x.column(), to));
    return x.is_pair() ? Value::Pair(std::move(out)) : Value::Vector(std::move(out));
  }
  return InvalidArgument(std::string("cast converts a scalar, a vector or a pair to ") +
                         TypeName(to) + ", not a " + x.Describe());
}

// fromStdJson's element mapping: numbers are DOUBLE, strings temporal when they read as one.
Result<Value> FromJson(const nlohmann::json& j, size_t depth);

Scalar JsonString(const std::string& text) {
  if (std::optional<Scalar> temporal = ParseTemporal(text)) return *temporal;
  return Scalar::String(Type::kString, text);
}

// A JSON array: a typed vector when its elements are scalars of one type (nulls allowed),
// else a tuple.
Result<Value> FromJsonArray(const nlohmann::json& j, size_t depth) {
  Tuple elements;
  std::optional<Type> common;
  bool uniform = true;
  for (const auto& e : j) {
    ASSIGN_OR_RETURN(Value v, FromJson(e, depth + 1));
    if (!v.is_scalar()) {
      uniform = false;
    } else if (!v.is_void()) {
      if (common && *common != v.type()) uniform = false;
      common = v.type();
    }
    elements.push_back(std::move(v));
  }
  if (!uniform || !common) return Value::MakeTuple(std::move(elements));
  Column out(*common);
  for (const auto& v : elements) out.Append(v.is_void() ? Scalar::Null(*common) : v.scalar());
  return Value::Vector(std::move(out));
}

Result<Value> FromJson(const nlohmann::json& j, size_t depth) {
  constexpr size_t kDepthMax = 64;
  if (depth > kDepthMax) {
    return InvalidArgument("fromStdJson: the JSON nests deeper than " + std::to_string(kDepthMax) +
                           " levels");
  }
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value();
    case nlohmann::json::value_t::boolean:
      return Value(Scalar::Bool(j.get<bool>()));
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return Value(Scalar::Float(Type::kDouble, j.get<double>()));
    case nlohmann::json::value_t::string:
      return Value(JsonString(j.get<std::string>()));
    case nlohmann::json::value_t::array:
      return FromJsonArray(j, depth);
    case nlohmann::json::value_t::object: {
      Dictionary dictionary;
      for (const auto& [key, element] : j.items()) {
        ASSIGN_OR_RETURN(Value v, FromJson(element, depth + 1));
        dictionary.entries.emplace_back(Scalar::String(Type::kString, key), std::move(v));
      }
      return Value::MakeDictionary(std::move(dictionary));
    }
    default:
      return InvalidArgument("fromStdJson: a JSON value of an unknown kind");
  }
}

Result<Value> FromStdJson(const Value& text) {
  ASSIGN_OR_RETURN(std::string json, StringArg(text, "fromStdJson", "jsonStr"));
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return InvalidArgument("fromStdJson: " + Quote(json.substr(0, 80)) + " is not valid JSON");
  }
  return FromJson(parsed, 0);
}

}  // namespace

void RegisterClientFunctions(Interpreter& interpreter) {
  Interpreter* self = &interpreter;
  FunctionRegistry& r = interpreter.registry();
  r.Register({"version", {}, 0, false, [](EvalContext&, std::vector<Value>&) -> Result<Value> {
                return Value(Scalar::String(Type::kString, kCompatibleVersion));
              }});
  r.Register(
      {"isNodeInitialized", {}, 0, false, [](EvalContext&, std::vector<Value>&) -> Result<Value> {
         return Value(Scalar::Bool(true));
       }});
  r.Register({"type", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                return Value(Scalar::Int(Type::kInt, TypeId(a[0])));
              }});
  r.Register({"cast", {"X", "type"}, 2, false, [](EvalContext&, std::vector<Value>& a) {
                return Cast(a[0], a[1]);
              }});
  r.Register({"funcByName",
              {"name"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string name, StringArg(a[0], "funcByName", "name"));
                FunctionPtr f = FindCallee(name, *self);
                if (!f) return NotFound("funcByName: function " + Quote(name) + " is not defined");
                return Value::MakeObject(f);
              }});
  r.Register({"unifiedCall",
              {"func", "args"},
              2,
              false,
              [](EvalContext& context, std::vector<Value>& a) -> Result<Value> {
                FunctionPtr f = AsFunction(a[0]);
                if (!f) {
                  return InvalidArgument("unifiedCall calls a function, not a " + a[0].Describe());
                }
                if (!a[1].is_tuple()) {
                  return InvalidArgument(
                      "unifiedCall takes its arguments as a tuple (ANY vector), not a " +
                      a[1].Describe());
                }
                return f->Invoke(context, a[1].tuple());
              }});
  r.Register({"fromStdJson", {"jsonStr"}, 1, false, [](EvalContext&, std::vector<Value>& a) {
                return FromStdJson(a[0]);
              }});
}

}  // namespace strata
