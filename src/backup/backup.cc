#include "backup/backup.h"

#include <algorithm>
#include <map>
#include <set>

#include "backup/backup_plan.h"
#include "backup/chunk_tree.h"
#include "backup/head_ref.h"
#include "backup/journal.h"
#include "backup/repository_lock.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "base/utc_time.h"
#include "repository/local_object_store.h"
#include "repository/object_codec.h"
#include "storage/segment.h"

namespace strata {

namespace {

constexpr size_t kSqlSegmentRowsMax = size_t{1} << 20;
constexpr size_t kParallelWorkers = 4;
constexpr int64_t kJournalIntervalMs = 1000;

// The identity of a call: re-running the same call finds the same journal.
nlohmann::json CallIdentity(const BackupRequest& request) {
  std::vector<std::string> tables = request.tables;
  std::sort(tables.begin(), tables.end());
  return {{"database", request.database},
          {"method", BackupMethodName(request.method)},
          {"tables", tables},
          {"partition", request.partitions.is_all() ? "" : request.partitions.text()},
          {"snapshot", request.snapshot},
          {"force", request.force},
          {"sql", request.sql_text}};
}

// Collects finished chunks and adds them to the journal as a new part at most once per
// interval (and on demand), so each write costs only what finished since the last one. Writing
// a part first flushes the store: that one barrier makes every object of those chunks durable.
// Workers keep adding chunks while one of them writes a part.
class JournalWriter {
 public:
  // `pending` names the journal (key, database, start) and the number of its next part.
  JournalWriter(Repository& repository, Journal pending)
      : repository_(repository), pending_(std::move(pending)) {}

  // Records a chunk whose objects are all put. An error means objects put so far may not be
  // durable: the backup must stop.
  Status Add(ManifestChunk chunk) {
    {
      std::lock_guard lock(mutex_);
      pending_.finished.push_back(std::move(chunk));
      if (NowMs() - written_ms_ < kJournalIntervalMs) return Status::Ok();
    }
    std::unique_lock writing(write_mutex_, std::try_to_lock);
    if (!writing.owns_lock()) return Status::Ok();  // another worker is writing a part
    return WriteHeld();
  }
  Status Flush() {
    std::lock_guard writing(write_mutex_);
    return WriteHeld();
  }

 private:
  Status WriteHeld() {
    Journal part;
    {
      std::lock_guard lock(mutex_);
      if (pending_.finished.empty()) return Status::Ok();
      part = Journal{pending_.key, pending_.database, pending_.started_ms,
                     std::move(pending_.finished), pending_.part++};
      pending_.finished = {};
      written_ms_ = NowMs();
    }
    return WriteJournalPart(repository_, part);
  }

  Repository& repository_;
  std::mutex write_mutex_;  // held while a part is written
  std::mutex mutex_;        // guards pending_ and written_ms_
  Journal pending_;
  int64_t written_ms_ = 0;  // the first finished chunk is written at once: a kill in the first
                            // second of a backup still leaves work to resume
};

// The shared state of the workers of one call.
struct Execution {
  Engine& engine;
  Repository& repository;
  const BackupRequest& request;
  TaskControl& control;
  JournalWriter& journal;
  // Created by this call: it holds no object yet, so none is looked for (a HEAD per object
  // was a third of a full backup's requests to S3).
  bool new_repository = false;
  // The objects the repository held when the call began (one listing instead of a HEAD each),
  // when `listed`; otherwise (a plan by the changes since the head) each is looked for.
  const Repository::ObjectListing& present;
  bool listed = true;
  std::mutex mutex;  // guards failure, results, bytes_written
  Status failure;
  std::map<size_t, ManifestChunk> results;  // of the batch being copied, by unit index
  uint64_t bytes_written = 0;

  bool Stopped() {
    std::lock_guard lock(mutex);
    return !failure.ok() || control.cancelled();
  }
  void Fail(Status status) {
    std::lock_guard lock(mutex);
    if (failure.ok()) failure = std::move(status);
  }
};

// Stores `content` (whose id must be `expected_id` when given) and records its size. A
// force=true backup verifies existing copies; otherwise `absent` says the caller knows the
// repository lacks it.
Result<ManifestObject> StoreObject(Execution& ex, std::string_view content, uint64_t rows,
                                   const std::string& expected_id, bool absent) {
  using IfPresent = Repository::IfPresent;
  IfPresent if_present = ex.request.force ? IfPresent::kVerify
                         : absent         ? IfPresent::kAbsent
                                          : IfPresent::kKeep;
  ASSIGN_OR_RETURN(Repository::PutResult put, ex.repository.PutObject(content, if_present));
  if (!expected_id.empty() && put.id != expected_id) {
    return Corruption("segment " + expected_id + " in the data directory is damaged: its bytes " +
                      "hash to " + put.id + "; the chunk cannot be backed up until it is repaired");
  }
  std::lock_guard lock(ex.mutex);
  ex.bytes_written += put.stored_bytes;
  return ManifestObject{put.id, rows, content.size()};
}

// Copy-files mode: the chunk's segment files, each stored unless the repository has it.
Status CopyChunkFiles(Execution& ex, const BackupUnit& unit, ManifestChunk* out) {
  for (const auto& segment : unit.chunk.segments) {
    if (segment.table_id != unit.table->table.id) continue;
    if (ex.control.cancelled()) return Status::Ok();
    bool present = false;
    if (!ex.request.force && ex.listed) {
      ASSIGN_OR_RETURN(present, ex.present.Contains(segment.id));
    } else if (!ex.request.force) {
      ASSIGN_OR_RETURN(present, ex.repository.HasObject(segment.id));
    }
    if (present) {
      out->objects.push_back({segment.id, segment.rows, segment.size_bytes});
      continue;
    }
    // Unverified here: StoreObject hashes the bytes against the segment's id.
    auto bytes = ex.engine.segments().ReadRawBytes(segment.id);
    if (!bytes.ok()) {
      return bytes.status().WithContext("chunk " + Quote(unit.chunk.path) + " of table " +
                                        Quote(unit.table->table.name));
    }
    ASSIGN_OR_RETURN(ManifestObject object,
                     StoreObject(ex, *bytes, segment.rows, segment.id, /*absent=*/true));
    out->objects.push_back(std::move(object));
  }
  return Status::Ok();
}

// SQL mode: the rows (and columns) the query selects from the chunk, as new segments.
Status CopyChunkRows(Execution& ex, const BackupUnit& unit, ManifestChunk* out) {
  ASSIGN_OR_RETURN(Table rows, ex.engine.ReadChunk(unit.chunk, unit.table->table));
  ASSIGN_OR_RETURN(Value selected,
                   ex.request.rows->Apply(std::make_shared<const Table>(std::move(rows))));
  if (!selected.is_table()) {
    return InvalidArgument("the backup query must select a table, got a " + selected.Describe());
  }
  const Table& table = *selected.table();
  for (size_t begin = 0; begin < table.rows(); begin += kSqlSegmentRowsMax) {
    size_t end = std::min(table.rows(), begin + kSqlSegmentRowsMax);
    std::string bytes = EncodeSegment(table.Slice(begin, end));
    ASSIGN_OR_RETURN(ManifestObject object,
                     StoreObject(ex, bytes, end - begin, "", ex.new_repository));
    out->objects.push_back(std::move(object));
  }
  return Status::Ok();
}

void RunUnit(Execution& ex, size_t index, const BackupUnit& unit) {
  if (ex.Stopped()) return;
  ManifestChunk chunk{unit.table->table.name,
                      unit.chunk.path,
                      unit.chunk.chunk_id,
                      unit.chunk.cid,
                      unit.chunk.update_time_ms,
                      0,
                      {},
                      unit.whole};
  Status status = ex.request.method == BackupMethod::kFiles ? CopyChunkFiles(ex, unit, &chunk)
                                                            : CopyChunkRows(ex, unit, &chunk);
  if (!status.ok()) return ex.Fail(std::move(status));
  if (ex.control.cancelled()) return;
  for (const auto& o : chunk.objects) chunk.rows += o.rows;
  uint64_t bytes = chunk.bytes();
  if (Status added = ex.journal.Add(chunk); !added.ok()) return ex.Fail(std::move(added));
  {
    std::lock_guard lock(ex.mutex);
    ex.results[index] = std::move(chunk);
  }
  ex.control.AddDone(1, static_cast<int64_t>(bytes), unit.table->table.name);
}

// Says what the plan found missing: chunks it copies again, and chunks outside the selection
// that it carries over as they are (a backup only copies what it selects).
void WarnAboutMissing(const PlanSummary& plan, const std::string& backup_dir,
                      const std::string& database, TaskControl& control) {
  if (plan.missing_recopied > 0) {
    control.Warn(NotFound(std::to_string(plan.missing_recopied) +
                          " partitions that the repository's last snapshot or an unfinished run "
                          "had stored named objects missing from " +
                          Quote(backup_dir) + "; they were copied again"));
  }
  if (plan.carried_damaged > 0) {
    control.Warn(NotFound(std::to_string(plan.carried_damaged) +
                          " partitions outside this backup's selection name objects missing "
                          "from " +
                          Quote(backup_dir) + " and stay unrestorable")
                     .WithRemedy({RemedyKind::kCheckThenForceBackup, {backup_dir, database}}));
  }
}

// Before the manifest is written: if the backup's lock lapsed, a prune may have deleted
// objects that no document named yet. The lock is taken again, and every object the manifest
// names must still be there; otherwise the call fails (with the journal flushed) and its
// re-run stores the missing objects again.
Status CheckStillStored(BackupSession& session, Repository& repository, const Manifest& manifest,
                        JournalWriter& journal) {
  ASSIGN_OR_RETURN(bool lapsed, session.Reconfirm());
  if (!lapsed) return Status::Ok();
  // What this call wrote must be visible to the listing and the walk.
  RETURN_IF_ERROR(repository.store().Flush());
  ASSIGN_OR_RETURN(auto present, repository.ListObjects());
  // Every node of the new tree, the ones it shares with earlier snapshots included, and every
  // chunk it holds, a leaf at a time.
  int64_t lost = 0;
  Status walked = ChunkTreeWalk(repository)
                      .Visit(manifest.tree, manifest.id, [&](std::vector<ManifestChunk> leaf) {
                        for (const auto& chunk : leaf) {
                          ASSIGN_OR_RETURN(bool present_all, ObjectsPresent(chunk, present));
                          if (!present_all) ++lost;
                        }
                        return Status::Ok();
                      });
  if (!walked.ok() && walked.code() != StatusCode::kCorruption) return walked;
  const bool tree_lost = !walked.ok();
  if (lost == 0 && !tree_lost) return Status::Ok();
  (void)journal.Flush();
  return FailedPrecondition(
      "backup of " + Quote(manifest.database) +
      " wrote no snapshot: its lock on the repository lapsed (the store refused "
      "renewals, or the process was paused) and meanwhile objects of " +
      std::to_string(lost) + " partitions" + (tree_lost ? " and of its chunk tree" : "") +
      " were deleted (a prune ran); run the same call again: it stores "
      "them again and keeps what is still there");
}

// What the repository holds for this call before it runs.
struct Baseline {
  std::optional<Manifest> head;  // without its chunks (a version-1 head has them)
  std::optional<Journal> journal;
  Repository::ObjectListing present;  // empty unless `listed`
  bool listed = false;
};

// Reads the head, the call's journal and the object listing of `location` (nothing when it
// holds no repository yet). A damaged or deleted head is never silently replaced by its
// parent; force=true writes a new head from this call's selection alone.
Result<Baseline> ReadBaseline(BackupLocation& location, const BackupRequest& request,
                              const nlohmann::json& identity, TaskControl& control) {
  Baseline baseline;
  if (!location.repository) return baseline;
  ASSIGN_OR_RETURN(HeadLookup lookup,
                   LookUpHead(location, request.database, /*with_chunks=*/false));
  if (!lookup.broken.ok()) {
    if (!request.force) return lookup.broken;
    control.Warn(Status(lookup.broken.code(), lookup.broken.message() +
                                                  "; this forced backup writes a new head that "
                                                  "holds only what it selects"));
  }
  baseline.head = std::move(lookup.head);
  ASSIGN_OR_RETURN(baseline.journal,
                   ReadJournal(*location.repository, JournalKeyOf(*location.repository, identity),
                               DamagedPart::kSkip, request.journal_chunks_kept));
  ASSIGN_OR_RETURN(baseline.present, location.repository->ListObjects());
  baseline.listed = true;
  if (baseline.head && baseline.head->method != request.method) {
    bool files = baseline.head->method == BackupMethod::kFiles;
    return FailedPrecondition("backupDir " + Quote(location.dir) + " holds " +
                              (files ? "copy-files" : "SQL") + " backups of " +
                              Quote(request.database) +
                              "; a backup there must use the same method, or go to another "
                              "directory")
        .WithRemedy({RemedyKind::kUseBackupMethod, {files ? "files" : "sql", request.database}});
  }
  return baseline;
}

// The head, the call's journal and the plan by the chunks changed since the head, when
// MakeChangedSincePlan can plan the call that way (nothing is listed).
using ByChanges = std::pair<Baseline, ChangedSincePlan>;

Result<std::optional<ByChanges>> PlanByChanges(Engine& engine, const Snapshot& pin,
                                               BackupLocation& location,
                                               const BackupRequest& request,
                                               const nlohmann::json& identity) {
  if (!location.repository || request.force) return std::optional<ByChanges>();
  ASSIGN_OR_RETURN(HeadLookup lookup,
                   LookUpHead(location, request.database, /*with_chunks=*/false));
  if (!lookup.broken.ok() || !lookup.head) return std::optional<ByChanges>();
  Baseline baseline{.head = std::move(lookup.head)};
  ASSIGN_OR_RETURN(baseline.journal,
                   ReadJournal(*location.repository, JournalKeyOf(*location.repository, identity),
                               DamagedPart::kSkip, request.journal_chunks_kept));
  ASSIGN_OR_RETURN(auto plan, MakeChangedSincePlan(engine, pin, request, *baseline.head,
                                                   baseline.journal, *location.repository));
  if (!plan) return std::optional<ByChanges>();
  return std::optional<ByChanges>(ByChanges{std::move(baseline), std::move(*plan)});
}

// What a call will do, known before it writes anything: its plan's summary, and the units and
// bytes it copies, in all and per table (getBackupStatus's rows).
struct Survey {
  PlanSummary summary;
  int64_t units = 0;
  int64_t bytes = 0;
  std::vector<TableProgress> tables;
};

// Adds the units `batch` copies to `survey`'s totals.
void CountUnits(const PlanBatch& batch, Survey& survey) {
  for (const auto& unit : batch.copy) {
    ++survey.units;
    for (const auto& s : unit.chunk.segments) {
      if (s.table_id == unit.table->table.id) survey.bytes += static_cast<int64_t>(s.size_bytes);
    }
    const std::string& name = unit.table->table.name;
    auto it = std::find_if(survey.tables.begin(), survey.tables.end(),
                           [&](const TableProgress& t) { return t.table == name; });
    if (it == survey.tables.end()) it = survey.tables.insert(survey.tables.end(), {name, 0, 0});
    ++it->total_units;
  }
}

// Puts first in `survey.tables` the tables the call selects (every table of the new snapshot
// when it names none), with the units counted for them.
void ListSelectedTables(const BackupRequest& request, Survey& survey) {
  std::vector<std::string> names;
  if (request.method == BackupMethod::kSql) {
    names.push_back(request.sql_table);
  } else if (!request.tables.empty()) {
    names = request.tables;
  } else {
    for (const auto& t : survey.summary.tables) names.push_back(t.name);
  }
  std::vector<TableProgress> tables;
  for (const auto& name : names) {
    if (std::none_of(tables.begin(), tables.end(),
                     [&](const TableProgress& t) { return t.table == name; })) {
      tables.push_back({name, 0, 0});
    }
  }
  for (const auto& counted : survey.tables) {
    auto it = std::find_if(tables.begin(), tables.end(),
                           [&](const TableProgress& t) { return t.table == counted.table; });
    if (it == tables.end()) it = tables.insert(tables.end(), {counted.table, 0, 0});
    it->total_units = counted.total_units;
  }
  survey.tables = std::move(tables);
}

// Runs the full comparison to its end without copying anything: its errors come before the
// call writes anything, and its totals before the first unit is copied. It holds a batch at a
// time, as the run that copies does.
Result<Survey> SurveyFullComparison(Engine& engine, const Snapshot& pin,
                                    const BackupRequest& request, const Baseline& baseline,
                                    Repository* repository) {
  ASSIGN_OR_RETURN(auto comparison,
                   FullComparison::Start(engine, pin, request, baseline.head, baseline.journal,
                                         baseline.present, repository));
  Survey survey;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<PlanBatch> batch, comparison->Next());
    if (!batch) break;
    CountUnits(*batch, survey);
  }
  survey.summary = comparison->summary();
  return survey;
}

// Makes `location` a repository if it is not one yet (the call is known to be valid by now),
// and clears staging files abandoned by interrupted writes: a writer into a repository is the
// one caller that may, so readers and other directories never lose a file.
Status EnsureRepository(BackupLocation& location, const BackupRequest& request) {
  if (!location.repository) {
    if (!request.create_repository) {
      return PermissionDenied("backupDir " + Quote(location.dir) +
                              " holds no backup repository, and only a superuser may create one");
    }
    ASSIGN_OR_RETURN(location.repository,
                     Repository::Open(location.store.get(), RepositoryOpen::kCreateIfMissing,
                                      location.key.get()));
  }
  if (auto* local = dynamic_cast<LocalObjectStore*>(location.store.get())) {
    local->RemoveAbandonedStaging();
  }
  return Status::Ok();
}

// Copies `units` with the call's pool of workers into `ex.results`. Fails with the first
// worker's error, or Cancelled; either way the journal keeps what is done for a re-run.
Status CopyUnits(Execution& ex, const std::vector<BackupUnit>& units, const std::string& dir) {
  ex.results.clear();
  {
    ThreadPool pool(ex.request.parallel ? kParallelWorkers : 1, 2 * kParallelWorkers);
    for (size_t i = 0; i < units.size(); ++i) {
      if (ex.Stopped()) break;
      pool.Submit([&ex, &units, i] { RunUnit(ex, i, units[i]); });
    }
    if (Status escaped = pool.Wait(); !escaped.ok()) ex.Fail(std::move(escaped));
  }
  if (ex.failure.ok() && !ex.control.cancelled()) return Status::Ok();
  Status saved = ex.journal.Flush();
  if (!ex.failure.ok()) return ex.failure;
  TaskProgress progress = ex.control.progress();
  return Cancelled("backup of " + Quote(ex.request.database) + " to " + Quote(dir) +
                   " was cancelled after " + std::to_string(progress.done_units) + " of " +
                   std::to_string(progress.total_units) + " partitions" +
                   (saved.ok() ? "; run the same call again to resume" : ""));
}

// Copies the units of `batch`, then hands each entry of the new snapshot it decides to `put`,
// in order, counting what was written and reused. A SQL query that selects no row of a
// partition leaves the backup of that partition as it was.
Status RunBatch(Execution& ex, PlanBatch& batch, const std::string& dir, BackupOutcome& outcome,
                const std::function<Status(ManifestChunk)>& put) {
  RETURN_IF_ERROR(CopyUnits(ex, batch.copy, dir));
  const bool sql = ex.request.method == BackupMethod::kSql;
  for (auto& entry : batch.entries) {
    using Source = PlannedEntry::Source;
    if (entry.source == Source::kReused || entry.source == Source::kCarried) {
      outcome.units_reused += entry.source == Source::kReused ? 1 : 0;
      RETURN_IF_ERROR(put(std::move(entry.chunk)));
      continue;
    }
    if (entry.source == Source::kCopied) {
      auto result = ex.results.find(entry.unit);
      if (result == ex.results.end()) {
        return Internal("backup of " + Quote(ex.request.database) + " lost the result of a copy");
      }
      entry.chunk = std::move(result->second);
    }
    if (entry.chunk.rows == 0 && sql) {
      if (entry.shadowed) RETURN_IF_ERROR(put(std::move(*entry.shadowed)));
      continue;
    }
    ++outcome.units_written;
    RETURN_IF_ERROR(put(std::move(entry.chunk)));
  }
  return Status::Ok();
}

// The new snapshot's manifest, all but its chunk tree.
Manifest NewManifest(const PlanSummary& plan, const std::optional<Manifest>& head,
                     const Snapshot& pin, const BackupRequest& request) {
  Manifest manifest;
  manifest.created_ms = head ? std::max(NowMs(), head->created_ms + 1) : NowMs();
  manifest.id = Repository::NewSnapshotId(manifest.created_ms);
  if (head) manifest.parent = head->id;
  manifest.method = request.method;
  manifest.label = request.label;
  manifest.database = plan.db.name;
  manifest.engine = plan.db.engine;
  manifest.atomic = plan.db.atomic;
  manifest.granularity = plan.db.granularity;
  manifest.scheme = plan.db.scheme;
  manifest.source_cid = pin.cid();
  manifest.origin = plan.origin;
  manifest.tables = plan.tables;
  manifest.sql = request.sql_text;
  return manifest;
}

// The edits that put each of `chunks` into a tree and drop the keys of `dropped` (none of
// them a chunk's), in key order.
std::vector<ChunkTreeEdit> EditsOf(const std::vector<ManifestChunk>& chunks,
                                   const std::set<std::pair<std::string, std::string>>& dropped) {
  std::vector<ChunkTreeEdit> edits;
  edits.reserve(chunks.size() + dropped.size());
  for (const auto& c : chunks) edits.push_back({{c.table, c.path}, c});
  for (const auto& [table, path] : dropped) edits.push_back({{table, path}, std::nullopt});
  std::sort(edits.begin(), edits.end(),
            [](const ChunkTreeEdit& a, const ChunkTreeEdit& b) { return a.key < b.key; });
  return edits;
}

// Writes the manifest (its chunk tree is stored, and every object it names), then the head
// record, then drops the journal.
Status Publish(BackupLocation& location, BackupSession& session, const Manifest& manifest,
               JournalWriter& journal, const std::string& journal_key, TaskControl& control) {
  RETURN_IF_ERROR(CheckStillStored(session, *location.repository, manifest, journal));
  RETURN_IF_ERROR(location.repository->PutSnapshot(manifest.id, ManifestToText(manifest)));
  if (Status recorded = WriteHeadRef(*location.repository, manifest.database, manifest.id);
      !recorded.ok()) {
    control.Warn(Status(recorded.code(), "snapshot " + Quote(manifest.id) +
                                             " was written but its head record was not (" +
                                             recorded.message() +
                                             "); readers still take it as the newest snapshot"));
  }
  (void)DeleteJournal(*location.repository, journal_key);  // a leftover journal only costs space
  return Status::Ok();
}

// The new snapshot's chunk tree by the changes since the head: the head's tree edited where
// the batch's entries go and the deleted partitions were (the nodes it rebuilds are written
// without looking, as nothing was listed).
Result<ChunkTreeWrite> EditHead(Execution& ex, ChangedSincePlan& plan, const Manifest& head,
                                const std::string& dir, BackupOutcome& outcome) {
  std::vector<ManifestChunk> chunks;
  RETURN_IF_ERROR(RunBatch(ex, plan.batch, dir, outcome, [&](ManifestChunk c) {
    chunks.push_back(std::move(c));
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(ChunkTreeWrite tree, EditChunkTree(ex.repository, head.tree, head.id,
                                                      EditsOf(chunks, plan.dropped), ex.present));
  // Every chunk of the tree this call did not store.
  outcome.units_reused = static_cast<int64_t>(tree.ref.chunks) - outcome.units_written;
  return tree;
}

// The new snapshot's chunk tree by the full comparison, batch by batch: each batch's units
// copied, then its entries added to a tree written as it goes (a force=true backup verifies
// every node it finds).
Result<ChunkTreeWrite> CompareAndWrite(Execution& ex, const Snapshot& pin, const Baseline& baseline,
                                       const std::string& dir, BackupOutcome& outcome) {
  ASSIGN_OR_RETURN(auto comparison,
                   FullComparison::Start(ex.engine, pin, ex.request, baseline.head,
                                         baseline.journal, ex.present, &ex.repository));
  ChunkTreeWriter writer(ex.repository, ex.present, ex.request.force);
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<PlanBatch> batch, comparison->Next());
    if (!batch) break;
    RETURN_IF_ERROR(RunBatch(ex, *batch, dir, outcome,
                             [&](ManifestChunk c) { return writer.Add(std::move(c)); }));
  }
  return writer.Finish();
}

}  // namespace

Result<BackupOutcome> RunBackup(Engine& engine, BackupLocation& location,
                                const BackupRequest& request, TaskControl& control) {
  location.on_warning = [&control](const Status& warning) { control.Warn(warning); };
  const nlohmann::json identity = CallIdentity(request);
  const bool new_repository = !location.repository;
  auto pin = engine.PinLatest();
  ASSIGN_OR_RETURN(auto by_changes, PlanByChanges(engine, *pin, location, request, identity));
  Baseline baseline;
  Survey survey;
  if (by_changes) {
    baseline = std::move(by_changes->first);
    survey.summary = by_changes->second.summary;
    CountUnits(by_changes->second.batch, survey);
  } else {
    ASSIGN_OR_RETURN(baseline, ReadBaseline(location, request, identity, control));
    ASSIGN_OR_RETURN(
        survey, SurveyFullComparison(engine, *pin, request, baseline, location.repository.get()));
  }
  ListSelectedTables(request, survey);
  WarnAboutMissing(survey.summary, location.dir, request.database, control);
  RETURN_IF_ERROR(EnsureRepository(location, request));
  const std::string journal_key = JournalKeyOf(*location.repository, identity);
  ASSIGN_OR_RETURN(auto session,
                   BackupSession::Start(*location.store, location.dir, location.lock_lease_ms));

  // Chunks resumed from the journal stay in its earlier parts; new ones go to new parts.
  Journal pending{journal_key, request.database, NowMs(), {}, 0};
  if (baseline.journal) {
    if (baseline.journal->started_ms != 0) pending.started_ms = baseline.journal->started_ms;
    pending.part = baseline.journal->part;
  }
  JournalWriter journal_writer(*location.repository, std::move(pending));
  Execution ex{.engine = engine,
               .repository = *location.repository,
               .request = request,
               .control = control,
               .journal = journal_writer,
               .new_repository = new_repository,
               .present = baseline.present,
               .listed = baseline.listed || new_repository};
  control.SetTotals(survey.units, survey.bytes, survey.tables);
  BackupOutcome outcome;
  Manifest manifest = NewManifest(survey.summary, baseline.head, *pin, request);
  ASSIGN_OR_RETURN(ChunkTreeWrite tree,
                   by_changes
                       ? EditHead(ex, by_changes->second, *baseline.head, location.dir, outcome)
                       : CompareAndWrite(ex, *pin, baseline, location.dir, outcome));
  manifest.tree = tree.ref;
  RETURN_IF_ERROR(Publish(location, *session, manifest, journal_writer, journal_key, control));
  outcome.planned_by_changes = by_changes.has_value();
  outcome.bytes_written = ex.bytes_written;
  outcome.snapshot_id = manifest.id;
  return outcome;
}

Result<BackupOutcome> RunBackup(Engine& engine, const StoreSettings& settings,
                                const std::string& backup_dir, const std::string& key_path,
                                const BackupRequest& request, TaskControl& control) {
  ASSIGN_OR_RETURN(BackupLocation location, OpenBackupTarget(backup_dir, settings, key_path));
  return RunBackup(engine, location, request, control);
}

}  // namespace strata
