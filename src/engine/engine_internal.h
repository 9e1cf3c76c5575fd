// Helpers shared by the engine's source files (not part of its public interface).
#pragma once

#include <string>
#include <vector>

#include "catalog/records.h"
#include "partition/partition_scheme.h"

namespace strata {

// A short opaque physical index, unique among `taken`: 3 base-62 characters.
std::string NewPhysicalIndex(const std::vector<TableRecord>& taken);

// Letters, digits and '_', not starting with a digit.
bool ValidIdentifier(const std::string& name);

// OK if a table `table_name` with `schema` and `partition_columns` can be laid out by `scheme`
// (the database `db_name`'s, or the table's own when `own_scheme`); otherwise InvalidArgument
// naming the name, column or type at fault.
Status CheckTableDefinition(const std::string& db_name, const std::string& table_name,
                            const Schema& schema, const std::vector<std::string>& partition_columns,
                            const PartitionScheme& scheme, bool own_scheme);

// "dfs://name" with a non-empty name; otherwise InvalidArgument naming the path.
Status CheckDatabaseName(const std::string& name);

}  // namespace strata
