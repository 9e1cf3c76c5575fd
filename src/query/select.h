// The select engine: executes select/exec queries over in-memory tables and over partitioned
// tables of the engine. For partitioned tables it pins one snapshot, prunes partitions with
// the predicates on partition columns, reads only the columns the query uses, answers
// `count(*)` from metadata, and streams plain aggregates chunk by chunk so memory stays
// bounded by one chunk.
#pragma once

#include <memory>

#include "engine/engine.h"
#include "query/ast.h"
#include "query/dfs_table.h"
#include "query/eval_context.h"

namespace strata {

Result<Value> ExecuteSelect(const SelectQuery& query, EvalContext& context);

// The rows of a select produced a segment at a time, so a result of any size is never whole in
// memory.
class SelectStream {
 public:
  virtual ~SelectStream() = default;
  // The next rows, a table with the select's columns; nullptr after the last. The first call
  // always gives a table, empty when no row matches.
  virtual Result<TablePtr> Next() = 0;
};

// A stream of `query`'s rows when it can be answered a segment at a time: a `select` (not
// `exec`) from a table of the engine, without GROUP BY, ORDER BY or TOP, whose columns and
// conditions each depend on one row (columns, constants, arithmetic, comparisons, logic,
// IN/BETWEEN/LIKE a constant, abs, isNull); LIMIT and OFFSET apply across segments. It holds
// one segment's rows at a time. A null stream when the query needs its rows at once (run it with
// ExecuteSelect). The stream pins the table's snapshot until it is destroyed, and owns `context`.
Result<std::unique_ptr<SelectStream>> OpenSelectStream(const SelectQuery& query,
                                                       std::unique_ptr<EvalContext> context);

// `table` with `update`'s assignments made in the rows its conditions select (all without
// any): values keep their column's type (converted, or an error naming the column); a column
// the table lacks is added, NULL in the rows not selected. Every value is computed on the table
// as it was. `selected_rows` (optional) receives how many rows the conditions selected.
Result<TablePtr> UpdateTable(const UpdateQuery& update, const TablePtr& table, EvalContext& context,
                             size_t* selected_rows = nullptr);

// update of a partitioned table, as DolphinDB does it: partition by partition (pruned by the
// conditions on partitioning columns), every value computed on the partition's rows as they
// were, so aggregates are per partition. Returns the partitions the conditions select rows in,
// each with its new rows, for DatabaseService::RewriteChunks to commit at once. Refused with
// an error naming the column: a column the table lacks, a partitioning column.
Result<std::vector<ChunkRewrite>> PlanDfsUpdate(const UpdateQuery& update,
                                                const DfsTableObject& dfs, EvalContext& context);

// Runs `query` on the in-memory `table` in place of its from clause (SQL-mode backups run a
// query on one partition's rows at a time).
Result<Value> ExecuteSelectOn(const SelectQuery& query, TablePtr table, EvalContext& context);

}  // namespace strata
