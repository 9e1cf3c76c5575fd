// The binder's typing: Doris column types → Strata types, literals → values of a column's type,
// Strata types → the names MySQL gives result columns. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "sql/ast.h"
#include "types/scalar.h"
#include "types/value.h"

namespace strata {

// VARCHAR without a length, and STRING: Doris's largest VARCHAR, in bytes.
inline constexpr int64_t kSqlVarcharLengthMax = 65533;
inline constexpr int64_t kSqlCharLengthMax = 255;

// A column type as written and as stored.
struct SqlColumnType {
  Type type = Type::kVoid;
  std::string text;                   // canonical SQL text: "VARCHAR(32)", "INT", "DATETIME"
  std::optional<int64_t> max_length;  // CHAR(n)/VARCHAR(n): at most n bytes
};

// BOOLEAN→BOOL, TINYINT→CHAR, SMALLINT→SHORT, INT→INT, BIGINT→LONG, FLOAT, DOUBLE, DATE,
// DATETIME, CHAR(n)/VARCHAR(n)/STRING→STRING (and the aliases INTEGER, BOOL, TEXT, DATEV2,
// DATETIMEV2). DECIMAL is refused with the advice to use DOUBLE or BIGINT of scaled units; any
// other name is an error listing the supported ones. Errors name the column.
Result<SqlColumnType> BindColumnType(const std::string& column, const std::string& type_name,
                                     const std::vector<int64_t>& params);
// Re-reads the canonical text BindColumnType produced ("VARCHAR(32)").
Result<SqlColumnType> ParseColumnTypeText(const std::string& column, const std::string& text);

// `value` (a literal or an evaluated expression) as a value of `type` for column `column`:
// strings parse as the type ('2020-01-05' → DATE), integers must fit (TINYINT -127..127: the
// type's smallest value is Strata's NULL), decimals round to integers, CHAR/VARCHAR(n) refuse
// strings longer than n bytes. NULL gives the type's NULL. InvalidArgument naming the column,
// the value and the type.
Result<Scalar> ConvertToColumn(const Value& value, const SqlColumnType& type,
                               const std::string& column);

// A whole column (an INSERT ... SELECT's) as a column of `type`: at once when nothing can be
// lost (the same type, strings within the length, integer and floating widening), value by
// value as ConvertToColumn otherwise. InvalidArgument naming the row, the column and the value.
Result<ColumnPtr> ConvertColumnToColumn(const ColumnPtr& column, const SqlColumnType& type,
                                        const std::string& name);

// The name MySQL gives a result column of `type`: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT,
// FLOAT, DOUBLE, DATE, DATETIME, TIME, VARCHAR, ...
std::string MySqlTypeName(Type type);

// A value as MySQL prints it: 2020-01-05, 2020-01-05 10:00:00, 2.5, abc; booleans 1/0.
std::string MySqlText(const Scalar& value);

// A literal as SQL text: 'text' (quotes doubled), numbers as written, NULL.
std::string SqlLiteralText(const Scalar& value);

}  // namespace strata
