// Engine operations that change data: Append, DropPartitions, AlterTablePartitions,
// DropTable, DropDatabase.
#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "base/thread_pool.h"
#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "types/cast.h"

namespace strata {

namespace {

constexpr size_t kSegmentRowsMax = size_t{1} << 20;
constexpr size_t kWriterThreadsMax = 2;

// Converts `rows` (columns by position) to `schema`; errors name the column and both types.
Result<Table> ConformToSchema(const Table& rows, const Schema& schema,
                              const std::string& table_name) {
  if (rows.column_count() != schema.size()) {
    return InvalidArgument("table " + Quote(table_name) + " has " + std::to_string(schema.size()) +
                           " columns but the appended data has " +
                           std::to_string(rows.column_count()) +
                           "; append a table with the same columns in the same order");
  }
  std::vector<ColumnPtr> columns;
  for (size_t i = 0; i < schema.size(); ++i) {
    const ColumnPtr& column = rows.column(i);
    Type want = schema.field(i).type;
    if (column->type() == want) {
      columns.push_back(column);
      continue;
    }
    // Same family only: numbers (range-checked), temporal units, SYMBOL/STRING. Text is never
    // parsed into numbers or dates here; load text with loadText/loadTextEx instead.
    bool allowed = IsImplicitlyConvertible(column->type(), want) ||
                   (IsNumeric(column->type()) && IsNumeric(want));
    std::string mismatch = "column " + Quote(schema.field(i).name) + " of table " +
                           Quote(table_name) + " is " + TypeName(want) +
                           " but the appended data has " + TypeName(column->type());
    if (!allowed) return InvalidArgument(mismatch);
    auto converted = CastColumn(*column, want);
    if (!converted.ok()) {
      return InvalidArgument(mismatch + " (" + converted.status().message() + ")");
    }
    columns.push_back(std::make_shared<const Column>(std::move(*converted)));
  }
  return Table(schema, std::move(columns));
}

Table GatherRows(const Table& table, const std::vector<uint32_t>& rows, size_t begin, size_t end) {
  std::vector<uint32_t> slice(rows.begin() + begin, rows.begin() + end);
  std::vector<ColumnPtr> columns;
  for (const auto& column : table.columns()) {
    columns.push_back(std::make_shared<const Column>(column->Gather(slice)));
  }
  return Table(table.schema(), std::move(columns));
}

// The table id of `ref`'s chunks: its own, or 0 in a DATABASE-granularity database (whose
// chunks hold every table's rows).
int64_t ChunkTableId(const TableRef& ref) {
  return ref.db.granularity == ChunkGranularity::kTable ? ref.table.id : 0;
}

// The chunk versions of `ref`'s chunks visible at `cid`, by path.
Result<std::map<std::string, ChunkVersionRecord>> ChunksByPath(Catalog& catalog,
                                                               const TableRef& ref, int64_t cid) {
  Catalog::ChunkQuery query{.db_id = ref.db.id, .as_of_cid = cid};
  query.table_id = ChunkTableId(ref);
  ASSIGN_OR_RETURN(auto listed, catalog.ListChunkVersions(query));
  std::map<std::string, ChunkVersionRecord> by_path;
  for (auto& chunk : listed) by_path[chunk.path] = std::move(chunk);
  return by_path;
}

}  // namespace

Result<uint64_t> Engine::Append(const std::string& db_name, const std::string& table_name,
                                const Table& rows) {
  std::lock_guard writer(writer_mutex_);
  auto appended = AppendLocked(db_name, table_name, rows);
  // A failed append may have written segments that no commit references; remove them now
  // (the writer lock is held, so no other append's segments are in flight).
  if (!appended.ok()) (void)RemoveUnreferencedSegments();
  return appended;
}

Result<uint64_t> Engine::AppendLocked(const std::string& db_name, const std::string& table_name,
                                      const Table& rows) {
  RETURN_IF_ERROR(BeginChange());
  auto pin = PinLatest();
  ASSIGN_OR_RETURN(TableRef ref, GetTable(*pin, db_name, table_name));
  ASSIGN_OR_RETURN(Table data, ConformToSchema(rows, ref.table.schema, table_name));
  if (data.rows() == 0) return uint64_t{0};

  std::vector<PartitionGroup> groups;
  bool scheme_changed = false;
  std::unique_ptr<PartitionScheme> scheme;
  if (ref.table.partition_columns.empty()) {
    PartitionGroup all{"/", {}};
    all.rows.resize(data.rows());
    for (size_t i = 0; i < data.rows(); ++i) all.rows[i] = static_cast<uint32_t>(i);
    groups.push_back(std::move(all));
  } else {
    ASSIGN_OR_RETURN(scheme, SchemeOf(ref));
    std::vector<ColumnPtr> level_columns;
    for (const auto& name : ref.table.partition_columns) {
      level_columns.push_back(data.column(*ref.table.schema.Find(name)));
    }
    auto split = scheme->Split(level_columns, &scheme_changed);
    if (!split.ok()) {
      return split.status().WithContext("append to table " + Quote(table_name) + " of database " +
                                        Quote(db_name));
    }
    groups = std::move(*split);
  }

  // Write every group's segments (in parallel), durable before the commit.
  // By path: (first row, segment), so a partition's segments keep the appended row order.
  std::map<std::string, std::vector<std::pair<size_t, SegmentEntry>>> written;
  std::mutex written_mutex;
  Status failure;
  {
    ThreadPool pool(std::min(kWriterThreadsMax, groups.size()), 4);
    for (const auto& group : groups) {
      for (size_t begin = 0; begin < group.rows.size(); begin += kSegmentRowsMax) {
        size_t end = std::min(group.rows.size(), begin + kSegmentRowsMax);
        pool.Submit([&, begin, end] {
          Table part = GatherRows(data, group.rows, begin, end);
          auto ref_or = segments_.Write(part);
          std::lock_guard lock(written_mutex);
          if (!ref_or.ok()) {
            if (failure.ok()) failure = ref_or.status();
            return;
          }
          written[group.path].emplace_back(
              begin, SegmentEntry{ref_or->id, ref.table.id, ref_or->rows, ref_or->size_bytes});
        });
      }
    }
    Status escaped = pool.Wait();
    if (failure.ok()) failure = std::move(escaped);
  }
  RETURN_IF_ERROR(failure);

  const int64_t chunk_table_id = ChunkTableId(ref);
  ASSIGN_OR_RETURN(auto existing, ChunksByPath(*catalog_, ref, pin->cid()));

  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  int64_t now = NowMs();
  ASSIGN_OR_RETURN(int64_t cid, txn->AllocateCid(now, "append to " + db_name + "/" + table_name));
  if (scheme_changed && !ref.table.scheme.is_null()) {
    RETURN_IF_ERROR(txn->SetTableLayout(ref.table.id, cid, scheme->ToJson(), ref.table.definition));
  } else if (scheme_changed) {
    RETURN_IF_ERROR(txn->UpdateDatabaseScheme(ref.db.id, scheme->ToJson()));
  }
  std::vector<std::string> touched;
  for (auto& [path, segments] : written) {
    std::sort(segments.begin(), segments.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    ChunkVersionRecord version;
    ASSIGN_OR_RETURN(version.chunk_id, txn->ChunkIdFor(ref.db.id, chunk_table_id, path));
    version.db_id = ref.db.id;
    version.table_id = chunk_table_id;
    version.path = path;
    version.cid = cid;
    version.update_time_ms = now;
    auto previous = existing.find(path);
    if (previous != existing.end()) {
      version.rows = previous->second.rows;
      version.segments = previous->second.segments;
    }
    for (const auto& [first_row, s] : segments) {
      version.rows += s.rows;
      version.segments.push_back(s);
    }
    RETURN_IF_ERROR(txn->InsertChunkVersion(version));
    touched.push_back(version.chunk_id);
  }
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  pin.reset();
  // The append is durable and visible from here on: a failure to prune is not the append's
  // failure (reporting it would invite a re-run that appends the rows twice). Versions left
  // behind are collected when the engine closes (or, after a crash, at the next open).
  (void)PruneAfterCommit(touched);
  return static_cast<uint64_t>(data.rows());
}

Result<uint64_t> Engine::RewriteChunks(const std::string& db_name, const std::string& table_name,
                                       const std::vector<ChunkRewrite>& rewrites) {
  std::lock_guard writer(writer_mutex_);
  auto written = RewriteChunksLocked(db_name, table_name, rewrites);
  if (!written.ok()) (void)RemoveUnreferencedSegments();  // as Append
  return written;
}

Result<uint64_t> Engine::RewriteChunksLocked(const std::string& db_name,
                                             const std::string& table_name,
                                             const std::vector<ChunkRewrite>& rewrites) {
  if (rewrites.empty()) return uint64_t{0};
  RETURN_IF_ERROR(BeginChange());
  auto pin = PinLatest();
  ASSIGN_OR_RETURN(TableRef ref, GetTable(*pin, db_name, table_name));
  ASSIGN_OR_RETURN(auto current, ChunksByPath(*catalog_, ref, pin->cid()));
  // Checked before any segment is written: a raced statement costs nothing.
  for (const auto& rewrite : rewrites) {
    auto found = current.find(rewrite.path);
    if (found == current.end() || found->second.cid != rewrite.read_cid) {
      return FailedPrecondition("partition " + Quote(rewrite.path) + " of table " +
                                Quote(table_name) + " of database " + Quote(db_name) +
                                " changed while the statement ran (another write committed "
                                "first); nothing was changed: run it again");
    }
  }
  std::vector<ChunkVersionRecord> versions;
  uint64_t rows_written = 0;
  for (const auto& rewrite : rewrites) {
    ASSIGN_OR_RETURN(Table data, ConformToSchema(rewrite.rows, ref.table.schema, table_name));
    ChunkVersionRecord version = current[rewrite.path];
    std::vector<SegmentEntry> kept;
    for (const auto& s : version.segments) {
      if (s.table_id != ref.table.id) kept.push_back(s);
    }
    version.segments = std::move(kept);
    for (size_t begin = 0; begin < data.rows(); begin += kSegmentRowsMax) {
      size_t end = std::min(data.rows(), begin + kSegmentRowsMax);
      ASSIGN_OR_RETURN(auto written, segments_.Write(data.Slice(begin, end)));
      version.segments.push_back(
          SegmentEntry{written.id, ref.table.id, written.rows, written.size_bytes});
    }
    version.rows = 0;
    for (const auto& s : version.segments) version.rows += s.rows;
    rows_written += data.rows();
    versions.push_back(std::move(version));
  }
  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  int64_t now = NowMs();
  ASSIGN_OR_RETURN(int64_t cid, txn->AllocateCid(now, "update of " + db_name + "/" + table_name));
  std::vector<std::string> touched;
  for (auto& v : versions) {
    v.cid = cid;
    v.update_time_ms = now;
    RETURN_IF_ERROR(txn->InsertChunkVersion(v));
    touched.push_back(v.chunk_id);
  }
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  pin.reset();
  (void)PruneAfterCommit(touched);  // as Append: the change is committed
  return rows_written;
}

Status Engine::CommitRemoval(const std::string& description,
                             const std::vector<ChunkVersionRecord>& chunks, int64_t only_table_id,
                             const std::function<Status(Catalog::Transaction&, int64_t)>& extra) {
  RETURN_IF_ERROR(BeginChange());
  ASSIGN_OR_RETURN(auto txn, catalog_->Begin());
  int64_t now = NowMs();
  ASSIGN_OR_RETURN(int64_t cid, txn->AllocateCid(now, description));
  std::vector<std::string> touched;
  for (const auto& chunk : chunks) {
    ChunkVersionRecord version = chunk;
    version.cid = cid;
    version.update_time_ms = now;
    version.segments.clear();
    version.rows = 0;
    if (only_table_id != 0) {
      for (const auto& s : chunk.segments) {
        if (s.table_id == only_table_id) continue;
        version.segments.push_back(s);
        version.rows += s.rows;
      }
    }
    version.deleted = version.segments.empty();
    RETURN_IF_ERROR(txn->InsertChunkVersion(version));
    touched.push_back(chunk.chunk_id);
  }
  if (extra) RETURN_IF_ERROR(extra(*txn, cid));
  RETURN_IF_ERROR(txn->Commit());
  snapshots_.Publish(cid);
  // Committed: as in Append, cleanup failures leave garbage for the close, not an error.
  (void)PruneAfterCommit(touched);
  (void)RemoveReleasedSegments();
  return Status::Ok();
}

Result<size_t> Engine::DropPartitions(const std::string& db_name,
                                      const std::vector<std::string>& paths,
                                      const std::string& table_name) {
  std::lock_guard writer(writer_mutex_);
  auto pin = PinLatest();
  ASSIGN_OR_RETURN(DatabaseRecord db, GetDatabase(*pin, db_name));
  Catalog::ChunkQuery query{.db_id = db.id, .as_of_cid = pin->cid()};
  int64_t only_table_id = 0;
  if (!table_name.empty()) {
    ASSIGN_OR_RETURN(TableRef ref, GetTable(*pin, db_name, table_name));
    if (db.granularity == ChunkGranularity::kTable) {
      query.table_id = ref.table.id;
    } else {
      only_table_id = ref.table.id;
    }
  }
  ASSIGN_OR_RETURN(auto chunks, catalog_->ListChunkVersions(query));
  std::set<std::string> wanted(paths.begin(), paths.end());
  std::vector<ChunkVersionRecord> doomed;
  for (auto& chunk : chunks) {
    if (!wanted.count(chunk.path)) continue;
    // A DATABASE-granularity chunk without rows of the named table is not that table's.
    bool holds_table = only_table_id == 0;
    for (const auto& s : chunk.segments) holds_table = holds_table || s.table_id == only_table_id;
    if (holds_table) doomed.push_back(std::move(chunk));
  }
  if (doomed.empty()) return size_t{0};
  pin.reset();  // the writer lock keeps the state still; the pin must not protect it
  RETURN_IF_ERROR(CommitRemoval("drop partitions of " + db_name, doomed, only_table_id, nullptr));
  return doomed.size();
}

Result<size_t> Engine::AlterTablePartitions(const std::string& db_name,
                                            const std::string& table_name,
                                            const PartitionScheme& scheme) {
  std::lock_guard writer(writer_mutex_);
  auto pin = PinLatest();
  ASSIGN_OR_RETURN(TableRef ref, GetTable(*pin, db_name, table_name));
  if (ref.table.scheme.is_null()) {
    return InvalidArgument("table " + Quote(table_name) + " of database " + Quote(db_name) +
                           " is laid out by its database's partition scheme, which no table can "
                           "change; only tables with partitions of their own (made by SQL "
                           "CREATE TABLE) can add or drop partitions");
  }
  RETURN_IF_ERROR(CheckTableDefinition(db_name, table_name, ref.table.schema,
                                       ref.table.partition_columns, scheme, true));
  ASSIGN_OR_RETURN(auto chunks,
                   catalog_->ListChunkVersions(
                       {.db_id = ref.db.id, .table_id = ref.table.id, .as_of_cid = pin->cid()}));
  std::erase_if(chunks, [&](const ChunkVersionRecord& chunk) {
    return scheme.ValidatePath(chunk.path).ok();
  });
  const size_t dropped = chunks.size();
  int64_t table_id = ref.table.id;
  nlohmann::json layout = scheme.ToJson();
  pin.reset();
  RETURN_IF_ERROR(CommitRemoval("alter partitions of " + db_name + "/" + table_name, chunks, 0,
                                [&](Catalog::Transaction& txn, int64_t cid) {
                                  return txn.SetTableLayout(table_id, cid, layout,
                                                            ref.table.definition);
                                }));
  return dropped;
}

Status Engine::DropTable(const std::string& db_name, const std::string& table_name) {
  std::lock_guard writer(writer_mutex_);
  auto pin = PinLatest();
  ASSIGN_OR_RETURN(TableRef ref, GetTable(*pin, db_name, table_name));
  Catalog::ChunkQuery query{.db_id = ref.db.id, .as_of_cid = pin->cid()};
  int64_t only_table_id = ref.table.id;
  if (ref.db.granularity == ChunkGranularity::kTable) {
    query.table_id = ref.table.id;
    only_table_id = 0;
  }
  ASSIGN_OR_RETURN(auto chunks, catalog_->ListChunkVersions(query));
  if (only_table_id != 0) {
    std::erase_if(chunks, [&](const ChunkVersionRecord& c) {
      for (const auto& s : c.segments) {
        if (s.table_id == only_table_id) return false;
      }
      return true;
    });
  }
  int64_t table_id = ref.table.id;
  pin.reset();
  return CommitRemoval("drop table " + db_name + "/" + table_name, chunks, only_table_id,
                       [table_id](Catalog::Transaction& txn, int64_t cid) {
                         return txn.MarkTableDropped(table_id, cid);
                       });
}

Status Engine::DropDatabase(const std::string& db_name) {
  std::lock_guard writer(writer_mutex_);
  auto pin = PinLatest();
  ASSIGN_OR_RETURN(DatabaseRecord db, GetDatabase(*pin, db_name));
  ASSIGN_OR_RETURN(auto chunks,
                   catalog_->ListChunkVersions({.db_id = db.id, .as_of_cid = pin->cid()}));
  int64_t db_id = db.id;
  pin.reset();
  return CommitRemoval("drop database " + db_name, chunks, 0,
                       [db_id](Catalog::Transaction& txn, int64_t cid) {
                         return txn.MarkDatabaseDropped(db_id, cid);
                       });
}

}  // namespace strata
