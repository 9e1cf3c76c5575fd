// Scalar: one typed value. Integral and temporal types keep their value in an int64 (NULL is
// the type's sentinel widened), FLOAT/DOUBLE in a double, SYMBOL/STRING in a string. Immutable
// value type; copy freely.
#pragma once

#include <cstdint>
#include <string>

#include "types/type.h"

namespace strata {

class Scalar {
 public:
  // The untyped NULL (DolphinDB's `NULL`, type VOID).
  Scalar() = default;

  static Scalar Null(Type type);
  static Scalar Bool(bool v) { return Int(Type::kBool, v ? 1 : 0); }
  // For integral and temporal types; `v` is the physical value (days, ms, ...).
  static Scalar Int(Type type, int64_t v);
  static Scalar Float(Type type, double v);
  static Scalar String(Type type, std::string v);

  Type type() const { return type_; }
  bool is_null() const;

  // Physical value accessors; the caller knows the storage class.
  int64_t int_value() const { return int_; }
  double float_value() const { return float_; }
  const std::string& string_value() const { return string_; }

  // Numeric value as a double (temporal types give their physical value); NaN for NULL.
  double ToDouble() const;
  // Numeric value as an int64 (floats truncate); the LONG NULL sentinel for NULL.
  int64_t ToInt64() const;

  bool operator==(const Scalar& other) const;
  // Orders NULL first, then by value; both must be comparable (same storage family).
  bool operator<(const Scalar& other) const;

 private:
  Type type_ = Type::kVoid;
  int64_t int_ = 0;
  double float_ = 0;
  std::string string_;
};

}  // namespace strata
