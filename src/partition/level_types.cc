#include "partition/level_types.h"

#include "types/cast.h"
#include "types/temporal.h"

namespace strata {

namespace {

bool IsPartitionInteger(Type type) { return IsIntegral(type) && type != Type::kBool; }

const char* ColumnTypesFor(Type level_type) {
  if (IsStringLike(level_type)) return "SYMBOL or STRING";
  if (IsPartitionInteger(level_type)) return "CHAR, SHORT, INT or LONG";
  if (IsDateBearing(level_type)) return "DATE, MONTH, DATETIME, TIMESTAMP or NANOTIMESTAMP";
  return "TIME, MINUTE, SECOND, NANOTIME, DATETIME, TIMESTAMP or NANOTIMESTAMP";
}

}  // namespace

Status CheckSchemeValueType(Type type, PartitionType kind) {
  std::string scheme = std::string("a ") + PartitionTypeName(kind) + " scheme";
  if (IsFloating(type)) {
    return InvalidArgument(scheme + " cannot hold " + TypeName(type) +
                           " values: floating-point columns cannot be partition columns; "
                           "partition by an INT, temporal or SYMBOL column instead");
  }
  if (type == Type::kLong) {
    if (kind == PartitionType::kHash) return Status::Ok();
    return InvalidArgument(scheme +
                           " cannot hold LONG values: LONG partitions only by HASH; use INT "
                           "values, or a HASH scheme");
  }
  bool allowed = type == Type::kChar || type == Type::kShort || type == Type::kInt ||
                 type == Type::kDate || type == Type::kMonth || type == Type::kTime ||
                 type == Type::kMinute || type == Type::kSecond || type == Type::kDateTime ||
                 IsStringLike(type);
  if (allowed) return Status::Ok();
  return InvalidArgument(scheme + " cannot hold " + TypeName(type) +
                         " values; use CHAR, SHORT, INT, LONG (HASH only), DATE, MONTH, TIME, "
                         "MINUTE, SECOND, DATETIME, SYMBOL or STRING");
}

Status CheckNamedValueType(Type type, PartitionType kind) {
  if (kind == PartitionType::kRange && IsStringLike(type)) {
    return InvalidArgument(std::string("RANGE partitions cannot hold ") + TypeName(type) +
                           " values; partition strings by LIST, or by RANGE of an integer or "
                           "date column");
  }
  if (type == Type::kLong) return Status::Ok();
  return CheckSchemeValueType(type, kind);
}

bool IsDateBearing(Type type) {
  return type == Type::kDate || type == Type::kMonth || type == Type::kDateTime ||
         type == Type::kTimestamp || type == Type::kNanoTimestamp;
}

bool TemporalConvertible(Type from, Type to) {
  if (!IsTemporal(from) || !IsTemporal(to)) return false;
  if (IsDateBearing(to)) return IsDateBearing(from);
  return from != Type::kDate && from != Type::kMonth;
}

Status CheckLevelColumnType(Type level_type, Type column_type, size_t position) {
  bool ok = column_type == level_type || (IsStringLike(column_type) && IsStringLike(level_type)) ||
            (IsPartitionInteger(column_type) && IsPartitionInteger(level_type)) ||
            TemporalConvertible(column_type, level_type);
  if (ok) return Status::Ok();
  return InvalidArgument(std::string("a ") + TypeName(column_type) +
                         " column cannot be partitioned by partition level " +
                         std::to_string(position) + " of type " + TypeName(level_type) +
                         "; use a column of type " + ColumnTypesFor(level_type));
}

Result<ColumnPtr> ConvertToLevelType(const ColumnPtr& column, Type level_type, size_t position) {
  Type from = column->type();
  if (from == level_type || (IsStringLike(from) && IsStringLike(level_type))) return column;
  RETURN_IF_ERROR(CheckLevelColumnType(level_type, from, position));
  auto converted = CastColumn(*column, level_type);  // range-checked: never wraps
  if (!converted.ok()) {
    return InvalidArgument("partition column " + std::to_string(position) + ": " +
                           converted.status().message() + "; use values within the range of " +
                           TypeName(level_type));
  }
  return std::make_shared<const Column>(std::move(*converted));
}

std::optional<Scalar> ToLevelValue(const Scalar& value, Type level_type) {
  Type from = value.type();
  if (from == level_type) return value;
  if (IsStringLike(from) && IsStringLike(level_type)) {
    return Scalar::String(level_type, value.string_value());
  }
  if (from == Type::kVoid) return Scalar::Null(level_type);
  if (IsPartitionInteger(from) && IsPartitionInteger(level_type)) {
    if (value.is_null()) return Scalar::Null(level_type);
    return Scalar::Int(level_type, value.int_value());
  }
  if (TemporalConvertible(from, level_type)) {
    std::optional<int64_t> converted = ConvertTemporal(from, value.int_value(), level_type);
    if (!converted) return std::nullopt;
    return Scalar::Int(level_type, *converted);
  }
  return std::nullopt;
}

Status NullPartitionValue(size_t position, size_t row) {
  return InvalidArgument("partition column " + std::to_string(position) + " is NULL at row index " +
                         std::to_string(row) +
                         "; every row needs a value in each partition column");
}

}  // namespace strata
