// BoundSelect: a select query bound to the schema of the one table it reads, ready to run on
// any number of threads. Binding resolves every name once: a column of the table stays a
// column, any other name becomes the constant its variable held at bind time, and every call
// must name a built-in function of this module (CoreFunctions); subtrees that read no column
// are folded into constants. The result needs no interpreter and no session, so a SQL-mode
// backup evaluates it on every worker at once. Each dialect chooses its NULL semantics.
// Immutable once bound; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/ast.h"
#include "query/eval_context.h"
#include "query/pruning.h"
#include "types/table.h"

namespace strata {

class BoundSelect {
 public:
  // Binds `query` (its from clause is ignored: the rows come from Apply) to `schema`, the
  // schema of table `table_name`, reading variables from `context`. InvalidArgument naming the
  // name or construct that cannot be bound: a name that is neither a column nor a variable, a
  // call of a function that is not built in (a user function, a lambda, a nested query).
  static Result<std::shared_ptr<const BoundSelect>> Bind(const SelectQuery& query,
                                                         const Schema& schema,
                                                         const std::string& table_name,
                                                         EvalContext& context, NullSemantics nulls);

  // Runs the query on `rows` (a table with the bound schema). Thread-safe.
  Result<Value> Apply(TablePtr rows) const;
  // The where conditions usable to skip partitions before reading them (pruning.h).
  std::vector<PrunePredicate> PrunePredicates(
      const std::vector<std::string>& partition_columns) const;

  // The bound query: names resolved, constants folded.
  const SelectQuery& query() const { return query_; }
  const Schema& schema() const { return schema_; }
  NullSemantics nulls() const { return nulls_; }

 private:
  BoundSelect(SelectQuery query, Schema schema, NullSemantics nulls)
      : query_(std::move(query)), schema_(std::move(schema)), nulls_(nulls) {}

  SelectQuery query_;
  Schema schema_;
  NullSemantics nulls_;
};

// The built-in functions of this module, registered once per process (immutable).
const FunctionRegistry& CoreFunctions();

}  // namespace strata
