// The planners of one backup call: what to copy, what the head already holds unchanged, what
// an earlier run of the same call finished, and which of the head's chunks the new snapshot
// carries over as they are (outside the selection) or drops (snapshot semantics).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backup/backup.h"
#include "backup/journal.h"

namespace strata {

struct BackupUnit {
  std::shared_ptr<const TableRef> table;
  ChunkVersionRecord chunk;
  bool whole = false;  // SQL mode: the query selects every row of the chunk (ManifestChunk)
};

// One entry of the new snapshot, as its plan decides it.
struct PlannedEntry {
  enum class Source : uint8_t {
    kReused,   // unchanged since the head: not copied, not counted
    kResumed,  // stored by an earlier run of this call: counted
    kCarried,  // a head chunk outside the selection, kept as it is
    kCopied,   // stored by this call: the result of the batch's copy[unit]
  };
  Source source = Source::kCopied;
  ManifestChunk chunk;  // all but kCopied
  size_t unit = 0;      // kCopied
  // kResumed and kCopied, SQL mode: the head's entry at the path, kept when the query selects
  // no row there (a SQL backup replaces only the partitions its query has rows in).
  std::optional<ManifestChunk> shadowed;
};

// The entries of the new snapshot for a range of keys, in (table, path) order, and the chunks
// to copy for them.
struct PlanBatch {
  std::vector<BackupUnit> copy;
  std::vector<PlannedEntry> entries;
};

// A full comparison hands out batches of at most this many entries: what a backup holds of
// the database and of its head at once, however many chunks they have (about 4 MB).
inline constexpr size_t kPlanBatchChunks = 4096;

// What a plan says of the new snapshot besides its chunks.
struct PlanSummary {
  DatabaseRecord db;
  std::vector<ManifestTable> tables;  // of the new snapshot
  // The new snapshot's origin: this data directory, database and commit, and whether it holds
  // the whole database (complete) and nothing else (exact).
  ManifestOrigin origin;
  // Chunks the head or the journal names whose objects the repository lacks (deleted or lost
  // by hand or by a prune): copied again rather than named by a snapshot that cannot restore.
  int64_t missing_recopied = 0;
  // Head chunks outside the selection, carried over as they are, whose objects are missing.
  int64_t carried_damaged = 0;
};

// A plan by the chunks changed since the head (MakeChangedSincePlan): the new snapshot is the
// head's chunk tree with the entries of `batch` put in (no carried ones) and `dropped`, the
// (table, path) of the partitions deleted since, taken out.
struct ChangedSincePlan {
  PlanSummary summary;
  PlanBatch batch;
  std::set<std::pair<std::string, std::string>> dropped;
};

// Plans one call by comparing what it selects with the head, key by key in (table, path)
// order: the catalog's chunks a page at a time against the head's entries a leaf at a time,
// so it holds one batch of each, not the database. Errors (an unknown table, a malformed
// partition selection, a DATABASE-granularity database in copy-files mode, a query of the
// wrong shape, a selection that matches nothing) name the object at fault; the last one comes
// after the last batch, so a caller that must write nothing on error runs the comparison once
// to the end first. `head` is the head's manifest without its chunks (a version-1 head comes
// with them); `present` holds the ids of the objects the repository has: a chunk of the head or
// the journal is reused only when all its objects are there.
class FullComparison {
 public:
  static Result<std::unique_ptr<FullComparison>> Start(Engine& engine, const Snapshot& snapshot,
                                                       const BackupRequest& request,
                                                       const std::optional<Manifest>& head,
                                                       const std::optional<Journal>& journal,
                                                       const Repository::ObjectListing& present,
                                                       Repository* repository);
  ~FullComparison();

  // The next batch; none after the last (its entries are never empty).
  Result<std::optional<PlanBatch>> Next();
  // Complete once Next returned none.
  const PlanSummary& summary() const;

 private:
  struct State;
  explicit FullComparison(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The origin of a snapshot of `db` pinned at `snapshot`, not yet complete nor exact.
Result<ManifestOrigin> OriginAt(Engine& engine, const Snapshot& snapshot, const DatabaseRecord& db);

// A table's definition as a snapshot records it (copy-files: as the catalog has it).
ManifestTable ManifestTableOf(const TableRecord& table);
// Whether `stored` (a snapshot's entry) names exactly the segments of `table_id` in `chunk`.
bool SameObjects(const ManifestChunk& stored, const ChunkVersionRecord& chunk, int64_t table_id);
// The new snapshot's entry for a chunk whose segments `stored` already names: the current
// version's identity with the stored objects.
ManifestChunk Refreshed(const ManifestChunk& stored, const ChunkVersionRecord& chunk);

// True when every object of `chunk` is among `present` (object ids).
Result<bool> ObjectsPresent(const ManifestChunk& chunk, const Repository::ObjectListing& present);

// The plan of `request` as the head plus the chunks changed since it, or none when the full
// comparison is needed. It applies when the call backs up the
// whole database by copying files (no force, no table or partition selection); when the head
// (`head`, its manifest without its chunks) is a complete snapshot of this data directory's
// database at a commit the catalog still has with the same time (exact, too, when the call
// drops what the database no longer has); when no table was dropped since (and the catalog
// logged every chunk deletion since: DatabaseRecord::removed_cid); when partitions deleted
// since are to be dropped from the snapshot too (snapshot=true, or a Doris snapshot; a
// snapshot=false call with deletions since compares in full); and when the head's tables are
// all there with the same rows (and layouts, for a head that is not exact). It reads the catalog's
// changed chunks and, for chunks an earlier run journaled, one presence check per object; the
// head's tree and the repository's listing are not read: a backup trusts its head, and checkBackup
// verifies it.
Result<std::optional<ChangedSincePlan>> MakeChangedSincePlan(
    Engine& engine, const Snapshot& snapshot, const BackupRequest& request, const Manifest& head,
    const std::optional<Journal>& journal, Repository& repository);

}  // namespace strata
