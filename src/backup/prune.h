// Retention (beyond DolphinDB): every backup call adds a snapshot; pruning deletes the
// snapshots of a database that a policy no longer keeps, then every object that no remaining
// snapshot and no unfinished backup's journal references. It holds the repository's prune lock,
// so no backup writes while it decides what is unreferenced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_location.h"

namespace strata {

struct PruneRequest {
  std::string database;                  // whose snapshots to prune
  std::optional<int64_t> keep_last;      // keep the newest N (at least 1)
  std::optional<int64_t> keep_since_ms;  // keep snapshots created at or after this time
  // Instead of a policy: delete exactly these snapshots of the database (Doris's DROP
  // SNAPSHOT), the newest too; its head then becomes the newest one left.
  std::vector<std::string> snapshot_ids;
};

struct PruneOutcome {
  int64_t snapshots_deleted = 0;
  int64_t snapshots_kept = 0;
  int64_t objects_deleted = 0;
  int64_t bytes_freed = 0;  // stored bytes of the deleted objects
  // Set when a damaged manifest or journal part kept every object (snapshots were still
  // deleted): why, and what to do.
  std::string sweep_skipped;
};

// Deletes the snapshots of `request.database` that neither policy keeps (the newest snapshot
// is always kept), or exactly `snapshot_ids` (NotFound naming one the database does not have),
// then the unreferenced objects of the whole repository. A manifest or journal
// that cannot be read stops it before anything is deleted; a damaged one (no retry reads it)
// lets it delete snapshots but no object (PruneOutcome::sweep_skipped says why).
Result<PruneOutcome> PruneBackups(BackupLocation& location, const PruneRequest& request);

}  // namespace strata
