// Engine::Install and segment reservations: how restored chunks enter a data directory.
// Segments are staged (written without fsync, protected from garbage collection) while the
// restore fetches them, outside the writer lock; Install makes them all durable with one
// barrier, then the catalog changes in one commit.
#include <map>

#include "base/strings.h"
#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "partition/layout_check.h"

namespace strata {

Engine::SegmentReservation::~SegmentReservation() {
  std::lock_guard lock(engine_->reserved_mutex_);
  for (const auto& id : ids_) engine_->reserved_.erase(engine_->reserved_.find(id));
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
  const Schema& have = existing.schema;
  if (have.size() != want.schema.size()) {
    return InvalidArgument(where + " has " + std::to_string(have.size()) +
                           " columns but the backup has " + std::to_string(want.schema.size()) +
                           "; restore into a table with the backup's schema");
  }
  for (size_t i = 0; i < have.size(); ++i) {
    const Field& a = have.field(i);
    const Field& b = want.schema.field(i);
    if (a.name != b.name || a.type != b.type) {
      return InvalidArgument(where + ": column " + std::to_string(i + 1) + " is " + Quote(a.name) +
                             " " + TypeName(a.type) + " but the backup has " + Quote(b.name) + " " +
                             TypeName(b.type));
    }
  }
  if (existing.partition_columns != want.partition_columns) {
    return InvalidArgument(where + " is partitioned by [" + Join(existing.partition_columns, ", ") +
                           "] but the backup by [" + Join(want.partition_columns, ", ") + "]");
  }
  return Status::Ok();
}

}  // namespace

Result<InstallResult> Engine::Install(const InstallRequest& request) {
  RETURN_IF_ERROR(CheckDatabaseName(request.database));
  RETURN_IF_ERROR(BeginChange());
  RETURN_IF_ERROR(segments_.PublishStaged());  // the staged segments exist before they are named
  std::lock_guard writer(writer_mutex_);
  auto pin = PinLatest();
  const int64_t latest = pin->cid();

  // The database and its scheme, with every restored path admitted.
  ASSIGN_OR_RETURN(auto db, catalog_->FindDatabase(request.database, latest));
  if (!db && !request.create_scheme) {
    return NotFound("database " + Quote(request.database) + " does not exist")
        .WithRemedy({RemedyKind::kCreateDatabase, {request.database}});
  }
  std::unique_ptr<PartitionScheme> scheme;
  if (db) {
    ASSIGN_OR_RETURN(scheme, SchemeOf(*db));
    if (request.source_scheme) {
      auto source = PartitionScheme::FromJson(*request.source_scheme);
      if (!source.ok()) return source.status().WithContext(request.source_name);
      Status same = CheckSameLayout(*scheme, "database " + Quote(request.database), **source,
                                    request.source_name);
      if (!same.ok()) {
        return FailedPrecondition(same.message() +
                                  "; restore into a new database instead (it takes the "
                                  "backup's scheme), or into one partitioned the same way");
      }
    }
  } else {
    auto made = PartitionScheme::FromJson(*request.create_scheme);
    if (!made.ok()) return made.status().WithContext("database " + Quote(request.database));
    scheme = std::move(*made);
  }
  bool scheme_changed = false;
  for (const auto& table : request.tables) {
    for (const auto& chunk : table.chunks) {
      if (table.partition_columns.empty()) {
        if (chunk.path != "/") {
          return InvalidArgument("dimension table " + Quote(table.name) + " holds only path '/', " +
                                 "got " + Quote(chunk.path));
        }
        continue;
      }
      auto admitted = scheme->AdmitPath(chunk.path);
      if (!admitted.ok()) {
        return admitted.status().WithContext("partition " + Quote(chunk.path) + " of table " +
                                             Quote(table.name) + " does not fit database " +
                                             Quote(request.database));
      }
      scheme_changed = *admitted || scheme_changed;
    }
  }

  // The tables: existing ones must match; missing ones are created when allowed.
  std::vector<TableRecord> records(request.tables.size());
  std::vector<bool> create(request.tables.size(), false);
  std::vector<TableRecord> taken;
  if (db) {
    ASSIGN_OR_RETURN(taken, catalog_->ListTables(db->id, latest));
  }
  for (size_t t = 0; t < request.tables.size(); ++t) {
    const InstallTable& want = request.tables[t];
    std::optional<TableRecord> existing;
    if (db) {
      ASSIGN_OR_RETURN(existing, catalog_->FindTable(db->id, want.name, latest));
    }
    if (existing) {
      RETURN_IF_ERROR(CheckSameTable(request.database, *existing, want));
      records[t] = *existing;
      continue;
    }
    if (!request.create_missing_tables) {
      return NotFound("table " + Quote(want.name) + " does not exist in database " +
                      Quote(request.database))
          .WithRemedy({RemedyKind::kCreateTable, {request.database, want.name}});
    }
    RETURN_IF_ERROR(CheckTableDefinition(request.database, want.name, want.schema,
                                         want.partition_columns, *scheme));
    records[t] = TableRecord{
        0, 0, want.name, NewPhysicalIndex(taken), want.schema, want.partition_columns, 0, 0};
    taken.push_back(records[t]);
    create[t] = true;
  }

  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  const int64_t now = NowMs();
  ASSIGN_OR_RETURN(int64_t cid, txn->AllocateCid(now, request.description));
  DatabaseRecord database;
  if (db) {
    database = *db;
    if (scheme_changed) RETURN_IF_ERROR(txn->UpdateDatabaseScheme(db->id, scheme->ToJson()));
  } else {
    database = DatabaseRecord{0,
                              request.database,
                              scheme->ToJson(),
                              request.create_options.engine,
                              request.create_options.atomic,
                              request.create_options.granularity,
                              cid,
                              0};
    ASSIGN_OR_RETURN(database.id, txn->InsertDatabase(database));
  }
  const bool by_table = database.granularity == ChunkGranularity::kTable;

  InstallResult result;
  result.cid = cid;
  std::vector<std::string> touched;
  for (size_t t = 0; t < request.tables.size(); ++t) {
    TableRecord& table = records[t];
    if (create[t]) {
      table.db_id = database.id;
      table.created_cid = cid;
      ASSIGN_OR_RETURN(table.id, txn->InsertTable(table));
    }
    const int64_t chunk_table_id = by_table ? table.id : 0;
    std::map<std::string, ChunkVersionRecord> previous;
    if (db && (!create[t] || !by_table)) {
      Catalog::ChunkQuery query{.db_id = database.id, .as_of_cid = latest};
      query.table_id = chunk_table_id;
      ASSIGN_OR_RETURN(auto versions, catalog_->ListChunkVersions(query));
      for (auto& v : versions) previous[v.path] = std::move(v);
    }
    // The new version of (table, path): what other tables hold there (DATABASE granularity),
    // this table's rows when appending, then `added`.
    auto write_version = [&](const std::string& path, bool keep_own,
                             const std::vector<SegmentRef>& added) -> Status {
      ChunkVersionRecord version;
      ASSIGN_OR_RETURN(version.chunk_id, txn->ChunkIdFor(database.id, chunk_table_id, path));
      version.db_id = database.id;
      version.table_id = chunk_table_id;
      version.path = path;
      version.cid = cid;
      version.update_time_ms = now;
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
      RETURN_IF_ERROR(txn->InsertChunkVersion(version));
      touched.push_back(version.chunk_id);
      return Status::Ok();
    };
    for (const auto& chunk : request.tables[t].chunks) {
      RETURN_IF_ERROR(write_version(chunk.path, chunk.append, chunk.segments));
      result.chunks.push_back({table.name, chunk.path, table.physical_index});
    }
    for (const auto& path : request.tables[t].drop_paths) {
      if (previous.count(path)) RETURN_IF_ERROR(write_version(path, false, {}));
    }
  }
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  pin.reset();
  // Committed: a failure to prune old versions is not the restore's failure.
  (void)PruneAfterCommit(touched);
  return result;
}

}  // namespace strata
