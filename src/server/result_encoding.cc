#include "server/result_encoding.h"

#include <map>

#include "server/wire.h"
#include "sql/binder_types.h"
#include "types/temporal.h"

namespace strata {

namespace {

struct TypeShape {
  MySqlType type;
  uint32_t length;
  bool numeric;
};

TypeShape ShapeOf(const std::string& type_name) {
  static const std::map<std::string, TypeShape> shapes = {
      {"BOOLEAN", {MySqlType::kTiny, 1, true}},       {"TINYINT", {MySqlType::kTiny, 4, true}},
      {"SMALLINT", {MySqlType::kShort, 6, true}},     {"INT", {MySqlType::kLong, 11, true}},
      {"BIGINT", {MySqlType::kLongLong, 20, true}},   {"FLOAT", {MySqlType::kFloat, 12, true}},
      {"DOUBLE", {MySqlType::kDouble, 22, true}},     {"DATE", {MySqlType::kDate, 10, true}},
      {"DATETIME", {MySqlType::kDateTime, 19, true}}, {"TIME", {MySqlType::kTime, 10, true}},
      {"NULL", {MySqlType::kNull, 0, true}},
  };
  auto it = shapes.find(type_name);
  if (it != shapes.end()) return it->second;
  return {MySqlType::kVarString, 65535, false};
}

bool IsSqlNull(const SqlCell& cell) {
  return !cell || (cell->is_null() && !IsStringLike(cell->type()));
}

// A temporal scalar as civil fields: false for a value that is not a date or time.
struct Civil {
  int64_t year = 0;
  unsigned month = 0, day = 0;
  int64_t hour = 0, minute = 0, second = 0, microsecond = 0;
};

bool CivilOf(const Scalar& value, Civil* out) {
  int64_t v = value.int_value();
  int64_t days = 0, day_ns = 0;
  switch (value.type()) {
    case Type::kDate:
      days = v;
      break;
    case Type::kDateTime:
      days = FloorDiv(v, 86400);
      day_ns = FloorMod(v, 86400) * 1000000000;
      break;
    case Type::kTimestamp:
      days = FloorDiv(v, 86400000);
      day_ns = FloorMod(v, 86400000) * 1000000;
      break;
    case Type::kNanoTimestamp:
      days = FloorDiv(v, 86400000000000);
      day_ns = FloorMod(v, 86400000000000);
      break;
    case Type::kTime:
      day_ns = v * 1000000;
      break;
    case Type::kSecond:
      day_ns = v * 1000000000;
      break;
    case Type::kMinute:
      day_ns = v * 60000000000;
      break;
    case Type::kNanoTime:
      day_ns = v;
      break;
    default:
      return false;
  }
  CivilFromDays(days, &out->year, &out->month, &out->day);
  out->hour = day_ns / 3600000000000;
  out->minute = day_ns / 60000000000 % 60;
  out->second = day_ns / 1000000000 % 60;
  out->microsecond = day_ns / 1000 % 1000000;
  return true;
}

void AppendBinaryCell(const ColumnSpec& column, const Scalar& value, std::string* out) {
  Civil civil;
  switch (column.type) {
    case MySqlType::kTiny:
    case MySqlType::kShort:
    case MySqlType::kLong:
    case MySqlType::kLongLong:
      AppendBinaryInteger(out, column.type, value.ToInt64());
      return;
    case MySqlType::kFloat:
    case MySqlType::kDouble:
      AppendBinaryDouble(out, column.type, value.ToDouble());
      return;
    case MySqlType::kDate:
    case MySqlType::kDateTime:
      if (!CivilOf(value, &civil)) break;
      if (column.type == MySqlType::kDate) civil.hour = civil.minute = civil.second = 0;
      AppendBinaryDateTime(
          out, static_cast<int>(civil.year), static_cast<int>(civil.month),
          static_cast<int>(civil.day), static_cast<int>(civil.hour), static_cast<int>(civil.minute),
          static_cast<int>(civil.second),
          column.type == MySqlType::kDate ? 0 : static_cast<int>(civil.microsecond));
      return;
    case MySqlType::kTime:
      if (!CivilOf(value, &civil)) break;
      AppendBinaryTime(out, false, 0, static_cast<int>(civil.hour), static_cast<int>(civil.minute),
                       static_cast<int>(civil.second), static_cast<int>(civil.microsecond));
      return;
    default:
      break;
  }
  WireWriter text;
  text.LenencString(MySqlText(value));
  out->append(text.data());
}

}  // namespace

ColumnSpec ColumnSpecFor(const std::string& name, const std::string& type_name) {
  TypeShape shape = ShapeOf(type_name);
  ColumnSpec spec;
  spec.name = name;
  spec.org_name = name;
  spec.type = shape.type;
  spec.length = shape.length;
  if (shape.numeric) {
    spec.charset = kCharsetBinary;
    spec.flags = kColumnFlagBinary;
  }
  if (shape.type == MySqlType::kFloat || shape.type == MySqlType::kDouble) spec.decimals = 31;
  return spec;
}

TextCell TextOfCell(const SqlCell& cell) {
  if (IsSqlNull(cell)) return std::nullopt;
  return MySqlText(*cell);
}

void BuildBinaryRow(const std::vector<ColumnSpec>& columns, const std::vector<SqlCell>& row,
                    std::string* out) {
  out->assign(1, '\0');
  size_t bitmap_at = out->size();
  out->append((columns.size() + 7 + 2) / 8, '\0');
  for (size_t i = 0; i < columns.size(); ++i) {
    const SqlCell* cell = i < row.size() ? &row[i] : nullptr;
    if (cell == nullptr || IsSqlNull(*cell) || columns[i].type == MySqlType::kNull) {
      size_t bit = i + 2;
      (*out)[bitmap_at + bit / 8] =
          static_cast<char>((*out)[bitmap_at + bit / 8] | (1 << (bit % 8)));
      continue;
    }
    AppendBinaryCell(columns[i], **cell, out);
  }
}

Result<SqlCell> CellOfParameter(const StatementParameter& p) {
  if (p.is_null) return SqlCell();
  if (IsMySqlIntegerType(p.type)) {
    if (p.is_unsigned && p.type == MySqlType::kLongLong && p.integer < 0) {
      return InvalidArgument("parameter value " + std::to_string(static_cast<uint64_t>(p.integer)) +
                             " is above BIGINT's maximum 9223372036854775807");
    }
    return SqlCell(Scalar::Int(Type::kLong, p.integer));
  }
  switch (p.type) {
    case MySqlType::kFloat:
    case MySqlType::kDouble:
      return SqlCell(Scalar::Float(Type::kDouble, p.real));
    case MySqlType::kDate:
    case MySqlType::kDateTime:
    case MySqlType::kTimestamp: {
      if (p.month < 0 || p.month > 12 || p.day < 0 || p.day > 31 || p.hour > 23 || p.minute > 59 ||
          p.second > 59 || (p.month == 0) != (p.day == 0)) {
        return InvalidArgument("parameter value is not a valid date: " + std::to_string(p.year) +
                               "-" + std::to_string(p.month) + "-" + std::to_string(p.day));
      }
      int64_t days = DaysFromCivil(p.year, static_cast<unsigned>(std::max(p.month, 1)),
                                   static_cast<unsigned>(std::max(p.day, 1)));
      if (p.type == MySqlType::kDate) return SqlCell(Scalar::Int(Type::kDate, days));
      int64_t ms = days * 86400000 + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 +
                   p.microsecond / 1000;
      return SqlCell(Scalar::Int(Type::kTimestamp, ms));
    }
    case MySqlType::kTime: {
      if (p.negative || p.days != 0) {
        return InvalidArgument("a TIME parameter must be a time of day (00:00:00 to 23:59:59)");
      }
      int64_t ms = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.microsecond / 1000;
      return SqlCell(Scalar::Int(Type::kTime, ms));
    }
    default:
      return SqlCell(Scalar::String(Type::kString, p.bytes));
  }
}

}  // namespace strata
