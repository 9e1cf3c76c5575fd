// Vectorized operators on values: arithmetic, comparison, logic, ranges, pairs, membership.
// Scalars broadcast against vectors; vectors must have equal lengths. NULL propagates through
// arithmetic and, as in DolphinDB, compares as the smallest value of its type. Integer `/`
// divides as integers (DolphinDB's rule); any floating operand makes the result DOUBLE.
#pragma once

#include "base/status.h"
#include "query/ast.h"
#include "types/value.h"

namespace strata {

Result<Value> ApplyBinary(BinaryOp op, const Value& left, const Value& right);
Result<Value> ApplyUnary(UnaryOp op, const Value& operand);
// SQL's comparisons: where `op` compares (=, !=, <, <=, >, >=) and either operand is NULL, or
// tests its left operand (in, between, like) and that is NULL, the result `ApplyBinary` gave is
// made NULL (unknown). Other operators pass unchanged.
Value UnknownWhereNull(BinaryOp op, Value result, const Value& left, const Value& right);
// SQL's three-valued `and`/`or` (`op`) and `not`: a NULL operand is unknown; unknown and false
// is false, unknown or true is true, otherwise an unknown operand makes the result unknown
// (NULL), and not unknown is unknown. The script dialect's ApplyBinary/ApplyUnary treat NULL as
// false instead.
Result<Value> SqlLogical(BinaryOp op, const Value& left, const Value& right);
Result<Value> SqlNot(const Value& operand);

// The operator's source text, for messages ("+", "==", "in").
const char* BinaryOpText(BinaryOp op);

// Converts `value` (scalar, vector or pair) to a column of its elements; a scalar gives one.
// InvalidArgument naming the form for tables, tuples and functions.
Result<Column> ToColumn(const Value& value);

// The truth of every element of a BOOL (or numeric) value, broadcast to `rows` when scalar.
Result<std::vector<uint8_t>> ToMask(const Value& value, size_t rows);

}  // namespace strata
