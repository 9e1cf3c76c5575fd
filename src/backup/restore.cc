#include "backup/restore.h"

#include <map>
#include <mutex>
#include <set>

#include "backup/chunk_tree.h"
#include "backup/restore_plan.h"
#include "base/strings.h"
#include "base/thread_pool.h"

namespace strata {

namespace {

constexpr size_t kParallelWorkers = 4;

Status CancelledBeforeChange(const BackupLocation& location) {
  return Cancelled("restore from " + Quote(location.dir) +
                   " was cancelled before it changed anything");
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

// The objects of `batch`'s chunks, fetched and verified into the data directory, a chunk per
// task, then made durable together.
Status FetchBatch(Engine& engine, BackupLocation& location, const RestoreRequest& request,
                  const RestorePlan& plan, const RestoreBatch& batch,
                  Engine::SegmentReservation& reservation, TaskControl& control) {
  std::mutex mutex;
  Status failure;                // guarded by mutex
  std::set<std::string> staged;  // guarded by mutex: an object two chunks of the batch share
  auto fetch_chunk = [&](const ManifestChunk& chunk, const std::string& table) -> Status {
    for (const auto& object : chunk.objects) {
      {
        std::lock_guard lock(mutex);
        if (!failure.ok() || control.cancelled()) return Status::Ok();
        if (!staged.insert(object.id).second) continue;
      }
      if (engine.HasSegment(reservation, object.id)) continue;
      auto content = location.repository->ReadObject(object.id);
      if (!content.ok()) {
        // The backup's fault only when the object is missing or damaged.
        bool damaged = content.status().code() == StatusCode::kNotFound ||
                       content.status().code() == StatusCode::kCorruption;
        if (!damaged) return content.status().WithContext("reading the backup");
        return content.status().WithRemedy(
            {RemedyKind::kCheckThenForceBackup, {location.dir, request.database}});
      }
      Status written = engine.StageSegment(reservation, object.id, content->content());
      if (!written.ok()) return written.WithContext("writing to the data directory");
    }
    control.AddDone(1, static_cast<int64_t>(chunk.bytes()), table);
    return Status::Ok();
  };
  {
    ThreadPool pool(request.parallel ? kParallelWorkers : 1, 2 * kParallelWorkers);
    for (const auto& entry : batch.restore) {
      pool.Submit([&, &entry = entry] {
        const std::string& table = plan.tables()[entry.table].source->name;
        Status status = fetch_chunk(entry.chunk, table);
        if (status.ok()) return;
        status = status.WithContext("cannot restore partition " + Quote(entry.chunk.path) +
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
    return CancelledBeforeChange(location);
  }
  return engine.PublishStaged(reservation);
}

// The commit's header: every table the plan restores chunks into, removes chunks from or
// creates, in the request's order (`index`: plan table → installation table, or none).
InstallRequest InstallHeader(const Manifest& manifest, const RestoreRequest& request,
                             const RestorePlan& plan, const std::string& target_db,
                             const std::string& source_dir, std::vector<size_t>& index) {
  InstallRequest install;
  install.database = target_db;
  install.description = "restore from " + source_dir;
  install.create_missing_tables = request.create_missing;
  install.source_scheme = manifest.scheme;
  install.source_name = "the backup of " + Quote(request.database) + " in " + Quote(source_dir);
  if (request.create_missing) {
    install.create_scheme = manifest.scheme;
    install.create_options =
        DatabaseOptions{manifest.engine, manifest.atomic, manifest.granularity};
  }
  install.drop_tables = request.drop_tables;
  const RestoreCounts& counts = plan.counts();
  index.assign(plan.tables().size(), SIZE_MAX);
  for (size_t t = 0; t < plan.tables().size(); ++t) {
    const RestoreTablePlan& table = plan.tables()[t];
    if (counts.chunks[t] == 0 && counts.drops[t] == 0 && table.target) continue;
    const ManifestTable& source = *table.source;
    index[t] = install.tables.size();
    install.tables.push_back(InstallTable{table.target_name,
                                          source.schema,
                                          source.partition_columns,
                                          {},
                                          {},
                                          source.scheme,
                                          source.definition,
                                          plan.snapshot()});
  }
  return install;
}

// Adds `batch` to `installation`, a table at a time; appends the target paths of the restored
// chunks to `paths` when it is set.
Status InstallBatch(Engine::Installation& installation, const RestoreBatch& batch, bool files,
                    const std::vector<size_t>& index, const std::string& target_db,
                    std::vector<std::string>* paths) {
  size_t r = 0, d = 0;
  while (r < batch.restore.size() || d < batch.drops.size()) {
    // The lowest table index left: both lists are ordered by table, then path.
    size_t table = std::min(r < batch.restore.size() ? batch.restore[r].table : SIZE_MAX,
                            d < batch.drops.size() ? batch.drops[d].table : SIZE_MAX);
    std::vector<InstallChunk> chunks;
    for (; r < batch.restore.size() && batch.restore[r].table == table; ++r) {
      const ManifestChunk& chunk = batch.restore[r].chunk;
      InstallChunk install{chunk.path, {}, /*append=*/!files};
      for (const auto& o : chunk.objects) install.segments.push_back({o.id, o.rows, o.bytes});
      chunks.push_back(std::move(install));
    }
    std::vector<std::string> drops;
    for (; d < batch.drops.size() && batch.drops[d].table == table; ++d) {
      drops.push_back(batch.drops[d].path);
    }
    RETURN_IF_ERROR(installation.Add(index[table], chunks, drops));
    if (paths == nullptr) continue;
    for (const auto& c : chunks) {
      paths->push_back(target_db + (c.path == "/" ? "" : c.path) + "/" +
                       installation.physical_index(index[table]));
    }
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
  const std::string target_db =
      request.target_database.empty() ? request.database : request.target_database;
  ASSIGN_OR_RETURN(auto plan, RestorePlan::Open(engine, location, manifest, request));

  // The first pass counts: totals for the progress, and the error of a pattern that matches
  // nothing before anything is fetched.
  RestoreBatch batch;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, plan->Next(batch));
    if (!more) break;
  }
  const RestoreCounts counts = plan->counts();
  if (!counts.matched_any && !counts.unmatched_examples.empty()) {
    return NotFound("partition pattern " + Quote(request.pattern) +
                    " matches no partition of the backup of " + Quote(request.database) + " in " +
                    Quote(location.dir) + " (it holds " + Join(counts.unmatched_examples, ", ") +
                    (counts.unmatched_examples.size() == kUnmatchedExamplesMax ? ", ..." : "") +
                    "; \"%\" matches every partition); nothing was restored");
  }
  std::vector<TableProgress> progress;  // each table restored, with its partitions fetched
  size_t total = 0;
  for (size_t t = 0; t < plan->tables().size(); ++t) {
    progress.push_back({plan->tables()[t].source->name, 0, static_cast<int64_t>(counts.chunks[t])});
    total += counts.chunks[t];
  }
  control.SetTotals(static_cast<int64_t>(total), counts.bytes, std::move(progress));
  RestoreOutcome outcome;
  outcome.method = manifest.method;
  std::vector<size_t> index;
  InstallRequest install = InstallHeader(manifest, request, *plan, target_db, location.dir, index);
  if (install.tables.empty() && install.drop_tables.empty()) return outcome;

  // The second fetches, a batch at a time, outside the writer lock.
  ASSIGN_OR_RETURN(auto reservation, engine.ReserveSegments());
  RETURN_IF_ERROR(plan->Rewind());
  for (;;) {
    ASSIGN_OR_RETURN(bool more, plan->Next(batch));
    if (!more) break;
    RETURN_IF_ERROR(FetchBatch(engine, location, request, *plan, batch, *reservation, control));
  }

  // The third installs, in one commit.
  auto failed = [&](const Status& status) {
    return status.WithContext("restore of " + Quote(request.database) + " from " +
                              Quote(location.dir) + " changed nothing");
  };
  auto installation = engine.BeginInstall(install, std::move(reservation));
  if (!installation.ok()) return failed(installation.status());
  RETURN_IF_ERROR(plan->Rewind());
  std::vector<std::string>* paths = request.want_paths ? &outcome.chunk_paths : nullptr;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, plan->Next(batch));
    if (!more) break;
    Status added = InstallBatch(**installation, batch, files, index, target_db, paths);
    if (!added.ok()) return failed(added);
  }
  plan->ReleasePin();  // before the commit, so that it prunes what it replaced at once
  if (control.cancelled()) {
    return CancelledBeforeChange(location);
  }
  auto committed = (*installation)->Commit();
  if (!committed.ok()) return failed(committed.status());
  outcome.chunks_restored = total;
  return outcome;
}

}  // namespace strata
