// Partition pruning: finds, among a query's where conditions, the ones on partition columns
// with constant operands (`date = 2017.08.07`, `ID < 50`, `date in [...]`, `date between a and
// b`) so the select engine can skip partitions that cannot match before reading any segment.
#pragma once

#include <string>
#include <vector>

#include "partition/partition_scheme.h"
#include "query/ast.h"
#include "query/eval_context.h"

namespace strata {

struct PrunePredicate {
  size_t level = 0;
  LevelPredicate predicate;
  size_t where_index = 0;        // which where condition it comes from
  bool whole_condition = false;  // it is that whole condition (not one side of an `and`)
};

// Predicates usable for pruning. Conditions that are not of a usable shape are ignored (they
// are still evaluated on the rows), so the result is always safe to apply.
std::vector<PrunePredicate> ExtractPrunePredicates(
    const std::vector<ExprPtr>& where, const std::vector<std::string>& partition_columns,
    const Schema& schema, EvalContext& context);

}  // namespace strata
