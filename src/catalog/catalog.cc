#include "catalog/catalog.h"

#include <algorithm>
#include <map>

#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/uuid.h"

namespace strata {

namespace {

// Version 2 added `table_layouts` and `repositories`; a version-1 catalog is upgraded in place
// when opened.
constexpr int kCatalogFormatVersion = 7;

constexpr const char* kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commits(
  cid INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS databases(
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, scheme TEXT NOT NULL,
  engine TEXT NOT NULL, atomic TEXT NOT NULL, granularity TEXT NOT NULL,
  created_cid INTEGER NOT NULL, dropped_cid INTEGER NOT NULL DEFAULT 0,
  removed_cid INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS databases_live ON databases(name) WHERE dropped_cid = 0;
CREATE TABLE IF NOT EXISTS tables(
  id INTEGER PRIMARY KEY AUTOINCREMENT, db_id INTEGER NOT NULL REFERENCES databases(id),
  name TEXT NOT NULL, physical_index TEXT NOT NULL, schema TEXT NOT NULL,
  partition_columns TEXT NOT NULL, created_cid INTEGER NOT NULL,
  dropped_cid INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS tables_live ON tables(db_id, name) WHERE dropped_cid = 0;
CREATE TABLE IF NOT EXISTS table_layouts(
  table_id INTEGER NOT NULL, cid INTEGER NOT NULL, scheme TEXT NOT NULL,
  definition TEXT NOT NULL, PRIMARY KEY(table_id, cid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks(
  chunk_id TEXT PRIMARY KEY, db_id INTEGER NOT NULL, table_id INTEGER NOT NULL,
  path TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_by_path ON chunks(db_id, table_id, path);
CREATE TABLE IF NOT EXISTS chunk_versions(
  chunk_id TEXT NOT NULL REFERENCES chunks(chunk_id), cid INTEGER NOT NULL,
  update_time_ms INTEGER NOT NULL, rows INTEGER NOT NULL, deleted INTEGER NOT NULL,
  segments TEXT NOT NULL, PRIMARY KEY(chunk_id, cid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chunk_versions_by_cid ON chunk_versions(cid);
CREATE TABLE IF NOT EXISTS chunk_removals(
  db_id INTEGER NOT NULL, cid INTEGER NOT NULL, table_id INTEGER NOT NULL, path TEXT NOT NULL,
  PRIMARY KEY(db_id, cid, table_id, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segment_refs(
  segment_id TEXT PRIMARY KEY, refs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users(
  name TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL,
  iterations INTEGER NOT NULL, is_admin INTEGER NOT NULL, native_verifier BLOB NOT NULL DEFAULT x'');
CREATE TABLE IF NOT EXISTS grants(
  user_name TEXT NOT NULL, db_name TEXT NOT NULL, access TEXT NOT NULL,
  PRIMARY KEY(user_name, db_name, access)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jobs(
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, user_name TEXT NOT NULL, db_name TEXT NOT NULL,
  table_names TEXT NOT NULL, label TEXT NOT NULL, state TEXT NOT NULL,
  start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, total_units INTEGER NOT NULL,
  done_units INTEGER NOT NULL, total_bytes INTEGER NOT NULL, done_bytes INTEGER NOT NULL,
  error TEXT NOT NULL, result TEXT NOT NULL, details TEXT NOT NULL DEFAULT '',
  table_progress TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS jobs_by_start ON jobs(start_ms, id);
CREATE TABLE IF NOT EXISTS schedules(
  id TEXT PRIMARY KEY, user_name TEXT NOT NULL, description TEXT NOT NULL,
  script TEXT NOT NULL, minutes TEXT NOT NULL, start_day INTEGER NOT NULL,
  end_day INTEGER NOT NULL, frequency TEXT NOT NULL, days TEXT NOT NULL,
  create_ms INTEGER NOT NULL, last_slot_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS repositories(
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
  location TEXT NOT NULL, read_only INTEGER NOT NULL, properties TEXT NOT NULL,
  create_ms INTEGER NOT NULL);
)sql";

constexpr const char* kDatabaseColumns =
    "id, name, scheme, engine, atomic, granularity, created_cid, dropped_cid, removed_cid";
// The layout columns read the table's newest layout at the query's cid (?9), NULL if none.
constexpr const char* kTableColumns =
    "id, db_id, name, physical_index, schema, partition_columns, created_cid, dropped_cid, "
    "(SELECT scheme FROM table_layouts l WHERE l.table_id = tables.id AND l.cid <= ?9 "
    "ORDER BY l.cid DESC LIMIT 1), "
    "(SELECT definition FROM table_layouts l WHERE l.table_id = tables.id AND l.cid <= ?9 "
    "ORDER BY l.cid DESC LIMIT 1)";

Result<nlohmann::json> ParseJsonColumn(const std::string& text, std::string_view what) {
  return ParseJson(text, "catalog " + std::string(what));
}

Result<DatabaseRecord> ReadDatabase(const SqliteStatement& s) {
  DatabaseRecord r;
  r.id = s.ColumnInt(0);
  r.name = s.ColumnText(1);
  ASSIGN_OR_RETURN(
      r.scheme, ParseJsonColumn(s.ColumnText(2), "partition scheme of database " + Quote(r.name)));
  r.engine = s.ColumnText(3);
  r.atomic = s.ColumnText(4);
  r.granularity =
      s.ColumnText(5) == "DATABASE" ? ChunkGranularity::kDatabase : ChunkGranularity::kTable;
  r.created_cid = s.ColumnInt(6);
  r.dropped_cid = s.ColumnInt(7);
  r.removed_cid = s.ColumnInt(8);
  return r;
}

Result<TableRecord> ReadTable(const SqliteStatement& s) {
  TableRecord r;
  r.id = s.ColumnInt(0);
  r.db_id = s.ColumnInt(1);
  r.name = s.ColumnText(2);
  r.physical_index = s.ColumnText(3);
  ASSIGN_OR_RETURN(nlohmann::json schema,
                   ParseJsonColumn(s.ColumnText(4), "schema of table " + Quote(r.name)));
  ASSIGN_OR_RETURN(r.schema, SchemaFromJson(schema));
  ASSIGN_OR_RETURN(
      nlohmann::json columns,
      ParseJsonColumn(s.ColumnText(5), "partition column list of table " + Quote(r.name)));
  ASSIGN_OR_RETURN(r.partition_columns,
                   JsonStrings(columns, "catalog partition column list of table " + Quote(r.name)));
  for (const auto& column : r.partition_columns) {
    if (!r.schema.Find(column)) {
      return Corruption("catalog row of table " + Quote(r.name) + " is damaged: partition column " +
                        Quote(column) + " is not in its schema; restore the data directory");
    }
  }
  r.created_cid = s.ColumnInt(6);
  r.dropped_cid = s.ColumnInt(7);
  if (!s.ColumnIsNull(8)) {
    ASSIGN_OR_RETURN(
        r.scheme, ParseJsonColumn(s.ColumnText(8), "partition scheme of table " + Quote(r.name)));
    ASSIGN_OR_RETURN(r.definition,
                     ParseJsonColumn(s.ColumnText(9), "definition of table " + Quote(r.name)));
  }
  return r;
}

// Visible at `cid`: created at or before it and not dropped at or before it.
constexpr const char* kVisibleAt = "created_cid <= ?9 AND (dropped_cid = 0 OR dropped_cid > ?9)";

// Counts segment_refs afresh from every chunk version.
Status CountSegmentRefs(SqliteDb& db) {
  return db.Exec(
      "DELETE FROM segment_refs; INSERT INTO segment_refs(segment_id, refs) SELECT "
      "json_extract(s.value, '$.id'), COUNT(*) FROM chunk_versions v, json_each(v.segments) s "
      "GROUP BY 1");
}

// Adds `column` (declared as `declaration`) to `table` unless the schema script just made the
// table with it (a catalog from before the table existed).
Status AddColumnIfMissing(SqliteDb& db, const std::string& table, const std::string& column,
                          const std::string& declaration) {
  ASSIGN_OR_RETURN(auto has, db.Prepare("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE "
                                        "name = ?2"));
  has.Bind(1, table).Bind(2, column);
  ASSIGN_OR_RETURN(bool row, has.Step());
  if (row && has.ColumnInt(0) > 0) return Status::Ok();
  return db.Exec("ALTER TABLE " + table + " ADD COLUMN " + column + " " + declaration);
}

// Brings a version-1 to -4 catalog to the current version. Version 2 added tables (which the
// schema script just created) and jobs.details; version 3 added users.native_verifier (empty
// until the user's password is next checked or set); version 4 jobs.table_progress (empty for
// the jobs before it); version 5 databases.removed_cid and the index chunk_versions_by_cid (the
// schema script builds it). Removals before version 5 were not recorded, so every database
// counts as changed at the newest cid: a backup compares it in full once. Version 6 added
// segment_refs, counted here from the versions; version 7 chunk_removals, which logs chunk
// deletions from then on (removed_cid, set to the newest cid here again, says since when).
Status UpgradeSchema(SqliteDb& db) {
  RETURN_IF_ERROR(AddColumnIfMissing(db, "jobs", "details", "TEXT NOT NULL DEFAULT ''"));
  RETURN_IF_ERROR(AddColumnIfMissing(db, "users", "native_verifier", "BLOB NOT NULL DEFAULT x''"));
  RETURN_IF_ERROR(AddColumnIfMissing(db, "jobs", "table_progress", "TEXT NOT NULL DEFAULT ''"));
  RETURN_IF_ERROR(AddColumnIfMissing(db, "databases", "removed_cid", "INTEGER NOT NULL DEFAULT 0"));
  RETURN_IF_ERROR(
      db.Exec("UPDATE databases SET removed_cid = (SELECT COALESCE(MAX(cid), 0) FROM commits)"));
  RETURN_IF_ERROR(CountSegmentRefs(db));
  return db.Exec("UPDATE settings SET value = '" + std::to_string(kCatalogFormatVersion) +
                 "' WHERE key = 'format_version'");
}

// A users row of the columns name, salt, hash, iterations, is_admin, native_verifier.
UserRecord UserFromRow(SqliteStatement& row) {
  return UserRecord{row.ColumnText(0), row.ColumnBlob(1),     row.ColumnBlob(2),
                    row.ColumnInt(3),  row.ColumnInt(4) != 0, row.ColumnBlob(5)};
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path) {
  ASSIGN_OR_RETURN(auto writer, SqliteDb::Open(path));
  auto catalog = std::unique_ptr<Catalog>(new Catalog(std::move(writer), nullptr));
  RETURN_IF_ERROR(catalog->ApplySchema());
  ASSIGN_OR_RETURN(catalog->reader_, SqliteDb::Open(path));
  return catalog;
}

Status Catalog::ApplySchema() {
  RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  Status status = writer_->Exec(kSchemaSql);
  std::string version;
  if (status.ok()) {
    auto stmt = writer_->Prepare("SELECT value FROM settings WHERE key = 'format_version'");
    if (!stmt.ok()) {
      status = stmt.status();
    } else {
      auto row = stmt->Step();
      if (!row.ok())
        status = row.status();
      else if (*row)
        version = stmt->ColumnText(0);
    }
  }
  if (status.ok() && version.empty()) {
    status = writer_->Exec("INSERT INTO settings(key, value) VALUES('format_version', '" +
                           std::to_string(kCatalogFormatVersion) + "')");
  } else if (status.ok() && version.size() == 1 && version >= "1" && version <= "6") {
    status = UpgradeSchema(*writer_);
  } else if (status.ok() && version != std::to_string(kCatalogFormatVersion)) {
    status = Corruption("catalog '" + writer_->path() + "' has format version " + version +
                        "; this strata reads version " + std::to_string(kCatalogFormatVersion));
  }
  // The data directory's identity, made once (a catalog from before it gets one now).
  if (status.ok()) {
    status =
        writer_->Exec("INSERT OR IGNORE INTO settings(key, value) VALUES('data_directory_id', '" +
                      NewUuid() + "')");
  }
  if (!status.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return status;
  }
  return writer_->Exec("COMMIT");
}

Result<int64_t> Catalog::LastCid() {
  return ReadThrough(cache_, cache_.last_cid, kCatalogChunks, "", [&]() -> Result<int64_t> {
    std::lock_guard lock(read_mutex_);
    ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT COALESCE(MAX(cid), 0) FROM commits"));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.ColumnInt(0) : 0;
  });
}

Result<std::optional<DatabaseRecord>> Catalog::FindDatabase(std::string_view name,
                                                            int64_t as_of_cid) {
  using Answer = std::optional<DatabaseRecord>;
  return ReadThrough(
      cache_, cache_.databases, kCatalogSchema, CacheKey(name, as_of_cid), [&]() -> Result<Answer> {
        std::lock_guard lock(read_mutex_);
        ASSIGN_OR_RETURN(auto stmt,
                         reader_->Prepare(std::string("SELECT ") + kDatabaseColumns +
                                          " FROM databases WHERE name = ?1 AND " + kVisibleAt +
                                          " ORDER BY created_cid DESC LIMIT 1"));
        stmt.Bind(1, name).Bind(9, as_of_cid);
        ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) return Answer();
        ASSIGN_OR_RETURN(DatabaseRecord record, ReadDatabase(stmt));
        return Answer(std::move(record));
      });
}

Result<std::vector<DatabaseRecord>> Catalog::ListDatabases(int64_t as_of_cid) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt,
                   reader_->Prepare(std::string("SELECT ") + kDatabaseColumns +
                                    " FROM databases WHERE " + kVisibleAt + " ORDER BY name"));
  stmt.Bind(9, as_of_cid);
  std::vector<DatabaseRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(DatabaseRecord record, ReadDatabase(stmt));
    out.push_back(std::move(record));
  }
}

Result<std::optional<TableRecord>> Catalog::FindTable(int64_t db_id, std::string_view name,
                                                      int64_t as_of_cid) {
  using Answer = std::optional<TableRecord>;
  return ReadThrough(cache_, cache_.tables, kCatalogSchema,
                     CacheKey(std::to_string(db_id), name, as_of_cid), [&]() -> Result<Answer> {
                       std::lock_guard lock(read_mutex_);
                       ASSIGN_OR_RETURN(
                           auto stmt,
                           reader_->Prepare(std::string("SELECT ") + kTableColumns +
                                            " FROM tables WHERE db_id = ?1 AND name = ?2 "
                                            "AND " +
                                            kVisibleAt + " ORDER BY created_cid DESC LIMIT 1"));
                       stmt.Bind(1, db_id).Bind(2, name).Bind(9, as_of_cid);
                       ASSIGN_OR_RETURN(bool row, stmt.Step());
                       if (!row) return Answer();
                       ASSIGN_OR_RETURN(TableRecord record, ReadTable(stmt));
                       return Answer(std::move(record));
                     });
}

Result<std::vector<TableRecord>> Catalog::ListTables(int64_t db_id, int64_t as_of_cid) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(std::string("SELECT ") + kTableColumns +
                                               " FROM tables WHERE db_id = ?1 AND " + kVisibleAt +
                                               " ORDER BY name"));
  stmt.Bind(1, db_id).Bind(9, as_of_cid);
  std::vector<TableRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(TableRecord record, ReadTable(stmt));
    out.push_back(std::move(record));
  }
}

Result<std::vector<ChunkVersionRecord>> Catalog::ListChunkVersions(const ChunkQuery& query) {
  // Lists of one table are cached (what a statement reads); a whole database's and ranges of
  // paths are not.
  if (!query.table_id || query.paths || query.after_path || query.limit > 0) {
    return ReadChunkVersions(query);
  }
  return ReadThrough(cache_, cache_.chunk_versions, kCatalogChunks,
                     CacheKey(std::to_string(query.db_id), std::to_string(*query.table_id),
                              query.as_of_cid, query.include_deleted),
                     [&] { return ReadChunkVersions(query); });
}

Result<std::vector<ChunkVersionRecord>> Catalog::ListChunkVersionsChangedSince(
    const ChunkQuery& query, int64_t after_cid) {
  return ReadChunkVersions(query, after_cid);
}

Result<int64_t> Catalog::CommitTimeMs(int64_t cid) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT time_ms FROM commits WHERE cid = ?1"));
  stmt.Bind(1, cid);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("the catalog has no commit " + std::to_string(cid));
  return stmt.ColumnInt(0);
}

Result<std::vector<ChunkVersionRecord>> Catalog::ReadChunkVersions(
    const ChunkQuery& query, std::optional<int64_t> changed_after_cid) {
  // Every chunk of the database, or (changed_after_cid) those with a version in
  // (?5, ?3], found through chunk_versions_by_cid without visiting the others (CROSS JOIN
  // keeps SQLite from scanning the database's chunks instead).
  const std::string source =
      changed_after_cid
          ? "(SELECT DISTINCT chunk_id FROM chunk_versions WHERE cid > ?5 AND cid <= ?3) d "
            "CROSS JOIN chunks c ON c.chunk_id = d.chunk_id"
          : "chunks c";
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(
      auto stmt,
      reader_->Prepare(
          "SELECT c.chunk_id, c.db_id, c.table_id, c.path, v.cid, v.update_time_ms, v.rows, "
          "v.deleted, v.segments FROM " +
          source +
          " JOIN chunk_versions v ON v.chunk_id = c.chunk_id "
          "WHERE c.db_id = ?1 " +
          (query.table_id ? "AND c.table_id = ?2 " : "") +
          (query.paths ? "AND c.path >= ?6 AND c.path < ?7 " : "") +
          (query.after_path ? "AND c.path > ?8 " : "") +
          "AND v.cid = (SELECT MAX(cid) "
          "FROM chunk_versions w WHERE w.chunk_id = c.chunk_id AND w.cid <= ?3) "
          "AND (?4 OR v.deleted = 0) ORDER BY c.path, c.table_id" +
          (query.limit > 0 ? " LIMIT ?9" : "")));
  stmt.Bind(1, query.db_id)
      .Bind(3, query.as_of_cid)
      .Bind(4, int64_t{query.include_deleted ? 1 : 0});
  if (query.table_id) stmt.Bind(2, *query.table_id);
  if (changed_after_cid) stmt.Bind(5, *changed_after_cid);
  if (query.paths) stmt.Bind(6, query.paths->first).Bind(7, query.paths->second);
  if (query.after_path) stmt.Bind(8, *query.after_path);
  if (query.limit > 0) stmt.Bind(9, static_cast<int64_t>(query.limit));
  std::vector<ChunkVersionRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ChunkVersionRecord r;
    r.chunk_id = stmt.ColumnText(0);
    r.db_id = stmt.ColumnInt(1);
    r.table_id = stmt.ColumnInt(2);
    r.path = stmt.ColumnText(3);
    r.cid = stmt.ColumnInt(4);
    r.update_time_ms = stmt.ColumnInt(5);
    r.rows = static_cast<uint64_t>(stmt.ColumnInt(6));
    r.deleted = stmt.ColumnInt(7) != 0;
    ASSIGN_OR_RETURN(nlohmann::json segments, ParseJsonColumn(stmt.ColumnText(8), "segment list"));
    ASSIGN_OR_RETURN(r.segments, SegmentsFromJson(segments));
    out.push_back(std::move(r));
  }
}

Result<std::vector<std::string>> Catalog::AllChunkIds() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT chunk_id FROM chunks ORDER BY chunk_id"));
  std::vector<std::string> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(stmt.ColumnText(0));
  }
}

Result<bool> Catalog::SegmentReferenced(const std::string& segment_id) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT 1 FROM segment_refs WHERE segment_id = ?1"));
  stmt.Bind(1, segment_id);
  return stmt.Step();
}

Result<std::vector<std::pair<std::string, int64_t>>> Catalog::SegmentRefs() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT segment_id, refs FROM segment_refs "
                                               "ORDER BY segment_id"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.emplace_back(stmt.ColumnText(0), stmt.ColumnInt(1));
  }
}

Status Catalog::Transaction::RecountSegmentRefs() {
  touched_ |= kCatalogChunks;
  return CountSegmentRefs(*catalog_->writer_);
}

Result<std::vector<std::string>> Catalog::ReferencedSegmentIds() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT DISTINCT segments FROM chunk_versions"));
  std::vector<std::string> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(nlohmann::json json, ParseJsonColumn(stmt.ColumnText(0), "segment list"));
    ASSIGN_OR_RETURN(auto segments, SegmentsFromJson(json));
    for (auto& s : segments) out.push_back(std::move(s.id));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::optional<UserRecord>> Catalog::FindUser(std::string_view name) {
  using Answer = std::optional<UserRecord>;
  return ReadThrough(
      cache_, cache_.users, kCatalogUsers, std::string(name), [&]() -> Result<Answer> {
        std::lock_guard lock(read_mutex_);
        ASSIGN_OR_RETURN(auto stmt,
                         reader_->Prepare("SELECT name, salt, hash, iterations, is_admin, "
                                          "native_verifier FROM users WHERE name = ?1"));
        stmt.Bind(1, name);
        ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) return Answer();
        return Answer(UserFromRow(stmt));
      });
}

Result<std::vector<UserRecord>> Catalog::ListUsers() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT name, salt, hash, iterations, is_admin, "
                                               "native_verifier FROM users ORDER BY name"));
  std::vector<UserRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(UserFromRow(stmt));
  }
}

Result<std::optional<std::string>> Catalog::GetSetting(std::string_view key) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT value FROM settings WHERE key = ?1"));
  stmt.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.ColumnText(0));
}

// ---- Transaction ----

Result<std::unique_ptr<Catalog::Transaction>> Catalog::Begin() {
  std::unique_lock lock(write_mutex_);
  RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new Transaction(this, std::move(lock)));
}

Catalog::Transaction::~Transaction() {
  if (!done_) (void)catalog_->writer_->Exec("ROLLBACK");
}

Status Catalog::Transaction::Commit() {
  catalog_->cache_.Invalidate(touched_);  // the cache stands aside while the commit lands
  Status committed = catalog_->writer_->Exec("COMMIT");
  // Even a failed COMMIT may have changed something; the cache only loses answers.
  catalog_->cache_.Invalidate(touched_);
  RETURN_IF_ERROR(committed);
  done_ = true;
  lock_.unlock();  // a committed transaction no longer holds the writer
  return Status::Ok();
}

Result<int64_t> Catalog::Transaction::AllocateCid(int64_t time_ms, std::string_view description) {
  touched_ |= kCatalogChunks;
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto max, db.Prepare("SELECT COALESCE(MAX(cid), 0) FROM commits"));
  ASSIGN_OR_RETURN(bool row, max.Step());
  int64_t cid = (row ? max.ColumnInt(0) : 0) + 1;
  ASSIGN_OR_RETURN(auto insert,
                   db.Prepare("INSERT INTO commits(cid, time_ms, description) VALUES(?1,?2,?3)"));
  RETURN_IF_ERROR(insert.Bind(1, cid).Bind(2, time_ms).Bind(3, description).Run());
  return cid;
}

Result<int64_t> Catalog::Transaction::InsertDatabase(const DatabaseRecord& r) {
  touched_ |= kCatalogSchema;
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto stmt,
                   db.Prepare("INSERT INTO databases(name, scheme, engine, atomic, granularity, "
                              "created_cid) VALUES(?1,?2,?3,?4,?5,?6) RETURNING id"));
  stmt.Bind(1, r.name)
      .Bind(2, DumpJson(r.scheme))
      .Bind(3, r.engine)
      .Bind(4, r.atomic)
      .Bind(5, ChunkGranularityName(r.granularity))
      .Bind(6, r.created_cid);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("catalog insert of database '" + r.name + "' returned no id");
  int64_t id = stmt.ColumnInt(0);
  RETURN_IF_ERROR(stmt.Run());
  return id;
}

Status Catalog::Transaction::UpdateDatabaseScheme(int64_t db_id, const nlohmann::json& scheme) {
  touched_ |= kCatalogSchema;
  ASSIGN_OR_RETURN(auto stmt,
                   catalog_->writer_->Prepare("UPDATE databases SET scheme = ?1 WHERE id = ?2"));
  return stmt.Bind(1, DumpJson(scheme)).Bind(2, db_id).Run();
}

Status Catalog::Transaction::MarkDatabaseDropped(int64_t db_id, int64_t cid) {
  touched_ |= kCatalogSchema;
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto stmt, db.Prepare("UPDATE databases SET dropped_cid = ?1 WHERE id = ?2"));
  RETURN_IF_ERROR(stmt.Bind(1, cid).Bind(2, db_id).Run());
  ASSIGN_OR_RETURN(auto tables, db.Prepare("UPDATE tables SET dropped_cid = ?1 "
                                           "WHERE db_id = ?2 AND dropped_cid = 0"));
  return tables.Bind(1, cid).Bind(2, db_id).Run();
}

Result<int64_t> Catalog::Transaction::InsertTable(const TableRecord& r) {
  touched_ |= kCatalogSchema;
  nlohmann::json columns = r.partition_columns;
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT INTO tables(db_id, name, physical_index, schema, "
                                  "partition_columns, created_cid) VALUES(?1,?2,?3,?4,?5,?6) "
                                  "RETURNING id"));
  stmt.Bind(1, r.db_id)
      .Bind(2, r.name)
      .Bind(3, r.physical_index)
      .Bind(4, DumpJson(SchemaToJson(r.schema)))
      .Bind(5, DumpJson(columns))
      .Bind(6, r.created_cid);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("catalog insert of table '" + r.name + "' returned no id");
  int64_t id = stmt.ColumnInt(0);
  RETURN_IF_ERROR(stmt.Run());
  if (!r.scheme.is_null() || !r.definition.is_null()) {
    RETURN_IF_ERROR(SetTableLayout(id, r.created_cid, r.scheme, r.definition));
  }
  return id;
}

Status Catalog::Transaction::SetTableLayout(int64_t table_id, int64_t cid,
                                            const nlohmann::json& scheme,
                                            const nlohmann::json& definition) {
  touched_ |= kCatalogSchema;
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT OR REPLACE INTO table_layouts(table_id, cid, scheme, "
                                  "definition) VALUES(?1,?2,?3,?4)"));
  return stmt.Bind(1, table_id)
      .Bind(2, cid)
      .Bind(3, DumpJson(scheme))
      .Bind(4, DumpJson(definition))
      .Run();
}

Status Catalog::Transaction::MarkTableDropped(int64_t table_id, int64_t cid) {
  touched_ |= kCatalogSchema;
  ASSIGN_OR_RETURN(auto stmt,
                   catalog_->writer_->Prepare("UPDATE tables SET dropped_cid = ?1 WHERE id = ?2"));
  RETURN_IF_ERROR(stmt.Bind(1, cid).Bind(2, table_id).Run());
  ASSIGN_OR_RETURN(auto removed, catalog_->writer_->Prepare(
                                     "UPDATE databases SET removed_cid = MAX(removed_cid, ?1) "
                                     "WHERE id = (SELECT db_id FROM tables WHERE id = ?2)"));
  return removed.Bind(1, cid).Bind(2, table_id).Run();
}

Result<std::string> Catalog::Transaction::ChunkIdFor(int64_t db_id, int64_t table_id,
                                                     std::string_view path) {
  touched_ |= kCatalogChunks;
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto find, db.Prepare("SELECT chunk_id FROM chunks WHERE db_id = ?1 AND "
                                         "table_id = ?2 AND path = ?3"));
  find.Bind(1, db_id).Bind(2, table_id).Bind(3, path);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (row) return find.ColumnText(0);
  std::string chunk_id = NewUuid();
  ASSIGN_OR_RETURN(auto insert, db.Prepare("INSERT INTO chunks(chunk_id, db_id, table_id, path) "
                                           "VALUES(?1,?2,?3,?4)"));
  RETURN_IF_ERROR(insert.Bind(1, chunk_id).Bind(2, db_id).Bind(3, table_id).Bind(4, path).Run());
  return chunk_id;
}

Status Catalog::Transaction::InsertChunkVersion(const ChunkVersionRecord& r) {
  touched_ |= kCatalogChunks;
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT INTO chunk_versions(chunk_id, cid, update_time_ms, "
                                  "rows, deleted, segments) VALUES(?1,?2,?3,?4,?5,?6)"));
  RETURN_IF_ERROR(stmt.Bind(1, r.chunk_id)
                      .Bind(2, r.cid)
                      .Bind(3, r.update_time_ms)
                      .Bind(4, static_cast<int64_t>(r.rows))
                      .Bind(5, int64_t{r.deleted ? 1 : 0})
                      .Bind(6, DumpJson(SegmentsToJson(r.segments)))
                      .Run());
  ASSIGN_OR_RETURN(auto refer, catalog_->writer_->Prepare(
                                   "INSERT INTO segment_refs(segment_id, refs) VALUES(?1, 1) "
                                   "ON CONFLICT(segment_id) DO UPDATE SET refs = refs + 1"));
  for (const auto& segment : r.segments) {
    RETURN_IF_ERROR(refer.Bind(1, segment.id).Run());
    refer.Reset();
  }
  if (!r.deleted) return Status::Ok();
  // Logged: a prune may forget the chunk, and a backup must still see that it went.
  ASSIGN_OR_RETURN(auto removed, catalog_->writer_->Prepare(
                                     "INSERT OR IGNORE INTO chunk_removals(db_id, cid, table_id, "
                                     "path) SELECT db_id, ?1, table_id, path FROM chunks WHERE "
                                     "chunk_id = ?2"));
  return removed.Bind(1, r.cid).Bind(2, r.chunk_id).Run();
}

Result<std::vector<Catalog::ChunkRemoval>> Catalog::ListChunkRemovals(int64_t db_id,
                                                                      int64_t after_cid,
                                                                      int64_t as_of_cid) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT table_id, path, cid FROM chunk_removals "
                                               "WHERE db_id = ?1 AND cid > ?2 AND cid <= ?3 "
                                               "ORDER BY table_id, path, cid"));
  stmt.Bind(1, db_id).Bind(2, after_cid).Bind(3, as_of_cid);
  std::vector<ChunkRemoval> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back({stmt.ColumnInt(0), stmt.ColumnText(1), stmt.ColumnInt(2)});
  }
}

namespace {

// True if some pin p satisfies low <= p < high.
bool AnyPinIn(const std::vector<int64_t>& pins, int64_t low, int64_t high) {
  return std::any_of(pins.begin(), pins.end(), [&](int64_t p) { return p >= low && p < high; });
}

}  // namespace

Status Catalog::Transaction::PruneVersions(const std::vector<std::string>& chunk_ids,
                                           const std::vector<int64_t>& pinned_cids,
                                           std::vector<std::string>* released) {
  touched_ |= kCatalogSchema | kCatalogChunks;
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto unrefer, db.Prepare("UPDATE segment_refs SET refs = refs - 1 WHERE "
                                            "segment_id = ?1 RETURNING refs"));
  ASSIGN_OR_RETURN(auto forget, db.Prepare("DELETE FROM segment_refs WHERE segment_id = ?1"));
  // Counts off the references of a version that goes; a segment nothing references any more
  // is forgotten and `released`.
  auto release = [&](const std::string& segments) -> Status {
    ASSIGN_OR_RETURN(nlohmann::json json, ParseJsonColumn(segments, "segment list"));
    ASSIGN_OR_RETURN(auto entries, SegmentsFromJson(json));
    for (const auto& segment : entries) {
      unrefer.Bind(1, segment.id);
      ASSIGN_OR_RETURN(bool row, unrefer.Step());
      const bool last = row && unrefer.ColumnInt(0) <= 0;
      unrefer.Reset();
      if (!last) continue;
      RETURN_IF_ERROR(forget.Bind(1, segment.id).Run());
      forget.Reset();
      if (released) released->push_back(segment.id);
    }
    return Status::Ok();
  };
  struct Version {
    int64_t cid;
    bool deleted;
    std::string segments;
  };
  for (const auto& chunk_id : chunk_ids) {
    ASSIGN_OR_RETURN(auto list, db.Prepare("SELECT cid, deleted, segments FROM chunk_versions "
                                           "WHERE chunk_id = ?1 ORDER BY cid"));
    list.Bind(1, chunk_id);
    std::vector<Version> versions;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, list.Step());
      if (!row) break;
      versions.push_back({list.ColumnInt(0), list.ColumnInt(1) != 0, list.ColumnText(2)});
    }
    std::vector<int64_t> doomed;
    for (size_t i = 0; i + 1 < versions.size(); ++i) {
      if (!AnyPinIn(pinned_cids, versions[i].cid, versions[i + 1].cid)) {
        doomed.push_back(versions[i].cid);
        RETURN_IF_ERROR(release(versions[i].segments));
      }
    }
    bool drop_chunk = !versions.empty() && versions.back().deleted &&
                      !AnyPinIn(pinned_cids, 0, versions.back().cid);
    if (drop_chunk) {  // every version goes: those not doomed above too
      for (const auto& v : versions) {
        if (std::find(doomed.begin(), doomed.end(), v.cid) == doomed.end()) {
          RETURN_IF_ERROR(release(v.segments));
        }
      }
    }
    ASSIGN_OR_RETURN(auto del, db.Prepare("DELETE FROM chunk_versions WHERE chunk_id = ?1 AND "
                                          "(cid = ?2 OR ?3)"));
    for (int64_t cid : doomed) {
      RETURN_IF_ERROR(del.Bind(1, chunk_id).Bind(2, cid).Bind(3, int64_t{0}).Run());
      del.Reset();
    }
    if (drop_chunk) {
      RETURN_IF_ERROR(del.Bind(1, chunk_id).Bind(2, int64_t{0}).Bind(3, int64_t{1}).Run());
      ASSIGN_OR_RETURN(auto chunk, db.Prepare("DELETE FROM chunks WHERE chunk_id = ?1"));
      RETURN_IF_ERROR(chunk.Bind(1, chunk_id).Run());
    }
  }
  int64_t oldest_pin =
      pinned_cids.empty() ? INT64_MAX : *std::min_element(pinned_cids.begin(), pinned_cids.end());
  // A dropped table or database no pin can see, and without chunks, is forgotten.
  ASSIGN_OR_RETURN(auto tables,
                   db.Prepare("DELETE FROM tables WHERE dropped_cid != 0 AND dropped_cid <= ?1 "
                              "AND NOT EXISTS (SELECT 1 FROM chunks WHERE chunks.table_id = "
                              "tables.id)"));
  RETURN_IF_ERROR(tables.Bind(1, oldest_pin).Run());
  // Layouts of forgotten tables go, and so do those that a newer layout no pin predates
  // replaced.
  ASSIGN_OR_RETURN(auto layouts,
                   db.Prepare("DELETE FROM table_layouts WHERE NOT EXISTS (SELECT 1 FROM tables "
                              "WHERE tables.id = table_layouts.table_id) OR cid < (SELECT "
                              "MAX(l.cid) FROM table_layouts l WHERE l.table_id = "
                              "table_layouts.table_id AND l.cid <= ?1)"));
  RETURN_IF_ERROR(layouts.Bind(1, oldest_pin).Run());
  ASSIGN_OR_RETURN(auto dbs,
                   db.Prepare("DELETE FROM databases WHERE dropped_cid != 0 AND dropped_cid "
                              "<= ?1 AND NOT EXISTS (SELECT 1 FROM tables WHERE "
                              "tables.db_id = databases.id) AND NOT EXISTS (SELECT 1 FROM "
                              "chunks WHERE chunks.db_id = databases.id)"));
  return dbs.Bind(1, oldest_pin).Run();
}

Status Catalog::Transaction::UpsertUser(const UserRecord& u) {
  touched_ |= kCatalogUsers;
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT OR REPLACE INTO users(name, salt, hash, iterations, "
                                  "is_admin, native_verifier) VALUES(?1,?2,?3,?4,?5,?6)"));
  return stmt.Bind(1, u.name)
      .BindBlob(2, u.salt)
      .BindBlob(3, u.hash)
      .Bind(4, u.iterations)
      .Bind(5, int64_t{u.is_admin ? 1 : 0})
      .BindBlob(6, u.native_verifier)
      .Run();
}

Status Catalog::Transaction::DeleteUser(std::string_view name) {
  touched_ |= kCatalogUsers;
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto grants, db.Prepare("DELETE FROM grants WHERE user_name = ?1"));
  RETURN_IF_ERROR(grants.Bind(1, name).Run());
  ASSIGN_OR_RETURN(auto stmt, db.Prepare("DELETE FROM users WHERE name = ?1"));
  return stmt.Bind(1, name).Run();
}

Status Catalog::Transaction::SetSetting(std::string_view key, std::string_view value) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT OR REPLACE INTO settings(key, value) VALUES(?1,?2)"));
  return stmt.Bind(1, key).Bind(2, value).Run();
}

}  // namespace strata
