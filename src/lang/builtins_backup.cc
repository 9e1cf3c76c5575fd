// Builtins of the DolphinDB backup family (spec/dolphindb-api.md): backup, restore, backupDB,
// backupTable, restoreDB, restoreTable, migrate, getBackupList, getBackupMeta, loadBackup,
// checkBackup; and Strata's own getBackupSnapshots and pruneBackup. Each backup and restore
// runs as a job of the session (one per database at a time) with a progress display.
#include <set>

#include "auth/auth.h"
#include "backup/backup.h"
#include "backup/inspect.h"
#include "backup/prune.h"
#include "backup/restore.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "lang/ast_printer.h"
#include "lang/builtin_args.h"
#include "lang/interpreter.h"
#include "query/dfs_table.h"
#include "query/evaluator.h"
#include "types/cast.h"

namespace strata {

namespace {

Scalar Str(const std::string& s) { return Scalar::String(Type::kString, s); }

// The engine, with a logged-in user (every function of the family needs one).
Result<Engine*> Prelude(Interpreter& in, const char* function) {
  if (in.engine() == nullptr) return FailedPrecondition("no data directory is open");
  Status logged_in = CheckLoggedIn(in.user());
  if (!logged_in.ok()) return logged_in.WithContext(function);
  return in.engine();
}

// Access rules of repositories (docs/backup.md; DESIGN.md §8, the Doris rule): creating one
// and deleting snapshots need a superuser; backing up into an existing repository and
// restoring from it need only the database grants.
Result<bool> IsSuperuser(Interpreter& in) { return IsAdmin(in.engine()->catalog(), in.user()); }

// Whether the session may create a repository in `dir` (a superuser: true); anyone else may
// back up only into a repository that exists there, and is refused otherwise.
Result<bool> NeedRepositoryOrSuperuser(Interpreter& in, const std::string& dir) {
  ASSIGN_OR_RETURN(bool superuser, IsSuperuser(in));
  if (superuser) return true;
  auto existing = OpenBackupDir(dir, RepositoryOpen::kMustExist, in.store_settings());
  if (existing.ok()) return false;
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  return PermissionDenied("user " + Quote(in.user()) +
                          " may not create a backup repository in backupDir " + Quote(dir) +
                          " (it holds none): only a superuser may; ask one to run the first "
                          "backup there, or back up into an existing repository");
}

// OK for a superuser; PermissionDenied for anyone else: pruning deletes snapshots that other
// users' databases and restores may rely on.
Status NeedSuperuserToPrune(Interpreter& in, const std::string& dir) {
  ASSIGN_OR_RETURN(bool superuser, IsSuperuser(in));
  if (superuser) return Status::Ok();
  return PermissionDenied("user " + Quote(in.user()) + " may not prune backupDir " + Quote(dir) +
                          ": only a superuser may delete snapshots; ask one to run pruneBackup");
}

// Runs `work` as a foreground job of the session, drawing progress when a display is set.
Result<Value> RunJob(Interpreter& in, JobSpec spec, const std::string& title, const JobWork& work) {
  if (in.jobs() == nullptr) {
    return in.jobs_status().ok() ? FailedPrecondition("no job manager is running")
                                 : in.jobs_status();
  }
  spec.user = in.user();
  spec.exclusive = true;
  spec.parent = in.job_control();
  ProgressObserver* progress = in.progress();
  if (progress != nullptr) {
    progress->Start(title);
    spec.observer = [progress](const TaskProgress& p) { progress->Update(p); };
  }
  std::vector<std::string> warnings;
  auto result = in.jobs()->Run(spec, [&](TaskControl& control) {
    auto done = work(control);
    warnings = control.warnings();
    return done;
  });
  if (progress != nullptr) progress->Finish();
  for (const auto& w : warnings) in.Warn(w);
  return result;
}

Value IntValue(int64_t v) { return Value(Scalar::Int(Type::kInt, v)); }

// ---- backup

struct BackupCall {
  std::string dir;
  BackupRequest request;
};

// The repository in `dir` (reached with the session's store settings); never creates one.
Result<BackupLocation> OpenExisting(Interpreter& in, const std::string& dir) {
  ASSIGN_OR_RETURN(BackupLocation location,
                   OpenBackupDir(dir, RepositoryOpen::kMustExist, in.store_settings()));
  location.on_warning = [&in](const std::string& message) { in.Warn(message); };
  return location;
}

Result<BackupCall> ParseBackup(Interpreter& in, std::vector<Value>& a) {
  BackupCall call;
  ASSIGN_OR_RETURN(call.dir, StringArg(a[0], "backup", "backupDir"));
  BackupRequest& r = call.request;
  const MetacodeObject* metacode =
      a[1].is_object() ? dynamic_cast<const MetacodeObject*>(a[1].object().get()) : nullptr;
  if (metacode != nullptr) {
    const ExprPtr& expr = metacode->expr();
    if (expr->kind != ExprKind::kSelect) {
      return InvalidArgument("backup takes a dbPath or SQL metacode <select ...>, got metacode " +
                             ToString(expr));
    }
    if (call.dir.starts_with("s3://")) {
      return InvalidArgument(
          "an s3:// backupDir takes only dbPath (copy-files backups), not a "
          "SQL query");
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
  } else {
    ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], "backup"));
    if (!a[5].is_void()) {
      ASSIGN_OR_RETURN(r.tables, StringListArg(a[5], "backup", "tableName"));
    }
    if (!a[6].is_void()) r.partition = a[6];
  }
  ASSIGN_OR_RETURN(r.force, BoolArg(a[2], "backup", "force", false));
  ASSIGN_OR_RETURN(r.parallel, BoolArg(a[3], "backup", "parallel", false));
  ASSIGN_OR_RETURN(r.snapshot, BoolArg(a[4], "backup", "snapshot", true));
  return call;
}

Result<Value> DoBackup(Interpreter& in, BackupCall call) {
  Engine* engine = in.engine();
  const BackupRequest& r = call.request;
  RETURN_IF_ERROR(in.databases().Check(r.database, DatabaseAccess::kRead));
  // Checked again when the backup opens the directory: a repository removed in between is not
  // re-created by someone who may not create one.
  ASSIGN_OR_RETURN(call.request.create_repository, NeedRepositoryOrSuperuser(in, call.dir));
  bool files = r.method == BackupMethod::kFiles;
  JobSpec spec;
  spec.kind = files ? "BACKUP_BY_COPY_FILE" : "BACKUP_BY_SQL";
  spec.database = r.database;
  spec.table = files ? Join(r.tables, ",") : r.sql_table;
  spec.label = "backup to " + call.dir;
  return RunJob(
      in, spec, "backup " + r.database,
      [engine, &call, &settings = in.store_settings()](TaskControl& control) -> Result<Value> {
        ASSIGN_OR_RETURN(BackupOutcome outcome,
                         RunBackup(*engine, settings, call.dir, call.request, control));
        return IntValue(outcome.units_written);
      });
}

Result<Value> Backup(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(Prelude(in, "backup").status());
  ASSIGN_OR_RETURN(BackupCall call, ParseBackup(in, a));
  return DoBackup(in, std::move(call));
}

// backupDB / backupTable: backup(dir, db, force=false, parallel=true, snapshot=true[, table]).
Result<Value> BackupWrapper(Interpreter& in, std::vector<Value>& a, const char* function) {
  RETURN_IF_ERROR(Prelude(in, function).status());
  BackupCall call;
  ASSIGN_OR_RETURN(call.dir, StringArg(a[0], function, "backupDir"));
  ASSIGN_OR_RETURN(call.request.database, NamedDatabaseArg(a[1], function));
  if (a.size() > 2) {
    ASSIGN_OR_RETURN(std::string table, StringArg(a[2], function, "tableName"));
    call.request.tables = {table};
  }
  call.request.parallel = true;
  return DoBackup(in, std::move(call));
}

// ---- restore

// Restores from `manifest` (a snapshot of request.database in `location`) as a job.
Result<Value> DoRestore(Interpreter& in, BackupLocation& location, const Manifest& manifest,
                        const RestoreRequest& request) {
  Engine* engine = in.engine();
  const std::string& target =
      request.target_database.empty() ? request.database : request.target_database;
  RETURN_IF_ERROR(in.databases().Check(request.database, DatabaseAccess::kRead));
  RETURN_IF_ERROR(in.databases().Check(target, DatabaseAccess::kWrite));
  JobSpec spec;
  spec.kind = manifest.method == BackupMethod::kFiles ? "RESTORE_BY_COPY_FILE" : "RESTORE_BY_SQL";
  spec.database = target;
  spec.table = Join(request.tables, ",");
  spec.label = "restore from " + location.dir;
  RestoreOutcome outcome;
  ASSIGN_OR_RETURN(
      Value done, RunJob(in, spec, "restore " + target, [&](TaskControl& control) -> Result<Value> {
        ASSIGN_OR_RETURN(outcome, RunRestore(*engine, location, manifest, request, control));
        return IntValue(static_cast<int64_t>(outcome.chunk_paths.size()));
      }));
  (void)done;
  Column paths(Type::kString);
  for (const auto& p : outcome.chunk_paths) paths.Append(Str(p));
  return Value::Vector(std::move(paths));
}

Result<Value> Restore(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(Prelude(in, "restore").status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "restore", "backupDir"));
  RestoreRequest r;
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
  ASSIGN_OR_RETURN(std::string snapshot_id, OptionalStringArg(a[8], "restore", "snapshotId", ""));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  ASSIGN_OR_RETURN(Manifest manifest, ResolveSnapshot(location, r.database, snapshot_id));
  return DoRestore(in, location, manifest, r);
}

// A table of (dbName, tableName[, success, errorMsg]) rows.
Result<Value> RestoredTables(const std::vector<std::pair<std::string, std::string>>& rows,
                             const std::vector<std::string>* errors) {
  Column dbs(Type::kString), tables(Type::kString), success(Type::kBool), messages(Type::kString);
  for (size_t i = 0; i < rows.size(); ++i) {
    dbs.Append(Str(rows[i].first));
    tables.Append(Str(rows[i].second));
    if (errors != nullptr) {
      success.Append(Scalar::Int(Type::kBool, (*errors)[i].empty() ? 1 : 0));
      messages.Append(Str((*errors)[i]));
    }
  }
  if (errors == nullptr) {
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
  RETURN_IF_ERROR(Prelude(in, function).status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], function, "backupDir"));
  RestoreRequest r;
  ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], function));
  size_t next = 2;
  std::string table;
  if (one_table) {
    ASSIGN_OR_RETURN(table, StringArg(a[2], function, "tableName"));
    r.tables = {table};
    next = 3;
  }
  ASSIGN_OR_RETURN(r.target_database, OptionalStringArg(a[next], function, "newDBPath", ""));
  if (one_table) {
    ASSIGN_OR_RETURN(std::string renamed,
                     OptionalStringArg(a[next + 1], function, "newTableName", table));
    r.target_names[table] = renamed;
  }
  r.create_missing = true;
  r.parallel = true;  // as backupDB
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  ASSIGN_OR_RETURN(Manifest manifest, ResolveSnapshot(location, r.database, ""));
  if (!one_table && manifest.method != BackupMethod::kFiles) {
    return InvalidArgument("restoreDB restores copy-files backups; " + Quote(r.database) + " in " +
                           Quote(dir) + " was backed up with a query: use migrate or restore");
  }
  if (r.tables.empty()) {
    for (const auto& t : manifest.tables) r.tables.push_back(t.name);
  }
  RETURN_IF_ERROR(DoRestore(in, location, manifest, r).status());
  std::string target = r.target_database.empty() ? r.database : r.target_database;
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& t : r.tables) {
    auto renamed = r.target_names.find(t);
    rows.push_back({target, renamed == r.target_names.end() ? t : renamed->second});
  }
  return RestoredTables(rows, nullptr);
}

// migrate(backupDir, [backupDBPath], [backupTableName], [newDBPath], [newTableName]): each table
// restored on its own into a fresh table; failures are reported per table.
// Restores table `table` of the backup `head` into `target_table` of `target_db`, which must
// not be the table itself while it exists (migrate restores into new tables).
Status MigrateTable(Interpreter& in, BackupLocation& location, const Manifest& head,
                    const std::string& table, const std::string& target_db,
                    const std::string& target_table) {
  if (target_db == head.database && target_table == table) {
    ASSIGN_OR_RETURN(bool exists, in.databases().TableExists(target_db, target_table));
    if (exists) {
      return AlreadyExists("table " + Quote(target_table) + " of " + Quote(target_db) +
                           " exists; migrate restores into new tables: pass newDBPath or "
                           "newTableName, or drop it first");
    }
  }
  RestoreRequest r;
  r.database = head.database;
  r.tables = {table};
  r.target_database = target_db;
  r.target_names[table] = target_table;
  r.create_missing = true;
  r.parallel = true;
  return DoRestore(in, location, head, r).status();
}

Result<Value> Migrate(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(Prelude(in, "migrate").status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "migrate", "backupDir"));
  ASSIGN_OR_RETURN(std::string only_db, OptionalStringArg(a[1], "migrate", "backupDBPath", ""));
  ASSIGN_OR_RETURN(std::string only_table,
                   OptionalStringArg(a[2], "migrate", "backupTableName", ""));
  ASSIGN_OR_RETURN(std::string new_db, OptionalStringArg(a[3], "migrate", "newDBPath", ""));
  ASSIGN_OR_RETURN(std::string new_table, OptionalStringArg(a[4], "migrate", "newTableName", ""));
  if (!only_table.empty() && only_db.empty()) {
    return InvalidArgument("migrate needs backupDBPath when backupTableName is given");
  }
  if (!new_table.empty() && only_table.empty()) {
    return InvalidArgument("migrate needs backupTableName when newTableName is given");
  }
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  // The databases in the directory (each by its head).
  std::vector<Manifest> heads;
  if (!only_db.empty()) {
    ASSIGN_OR_RETURN(Manifest head, ResolveSnapshot(location, only_db, ""));
    heads.push_back(std::move(head));
  } else {
    ASSIGN_OR_RETURN(heads, ListHeads(location));
  }
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::string> errors;
  for (const auto& head : heads) {
    std::string target_db = new_db.empty() ? head.database : new_db;
    for (const auto& t : head.tables) {
      if (!only_table.empty() && t.name != only_table) continue;
      std::string target_table = new_table.empty() ? t.name : new_table;
      rows.push_back({target_db, target_table});
      Status status = MigrateTable(in, location, head, t.name, target_db, target_table);
      errors.push_back(status.ok() ? "" : status.message());
    }
  }
  if (!only_table.empty() && rows.empty()) {
    return NotFound("table " + Quote(only_table) + " is not in the backup of " + Quote(only_db) +
                    " in " + Quote(dir));
  }
  return RestoredTables(rows, &errors);
}

// ---- inspection

struct Inspected {
  BackupLocation location;
  Manifest manifest;
};

Result<Inspected> OpenHead(Interpreter& in, const Value& dir_arg, const Value& db_arg,
                           const char* function) {
  RETURN_IF_ERROR(Prelude(in, function).status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(dir_arg, function, "backupDir"));
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(db_arg, function));
  RETURN_IF_ERROR(in.databases().Check(db, DatabaseAccess::kRead));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  ASSIGN_OR_RETURN(Manifest manifest, ResolveSnapshot(location, db, ""));
  return Inspected{std::move(location), std::move(manifest)};
}

std::string ChunkDfsPath(const Manifest& m, const ManifestChunk& c) {
  const ManifestTable* t = m.FindTable(c.table);
  return m.database + (c.path == "/" ? "" : c.path) + "/" + (t ? t->physical_index : "");
}

Status NeedTable(const Inspected& h, const std::string& table, const std::string& dir) {
  if (h.manifest.FindTable(table) != nullptr) return Status::Ok();
  return NotFound("table " + Quote(table) + " is not in the backup of " +
                  Quote(h.manifest.database) + " in " + Quote(dir));
}

Result<Value> BackupList(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(Inspected h, OpenHead(in, a[0], a[1], "getBackupList"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[2], "getBackupList", "tableName"));
  RETURN_IF_ERROR(NeedTable(h, table, h.location.dir));
  Column ids(Type::kString), paths(Type::kString), cids(Type::kLong), rows(Type::kLong),
      times(Type::kTimestamp);
  for (const auto* c : SelectChunks(h.manifest, table, "%")) {
    ids.Append(Str(c->chunk_id));
    paths.Append(Str(ChunkDfsPath(h.manifest, *c)));
    cids.Append(Scalar::Int(Type::kLong, c->cid));
    rows.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(c->rows)));
    times.Append(Scalar::Int(Type::kTimestamp, c->update_time_ms));
  }
  std::vector<Value> columns;
  for (Column* c : {&ids, &paths, &cids, &rows, &times})
    columns.push_back(Value::Vector(std::move(*c)));
  return MakeTableValue({"chunkID", "chunkPath", "cid", "rows", "updateTime"}, columns);
}

Result<Value> BackupMeta(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(Inspected h, OpenHead(in, a[0], a[1], "getBackupMeta"));
  ASSIGN_OR_RETURN(std::string partition, StringArg(a[2], "getBackupMeta", "partition"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[3], "getBackupMeta", "tableName"));
  ASSIGN_OR_RETURN(const ManifestChunk* chunk, FindChunk(h.manifest, table, partition));
  const ManifestTable* t = h.manifest.FindTable(table);
  Column names(Type::kString), type_names(Type::kString), type_ids(Type::kInt),
      comments(Type::kString);
  for (const auto& f : t->schema.fields()) {
    names.Append(Str(f.name));
    type_names.Append(Str(TypeName(f.type)));
    type_ids.Append(Scalar::Int(Type::kInt, static_cast<int64_t>(f.type)));
    comments.Append(Str(""));
  }
  ASSIGN_OR_RETURN(
      Value schema,
      MakeTableValue({"name", "typeString", "typeInt", "comment"},
                     {Value::Vector(std::move(names)), Value::Vector(std::move(type_names)),
                      Value::Vector(std::move(type_ids)), Value::Vector(std::move(comments))}));
  Dictionary d;
  d.entries.push_back({Str("schema"), schema});
  d.entries.push_back({Str("dfsPath"), Value(Str(ChunkDfsPath(h.manifest, *chunk)))});
  d.entries.push_back(
      {Str("rows"), Value(Scalar::Int(Type::kLong, static_cast<int64_t>(chunk->rows)))});
  d.entries.push_back({Str("chunkID"), Value(Str(chunk->chunk_id))});
  d.entries.push_back({Str("cid"), Value(Scalar::Int(Type::kLong, chunk->cid))});
  // Strata: the repository objects holding the rows, in order.
  Column objects(Type::kString);
  for (const auto& o : chunk->objects) objects.Append(Str(o.id));
  d.entries.push_back({Str("objects"), Value::Vector(std::move(objects))});
  return Value::MakeDictionary(std::move(d));
}

Result<Value> LoadBackup(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(Inspected h, OpenHead(in, a[0], a[1], "loadBackup"));
  ASSIGN_OR_RETURN(std::string partition, StringArg(a[2], "loadBackup", "partition"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[3], "loadBackup", "tableName"));
  ASSIGN_OR_RETURN(const ManifestChunk* chunk, FindChunk(h.manifest, table, partition));
  ASSIGN_OR_RETURN(Table rows, LoadChunkRows(*h.location.repository, h.manifest, *chunk));
  return Value::MakeTable(std::make_shared<const Table>(std::move(rows)));
}

// One row per damaged snapshot of the database (tableName empty, chunkPath its manifest's
// key), then one per damaged chunk of the snapshot checked (the head, or snapshotId).
Result<Value> CheckBackup(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(Prelude(in, "checkBackup").status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "checkBackup", "backupDir"));
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(a[1], "checkBackup"));
  RETURN_IF_ERROR(in.databases().Check(db, DatabaseAccess::kRead));
  ASSIGN_OR_RETURN(std::string table, OptionalStringArg(a[2], "checkBackup", "tableName", ""));
  ASSIGN_OR_RETURN(std::string pattern, OptionalStringArg(a[3], "checkBackup", "partition", "%"));
  ASSIGN_OR_RETURN(std::string snapshot_id,
                   OptionalStringArg(a[4], "checkBackup", "snapshotId", ""));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  Column dbs(Type::kString), tables(Type::kString), paths(Type::kString), ids(Type::kString),
      partitions(Type::kString);
  auto add_row = [&](const std::string& t, const std::string& path, const std::string& id,
                     const std::string& partition) {
    dbs.Append(Str(db));
    tables.Append(Str(t));
    paths.Append(Str(path));
    ids.Append(Str(id));
    partitions.Append(Str(partition));
  };
  ASSIGN_OR_RETURN(HeadLookup lookup, LookUpHead(location, db));
  ASSIGN_OR_RETURN(auto damaged_snapshots, FindDamagedSnapshots(location, db, lookup));
  std::set<std::string> damaged_ids;
  for (const auto& d : damaged_snapshots) {
    add_row("", "snapshots/" + d.id + ".json", "", "");
    damaged_ids.insert(d.id);
  }
  // The snapshot to check chunk by chunk, unless it is one of the damaged ones.
  std::optional<Manifest> manifest;
  if (!snapshot_id.empty() && damaged_ids.count(snapshot_id) == 0) {
    ASSIGN_OR_RETURN(manifest, ResolveSnapshot(location, db, snapshot_id));
  } else if (snapshot_id.empty()) {
    manifest = std::move(lookup.head);
    if (!manifest && lookup.broken.ok() && damaged_snapshots.empty()) {
      return NotFound("backupDir " + Quote(dir) + " holds no backup of database " + Quote(db));
    }
  }
  if (manifest) {
    if (!table.empty() && manifest->FindTable(table) == nullptr) {
      return NotFound("table " + Quote(table) + " is not in the backup of " + Quote(db) + " in " +
                      Quote(dir));
    }
    auto chunks = SelectChunks(*manifest, table, pattern);
    TaskControl control;
    ProgressObserver* progress = in.progress();
    if (progress != nullptr) {
      progress->Start("check " + db);
      control.set_listener([progress](const TaskProgress& p) { progress->Update(p); });
    }
    auto damaged = CheckChunks(*location.repository, chunks, /*parallel=*/true, control);
    if (progress != nullptr) progress->Finish();
    if (!damaged.ok()) return damaged.status();
    for (const auto& d : *damaged) {
      const ManifestChunk* chunk = *FindChunk(*manifest, d.table, d.path);
      add_row(d.table, ChunkDfsPath(*manifest, *chunk), d.chunk_id, d.path);
    }
  }
  std::vector<Value> columns;
  for (Column* c : {&dbs, &tables, &paths, &ids, &partitions}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue({"dbName", "tableName", "chunkPath", "chunkID", "partitionPath"}, columns);
}

// Strata: the snapshots of a database in a backup directory, oldest first.
Result<Value> BackupSnapshots(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(Prelude(in, "getBackupSnapshots").status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "getBackupSnapshots", "backupDir"));
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(a[1], "getBackupSnapshots"));
  RETURN_IF_ERROR(in.databases().Check(db, DatabaseAccess::kRead));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  ASSIGN_OR_RETURN(auto manifests, ListSnapshotsOf(location, db));
  Column snapshot_ids(Type::kString), created(Type::kTimestamp), methods(Type::kString),
      parents(Type::kString), partitions(Type::kLong), rows(Type::kLong), cids(Type::kLong);
  for (const auto& m : manifests) {
    snapshot_ids.Append(Str(m.id));
    created.Append(Scalar::Int(Type::kTimestamp, m.created_ms));
    methods.Append(Str(BackupMethodName(m.method)));
    parents.Append(Str(m.parent.value_or("")));
    partitions.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(m.chunks.size())));
    int64_t total = 0;
    for (const auto& c : m.chunks) total += static_cast<int64_t>(c.rows);
    rows.Append(Scalar::Int(Type::kLong, total));
    cids.Append(Scalar::Int(Type::kLong, m.source_cid));
  }
  std::vector<Value> columns;
  for (Column* c : {&snapshot_ids, &created, &methods, &parents, &partitions, &rows, &cids}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue(
      {"snapshotId", "createTime", "method", "parent", "partitions", "rows", "sourceCid"}, columns);
}

// Strata: pruneBackup(backupDir, dbPath, [keepLast], [keepSince]).
Result<Value> PruneBackup(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(Prelude(in, "pruneBackup").status());
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "pruneBackup", "backupDir"));
  PruneRequest r;
  ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], "pruneBackup"));
  RETURN_IF_ERROR(NeedSuperuserToPrune(in, dir));
  RETURN_IF_ERROR(in.databases().Check(r.database, DatabaseAccess::kWrite));
  if (!a[2].is_void()) {
    if (!a[2].is_scalar() || !IsIntegral(a[2].type())) {
      return InvalidArgument("argument 'keepLast' of pruneBackup must be an integer, got a " +
                             a[2].Describe());
    }
    r.keep_last = a[2].scalar().int_value();
  }
  if (!a[3].is_void()) {
    if (!a[3].is_scalar() || !IsTemporal(a[3].type())) {
      return InvalidArgument("argument 'keepSince' of pruneBackup must be a date or time, got a " +
                             a[3].Describe());
    }
    auto ms = CastScalar(a[3].scalar(), Type::kTimestamp);
    if (!ms.ok() || ms->is_null()) {
      return InvalidArgument("argument 'keepSince' of pruneBackup is not a valid time");
    }
    r.keep_since_ms = ms->int_value();
  }
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(in, dir));
  ASSIGN_OR_RETURN(PruneOutcome outcome, PruneBackups(location, r));
  if (!outcome.sweep_skipped.empty()) in.Warn("pruneBackup: " + outcome.sweep_skipped);
  Dictionary d;
  d.entries.push_back(
      {Str("snapshotsDeleted"), Value(Scalar::Int(Type::kLong, outcome.snapshots_deleted))});
  d.entries.push_back(
      {Str("snapshotsKept"), Value(Scalar::Int(Type::kLong, outcome.snapshots_kept))});
  d.entries.push_back(
      {Str("objectsDeleted"), Value(Scalar::Int(Type::kLong, outcome.objects_deleted))});
  d.entries.push_back({Str("bytesFreed"), Value(Scalar::Int(Type::kLong, outcome.bytes_freed))});
  return Value::MakeDictionary(std::move(d));
}

}  // namespace

void RegisterBackupFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  auto add = [&](std::string name, std::vector<std::string> params, size_t required,
                 std::function<Result<Value>(Interpreter&, std::vector<Value>&)> body) {
    r.Register({std::move(name), std::move(params), required, false,
                [self, body](EvalContext&, std::vector<Value>& a) { return body(*self, a); }});
  };
  add("backup", {"backupDir", "dbPath", "force", "parallel", "snapshot", "tableName", "partition"},
      2, Backup);
  add("backupDB", {"backupDir", "dbPath"}, 2,
      [](Interpreter& in, std::vector<Value>& a) { return BackupWrapper(in, a, "backupDB"); });
  add("backupTable", {"backupDir", "dbPath", "tableName"}, 3,
      [](Interpreter& in, std::vector<Value>& a) { return BackupWrapper(in, a, "backupTable"); });
  add("restore",
      {"backupDir", "dbPath", "tableName", "partition", "force", "outputTable", "parallel",
       "snapshot", "snapshotId"},
      4, Restore);
  add("restoreDB", {"backupDir", "dbPath", "newDBPath"}, 2,
      [](Interpreter& in, std::vector<Value>& a) { return RestoreWrapper(in, a, false); });
  add("restoreTable", {"backupDir", "dbPath", "tableName", "newDBPath", "newTableName"}, 3,
      [](Interpreter& in, std::vector<Value>& a) { return RestoreWrapper(in, a, true); });
  add("migrate", {"backupDir", "backupDBPath", "backupTableName", "newDBPath", "newTableName"}, 1,
      Migrate);
  add("getBackupList", {"backupDir", "dbPath", "tableName"}, 3, BackupList);
  add("getBackupMeta", {"backupDir", "dbPath", "partition", "tableName"}, 4, BackupMeta);
  add("loadBackup", {"backupDir", "dbPath", "partition", "tableName"}, 4, LoadBackup);
  add("checkBackup", {"backupDir", "dbPath", "tableName", "partition", "snapshotId"}, 2,
      CheckBackup);
  add("getBackupSnapshots", {"backupDir", "dbPath"}, 2, BackupSnapshots);
  add("pruneBackup", {"backupDir", "dbPath", "keepLast", "keepSince"}, 2, PruneBackup);
}

}  // namespace strata
