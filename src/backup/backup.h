// The backup engine (DESIGN §6): plans what one backup call copies — pins one snapshot of the
// database, selects tables and partitions, and compares every chunk with the repository's head
// to copy, reuse or drop it — then streams the chunks to the repository with a bounded pool of
// workers, journals finished chunks so a re-run resumes, and writes the snapshot manifest last.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_location.h"
#include "base/task_control.h"
#include "engine/engine.h"
#include "query/ast.h"
#include "query/eval_context.h"

namespace strata {

struct BackupRequest {
  std::string database;  // "dfs://x"
  BackupMethod method = BackupMethod::kFiles;
  bool force = false;     // full: copy every selected chunk, repair damaged objects
  bool parallel = false;  // several workers
  bool snapshot = true;   // files mode without `partition`: drop what the database no longer has
  std::vector<std::string> tables;  // files mode: empty = every table
  std::optional<Value> partition;   // files mode: paths or filters (spec/partitioning.md)
  // SQL mode: the query (select <columns> from <table> [where ...]) and its table.
  std::string sql_table;
  std::shared_ptr<const SelectQuery> query;
  std::string sql_text;
  EvalContext* context = nullptr;  // evaluates the query's where conditions
  std::optional<std::string> label;
  // False: a location that holds no repository is refused instead of made one (the session
  // may not create repositories).
  bool create_repository = true;
};

struct BackupOutcome {
  int64_t units_written = 0;   // (table, partition) units copied by this call (spec's count)
  int64_t units_reused = 0;    // unchanged since the head
  uint64_t bytes_written = 0;  // object bytes stored (after compression)
  std::string snapshot_id;
};

// Runs one backup call into `backup_dir`. Errors found while planning (an unknown table, a
// malformed selection, the other method's backups already there) write nothing, not even a new
// repository; later errors leave the snapshots unchanged (objects already stored stay for a
// re-run to reuse). Cancelled: the journal keeps what is done and the call fails with
// Cancelled.
Result<BackupOutcome> RunBackup(Engine& engine, const StoreSettings& settings,
                                const std::string& backup_dir, const BackupRequest& request,
                                TaskControl& control);

}  // namespace strata
