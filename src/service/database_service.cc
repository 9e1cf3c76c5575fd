#include "service/database_service.h"

#include "base/strings.h"
#include "partition/selection.h"

namespace strata {

Result<Engine*> DatabaseService::Checked(const std::string& database, Use use) const {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  if (use == Use::kOpen) {
    // Either grant opens a handle: a writer must reach the table it appends to.
    Status read = Check(database, DatabaseAccess::kRead);
    if (!read.ok() && !Check(database, DatabaseAccess::kWrite).ok()) return read;
  } else {
    RETURN_IF_ERROR(
        Check(database, use == Use::kRead ? DatabaseAccess::kRead : DatabaseAccess::kWrite));
  }
  return engine_;
}

Status DatabaseService::Check(const std::string& database, DatabaseAccess access) const {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  return CheckDatabaseAccess(engine_->catalog(), acting_user_, database, access);
}

Result<DatabaseRecord> DatabaseService::CreateDatabase(const std::string& name,
                                                       const PartitionScheme& scheme,
                                                       const DatabaseOptions& options) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(name, Use::kWrite));
  return engine->CreateDatabase(name, scheme, options);
}

Result<DatabaseRecord> DatabaseService::GetDatabase(const std::string& name) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(name, Use::kOpen));
  return engine->GetDatabase(*engine->PinLatest(), name);
}

Result<bool> DatabaseService::DatabaseExists(const std::string& name) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(name, Use::kOpen));
  return engine->GetDatabase(*engine->PinLatest(), name).ok();
}

Status DatabaseService::DropDatabase(const std::string& name) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(name, Use::kWrite));
  return engine->DropDatabase(name);
}

Result<std::unique_ptr<PartitionScheme>> DatabaseService::SchemeOf(const DatabaseRecord& db) const {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  return engine_->SchemeOf(db);
}

Result<std::unique_ptr<PartitionScheme>> DatabaseService::SchemeOf(const TableRef& table) const {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  return engine_->SchemeOf(table);
}

Result<std::vector<DatabaseRecord>> DatabaseService::ListDatabases() {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  ASSIGN_OR_RETURN(auto all, engine_->ListDatabases(*engine_->PinLatest()));
  std::vector<DatabaseRecord> visible;
  for (auto& db : all) {
    if (Checked(db.name, Use::kOpen).ok()) visible.push_back(std::move(db));
  }
  return visible;
}

Result<TableRef> DatabaseService::CreateTable(const std::string& db, const std::string& table,
                                              const Schema& schema,
                                              const std::vector<std::string>& partition_columns,
                                              const TableOptions& options) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  return engine->CreateTable(db, table, schema, partition_columns, options);
}

Result<size_t> DatabaseService::AlterTablePartitions(const std::string& db,
                                                     const std::string& table,
                                                     const PartitionScheme& scheme) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  return engine->AlterTablePartitions(db, table, scheme);
}

Result<TableRef> DatabaseService::GetTable(const std::string& db, const std::string& table) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kOpen));
  return engine->GetTable(*engine->PinLatest(), db, table);
}

Result<TableRef> DatabaseService::GetOrCreateTable(
    const std::string& db, const std::string& table, const Schema& schema,
    const std::vector<std::string>& partition_columns) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  auto existing = engine->GetTable(*engine->PinLatest(), db, table);
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;
  return engine->CreateTable(db, table, schema, partition_columns);
}

Result<bool> DatabaseService::TableExists(const std::string& db, const std::string& table) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kOpen));
  return engine->GetTable(*engine->PinLatest(), db, table).ok();
}

Result<std::vector<TableRecord>> DatabaseService::ListTables(const std::string& db) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kOpen));
  auto pin = engine->PinLatest();
  ASSIGN_OR_RETURN(DatabaseRecord record, engine->GetDatabase(*pin, db));
  return engine->ListTables(*pin, record.id);
}

Status DatabaseService::DropTable(const std::string& db, const std::string& table) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  return engine->DropTable(db, table);
}

Result<uint64_t> DatabaseService::Append(const std::string& db, const std::string& table,
                                         const Table& rows) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  return engine->Append(db, table, rows);
}

Result<uint64_t> DatabaseService::RewriteChunks(const std::string& db, const std::string& table,
                                                const std::vector<ChunkRewrite>& rewrites) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  return engine->RewriteChunks(db, table, rewrites);
}

Result<size_t> DatabaseService::DropPartitions(const std::string& db,
                                               const PartitionSelection& selection,
                                               const std::string& table) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kWrite));
  auto pin = engine->PinLatest();
  ASSIGN_OR_RETURN(DatabaseRecord record, engine->GetDatabase(*pin, db));
  std::unique_ptr<PartitionScheme> scheme;
  std::vector<std::string> existing;
  if (table.empty()) {
    ASSIGN_OR_RETURN(scheme, engine->SchemeOf(record));
    ASSIGN_OR_RETURN(existing, engine->ListPartitionPaths(*pin, record));
  } else {
    // The table's partitions, named by its own scheme when it has one.
    ASSIGN_OR_RETURN(TableRef ref, engine->GetTable(*pin, db, table));
    ASSIGN_OR_RETURN(scheme, engine->SchemeOf(ref));
    ASSIGN_OR_RETURN(auto chunks, engine->ListChunks(*pin, ref));
    for (const auto& chunk : chunks) existing.push_back(chunk.path);
  }
  ASSIGN_OR_RETURN(auto paths, ResolveSelection(*scheme, selection, existing));
  pin.reset();
  return engine->DropPartitions(db, paths, table);
}

Result<DatabaseChunks> DatabaseService::ListChunks(const std::string& db,
                                                   const std::string& table) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kRead));
  auto pin = engine->PinLatest();
  DatabaseChunks out;
  ASSIGN_OR_RETURN(out.db, engine->GetDatabase(*pin, db));
  ASSIGN_OR_RETURN(auto tables, engine->ListTables(*pin, out.db.id));
  for (auto& record : tables) {
    if (!table.empty() && record.name != table) continue;
    ASSIGN_OR_RETURN(auto chunks, engine->ListChunks(*pin, TableRef{out.db, record}));
    out.tables.push_back({std::move(record), std::move(chunks)});
  }
  if (!table.empty() && out.tables.empty()) {
    return NotFound("table " + Quote(table) + " does not exist in database " + Quote(db));
  }
  return out;
}

Result<TableScan> DatabaseService::OpenScan(const std::string& db, const std::string& table) {
  ASSIGN_OR_RETURN(Engine * engine, Checked(db, Use::kRead));
  TableScan scan;
  scan.pin = engine->PinLatest();
  ASSIGN_OR_RETURN(scan.ref, engine->GetTable(*scan.pin, db, table));
  ASSIGN_OR_RETURN(scan.chunks, engine->ListChunks(*scan.pin, scan.ref));
  ASSIGN_OR_RETURN(scan.scheme, engine->SchemeOf(scan.ref));
  return scan;
}

Result<Table> DatabaseService::ReadChunk(const TableScan& scan, const ChunkVersionRecord& chunk,
                                         const std::vector<size_t>& column_indices) const {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  return engine_->ReadChunk(chunk, scan.ref.table, column_indices);
}

Result<Table> DatabaseService::ReadSegment(const TableScan& scan, const ChunkVersionRecord& chunk,
                                           size_t segment,
                                           const std::vector<size_t>& column_indices,
                                           bool keep) const {
  if (engine_ == nullptr) return FailedPrecondition("no data directory is open");
  return engine_->ReadSegment(chunk, segment, scan.ref.table, column_indices, keep);
}

}  // namespace strata
