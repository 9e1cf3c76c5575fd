#include "sql/table_store.h"

#include "base/strings.h"

namespace strata {

Result<SqlTableHandle> OpenSqlTable(DatabaseService& databases, const std::string& db,
                                    const std::string& table) {
  SqlTableHandle handle;
  handle.db = db;
  auto ref = databases.GetTable(db, table);
  if (!ref.ok()) {
    auto db_exists = databases.DatabaseExists(db);
    if (ref.status().code() == StatusCode::kNotFound && db_exists.ok() && *db_exists) {
      std::string doris_db = db.rfind("dfs://", 0) == 0 ? db.substr(6) : db;
      return NotFound("table " + Quote(table) + " does not exist in database " + Quote(doris_db) +
                      "; SHOW TABLES FROM " + doris_db +
                      " lists its tables, CREATE TABLE makes one");
    }
    return ref.status();
  }
  handle.ref = std::move(*ref);
  ASSIGN_OR_RETURN(handle.scheme, databases.SchemeOf(handle.ref));
  if (!handle.ref.table.definition.is_null()) {
    auto definition = SqlTableDefinition::FromJson(handle.ref.table.definition);
    if (!definition.ok()) {
      return definition.status().WithContext("table " + Quote(table) + " of " + Quote(db));
    }
    handle.definition = std::move(*definition);
    handle.made_by_sql = true;
    return handle;
  }
  handle.definition =
      SqlTableDefinition::FromSchema(handle.ref.table.schema, handle.ref.table.partition_columns);
  return handle;
}

Status CreateSqlTable(DatabaseService& databases, const std::string& db, const std::string& table,
                      const SqlTableDefinition& definition, const PartitionScheme* scheme) {
  TableOptions options;
  options.scheme = scheme;
  options.definition = definition.ToJson();
  std::vector<std::string> partition_columns;
  if (scheme) partition_columns = definition.PartitionColumns();
  return databases.CreateTable(db, table, definition.ToSchema(), partition_columns, options)
      .status();
}

Status AlterSqlTableScheme(DatabaseService& databases, const std::string& db,
                           const std::string& table, const PartitionScheme& scheme) {
  return databases.AlterTablePartitions(db, table, scheme).status();
}

}  // namespace strata
