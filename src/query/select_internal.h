// Internal entry points of the select engine, shared by select.cc and select_dfs.cc.
#pragma once

#include "query/ast.h"
#include "query/dfs_table.h"
#include "query/eval_context.h"

namespace strata {

// The rows of `table` for which every condition of `where` holds.
Result<TablePtr> FilterRows(const std::vector<ExprPtr>& where, const TablePtr& table,
                            EvalContext& context);

// Runs `query` on an in-memory table; `where_done` when its rows are already filtered.
Result<Value> SelectOnTable(const SelectQuery& query, TablePtr table, EvalContext& context,
                            bool where_done);

// Runs `query` on a table of the engine.
Result<Value> SelectOnDfsTable(const SelectQuery& query, const DfsTableObject& dfs,
                               EvalContext& context);

}  // namespace strata
