// Engine::Install and segment reservations: how restored chunks enter a data directory.
// Segments are staged (written without fsync, protected from garbage collection) while the
// restore fetches them, outside the writer lock; Install makes them all durable with one
// barrier, then the catalog changes in one commit.
#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "partition/layout_check.h"
#include "partition/named_partitions.h"

namespace strata {

Engine::SegmentReservation::~SegmentReservation() {
  {
    std::lock_guard lock(engine_->reserved_mutex_);
    for (const auto& id : ids_) engine_->reserved_.erase(engine_->reserved_.find(id));
  }
  // What no commit came to reference (a failed restore's staged segments) goes at the close.
  std::lock_guard lock(engine_->garbage_mutex_);
  engine_->released_.insert(ids_.begin(), ids_.end());
}

std::unique_ptr<Engine::SegmentReservation> Engine::ReserveSegments() {
  return std::unique_ptr<SegmentReservation>(new SegmentReservation(this));
}

bool Engine::ReserveExisting(SegmentReservation& reservation, const std::string& id) {
  std::lock_guard lock(reserved_mutex_);
  reserved_.insert(id);
  reservation.ids_.push_back(id);
  return segments_.Exists(id);
}

Status Engine::StageSegment(SegmentReservation& reservation, const std::string& id,
                            std::string_view bytes) {
  (void)reservation;  // the caller's ReserveExisting already holds `id`
  return segments_.StageHashVerified(id, bytes);
}

namespace {

// OK if `existing` has exactly the columns (names and types) and partition columns of `want`.
Status CheckSameTable(const std::string& db_name, const TableRecord& existing,
                      const InstallTable& want) {
  std::string where = "table " + Quote(existing.name) + " of database " + Quote(db_name);
  if (auto difference = TableShapeDifference(existing.schema, existing.partition_columns,
                                             want.schema, want.partition_columns, "the backup")) {
    return InvalidArgument(where + *difference + "; restore into a table with the backup's schema");
  }
  if (existing.scheme.is_null() != want.scheme.is_null()) {
    return InvalidArgument(where + (existing.scheme.is_null() ? " is" : " is not") +
                           " laid out by its database's partition scheme but the backup's table " +
                           (want.scheme.is_null() ? "is" : "has partitions of its own") +
                           "; restore it under another name");
  }
  return Status::Ok();
}

// The database an install writes into, as the latest commit sees it.
struct InstallTarget {
  std::optional<DatabaseRecord> db;  // nullopt: created by the install's commit
  std::unique_ptr<PartitionScheme> scheme;
  bool scheme_changed = false;  // new VALUE partitions were admitted
};

// Guarantees the target database exists or may be created, and that an existing one lays rows
// out as the source did; returns its scheme (the request's for a new database).
Result<InstallTarget> ResolveTarget(const Engine& engine, Catalog& catalog,
                                    const InstallRequest& request, int64_t latest) {
  InstallTarget target;
  ASSIGN_OR_RETURN(target.db, catalog.FindDatabase(request.database, latest));
  if (!target.db && !request.create_scheme) {
    return NotFound("database " + Quote(request.database) + " does not exist")
        .WithRemedy({RemedyKind::kCreateDatabase, {request.database}});
  }
  if (!target.db) {
    auto made = PartitionScheme::FromJson(*request.create_scheme);
    if (!made.ok()) return made.status().WithContext("database " + Quote(request.database));
    target.scheme = std::move(*made);
    return target;
  }
  ASSIGN_OR_RETURN(target.scheme, engine.SchemeOf(*target.db));
  if (request.source_scheme) {
    auto source = PartitionScheme::FromJson(*request.source_scheme);
    if (!source.ok()) return source.status().WithContext(request.source_name);
    Status same = CheckSameLayout(*target.scheme, "database " + Quote(request.database), **source,
                                  request.source_name);
    if (!same.ok()) {
      return FailedPrecondition(same.message() +
                                "; restore into a new database instead (it takes the "
                                "backup's scheme), or into one partitioned the same way");
    }
  }
  return target;
}

// The request's tables, in request order, as catalog records.
struct InstallTables {
  std::vector<TableRecord> records;
  std::vector<bool> create;  // not in the catalog yet: the install's commit inserts it
  // Per table with its own scheme: that scheme, grown by the paths admitted, and whether it
  // grew (the commit records a new layout then); null for tables laid out by the database's.
  std::vector<std::unique_ptr<PartitionScheme>> schemes;
  std::vector<bool> scheme_changed;
};

// Guarantees every restored path of `table` fits `scheme` (dimension tables hold only '/');
// admits new VALUE partitions into it and returns whether it grew.
Result<bool> AdmitPaths(const InstallRequest& request, const InstallTable& table,
                        PartitionScheme& scheme) {
  bool changed = false;
  for (const auto& chunk : table.chunks) {
    if (table.partition_columns.empty()) {
      if (chunk.path != "/") {
        return InvalidArgument("dimension table " + Quote(table.name) + " holds only path '/', " +
                               "got " + Quote(chunk.path));
      }
      continue;
    }
    auto admitted = scheme.AdmitPath(chunk.path);
    if (!admitted.ok()) {
      return admitted.status().WithContext(
          "partition " + Quote(chunk.path) + " of table " + Quote(table.name) + " does not fit " +
          (table.scheme.is_null() ? "database " : "table ") +
          Quote(table.scheme.is_null() ? request.database : table.name));
    }
    changed = *admitted || changed;
  }
  return changed;
}

// Adds to `scheme` (an existing table's, laid out as `source` is) the named partitions of
// `source` (the backup's) that restored chunks of `want` lie in and the table no longer has: a
// dropped partition comes back. One that overlaps another is refused naming both. Returns
// whether the scheme grew.
Result<bool> AddBackedUpPartitions(const InstallTable& want, const PartitionScheme& source,
                                   std::unique_ptr<PartitionScheme>& scheme) {
  std::vector<NamedPartition> have = NamedPartitionsOf(*scheme);
  if (have.empty()) return false;  // not named: the paths must fit as they are
  std::set<std::string> names;
  for (const auto& chunk : want.chunks) names.insert(source.PartitionName(chunk.path));
  bool grew = false;
  for (const NamedPartition& backed_up : NamedPartitionsOf(source)) {
    if (!names.count(backed_up.name)) continue;
    // A partition of this name holds the same values here (CheckSameLayout saw to it).
    if (std::any_of(have.begin(), have.end(),
                    [&](const NamedPartition& p) { return p.name == backed_up.name; })) {
      continue;
    }
    auto added =
        backed_up.type == PartitionType::kRange
            ? AddNamedRange(*scheme, NamedRange{backed_up.name, backed_up.low, backed_up.high})
            : AddNamedList(*scheme, NamedList{backed_up.name, backed_up.values});
    if (!added.ok()) {
      return added.status().WithContext("restoring partition " + Quote(backed_up.name) +
                                        " of table " + Quote(want.name));
    }
    scheme = std::move(*added);
    grew = true;
  }
  return grew;
}

// The scheme restored chunks of `want` must fit when it has one of its own: the existing
// table's with the backed-up partitions it lacks added back, else (a new table) the backup's.
// Sets `*grew` when that is a new layout of an existing table.
Result<std::unique_ptr<PartitionScheme>> OwnScheme(const InstallRequest& request,
                                                   const InstallTable& want,
                                                   const TableRecord* existing, bool* grew) {
  auto source = PartitionScheme::FromJson(want.scheme);
  if (!source.ok()) {
    return source.status().WithContext("table " + Quote(want.name) + " of " + request.source_name);
  }
  if (existing == nullptr) return std::move(*source);
  auto scheme = PartitionScheme::FromJson(existing->scheme);
  if (!scheme.ok()) {
    return scheme.status().WithContext("table " + Quote(want.name) + " of database " +
                                       Quote(request.database));
  }
  // The same layout (buckets, HASH-only levels, what each shared partition name holds); the
  // backed-up named partitions the table lacks are added.
  Status same = CheckSameLayout(
      **scheme, "table " + Quote(want.name) + " of database " + Quote(request.database), **source,
      request.source_name);
  if (!same.ok()) {
    return FailedPrecondition(
        same.message() + "; restore under another name, or into a table laid out the same way");
  }
  ASSIGN_OR_RETURN(*grew, AddBackedUpPartitions(want, **source, *scheme));
  if (want.drop_absent_partitions) {
    std::set<std::string> kept;
    for (const auto& p : NamedPartitionsOf(**source)) kept.insert(p.name);
    for (const auto& p : NamedPartitionsOf(**scheme)) {
      if (kept.count(p.name)) continue;
      auto dropped = DropNamedPartition(**scheme, p.name);
      if (!dropped.ok()) return dropped.status().WithContext("table " + Quote(want.name));
      *scheme = std::move(*dropped);
      *grew = true;
    }
  }
  return std::move(*scheme);
}

// Guarantees existing tables match the backup's definition exactly, and that missing ones may
// be created and are valid for the scheme (each gets a physical index no other table has).
Result<InstallTables> ResolveTables(Catalog& catalog, const InstallRequest& request,
                                    InstallTarget& target, int64_t latest) {
  const size_t count = request.tables.size();
  InstallTables tables{std::vector<TableRecord>(count), std::vector<bool>(count, false),
                       std::vector<std::unique_ptr<PartitionScheme>>(count),
                       std::vector<bool>(count, false)};
  std::vector<TableRecord> taken;
  if (target.db) {
    ASSIGN_OR_RETURN(taken, catalog.ListTables(target.db->id, latest));
  }
  for (size_t t = 0; t < request.tables.size(); ++t) {
    const InstallTable& want = request.tables[t];
    std::optional<TableRecord> existing;
    if (target.db) {
      ASSIGN_OR_RETURN(existing, catalog.FindTable(target.db->id, want.name, latest));
    }
    if (existing) {
      RETURN_IF_ERROR(CheckSameTable(request.database, *existing, want));
      tables.records[t] = *existing;
    } else if (!request.create_missing_tables) {
      return NotFound("table " + Quote(want.name) + " does not exist in database " +
                      Quote(request.database))
          .WithRemedy({RemedyKind::kCreateTable, {request.database, want.name}});
    }
    if (!want.scheme.is_null()) {
      bool added = false;
      ASSIGN_OR_RETURN(tables.schemes[t],
                       OwnScheme(request, want, existing ? &*existing : nullptr, &added));
      ASSIGN_OR_RETURN(bool grew, AdmitPaths(request, want, *tables.schemes[t]));
      tables.scheme_changed[t] = grew || added;
    } else {
      ASSIGN_OR_RETURN(bool grew, AdmitPaths(request, want, *target.scheme));
      target.scheme_changed = grew || target.scheme_changed;
    }
    if (existing) continue;
    if (!want.scheme.is_null() && target.db && target.db->granularity != ChunkGranularity::kTable) {
      return InvalidArgument("table " + Quote(want.name) +
                             " has partitions of its own, which database " +
                             Quote(request.database) +
                             " (DATABASE granularity) cannot hold; restore into another database");
    }
    const PartitionScheme& scheme = tables.schemes[t] ? *tables.schemes[t] : *target.scheme;
    RETURN_IF_ERROR(CheckTableDefinition(request.database, want.name, want.schema,
                                         want.partition_columns, scheme,
                                         tables.schemes[t] != nullptr));
    tables.records[t] = TableRecord{
        0, 0, want.name, NewPhysicalIndex(taken), want.schema, want.partition_columns, 0, 0};
    if (tables.schemes[t]) tables.records[t].scheme = tables.schemes[t]->ToJson();
    tables.records[t].definition = want.definition;
    taken.push_back(tables.records[t]);
    tables.create[t] = true;
  }
  return tables;
}

// Guarantees the transaction holds the database row: the grown scheme of an existing one, or
// a new one created at `cid` with the request's options.
Result<DatabaseRecord> WriteDatabase(Catalog::Transaction& txn, const InstallRequest& request,
                                     const InstallTarget& target, int64_t cid) {
  if (target.db) {
    if (target.scheme_changed) {
      RETURN_IF_ERROR(txn.UpdateDatabaseScheme(target.db->id, target.scheme->ToJson()));
    }
    return *target.db;
  }
  DatabaseRecord database{0,
                          request.database,
                          target.scheme->ToJson(),
                          request.create_options.engine,
                          request.create_options.atomic,
                          request.create_options.granularity,
                          cid,
                          0};
  ASSIGN_OR_RETURN(database.id, txn.InsertDatabase(database));
  return database;
}

// One commit's view of the catalog while an install writes its chunk versions.
struct InstallCommit {
  Catalog& catalog;
  Catalog::Transaction& txn;
  const DatabaseRecord& database;
  bool database_existed = false;
  int64_t latest = 0;  // the cid the install read
  int64_t cid = 0;     // the cid it commits
  int64_t now_ms = 0;
};

// Guarantees the transaction holds table `want` (inserted when new; with `grown_scheme` as its
// new layout when set) and a new version of each
// chunk it restores or drops; appends the installed chunks to `result` and their ids to
// `touched`.
Status WriteTableChunks(const InstallCommit& commit, const InstallTable& want, TableRecord& table,
                        bool create, const PartitionScheme* grown_scheme, InstallResult& result,
                        std::vector<std::string>& touched) {
  Catalog::Transaction& txn = commit.txn;
  const DatabaseRecord& database = commit.database;
  const bool by_table = database.granularity == ChunkGranularity::kTable;
  if (create) {
    table.db_id = database.id;
    table.created_cid = commit.cid;
    ASSIGN_OR_RETURN(table.id, txn.InsertTable(table));
  } else if (grown_scheme != nullptr) {
    RETURN_IF_ERROR(
        txn.SetTableLayout(table.id, commit.cid, grown_scheme->ToJson(), table.definition));
  }
  const int64_t chunk_table_id = by_table ? table.id : 0;
  std::map<std::string, ChunkVersionRecord> previous;  // at the paths written, at least
  if (commit.database_existed && (!create || !by_table) &&
      !(want.chunks.empty() && want.drop_paths.empty())) {
    Catalog::ChunkQuery query{.db_id = database.id, .as_of_cid = commit.latest};
    query.table_id = chunk_table_id;
    // The paths from the first written to the last: a restore of a few partitions reads
    // those, not the table.
    std::string first, last;
    for (const auto& chunk : want.chunks) {
      if (first.empty() || chunk.path < first) first = chunk.path;
      if (chunk.path > last) last = chunk.path;
    }
    for (const auto& path : want.drop_paths) {
      if (first.empty() || path < first) first = path;
      if (path > last) last = path;
    }
    query.paths = {first, last + '\0'};
    ASSIGN_OR_RETURN(auto versions, commit.catalog.ListChunkVersions(query));
    for (auto& v : versions) previous[v.path] = std::move(v);
  }
  // The new version of (table, path): what other tables hold there (DATABASE granularity),
  // this table's rows when appending, then `added`.
  auto write_version = [&](const std::string& path, bool keep_own,
                           const std::vector<SegmentRef>& added) -> Status {
    ChunkVersionRecord version;
    ASSIGN_OR_RETURN(version.chunk_id, txn.ChunkIdFor(database.id, chunk_table_id, path));
    version.db_id = database.id;
    version.table_id = chunk_table_id;
    version.path = path;
    version.cid = commit.cid;
    version.update_time_ms = commit.now_ms;
    auto old = previous.find(path);
    if (old != previous.end()) {
      for (const auto& s : old->second.segments) {
        if (s.table_id != table.id || keep_own) version.segments.push_back(s);
      }
    }
    for (const auto& s : added) {
      version.segments.push_back(SegmentEntry{s.id, table.id, s.rows, s.size_bytes});
    }
    for (const auto& s : version.segments) version.rows += s.rows;
    version.deleted = version.segments.empty();
    RETURN_IF_ERROR(txn.InsertChunkVersion(version));
    touched.push_back(version.chunk_id);
    return Status::Ok();
  };
  for (const auto& chunk : want.chunks) {
    RETURN_IF_ERROR(write_version(chunk.path, chunk.append, chunk.segments));
    result.chunks.push_back({table.name, chunk.path, table.physical_index});
  }
  for (const auto& path : want.drop_paths) {
    if (previous.count(path)) RETURN_IF_ERROR(write_version(path, false, {}));
  }
  return Status::Ok();
}

// Guarantees the transaction drops every table of `request.drop_tables`: a deleted version of
// each of its chunks, and the table marked dropped.
Status DropTablesInCommit(const InstallCommit& commit, const InstallRequest& request,
                          std::vector<std::string>& touched) {
  for (const auto& name : request.drop_tables) {
    for (const auto& want : request.tables) {
      if (want.name == name) {
        return InvalidArgument("table " + Quote(name) + " cannot be both restored and dropped");
      }
    }
    if (!commit.database_existed) continue;
    ASSIGN_OR_RETURN(auto table, commit.catalog.FindTable(commit.database.id, name, commit.latest));
    if (!table) continue;  // gone already: nothing to drop
    if (commit.database.granularity != ChunkGranularity::kTable) {
      return InvalidArgument("database " + Quote(request.database) +
                             " keeps every table's rows in shared chunks (DATABASE granularity); "
                             "drop table " +
                             Quote(name) + " on its own instead");
    }
    ASSIGN_OR_RETURN(auto chunks, commit.catalog.ListChunkVersions({.db_id = commit.database.id,
                                                                    .table_id = table->id,
                                                                    .as_of_cid = commit.latest}));
    for (auto& chunk : chunks) {
      chunk.cid = commit.cid;
      chunk.update_time_ms = commit.now_ms;
      chunk.segments.clear();
      chunk.rows = 0;
      chunk.deleted = true;
      RETURN_IF_ERROR(commit.txn.InsertChunkVersion(chunk));
      touched.push_back(chunk.chunk_id);
    }
    RETURN_IF_ERROR(commit.txn.MarkTableDropped(table->id, commit.cid));
  }
  return Status::Ok();
}

}  // namespace

// The order is what makes a crash safe: the clean-close marker goes before anything reaches
// the disk, the staged segments are durable before any commit names them, and everything is
// checked before the one transaction that creates, admits and installs.
Result<InstallResult> Engine::Install(const InstallRequest& request) {
  RETURN_IF_ERROR(CheckDatabaseName(request.database));
  RETURN_IF_ERROR(BeginChange());
  RETURN_IF_ERROR(segments_.PublishStaged());  // the staged segments exist before they are named
  std::lock_guard writer(writer_mutex_);
  auto pin = PinLatest();
  const int64_t latest = pin->cid();

  ASSIGN_OR_RETURN(InstallTarget target, ResolveTarget(*this, *catalog_, request, latest));
  ASSIGN_OR_RETURN(InstallTables tables, ResolveTables(*catalog_, request, target, latest));

  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  const int64_t now = NowMs();
  ASSIGN_OR_RETURN(int64_t cid, txn->AllocateCid(now, request.description));
  ASSIGN_OR_RETURN(DatabaseRecord database, WriteDatabase(*txn, request, target, cid));
  InstallCommit commit{*catalog_, *txn, database, target.db.has_value(), latest, cid, now};
  InstallResult result;
  result.cid = cid;
  std::vector<std::string> touched;
  for (size_t t = 0; t < request.tables.size(); ++t) {
    const PartitionScheme* grown = tables.scheme_changed[t] ? tables.schemes[t].get() : nullptr;
    RETURN_IF_ERROR(WriteTableChunks(commit, request.tables[t], tables.records[t], tables.create[t],
                                     grown, result, touched));
  }
  RETURN_IF_ERROR(DropTablesInCommit(commit, request, touched));
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  pin.reset();
  // Committed: a failure to prune old versions is not the restore's failure.
  (void)PruneAfterCommit(touched);
  if (!request.drop_tables.empty()) (void)RemoveReleasedSegments();
  return result;
}

}  // namespace strata
