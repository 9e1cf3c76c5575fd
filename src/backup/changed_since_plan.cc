// The planner of a backup whose cost follows what changed (issue 16): when the head is a
// complete snapshot of this very database at an earlier commit of this catalog, and nothing
// was removed from the database since, the new snapshot is the head plus the chunks with a
// version committed since — found through the catalog's index by cid, without listing the
// database, reading the head's chunk tree or listing the repository's objects.
#include <algorithm>
#include <map>

#include "backup/backup_plan.h"

namespace strata {

namespace {

using ChunkKey = std::pair<std::string, std::string>;  // (table, path)

// Whether `head` may be edited by the changes since it for `request`: the call selects the
// whole database by copying files, and the head says it holds the whole database as it was
// at its source cid (and nothing else, when the call drops what the database no longer has).
bool CallAndHeadQualify(const BackupRequest& request, const Manifest& head) {
  const bool files = request.method == BackupMethod::kFiles;
  const bool whole_database =
      request.tables.empty() && request.partitions.is_all() && request.table_partitions.empty();
  const bool needs_exact = request.snapshot || request.exact;
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

Result<std::optional<BackupPlan>> MakeChangedSincePlan(Engine& engine, const Snapshot& snapshot,
                                                       const BackupRequest& request,
                                                       const Manifest& head,
                                                       const std::optional<Journal>& journal,
                                                       Repository& repository) {
  const std::optional<BackupPlan> full_comparison;
  if (!CallAndHeadQualify(request, head)) return full_comparison;
  BackupPlan plan;
  auto db = engine.GetDatabase(snapshot, request.database);
  if (!db.ok()) return full_comparison;  // the full comparison reports it
  plan.db = std::move(*db);
  ASSIGN_OR_RETURN(plan.origin, OriginAt(engine, snapshot, plan.db));
  // The head's source cid must be a commit of this catalog, of this database, with nothing
  // removed from the database since.
  if (head.origin.data_directory != plan.origin.data_directory ||
      head.origin.database_id != plan.db.id || head.source_cid > snapshot.cid() ||
      plan.db.removed_cid > head.source_cid || plan.db.granularity != ChunkGranularity::kTable) {
    return full_comparison;
  }
  auto committed = engine.CommitTimeMs(head.source_cid);
  if (!committed.ok() || *committed != head.origin.commit_ms) return full_comparison;

  ASSIGN_OR_RETURN(auto tables, engine.ListTables(snapshot, plan.db.id));
  std::map<int64_t, std::shared_ptr<const TableRef>> by_id;
  for (const auto& t : tables) {
    plan.tables.push_back(
        {t.name, t.physical_index, t.schema, t.partition_columns, t.scheme, t.definition});
    by_id[t.id] = std::make_shared<const TableRef>(TableRef{plan.db, t});
  }
  if (!SameTables(head, plan.tables)) return full_comparison;

  std::map<ChunkKey, const ManifestChunk*> in_journal;
  if (journal) {
    for (const auto& c : journal->finished) in_journal[{c.table, c.path}] = &c;
  }
  ASSIGN_OR_RETURN(auto changed, engine.ListChunksChangedSince(snapshot, plan.db, head.source_cid));
  for (auto& chunk : changed) {
    auto table = by_id.find(chunk.table_id);
    // A deletion or a chunk of a dropped table would have moved removed_cid; never guess.
    if (chunk.deleted || table == by_id.end()) return full_comparison;
    auto done = in_journal.find({table->second->table.name, chunk.path});
    if (done != in_journal.end() && done->second->cid == chunk.cid &&
        done->second->chunk_id == chunk.chunk_id) {
      bool stored = true;
      for (const auto& o : done->second->objects) {
        ASSIGN_OR_RETURN(bool has, repository.HasObject(o.id));
        stored = stored && has;
      }
      if (stored) {
        plan.resumed.push_back(*done->second);
        continue;
      }
      ++plan.missing_recopied;
    }
    plan.copy.push_back(BackupUnit{table->second, std::move(chunk), false});
  }
  plan.edits_head = true;
  plan.origin.complete = true;
  plan.origin.exact = head.origin.exact;
  return std::optional<BackupPlan>(std::move(plan));
}

}  // namespace strata
