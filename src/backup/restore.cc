#include "backup/restore.h"

#include <map>
#include <mutex>
#include <set>

#include "backup/chunk_tree.h"
#include "base/strings.h"
#include "base/thread_pool.h"

namespace strata {

namespace {

constexpr size_t kParallelWorkers = 4;
constexpr size_t kExamplePathsMax = 5;  // partitions named in a no-match error

std::string ListNames(const std::vector<ManifestTable>& tables) {
  std::vector<std::string> names;
  for (const auto& t : tables) names.push_back(t.name);
  return names.empty() ? "no tables" : Join(names, ", ");
}

// The path prefix of every partition `pattern` can match: its text before the first wildcard,
// after "/<db name>"; none when that names no partition path ("%", a wildcard in the name).
std::optional<std::string> PathPrefixOf(const std::string& pattern, const std::string& database) {
  const std::string literal = pattern.substr(0, pattern.find_first_of("%?"));
  const std::string head = "/" + DatabaseShortName(database);
  if (literal.size() <= head.size() || literal.compare(0, head.size(), head) != 0 ||
      literal[head.size()] != '/') {
    return std::nullopt;
  }
  return literal.substr(head.size());
}

// The least string greater than every string that starts with `prefix`; none when there is
// none (it is all 0xff bytes). Strings compare bytewise, in keys and in the catalog alike.
std::optional<std::string> AfterPrefix(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

std::optional<Engine::PathRange> PatternPathRange(const std::string& pattern,
                                                  const std::string& database) {
  auto prefix = PathPrefixOf(pattern, database);
  auto after = prefix ? AfterPrefix(*prefix) : std::nullopt;
  if (!after) return std::nullopt;
  return Engine::PathRange{*prefix, *after};
}

Result<std::vector<ManifestChunk>> ReadChunksInRange(Repository& repository,
                                                     const Manifest& manifest,
                                                     const std::vector<std::string>& tables,
                                                     const Engine::PathRange& paths) {
  std::vector<ManifestChunk> chunks;
  for (const auto& table : tables) {
    ASSIGN_OR_RETURN(auto under, ReadChunkTreeRange(repository, manifest.tree, manifest.id,
                                                    {table, paths.first}, {table, paths.second}));
    chunks.insert(chunks.end(), std::make_move_iterator(under.begin()),
                  std::make_move_iterator(under.end()));
  }
  return chunks;
}

namespace {

// The chunks a restore considers, read from the tree of a manifest that came without them.
struct ChunksRead {
  std::vector<ManifestChunk> chunks;
  // Set when only the partitions under a path prefix were read: [prefix, after it).
  std::optional<Engine::PathRange> paths;
};

// When the pattern names a path prefix and nothing needs the other partitions (snapshot=true
// and Doris's partition names and replacement do), the chunks of `tables` under it, reading
// only the tree nodes on the way to them; otherwise (or when none is there, so that the
// no-match error can show what the backup holds) every chunk.
Result<ChunksRead> ReadChunksToRestore(BackupLocation& location, const Manifest& manifest,
                                       const RestoreRequest& request,
                                       const std::vector<const ManifestTable*>& tables,
                                       bool snapshot) {
  ChunksRead read;
  auto range = PatternPathRange(request.pattern, request.database);
  if (range && !snapshot && !request.replace_partitions && request.partition_names.empty()) {
    std::vector<std::string> names;
    for (const ManifestTable* t : tables) names.push_back(t->name);
    ASSIGN_OR_RETURN(read.chunks, ReadChunksInRange(*location.repository, manifest, names, *range));
    if (!read.chunks.empty()) {
      read.paths = std::move(range);
      return read;
    }
  }
  ASSIGN_OR_RETURN(read.chunks, ReadChunkTree(*location.repository, manifest.tree, manifest.id));
  return read;
}

// The objects of the selected chunks, fetched and verified into the data directory, a chunk
// per task.
Status FetchObjects(Engine& engine, BackupLocation& location, const RestoreRequest& request,
                    const std::vector<std::pair<const ManifestChunk*, std::string>>& chunks,
                    Engine::SegmentReservation& reservation, TaskControl& control) {
  std::mutex mutex;
  Status failure;                // guarded by mutex
  std::set<std::string> staged;  // guarded by mutex
  auto fetch_chunk = [&](const ManifestChunk& chunk, const std::string& table) -> Status {
    for (const auto& object : chunk.objects) {
      {
        std::lock_guard lock(mutex);
        if (!failure.ok() || control.cancelled()) return Status::Ok();
        if (!staged.insert(object.id).second) continue;
      }
      if (engine.ReserveExisting(reservation, object.id)) continue;
      auto content = location.repository->ReadObject(object.id);
      if (!content.ok()) {
        // The backup's fault only when the object is missing or damaged.
        bool damaged = content.status().code() == StatusCode::kNotFound ||
                       content.status().code() == StatusCode::kCorruption;
        if (!damaged) return content.status().WithContext("reading the backup");
        return content.status().WithRemedy(
            {RemedyKind::kCheckThenForceBackup, {location.dir, request.database}});
      }
      Status staged = engine.StageSegment(reservation, object.id, content->content());
      if (!staged.ok()) return staged.WithContext("writing to the data directory");
    }
    control.AddDone(1, static_cast<int64_t>(chunk.bytes()), table);
    return Status::Ok();
  };
  {
    ThreadPool pool(request.parallel ? kParallelWorkers : 1, 2 * kParallelWorkers);
    for (const auto& [chunk, table] : chunks) {
      pool.Submit([&, chunk = chunk, table = table] {
        Status status = fetch_chunk(*chunk, table);
        if (status.ok()) return;
        status = status.WithContext("cannot restore partition " + Quote(chunk->path) +
                                    " of table " + Quote(table) + " from " + Quote(location.dir));
        std::lock_guard lock(mutex);
        if (failure.ok()) failure = std::move(status);
      });
    }
    Status escaped = pool.Wait();
    if (failure.ok()) failure = std::move(escaped);
  }
  RETURN_IF_ERROR(failure);
  if (control.cancelled()) {
    return Cancelled("restore from " + Quote(location.dir) +
                     " was cancelled before it changed anything");
  }
  return Status::Ok();
}

}  // namespace

bool MatchesWildcard(std::string_view pattern, std::string_view text) {
  return MatchesWildcard(pattern, text, WildcardSyntax::kPercentAndQuestion);
}

std::string PatternSubject(const std::string& database, const std::string& path) {
  return "/" + DatabaseShortName(database) + (path == "/" ? "" : path);
}

Result<RestoreOutcome> RunRestore(Engine& engine, BackupLocation& location,
                                  const Manifest& manifest, const RestoreRequest& request,
                                  TaskControl& control) {
  const bool files = manifest.method == BackupMethod::kFiles;
  if (request.snapshot && !files) {
    return InvalidArgument("snapshot=true cannot be used to restore a SQL backup (" +
                           Quote(request.database) + " in " + Quote(location.dir) +
                           " was backed up with a query); leave snapshot out");
  }
  // DolphinDB's restore: snapshot "only takes effect when partition is \"%\"".
  const bool snapshot = request.snapshot && request.pattern == "%";
  const std::string target_db =
      request.target_database.empty() ? request.database : request.target_database;

  std::vector<const ManifestTable*> tables;
  for (const auto& name : request.tables) {
    const ManifestTable* t = manifest.FindTable(name);
    if (t == nullptr) {
      return NotFound("table " + Quote(name) + " is not in the backup of " +
                      Quote(request.database) + " in " + Quote(location.dir) + " (it holds " +
                      ListNames(manifest.tables) + ")");
    }
    tables.push_back(t);
  }
  if (request.tables.empty()) {
    for (const auto& t : manifest.tables) tables.push_back(&t);
  }

  ChunksRead read;  // when the manifest came without its chunks
  if (manifest.chunks.empty() && !manifest.tree.root.empty()) {
    ASSIGN_OR_RETURN(read, ReadChunksToRestore(location, manifest, request, tables, snapshot));
  }
  const std::vector<ManifestChunk>& chunks = read.chunks.empty() ? manifest.chunks : read.chunks;

  RestoreOutcome outcome;
  outcome.method = manifest.method;
  auto pin = engine.PinLatest();
  InstallRequest install;
  install.database = target_db;
  install.description = "restore from " + location.dir;
  install.create_missing_tables = request.create_missing;
  install.source_scheme = manifest.scheme;
  install.source_name = "the backup of " + Quote(request.database) + " in " + Quote(location.dir);
  if (request.create_missing) {
    install.create_scheme = manifest.scheme;
    install.create_options =
        DatabaseOptions{manifest.engine, manifest.atomic, manifest.granularity};
  }
  std::vector<std::pair<const ManifestChunk*, std::string>> fetch;  // (chunk, table)
  int64_t total_bytes = 0;
  bool matched_any = false;                     // the pattern matched a backed-up partition
  std::vector<std::string> unmatched_examples;  // partitions it did not match, for the error
  for (const ManifestTable* table : tables) {
    auto renamed = request.target_names.find(table->name);
    std::string target_name = renamed == request.target_names.end() ? table->name : renamed->second;
    // The target's current chunks, to skip partitions that already hold the backed-up data.
    std::map<std::string, std::vector<std::string>> target_segments;
    auto target = engine.GetTable(*pin, target_db, target_name);
    if (target.ok()) {
      ASSIGN_OR_RETURN(auto current, engine.ListChunks(*pin, *target, read.paths));
      for (const auto& c : current) {
        auto& ids = target_segments[c.path];
        for (const auto& s : c.segments) {
          if (s.table_id == target->table.id) ids.push_back(s.id);
        }
      }
    } else if (target.status().code() != StatusCode::kNotFound || !request.create_missing) {
      return target.status();
    }
    InstallTable entry{target_name, table->schema, table->partition_columns, {},
                       {},          table->scheme, table->definition,        snapshot};
    // The partitions the request names of this table, and the scheme that names them.
    auto named = request.partition_names.find(table->name);
    std::unique_ptr<PartitionScheme> naming;
    if (named != request.partition_names.end()) {
      auto scheme =
          PartitionScheme::FromJson(table->scheme.is_null() ? manifest.scheme : table->scheme);
      if (!scheme.ok()) return scheme.status().WithContext("table " + Quote(table->name));
      naming = std::move(*scheme);
    }
    std::set<std::string> backed_up;
    for (const auto& chunk : chunks) {
      if (chunk.table != table->name) continue;
      backed_up.insert(chunk.path);
      if (naming && !named->second.count(naming->PartitionName(chunk.path))) continue;
      if (!MatchesWildcard(request.pattern, PatternSubject(request.database, chunk.path))) {
        if (unmatched_examples.size() < kExamplePathsMax) {
          unmatched_examples.push_back(PatternSubject(request.database, chunk.path));
        }
        continue;
      }
      matched_any = true;
      std::vector<std::string> ids;
      for (const auto& o : chunk.objects) ids.push_back(o.id);
      auto current = target_segments.find(chunk.path);
      if (files && !request.force && current != target_segments.end() && current->second == ids) {
        continue;  // the target holds exactly this data already
      }
      InstallChunk install_chunk{chunk.path, {}, /*append=*/!files};
      for (const auto& o : chunk.objects) install_chunk.segments.push_back({o.id, o.rows, o.bytes});
      entry.chunks.push_back(std::move(install_chunk));
      fetch.push_back({&chunk, table->name});
      total_bytes += static_cast<int64_t>(chunk.bytes());
    }
    if (snapshot) {
      for (const auto& [path, ids] : target_segments) {
        if (!backed_up.count(path)) entry.drop_paths.push_back(path);
      }
    } else if (request.replace_partitions && !entry.chunks.empty()) {
      // The target's chunks in the partitions being restored that the backup does not have.
      // Partitions as Doris counts them: the first path component, and a table with a layout
      // of its own but no named partitions (buckets only) is one partition.
      bool one_partition = false;
      if (!table->scheme.is_null()) {
        auto scheme = PartitionScheme::FromJson(table->scheme);
        if (!scheme.ok()) return scheme.status().WithContext("table " + Quote(table->name));
        one_partition = (*scheme)->partition_names().empty();
      }
      auto partition_of = [&](const std::string& path) {
        return one_partition ? std::string() : path.substr(0, path.find('/', 1));
      };
      std::set<std::string> restored;
      for (const auto& chunk : entry.chunks) restored.insert(partition_of(chunk.path));
      for (const auto& [path, ids] : target_segments) {
        if (!backed_up.count(path) && restored.count(partition_of(path))) {
          entry.drop_paths.push_back(path);
        }
      }
    }
    bool creates = !target.ok();
    if (entry.chunks.empty() && entry.drop_paths.empty() && !creates) continue;
    outcome.tables.push_back(target_name);
    install.tables.push_back(std::move(entry));
  }
  pin.reset();
  if (!matched_any && !unmatched_examples.empty()) {
    return NotFound("partition pattern " + Quote(request.pattern) +
                    " matches no partition of the backup of " + Quote(request.database) + " in " +
                    Quote(location.dir) + " (it holds " + Join(unmatched_examples, ", ") +
                    (unmatched_examples.size() == kExamplePathsMax ? ", ..." : "") +
                    "; \"%\" matches every partition); nothing was restored");
  }
  std::vector<TableProgress> progress;  // each table restored, with its partitions fetched
  for (const ManifestTable* t : tables) progress.push_back({t->name, 0, 0});
  for (const auto& [chunk, table] : fetch) {
    for (auto& t : progress) t.total_units += t.table == table ? 1 : 0;
  }
  control.SetTotals(static_cast<int64_t>(fetch.size()), total_bytes, std::move(progress));
  install.drop_tables = request.drop_tables;
  if (install.tables.empty() && install.drop_tables.empty()) return outcome;

  auto reservation = engine.ReserveSegments();
  RETURN_IF_ERROR(FetchObjects(engine, location, request, fetch, *reservation, control));
  auto installed = engine.Install(install);
  if (!installed.ok()) {
    return installed.status().WithContext("restore of " + Quote(request.database) + " from " +
                                          Quote(location.dir) + " changed nothing");
  }
  std::string prefix = target_db;
  for (const auto& c : installed->chunks) {
    outcome.chunk_paths.push_back(prefix + (c.path == "/" ? "" : c.path) + "/" + c.physical_index);
  }
  return outcome;
}

}  // namespace strata
