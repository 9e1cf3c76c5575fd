// Builtins that inspect and maintain backups (spec/dolphindb-api.md): getBackupList,
// getBackupMeta, loadBackup, checkBackup; and Strata's own getBackupSnapshots and pruneBackup.
// Arguments become BackupService calls, outcomes become tables and dictionaries.
#include "base/strings.h"
#include "lang/builtin_args.h"
#include "lang/builtins_backup.h"
#include "query/evaluator.h"
#include "service/backup_service.h"
#include "types/cast.h"

namespace strata {

namespace {

Scalar Str(const std::string& s) { return Scalar::String(Type::kString, s); }

using Inspected = OpenedSnapshot;

// The head of the database named by the arguments, without its chunks (`table` empty), or
// with those of `table` that `partition` may name (BackupService::OpenHeadAt).
Result<Inspected> OpenHeadAt(Interpreter& in, const Value& dir_arg, const Value& db_arg,
                             const Value& key_arg, const std::string& table,
                             const std::string& partition, const char* function) {
  RETURN_IF_ERROR(BackupPrelude(in, function));
  ASSIGN_OR_RETURN(std::string dir, StringArg(dir_arg, function, "backupDir"));
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(db_arg, function));
  ASSIGN_OR_RETURN(std::string key_path, KeyPathArg(key_arg, function));
  BackupService service(in.session());
  if (table.empty()) return service.OpenHead(dir, key_path, db);
  return service.OpenHeadAt(dir, key_path, db, table, partition);
}

// The chunk's path below the database and its table's physical index: "/20170807/0_50/8t".
std::string ChunkPathOf(const Manifest& m, const ManifestChunk& c) {
  const ManifestTable* t = m.FindTable(c.table);
  return (c.path == "/" ? "" : c.path) + "/" + (t ? t->physical_index : "");
}

// getBackupList's chunkPath and getBackupMeta's dfsPath: "dfs://compoDB/20170807/0_50/8t".
std::string ChunkDfsPath(const Manifest& m, const ManifestChunk& c) {
  return m.database + ChunkPathOf(m, c);
}

// checkBackup's chunkPath, as its page shows it: "/compoDB/20170807/0_50/8t".
std::string ChunkPathInDatabase(const Manifest& m, const ManifestChunk& c) {
  return "/" + DatabaseShortName(m.database) + ChunkPathOf(m, c);
}

Status NeedTable(const Inspected& h, const std::string& table, const std::string& dir) {
  if (h.manifest.FindTable(table) != nullptr) return Status::Ok();
  return NotFound("table " + Quote(table) + " is not in the backup of " +
                  Quote(h.manifest.database) + " in " + Quote(dir));
}

Result<Value> BackupList(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(Inspected h, OpenHeadAt(in, a[0], a[1], a[3], "", "", "getBackupList"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[2], "getBackupList", "tableName"));
  RETURN_IF_ERROR(NeedTable(h, table, h.location.dir));
  Column ids(Type::kString), paths(Type::kString), cids(Type::kLong), rows(Type::kLong),
      times(Type::kTimestamp);
  RETURN_IF_ERROR(BackupService::ForEachChunk(h, table, [&](const ManifestChunk& c) {
    ids.Append(Str(c.chunk_id));
    paths.Append(Str(ChunkDfsPath(h.manifest, c)));
    cids.Append(Scalar::Int(Type::kLong, c.cid));
    rows.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(c.rows)));
    times.Append(Scalar::Int(Type::kTimestamp, c.update_time_ms));
    return Status::Ok();
  }));
  std::vector<Value> columns;
  for (Column* c : {&ids, &paths, &cids, &rows, &times})
    columns.push_back(Value::Vector(std::move(*c)));
  return MakeTableValue({"chunkID", "chunkPath", "cid", "rows", "updateTime"}, columns);
}

Result<Value> BackupMeta(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(std::string partition, StringArg(a[2], "getBackupMeta", "partition"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[3], "getBackupMeta", "tableName"));
  ASSIGN_OR_RETURN(Inspected h,
                   OpenHeadAt(in, a[0], a[1], a[4], table, partition, "getBackupMeta"));
  ASSIGN_OR_RETURN(const ManifestChunk* chunk, FindChunk(h.manifest, table, partition));
  const ManifestTable* t = h.manifest.FindTable(table);
  // The columns of DolphinDB's schema table; `extra` is a DECIMAL's scale, which no Strata type
  // has, so it is NULL.
  Column names(Type::kString), type_names(Type::kString), type_ids(Type::kInt), extras(Type::kInt),
      comments(Type::kString);
  for (const auto& f : t->schema.fields()) {
    names.Append(Str(f.name));
    type_names.Append(Str(TypeName(f.type)));
    type_ids.Append(Scalar::Int(Type::kInt, static_cast<int64_t>(f.type)));
    extras.AppendNull();
    comments.Append(Str(""));
  }
  ASSIGN_OR_RETURN(
      Value schema,
      MakeTableValue({"name", "typeString", "typeInt", "extra", "comment"},
                     {Value::Vector(std::move(names)), Value::Vector(std::move(type_names)),
                      Value::Vector(std::move(type_ids)), Value::Vector(std::move(extras)),
                      Value::Vector(std::move(comments))}));
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
  ASSIGN_OR_RETURN(std::string partition, StringArg(a[2], "loadBackup", "partition"));
  ASSIGN_OR_RETURN(std::string table, StringArg(a[3], "loadBackup", "tableName"));
  ASSIGN_OR_RETURN(Inspected h, OpenHeadAt(in, a[0], a[1], a[4], table, partition, "loadBackup"));
  ASSIGN_OR_RETURN(const ManifestChunk* chunk, FindChunk(h.manifest, table, partition));
  ASSIGN_OR_RETURN(Table rows, LoadChunkRows(*h.location.repository, h.manifest, *chunk));
  return Value::MakeTable(std::make_shared<const Table>(std::move(rows)));
}

// One row per damaged snapshot of the database (tableName empty, chunkPath its manifest's
// key), then one per damaged chunk of the snapshot checked (the head, or snapshotId).
Result<Value> CheckBackup(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(BackupPrelude(in, "checkBackup"));
  CheckSpec spec;
  ASSIGN_OR_RETURN(spec.dir, StringArg(a[0], "checkBackup", "backupDir"));
  ASSIGN_OR_RETURN(spec.database, NamedDatabaseArg(a[1], "checkBackup"));
  if (!a[2].is_void()) {
    ASSIGN_OR_RETURN(spec.tables, StringListArg(a[2], "checkBackup", "tableName"));
  }
  ASSIGN_OR_RETURN(spec.pattern, OptionalStringArg(a[3], "checkBackup", "partition", "%"));
  ASSIGN_OR_RETURN(spec.snapshot_id, OptionalStringArg(a[4], "checkBackup", "snapshotId", ""));
  ASSIGN_OR_RETURN(spec.key_path, KeyPathArg(a[5], "checkBackup"));
  ASSIGN_OR_RETURN(CheckOutcome outcome, BackupService(in.session()).Check(spec));
  Column dbs(Type::kString), tables(Type::kString), paths(Type::kString), ids(Type::kString),
      partitions(Type::kString);
  auto add_row = [&](const std::string& t, const std::string& path, const std::string& id,
                     const std::string& partition) {
    dbs.Append(Str(spec.database));
    tables.Append(Str(t));
    paths.Append(Str(path));
    ids.Append(Str(id));
    partitions.Append(Str(partition));
  };
  for (const auto& d : outcome.damaged_snapshots)
    add_row("", "snapshots/" + d.id + ".json", "", "");
  for (const auto& d : outcome.damaged_chunks) {
    add_row(d.table, ChunkPathInDatabase(*outcome.checked, ManifestChunk{d.table, d.path}),
            d.chunk_id, d.path);
  }
  std::vector<Value> columns;
  for (Column* c : {&dbs, &tables, &paths, &ids, &partitions}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue({"dbName", "tableName", "chunkPath", "chunkID", "partitionPath"}, columns);
}

// Strata: the snapshots of a database in a backup directory, oldest first.
Result<Value> BackupSnapshots(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(BackupPrelude(in, "getBackupSnapshots"));
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "getBackupSnapshots", "backupDir"));
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(a[1], "getBackupSnapshots"));
  ASSIGN_OR_RETURN(std::string key_path, KeyPathArg(a[2], "getBackupSnapshots"));
  ASSIGN_OR_RETURN(auto manifests, BackupService(in.session()).ListSnapshots(dir, key_path, db));
  Column snapshot_ids(Type::kString), created(Type::kTimestamp), methods(Type::kString),
      parents(Type::kString), partitions(Type::kLong), rows(Type::kLong), cids(Type::kLong);
  for (const auto& m : manifests) {
    snapshot_ids.Append(Str(m.id));
    created.Append(Scalar::Int(Type::kTimestamp, m.created_ms));
    methods.Append(Str(BackupMethodName(m.method)));
    parents.Append(Str(m.parent.value_or("")));
    partitions.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(m.chunk_count())));
    rows.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(m.row_count())));
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
  RETURN_IF_ERROR(BackupPrelude(in, "pruneBackup"));
  ASSIGN_OR_RETURN(std::string dir, StringArg(a[0], "pruneBackup", "backupDir"));
  PruneRequest r;
  ASSIGN_OR_RETURN(r.database, NamedDatabaseArg(a[1], "pruneBackup"));
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
  ASSIGN_OR_RETURN(std::string key_path, KeyPathArg(a[4], "pruneBackup"));
  ASSIGN_OR_RETURN(PruneOutcome outcome, BackupService(in.session()).Prune(dir, key_path, r));
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

void RegisterBackupInspectionFunctions(Interpreter& in) {
  auto add = [&in](std::string name, std::vector<std::string> params, size_t required,
                   BackupBuiltin body) {
    AddBackupBuiltin(in, std::move(name), std::move(params), required, std::move(body));
  };

  // keyPath (Strata's): the key file of an encrypted repository, whose manifests are encrypted.
  add("getBackupList", {"backupDir", "dbPath", "tableName", "keyPath"}, 3, BackupList);
  add("getBackupMeta", {"backupDir", "dbPath", "partition", "tableName", "keyPath"}, 4, BackupMeta);
  add("loadBackup", {"backupDir", "dbPath", "partition", "tableName", "keyPath"}, 4, LoadBackup);
  add("checkBackup", {"backupDir", "dbPath", "tableName", "partition", "snapshotId", "keyPath"}, 2,
      CheckBackup);
  add("getBackupSnapshots", {"backupDir", "dbPath", "keyPath"}, 2, BackupSnapshots);
  add("pruneBackup", {"backupDir", "dbPath", "keepLast", "keepSince", "keyPath"}, 2, PruneBackup);
}

}  // namespace strata
