#include "sql/table_store.h"

#include "base/strings.h"

namespace strata {

Result<SqlTableHandle> OpenSqlTable(DatabaseService& databases, const std::string& db,
                                    const std::string& table) {
  SqlTableHandle handle;
  handle.db = db;
  ASSIGN_OR_RETURN(handle.ref, databases.GetTable(db, table));
#ifdef STRATA_SQL_TABLE_OPTIONS
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
#else
  ASSIGN_OR_RETURN(handle.scheme, databases.SchemeOf(handle.ref.db));
#endif
  handle.definition =
      SqlTableDefinition::FromSchema(handle.ref.table.schema, handle.ref.table.partition_columns);
  return handle;
}

Status CreateSqlTable(DatabaseService& databases, const std::string& db, const std::string& table,
                      const SqlTableDefinition& definition, const PartitionScheme* scheme) {
#ifdef STRATA_SQL_TABLE_OPTIONS
  TableOptions options;
  options.scheme = scheme;
  options.definition = definition.ToJson();
  std::vector<std::string> partition_columns;
  if (scheme) partition_columns = definition.PartitionColumns();
  return databases.CreateTable(db, table, definition.ToSchema(), partition_columns, options)
      .status();
#else
  if (scheme) {
    return Unimplemented(
        "tables with their own partitions need the engine's per-table schemes, "
        "which this build lacks");
  }
  return databases.CreateTable(db, table, definition.ToSchema(), {}).status();
#endif
}

Status AlterSqlTableScheme(DatabaseService& databases, const std::string& db,
                           const std::string& table, const PartitionScheme& scheme) {
#ifdef STRATA_SQL_TABLE_OPTIONS
  return databases.AlterTablePartitions(db, table, scheme);
#else
  (void)databases, (void)db, (void)table, (void)scheme;
  return Unimplemented("ALTER TABLE ... PARTITION needs the engine's per-table schemes");
#endif
}

Result<std::vector<DatabaseRecord>> ListOpenableDatabases(DatabaseService& databases,
                                                          Engine& engine) {
#ifdef STRATA_SQL_TABLE_OPTIONS
  (void)engine;
  return databases.ListDatabases();
#else
  ASSIGN_OR_RETURN(auto all, engine.ListDatabases(*engine.PinLatest()));
  std::vector<DatabaseRecord> out;
  for (auto& db : all) {
    if (databases.Check(db.name, DatabaseAccess::kRead).ok() ||
        databases.Check(db.name, DatabaseAccess::kWrite).ok()) {
      out.push_back(std::move(db));
    }
  }
  return out;
#endif
}

}  // namespace strata
