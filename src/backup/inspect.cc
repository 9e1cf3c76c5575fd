#include "backup/inspect.h"

#include <map>
#include <mutex>

#include "backup/restore.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "storage/segment.h"

namespace strata {

namespace {
constexpr size_t kParallelWorkers = 4;
}  // namespace

std::vector<const ManifestChunk*> SelectChunks(const Manifest& manifest, const std::string& table,
                                               const std::string& pattern) {
  std::vector<const ManifestChunk*> out;
  for (const auto& c : manifest.chunks) {
    if (!table.empty() && c.table != table) continue;
    if (!MatchesWildcard(pattern, PatternSubject(manifest.database, c.path))) continue;
    out.push_back(&c);
  }
  return out;
}

Result<const ManifestChunk*> FindChunk(const Manifest& manifest, const std::string& table,
                                       const std::string& path) {
  if (manifest.FindTable(table) == nullptr) {
    return NotFound("table " + Quote(table) + " is not in the backup of " +
                    Quote(manifest.database));
  }
  for (const auto& c : manifest.chunks) {
    if (c.table == table && c.path == path) return &c;
  }
  std::vector<const ManifestChunk*> found = SelectChunks(manifest, table, path);
  if (found.size() == 1) return found[0];
  if (found.empty()) {
    return NotFound("the backup of table " + Quote(table) + " of " + Quote(manifest.database) +
                    " has no partition " + Quote(path));
  }
  return InvalidArgument("partition " + Quote(path) + " matches " + std::to_string(found.size()) +
                         " backed-up partitions of table " + Quote(table) + "; name one path");
}

Result<Table> LoadChunkRows(Repository& repository, const Manifest& manifest,
                            const ManifestChunk& chunk) {
  const ManifestTable* table = manifest.FindTable(chunk.table);
  std::vector<Column> columns;
  for (const auto& f : table->schema.fields()) columns.emplace_back(f.type);
  for (const auto& object : chunk.objects) {
    ASSIGN_OR_RETURN(auto content, repository.ReadObject(object.id));
    auto part = DecodeSegment(content.content());
    if (!part.ok()) return part.status().WithContext("object " + object.id);
    if (part->column_count() != columns.size()) {
      return Corruption("object " + object.id + " of partition " + Quote(chunk.path) + " has " +
                        std::to_string(part->column_count()) + " columns, the table " +
                        std::to_string(columns.size()));
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      columns[c].AppendRange(*part->column(c), 0, part->rows());
    }
  }
  std::vector<ColumnPtr> out;
  for (auto& c : columns) out.push_back(std::make_shared<const Column>(std::move(c)));
  return Table(table->schema, std::move(out));
}

Result<std::vector<DamagedChunk>> CheckChunks(Repository& repository,
                                              const std::vector<const ManifestChunk*>& chunks,
                                              bool parallel, TaskControl& control) {
  // Verdicts per object: empty = verified; otherwise the problem.
  std::map<std::string, std::string> verdicts;
  std::mutex mutex;
  Status failure;
  {
    ThreadPool pool(parallel ? kParallelWorkers : 1, 2 * kParallelWorkers);
    for (const auto* chunk : chunks) {
      pool.Submit([&, chunk] {
        for (const auto& object : chunk->objects) {
          {
            std::lock_guard lock(mutex);
            if (control.cancelled() || !failure.ok() || verdicts.count(object.id)) continue;
          }
          auto content = repository.ReadObject(object.id);
          std::string problem;
          if (!content.ok()) {
            StatusCode code = content.status().code();
            if (code != StatusCode::kNotFound && code != StatusCode::kCorruption) {
              std::lock_guard lock(mutex);
              if (failure.ok()) failure = content.status();
              return;
            }
            problem = content.status().message();
          }
          std::lock_guard lock(mutex);
          verdicts[object.id] = problem;
        }
        control.AddDone(1, static_cast<int64_t>(chunk->bytes()));
      });
    }
    Status escaped = pool.Wait();
    if (failure.ok()) failure = std::move(escaped);
  }
  RETURN_IF_ERROR(failure);
  if (control.cancelled()) return Cancelled("the check of the backup was cancelled");
  std::vector<DamagedChunk> damaged;
  for (const auto* chunk : chunks) {
    for (const auto& object : chunk->objects) {
      const std::string& problem = verdicts[object.id];
      if (problem.empty()) continue;
      damaged.push_back({chunk->table, chunk->path, chunk->chunk_id, problem});
      break;
    }
  }
  return damaged;
}

}  // namespace strata
