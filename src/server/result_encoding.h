// How SQL results and parameters look on the wire: a result column's MySQL type, length and
// flags from the type name the SQL session gives it (INT, BIGINT, VARCHAR, DATETIME, ...), a
// cell as text-protocol text or as binary-protocol bytes, and a prepared statement's parameter
// as a typed cell. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "server/protocol.h"
#include "sql/result_set.h"

namespace strata {

// The definition of result column `name` whose SQL type is `type_name`.
ColumnSpec ColumnSpecFor(const std::string& name, const std::string& type_name);

// A cell's text-protocol form: MySQL's text, or nullopt for NULL.
TextCell TextOfCell(const SqlCell& cell);

// A binary-protocol row (header, NULL bitmap, values in the columns' types), into `out`.
void BuildBinaryRow(const std::vector<ColumnSpec>& columns, const std::vector<SqlCell>& row,
                    std::string* out);

// A prepared statement's parameter as a cell: integers BIGINT, reals DOUBLE, dates DATE,
// date-times DATETIME, times TIME, everything else a string. InvalidArgument for a value
// Strata cannot hold (an unsigned BIGINT above 2^63 - 1, a date with month 13).
Result<SqlCell> CellOfParameter(const StatementParameter& parameter);

}  // namespace strata
