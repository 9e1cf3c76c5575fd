// How the SQL front end keeps its tables in the service layer: a table made by CREATE TABLE
// carries its own partition scheme and its SQL definition (TableRecord::scheme/definition,
// DatabaseService::CreateTable with TableOptions); a table a script made has neither, and is
// shown with types derived from its Schema. Internal to the sql module.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "partition/partition_scheme.h"
#include "service/database_service.h"
#include "sql/binder_table.h"

namespace strata {

struct SqlTableHandle {
  std::string db;  // "dfs://shop"
  TableRef ref;
  SqlTableDefinition definition;
  bool made_by_sql = false;                 // definition read from the catalog
  std::unique_ptr<PartitionScheme> scheme;  // the table's (or its database's) scheme
};

Result<SqlTableHandle> OpenSqlTable(DatabaseService& databases, const std::string& db,
                                    const std::string& table);
// Creates the table with its own `scheme` (null: an unpartitioned table) and `definition`.
Status CreateSqlTable(DatabaseService& databases, const std::string& db, const std::string& table,
                      const SqlTableDefinition& definition, const PartitionScheme* scheme);
// Replaces the table's scheme (ADD/DROP PARTITION); chunks the new scheme does not name go.
Status AlterSqlTableScheme(DatabaseService& databases, const std::string& db,
                           const std::string& table, const PartitionScheme& scheme);

}  // namespace strata
