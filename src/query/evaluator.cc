#include "query/evaluator.h"

#include "base/strings.h"
#include "query/dfs_table.h"
#include "query/operators.h"
#include "query/select.h"
#include "types/cast.h"
#include "types/format.h"

namespace strata {

FunctionPtr AsFunction(const Value& value) {
  if (!value.is_object()) return nullptr;
  return std::dynamic_pointer_cast<const FunctionObject>(value.object());
}

FunctionPtr FindCallee(const std::string& name, const EvalContext& context) {
  FunctionPtr function;
  if (auto variable = context.FindVariable(name)) function = AsFunction(*variable);
  return function ? function : context.FindFunction(name);
}

std::string ColumnNameFor(const Expr& expr, size_t index) {
  if (expr.kind == ExprKind::kVariable) return expr.name;
  if (expr.kind == ExprKind::kMember) return expr.name;
  if (expr.kind == ExprKind::kCall && !expr.name.empty()) {
    if (expr.args.size() == 1 && expr.args[0].value) {
      const Expr& arg = *expr.args[0].value;
      if (arg.kind == ExprKind::kStar) return expr.name;
      if (arg.kind == ExprKind::kVariable) return expr.name + "_" + arg.name;
    }
    return expr.name;
  }
  return "col" + std::to_string(index);
}

Result<Value> MakeTableValue(const std::vector<std::string>& names,
                             const std::vector<Value>& values) {
  size_t rows = 1;
  bool any_vector = false;
  for (const auto& v : values) {
    if (v.is_vector() || v.is_pair()) {
      if (any_vector && v.size() != rows) {
        return InvalidArgument("table columns must have equal lengths, got " +
                               std::to_string(rows) + " and " + std::to_string(v.size()));
      }
      rows = v.size();
      any_vector = true;
    } else if (!v.is_scalar()) {
      return InvalidArgument("a table column must be a vector or a scalar, got a " + v.Describe());
    }
  }
  Schema schema;
  std::vector<ColumnPtr> columns;
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& v = values[i];
    for (const auto& f : schema.fields()) {
      if (EqualsIgnoreCase(f.name, names[i])) {
        return InvalidArgument("table has two columns named " + Quote(names[i]));
      }
    }
    if (v.is_scalar()) {
      Type type = v.is_void() ? Type::kDouble : v.type();
      Column c(type);
      c.Reserve(rows);
      for (size_t r = 0; r < rows; ++r) c.Append(v.scalar());
      schema.Add({names[i], type});
      columns.push_back(std::make_shared<const Column>(std::move(c)));
    } else {
      schema.Add({names[i], v.type()});
      columns.push_back(v.column());
    }
  }
  return Value::MakeTable(std::make_shared<const Table>(std::move(schema), std::move(columns)));
}

Result<Value> CallFunction(const FunctionPtr& function, std::vector<Value> positional,
                           const std::vector<std::pair<std::string, Value>>& named,
                           EvalContext& context) {
  const auto& params = function->params();
  for (const auto& [name, value] : named) {
    size_t slot = params.size();
    for (size_t i = 0; i < params.size(); ++i) {
      if (ParameterHasName(params[i], name)) slot = i;
    }
    if (slot == params.size()) {
      return InvalidArgument("function " + function->name() + " has no parameter " + Quote(name) +
                             "; its parameters are " + Join(params, ", "));
    }
    if (slot < positional.size() && !positional[slot].is_void()) {
      return InvalidArgument("argument " + Quote(name) + " of function " + function->name() +
                             " is given twice");
    }
    if (positional.size() <= slot) positional.resize(slot + 1);
    positional[slot] = value;
  }
  return function->Invoke(context, std::move(positional));
}

namespace {

Result<Value> EvaluateVector(const Expr& expr, EvalContext& context) {
  std::vector<Value> elements;
  for (const auto& child : expr.children) {
    ASSIGN_OR_RETURN(Value v, Evaluate(*child, context));
    elements.push_back(std::move(v));
  }
  // A typed vector when every element is a scalar of one family; a tuple otherwise.
  bool all_scalar = !elements.empty();
  Type type = Type::kVoid;
  for (const auto& e : elements) {
    if (!e.is_scalar()) {
      all_scalar = false;
      break;
    }
    if (e.is_void()) continue;
    Type t = e.type();
    if (type == Type::kVoid || type == t) {
      type = t;
    } else if (IsNumeric(type) && IsNumeric(t) && !IsTemporal(type) && !IsTemporal(t)) {
      type = IsFloating(type) || IsFloating(t)           ? Type::kDouble
             : (type == Type::kLong || t == Type::kLong) ? Type::kLong
                                                         : Type::kInt;
    } else if (IsStringLike(type) && IsStringLike(t)) {
      type = Type::kString;
    } else {
      all_scalar = false;
      break;
    }
  }
  if (elements.empty()) return Value::Vector(Column(Type::kDouble));
  if (!all_scalar) return Value::MakeTuple(std::move(elements));
  if (type == Type::kVoid) type = Type::kDouble;
  Column out(type);
  for (const auto& e : elements) {
    ASSIGN_OR_RETURN(Scalar s, CastScalar(e.scalar(), type));
    out.Append(s);
  }
  return Value::Vector(std::move(out));
}

// x[a:b] as DolphinDB's vector page has it: the elements a to b-1, or b to a-1 backwards when
// a > b (x[3:1] is [x[2], x[1]]); an open end (x[a:], x[:b]) is the vector's; positions outside
// the vector give NULL. On a STRING scalar, the characters a to b-1 (s[:2], s[2:4], s[4:]).
Result<Value> EvaluateSlice(const Value& base, const Value& index) {
  const bool text = base.is_scalar() && IsStringLike(base.type());
  if (!text && !base.is_vector() && !base.is_tuple()) {
    return InvalidArgument("cannot slice a " + base.Describe());
  }
  Scalar low = index.column()->Get(0), high = index.column()->Get(1);
  const int64_t size =
      static_cast<int64_t>(text ? base.scalar().string_value().size() : base.size());
  if ((!low.is_null() && !IsIntegral(low.type())) ||
      (!high.is_null() && !IsIntegral(high.type()))) {
    return InvalidArgument("a slice a:b takes integer positions, got " + index.Describe());
  }
  int64_t lo = low.is_null() ? 0 : low.int_value();
  int64_t hi = high.is_null() ? size : high.int_value();
  // Position k of the slice: lo, lo+1, ... up to hi, or lo-1, lo-2, ... down to hi.
  const bool forward = lo <= hi;
  const uint64_t count = forward ? static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo)
                                 : static_cast<uint64_t>(lo) - static_cast<uint64_t>(hi);
  if (count > (uint64_t{1} << 31)) {
    return InvalidArgument("slice " + std::to_string(lo) + ":" + std::to_string(hi) +
                           " is too long: a slice holds at most 2^31 elements");
  }
  auto position = [&](uint64_t k) {
    return forward ? lo + static_cast<int64_t>(k) : lo - 1 - static_cast<int64_t>(k);
  };
  auto inside = [&](int64_t i) { return i >= 0 && i < size; };
  if (text) {
    const std::string& s = base.scalar().string_value();
    std::string out;
    for (uint64_t k = 0; k < count; ++k) {
      if (inside(position(k))) out.push_back(s[static_cast<size_t>(position(k))]);
    }
    return Value(Scalar::String(base.type(), std::move(out)));
  }
  if (base.is_tuple()) {
    Tuple out;
    for (uint64_t k = 0; k < count; ++k) {
      int64_t i = position(k);
      out.push_back(inside(i) ? base.tuple()[static_cast<size_t>(i)] : Value());
    }
    return Value::MakeTuple(std::move(out));
  }
  if (forward && lo >= 0 && hi <= size) {
    return Value::Vector(base.column()->Slice(static_cast<size_t>(lo), static_cast<size_t>(hi)));
  }
  Column out(base.type());
  for (uint64_t k = 0; k < count; ++k) {
    int64_t i = position(k);
    if (inside(i)) {
      out.Append(base.column()->Get(static_cast<size_t>(i)));
    } else {
      out.AppendNull();
    }
  }
  return Value::Vector(std::move(out));
}

Result<Value> EvaluateIndex(const Value& base, const Value& index) {
  if (base.is_table()) {
    if (index.is_scalar() && IsStringLike(index.type())) {
      ASSIGN_OR_RETURN(ColumnPtr c, base.table()->ColumnByName(index.scalar().string_value()));
      return Value::Vector(c);
    }
    return InvalidArgument("a table is indexed by a column name, got a " + index.Describe());
  }
  if (base.is_dictionary()) {
    if (!index.is_scalar()) return InvalidArgument("a dictionary is indexed by a scalar key");
    const Value* v = base.dictionary().Find(index.scalar());
    if (v == nullptr)
      return NotFound("key " + Quote(FormatScalar(index.scalar())) + " is not in the dictionary");
    return *v;
  }
  if (index.is_pair()) return EvaluateSlice(base, index);
  if (!index.is_scalar() && !index.is_vector()) {
    return InvalidArgument("an index must be an integer, an integer vector or a range lo:hi");
  }
  auto element = [&](int64_t i) -> Result<Value> {
    if (i < 0 || static_cast<size_t>(i) >= base.size()) {
      return InvalidArgument("index " + std::to_string(i) + " is out of range [0, " +
                             std::to_string(base.size()) + ")");
    }
    if (base.is_tuple()) return base.tuple()[static_cast<size_t>(i)];
    return Value(base.column()->Get(static_cast<size_t>(i)));
  };
  if (!(base.is_vector() || base.is_pair() || base.is_tuple())) {
    return InvalidArgument("cannot index a " + base.Describe());
  }
  if (index.is_scalar()) return element(index.scalar().ToInt64());
  if (index.type() == Type::kBool) {  // x[x > 15]: the elements where the condition holds
    if (index.size() != base.size()) {
      return InvalidArgument("a condition index needs one BOOL per element: " +
                             std::to_string(index.size()) + " for " + std::to_string(base.size()));
    }
    std::vector<Value> kept;
    for (size_t k = 0; k < index.size(); ++k) {
      Scalar keep = index.column()->Get(k);
      if (!keep.is_null() && keep.int_value() != 0) {
        ASSIGN_OR_RETURN(Value v, element(static_cast<int64_t>(k)));
        kept.push_back(std::move(v));
      }
    }
    if (base.is_tuple()) return Value::MakeTuple(std::move(kept));
    Column out(base.type());
    for (const auto& v : kept) out.Append(v.scalar());
    return Value::Vector(std::move(out));
  }
  std::vector<Value> picked;
  for (size_t k = 0; k < index.size(); ++k) {
    ASSIGN_OR_RETURN(Value v, element(index.column()->Get(k).ToInt64()));
    picked.push_back(std::move(v));
  }
  if (base.is_tuple()) return Value::MakeTuple(std::move(picked));
  Column out(base.type());
  for (const auto& v : picked) out.Append(v.scalar());
  return Value::Vector(std::move(out));
}

Result<Value> EvaluateCall(const Expr& expr, EvalContext& context) {
  FunctionPtr function;
  if (expr.callee) {
    ASSIGN_OR_RETURN(Value callee, Evaluate(*expr.callee, context));
    function = AsFunction(callee);
    if (!function) return InvalidArgument("cannot call a " + callee.Describe());
  } else {
    function = FindCallee(expr.name, context);
    if (!function) {
      return NotFound("function " + Quote(expr.name) + " is not defined");
    }
  }
  // count(*) counts the rows of the select's table.
  if (!expr.callee && expr.name == "count" && expr.args.size() == 1 && expr.args[0].value &&
      expr.args[0].value->kind == ExprKind::kStar) {
    auto rows = context.RowCount();
    if (!rows) return InvalidArgument("count(*) is only allowed in a select");
    return Value(Scalar::Int(Type::kLong, static_cast<int64_t>(*rows)));
  }
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> named;
  std::vector<std::string> names;  // for table(...)
  for (size_t i = 0; i < expr.args.size(); ++i) {
    const CallArg& arg = expr.args[i];
    Value value;
    if (arg.value) {
      ASSIGN_OR_RETURN(value, Evaluate(*arg.value, context));
    }
    if (arg.name.empty()) {
      if (!named.empty()) {
        return InvalidArgument("in the call of " + function->name() +
                               ", positional arguments must come before named ones");
      }
      names.push_back(!arg.alias.empty() ? arg.alias
                      : arg.value        ? ColumnNameFor(*arg.value, i + 1)
                                         : "col" + std::to_string(i));
      positional.push_back(std::move(value));
    } else {
      named.emplace_back(arg.name, std::move(value));
    }
  }
  if (expr.partial) {
    return Value::MakeObject(std::make_shared<const PartialFunction>(function, positional));
  }
  if (!expr.callee && expr.name == "table" && named.empty() &&
      !(positional.size() >= 1 && positional[0].is_pair())) {
    return MakeTableValue(names, positional);
  }
  return CallFunction(function, std::move(positional), named, context);
}

}  // namespace

Result<Value> Evaluate(const Expr& expr, EvalContext& context) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return expr.literal;
    case ExprKind::kVariable: {
      auto value = context.FindVariable(expr.name);
      if (value) return *value;
      FunctionPtr function = context.FindFunction(expr.name);
      if (function) return Value::MakeObject(function);
      return NotFound("variable " + Quote(expr.name) + " is not defined");
    }
    case ExprKind::kStar:
      return InvalidArgument("'*' is only allowed in select and count(*)");
    case ExprKind::kCall:
      return EvaluateCall(expr, context);
    case ExprKind::kBinary: {
      ASSIGN_OR_RETURN(Value left, Evaluate(*expr.children[0], context));
      ASSIGN_OR_RETURN(Value right, Evaluate(*expr.children[1], context));
      if (context.nulls() == NullSemantics::kSql) {
        if (expr.binary_op == BinaryOp::kAnd || expr.binary_op == BinaryOp::kOr) {
          return SqlLogical(expr.binary_op, left, right);
        }
        ASSIGN_OR_RETURN(Value result, ApplyBinary(expr.binary_op, left, right));
        return UnknownWhereNull(expr.binary_op, std::move(result), left, right);
      }
      return ApplyBinary(expr.binary_op, left, right);
    }
    case ExprKind::kUnary: {
      ASSIGN_OR_RETURN(Value operand, Evaluate(*expr.children[0], context));
      if (context.nulls() == NullSemantics::kSql && expr.unary_op == UnaryOp::kNot) {
        return SqlNot(operand);
      }
      return ApplyUnary(expr.unary_op, operand);
    }
    case ExprKind::kVector:
      return EvaluateVector(expr, context);
    case ExprKind::kTuple: {
      Tuple elements;
      for (const auto& child : expr.children) {
        if (!child) {
          elements.emplace_back();
          continue;
        }
        ASSIGN_OR_RETURN(Value v, Evaluate(*child, context));
        elements.push_back(std::move(v));
      }
      return Value::MakeTuple(std::move(elements));
    }
    case ExprKind::kSelect:
      return ExecuteSelect(*expr.select, context);
    case ExprKind::kMetacode:
      return Value::MakeObject(std::make_shared<const MetacodeObject>(expr.children[0]));
    case ExprKind::kIndex: {
      ASSIGN_OR_RETURN(Value base, Evaluate(*expr.children[0], context));
      ASSIGN_OR_RETURN(Value index, Evaluate(*expr.children[1], context));
      return EvaluateIndex(base, index);
    }
    case ExprKind::kMember: {
      ASSIGN_OR_RETURN(Value base, Evaluate(*expr.children[0], context));
      Value key(Scalar::String(Type::kString, expr.name));
      if (base.is_table() || base.is_dictionary()) return EvaluateIndex(base, key);
      if (AsDfsTable(base)) {
        return InvalidArgument("read columns of " + base.object()->ToString() +
                               " with select, e.g. exec " + expr.name + " from ...");
      }
      return InvalidArgument("a " + base.Describe() + " has no member " + Quote(expr.name));
    }
    case ExprKind::kLambda:
      return context.MakeLambda(expr);
  }
  return Internal("unknown expression kind");
}

}  // namespace strata
