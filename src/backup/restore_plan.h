// The plan of a restore: which backed-up chunks it installs and which target chunks it
// removes, decided a batch at a time by merging the snapshot's chunks of each selected table
// with the target table's, both in path order. A restore runs the plan three times over the
// same pinned state of the target (to count, to fetch, to install), each pass deciding the
// same, so that memory follows the batch, not the number of chunks.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_location.h"
#include "backup/manifest.h"
#include "engine/engine.h"

namespace strata {

struct RestoreRequest;

// A pass hands out batches of at most this many chunks to restore (and of about as many
// removals): about 4 MB of entries, however large the snapshot is.
inline constexpr size_t kRestoreBatchChunks = 4096;

// A backed-up table the restore selected, and where it goes.
struct RestoreTablePlan {
  const ManifestTable* source = nullptr;
  std::string target_name;
  std::optional<TableRef> target;  // none: missing, created by the restore
};

struct RestoreBatch {
  struct Chunk {
    size_t table = 0;  // index into RestorePlan::tables()
    ManifestChunk chunk;
  };
  struct Drop {
    size_t table = 0;
    std::string path;  // a target chunk whose rows of the table go
  };
  std::vector<Chunk> restore;  // by table, then path
  std::vector<Drop> drops;     // by table, then path
  void clear() {
    restore.clear();
    drops.clear();
  }
};

// A no-match error names at most this many of the partitions the pattern did not match.
inline constexpr size_t kUnmatchedExamplesMax = 5;

// What a pass found so far.
struct RestoreCounts {
  std::vector<size_t> chunks;                   // per table: chunks to restore
  std::vector<size_t> drops;                    // per table: target chunks to remove
  int64_t bytes = 0;                            // of the chunks to restore
  bool matched_any = false;                     // the pattern matched a backed-up partition
  std::vector<std::string> unmatched_examples;  // partitions it did not match, for the error
};

class RestorePlan {
 public:
  // Pins the target's latest state and resolves the request's tables (NotFound naming a
  // table the snapshot lacks, or a missing target table the request may not create).
  static Result<std::unique_ptr<RestorePlan>> Open(Engine& engine, BackupLocation& location,
                                                   const Manifest& manifest,
                                                   const RestoreRequest& request);
  ~RestorePlan();
  RestorePlan(const RestorePlan&) = delete;
  RestorePlan& operator=(const RestorePlan&) = delete;

  // Starts a pass from the first chunk, counts at zero.
  Status Rewind();
  // Fills `batch` (cleared first) with the pass's next decisions; false once the pass is over
  // and the batch is empty.
  Result<bool> Next(RestoreBatch& batch);
  // The selected tables, in the request's order.
  const std::vector<RestoreTablePlan>& tables() const;
  // Of the pass so far (of all of it once Next returned false).
  const RestoreCounts& counts() const;
  // Whether target chunks the snapshot lacks go: snapshot=true, which (as DolphinDB's restore)
  // takes effect only with the pattern "%".
  bool snapshot() const;
  // Lets go of the pinned state (before the install commits); Rewind is refused after.
  void ReleasePin();

 private:
  struct State;
  explicit RestorePlan(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace strata
