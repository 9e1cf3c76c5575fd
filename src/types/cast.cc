#include "types/cast.h"

#include <charconv>
#include <cmath>

#include "base/strings.h"
#include "types/format.h"
#include "types/temporal.h"

namespace strata {

namespace {

Status CannotParse(std::string_view text, Type type) {
  return InvalidArgument("cannot read " + Quote(text) + " as " + TypeName(type));
}

Status CannotCast(Type from, Type to) {
  return InvalidArgument(std::string("cannot convert ") + TypeName(from) + " to " + TypeName(to));
}

bool InRange(Type type, int64_t v) {
  switch (StorageOf(type)) {
    case Storage::kInt8:
      return v > kNullInt8 && v <= INT8_MAX;
    case Storage::kInt16:
      return v > kNullInt16 && v <= INT16_MAX;
    case Storage::kInt32:
      return v > kNullInt32 && v <= INT32_MAX;
    default:
      return v != kNullInt64;
  }
}

// Converts a non-NULL integer-stored value to `type`.
Result<Scalar> FromInt(Type from, int64_t v, Type to) {
  if (IsFloating(to)) return Scalar::Float(to, static_cast<double>(v));
  if (IsStringLike(to)) return Scalar::String(to, FormatScalar(Scalar::Int(from, v)));
  if (to == Type::kBool) return Scalar::Bool(v != 0);
  if (IsTemporal(from) && IsTemporal(to)) {
    auto converted = ConvertTemporal(from, v, to);
    if (!converted) return CannotCast(from, to);
    return Scalar::Int(to, *converted);
  }
  if (!InRange(to, v)) {
    return InvalidArgument("value " + std::to_string(v) + " is out of range for " + TypeName(to));
  }
  return Scalar::Int(to, v);
}

}  // namespace

Result<Scalar> ParseScalar(std::string_view raw, Type type) {
  std::string_view text = Trim(raw);
  if (text.empty()) return Scalar::Null(type);
  if (IsStringLike(type)) return Scalar::String(type, std::string(raw));
  if (type == Type::kBool) {
    std::string lower = ToLower(text);
    if (lower == "true" || lower == "1") return Scalar::Bool(true);
    if (lower == "false" || lower == "0") return Scalar::Bool(false);
    return CannotParse(text, type);
  }
  if (IsTemporal(type)) {
    auto parsed = ParseTemporal(text);
    if (!parsed) return CannotParse(text, type);
    return CastScalar(*parsed, type);
  }
  if (IsFloating(type)) {
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) return CannotParse(text, type);
    return Scalar::Float(type, v);
  }
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return CannotParse(text, type);
  if (!InRange(type, v)) return CannotParse(text, type);
  return Scalar::Int(type, v);
}

Result<Scalar> CastScalar(const Scalar& value, Type type) {
  Type from = value.type();
  if (from == type) return value;
  if (value.is_null()) return Scalar::Null(type);
  if (IsStringLike(from)) {
    if (IsStringLike(type)) return Scalar::String(type, value.string_value());
    return ParseScalar(value.string_value(), type);
  }
  if (IsFloating(from)) {
    double v = value.float_value();
    if (IsFloating(type)) return Scalar::Float(type, v);
    if (IsStringLike(type)) return Scalar::String(type, FormatScalar(value));
    if (type == Type::kBool) return Scalar::Bool(v != 0);
    if (IsTemporal(type)) return CannotCast(from, type);
    double rounded = std::round(v);
    if (!(rounded > -9.2e18 && rounded < 9.2e18)) return CannotCast(from, type);
    return FromInt(Type::kLong, static_cast<int64_t>(rounded), type);
  }
  return FromInt(from, value.int_value(), type);
}

namespace {

template <typename To>
constexpr To NullOfStorage() {
  if constexpr (std::is_same_v<To, float>) {
    return kNullFloat;
  } else if constexpr (std::is_same_v<To, double>) {
    return kNullDouble;
  } else {
    return std::numeric_limits<To>::min();
  }
}

Status OutOfRange(double value, Type from, Type to) {
  return InvalidArgument(FormatScalar(IsFloating(from)
                                          ? Scalar::Float(from, value)
                                          : Scalar::Int(from, static_cast<int64_t>(value))) +
                         " (" + TypeName(from) + ") is out of range for " + TypeName(to));
}

// Numeric → numeric, keeping NULLs; floats round to the nearest integer. A value that does not
// fit the target (its NULL sentinel excluded) fails the whole column instead of wrapping.
template <typename From, typename To>
Status ConvertNumeric(const std::vector<From>& src, Type from, Type to, std::vector<To>& dst) {
  dst.resize(src.size());
  for (size_t i = 0; i < src.size(); ++i) {
    if (IsNullValue(src[i])) {
      dst[i] = NullOfStorage<To>();
      continue;
    }
    if constexpr (std::is_floating_point_v<To>) {
      dst[i] = static_cast<To>(src[i]);
    } else {
      // The largest value of To and one above its NULL sentinel, as doubles for the check.
      constexpr double kMax = static_cast<double>(std::numeric_limits<To>::max());
      constexpr double kMin = static_cast<double>(std::numeric_limits<To>::min()) + 1;
      double v = std::is_floating_point_v<From> ? std::round(static_cast<double>(src[i]))
                                                : static_cast<double>(src[i]);
      if constexpr (sizeof(From) >= sizeof(To) || std::is_floating_point_v<From>) {
        if (!(v >= kMin && v <= kMax)) return OutOfRange(static_cast<double>(src[i]), from, to);
      }
      dst[i] = static_cast<To>(std::is_floating_point_v<From> ? v : src[i]);
    }
  }
  return Status::Ok();
}

// Temporal → temporal (or integer → temporal) without per-value Scalars.
template <typename From, typename To>
Status ConvertTemporalValues(const std::vector<From>& src, Type from, Type to,
                             std::vector<To>& dst) {
  dst.resize(src.size());
  for (size_t i = 0; i < src.size(); ++i) {
    if (IsNullValue(src[i])) {
      dst[i] = NullOfStorage<To>();
      continue;
    }
    std::optional<int64_t> v =
        IsTemporal(from) ? ConvertTemporal(from, src[i], to) : std::optional<int64_t>(src[i]);
    if (!v) return CannotCast(from, to);
    if (*v <= std::numeric_limits<To>::min() || *v > std::numeric_limits<To>::max()) {
      return OutOfRange(static_cast<double>(src[i]), from, to);
    }
    dst[i] = static_cast<To>(*v);
  }
  return Status::Ok();
}

// Numeric → numeric where every value fits (widening, or integer → floating).
bool IsWidening(Type from, Type to) {
  return NumericRank(from) >= 0 && NumericRank(to) >= 0 && NumericRank(from) <= NumericRank(to);
}

}  // namespace

bool IsImplicitlyConvertible(Type from, Type to) {
  if (from == to) return true;
  if (IsStringLike(from) && IsStringLike(to)) return true;
  if (IsNumeric(from) && IsNumeric(to)) return IsWidening(from, to);
  if (IsTemporal(from) && IsTemporal(to)) return ConvertTemporal(from, 0, to).has_value();
  return false;
}

Result<Column> CastColumn(const Column& column, Type type) {
  Type from = column.type();
  if (from == type) return column;
  if (IsStringLike(from) && IsStringLike(type)) return Column(type, column.data());
  bool numeric_pair = (IsNumeric(from) || (IsTemporal(from) && IsIntegral(type))) &&
                      IsNumeric(type) && type != Type::kBool;
  bool temporal_pair =
      IsTemporal(type) && (IsTemporal(from) || (IsIntegral(from) && from != Type::kBool));
  if (numeric_pair || temporal_pair) {
    Column out(type);
    Status status;
    std::visit(
        [&](const auto& src) {
          using S = typename std::decay_t<decltype(src)>::value_type;
          std::visit(
              [&](auto& dst) {
                using D = typename std::decay_t<decltype(dst)>::value_type;
                if constexpr (!std::is_same_v<S, std::string> && !std::is_same_v<D, std::string>) {
                  if constexpr (std::is_integral_v<S> && std::is_integral_v<D>) {
                    if (temporal_pair) {
                      status = ConvertTemporalValues(src, from, type, dst);
                      return;
                    }
                  }
                  status = ConvertNumeric(src, from, type, dst);
                }
              },
              out.mutable_data());
        },
        column.data());
    RETURN_IF_ERROR(status);
    return out;
  }
  Column out(type);
  out.Reserve(column.size());
  for (size_t i = 0; i < column.size(); ++i) {
    ASSIGN_OR_RETURN(Scalar converted, CastScalar(column.Get(i), type));
    out.Append(converted);
  }
  return out;
}

}  // namespace strata
