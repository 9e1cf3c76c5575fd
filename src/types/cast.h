// Conversions between types: numeric widening/narrowing, temporal unit changes
// (TIMESTAMP → DATE, DATE → MONTH, ...), string ↔ symbol, text → any type (parsing) and any
// type → text. Used when appending a table into a schema, by CSV import, and by the script's
// conversion functions.
#pragma once

#include <string_view>

#include "base/status.h"
#include "types/column.h"
#include "types/scalar.h"

namespace strata {

// Parses `text` as a value of `type` ("2017.08.07" or "2017-08-07" for DATE, "12" for INT,
// "" for NULL). InvalidArgument naming the text and the type when it does not parse.
Result<Scalar> ParseScalar(std::string_view text, Type type);

// Converts `value` to `type`; InvalidArgument naming both types when no conversion exists.
Result<Scalar> CastScalar(const Scalar& value, Type type);

// Converts a whole column; fast paths for numeric and temporal columns.
Result<Column> CastColumn(const Column& column, Type type);

// True if a column of type `from` may be stored in a column of type `to` without a change of
// meaning (same type, numeric widening, SYMBOL↔STRING, temporal unit changes).
bool IsImplicitlyConvertible(Type from, Type to);

}  // namespace strata
