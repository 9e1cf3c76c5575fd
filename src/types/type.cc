#include "types/type.h"

#include "base/check.h"
#include "base/strings.h"

namespace strata {

Storage StorageOf(Type type) {
  switch (type) {
    case Type::kVoid:
    case Type::kBool:
    case Type::kChar:
      return Storage::kInt8;
    case Type::kShort:
      return Storage::kInt16;
    case Type::kInt:
    case Type::kDate:
    case Type::kMonth:
    case Type::kTime:
    case Type::kMinute:
    case Type::kSecond:
    case Type::kDateTime:
      return Storage::kInt32;
    case Type::kLong:
    case Type::kTimestamp:
    case Type::kNanoTime:
    case Type::kNanoTimestamp:
      return Storage::kInt64;
    case Type::kFloat:
      return Storage::kFloat32;
    case Type::kDouble:
      return Storage::kFloat64;
    case Type::kSymbol:
    case Type::kString:
      return Storage::kString;
  }
  STRATA_CHECK(false);
  return Storage::kInt8;
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kVoid:
      return "VOID";
    case Type::kBool:
      return "BOOL";
    case Type::kChar:
      return "CHAR";
    case Type::kShort:
      return "SHORT";
    case Type::kInt:
      return "INT";
    case Type::kLong:
      return "LONG";
    case Type::kDate:
      return "DATE";
    case Type::kMonth:
      return "MONTH";
    case Type::kTime:
      return "TIME";
    case Type::kMinute:
      return "MINUTE";
    case Type::kSecond:
      return "SECOND";
    case Type::kDateTime:
      return "DATETIME";
    case Type::kTimestamp:
      return "TIMESTAMP";
    case Type::kNanoTime:
      return "NANOTIME";
    case Type::kNanoTimestamp:
      return "NANOTIMESTAMP";
    case Type::kFloat:
      return "FLOAT";
    case Type::kDouble:
      return "DOUBLE";
    case Type::kSymbol:
      return "SYMBOL";
    case Type::kString:
      return "STRING";
  }
  return "UNKNOWN";
}

std::optional<Type> TypeFromId(int id) {
  if (id < 0 || id > 18) return std::nullopt;
  return static_cast<Type>(id);
}

std::optional<Type> TypeFromName(std::string_view name) {
  std::string upper = ToUpper(name);
  for (int id = 0; id <= 18; ++id) {
    Type t = static_cast<Type>(id);
    if (upper == TypeName(t)) return t;
  }
  struct Alias {
    const char* name;
    Type type;
  };
  static constexpr Alias kAliases[] = {
      {"BOOLEAN", Type::kBool},
      {"TINYINT", Type::kChar},
      {"SMALLINT", Type::kShort},
      {"INTEGER", Type::kInt},
      {"BIGINT", Type::kLong},
      {"VARCHAR", Type::kString},
      {"CHAR_STRING", Type::kString},
      {"TEXT", Type::kString},
      {"DATEV2", Type::kDate},
      {"REAL", Type::kFloat},
      {"DOUBLE PRECISION", Type::kDouble},
  };
  for (const auto& alias : kAliases) {
    if (upper == alias.name) return alias.type;
  }
  return std::nullopt;
}

int NumericRank(Type t) {
  switch (t) {
    case Type::kBool:
      return 0;
    case Type::kChar:
      return 1;
    case Type::kShort:
      return 2;
    case Type::kInt:
      return 3;
    case Type::kLong:
      return 4;
    case Type::kFloat:
      return 5;
    case Type::kDouble:
      return 6;
    default:
      return -1;
  }
}

bool IsIntegral(Type t) {
  return t == Type::kBool || t == Type::kChar || t == Type::kShort || t == Type::kInt ||
         t == Type::kLong;
}
bool IsFloating(Type t) { return t == Type::kFloat || t == Type::kDouble; }
bool IsNumeric(Type t) { return IsIntegral(t) || IsFloating(t); }
bool IsTemporal(Type t) {
  return static_cast<int>(t) >= static_cast<int>(Type::kDate) &&
         static_cast<int>(t) <= static_cast<int>(Type::kNanoTimestamp);
}
bool IsStringLike(Type t) { return t == Type::kSymbol || t == Type::kString; }

int64_t NullInt64Of(Type type) {
  switch (StorageOf(type)) {
    case Storage::kInt8:
      return kNullInt8;
    case Storage::kInt16:
      return kNullInt16;
    case Storage::kInt32:
      return kNullInt32;
    case Storage::kInt64:
      return kNullInt64;
    default:
      STRATA_CHECK(false);
  }
  return 0;
}

}  // namespace strata
