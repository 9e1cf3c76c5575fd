// Which types a partition level may hold, which column types it accepts, and the conversions
// of columns and filter values to the level's type. Stateless functions; thread-safe.
#pragma once

#include <optional>

#include "base/status.h"
#include "partition/partition_scheme.h"
#include "types/column.h"
#include "types/scalar.h"

namespace strata {

// OK if a `kind` scheme may hold values of `type`: CHAR, SHORT, INT, LONG (HASH only), DATE,
// MONTH, TIME, MINUTE, SECOND, DATETIME, SYMBOL, STRING. Else InvalidArgument naming the type
// and what to use instead (FLOAT/DOUBLE get their own message).
Status CheckSchemeValueType(Type type, PartitionType kind);

// CheckSchemeValueType for named RANGE/LIST partitions (Doris): also LONG (BIGINT), and no
// SYMBOL/STRING RANGE. InvalidArgument naming the type and what to use instead.
Status CheckNamedValueType(Type type, PartitionType kind);

// DATE, MONTH, DATETIME, TIMESTAMP, NANOTIMESTAMP: the temporal types that carry a date.
bool IsDateBearing(Type type);

// True if a temporal value of `from` has a meaningful value of `to`: any date-bearing type
// (DATE, MONTH, DATETIME, TIMESTAMP, NANOTIMESTAMP) to another, and anything with a time of day
// to a time-of-day type (TIME, MINUTE, SECOND, NANOTIME).
bool TemporalConvertible(Type from, Type to);

// OK if a column of `column_type` can be partitioned by a level of `level_type` (see
// PartitionScheme::CheckColumnType); else InvalidArgument naming both types and the level's
// 1-based `position`.
Status CheckLevelColumnType(Type level_type, Type column_type, size_t position);

// `column` in the storage the level reads: unchanged when the types match or are both
// SYMBOL/STRING; otherwise converted (integers range-checked, temporal values floored to the
// level's unit). InvalidArgument naming the value and the column position when a value does not
// convert, or when the column type does not fit the level.
Result<ColumnPtr> ConvertToLevelType(const ColumnPtr& column, Type level_type, size_t position);

// A filter value as a value of `level_type` (the level value of the partition that would hold
// it), or nullopt when its type cannot address such a level. A NULL stays NULL; integers are not
// range-checked (an out-of-range value simply selects nothing).
std::optional<Scalar> ToLevelValue(const Scalar& value, Type level_type);

// The error for a NULL at row index `row` of partition column `position` (1-based).
Status NullPartitionValue(size_t position, size_t row);

}  // namespace strata
