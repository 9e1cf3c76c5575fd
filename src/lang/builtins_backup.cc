// Builtins of the DolphinDB backup family (spec/dolphindb-api.md): backup, restore, backupDB,
// backupTable, restoreDB, restoreTable and migrate. They translate arguments into
// BackupService specs and outcomes into values; the rules (grants, jobs, one backup or restore
// per database, capabilities) live in the service. The inspection builtins are in
// builtins_backup_inspect.cc.
#include "lang/builtins_backup.h"

#include "auth/auth.h"
#include "base/strings.h"
#include "lang/ast_printer.h"
#include "lang/builtin_args.h"
#include "lang/script_remedy.h"
#include "query/dfs_table.h"
#include "query/evaluator.h"
#include "service/backup_service.h"

namespace strata {

Status BackupPrelude(Interpreter& in, const char* function) {
  if (in.engine() == nullptr) return FailedPrecondition("no data directory is open");
  Status logged_in = CheckLoggedIn(in.user());
  if (!logged_in.ok()) return logged_in.WithContext(function);
  return Status::Ok();
}

Result<std::string> KeyPathArg(const Value& v, const char* function) {
  return OptionalStringArg(v, function, "keyPath", "");
}

void AddBackupBuiltin(Interpreter& in, std::string name, std::vector<std::string> params,
                      size_t required, BackupBuiltin body) {
  Interpreter* self = &in;
  in.registry().Register({std::move(name), std::move(params), required, false,
                          [self, body = std::move(body)](EvalContext&, std::vector<Value>& a) {
                            return body(*self, a);
                          }});
}

namespace {

Scalar Str(const std::string& s) { return Scalar::String(Type::kString, s); }

// backup(dir, <select ...>): the query's table, passed through to the backup.
Status ParseSqlBackup(Interpreter& in, const MetacodeObject& metacode, std::vector<Value>& a,
                      BackupRequest& r) {
  const ExprPtr& expr = metacode.expr();
  if (expr->kind != ExprKind::kSelect) {
    return InvalidArgument("backup takes a dbPath or SQL metacode <select ...>, got metacode " +
                           ToString(expr));
  }
  for (auto [index, name] : {std::pair{4, "snapshot"}, {5, "tableName"}, {6, "partition"}}) {
    if (!a[index].is_void()) {
      return InvalidArgument(std::string(name) +
                             " applies to copy-files backups (dbPath); a SQL backup selects "
                             "its table and rows in the query");
    }
  }
  r.method = BackupMethod::kSql;
  const SelectQuery& query = *expr->select;
  if (!query.from) return InvalidArgument("the backup query needs a from clause");
  ASSIGN_OR_RETURN(Value source, Evaluate(*query.from, in));
  const DfsTableObject* table = AsDfsTable(source);
  if (table == nullptr) {
    return InvalidArgument(
        "a SQL backup reads from a table of a database, such as "
        "loadTable(\"dfs://db\", \"t\"), got a " +
        source.Describe());
  }
  r.database = table->db_name();
  r.sql_table = table->table_name();
  r.sql_text = ToString(expr);
  ASSIGN_OR_RETURN(TableRef ref, in.databases().GetTable(r.database, r.sql_table));
  ASSIGN_OR_RETURN(r.rows, BoundSelect::Bind(query, ref.table.schema, r.sql_table, in,
                                             NullSemantics::kDolphinDb));
  return Status::Ok();
}

Result<BackupSpec> ParseBackup(Interpreter& in, std::vector<Value>& a) {
  BackupSpec spec;
  ASSIGN_OR_RETURN(spec.dir, StringArg(a[0], "backup", "backupDir"));
  BackupRequest& r = spec.request;
  const MetacodeObject* metacode =
      a[1].is_object() ? dynamic_cast<const MetacodeObject*>(a[1].object().get()) : nullptr;
  if (metacode != nullptr) {
    RETURN_IF_ERROR(ParseSqlBackup(in, *metacode, a, r));
  } else {
    ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], "backup"));
    if (!a[5].is_void()) {
      ASSIGN_OR_RETURN(r.tables, StringListArg(a[5], "backup", "tableName"));
    }
    if (!a[6].is_void()) {
      ASSIGN_OR_RETURN(r.partitions, PartitionSelection::FromValue(a[6]));
    }
  }
  ASSIGN_OR_RETURN(r.force, BoolArg(a[2], "backup", "force", false));
  ASSIGN_OR_RETURN(r.parallel, BoolArg(a[3], "backup", "parallel", false));
  ASSIGN_OR_RETURN(r.snapshot, BoolArg(a[4], "backup", "snapshot", true));
  return spec;
}

Result<Value> RunBackupSpec(Interpreter& in, BackupSpec spec) {
  ASSIGN_OR_RETURN(BackupOutcome outcome, BackupService(in.session()).Backup(std::move(spec)));
  return Value(Scalar::Int(Type::kInt, outcome.units_written));
}

Result<Value> Backup(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(BackupPrelude(in, "backup"));
  ASSIGN_OR_RETURN(BackupSpec spec, ParseBackup(in, a));
  ASSIGN_OR_RETURN(spec.key_path, KeyPathArg(a[7], "backup"));
  return RunBackupSpec(in, std::move(spec));
}

// backupDB / backupTable: backup(dir, db, force=false, parallel=true, snapshot=true[, table]).
Result<Value> BackupWrapper(Interpreter& in, std::vector<Value>& a, bool one_table) {
  const char* function = one_table ? "backupTable" : "backupDB";
  RETURN_IF_ERROR(BackupPrelude(in, function));
  BackupSpec spec;
  ASSIGN_OR_RETURN(spec.key_path, KeyPathArg(a.back(), function));
  ASSIGN_OR_RETURN(spec.dir, StringArg(a[0], function, "backupDir"));
  ASSIGN_OR_RETURN(spec.request.database, NamedDatabaseArg(a[1], function));
  if (one_table) {
    ASSIGN_OR_RETURN(std::string table, StringArg(a[2], function, "tableName"));
    spec.request.tables = {table};
  }
  spec.request.parallel = true;
  return RunBackupSpec(in, std::move(spec));
}

Result<Value> Restore(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(BackupPrelude(in, "restore"));
  RestoreSpec spec;
  ASSIGN_OR_RETURN(spec.key_path, KeyPathArg(a[8], "restore"));
  ASSIGN_OR_RETURN(spec.dir, StringArg(a[0], "restore", "backupDir"));
  RestoreRequest& r = spec.request;
  ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], "restore"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[2], "restore", "tableName"));
  r.tables = {table};
  ASSIGN_OR_RETURN(r.pattern, StringArg(a[3], "restore", "partition"));
  ASSIGN_OR_RETURN(r.force, BoolArg(a[4], "restore", "force", false));
  if (!a[5].is_void()) {
    const DfsTableObject* output = AsDfsTable(a[5]);
    if (output == nullptr) {
      return InvalidArgument(
          "argument 'outputTable' of restore must be a table of a database "
          "(loadTable(...)), got a " +
          a[5].Describe());
    }
    r.target_database = output->db_name();
    r.target_names[table] = output->table_name();
  }
  ASSIGN_OR_RETURN(r.parallel, BoolArg(a[6], "restore", "parallel", false));
  ASSIGN_OR_RETURN(r.snapshot, BoolArg(a[7], "restore", "snapshot", false));
  ASSIGN_OR_RETURN(r.snapshot_id, OptionalStringArg(a[9], "restore", "snapshotId", ""));
  r.want_paths = true;  // restore returns them
  ASSIGN_OR_RETURN(RestoreOutcome outcome, BackupService(in.session()).Restore(spec));
  Column paths(Type::kString);
  for (const auto& p : outcome.chunk_paths) paths.Append(Str(p));
  return Value::Vector(std::move(paths));
}

// A table of (dbName, tableName[, success, errorMsg]) rows.
Result<Value> RestoredTables(const std::vector<MigratedTable>& rows, bool with_status) {
  Column dbs(Type::kString), tables(Type::kString), success(Type::kBool), messages(Type::kString);
  for (const auto& row : rows) {
    dbs.Append(Str(row.database));
    tables.Append(Str(row.table));
    success.Append(Scalar::Int(Type::kBool, row.status.ok() ? 1 : 0));
    messages.Append(Str(row.status.ok() ? "" : ScriptMessage(row.status)));
  }
  if (!with_status) {
    return MakeTableValue({"dbName", "tableName"},
                          {Value::Vector(std::move(dbs)), Value::Vector(std::move(tables))});
  }
  return MakeTableValue({"dbName", "tableName", "success", "errorMsg"},
                        {Value::Vector(std::move(dbs)), Value::Vector(std::move(tables)),
                         Value::Vector(std::move(success)), Value::Vector(std::move(messages))});
}

// restoreDB(backupDir, dbPath, [newDBPath]) and restoreTable(backupDir, dbPath, tableName,
// [newDBPath], [newTableName]): every (or one) table, creating what is missing.
Result<Value> RestoreWrapper(Interpreter& in, std::vector<Value>& a, bool one_table) {
  const char* function = one_table ? "restoreTable" : "restoreDB";
  RETURN_IF_ERROR(BackupPrelude(in, function));
  RestoreSpec spec;
  ASSIGN_OR_RETURN(spec.key_path, KeyPathArg(a.back(), function));
  // Both pages: "can only restore a database backed up by copying files".
  spec.methods = RestoreMethods::kCopyFilesOnly;
  // restoreDB's page: "the storage engine of the backed-up database is the same as the engine
  // of newDBPath"; the tutorial's table says restoreTable may cross engines.
  spec.same_engine = !one_table;
  ASSIGN_OR_RETURN(spec.dir, StringArg(a[0], function, "backupDir"));
  RestoreRequest& r = spec.request;
  ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], function));
  size_t next = one_table ? 3 : 2;
  std::string table;
  if (one_table) {
    ASSIGN_OR_RETURN(table, StringArg(a[2], function, "tableName"));
    r.tables = {table};
  }
  ASSIGN_OR_RETURN(r.target_database, OptionalStringArg(a[next], function, "newDBPath", ""));
  if (one_table) {
    ASSIGN_OR_RETURN(std::string renamed,
                     OptionalStringArg(a[next + 1], function, "newTableName", table));
    r.target_names[table] = renamed;
  }
  r.create_missing = true;
  // "equivalent to restore(backupDir, dbPath, tableName, force=false, parallel=true,
  // snapshot=true)": target partitions the backup does not have are dropped.
  r.parallel = true;
  r.snapshot = true;
  RETURN_IF_ERROR(BackupService(in.session()).Restore(spec).status());
  std::string target = r.target_database.empty() ? r.database : r.target_database;
  std::vector<MigratedTable> rows;
  for (const auto& t : r.tables) {
    auto renamed = r.target_names.find(t);
    rows.push_back({target, renamed == r.target_names.end() ? t : renamed->second, Status::Ok()});
  }
  return RestoredTables(rows, /*with_status=*/false);
}

// migrate(backupDir, [backupDBPath], [backupTableName], [newDBPath], [newTableName]): each table
// restored on its own into a fresh table; failures are reported per table.
Result<Value> Migrate(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(BackupPrelude(in, "migrate"));
  MigrateSpec spec;
  ASSIGN_OR_RETURN(spec.key_path, KeyPathArg(a[5], "migrate"));
  ASSIGN_OR_RETURN(spec.dir, StringArg(a[0], "migrate", "backupDir"));
  ASSIGN_OR_RETURN(spec.database, OptionalStringArg(a[1], "migrate", "backupDBPath", ""));
  ASSIGN_OR_RETURN(spec.table, OptionalStringArg(a[2], "migrate", "backupTableName", ""));
  ASSIGN_OR_RETURN(spec.new_database, OptionalStringArg(a[3], "migrate", "newDBPath", ""));
  ASSIGN_OR_RETURN(spec.new_table, OptionalStringArg(a[4], "migrate", "newTableName", ""));
  ASSIGN_OR_RETURN(auto migrated, BackupService(in.session()).Migrate(spec));
  return RestoredTables(migrated, /*with_status=*/true);
}

}  // namespace

void RegisterBackupFunctions(Interpreter& in) {
  auto add = [&in](std::string name, std::vector<std::string> params, size_t required,
                   BackupBuiltin body) {
    AddBackupBuiltin(in, std::move(name), std::move(params), required, std::move(body));
  };

  // The signatures of DolphinDB's pages; "dbPath|sqlObj" takes either name. restore's
  // snapshotId (an older snapshot) is Strata's, after DolphinDB's parameters.
  add("backup",
      {"backupDir", "dbPath|sqlObj", "force", "parallel", "snapshot", "tableName", "partition",
       "keyPath"},
      2, Backup);
  add("backupDB", {"backupDir", "dbPath", "keyPath"}, 2,
      [](Interpreter& in, std::vector<Value>& a) { return BackupWrapper(in, a, false); });
  add("backupTable", {"backupDir", "dbPath", "tableName", "keyPath"}, 3,
      [](Interpreter& in, std::vector<Value>& a) { return BackupWrapper(in, a, true); });
  add("restore",
      {"backupDir", "dbPath", "tableName", "partition", "force", "outputTable", "parallel",
       "snapshot", "keyPath", "snapshotId"},
      4, Restore);
  add("restoreDB", {"backupDir", "dbPath", "newDBPath", "keyPath"}, 2,
      [](Interpreter& in, std::vector<Value>& a) { return RestoreWrapper(in, a, false); });
  add("restoreTable", {"backupDir", "dbPath", "tableName", "newDBPath", "newTableName", "keyPath"},
      3, [](Interpreter& in, std::vector<Value>& a) { return RestoreWrapper(in, a, true); });
  add("migrate",
      {"backupDir", "backupDBPath", "backupTableName", "newDBPath", "newTableName", "keyPath"}, 1,
      Migrate);
  RegisterBackupInspectionFunctions(in);
}

}  // namespace strata
