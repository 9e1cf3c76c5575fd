// The backup engine (DESIGN §6): plans what one backup call copies — pins one snapshot of the
// database, selects tables and partitions, and compares every chunk with the repository's head
// to copy, reuse or drop it — then streams the chunks to the repository with a bounded pool of
// workers, journals finished chunks so a re-run resumes, and writes the snapshot manifest last.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_location.h"
#include "backup/journal.h"
#include "base/task_control.h"
#include "engine/engine.h"
#include "partition/selection.h"
#include "query/bound_select.h"

namespace strata {

struct BackupRequest {
  std::string database;  // "dfs://x"
  BackupMethod method = BackupMethod::kFiles;
  bool force = false;     // full: copy every selected chunk, repair damaged objects
  bool parallel = false;  // several workers
  bool snapshot = true;   // files mode, all partitions: drop what the database no longer has
  std::vector<std::string> tables;  // files mode: empty = every table
  // Files mode: the partitions of each selected table (paths, filters or names).
  PartitionSelection partitions = PartitionSelection::All();
  // Files mode: the partitions of the tables named here, in place of `partitions` (Doris's
  // ON (t PARTITION (p1, p2))). A partition that exists but holds no rows selects nothing.
  std::map<std::string, PartitionSelection> table_partitions;
  // True: the snapshot holds exactly what this call selects, none of the head's chunks outside
  // it (a Doris snapshot); false: they are carried over, as DolphinDB's backup does.
  bool exact = false;
  // SQL mode: the query (select <columns> [where ...]) bound to its table, which every worker
  // runs on its partitions at once, and the query's text (a re-run with another text copies
  // every partition again).
  std::string sql_table;
  std::shared_ptr<const BoundSelect> rows;
  std::string sql_text;
  std::optional<std::string> label;
  // False: a location that holds no repository is refused instead of made one (the session
  // may not create repositories).
  bool create_repository = true;
  // The most finished chunks a re-run takes from the journal of the run it resumes (tests lower
  // it); the rest are planned again and find their objects stored.
  size_t journal_chunks_kept = kJournalChunksKept;
};

struct BackupOutcome {
  int64_t units_written = 0;  // (table, partition) units copied by this call (spec's count)
  int64_t units_reused = 0;   // unchanged since the head
  // Planned by the chunks changed since the head (MakeChangedSincePlan), not by comparing the
  // whole database with it.
  bool planned_by_changes = false;
  uint64_t bytes_written = 0;  // object bytes stored (after compression)
  std::string snapshot_id;
};

// Runs one backup call into `location` (OpenBackupTarget's; tests may put any store in it).
// Errors found while planning (an unknown table, a malformed selection, the other method's
// backups already there) write nothing, not even a new repository; later errors leave the
// snapshots unchanged (objects already stored stay for a re-run to reuse). Cancelled: the
// journal keeps what is done and the call fails with Cancelled. Warnings of readers go to
// `control`.
Result<BackupOutcome> RunBackup(Engine& engine, BackupLocation& location,
                                const BackupRequest& request, TaskControl& control);
// The same into `backup_dir`, opened with `settings` and the key file `key_path` ("": none).
Result<BackupOutcome> RunBackup(Engine& engine, const StoreSettings& settings,
                                const std::string& backup_dir, const std::string& key_path,
                                const BackupRequest& request, TaskControl& control);

}  // namespace strata
