// The planner of a backup whose cost follows what changed (issue 16): when the head is a
// complete snapshot of this very database at an earlier commit of this catalog, and no table
// was dropped since, the new snapshot is the head with the chunks that have a version
// committed since put in and those deleted since taken out — found through the catalog's index
// by cid and its log of deletions, without listing the database, reading the head's whole
// chunk tree or listing the repository's objects.
#include <algorithm>
#include <map>

#include "backup/backup_plan.h"
#include "backup/chunk_tree.h"

namespace strata {

namespace {

using ChunkKey = std::pair<std::string, std::string>;  // (table, path)

// Whether the call drops from its snapshot what the database no longer has.
bool DropsDeleted(const BackupRequest& request) { return request.snapshot || request.exact; }

// Whether `head` may be edited by the changes since it for `request`: the call selects the
// whole database by copying files, and the head says it holds the whole database as it was
// at its source cid (and nothing else, when the call drops what the database no longer has).
bool CallAndHeadQualify(const BackupRequest& request, const Manifest& head) {
  const bool files = request.method == BackupMethod::kFiles;
  const bool whole_database =
      request.tables.empty() && request.partitions.is_all() && request.table_partitions.empty();
  const bool needs_exact = DropsDeleted(request);
  return files && whole_database && !request.force && head.method == BackupMethod::kFiles &&
         !head.tree.root.empty() && head.origin.complete && (head.origin.exact || !needs_exact);
}

// The head's tables are all still there, holding the same rows in the same chunks. A head that
// may hold chunks the database no longer has (not exact) also needs the same layouts: the full
// comparison drops such chunks once their partition left the table's layout.
bool SameTables(const Manifest& head, const std::vector<ManifestTable>& now) {
  for (const auto& before : head.tables) {
    auto it = std::find_if(now.begin(), now.end(),
                           [&](const ManifestTable& t) { return t.name == before.name; });
    if (it == now.end()) return false;
    if (head.origin.exact ? !before.SameRowsAs(*it) : !(before == *it)) return false;
  }
  return true;
}

}  // namespace

Result<ManifestOrigin> OriginAt(Engine& engine, const Snapshot& snapshot,
                                const DatabaseRecord& db) {
  ManifestOrigin origin;
  ASSIGN_OR_RETURN(origin.data_directory, engine.DataDirectoryId());
  origin.database_id = db.id;
  ASSIGN_OR_RETURN(origin.commit_ms, engine.CommitTimeMs(snapshot.cid()));
  return origin;
}

Result<std::optional<ChangedSincePlan>> MakeChangedSincePlan(
    Engine& engine, const Snapshot& snapshot, const BackupRequest& request, const Manifest& head,
    const std::optional<Journal>& journal, Repository& repository) {
  const std::optional<ChangedSincePlan> full_comparison;
  if (!CallAndHeadQualify(request, head)) return full_comparison;
  ChangedSincePlan plan;
  PlanSummary& summary = plan.summary;
  auto db = engine.GetDatabase(snapshot, request.database);
  if (!db.ok()) return full_comparison;  // the full comparison reports it
  summary.db = std::move(*db);
  ASSIGN_OR_RETURN(summary.origin, OriginAt(engine, snapshot, summary.db));
  // The head's source cid must be a commit of this catalog, of this database, with no table
  // dropped since and every chunk deletion since logged.
  if (head.origin.data_directory != summary.origin.data_directory ||
      head.origin.database_id != summary.db.id || head.source_cid > snapshot.cid() ||
      summary.db.removed_cid > head.source_cid ||
      summary.db.granularity != ChunkGranularity::kTable) {
    return full_comparison;
  }
  auto committed = engine.CommitTimeMs(head.source_cid);
  if (!committed.ok() || *committed != head.origin.commit_ms) return full_comparison;

  ASSIGN_OR_RETURN(auto tables, engine.ListTables(snapshot, summary.db.id));
  std::map<int64_t, std::shared_ptr<const TableRef>> by_id;
  for (const auto& t : tables) {
    summary.tables.push_back(ManifestTableOf(t));
    by_id[t.id] = std::make_shared<const TableRef>(TableRef{summary.db, t});
  }
  if (!SameTables(head, summary.tables)) return full_comparison;

  std::map<ChunkKey, const ManifestChunk*> in_journal;
  if (journal) {
    for (const auto& c : journal->finished) in_journal[{c.table, c.path}] = &c;
  }
  // Partitions deleted since: dropped from the snapshot, unless they are back.
  ASSIGN_OR_RETURN(auto removals,
                   engine.ListChunkRemovalsSince(snapshot, summary.db, head.source_cid));
  if (!removals.empty() && !DropsDeleted(request)) return full_comparison;  // snapshot=false
  for (const auto& removal : removals) {
    auto table = by_id.find(removal.table_id);
    if (table == by_id.end()) return full_comparison;  // a dropped table moves removed_cid
    plan.dropped.insert({table->second->table.name, removal.path});
  }
  ASSIGN_OR_RETURN(auto changed,
                   engine.ListChunksChangedSince(snapshot, summary.db, head.source_cid));
  std::vector<BackupUnit> live;  // changed and not deleted
  for (auto& chunk : changed) {
    auto table = by_id.find(chunk.table_id);
    if (table == by_id.end()) return full_comparison;  // a dropped table moves removed_cid
    if (chunk.deleted) {
      plan.dropped.insert({table->second->table.name, chunk.path});
      continue;
    }
    plan.dropped.erase({table->second->table.name, chunk.path});  // deleted, then back
    live.push_back(BackupUnit{table->second, std::move(chunk), false});
  }
  // In key order, as a batch holds its entries.
  std::sort(live.begin(), live.end(), [](const BackupUnit& a, const BackupUnit& b) {
    return std::tie(a.table->table.name, a.chunk.path) <
           std::tie(b.table->table.name, b.chunk.path);
  });
  // The head's entries at those keys: a new version of the same segments (a restore of the
  // same data) is reused, as the full comparison reuses it.
  std::vector<ChunkTreeWalk::Key> keys;
  for (const auto& unit : live) keys.push_back({unit.table->table.name, unit.chunk.path});
  ASSIGN_OR_RETURN(auto stored, ReadChunkTreeKeys(repository, head.tree, head.id, keys));
  std::map<ChunkKey, const ManifestChunk*> in_head;
  for (const auto& c : stored) in_head[{c.table, c.path}] = &c;
  PlanBatch& batch = plan.batch;
  for (auto& unit : live) {
    const TableRecord& table = unit.table->table;
    auto before = in_head.find({table.name, unit.chunk.path});
    if (before != in_head.end() && SameObjects(*before->second, unit.chunk, table.id)) {
      batch.entries.push_back(
          {PlannedEntry::Source::kReused, Refreshed(*before->second, unit.chunk)});
      continue;
    }
    auto done = in_journal.find({table.name, unit.chunk.path});
    if (done != in_journal.end() && done->second->cid == unit.chunk.cid &&
        done->second->chunk_id == unit.chunk.chunk_id) {
      bool all_stored = true;
      for (const auto& o : done->second->objects) {
        ASSIGN_OR_RETURN(bool has, repository.HasObject(o.id));
        all_stored = all_stored && has;
      }
      if (all_stored) {
        batch.entries.push_back({PlannedEntry::Source::kResumed, *done->second});
        continue;
      }
      ++summary.missing_recopied;
    }
    batch.entries.push_back({PlannedEntry::Source::kCopied, {}, batch.copy.size()});
    batch.copy.push_back(std::move(unit));
  }
  summary.origin.complete = true;
  summary.origin.exact = head.origin.exact;
  return std::optional<ChangedSincePlan>(std::move(plan));
}

}  // namespace strata
