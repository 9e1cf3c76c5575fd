// Segment reservations and installations: how restored chunks enter a data directory.
// Segments are staged (written without fsync) while the restore fetches them, outside the
// writer lock, and published a batch at a time; no segment is removed while a reservation
// lives. An installation then writes every chunk version in one transaction, a batch at a
// time, and commits once.
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
  std::lock_guard lock(engine_->reserved_mutex_);
  --engine_->reservations_;
  // What no commit came to reference (a failed restore's staged segments) goes at the close.
  if (staged_ && !committed_) engine_->scan_for_unreferenced_ = true;
}

Result<std::unique_ptr<Engine::SegmentReservation>> Engine::ReserveSegments() {
  RETURN_IF_ERROR(BeginChange());
  std::lock_guard lock(reserved_mutex_);
  ++reservations_;
  return std::unique_ptr<SegmentReservation>(new SegmentReservation(this));
}

bool Engine::HasSegment(const SegmentReservation& reservation, const std::string& id) {
  (void)reservation;  // while it lives no segment is removed: what exists now stays
  return segments_.Exists(id);
}

Status Engine::StageSegment(SegmentReservation& reservation, const std::string& id,
                            std::string_view bytes) {
  reservation.staged_ = true;
  return segments_.StageVerified(id, bytes);
}

Status Engine::PublishStaged(SegmentReservation& reservation) {
  (void)reservation;  // what it publishes stays until the reservation ends
  return segments_.PublishStaged();
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
  std::vector<bool> create;  // not in the catalog yet: the installation inserts it
  // Per table with its own scheme: that scheme, grown by the paths admitted, and whether it
  // grew (the commit records a new layout then), and the source's scheme (the backup's); null
  // for tables laid out by the database's.
  std::vector<std::unique_ptr<PartitionScheme>> schemes;
  std::vector<bool> scheme_changed;
  std::vector<std::unique_ptr<PartitionScheme>> sources;
};

// Guarantees every path of `chunks` of `table` fits `scheme` (dimension tables hold only '/');
// admits new VALUE partitions into it and returns whether it grew.
Result<bool> AdmitPaths(const InstallRequest& request, const InstallTable& table,
                        std::span<const InstallChunk> chunks, PartitionScheme& scheme) {
  bool changed = false;
  for (const auto& chunk : chunks) {
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
// `source` (the backup's) that `chunks` of table `name` lie in and the table no longer has: a
// dropped partition comes back. One that overlaps another is refused naming both. Returns
// whether the scheme grew.
Result<bool> AddBackedUpPartitions(const std::string& name, std::span<const InstallChunk> chunks,
                                   const PartitionScheme& source,
                                   std::unique_ptr<PartitionScheme>& scheme) {
  std::vector<NamedPartition> have = NamedPartitionsOf(*scheme);
  if (have.empty()) return false;  // not named: the paths must fit as they are
  std::set<std::string> names;
  for (const auto& chunk : chunks) names.insert(source.PartitionName(chunk.path));
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
                                        " of table " + Quote(name));
    }
    scheme = std::move(*added);
    have.push_back(backed_up);
    grew = true;
  }
  return grew;
}

// The scheme restored chunks of `want` must fit when it has one of its own: the existing
// table's (without the named partitions the source lacks when `want` drops them; backed-up
// ones it lacks come back as chunks arrive), else (a new table) the source's. Sets `*grew`
// when that is a new layout of an existing table.
Result<std::unique_ptr<PartitionScheme>> OwnScheme(const InstallRequest& request,
                                                   const InstallTable& want,
                                                   const PartitionScheme& source,
                                                   const TableRecord* existing, bool* grew) {
  if (existing == nullptr) return PartitionScheme::FromJson(want.scheme);
  auto scheme = PartitionScheme::FromJson(existing->scheme);
  if (!scheme.ok()) {
    return scheme.status().WithContext("table " + Quote(want.name) + " of database " +
                                       Quote(request.database));
  }
  // The same layout (buckets, HASH-only levels, what each shared partition name holds).
  Status same = CheckSameLayout(
      **scheme, "table " + Quote(want.name) + " of database " + Quote(request.database), source,
      request.source_name);
  if (!same.ok()) {
    return FailedPrecondition(
        same.message() + "; restore under another name, or into a table laid out the same way");
  }
  if (want.drop_absent_partitions) {
    std::set<std::string> kept;
    for (const auto& p : NamedPartitionsOf(source)) kept.insert(p.name);
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

// Guarantees existing tables match the source's definition exactly, and that missing ones may
// be created and are valid for the scheme (each gets a physical index no other table has).
Result<InstallTables> ResolveTables(Catalog& catalog, const InstallRequest& request,
                                    const InstallTarget& target, int64_t latest) {
  const size_t count = request.tables.size();
  InstallTables tables{std::vector<TableRecord>(count), std::vector<bool>(count, false),
                       std::vector<std::unique_ptr<PartitionScheme>>(count),
                       std::vector<bool>(count, false),
                       std::vector<std::unique_ptr<PartitionScheme>>(count)};
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
      auto source = PartitionScheme::FromJson(want.scheme);
      if (!source.ok()) {
        return source.status().WithContext("table " + Quote(want.name) + " of " +
                                           request.source_name);
      }
      tables.sources[t] = std::move(*source);
      bool changed = false;
      ASSIGN_OR_RETURN(tables.schemes[t], OwnScheme(request, want, *tables.sources[t],
                                                    existing ? &*existing : nullptr, &changed));
      tables.scheme_changed[t] = changed;
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

// Guarantees the transaction holds the database row: an existing one as it is, or a new one
// created at `cid` with the request's scheme and options.
Result<DatabaseRecord> WriteDatabase(Catalog::Transaction& txn, const InstallRequest& request,
                                     const InstallTarget& target, int64_t cid) {
  if (target.db) return *target.db;
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

// The catalog reads of an installation: a page at a time.
constexpr size_t kInstallPageChunks = 4096;

}  // namespace

// Everything an installation holds between its begin and its commit: the request without its
// chunks, the resolved target, the open transaction; never the chunks of earlier batches.
struct Engine::Installation::State {
  Engine* engine = nullptr;
  std::unique_lock<std::mutex> writer;
  SnapshotPtr pin;  // the latest commit at the begin; chunk versions are read as of it
  InstallRequest request;
  InstallTarget target;
  InstallTables tables;
  std::unique_ptr<Catalog::Transaction> txn;
  std::unique_ptr<SegmentReservation> reservation;
  DatabaseRecord database;
  int64_t cid = 0;
  int64_t now_ms = 0;
  bool failed = false;
  // Per catalog table id (0: a DATABASE-granularity database's shared chunks): the range of
  // paths written over existing versions, which the commit's pruning visits.
  std::map<int64_t, std::pair<std::string, std::string>> replaced;

  // Widens the range of table id `table_id` in `replaced` to hold [first, last].
  void NoteReplaced(int64_t table_id, const std::string& first, const std::string& last) {
    auto [range, fresh] = replaced.try_emplace(table_id, first, last);
    if (fresh) return;
    range->second.first = std::min(range->second.first, first);
    range->second.second = std::max(range->second.second, last);
  }
  int64_t latest() const { return pin->cid(); }
  int64_t chunk_table_id(size_t t) const {
    return database.granularity == ChunkGranularity::kTable ? tables.records[t].id : 0;
  }
  // The latest versions (before this commit) of `table`'s chunks at the paths of `chunks` and
  // `drops`, read a page at a time over the range they span.
  Result<std::map<std::string, ChunkVersionRecord>> Previous(
      size_t t, std::span<const InstallChunk> chunks, std::span<const std::string> drops) const;
  Status WriteVersion(size_t t, const std::string& path, bool keep_own,
                      const std::vector<SegmentRef>& added,
                      const std::map<std::string, ChunkVersionRecord>& previous);
  Status DropTables();
  Status PruneReplaced();
};

Result<std::map<std::string, ChunkVersionRecord>> Engine::Installation::State::Previous(
    size_t t, std::span<const InstallChunk> chunks, std::span<const std::string> drops) const {
  std::map<std::string, ChunkVersionRecord> previous;
  const bool by_table = database.granularity == ChunkGranularity::kTable;
  if (!target.db || (tables.create[t] && by_table) || (chunks.empty() && drops.empty())) {
    return previous;  // a new database, or a new table's own chunks: nothing before
  }
  std::set<std::string> paths;
  for (const auto& chunk : chunks) paths.insert(chunk.path);
  paths.insert(drops.begin(), drops.end());
  Catalog::ChunkQuery query{.db_id = database.id, .as_of_cid = latest()};
  query.table_id = chunk_table_id(t);
  query.paths = {*paths.begin(), *paths.rbegin() + '\0'};
  query.limit = kInstallPageChunks;
  for (;;) {
    ASSIGN_OR_RETURN(auto page, engine->catalog_->ListChunkVersions(query));
    if (page.empty()) return previous;
    query.after_path = page.back().path;
    const bool last = page.size() < kInstallPageChunks;
    for (auto& v : page) {
      if (paths.count(v.path)) previous.emplace(v.path, std::move(v));
    }
    if (last) return previous;
  }
}

// The new version of (table, path): what other tables hold there (DATABASE granularity), this
// table's rows when appending, then `added`.
Status Engine::Installation::State::WriteVersion(
    size_t t, const std::string& path, bool keep_own, const std::vector<SegmentRef>& added,
    const std::map<std::string, ChunkVersionRecord>& previous) {
  const TableRecord& table = tables.records[t];
  ChunkVersionRecord version;
  version.db_id = database.id;
  version.table_id = chunk_table_id(t);
  ASSIGN_OR_RETURN(version.chunk_id, txn->ChunkIdFor(database.id, version.table_id, path));
  version.path = path;
  version.cid = cid;
  version.update_time_ms = now_ms;
  auto old = previous.find(path);
  if (old != previous.end()) {
    for (const auto& s : old->second.segments) {
      if (s.table_id != table.id || keep_own) version.segments.push_back(s);
    }
    NoteReplaced(version.table_id, path, path);
  }
  for (const auto& s : added) {
    version.segments.push_back(SegmentEntry{s.id, table.id, s.rows, s.size_bytes});
  }
  for (const auto& s : version.segments) version.rows += s.rows;
  version.deleted = version.segments.empty();
  return txn->InsertChunkVersion(version);
}

// Guarantees the transaction drops every table of `request.drop_tables`: a deleted version of
// each of its chunks, and the table marked dropped.
Status Engine::Installation::State::DropTables() {
  for (const auto& name : request.drop_tables) {
    for (const auto& want : request.tables) {
      if (want.name == name) {
        return InvalidArgument("table " + Quote(name) + " cannot be both restored and dropped");
      }
    }
    if (!target.db) continue;
    ASSIGN_OR_RETURN(auto table, engine->catalog_->FindTable(database.id, name, latest()));
    if (!table) continue;  // gone already: nothing to drop
    if (database.granularity != ChunkGranularity::kTable) {
      return InvalidArgument("database " + Quote(request.database) +
                             " keeps every table's rows in shared chunks (DATABASE granularity); "
                             "drop table " +
                             Quote(name) + " on its own instead");
    }
    Catalog::ChunkQuery query{.db_id = database.id, .table_id = table->id, .as_of_cid = latest()};
    query.limit = kInstallPageChunks;
    for (;;) {
      ASSIGN_OR_RETURN(auto page, engine->catalog_->ListChunkVersions(query));
      for (auto& chunk : page) {
        chunk.cid = cid;
        chunk.update_time_ms = now_ms;
        chunk.segments.clear();
        chunk.rows = 0;
        chunk.deleted = true;
        RETURN_IF_ERROR(txn->InsertChunkVersion(chunk));
      }
      if (!page.empty()) NoteReplaced(table->id, page.front().path, page.back().path);
      if (page.size() < kInstallPageChunks) break;
      query.after_path = page.back().path;
    }
    RETURN_IF_ERROR(txn->MarkTableDropped(table->id, cid));
  }
  return Status::Ok();
}

// After the commit: the older versions of the chunks it wrote over, pruned a page at a time
// (the chunks it found at their paths with a version at its cid).
Status Engine::Installation::State::PruneReplaced() {
  for (const auto& [table_id, range] : replaced) {
    Catalog::ChunkQuery query{
        .db_id = database.id, .table_id = table_id, .as_of_cid = cid, .include_deleted = true};
    query.paths = {range.first, range.second + '\0'};
    query.limit = kInstallPageChunks;
    for (;;) {
      ASSIGN_OR_RETURN(auto page, engine->catalog_->ListChunkVersions(query));
      std::vector<std::string> ids;
      for (const auto& v : page) {
        if (v.cid == cid) ids.push_back(v.chunk_id);
      }
      RETURN_IF_ERROR(engine->PruneAfterCommit(ids));
      if (page.size() < kInstallPageChunks) break;
      query.after_path = page.back().path;
    }
  }
  return Status::Ok();
}

Engine::Installation::Installation(std::unique_ptr<State> state) : state_(std::move(state)) {}

Engine::Installation::~Installation() = default;  // an uncommitted transaction rolls back

// The order is what makes a crash safe: the clean-close marker went before anything reached
// the disk (ReserveSegments), the staged segments are durable before the commit names them,
// and everything is checked before the transaction commits.
Result<std::unique_ptr<Engine::Installation>> Engine::BeginInstall(
    const InstallRequest& request, std::unique_ptr<SegmentReservation> reservation) {
  RETURN_IF_ERROR(CheckDatabaseName(request.database));
  auto state = std::make_unique<Installation::State>();
  state->engine = this;
  state->reservation = std::move(reservation);
  state->request = request;
  for (auto& table : state->request.tables) {
    table.chunks.clear();
    table.drop_paths.clear();
  }
  state->writer = std::unique_lock(writer_mutex_);
  state->pin = PinLatest();
  const int64_t latest = state->pin->cid();
  ASSIGN_OR_RETURN(state->target, ResolveTarget(*this, *catalog_, request, latest));
  ASSIGN_OR_RETURN(state->tables, ResolveTables(*catalog_, request, state->target, latest));
  ASSIGN_OR_RETURN(state->txn, catalog_->Begin());
  state->now_ms = NowMs();
  ASSIGN_OR_RETURN(state->cid, state->txn->AllocateCid(state->now_ms, request.description));
  ASSIGN_OR_RETURN(state->database, WriteDatabase(*state->txn, request, state->target, state->cid));
  for (size_t t = 0; t < state->tables.records.size(); ++t) {
    if (!state->tables.create[t]) continue;
    TableRecord& table = state->tables.records[t];
    table.db_id = state->database.id;
    table.created_cid = state->cid;
    ASSIGN_OR_RETURN(table.id, state->txn->InsertTable(table));
  }
  return std::unique_ptr<Installation>(new Installation(std::move(state)));
}

Status Engine::Installation::Add(size_t t, std::span<const InstallChunk> chunks,
                                 std::span<const std::string> drop_paths) {
  State& s = *state_;
  if (s.failed) return FailedPrecondition("the installation failed before; nothing changed");
  if (t >= s.tables.records.size()) {
    return InvalidArgument("installation has no table " + std::to_string(t));
  }
  s.failed = true;  // until this batch is in
  const InstallTable& want = s.request.tables[t];
  if (s.tables.schemes[t]) {
    ASSIGN_OR_RETURN(bool added, AddBackedUpPartitions(want.name, chunks, *s.tables.sources[t],
                                                       s.tables.schemes[t]));
    ASSIGN_OR_RETURN(bool grew, AdmitPaths(s.request, want, chunks, *s.tables.schemes[t]));
    s.tables.scheme_changed[t] = s.tables.scheme_changed[t] || added || grew;
  } else {
    ASSIGN_OR_RETURN(bool grew, AdmitPaths(s.request, want, chunks, *s.target.scheme));
    s.target.scheme_changed = s.target.scheme_changed || grew;
  }
  ASSIGN_OR_RETURN(auto previous, s.Previous(t, chunks, drop_paths));
  for (const auto& chunk : chunks) {
    RETURN_IF_ERROR(s.WriteVersion(t, chunk.path, chunk.append, chunk.segments, previous));
  }
  for (const auto& path : drop_paths) {
    if (previous.count(path)) RETURN_IF_ERROR(s.WriteVersion(t, path, false, {}, previous));
  }
  s.failed = false;
  return Status::Ok();
}

const std::string& Engine::Installation::physical_index(size_t t) const {
  return state_->tables.records.at(t).physical_index;
}

Result<int64_t> Engine::Installation::Commit() {
  State& s = *state_;
  if (s.failed || !s.txn) return FailedPrecondition("the installation failed; nothing changed");
  s.failed = true;
  if (s.target.scheme_changed) {
    RETURN_IF_ERROR(s.txn->UpdateDatabaseScheme(s.database.id, s.target.scheme->ToJson()));
  }
  for (size_t t = 0; t < s.tables.records.size(); ++t) {
    if (!s.tables.scheme_changed[t]) continue;
    const TableRecord& table = s.tables.records[t];
    RETURN_IF_ERROR(
        s.txn->SetTableLayout(table.id, s.cid, s.tables.schemes[t]->ToJson(), table.definition));
  }
  RETURN_IF_ERROR(s.DropTables());
  // The staged segments exist before they are named.
  RETURN_IF_ERROR(s.engine->segments_.PublishStaged());
  RETURN_IF_ERROR(s.txn->Commit());
  s.txn.reset();
  s.engine->snapshots_.Publish(s.cid);
  s.pin.reset();
  s.reservation->committed_ = true;
  s.reservation.reset();  // removals may go on
  // Committed: a failure to prune old versions or remove segments is not the restore's.
  (void)s.PruneReplaced();
  (void)s.engine->RemoveReleasedSegments();
  s.writer.unlock();
  return s.cid;
}

Result<InstallResult> Engine::Install(const InstallRequest& request,
                                      std::unique_ptr<SegmentReservation> reservation) {
  ASSIGN_OR_RETURN(auto installation, BeginInstall(request, std::move(reservation)));
  InstallResult result;
  for (size_t t = 0; t < request.tables.size(); ++t) {
    const InstallTable& table = request.tables[t];
    RETURN_IF_ERROR(installation->Add(t, table.chunks, table.drop_paths));
    for (const auto& chunk : table.chunks) {
      result.chunks.push_back({table.name, chunk.path, installation->physical_index(t)});
    }
  }
  ASSIGN_OR_RETURN(result.cid, installation->Commit());
  return result;
}

}  // namespace strata
