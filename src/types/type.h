// Data types with DolphinDB's ids (the `typeInt` of getBackupMeta), names and NULL sentinels.
// Every type has one physical storage class; NULL is a reserved value of that storage (the
// minimum integer, -FLT_MAX/-DBL_MAX, or the empty string), as in DolphinDB, so columns stay
// plain contiguous arrays.
#pragma once

#include <cfloat>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

enum class Type : uint8_t {
  kVoid = 0,
  kBool = 1,
  kChar = 2,
  kShort = 3,
  kInt = 4,
  kLong = 5,
  kDate = 6,
  kMonth = 7,
  kTime = 8,
  kMinute = 9,
  kSecond = 10,
  kDateTime = 11,
  kTimestamp = 12,
  kNanoTime = 13,
  kNanoTimestamp = 14,
  kFloat = 15,
  kDouble = 16,
  kSymbol = 17,
  kString = 18,
};

// Physical representation of a column's values.
enum class Storage : uint8_t { kInt8, kInt16, kInt32, kInt64, kFloat32, kFloat64, kString };

Storage StorageOf(Type type);
// "INT", "DATE", "SYMBOL", ... (DolphinDB's names).
const char* TypeName(Type type);
// Accepts DolphinDB's names case-insensitively, plus SQL aliases (VARCHAR, BIGINT, ...).
std::optional<Type> TypeFromName(std::string_view name);
// Looks a type up by its DolphinDB id.
std::optional<Type> TypeFromId(int id);

bool IsIntegral(Type type);    // BOOL, CHAR, SHORT, INT, LONG
bool IsFloating(Type type);    // FLOAT, DOUBLE
bool IsNumeric(Type type);     // integral or floating
bool IsTemporal(Type type);    // DATE .. NANOTIMESTAMP
bool IsStringLike(Type type);  // SYMBOL, STRING
// Order of numeric widening: BOOL 0 < CHAR < SHORT < INT < LONG < FLOAT < DOUBLE 6; -1 for
// non-numeric types.
int NumericRank(Type type);

inline constexpr int8_t kNullInt8 = std::numeric_limits<int8_t>::min();
inline constexpr int16_t kNullInt16 = std::numeric_limits<int16_t>::min();
inline constexpr int32_t kNullInt32 = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kNullInt64 = std::numeric_limits<int64_t>::min();
inline constexpr float kNullFloat = -FLT_MAX;
inline constexpr double kNullDouble = -DBL_MAX;

// The NULL sentinel of an integer storage class, widened to int64.
int64_t NullInt64Of(Type type);

inline bool IsNullValue(int8_t v) { return v == kNullInt8; }
inline bool IsNullValue(int16_t v) { return v == kNullInt16; }
inline bool IsNullValue(int32_t v) { return v == kNullInt32; }
inline bool IsNullValue(int64_t v) { return v == kNullInt64; }
inline bool IsNullValue(float v) { return v == kNullFloat || v != v; }
inline bool IsNullValue(double v) { return v == kNullDouble || v != v; }
inline bool IsNullValue(const std::string& v) { return v.empty(); }

}  // namespace strata
