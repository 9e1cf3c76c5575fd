// temporalAdd (alias datetimeAdd): a temporal value moved by a count of units, as DolphinDB's
// page says: ns, us, ms, s, m, H, d, w by their length; M and y by calendar months, the day
// kept where the month has it and else the month's last ("consistent with mysql"); B by
// business days, Monday to Friday. Times of day wrap around midnight.
#include <string>

#include "query/builtins_internal.h"
#include "query/operators.h"
#include "types/temporal.h"

namespace strata {

namespace {

constexpr int64_t kNsPerDay = int64_t{86400} * 1000 * 1000 * 1000;

// Nanoseconds in one unit of a temporal type's physical value; 0 for MONTH.
int64_t NsPerTick(Type type) {
  switch (type) {
    case Type::kDate:
      return kNsPerDay;
    case Type::kMinute:
      return int64_t{60} * 1000 * 1000 * 1000;
    case Type::kSecond:
    case Type::kDateTime:
      return 1000 * 1000 * 1000;
    case Type::kTime:
    case Type::kTimestamp:
      return 1000 * 1000;
    case Type::kNanoTime:
    case Type::kNanoTimestamp:
      return 1;
    default:
      return 0;
  }
}

bool IsTimeOfDay(Type type) {
  return type == Type::kTime || type == Type::kMinute || type == Type::kSecond ||
         type == Type::kNanoTime;
}

// A unit of temporalAdd: a fixed length in ns, or months, or business days.
struct AddUnit {
  enum class Kind : uint8_t { kLength, kMonths, kBusinessDays } kind = Kind::kLength;
  int64_t ns = 0;      // kLength
  int64_t months = 0;  // kMonths: 1 or 12
};

Result<AddUnit> ParseUnit(const Value& v) {
  std::string unit;
  if (v.is_scalar() && IsStringLike(v.type())) {
    unit = v.scalar().string_value();
  } else if (v.is_scalar() && v.type() == Type::kChar && !v.scalar().is_null()) {
    unit = std::string(1, static_cast<char>(v.scalar().int_value()));
  } else {
    return InvalidArgument("temporalAdd's unit is a string such as \"d\", \"M\" or \"ns\", got " +
                           v.Describe());
  }
  constexpr int64_t kSecond = 1000 * 1000 * 1000;
  if (unit == "ns") return AddUnit{AddUnit::Kind::kLength, 1, 0};
  if (unit == "us") return AddUnit{AddUnit::Kind::kLength, 1000, 0};
  if (unit == "ms") return AddUnit{AddUnit::Kind::kLength, 1000 * 1000, 0};
  if (unit == "s") return AddUnit{AddUnit::Kind::kLength, kSecond, 0};
  if (unit == "m") return AddUnit{AddUnit::Kind::kLength, 60 * kSecond, 0};
  if (unit == "H") return AddUnit{AddUnit::Kind::kLength, 3600 * kSecond, 0};
  if (unit == "d") return AddUnit{AddUnit::Kind::kLength, kNsPerDay, 0};
  if (unit == "w") return AddUnit{AddUnit::Kind::kLength, 7 * kNsPerDay, 0};
  if (unit == "M") return AddUnit{AddUnit::Kind::kMonths, 0, 1};
  if (unit == "y") return AddUnit{AddUnit::Kind::kMonths, 0, 12};
  if (unit == "B") return AddUnit{AddUnit::Kind::kBusinessDays, 0, 0};
  return InvalidArgument(
      "temporalAdd's unit '" + unit +
      "' is not one Strata knows: ns, us, ms, s, m (minute), H, d, w, M (month), y or B "
      "(business day); trading calendars (marketHolidayDir) are not supported");
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// The day `months` calendar months after `days`, on the same day of the month or the month's
// last.
int64_t AddMonthsToDay(int64_t days, int64_t months) {
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  int64_t total = year * 12 + (month - 1) + months;
  int64_t new_year = FloorDiv(total, 12);
  auto new_month = static_cast<unsigned>(FloorMod(total, 12) + 1);
  return DaysFromCivil(new_year, new_month, std::min(day, DaysInMonth(new_year, new_month)));
}

// The day `n` business days (Monday to Friday) after `days` (before, for a negative `n`).
int64_t AddBusinessDays(int64_t days, int64_t n) {
  auto weekday = [](int64_t d) { return FloorMod(d + 3, 7); };  // 0 = Monday; 1970.01.01 a Thursday
  int64_t step = n > 0 ? 1 : -1;
  auto next = [&](int64_t d) {
    do {
      d += step;
    } while (weekday(d) >= 5);
    return d;
  };
  if (n == 0) return days;
  days = next(days);  // now on a weekday, where five business days are one week
  int64_t left = n - step;
  days += 7 * (left / 5);
  for (int64_t i = 0; i < (left % 5) * step; ++i) days = next(days);
  return days;
}

Result<int64_t> AddToValue(Type type, int64_t value, int64_t n, const AddUnit& unit) {
  auto overflow = [&]() -> Status {
    return InvalidArgument("temporalAdd: " + std::to_string(n) + " units take " +
                           FormatTemporal(type, value) + " out of " + TypeName(type) + "'s range");
  };
  if (type == Type::kMonth) {
    if (unit.kind != AddUnit::Kind::kMonths) {
      return InvalidArgument("temporalAdd moves a MONTH by months (\"M\") or years (\"y\") only");
    }
    int64_t out = 0;
    if (__builtin_mul_overflow(n, unit.months, &out) || __builtin_add_overflow(value, out, &out)) {
      return overflow();
    }
    return out;
  }
  const int64_t tick = NsPerTick(type);
  if (unit.kind == AddUnit::Kind::kLength) {
    int64_t ns = 0;
    if (__builtin_mul_overflow(n, unit.ns, &ns)) return overflow();
    if (ns % tick != 0) {
      return InvalidArgument(std::string("temporalAdd: a ") + TypeName(type) +
                             " moves in whole units of its own, and " + std::to_string(n) +
                             " of this unit is not a whole number of them");
    }
    int64_t out = 0;
    if (__builtin_add_overflow(value, ns / tick, &out)) return overflow();
    return IsTimeOfDay(type) ? FloorMod(out, kNsPerDay / tick) : out;
  }
  if (IsTimeOfDay(type)) {
    return InvalidArgument(std::string("temporalAdd: a ") + TypeName(type) +
                           " is a time of day; months, years and business days move dates");
  }
  const int64_t per_day = kNsPerDay / tick;
  int64_t days = FloorDiv(value, per_day);
  int64_t time_of_day = FloorMod(value, per_day);
  if (unit.kind == AddUnit::Kind::kMonths) {
    int64_t months = 0;
    if (__builtin_mul_overflow(n, unit.months, &months) || months > 12 * 100000 ||
        months < -12 * 100000) {
      return overflow();
    }
    days = AddMonthsToDay(days, months);
  } else {
    if (n > 365 * 100000 || n < -365 * 100000) return overflow();
    days = AddBusinessDays(days, n);
  }
  int64_t out = 0;
  if (__builtin_mul_overflow(days, per_day, &out) ||
      __builtin_add_overflow(out, time_of_day, &out)) {
    return overflow();
  }
  return out;
}

}  // namespace

void RegisterTemporalFunctions(FunctionRegistry& r) {
  for (const char* name : {"temporalAdd", "datetimeAdd"}) {
    r.Register(
        {name,
         {"obj", "duration", "unit"},
         3,
         false,
         [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
           ASSIGN_OR_RETURN(Column in, ToColumn(a[0]));
           if (!IsTemporal(in.type())) {
             return InvalidArgument("temporalAdd moves a temporal value, got " + a[0].Describe());
           }
           const Value& count = a[1];
           if (!count.is_scalar() || !IsIntegral(count.type()) || count.scalar().is_null()) {
             return InvalidArgument("temporalAdd's duration is an integer count of units, got " +
                                    count.Describe() +
                                    " (DURATION values such as 4B are not supported)");
           }
           ASSIGN_OR_RETURN(AddUnit unit, ParseUnit(a[2]));
           Column out(in.type());
           for (size_t i = 0; i < in.size(); ++i) {
             Scalar s = in.Get(i);
             if (s.is_null()) {
               out.AppendNull();
               continue;
             }
             ASSIGN_OR_RETURN(int64_t moved, AddToValue(in.type(), s.int_value(),
                                                        count.scalar().int_value(), unit));
             out.Append(Scalar::Int(in.type(), moved));
           }
           if (a[0].is_scalar()) return Value(out.Get(0));
           return Value::Vector(std::move(out));
         }});
  }
}

}  // namespace strata
