// The select engine: executes select/exec queries over in-memory tables and over partitioned
// tables of the engine. For partitioned tables it pins one snapshot, prunes partitions with
// the predicates on partition columns, reads only the columns the query uses, answers
// `count(*)` from metadata, and streams plain aggregates chunk by chunk so memory stays
// bounded by one chunk.
#pragma once

#include "query/ast.h"
#include "query/eval_context.h"

namespace strata {

Result<Value> ExecuteSelect(const SelectQuery& query, EvalContext& context);

// Runs `query` on the in-memory `table` in place of its from clause (SQL-mode backups run a
// query on one partition's rows at a time).
Result<Value> ExecuteSelectOn(const SelectQuery& query, TablePtr table, EvalContext& context);

}  // namespace strata
