#include "sql/binder_types.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "base/strings.h"
#include "types/cast.h"
#include "types/format.h"
#include "types/temporal.h"

namespace strata {

namespace {

constexpr const char* kSupportedTypes =
    "BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DATE, DATETIME, CHAR(n), "
    "VARCHAR(n), STRING";

Status TypeError(const std::string& column, const std::string& message) {
  return InvalidArgument("column " + Quote(column) + ": " + message);
}

// The smallest and largest value an integral column holds (its type's minimum is NULL).
void IntegralRange(Type type, int64_t* low, int64_t* high) {
  switch (type) {
    case Type::kBool:
      *low = 0, *high = 1;
      return;
    case Type::kChar:
      *low = -127, *high = 127;
      return;
    case Type::kShort:
      *low = -32767, *high = 32767;
      return;
    case Type::kInt:
      *low = -2147483647, *high = 2147483647;
      return;
    default:
      *low = std::numeric_limits<int64_t>::min() + 1;
      *high = std::numeric_limits<int64_t>::max();
      return;
  }
}

std::string Two(unsigned v) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02u", v);
  return buffer;
}

std::string DateText(int64_t days) {
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(year), month,
                day);
  return buffer;
}

std::string TimeOfDayText(int64_t seconds) {
  return Two(static_cast<unsigned>(seconds / 3600)) + ":" +
         Two(static_cast<unsigned>(seconds / 60 % 60)) + ":" +
         Two(static_cast<unsigned>(seconds % 60));
}

std::string FractionText(int64_t fraction, int digits) {
  std::string text = std::to_string(fraction);
  return "." + std::string(static_cast<size_t>(digits) - text.size(), '0') + text;
}

}  // namespace

Result<SqlColumnType> BindColumnType(const std::string& column, const std::string& type_name,
                                     const std::vector<int64_t>& params) {
  std::string name = ToUpper(type_name);
  auto no_params = [&](Type type, const std::string& text) -> Result<SqlColumnType> {
    // INT(11) and the like: MySQL's display width, which changes nothing.
    bool integral = type != Type::kFloat && type != Type::kDouble && type != Type::kDate &&
                    type != Type::kString;
    if (!params.empty() && !(integral && params.size() == 1)) {
      return TypeError(column, text + " takes no parameters");
    }
    return SqlColumnType{type, text, std::nullopt};
  };
  if (name == "BOOLEAN" || name == "BOOL") return no_params(Type::kBool, "BOOLEAN");
  if (name == "TINYINT") return no_params(Type::kChar, "TINYINT");
  if (name == "SMALLINT") return no_params(Type::kShort, "SMALLINT");
  if (name == "INT" || name == "INTEGER") return no_params(Type::kInt, "INT");
  if (name == "BIGINT") return no_params(Type::kLong, "BIGINT");
  if (name == "FLOAT") return no_params(Type::kFloat, "FLOAT");
  if (name == "DOUBLE") return no_params(Type::kDouble, "DOUBLE");
  if (name == "DATE" || name == "DATEV2") return no_params(Type::kDate, "DATE");
  if (name == "DATETIME" || name == "DATETIMEV2") {
    if (params.size() > 1 || (params.size() == 1 && params[0] != 0)) {
      return TypeError(column,
                       "DATETIME with fractional seconds is not supported yet; use DATETIME");
    }
    // Milliseconds in 64 bits (Strata's TIMESTAMP), so years 0000-9999 as in Doris; tables
    // whose stored definition predates this keep 32-bit seconds (SqlTableDefinition::FromJson).
    return SqlColumnType{Type::kTimestamp, "DATETIME", std::nullopt};
  }
  if (name == "STRING" || name == "TEXT") return no_params(Type::kString, "STRING");
  if (name == "VARCHAR" || name == "CHAR") {
    int64_t limit = name == "CHAR" ? kSqlCharLengthMax : kSqlVarcharLengthMax;
    if (params.size() > 1) return TypeError(column, name + " takes one length");
    int64_t length = params.empty() ? (name == "CHAR" ? 1 : kSqlVarcharLengthMax) : params[0];
    if (length < 1 || length > limit) {
      return TypeError(column, name + "(" + std::to_string(length) +
                                   "): the length must be between 1 and " + std::to_string(limit));
    }
    return SqlColumnType{Type::kString, name + "(" + std::to_string(length) + ")", length};
  }
  if (name == "DECIMAL" || name == "DECIMALV2" || name == "DECIMALV3" || name == "NUMERIC") {
    return TypeError(column,
                     "DECIMAL is not supported yet; use DOUBLE, or BIGINT holding scaled units "
                     "(cents rather than dollars)");
  }
  return TypeError(column,
                   "type " + type_name + " is not supported; supported types: " + kSupportedTypes);
}

Result<SqlColumnType> ParseColumnTypeText(const std::string& column, const std::string& text) {
  size_t open = text.find('(');
  if (open == std::string::npos) return BindColumnType(column, text, {});
  std::vector<int64_t> params;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data() + open + 1, text.data() + text.size(), v);
  if (ec != std::errc()) return Corruption("column " + Quote(column) + ": bad type " + text);
  params.push_back(v);
  return BindColumnType(column, text.substr(0, open), params);
}

Result<ColumnPtr> ConvertColumnToColumn(const ColumnPtr& column, const SqlColumnType& type,
                                        const std::string& name) {
  const Type from = column->type();
  auto row_error = [&](size_t row, const Status& status) {
    return InvalidArgument("row " + std::to_string(row + 1) + ", " + status.message());
  };
  if (IsStringLike(from) && IsStringLike(type.type)) {
    if (type.max_length) {
      const auto& values = column->values<std::string>();
      for (size_t r = 0; r < values.size(); ++r) {
        if (static_cast<int64_t>(values[r].size()) > *type.max_length) {
          return row_error(r, ConvertToColumn(Value(column->Get(r)), type, name).status());
        }
      }
    }
    if (from == type.type) return column;
    return std::make_shared<const Column>(type.type, column->data());
  }
  if (from == type.type) return column;
  const bool widening = (IsIntegral(from) && from != Type::kBool && IsIntegral(type.type) &&
                         type.type != Type::kBool && NumericRank(from) <= NumericRank(type.type)) ||
                        (IsNumeric(from) && from != Type::kBool && type.type == Type::kDouble);
  if (widening) {
    ASSIGN_OR_RETURN(Column cast, CastColumn(*column, type.type));
    return std::make_shared<const Column>(std::move(cast));
  }
  Column out(type.type);
  out.Reserve(column->size());
  for (size_t r = 0; r < column->size(); ++r) {
    auto converted = ConvertToColumn(Value(column->Get(r)), type, name);
    if (!converted.ok()) return row_error(r, converted.status());
    out.Append(*converted);
  }
  return std::make_shared<const Column>(std::move(out));
}

namespace {

// A DATETIME keeps whole seconds (Doris's DATETIME(0)): a TIMESTAMP's milliseconds round to
// the nearest second, as MySQL rounds fractional seconds it cannot store. A script's TIMESTAMP
// column (DATETIME(3)) keeps them.
Scalar WholeSeconds(const Scalar& value, const SqlColumnType& type) {
  if (type.text != "DATETIME" || value.type() != Type::kTimestamp || value.is_null()) {
    return value;
  }
  return Scalar::Int(Type::kTimestamp, FloorDiv(value.int_value() + 500, 1000) * 1000);
}

}  // namespace

Result<Scalar> ConvertToColumn(const Value& value, const SqlColumnType& type,
                               const std::string& column) {
  auto refuse = [&](const std::string& why) {
    return TypeError(column,
                     "cannot store " +
                         (value.is_scalar() ? SqlLiteralText(value.scalar()) : value.Describe()) +
                         " in a " + type.text + " column" + (why.empty() ? "" : ": " + why));
  };
  if (!value.is_scalar()) return refuse("expected one value");
  const Scalar& v = value.scalar();
  if (v.type() == Type::kVoid || v.is_null()) return Scalar::Null(type.type);
  Type from = v.type();
  if (IsStringLike(type.type)) {
    std::string text = IsStringLike(from) ? v.string_value() : MySqlText(v);
    if (type.max_length && static_cast<int64_t>(text.size()) > *type.max_length) {
      return refuse("it is " + std::to_string(text.size()) + " bytes long, longer than " +
                    std::to_string(*type.max_length));
    }
    return Scalar::String(type.type, std::move(text));  // STRING, or a script table's SYMBOL
  }
  if (IsIntegral(type.type)) {
    int64_t n = 0;
    if (IsIntegral(from)) {
      n = v.int_value();
    } else if (IsFloating(from)) {
      double d = std::round(v.float_value());
      if (!(d > -9.2e18 && d < 9.2e18)) return refuse("out of range");
      n = static_cast<int64_t>(d);
    } else if (IsStringLike(from)) {
      std::string text(Trim(v.string_value()));
      if (type.type == Type::kBool) {
        auto parsed = ParseScalar(text, Type::kBool);
        if (!parsed.ok()) return refuse("expected TRUE, FALSE, 1 or 0");
        return *parsed;
      }
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || ptr != text.data() + text.size()) return refuse("not an integer");
    } else {
      return refuse("");
    }
    int64_t low = 0, high = 0;
    IntegralRange(type.type, &low, &high);
    if (n < low || n > high) {
      return refuse("out of range [" + std::to_string(low) + ", " + std::to_string(high) + "]");
    }
    return Scalar::Int(type.type, n);
  }
  if (IsFloating(type.type)) {
    Scalar out = Scalar::Null(type.type);
    if (IsNumeric(from)) {
      out = Scalar::Float(type.type, v.ToDouble());
    } else if (IsStringLike(from)) {
      auto parsed = ParseScalar(v.string_value(), type.type);
      if (!parsed.ok()) return refuse("not a number");
      out = *parsed;
    } else {
      return refuse("");
    }
    // The type's lowest value is Strata's NULL of it (DolphinDB's): refused, not turned NULL.
    const double x = out.float_value();
    const bool marker = type.type == Type::kFloat
                            ? !std::isfinite(static_cast<float>(x)) ||
                                  static_cast<float>(x) == std::numeric_limits<float>::lowest()
                            : out.is_null() || !std::isfinite(x);
    if (marker) {
      return refuse("out of " + type.text + "'s range (its lowest value marks NULL in Strata)");
    }
    return out;
  }
  // DATE, DATETIME (a TIMESTAMP: any year Doris allows). A table made before DATETIME was a
  // TIMESTAMP keeps 32-bit seconds (DolphinDB's DATETIME): a time outside them is refused
  // rather than wrapped.
  auto fits = [&](const Scalar& temporal) {
    if (type.type != Type::kDateTime) return true;
    auto ms = CastScalar(temporal, Type::kTimestamp);
    if (!ms.ok() || ms->is_null()) return false;
    const int64_t seconds =
        ms->int_value() >= 0 ? ms->int_value() / 1000 : -((-ms->int_value() + 999) / 1000);
    return seconds > std::numeric_limits<int32_t>::min() &&
           seconds <= std::numeric_limits<int32_t>::max();
  };
  constexpr const char* kDateTimeRange =
      "outside the range of this older table's DATETIME, 1901-12-13 20:45:53 to 2038-01-19 "
      "03:14:07 (a table made now reaches years 0000-9999)";
  if (IsStringLike(from)) {
    auto parsed = ParseTemporal(Trim(v.string_value()));
    const char* example =
        type.type == Type::kDate ? "'2020-01-05'" : "'2020-01-05 10:00:00' or '2020-01-05'";
    if (!parsed || !(parsed->type() == Type::kDate || parsed->type() == Type::kDateTime ||
                     parsed->type() == Type::kTimestamp)) {
      return refuse(std::string("expected a text like ") + example);
    }
    if (type.type == Type::kDate && parsed->type() != Type::kDate) {
      return refuse("a DATE has no time of day");
    }
    if (!fits(*parsed)) return refuse(kDateTimeRange);
    if (type.type == Type::kTimestamp && parsed->type() == Type::kDateTime) {
      // The text's seconds, in 64 bits (a cast would go through DolphinDB's 32-bit DATETIME).
      return WholeSeconds(Scalar::Int(Type::kTimestamp, parsed->int_value() * 1000), type);
    }
    auto converted = CastScalar(*parsed, type.type);
    if (!converted.ok()) return refuse("");
    return WholeSeconds(*converted, type);
  }
  if (IsTemporal(from)) {
    if (!fits(v)) return refuse(kDateTimeRange);
    auto converted = CastScalar(v, type.type);
    if (!converted.ok()) return refuse("");
    return WholeSeconds(*converted, type);
  }
  return refuse("expected a quoted date text such as '2020-01-05'");
}

std::string MySqlTypeName(Type type) {
  switch (type) {
    case Type::kBool:
      return "BOOLEAN";
    case Type::kChar:
      return "TINYINT";
    case Type::kShort:
      return "SMALLINT";
    case Type::kInt:
      return "INT";
    case Type::kLong:
      return "BIGINT";
    case Type::kFloat:
      return "FLOAT";
    case Type::kDouble:
      return "DOUBLE";
    case Type::kDate:
      return "DATE";
    case Type::kDateTime:
    case Type::kTimestamp:
    case Type::kNanoTimestamp:
      return "DATETIME";
    case Type::kTime:
    case Type::kMinute:
    case Type::kSecond:
    case Type::kNanoTime:
      return "TIME";
    case Type::kVoid:
      return "NULL";
    default:
      return "VARCHAR";
  }
}

std::string MySqlText(const Scalar& value) {
  Type type = value.type();
  if (IsStringLike(type)) return value.string_value();  // '' is a value here
  if (value.is_null()) return "NULL";
  int64_t n = value.int_value();
  switch (type) {
    case Type::kBool:
      return n ? "1" : "0";
    case Type::kDate:
      return DateText(n);
    case Type::kDateTime:
      return DateText(FloorDiv(n, 86400)) + " " + TimeOfDayText(FloorMod(n, 86400));
    case Type::kTimestamp:  // a SQL DATETIME, or a script's TIMESTAMP (with its milliseconds)
      return DateText(FloorDiv(n, 86400000)) + " " + TimeOfDayText(FloorMod(n, 86400000) / 1000) +
             (FloorMod(n, 1000) == 0 ? std::string() : FractionText(FloorMod(n, 1000), 3));
    case Type::kNanoTimestamp: {
      int64_t day_ns = 86400LL * 1000000000LL;
      return DateText(FloorDiv(n, day_ns)) + " " + TimeOfDayText(FloorMod(n, day_ns) / 1000000000) +
             FractionText(FloorMod(n, 1000000000), 9);
    }
    case Type::kSecond:
      return TimeOfDayText(n);
    case Type::kTime:
      return TimeOfDayText(n / 1000) + FractionText(n % 1000, 3);
    case Type::kFloat:
    case Type::kDouble: {
      char buffer[64];
      auto [ptr, ec] = type == Type::kFloat
                           ? std::to_chars(buffer, buffer + sizeof buffer,
                                           static_cast<float>(value.float_value()))
                           : std::to_chars(buffer, buffer + sizeof buffer, value.float_value());
      return ec == std::errc() ? std::string(buffer, ptr) : FormatScalar(value);
    }
    default:
      break;
  }
  if (IsIntegral(type)) return std::to_string(n);
  if (IsStringLike(type)) return value.string_value();
  return FormatScalar(value);
}

std::string SqlLiteralText(const Scalar& value) {
  if (value.type() == Type::kVoid || value.is_null()) return "NULL";
  if (IsNumeric(value.type()) && value.type() != Type::kBool) return MySqlText(value);
  if (value.type() == Type::kBool) return value.int_value() ? "TRUE" : "FALSE";
  std::string text = MySqlText(value);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace strata
