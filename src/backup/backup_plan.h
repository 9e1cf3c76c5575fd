// The planner of one backup call: what to copy, what the head already holds unchanged, what an
// earlier run of the same call finished, and which of the head's chunks the new snapshot
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

struct BackupPlan {
  DatabaseRecord db;
  std::vector<ManifestTable> tables;   // of the new snapshot
  std::vector<BackupUnit> copy;        // chunks to store now
  std::vector<ManifestChunk> reused;   // unchanged since the head: not copied, not counted
  std::vector<ManifestChunk> resumed;  // stored by an earlier run of this call: counted
  std::vector<ManifestChunk> carried;  // head chunks outside the selection, kept as they are
  // SQL mode: the head's chunks at the paths being copied, kept when the query selects no row
  // there (a SQL backup replaces only the partitions its query has rows in).
  std::map<std::pair<std::string, std::string>, ManifestChunk> shadowed;
  // Chunks the head or the journal names whose objects the repository lacks (deleted or lost
  // by hand or by a prune): copied again rather than named by a snapshot that cannot restore.
  int64_t missing_recopied = 0;
  // True (MakeChangedSincePlan): `copy` and `resumed` hold only the chunks changed since the
  // head, `dropped` the (table, path) of those deleted since, and the new snapshot is the
  // head's chunk tree edited by them; nothing is reused or carried one by one.
  bool edits_head = false;
  std::set<std::pair<std::string, std::string>> dropped;
  // The new snapshot's origin: this data directory, database and commit, and whether it holds
  // the whole database (complete) and nothing else (exact).
  ManifestOrigin origin;
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
bool ObjectsPresent(const ManifestChunk& chunk, const Repository::ObjectListing& present);
// How many of `chunks` name an object missing from `present`.
int64_t CountMissing(const std::vector<ManifestChunk>& chunks,
                     const Repository::ObjectListing& present);

// Plans `request` against the pinned `snapshot`. Errors (an unknown table, a malformed
// partition selection, a DATABASE-granularity database in copy-files mode, a query of the
// wrong shape) name the object at fault; nothing is written. `present` holds the ids of the
// objects the repository has: a chunk of the head or the journal is reused only when all its
// objects are there.
Result<BackupPlan> MakeBackupPlan(Engine& engine, const Snapshot& snapshot,
                                  const BackupRequest& request, const std::optional<Manifest>& head,
                                  const std::optional<Journal>& journal,
                                  const Repository::ObjectListing& present);

// The plan of `request` as the head plus the chunks changed since it (`edits_head`), or none
// when the full comparison (MakeBackupPlan) is needed. It applies when the call backs up the
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
Result<std::optional<BackupPlan>> MakeChangedSincePlan(Engine& engine, const Snapshot& snapshot,
                                                       const BackupRequest& request,
                                                       const Manifest& head,
                                                       const std::optional<Journal>& journal,
                                                       Repository& repository);

}  // namespace strata
