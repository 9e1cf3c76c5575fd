#include "types/scalar.h"

#include <cmath>

#include "base/check.h"

namespace strata {

Scalar Scalar::Null(Type type) {
  Scalar s;
  s.type_ = type;
  switch (StorageOf(type)) {
    case Storage::kFloat32:
    case Storage::kFloat64:
      s.float_ = kNullDouble;
      break;
    case Storage::kString:
      break;
    default:
      s.int_ = type == Type::kVoid ? 0 : NullInt64Of(type);
  }
  return s;
}

Scalar Scalar::Int(Type type, int64_t v) {
  STRATA_CHECK(StorageOf(type) != Storage::kString && !IsFloating(type));
  Scalar s;
  s.type_ = type;
  s.int_ = v;
  return s;
}

Scalar Scalar::Float(Type type, double v) {
  STRATA_CHECK(IsFloating(type));
  Scalar s;
  s.type_ = type;
  s.float_ = (v != v) ? kNullDouble : v;
  if (type == Type::kFloat && v == static_cast<double>(kNullFloat)) s.float_ = kNullDouble;
  return s;
}

Scalar Scalar::String(Type type, std::string v) {
  STRATA_CHECK(IsStringLike(type));
  Scalar s;
  s.type_ = type;
  s.string_ = std::move(v);
  return s;
}

bool Scalar::is_null() const {
  if (type_ == Type::kVoid) return true;
  switch (StorageOf(type_)) {
    case Storage::kFloat32:
    case Storage::kFloat64:
      return float_ == kNullDouble || std::isnan(float_);
    case Storage::kString:
      return string_.empty();
    default:
      return int_ == NullInt64Of(type_);
  }
}

double Scalar::ToDouble() const {
  if (is_null()) return NAN;
  if (IsFloating(type_)) return float_;
  if (IsStringLike(type_)) return NAN;
  return static_cast<double>(int_);
}

int64_t Scalar::ToInt64() const {
  if (is_null()) return kNullInt64;
  if (IsFloating(type_)) return static_cast<int64_t>(float_);
  if (IsStringLike(type_)) return kNullInt64;
  return int_;
}

bool Scalar::operator==(const Scalar& other) const {
  if (is_null() || other.is_null()) return is_null() && other.is_null();
  if (IsStringLike(type_) || IsStringLike(other.type_)) {
    return IsStringLike(type_) && IsStringLike(other.type_) && string_ == other.string_;
  }
  if (IsFloating(type_) || IsFloating(other.type_)) return ToDouble() == other.ToDouble();
  return int_ == other.int_;
}

bool Scalar::operator<(const Scalar& other) const {
  if (is_null()) return !other.is_null();
  if (other.is_null()) return false;
  if (IsStringLike(type_) && IsStringLike(other.type_)) return string_ < other.string_;
  if (IsFloating(type_) || IsFloating(other.type_)) return ToDouble() < other.ToDouble();
  return int_ < other.int_;
}

}  // namespace strata
