#include "query/operators.h"

#include <cmath>
#include <unordered_set>

#include "base/strings.h"
#include "types/cast.h"
#include "types/temporal.h"

namespace strata {

namespace {

// An operand in a compute domain C (int64_t, double or std::string): a pointer to a vector's
// values when no conversion was needed, or an owned converted copy.
template <typename C>
struct Operand {
  const C* data = nullptr;
  size_t size = 0;
  bool scalar = false;
  std::vector<C> owned;
  const C& at(size_t i) const { return scalar ? data[0] : data[i]; }
};

template <typename C>
constexpr C NullOf() {
  if constexpr (std::is_same_v<C, double>) {
    return kNullDouble;
  } else if constexpr (std::is_same_v<C, std::string>) {
    return std::string();
  } else {
    return std::numeric_limits<C>::min();
  }
}

template <typename C>
bool IsNullC(const C& v) {
  if constexpr (std::is_same_v<C, std::string>) {
    return v.empty();
  } else {
    return v == NullOf<C>();
  }
}

template <typename C>
Operand<C> MakeOperand(const Column& column, bool scalar) {
  Operand<C> out;
  out.scalar = scalar;
  out.size = column.size();
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, C>) {
          out.data = values.data();
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<C, std::string>) {
          out.owned.resize(values.size());
          out.data = out.owned.data();
        } else {
          out.owned.resize(values.size());
          for (size_t i = 0; i < values.size(); ++i) {
            out.owned[i] = IsNullValue(values[i]) ? NullOf<C>() : static_cast<C>(values[i]);
          }
          out.data = out.owned.data();
        }
      },
      column.data());
  return out;
}

// The values of `column` in the compute domain C, NULLs mapped to C's NULL.
template <typename C>
std::vector<C> Widened(const Column& column) {
  Operand<C> operand = MakeOperand<C>(column, false);
  if (operand.data == operand.owned.data()) return std::move(operand.owned);
  return std::vector<C>(operand.data, operand.data + operand.size);
}

Status LengthMismatch(BinaryOp op, size_t a, size_t b) {
  return InvalidArgument(std::string("operator '") + BinaryOpText(op) +
                         "' needs operands of equal length, got " + std::to_string(a) + " and " +
                         std::to_string(b));
}

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNe || op == BinaryOp::kLt || op == BinaryOp::kLe ||
         op == BinaryOp::kGt || op == BinaryOp::kGe;
}

template <typename C>
bool Compare(BinaryOp op, const C& a, const C& b) {
  switch (op) {
    case BinaryOp::kEq:
      return a == b;
    case BinaryOp::kNe:
      return a != b;
    case BinaryOp::kLt:
      return a < b;
    case BinaryOp::kLe:
      return a <= b;
    case BinaryOp::kGt:
      return a > b;
    case BinaryOp::kGe:
      return a >= b;
    default:
      return false;
  }
}

template <typename C>
Column CompareColumns(BinaryOp op, const Operand<C>& a, const Operand<C>& b, size_t n) {
  std::vector<int8_t> out(n);
  // Hot path of `where col = constant`: hoist the scalar and let the loop vectorize.
  if (!a.scalar && b.scalar) {
    const C value = b.data[0];
    const C* left = a.data;
    switch (op) {
      case BinaryOp::kEq:
        for (size_t i = 0; i < n; ++i) out[i] = left[i] == value;
        break;
      case BinaryOp::kNe:
        for (size_t i = 0; i < n; ++i) out[i] = left[i] != value;
        break;
      case BinaryOp::kLt:
        for (size_t i = 0; i < n; ++i) out[i] = left[i] < value;
        break;
      case BinaryOp::kLe:
        for (size_t i = 0; i < n; ++i) out[i] = left[i] <= value;
        break;
      case BinaryOp::kGt:
        for (size_t i = 0; i < n; ++i) out[i] = left[i] > value;
        break;
      case BinaryOp::kGe:
        for (size_t i = 0; i < n; ++i) out[i] = left[i] >= value;
        break;
      default:
        break;
    }
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = Compare(op, a.at(i), b.at(i));
  }
  return Column(Type::kBool, std::move(out));
}

template <typename C>
Result<C> Arith(BinaryOp op, C a, C b) {
  switch (op) {
    case BinaryOp::kAdd:
      return a + b;
    case BinaryOp::kSub:
      return a - b;
    case BinaryOp::kMul:
      return a * b;
    case BinaryOp::kDiv:
      if constexpr (std::is_same_v<C, double>) {
        return b == 0 ? NullOf<C>() : a / b;
      } else {
        if (b == 0) return NullOf<C>();
        C q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;  // floor, as DolphinDB
        return q;
      }
    case BinaryOp::kMod:
      if constexpr (std::is_same_v<C, double>) {
        return b == 0 ? NullOf<C>() : a - std::floor(a / b) * b;
      } else {
        if (b == 0) return NullOf<C>();
        C r = a % b;
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        return r;
      }
    default:
      return InvalidArgument("not an arithmetic operator");
  }
}

// Result type of arithmetic on two numeric/temporal types.
Result<Type> ArithmeticType(BinaryOp op, Type a, Type b) {
  if (IsTemporal(a) && IsTemporal(b)) {
    if (op == BinaryOp::kSub && a == b)
      return StorageOf(a) == Storage::kInt64 ? Type::kLong : Type::kInt;
    return InvalidArgument(std::string("cannot apply '") + BinaryOpText(op) + "' to " +
                           TypeName(a) + " and " + TypeName(b));
  }
  if (IsTemporal(a) || IsTemporal(b)) {
    Type t = IsTemporal(a) ? a : b;
    Type other = IsTemporal(a) ? b : a;
    if (!IsIntegral(other) || (op != BinaryOp::kAdd && op != BinaryOp::kSub) ||
        (op == BinaryOp::kSub && IsTemporal(b))) {
      return InvalidArgument(std::string("cannot apply '") + BinaryOpText(op) + "' to " +
                             TypeName(a) + " and " + TypeName(b));
    }
    return t;
  }
  if (IsFloating(a) || IsFloating(b)) return Type::kDouble;
  if (a == Type::kLong || b == Type::kLong) return Type::kLong;
  return Type::kInt;
}

template <typename C>
Result<Column> ArithColumns(BinaryOp op, const Operand<C>& a, const Operand<C>& b, size_t n,
                            Type out_type) {
  Column out(out_type);
  out.Reserve(n);
  std::vector<C> values(n);
  for (size_t i = 0; i < n; ++i) {
    const C& x = a.at(i);
    const C& y = b.at(i);
    if (IsNullC(x) || IsNullC(y)) {
      values[i] = NullOf<C>();
      continue;
    }
    ASSIGN_OR_RETURN(values[i], Arith(op, x, y));
  }
  // Narrow into the output storage, mapping NULLs.
  std::visit(
      [&](auto& dst) {
        using D = typename std::decay_t<decltype(dst)>::value_type;
        if constexpr (!std::is_same_v<D, std::string>) {
          dst.resize(n);
          for (size_t i = 0; i < n; ++i) {
            if (IsNullC(values[i])) {
              if constexpr (std::is_floating_point_v<D>) {
                dst[i] = std::is_same_v<D, float> ? kNullFloat : kNullDouble;
              } else {
                dst[i] = std::numeric_limits<D>::min();
              }
            } else {
              dst[i] = static_cast<D>(values[i]);
            }
          }
        }
      },
      out.mutable_data());
  return out;
}

Value Wrap(Column column, bool scalar) {
  if (scalar) return Value(column.Get(0));
  return Value::Vector(std::move(column));
}

// How finely a temporal type divides time: MONTH < DATE < DATETIME/SECOND < TIMESTAMP/TIME <
// NANOTIMESTAMP/NANOTIME (MINUTE sits between DATE and SECOND).
int TemporalPrecision(Type t) {
  switch (t) {
    case Type::kMonth:
      return 0;
    case Type::kDate:
      return 1;
    case Type::kMinute:
      return 2;
    case Type::kDateTime:
    case Type::kSecond:
      return 3;
    case Type::kTimestamp:
    case Type::kTime:
      return 4;
    default:
      return 5;  // NANOTIMESTAMP, NANOTIME
  }
}

// Brings two temporal/string operands to one type so they can be compared: a string is read as
// the other side's temporal type; different temporal units convert the smaller side.
Status Unify(Column& a, Column& b) {
  Type ta = a.type(), tb = b.type();
  if (ta == tb) return Status::Ok();
  if (IsStringLike(ta) && IsStringLike(tb)) return Status::Ok();
  auto convert = [](Column& c, Type t) -> Status {
    ASSIGN_OR_RETURN(c, CastColumn(c, t));
    return Status::Ok();
  };
  if (IsStringLike(ta) && IsTemporal(tb)) return convert(a, tb);
  if (IsStringLike(tb) && IsTemporal(ta)) return convert(b, ta);
  if (IsTemporal(ta) && IsTemporal(tb)) {
    // Compare in the finer unit, so 2017.08.07 < 2017.08.07T12:00:00 holds.
    return TemporalPrecision(ta) <= TemporalPrecision(tb) ? convert(a, tb) : convert(b, ta);
  }
  if (IsStringLike(ta) || IsStringLike(tb)) {
    return InvalidArgument(std::string("cannot compare ") + TypeName(ta) + " with " + TypeName(tb));
  }
  return Status::Ok();
}

// An untyped NULL operand takes the type of the other operand.
Value TypedNull(const Value& v, const Value& other) {
  if (!v.is_void() || other.is_void() || other.type() == Type::kVoid) return v;
  return Value(Scalar::Null(other.type()));
}

Result<Value> CompareOrArith(BinaryOp op, const Value& left_in, const Value& right_in) {
  Value left = TypedNull(left_in, right_in);
  Value right = TypedNull(right_in, left_in);
  ASSIGN_OR_RETURN(Column a, ToColumn(left));
  ASSIGN_OR_RETURN(Column b, ToColumn(right));
  bool a_scalar = left.is_scalar(), b_scalar = right.is_scalar();
  size_t n = a_scalar ? b.size() : a.size();
  if (!a_scalar && !b_scalar && a.size() != b.size()) return LengthMismatch(op, a.size(), b.size());
  if (a_scalar && b_scalar) n = 1;
  if (IsComparison(op)) {
    RETURN_IF_ERROR(Unify(a, b));
    Column out(Type::kBool);
    if (IsStringLike(a.type())) {
      out = CompareColumns(op, MakeOperand<std::string>(a, a_scalar),
                           MakeOperand<std::string>(b, b_scalar), n);
    } else if (IsFloating(a.type()) || IsFloating(b.type())) {
      out =
          CompareColumns(op, MakeOperand<double>(a, a_scalar), MakeOperand<double>(b, b_scalar), n);
    } else if (StorageOf(a.type()) == Storage::kInt32 && StorageOf(b.type()) == Storage::kInt32) {
      out = CompareColumns(op, MakeOperand<int32_t>(a, a_scalar), MakeOperand<int32_t>(b, b_scalar),
                           n);
    } else {
      out = CompareColumns(op, MakeOperand<int64_t>(a, a_scalar), MakeOperand<int64_t>(b, b_scalar),
                           n);
    }
    return Wrap(std::move(out), a_scalar && b_scalar);
  }
  if (op == BinaryOp::kAdd && IsStringLike(a.type()) && IsStringLike(b.type())) {
    Column out(Type::kString);
    auto x = MakeOperand<std::string>(a, a_scalar);
    auto y = MakeOperand<std::string>(b, b_scalar);
    for (size_t i = 0; i < n; ++i) out.Append(Scalar::String(Type::kString, x.at(i) + y.at(i)));
    return Wrap(std::move(out), a_scalar && b_scalar);
  }
  if (!(IsNumeric(a.type()) || IsTemporal(a.type())) ||
      !(IsNumeric(b.type()) || IsTemporal(b.type()))) {
    return InvalidArgument(std::string("cannot apply '") + BinaryOpText(op) + "' to " +
                           left.Describe() + " and " + right.Describe());
  }
  ASSIGN_OR_RETURN(Type out_type, ArithmeticType(op, a.type(), b.type()));
  Result<Column> out = Column(out_type);
  if (IsFloating(out_type)) {
    out = ArithColumns(op, MakeOperand<double>(a, a_scalar), MakeOperand<double>(b, b_scalar), n,
                       out_type);
  } else {
    out = ArithColumns(op, MakeOperand<int64_t>(a, a_scalar), MakeOperand<int64_t>(b, b_scalar), n,
                       out_type);
  }
  if (!out.ok()) return out.status();
  return Wrap(std::move(*out), a_scalar && b_scalar);
}

Result<Value> Logical(BinaryOp op, const Value& left, const Value& right) {
  size_t n = std::max(left.is_scalar() ? 1 : left.size(), right.is_scalar() ? 1 : right.size());
  ASSIGN_OR_RETURN(auto a, ToMask(left, n));
  ASSIGN_OR_RETURN(auto b, ToMask(right, n));
  std::vector<int8_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = op == BinaryOp::kAnd ? (a[i] && b[i]) : (a[i] || b[i]);
  Column column(Type::kBool, std::move(out));
  return Wrap(std::move(column), left.is_scalar() && right.is_scalar());
}

Result<Value> RangeOf(const Value& left, const Value& right) {
  if (!left.is_scalar() || !right.is_scalar() ||
      !(IsIntegral(left.type()) || IsTemporal(left.type()))) {
    return InvalidArgument("'..' needs two integer or temporal scalars, got " + left.Describe() +
                           " and " + right.Describe());
  }
  Type type = left.type() == Type::kBool || left.type() == Type::kChar ? Type::kInt : left.type();
  ASSIGN_OR_RETURN(Scalar hi, CastScalar(right.scalar(), type));
  int64_t a = left.scalar().int_value(), b = hi.int_value();
  if (left.scalar().is_null() || hi.is_null()) return InvalidArgument("'..' bounds cannot be NULL");
  constexpr int64_t kRangeMax = int64_t{1} << 31;
  if (std::abs(b - a) >= kRangeMax) return InvalidArgument("'..' range is too long");
  Column out(type);
  out.Reserve(static_cast<size_t>(std::abs(b - a) + 1));
  int64_t step = a <= b ? 1 : -1;
  for (int64_t v = a;; v += step) {
    out.Append(Scalar::Int(type, v));
    if (v == b) break;
  }
  return Value::Vector(std::move(out));
}

Result<Value> PairOf(const Value& left, const Value& right) {
  if (!left.is_scalar() || !right.is_scalar()) {
    return InvalidArgument("':' makes a pair of two scalars, got " + left.Describe() + " and " +
                           right.Describe());
  }
  Type type = left.is_void() ? right.type() : left.type();
  if (IsNumeric(left.type()) && IsNumeric(right.type()) &&
      (IsFloating(left.type()) || IsFloating(right.type()))) {
    type = Type::kDouble;
  }
  if (type == Type::kVoid) type = Type::kInt;
  Column out(type);
  ASSIGN_OR_RETURN(Scalar a, CastScalar(left.scalar(), type));
  ASSIGN_OR_RETURN(Scalar b, CastScalar(right.scalar(), type));
  out.Append(a);
  out.Append(b);
  return Value::Pair(std::move(out));
}

// The set of an `in`: every scalar of a scalar, vector, pair, or tuple of those.
Result<Column> InSetColumn(const Value& right, Type element_type) {
  if (!right.is_tuple()) return ToColumn(right);
  Column out(element_type);
  for (const auto& e : right.tuple()) {
    ASSIGN_OR_RETURN(Column c, ToColumn(e));
    for (size_t i = 0; i < c.size(); ++i) {
      Scalar s = c.Get(i);
      if (s.is_null()) {
        out.AppendNull();
        continue;
      }
      ASSIGN_OR_RETURN(Scalar converted, CastScalar(s, element_type));
      out.Append(converted);
    }
  }
  return out;
}

// x in set: true where x equals a member, compared as `==` compares (the finer temporal unit,
// numbers as numbers), so 2 is not "in [1.5]" and a DATE is in a TIMESTAMP set only at midnight.
Result<Value> In(const Value& left, const Value& right) {
  Value typed_left = left.is_void() && !right.is_void() ? Value(Scalar::Null(right.type())) : left;
  ASSIGN_OR_RETURN(Column x, ToColumn(typed_left));
  Type set_type = right.is_tuple() ? x.type() : right.type();
  if (right.is_tuple()) {
    for (const auto& e : right.tuple()) {
      if (!e.is_void()) {
        set_type = e.type();
        break;
      }
    }
  }
  ASSIGN_OR_RETURN(Column members, InSetColumn(right, set_type));
  RETURN_IF_ERROR(Unify(x, members));
  std::vector<int8_t> out(x.size());
  auto mark = [&](const auto& xs, const auto& set_values) {
    using T = typename std::decay_t<decltype(xs)>::value_type;
    std::unordered_set<T> set(set_values.begin(), set_values.end());
    for (size_t i = 0; i < xs.size(); ++i) out[i] = set.count(xs[i]) > 0;
  };
  if (IsStringLike(x.type())) {
    if (!IsStringLike(members.type())) {
      return InvalidArgument(std::string("cannot look for ") + TypeName(x.type()) +
                             " values in a set of " + TypeName(members.type()));
    }
    mark(x.values<std::string>(), members.values<std::string>());
  } else if (IsFloating(x.type()) || IsFloating(members.type())) {
    mark(Widened<double>(x), Widened<double>(members));
  } else {
    mark(Widened<int64_t>(x), Widened<int64_t>(members));
  }
  Column column(Type::kBool, std::move(out));
  return Wrap(std::move(column), left.is_scalar());
}

Result<Value> Between(const Value& left, const Value& right) {
  if (!right.is_pair() && !(right.is_vector() && right.size() == 2)) {
    return InvalidArgument("'between' needs a range low:high on its right, got " +
                           right.Describe());
  }
  Value low(right.column()->Get(0)), high(right.column()->Get(1));
  ASSIGN_OR_RETURN(Value ge, CompareOrArith(BinaryOp::kGe, left, low));
  ASSIGN_OR_RETURN(Value le, CompareOrArith(BinaryOp::kLe, left, high));
  return Logical(BinaryOp::kAnd, ge, le);
}

Result<Value> Like(const Value& left, const Value& right) {
  if (!right.is_scalar() || !IsStringLike(right.type())) {
    return InvalidArgument("'like' needs a string pattern, got " + right.Describe());
  }
  ASSIGN_OR_RETURN(Column x, ToColumn(left));
  if (!IsStringLike(x.type())) {
    return InvalidArgument("'like' applies to strings, got " + left.Describe());
  }
  const auto& values = x.values<std::string>();
  std::vector<int8_t> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    out[i] = MatchesWildcard(right.scalar().string_value(), values[i], WildcardSyntax::kPercent);
  }
  Column column(Type::kBool, std::move(out));
  return Wrap(std::move(column), left.is_scalar());
}

}  // namespace

const char* BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kRange:
      return "..";
    case BinaryOp::kPair:
      return ":";
    case BinaryOp::kIn:
      return "in";
    case BinaryOp::kBetween:
      return "between";
    case BinaryOp::kLike:
      return "like";
  }
  return "?";
}

Result<Column> ToColumn(const Value& value) {
  switch (value.form()) {
    case Form::kScalar: {
      Type type = value.is_void() ? Type::kInt : value.type();
      Column out(type);
      out.Append(value.scalar());
      return out;
    }
    case Form::kVector:
    case Form::kPair:
      return *value.column();
    default:
      return InvalidArgument("expected a scalar or a vector, got a " + value.Describe());
  }
}

Result<std::vector<uint8_t>> ToMask(const Value& value, size_t rows) {
  ASSIGN_OR_RETURN(Column column, ToColumn(value));
  if (!(column.type() == Type::kBool || IsNumeric(column.type()))) {
    return InvalidArgument("a condition must be BOOL, got " + value.Describe());
  }
  std::vector<uint8_t> mask(rows);
  if (value.is_scalar()) {
    Scalar s = value.scalar();
    bool truth = !s.is_null() && s.ToDouble() != 0;
    std::fill(mask.begin(), mask.end(), truth);
    return mask;
  }
  if (column.size() != rows) {
    return InvalidArgument("a condition has " + std::to_string(column.size()) + " values for " +
                           std::to_string(rows) + " rows");
  }
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (!std::is_same_v<T, std::string>) {
          for (size_t i = 0; i < rows; ++i) mask[i] = !IsNullValue(values[i]) && values[i] != 0;
        }
      },
      column.data());
  return mask;
}

Result<Value> ApplyBinary(BinaryOp op, const Value& left, const Value& right) {
  switch (op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
      return Logical(op, left, right);
    case BinaryOp::kRange:
      return RangeOf(left, right);
    case BinaryOp::kPair:
      return PairOf(left, right);
    case BinaryOp::kIn:
      return In(left, right);
    case BinaryOp::kBetween:
      return Between(left, right);
    case BinaryOp::kLike:
      return Like(left, right);
    default:
      return CompareOrArith(op, left, right);
  }
}

Result<Value> ApplyUnary(UnaryOp op, const Value& operand) {
  if (op == UnaryOp::kNot) {
    size_t n = operand.is_scalar() ? 1 : operand.size();
    ASSIGN_OR_RETURN(auto mask, ToMask(operand, n));
    std::vector<int8_t> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = !mask[i];
    return Wrap(Column(Type::kBool, std::move(out)), operand.is_scalar());
  }
  if (!IsNumeric(operand.type())) {
    return InvalidArgument("cannot negate a " + operand.Describe());
  }
  Column zero(operand.type() == Type::kBool ? Type::kInt : operand.type());
  zero.Append(IsFloating(zero.type()) ? Scalar::Float(zero.type(), 0)
                                      : Scalar::Int(zero.type(), 0));
  return CompareOrArith(BinaryOp::kSub, Value(zero.Get(0)), operand);
}

namespace {

// True if element `i` of `v` (a scalar applies to every row of `rows`) is NULL.
bool NullAt(const Value& v, size_t rows, size_t i) {
  if (v.is_scalar()) return v.scalar().is_null();
  return v.is_vector() && v.size() == rows && v.column()->IsNull(i);
}

enum class Truth : int8_t { kFalse, kTrue, kUnknown };

Result<std::vector<Truth>> TruthOf(const Value& value, size_t rows) {
  ASSIGN_OR_RETURN(auto mask, ToMask(value, rows));
  std::vector<Truth> truth(rows);
  for (size_t i = 0; i < rows; ++i) {
    truth[i] = NullAt(value, rows, i) ? Truth::kUnknown : mask[i] ? Truth::kTrue : Truth::kFalse;
  }
  return truth;
}

Value TruthValue(const std::vector<Truth>& truth, bool scalar) {
  Column out(Type::kBool);
  out.Reserve(truth.size());
  for (Truth t : truth) {
    if (t == Truth::kUnknown) {
      out.AppendNull();
    } else {
      out.Append(Scalar::Bool(t == Truth::kTrue));
    }
  }
  return scalar ? Value(out.Get(0)) : Value::Vector(std::move(out));
}

}  // namespace

Result<Value> SqlLogical(BinaryOp op, const Value& left, const Value& right) {
  if (op != BinaryOp::kAnd && op != BinaryOp::kOr) return ApplyBinary(op, left, right);
  size_t n = std::max(left.is_scalar() ? 1 : left.size(), right.is_scalar() ? 1 : right.size());
  ASSIGN_OR_RETURN(auto a, TruthOf(left, n));
  ASSIGN_OR_RETURN(auto b, TruthOf(right, n));
  // The value that decides the result whatever the other side is.
  const Truth decisive = op == BinaryOp::kAnd ? Truth::kFalse : Truth::kTrue;
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == decisive || b[i] == decisive) {
      a[i] = decisive;
    } else if (a[i] == Truth::kUnknown || b[i] == Truth::kUnknown) {
      a[i] = Truth::kUnknown;
    }
  }
  return TruthValue(a, left.is_scalar() && right.is_scalar());
}

Result<Value> SqlNot(const Value& operand) {
  size_t n = operand.is_scalar() ? 1 : operand.size();
  ASSIGN_OR_RETURN(auto truth, TruthOf(operand, n));
  for (Truth& t : truth) {
    if (t != Truth::kUnknown) t = t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
  }
  return TruthValue(truth, operand.is_scalar());
}

Value UnknownWhereNull(BinaryOp op, Value result, const Value& left, const Value& right) {
  bool left_only = false;  // in, between, like: only a NULL tested value is unknown
  switch (op) {
    case BinaryOp::kEq:
    case BinaryOp::kNe:
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      break;
    case BinaryOp::kIn:
    case BinaryOp::kBetween:
    case BinaryOp::kLike:
      left_only = true;
      break;
    default:
      return result;
  }
  const size_t rows = result.is_vector() ? result.size() : 1;
  auto may_be_null = [rows](const Value& v) {
    if (v.is_scalar()) return v.scalar().is_null();
    return v.is_vector() && v.size() == rows && v.column()->HasNull();
  };
  if (!may_be_null(left) && (left_only || !may_be_null(right))) return result;
  auto null_at = [&](size_t i) {
    return NullAt(left, rows, i) || (!left_only && NullAt(right, rows, i));
  };
  if (result.is_scalar()) {
    if (null_at(0)) return Value(Scalar::Null(Type::kBool));
    return result;
  }
  if (!result.is_vector()) return result;
  const Column& truth = *result.column();
  Column out(Type::kBool);
  out.Reserve(rows);
  for (size_t i = 0; i < rows; ++i) {
    if (null_at(i)) {
      out.AppendNull();
    } else {
      out.Append(truth.Get(i));
    }
  }
  return Value::Vector(std::move(out));
}

}  // namespace strata
