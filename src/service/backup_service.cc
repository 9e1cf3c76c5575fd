#include "service/backup_service.h"

#include "auth/auth.h"
#include "backup/chunk_tree.h"
#include "base/strings.h"

namespace strata {

namespace {

Value IntValue(int64_t v) { return Value(Scalar::Int(Type::kInt, v)); }

// A TaskControl listener that shows progress on `progress` (may be null).
TaskControl::Listener ShowOn(ProgressObserver* progress) {
  if (progress == nullptr) return {};
  return [progress](const TaskProgress& p) { progress->Update(p); };
}

}  // namespace

Status BackupService::CheckUsable() const {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  return session_.CheckLoggedIn();
}

// Creating a repository needs a superuser (DESIGN §8, the Doris rule); anyone else may back up
// only into a repository that exists. Returns whether the backup may create one.
Result<bool> BackupService::MayCreateRepository(const std::string& dir,
                                                const std::string& key_path) {
  ASSIGN_OR_RETURN(bool superuser, session_.IsSuperuser());
  if (superuser) return true;
  auto existing = OpenBackupDir(dir, RepositoryOpen::kMustExist,
                                session_.instance().store_settings(), key_path);
  if (existing.ok()) return false;
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  return PermissionDenied("user " + Quote(session_.user()) +
                          " may not create a backup repository in backupDir " + Quote(dir) +
                          " (it holds none): only a superuser may; ask one to run the first "
                          "backup there, or back up into an existing repository");
}

Result<BackupLocation> BackupService::OpenExisting(const std::string& dir,
                                                   const std::string& key_path) {
  ASSIGN_OR_RETURN(BackupLocation location,
                   OpenBackupDir(dir, RepositoryOpen::kMustExist,
                                 session_.instance().store_settings(), key_path));
  location.on_warning = [this](const Status& warning) { session_.Warn(warning); };
  return location;
}

Result<Value> BackupService::RunJob(JobSpec spec, const std::string& title, const JobWork& work) {
  ASSIGN_OR_RETURN(JobManager * jobs, session_.instance().jobs());
  spec.user = session_.user();
  spec.parent = session_.job_control();
  spec.error_wording = session_.error_wording();
  ProgressObserver* progress = session_.progress();
  if (progress != nullptr) progress->Start(title);
  spec.observer = ShowOn(progress);
  std::vector<Status> warnings;
  auto result = jobs->Run(spec, [&](TaskControl& control) {
    auto done = work(control);
    warnings = control.warnings();
    return done;
  });
  if (progress != nullptr) progress->Finish();
  for (const auto& w : warnings) session_.Warn(w);
  return result;
}

Result<BackupOutcome> BackupService::Backup(BackupSpec spec) {
  RETURN_IF_ERROR(CheckUsable());
  BackupRequest& r = spec.request;
  bool files = r.method == BackupMethod::kFiles;
  if (!files && spec.dir.starts_with("s3://")) {
    return InvalidArgument(
        "an s3:// backupDir takes only dbPath (copy-files backups), not a "
        "SQL query");
  }
  RETURN_IF_ERROR(session_.databases().Check(r.database, DatabaseAccess::kRead));
  // Checked again when the backup opens the directory: a repository removed in between is not
  // re-created by someone who may not create one.
  ASSIGN_OR_RETURN(r.create_repository, MayCreateRepository(spec.dir, spec.key_path));
  JobSpec job;
  job.kind = files ? JobKind::kBackupByCopyFile : JobKind::kBackupBySql;
  job.database = r.database;
  job.table = files ? Join(r.tables, ",") : r.sql_table;
  job.label = "backup to " + spec.dir;
  job.timeout_ms = spec.timeout_ms;
  BackupOutcome outcome;
  Engine& engine = *session_.engine();
  const StoreSettings& settings = session_.instance().store_settings();
  RETURN_IF_ERROR(RunJob(job, "backup " + r.database, [&](TaskControl& control) -> Result<Value> {
                    ASSIGN_OR_RETURN(outcome, RunBackup(engine, settings, spec.dir, spec.key_path,
                                                        spec.request, control));
                    return IntValue(outcome.units_written);
                  }).status());
  return outcome;
}

Result<RestoreOutcome> BackupService::RestoreFrom(BackupLocation& location,
                                                  const Manifest& manifest,
                                                  const RestoreRequest& request,
                                                  int64_t timeout_ms) {
  const std::string& target =
      request.target_database.empty() ? request.database : request.target_database;
  RETURN_IF_ERROR(session_.databases().Check(request.database, DatabaseAccess::kRead));
  RETURN_IF_ERROR(session_.databases().Check(target, DatabaseAccess::kWrite));
  JobSpec job;
  job.kind = manifest.method == BackupMethod::kFiles ? JobKind::kRestoreByCopyFile
                                                     : JobKind::kRestoreBySql;
  job.database = target;
  job.table = Join(request.tables, ",");
  job.label = "restore from " + location.dir;
  job.timeout_ms = timeout_ms;
  RestoreOutcome outcome;
  Engine& engine = *session_.engine();
  RETURN_IF_ERROR(RunJob(job, "restore " + target, [&](TaskControl& control) -> Result<Value> {
                    ASSIGN_OR_RETURN(outcome,
                                     RunRestore(engine, location, manifest, request, control));
                    return IntValue(static_cast<int64_t>(outcome.chunks_restored));
                  }).status());
  return outcome;
}

Result<RestoreOutcome> BackupService::Restore(RestoreSpec& spec) {
  RETURN_IF_ERROR(CheckUsable());
  RestoreRequest& r = spec.request;
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(spec.dir, spec.key_path));
  // Without its chunks: RunRestore reads what the request needs of the tree.
  ASSIGN_OR_RETURN(Manifest manifest,
                   ResolveSnapshot(location, r.database, r.snapshot_id, /*with_chunks=*/false));
  if (spec.methods == RestoreMethods::kCopyFilesOnly && manifest.method != BackupMethod::kFiles) {
    return InvalidArgument("restoring a whole database or table takes copy-files backups; " +
                           Quote(r.database) + " in " + Quote(spec.dir) +
                           " was backed up with a query")
        .WithRemedy({RemedyKind::kRestoreQueryBackup, {spec.dir, r.database}});
  }
  if (spec.same_engine) {
    const std::string& target = r.target_database.empty() ? r.database : r.target_database;
    Result<DatabaseRecord> existing = session_.databases().GetDatabase(target);
    if (existing.ok() && existing->engine != manifest.engine) {
      return InvalidArgument("database " + Quote(target) + " uses the " + existing->engine +
                             " engine but the backup of " + Quote(r.database) + " in " +
                             Quote(spec.dir) + " holds " + manifest.engine +
                             " data; restore into a database of the same engine, or a new one "
                             "(created with the backup's engine)");
    }
  }
  if (r.tables.empty()) {
    for (const auto& t : manifest.tables) r.tables.push_back(t.name);
  }
  return RestoreFrom(location, manifest, r, spec.timeout_ms);
}

// Restores table `table` of the backup `head` into `target_table` of `target_db`, which must
// not be the table itself while it exists (migrate restores into new tables).
Status BackupService::MigrateTable(BackupLocation& location, const Manifest& head,
                                   const std::string& table, const std::string& target_db,
                                   const std::string& target_table) {
  if (target_db == head.database && target_table == table) {
    ASSIGN_OR_RETURN(bool exists, session_.databases().TableExists(target_db, target_table));
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
  return RestoreFrom(location, head, r, /*timeout_ms=*/0).status();
}

Result<std::vector<MigratedTable>> BackupService::Migrate(const MigrateSpec& spec) {
  RETURN_IF_ERROR(CheckUsable());
  if (!spec.table.empty() && spec.database.empty()) {
    return InvalidArgument("migrate needs backupDBPath when backupTableName is given");
  }
  if (!spec.new_table.empty() && spec.table.empty()) {
    return InvalidArgument("migrate needs backupTableName when newTableName is given");
  }
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(spec.dir, spec.key_path));
  std::vector<Manifest> heads;  // the databases in the directory, each by its head
  if (!spec.database.empty()) {
    ASSIGN_OR_RETURN(Manifest head,
                     ResolveSnapshot(location, spec.database, "", /*with_chunks=*/false));
    heads.push_back(std::move(head));
  } else {
    ASSIGN_OR_RETURN(heads, ListHeads(location));
  }
  std::vector<MigratedTable> migrated;
  for (const auto& head : heads) {
    std::string target_db = spec.new_database.empty() ? head.database : spec.new_database;
    for (const auto& t : head.tables) {
      if (!spec.table.empty() && t.name != spec.table) continue;
      std::string target_table = spec.new_table.empty() ? t.name : spec.new_table;
      Status status = MigrateTable(location, head, t.name, target_db, target_table);
      migrated.push_back({target_db, target_table, std::move(status)});
    }
  }
  if (!spec.table.empty() && migrated.empty()) {
    return NotFound("table " + Quote(spec.table) + " is not in the backup of " +
                    Quote(spec.database) + " in " + Quote(spec.dir));
  }
  return migrated;
}

Result<OpenedSnapshot> BackupService::OpenHead(const std::string& dir, const std::string& key_path,
                                               const std::string& database) {
  RETURN_IF_ERROR(CheckUsable());
  RETURN_IF_ERROR(session_.databases().Check(database, DatabaseAccess::kRead));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(dir, key_path));
  ASSIGN_OR_RETURN(Manifest manifest,
                   ResolveSnapshot(location, database, "", /*with_chunks=*/false));
  return OpenedSnapshot{std::move(location), std::move(manifest)};
}

Result<OpenedSnapshot> BackupService::OpenHeadAt(const std::string& dir,
                                                 const std::string& key_path,
                                                 const std::string& database,
                                                 const std::string& table,
                                                 const std::string& partition) {
  ASSIGN_OR_RETURN(OpenedSnapshot opened, OpenHead(dir, key_path, database));
  Manifest& head = opened.manifest;
  if (head.tree.root.empty()) return opened;  // a version-1 manifest: its chunks came with it
  auto range = PatternPathRange(partition, database);
  if (range) {
    ASSIGN_OR_RETURN(head.chunks,
                     ReadChunksInRange(*opened.location.repository, head, {table}, *range));
  } else {
    RETURN_IF_ERROR(LoadChunks(*opened.location.repository, head));
  }
  return opened;
}

Status BackupService::ForEachChunk(OpenedSnapshot& opened, const std::string& table,
                                   const std::function<Status(const ManifestChunk&)>& each) {
  const Manifest& head = opened.manifest;
  if (head.tree.root.empty()) {
    for (const auto& c : head.chunks) {
      if (c.table == table) RETURN_IF_ERROR(each(c));
    }
    return Status::Ok();
  }
  ChunkTreeCursor cursor(*opened.location.repository, head.tree, head.id);
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<ManifestChunk> leaf, cursor.NextLeaf());
    if (leaf.empty()) return Status::Ok();
    for (const auto& c : leaf) {
      if (c.table == table) RETURN_IF_ERROR(each(c));
    }
  }
}

Result<std::vector<Manifest>> BackupService::ListSnapshots(const std::string& dir,
                                                           const std::string& key_path,
                                                           const std::string& database) {
  RETURN_IF_ERROR(CheckUsable());
  RETURN_IF_ERROR(session_.databases().Check(database, DatabaseAccess::kRead));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(dir, key_path));
  return ListSnapshotsOf(location, database);
}

Result<CheckOutcome> BackupService::Check(const CheckSpec& spec) {
  RETURN_IF_ERROR(CheckUsable());
  RETURN_IF_ERROR(session_.databases().Check(spec.database, DatabaseAccess::kRead));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(spec.dir, spec.key_path));
  CheckOutcome outcome;
  auto range = PatternPathRange(spec.pattern, spec.database);
  const bool by_path = range && spec.snapshot_id.empty();
  if (by_path) {
    RETURN_IF_ERROR(CheckHeadPartitions(location, spec, *range, outcome));
  } else {
    RETURN_IF_ERROR(CheckSnapshots(location, spec, outcome));
  }
  if (!outcome.checked) return outcome;
  for (const std::string& table : spec.tables) {
    if (outcome.checked->FindTable(table) == nullptr) {
      return NotFound("table " + Quote(table) + " is not in the backup of " + Quote(spec.database) +
                      " in " + Quote(spec.dir));
    }
  }
  TaskControl control;
  ProgressObserver* progress = session_.progress();
  if (progress != nullptr) progress->Start("check " + spec.database);
  control.set_listener(ShowOn(progress));
  Status checked = CheckChunksOf(location, spec, /*chunks_read=*/by_path, control, outcome);
  if (progress != nullptr) progress->Finish();
  RETURN_IF_ERROR(checked);
  return outcome;
}

// Checks the chunks of `outcome.checked` that `spec` selects: those it holds (`chunks_read`, or
// a version-1 manifest), or a leaf of its tree at a time (progress counts every chunk of it).
Status BackupService::CheckChunksOf(BackupLocation& location, const CheckSpec& spec,
                                    bool chunks_read, TaskControl& control, CheckOutcome& outcome) {
  const Manifest& snapshot = *outcome.checked;
  auto selected = [&](const std::vector<ManifestChunk>& chunks) {
    std::vector<const ManifestChunk*> out;
    for (const auto& c : chunks) {
      const bool table = spec.tables.empty() || std::find(spec.tables.begin(), spec.tables.end(),
                                                          c.table) != spec.tables.end();
      if (table && MatchesWildcard(spec.pattern, PatternSubject(snapshot.database, c.path))) {
        out.push_back(&c);
      }
    }
    return out;
  };
  auto check = [&](const std::vector<const ManifestChunk*>& chunks) -> Status {
    ASSIGN_OR_RETURN(auto damaged, CheckChunks(*location.repository, chunks, true, control));
    for (auto& d : damaged) outcome.damaged_chunks.push_back(std::move(d));
    return Status::Ok();
  };
  if (chunks_read || snapshot.tree.root.empty()) {
    std::vector<const ManifestChunk*> chunks = selected(snapshot.chunks);
    int64_t bytes = 0;
    for (const auto* c : chunks) bytes += static_cast<int64_t>(c->bytes());
    control.SetTotals(static_cast<int64_t>(chunks.size()), bytes);
    return check(chunks);
  }
  control.SetTotals(static_cast<int64_t>(snapshot.tree.chunks),
                    static_cast<int64_t>(snapshot.tree.bytes));
  ChunkTreeCursor cursor(*location.repository, snapshot.tree, snapshot.id);
  for (;;) {
    auto leaf = cursor.NextLeaf();
    if (!leaf.ok() && leaf.status().code() == StatusCode::kCorruption) {
      outcome.damaged_snapshots.push_back({snapshot.id, leaf.status().message()});
      return Status::Ok();
    }
    if (!leaf.ok()) return leaf.status();
    if (leaf->empty()) return Status::Ok();
    std::vector<const ManifestChunk*> chunks = selected(*leaf);
    RETURN_IF_ERROR(check(chunks));
    if (control.cancelled()) return Cancelled("the check of the backup was cancelled");
    int64_t skipped_bytes = 0;
    for (const auto& c : *leaf) skipped_bytes += static_cast<int64_t>(c.bytes());
    for (const auto* c : chunks) skipped_bytes -= static_cast<int64_t>(c->bytes());
    control.AddDone(static_cast<int64_t>(leaf->size() - chunks.size()), skipped_bytes);
  }
}

// Partitions of the head under a path prefix: its manifest and the nodes on the way to them
// are read and checked, not every snapshot's tree. A damaged head (or path) is the one damaged
// snapshot reported.
Status BackupService::CheckHeadPartitions(BackupLocation& location, const CheckSpec& spec,
                                          const Engine::PathRange& range, CheckOutcome& outcome) {
  ASSIGN_OR_RETURN(HeadLookup lookup, LookUpHead(location, spec.database, /*with_chunks=*/false));
  if (!lookup.broken.ok()) {
    outcome.damaged_snapshots.push_back({lookup.broken_id, lookup.broken.message()});
    return Status::Ok();
  }
  if (!lookup.head) {
    return NotFound("backupDir " + Quote(spec.dir) + " holds no backup of database " +
                    Quote(spec.database));
  }
  Manifest& head = *lookup.head;
  if (!head.tree.root.empty()) {
    std::vector<std::string> tables = spec.tables;
    if (tables.empty()) {
      for (const auto& t : head.tables) tables.push_back(t.name);
    }
    auto chunks = ReadChunksInRange(*location.repository, head, tables, range);
    if (!chunks.ok() && chunks.status().code() != StatusCode::kCorruption) return chunks.status();
    if (!chunks.ok()) {
      outcome.damaged_snapshots.push_back({head.id, chunks.status().message()});
      return Status::Ok();
    }
    head.chunks = std::move(*chunks);
  }
  outcome.checked = std::move(head);
  return Status::Ok();
}

// Every snapshot's manifest and tree (each shared node read once), then the one to check
// chunk by chunk, without its chunks: `spec.snapshot_id`, or the head, unless it is damaged.
Status BackupService::CheckSnapshots(BackupLocation& location, const CheckSpec& spec,
                                     CheckOutcome& outcome) {
  ASSIGN_OR_RETURN(HeadLookup lookup, LookUpHead(location, spec.database, /*with_chunks=*/false));
  ASSIGN_OR_RETURN(outcome.damaged_snapshots,
                   FindDamagedSnapshots(location, spec.database, lookup));
  bool snapshot_damaged = false;
  for (const auto& d : outcome.damaged_snapshots) snapshot_damaged |= d.id == spec.snapshot_id;
  // The snapshot to check chunk by chunk, unless it is one of the damaged ones.
  if (!spec.snapshot_id.empty() && !snapshot_damaged) {
    ASSIGN_OR_RETURN(outcome.checked, ResolveSnapshot(location, spec.database, spec.snapshot_id,
                                                      /*with_chunks=*/false));
  } else if (spec.snapshot_id.empty()) {
    const bool head_damaged =
        lookup.head &&
        std::any_of(outcome.damaged_snapshots.begin(), outcome.damaged_snapshots.end(),
                    [&](const DamagedSnapshot& d) { return d.id == lookup.head->id; });
    if (!head_damaged) outcome.checked = std::move(lookup.head);
    if (!outcome.checked && !head_damaged && lookup.broken.ok() &&
        outcome.damaged_snapshots.empty()) {
      return NotFound("backupDir " + Quote(spec.dir) + " holds no backup of database " +
                      Quote(spec.database));
    }
  }
  return Status::Ok();
}

// Pruning deletes snapshots that other users' databases and restores may rely on: superusers
// only, with DB_WRITE on the database.
Result<PruneOutcome> BackupService::Prune(const std::string& dir, const std::string& key_path,
                                          const PruneRequest& request) {
  RETURN_IF_ERROR(CheckUsable());
  ASSIGN_OR_RETURN(bool superuser, session_.IsSuperuser());
  if (!superuser) {
    return PermissionDenied("user " + Quote(session_.user()) + " may not prune backupDir " +
                            Quote(dir) + ": only a superuser may delete snapshots")
        .WithRemedy({RemedyKind::kAskSuperuserToPrune, {dir, request.database}});
  }
  RETURN_IF_ERROR(session_.databases().Check(request.database, DatabaseAccess::kWrite));
  ASSIGN_OR_RETURN(BackupLocation location, OpenExisting(dir, key_path));
  ASSIGN_OR_RETURN(PruneOutcome outcome, PruneBackups(location, request));
  if (!outcome.sweep_skipped.empty()) session_.Warn("prune: " + outcome.sweep_skipped);
  return outcome;
}

}  // namespace strata
