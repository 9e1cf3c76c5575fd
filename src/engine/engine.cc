#include "engine/engine.h"

#include <chrono>
#include <random>
#include <set>

#include "base/file_util.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "engine/engine_internal.h"

namespace strata {

namespace {

// Present while the data directory holds no garbage: written when a session closes after
// collecting it, removed before a session's first append, drop or restore. A crash in between
// leaves it absent.
constexpr const char* kCleanCloseMarker = "/clean-close";

}  // namespace

Engine::Engine(std::string data_dir, std::unique_ptr<DataDirLock> lock,
               std::unique_ptr<Catalog> catalog)
    : data_dir_(std::move(data_dir)),
      lock_(std::move(lock)),
      catalog_(std::move(catalog)),
      segments_(data_dir_) {}

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& data_dir) {
  RETURN_IF_ERROR(MakeDirs(data_dir));
  ASSIGN_OR_RETURN(auto lock, DataDirLock::Acquire(data_dir));
  // Anything in tmp/ is an unfinished write of a process that died.
  RETURN_IF_ERROR(MakeDirs(data_dir + "/tmp"));
  RETURN_IF_ERROR(ClearDirectory(data_dir + "/tmp"));
  ASSIGN_OR_RETURN(auto catalog, Catalog::Open(data_dir + "/catalog.sqlite"));
  auto engine = std::unique_ptr<Engine>(new Engine(data_dir, std::move(lock), std::move(catalog)));
  RETURN_IF_ERROR(engine->segments_.Open());
  ASSIGN_OR_RETURN(int64_t cid, engine->catalog_->LastCid());
  engine->snapshots_.Publish(cid);
  // The scan costs a listing of every segment file: skipped after a clean close.
  if (!PathExists(data_dir + kCleanCloseMarker)) RETURN_IF_ERROR(engine->CollectGarbage());
  return engine;
}

Engine::~Engine() {
  bool changed = false;
  {
    std::lock_guard lock(change_mutex_);
    changed = changed_;
  }
  // Pins this session held may have kept versions and segments alive; a failure leaves the
  // marker absent and the work to the next open.
  if (changed && !CollectSessionGarbage().ok()) return;
  const std::string marker = data_dir_ + kCleanCloseMarker;
  if (!PathExists(marker)) (void)WriteFileAtomic(marker, "", data_dir_ + "/tmp");
}

Status Engine::BeginChange() {
  std::lock_guard lock(change_mutex_);
  if (changed_) return Status::Ok();
  const std::string marker = data_dir_ + kCleanCloseMarker;
  if (PathExists(marker)) {
    RETURN_IF_ERROR(RemoveFile(marker));
    RETURN_IF_ERROR(FsyncDir(data_dir_));
  }
  changed_ = true;
  return Status::Ok();
}

SnapshotPtr Engine::PinLatest() { return snapshots_.PinLatest(); }

Status Engine::PruneAfterCommit(const std::vector<std::string>& chunk_ids) {
  if (chunk_ids.empty()) return Status::Ok();
  const std::vector<int64_t> pins = snapshots_.ProtectedCids();
  {
    // A pin below the newest state may keep versions: the close prunes these chunks again.
    std::lock_guard lock(garbage_mutex_);
    if (pins.size() > 1) pinned_chunks_.insert(chunk_ids.begin(), chunk_ids.end());
  }
  std::vector<std::string> released;
  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  RETURN_IF_ERROR(txn->PruneVersions(chunk_ids, pins, &released));
  RETURN_IF_ERROR(txn->Commit());
  std::lock_guard lock(garbage_mutex_);
  released_.insert(released.begin(), released.end());
  return Status::Ok();
}

Status Engine::RemoveReleasedSegments() {
  std::set<std::string> candidates;
  {
    std::lock_guard lock(garbage_mutex_);
    candidates.swap(released_);
  }
  for (auto it = candidates.begin(); it != candidates.end(); ++it) {
    auto referenced = catalog_->SegmentReferenced(*it);
    Status removed = referenced.ok() ? Status::Ok() : referenced.status();
    bool reserved = false;
    if (removed.ok() && !*referenced) {
      std::lock_guard lock(reserved_mutex_);  // a reservation made later sees the removal
      reserved = reservations_ > 0;
      if (!reserved && segments_.Exists(*it)) removed = segments_.Remove(*it);
    }
    if (reserved || !removed.ok()) {  // the rest stay candidates, for a later call or the close
      std::lock_guard lock(garbage_mutex_);
      released_.insert(it, candidates.end());
      return removed;
    }
  }
  return Status::Ok();
}

Status Engine::CollectSessionGarbage() {
  std::lock_guard writer(writer_mutex_);
  std::vector<std::string> chunks;
  {
    std::lock_guard lock(garbage_mutex_);
    chunks.assign(pinned_chunks_.begin(), pinned_chunks_.end());
    pinned_chunks_.clear();
  }
  RETURN_IF_ERROR(PruneAfterCommit(chunks));
  bool scan = false;
  {
    std::lock_guard lock(reserved_mutex_);
    scan = scan_for_unreferenced_;
  }
  return scan ? RemoveUnreferencedSegments() : RemoveReleasedSegments();
}

namespace {

// Whether re-running database(...) with `requested` may open a database created with
// `existing`: the same kinds and types level by level, and the same boundaries, buckets and
// lists — except VALUE levels, whose value lists grow as appends add partitions.
// Member `key` of a scheme document when it is a string, else "".
std::string SchemeText(const nlohmann::json& scheme, const char* key) {
  auto text = JsonFields(scheme, "partition scheme").String(key);
  return text.ok() ? *text : std::string();
}

bool SameSchemeShape(const nlohmann::json& existing, const nlohmann::json& requested) {
  const std::string type = SchemeText(existing, "type");
  if (type != SchemeText(requested, "type")) return false;
  if (type == "COMPO") {
    auto a = JsonFields(existing, "partition scheme").Array("levels");
    auto b = JsonFields(requested, "partition scheme").Array("levels");
    if (!a.ok() || !b.ok() || (*a)->size() != (*b)->size()) return false;
    for (size_t i = 0; i < (*a)->size(); ++i) {
      if (!SameSchemeShape((**a)[i], (**b)[i])) return false;
    }
    return true;
  }
  if (type == "VALUE")
    return SchemeText(existing, "value_type") == SchemeText(requested, "value_type");
  return existing == requested;
}

}  // namespace

Result<DatabaseRecord> Engine::CreateDatabase(const std::string& name,
                                              const PartitionScheme& scheme,
                                              const DatabaseOptions& options) {
  RETURN_IF_ERROR(CheckDatabaseName(name));
  std::lock_guard writer(writer_mutex_);
  ASSIGN_OR_RETURN(auto existing, catalog_->FindDatabase(name, snapshots_.latest()));
  if (existing) {
    if (SameSchemeShape(existing->scheme, scheme.ToJson()) &&
        existing->granularity == options.granularity) {
      return *existing;
    }
    auto existing_scheme = PartitionScheme::FromJson(existing->scheme);
    std::string described =
        existing_scheme.ok() ? (*existing_scheme)->Describe() : DumpJson(existing->scheme);
    return AlreadyExists("database " + Quote(name) + " already exists with partition scheme " +
                         described + " and chunkGranularity " +
                         ChunkGranularityName(existing->granularity))
        .WithRemedy({RemedyKind::kOpenOrDropDatabase, {name}});
  }
  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  ASSIGN_OR_RETURN(int64_t cid, txn->AllocateCid(NowMs(), "create database " + name));
  DatabaseRecord record{
      0, name, scheme.ToJson(), options.engine, options.atomic, options.granularity, cid, 0};
  ASSIGN_OR_RETURN(record.id, txn->InsertDatabase(record));
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  return record;
}

Result<DatabaseRecord> Engine::GetDatabase(const Snapshot& snapshot, const std::string& name) {
  ASSIGN_OR_RETURN(auto record, catalog_->FindDatabase(name, snapshot.cid()));
  if (!record) {
    return NotFound("database " + Quote(name) + " does not exist")
        .WithRemedy({RemedyKind::kDefineDatabase, {name}});
  }
  return *record;
}

Result<std::vector<DatabaseRecord>> Engine::ListDatabases(const Snapshot& snapshot) {
  return catalog_->ListDatabases(snapshot.cid());
}

Result<std::unique_ptr<PartitionScheme>> Engine::SchemeOf(const DatabaseRecord& db) const {
  auto scheme = PartitionScheme::FromJson(db.scheme);
  if (!scheme.ok()) return scheme.status().WithContext("database " + Quote(db.name));
  return scheme;
}

Result<std::unique_ptr<PartitionScheme>> Engine::SchemeOf(const TableRef& table) const {
  if (table.table.scheme.is_null()) return SchemeOf(table.db);
  auto scheme = PartitionScheme::FromJson(table.table.scheme);
  if (!scheme.ok()) {
    return scheme.status().WithContext("table " + Quote(table.table.name) + " of database " +
                                       Quote(table.db.name));
  }
  return scheme;
}

Status CheckDatabaseName(const std::string& name) {
  if (!name.starts_with("dfs://") || name.size() <= 6) {
    return InvalidArgument("database path " + Quote(name) + " must look like 'dfs://name'");
  }
  return Status::Ok();
}

std::string NewPhysicalIndex(const std::vector<TableRecord>& taken) {
  static constexpr char kAlphabet[] =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::random_device random;
  for (int attempt = 0;; ++attempt) {
    std::string index;
    size_t length = attempt < 100 ? 3 : 6;
    for (size_t i = 0; i < length; ++i) index.push_back(kAlphabet[random() % 62]);
    bool used = false;
    for (const auto& t : taken) used = used || t.physical_index == index;
    if (!used) return index;
  }
}

bool ValidIdentifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

Status CheckTableDefinition(const std::string& db_name, const std::string& table_name,
                            const Schema& schema, const std::vector<std::string>& partition_columns,
                            const PartitionScheme& scheme, bool own_scheme) {
  if (!ValidIdentifier(table_name)) {
    return InvalidArgument("table name " + Quote(table_name) +
                           " must start with a letter and contain only letters, digits and _");
  }
  if (schema.size() == 0) {
    return InvalidArgument("table " + Quote(table_name) + " needs at least one column");
  }
  for (size_t i = 0; i < schema.size(); ++i) {
    if (!ValidIdentifier(schema.field(i).name)) {
      return InvalidArgument("column name " + Quote(schema.field(i).name) + " of table " +
                             Quote(table_name) + " is not a valid identifier");
    }
    if (schema.field(i).type == Type::kVoid) {
      return InvalidArgument("column " + Quote(schema.field(i).name) + " of table " +
                             Quote(table_name) + " has no type (VOID)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (EqualsIgnoreCase(schema.field(i).name, schema.field(j).name)) {
        return InvalidArgument("table " + Quote(table_name) + " has two columns named " +
                               Quote(schema.field(i).name));
      }
    }
  }
  if (partition_columns.empty()) return Status::Ok();
  if (partition_columns.size() != scheme.level_count()) {
    return InvalidArgument("table " + Quote(table_name) + " names " +
                           std::to_string(partition_columns.size()) + " partition column(s) but " +
                           (own_scheme ? "its scheme" : "database " + Quote(db_name)) + " has " +
                           std::to_string(scheme.level_count()) + " partition level(s)");
  }
  for (size_t level = 0; level < partition_columns.size(); ++level) {
    auto index = schema.Find(partition_columns[level]);
    if (!index) {
      return InvalidArgument("partition column " + Quote(partition_columns[level]) +
                             " is not a column of table " + Quote(table_name));
    }
    Status type_ok = scheme.CheckColumnType(level, schema.field(*index).type);
    if (!type_ok.ok()) {
      return type_ok.WithContext("partition column " + Quote(partition_columns[level]) +
                                 " of table " + Quote(table_name));
    }
  }
  return Status::Ok();
}

Result<TableRef> Engine::CreateTable(const std::string& db_name, const std::string& table_name,
                                     const Schema& schema,
                                     const std::vector<std::string>& partition_columns,
                                     const TableOptions& options) {
  std::lock_guard writer(writer_mutex_);
  int64_t latest = snapshots_.latest();
  ASSIGN_OR_RETURN(auto db, catalog_->FindDatabase(db_name, latest));
  if (!db) return NotFound("database " + Quote(db_name) + " does not exist");
  ASSIGN_OR_RETURN(auto existing, catalog_->FindTable(db->id, table_name, latest));
  if (existing) {
    return AlreadyExists("table " + Quote(table_name) + " already exists in database " +
                         Quote(db_name) + "; drop it first with dropTable or use another name");
  }
  std::unique_ptr<PartitionScheme> scheme;
  if (options.scheme != nullptr) {
    if (db->granularity != ChunkGranularity::kTable) {
      return InvalidArgument("table " + Quote(table_name) +
                             " cannot have partitions of its own in database " + Quote(db_name) +
                             ", whose chunks hold every table's rows of a partition "
                             "(DATABASE granularity); create it in a TABLE-granularity database");
    }
    if (partition_columns.empty()) {
      return InvalidArgument("table " + Quote(table_name) +
                             " has a partition scheme of its own but no partition columns");
    }
    scheme = options.scheme->Clone();
  } else {
    ASSIGN_OR_RETURN(scheme, SchemeOf(*db));
  }
  RETURN_IF_ERROR(CheckTableDefinition(db_name, table_name, schema, partition_columns, *scheme,
                                       options.scheme != nullptr));
  ASSIGN_OR_RETURN(auto tables, catalog_->ListTables(db->id, latest));
  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  ASSIGN_OR_RETURN(int64_t cid,
                   txn->AllocateCid(NowMs(), "create table " + db_name + "/" + table_name));
  TableRecord record{0,   db->id, table_name, NewPhysicalIndex(tables), schema, partition_columns,
                     cid, 0};
  if (options.scheme != nullptr) record.scheme = scheme->ToJson();
  record.definition = options.definition;
  ASSIGN_OR_RETURN(record.id, txn->InsertTable(record));
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  return TableRef{*db, record};
}

Result<TableRef> Engine::GetTable(const Snapshot& snapshot, const std::string& db_name,
                                  const std::string& table_name) {
  ASSIGN_OR_RETURN(DatabaseRecord db, GetDatabase(snapshot, db_name));
  ASSIGN_OR_RETURN(auto table, catalog_->FindTable(db.id, table_name, snapshot.cid()));
  if (!table) {
    return NotFound("table " + Quote(table_name) + " does not exist in database " + Quote(db_name));
  }
  return TableRef{db, *table};
}

Result<std::vector<TableRecord>> Engine::ListTables(const Snapshot& snapshot, int64_t db_id) {
  return catalog_->ListTables(db_id, snapshot.cid());
}

namespace {

// Of a DATABASE-granularity database's chunks, those holding rows of table `table_id`, each
// with the number of those rows.
void KeepRowsOf(int64_t table_id, std::vector<ChunkVersionRecord>& chunks) {
  std::erase_if(chunks, [&](ChunkVersionRecord& chunk) {
    uint64_t rows = 0;
    for (const auto& s : chunk.segments) rows += s.table_id == table_id ? s.rows : 0;
    chunk.rows = rows;
    return rows == 0;
  });
}

}  // namespace

Result<std::vector<ChunkVersionRecord>> Engine::ListChunks(const Snapshot& snapshot,
                                                           const TableRef& table,
                                                           const std::optional<PathRange>& paths) {
  Catalog::ChunkQuery query{.db_id = table.db.id, .as_of_cid = snapshot.cid(), .paths = paths};
  if (table.db.granularity == ChunkGranularity::kTable) query.table_id = table.table.id;
  ASSIGN_OR_RETURN(auto chunks, catalog_->ListChunkVersions(query));
  if (table.db.granularity == ChunkGranularity::kDatabase) KeepRowsOf(table.table.id, chunks);
  return chunks;
}

Result<Engine::ChunkPage> Engine::ListChunkPage(const Snapshot& snapshot, const TableRef& table,
                                                const std::optional<std::string>& after,
                                                size_t limit) {
  // A DATABASE-granularity database files its chunks under table id 0.
  const bool own = table.db.granularity == ChunkGranularity::kTable;
  Catalog::ChunkQuery query{.db_id = table.db.id,
                            .table_id = own ? table.table.id : 0,
                            .as_of_cid = snapshot.cid(),
                            .after_path = after,
                            .limit = std::max<size_t>(limit, 1)};
  ChunkPage page;
  ASSIGN_OR_RETURN(page.chunks, catalog_->ListChunkVersions(query));
  if (page.chunks.size() == query.limit) page.next_after = page.chunks.back().path;
  if (!own) KeepRowsOf(table.table.id, page.chunks);
  return page;
}

Result<std::vector<ChunkVersionRecord>> Engine::ListChunksChangedSince(const Snapshot& snapshot,
                                                                       const DatabaseRecord& db,
                                                                       int64_t after_cid) {
  return catalog_->ListChunkVersionsChangedSince(
      {.db_id = db.id, .as_of_cid = snapshot.cid(), .include_deleted = true}, after_cid);
}

Result<std::vector<Catalog::ChunkRemoval>> Engine::ListChunkRemovalsSince(const Snapshot& snapshot,
                                                                          const DatabaseRecord& db,
                                                                          int64_t after_cid) {
  return catalog_->ListChunkRemovals(db.id, after_cid, snapshot.cid());
}

Result<std::string> Engine::DataDirectoryId() {
  ASSIGN_OR_RETURN(auto id, catalog_->GetSetting("data_directory_id"));
  if (!id) {
    return Corruption("the catalog of " + Quote(data_dir_) +
                      " has no data_directory_id; restore the data directory");
  }
  return *id;
}

Result<int64_t> Engine::CommitTimeMs(int64_t cid) { return catalog_->CommitTimeMs(cid); }

Result<std::vector<std::string>> Engine::ListPartitionPaths(const Snapshot& snapshot,
                                                            const DatabaseRecord& db) {
  ASSIGN_OR_RETURN(auto chunks,
                   catalog_->ListChunkVersions({.db_id = db.id, .as_of_cid = snapshot.cid()}));
  std::set<std::string> paths;
  for (const auto& chunk : chunks) paths.insert(chunk.path);
  return std::vector<std::string>(paths.begin(), paths.end());
}

namespace {

// `column_indices`, or every column of `table` when empty.
std::vector<size_t> ColumnsToRead(const TableRecord& table,
                                  const std::vector<size_t>& column_indices) {
  std::vector<size_t> indices = column_indices;
  if (indices.empty()) {
    for (size_t i = 0; i < table.schema.size(); ++i) indices.push_back(i);
  }
  return indices;
}

}  // namespace

Result<Table> Engine::ReadSegment(const ChunkVersionRecord& chunk, size_t segment,
                                  const TableRecord& table,
                                  const std::vector<size_t>& column_indices, bool keep) const {
  if (segment >= chunk.segments.size() || chunk.segments[segment].table_id != table.id) {
    return InvalidArgument("segment " + std::to_string(segment) + " of chunk " + Quote(chunk.path) +
                           " holds no rows of table " + Quote(table.name));
  }
  std::vector<size_t> indices = ColumnsToRead(table, column_indices);
  auto part = segments_.Read(chunk.segments[segment].id, indices, keep);
  if (!part.ok()) {
    return part.status().WithContext("chunk " + Quote(chunk.path) + " of table " +
                                     Quote(table.name));
  }
  Schema schema;
  for (size_t i : indices) schema.Add(table.schema.field(i));
  return Table(std::move(schema), part->columns());
}

Result<Table> Engine::ReadChunk(const ChunkVersionRecord& chunk, const TableRecord& table,
                                const std::vector<size_t>& column_indices) const {
  std::vector<size_t> indices = ColumnsToRead(table, column_indices);
  Schema schema;
  for (size_t i : indices) schema.Add(table.schema.field(i));
  std::vector<Table> parts;
  for (size_t k = 0; k < chunk.segments.size(); ++k) {
    if (chunk.segments[k].table_id != table.id) continue;
    ASSIGN_OR_RETURN(Table part, ReadSegment(chunk, k, table, indices));
    parts.push_back(std::move(part));
  }
  if (parts.size() == 1) return std::move(parts[0]);
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < indices.size(); ++c) {
    Column column(schema.field(c).type);
    size_t total = 0;
    for (const auto& p : parts) total += p.rows();
    column.Reserve(total);
    for (const auto& p : parts) column.AppendRange(*p.column(c), 0, p.rows());
    columns.push_back(std::make_shared<const Column>(std::move(column)));
  }
  return Table(schema, std::move(columns));
}

Status Engine::RemoveUnreferencedSegments() {
  {
    std::lock_guard reserved(reserved_mutex_);  // a reservation ending from here on sets it again
    scan_for_unreferenced_ = false;
  }
  ASSIGN_OR_RETURN(auto referenced, catalog_->ReferencedSegmentIds());
  std::set<std::string> keep(referenced.begin(), referenced.end());
  ASSIGN_OR_RETURN(auto present, segments_.ListIds());
  for (const auto& id : present) {
    if (keep.count(id)) continue;
    std::lock_guard reserved(reserved_mutex_);  // a reservation made later sees the removal
    if (reservations_ > 0) {                    // a restore is staging: the close scans again
      scan_for_unreferenced_ = true;
      return Status::Ok();
    }
    RETURN_IF_ERROR(segments_.Remove(id));
  }
  return Status::Ok();
}

Status Engine::CollectGarbage() {
  std::lock_guard writer(writer_mutex_);
  ASSIGN_OR_RETURN(auto chunk_ids, catalog_->AllChunkIds());
  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  RETURN_IF_ERROR(txn->PruneVersions(chunk_ids, snapshots_.ProtectedCids()));
  // The counts are derived data: a full collection makes them again from the versions.
  RETURN_IF_ERROR(txn->RecountSegmentRefs());
  RETURN_IF_ERROR(txn->Commit());
  {
    std::lock_guard lock(garbage_mutex_);
    released_.clear();  // the scan below covers them
  }
  return RemoveUnreferencedSegments();
}

}  // namespace strata
