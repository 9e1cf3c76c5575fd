// Text from values and values in text, as DolphinDB's pages document them: temporalFormat
// (alias datetimeFormat), decimalFormat, format (either, by the value's type) and regexFind.
#include <re2/re2.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "base/strings.h"
#include "query/builtins_internal.h"
#include "query/operators.h"
#include "types/temporal.h"

namespace strata {

namespace {

constexpr int64_t kNsPerSecond = 1000 * 1000 * 1000;
constexpr int64_t kNsPerDay = 86400 * kNsPerSecond;

// The calendar and clock fields of a temporal value; a field its type lacks is zero (the day of
// a MONTH is 1).
struct TemporalFields {
  int64_t year = 1970;
  unsigned month = 1, day = 1;
  int64_t ns_of_day = 0;
};

TemporalFields FieldsOf(Type type, int64_t v) {
  TemporalFields f;
  int64_t days = 0;
  bool has_date = true;
  switch (type) {
    case Type::kDate:
      days = v;
      break;
    case Type::kMonth:
      f.year = FloorDiv(v, 12);
      f.month = static_cast<unsigned>(FloorMod(v, 12) + 1);
      return f;
    case Type::kDateTime:
      days = FloorDiv(v, 86400);
      f.ns_of_day = FloorMod(v, 86400) * kNsPerSecond;
      break;
    case Type::kTimestamp:
      days = FloorDiv(v, 86400000);
      f.ns_of_day = FloorMod(v, 86400000) * 1000000;
      break;
    case Type::kNanoTimestamp:
      days = FloorDiv(v, kNsPerDay);
      f.ns_of_day = FloorMod(v, kNsPerDay);
      break;
    case Type::kTime:
      has_date = false;
      f.ns_of_day = v * 1000000;
      break;
    case Type::kMinute:
      has_date = false;
      f.ns_of_day = v * 60 * kNsPerSecond;
      break;
    case Type::kSecond:
      has_date = false;
      f.ns_of_day = v * kNsPerSecond;
      break;
    default:  // NANOTIME
      has_date = false;
      f.ns_of_day = v;
      break;
  }
  if (has_date) CivilFromDays(days, &f.year, &f.month, &f.day);
  return f;
}

std::string Padded(int64_t value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*lld", width, static_cast<long long>(value));
  return buffer;
}

// `format` applied to `f`: runs of y, M, d, H, h, m, s, a, S, n are fields (a single letter
// unpadded, except y, which is the whole year), everything else is copied.
Result<std::string> FormatTemporalFields(const TemporalFields& f, const std::string& format) {
  static constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  const int64_t hour = f.ns_of_day / (3600 * kNsPerSecond);
  const int64_t minute = f.ns_of_day / (60 * kNsPerSecond) % 60;
  const int64_t second = f.ns_of_day / kNsPerSecond % 60;
  const int64_t nanos = f.ns_of_day % kNsPerSecond;
  std::string out;
  for (size_t i = 0; i < format.size();) {
    char c = format[i];
    size_t run = 1;
    while (i + run < format.size() && format[i + run] == c) ++run;
    auto field = [&](int64_t value) { out += run == 1 ? std::to_string(value) : Padded(value, 2); };
    switch (c) {
      case 'y':
        out += run == 2 ? Padded(FloorMod(f.year, 100), 2) : Padded(f.year, 4);
        break;
      case 'M':
        if (run == 3) {
          out += kMonths[f.month - 1];
        } else {
          field(f.month);
        }
        break;
      case 'd':
        field(f.day);
        break;
      case 'H':
        field(hour);
        break;
      case 'h':
        field(hour % 12);
        break;
      case 'm':
        field(minute);
        break;
      case 's':
        field(second);
        break;
      case 'a':
        out += hour < 12 ? "AM" : "PM";
        break;
      case 'S':
        if (run != 3) {
          return InvalidArgument("invalid temporal format '" + format +
                                 "': millisecond (S) must have three digits");
        }
        out += Padded(nanos / 1000000, 3);
        break;
      case 'n':
        if (run != 6 && run != 9) {
          return InvalidArgument("invalid temporal format '" + format +
                                 "': nanosecond (n) must have six or nine digits");
        }
        out += run == 6 ? Padded(nanos / 1000, 6) : Padded(nanos, 9);
        break;
      default:
        out.append(run, c);
        break;
    }
    i += run;
  }
  return out;
}

// One side of a decimalFormat pattern: literal text around a number pattern of 0 # , . E and
// a closing %.
struct NumberPattern {
  std::string prefix, suffix;
  int min_integer = 0;   // 0s before the point
  int group = 0;         // digits between the comma and the point (0: no grouping)
  int min_fraction = 0;  // 0s after the point
  int max_fraction = 0;  // 0s and #s after the point
  int exponent = -1;     // 0s after E; -1: no exponent
  bool percent = false;
};

Result<NumberPattern> ParseNumberPattern(const std::string& text, const std::string& whole) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("decimalFormat pattern '" + whole + "': " + why);
  };
  NumberPattern p;
  size_t begin = text.find_first_of("0#,.");
  if (begin == std::string::npos) return bad("it has no digit (0 or #)");
  size_t end = begin;
  while (end < text.size() && std::string_view("0#,.E").find(text[end]) != std::string::npos) {
    ++end;
  }
  p.prefix = text.substr(0, begin);
  p.suffix = text.substr(end);
  if (!p.suffix.empty() && p.suffix.back() == '%') {
    p.percent = true;
    p.suffix.pop_back();
  }
  std::string number = text.substr(begin, end - begin);
  size_t e = number.find('E');
  if (e != std::string::npos) {
    if (p.percent) return bad("% and E cannot both appear");
    std::string exponent = number.substr(e + 1);
    if (exponent.empty() || exponent.find_first_not_of('0') != std::string::npos) {
      return bad("E must be followed by 0s only, at least one");
    }
    p.exponent = static_cast<int>(exponent.size());
    number = number.substr(0, e);
  }
  size_t point = number.find('.');
  std::string integer = number.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : number.substr(point + 1);
  if (fraction.find_first_of(",.") != std::string::npos) return bad("a second '.' or a ','");
  size_t hash = fraction.find('#');
  if (hash != std::string::npos && fraction.find('0', hash) != std::string::npos) {
    return bad("after the point, 0s come before #s");
  }
  p.min_fraction = static_cast<int>(std::count(fraction.begin(), fraction.end(), '0'));
  p.max_fraction = static_cast<int>(fraction.size());
  size_t comma = integer.find(',');
  if (comma != std::string::npos) {
    if (integer.find(',', comma + 1) != std::string::npos) {
      return bad("the grouping separator appears once at most");
    }
    p.group = static_cast<int>(integer.size() - comma - 1);
  }
  p.min_integer = static_cast<int>(std::count(integer.begin(), integer.end(), '0'));
  return p;
}

// `digits` (a decimal number's digits, the point after `integer_digits` of them) rounded half
// up to `fraction` digits after the point; returns the integer and fraction parts.
void RoundDecimal(std::string digits, int integer_digits, int fraction, std::string* integer_part,
                  std::string* fraction_part) {
  size_t keep = static_cast<size_t>(integer_digits + fraction);
  if (digits.size() > keep) {
    bool up = digits[keep] >= '5';
    digits.resize(keep);
    for (size_t i = keep; up && i-- > 0;) {
      if (digits[i] == '9') {
        digits[i] = '0';
      } else {
        ++digits[i];
        up = false;
      }
    }
    if (up) {
      digits.insert(digits.begin(), '1');
      ++integer_digits;
    }
  }
  digits.resize(static_cast<size_t>(integer_digits + fraction), '0');
  *integer_part = digits.substr(0, static_cast<size_t>(integer_digits));
  *fraction_part = digits.substr(static_cast<size_t>(integer_digits));
}

// |value| as decimal digits with 15 significant ones (so 0.345 is 345, not 0.34499...), and
// where the point falls: value = 0.digits × 10^point.
void DecimalDigits(double value, std::string* digits, int* point) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.14e", std::fabs(value));
  std::string text(buffer);
  size_t e = text.find('e');
  int exponent = std::stoi(text.substr(e + 1));
  std::string mantissa = text.substr(0, e);
  mantissa.erase(std::remove(mantissa.begin(), mantissa.end(), '.'), mantissa.end());
  *digits = mantissa;
  *point = exponent + 1;
}

std::string FormatNumber(double value, const NumberPattern& p) {
  if (p.percent) value *= 100;
  std::string digits;
  int point = 0;
  DecimalDigits(value, &digits, &point);
  bool zero = digits.find_first_not_of('0') == std::string::npos;
  int exponent = 0;
  int integer_digits = std::max(p.min_integer, 1);
  if (p.exponent >= 0) {
    exponent = zero ? 0 : point - integer_digits;
    point = integer_digits;
  }
  // Align the digits so the point falls after `point` of them.
  if (point <= 0) {
    digits.insert(0, static_cast<size_t>(-point), '0');
    point = 0;
  } else if (static_cast<size_t>(point) > digits.size()) {
    digits.append(static_cast<size_t>(point) - digits.size(), '0');
  }
  std::string integer, fraction;
  RoundDecimal(digits, point, p.max_fraction, &integer, &fraction);
  if (p.exponent >= 0 && static_cast<int>(integer.size()) > integer_digits) {
    // Rounding carried into a new digit (9.99 → 10.0): one more power of ten.
    fraction.insert(fraction.begin(), integer.back());
    fraction.pop_back();
    integer.pop_back();
    ++exponent;
  }
  while (static_cast<int>(fraction.size()) > p.min_fraction && !fraction.empty() &&
         fraction.back() == '0') {
    fraction.pop_back();
  }
  integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size()));
  if (static_cast<int>(integer.size()) < p.min_integer) {
    integer.insert(0, static_cast<size_t>(p.min_integer) - integer.size(), '0');
  }
  if (p.group > 0) {
    for (int i = static_cast<int>(integer.size()) - p.group; i > 0; i -= p.group) {
      integer.insert(static_cast<size_t>(i), ",");
    }
  }
  std::string out = integer;
  if (!fraction.empty()) out += "." + fraction;
  if (out.empty()) out = "0";
  if (p.exponent >= 0) {
    out += "E";
    if (exponent < 0) out += "-";
    out += Padded(std::abs(exponent), p.exponent);
  }
  return out;
}

Result<std::string> DecimalFormat(double value, const std::string& pattern) {
  size_t semicolon = pattern.find(';');
  ASSIGN_OR_RETURN(NumberPattern positive,
                   ParseNumberPattern(pattern.substr(0, semicolon), pattern));
  if (std::isnan(value) || std::isinf(value)) return std::string(std::isnan(value) ? "NaN" : "inf");
  NumberPattern negative = positive;
  std::string sign = value < 0 ? "-" : "";
  if (value < 0 && semicolon != std::string::npos) {  // the negative pattern writes its own sign
    ASSIGN_OR_RETURN(negative, ParseNumberPattern(pattern.substr(semicolon + 1), pattern));
    sign.clear();
  }
  const NumberPattern& p = value < 0 ? negative : positive;
  return sign + p.prefix + FormatNumber(std::fabs(value), p) + p.suffix + (p.percent ? "%" : "");
}

// A string argument's text (STRING, SYMBOL or CHAR).
Result<std::string> TextArgument(const Value& v, const char* function, const char* param) {
  if (v.is_scalar() && IsStringLike(v.type())) return v.scalar().string_value();
  if (v.is_scalar() && v.type() == Type::kChar && !v.scalar().is_null()) {
    return std::string(1, static_cast<char>(v.scalar().int_value()));
  }
  return InvalidArgument(std::string(function) + "'s " + param + " is a string, got " +
                         v.Describe());
}

// Each element of `v` through `each` into a STRING scalar or vector; NULL gives "".
Result<Value> MapToText(const Value& v,
                        const std::function<Result<std::string>(const Scalar&)>& each) {
  ASSIGN_OR_RETURN(Column in, ToColumn(v));
  Column out(Type::kString);
  for (size_t i = 0; i < in.size(); ++i) {
    Scalar s = in.Get(i);
    if (s.is_null()) {
      out.Append(Scalar::String(Type::kString, ""));
      continue;
    }
    ASSIGN_OR_RETURN(std::string text, each(s));
    out.Append(Scalar::String(Type::kString, std::move(text)));
  }
  if (v.is_scalar()) return Value(out.Get(0));
  return Value::Vector(std::move(out));
}

Result<Value> TemporalFormatValue(const Value& x, const std::string& format) {
  return MapToText(x, [&](const Scalar& s) -> Result<std::string> {
    if (!IsTemporal(s.type())) {
      return InvalidArgument(std::string("temporalFormat formats temporal values, got a ") +
                             TypeName(s.type()));
    }
    return FormatTemporalFields(FieldsOf(s.type(), s.int_value()), format);
  });
}

Result<Value> DecimalFormatValue(const Value& x, const std::string& format) {
  return MapToText(x, [&](const Scalar& s) -> Result<std::string> {
    if (!IsNumeric(s.type())) {
      return InvalidArgument(std::string("decimalFormat formats numbers, got a ") +
                             TypeName(s.type()));
    }
    return DecimalFormat(s.ToDouble(), format);
  });
}

}  // namespace

void RegisterTextFunctions(FunctionRegistry& r) {
  for (const char* name : {"temporalFormat", "datetimeFormat"}) {
    r.Register(
        {name, {"X", "format"}, 2, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
           ASSIGN_OR_RETURN(std::string format, TextArgument(a[1], "temporalFormat", "format"));
           return TemporalFormatValue(a[0], format);
         }});
  }
  r.Register({"decimalFormat",
              {"X", "format"},
              2,
              false,
              [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string format, TextArgument(a[1], "decimalFormat", "format"));
                return DecimalFormatValue(a[0], format);
              }});
  // format(X, format): temporalFormat for temporal X, decimalFormat for numbers.
  r.Register({"format",
              {"X", "format"},
              2,
              false,
              [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string format, TextArgument(a[1], "format", "format"));
                if (!a[0].is_void() && IsTemporal(a[0].type())) {
                  return TemporalFormatValue(a[0], format);
                }
                return DecimalFormatValue(a[0], format);
              }});
  // regexFind(str, pattern, [offset]): where the first match at or after `offset` begins,
  // counted from the start of the string; -1 when nothing matches.
  r.Register({"regexFind",
              {"str", "pattern", "offset"},
              2,
              false,
              [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string pattern, TextArgument(a[1], "regexFind", "pattern"));
                int64_t offset = 0;
                if (!a[2].is_void()) {
                  if (!a[2].is_scalar() || !IsIntegral(a[2].type()) || a[2].scalar().is_null() ||
                      a[2].scalar().int_value() < 0) {
                    return InvalidArgument("regexFind's offset is a non-negative integer, got " +
                                           a[2].Describe());
                  }
                  offset = a[2].scalar().int_value();
                }
                // RE2: time linear in the text, whatever the pattern (no backtracking).
                RE2 re(pattern, RE2::Quiet);
                if (!re.ok()) {
                  return InvalidArgument("regexFind: '" + pattern +
                                         "' is not a regular expression: " + re.error());
                }
                ASSIGN_OR_RETURN(Column in, ToColumn(a[0]));
                if (!IsStringLike(in.type())) {
                  return InvalidArgument("regexFind searches strings, got " + a[0].Describe());
                }
                Column out(Type::kInt);
                for (size_t i = 0; i < in.size(); ++i) {
                  const std::string text = in.Get(i).string_value();
                  re2::StringPiece match;
                  int64_t found = -1;
                  if (static_cast<size_t>(offset) <= text.size() &&
                      re.Match(text, static_cast<size_t>(offset), text.size(), RE2::UNANCHORED,
                               &match, 1)) {
                    found = match.data() - text.data();
                  }
                  out.Append(Scalar::Int(Type::kInt, found));
                }
                if (a[0].is_scalar()) return Value(out.Get(0));
                return Value::Vector(std::move(out));
              }});
}

}  // namespace strata
