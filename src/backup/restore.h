// Restore (DESIGN §6): selects a snapshot's chunks (tables, a wildcard pattern, partition
// names), fetches and verifies their objects into the data directory, and installs every
// restored chunk in one catalog commit — readers see the old state or the new, never a mix.
// It runs its plan (restore_plan.h) three times, a batch at a time: to count, to fetch, to
// install; memory follows the batch, not the snapshot.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "backup/backup_location.h"
#include "base/task_control.h"
#include "engine/engine.h"

namespace strata {

struct RestoreRequest {
  std::string database;             // the backed-up database, "dfs://compoDB"
  std::string snapshot_id;          // empty: the head
  std::vector<std::string> tables;  // backed-up tables to restore; empty: every one
  std::string pattern = "%";        // partitions: matched against "/<db name>/<path>"
  bool force = false;  // false: skip partitions whose target already holds the same data
  bool parallel = false;
  bool snapshot = false;        // drop target partitions absent from the backup (pattern "%" only)
  std::string target_database;  // empty: `database`
  std::map<std::string, std::string> target_names;  // backed-up table → target table
  bool create_missing = false;  // create the target database and tables when missing
  // Backed-up table → the first-level partitions to restore, by name (Doris's ON (t PARTITION
  // (p1, p2))); a table not listed restores every partition the pattern matches.
  std::map<std::string, std::set<std::string>> partition_names;
  // Tables of the target database dropped in the restore's commit (Doris's clean_tables).
  std::vector<std::string> drop_tables;
  // True: a restored partition replaces the whole first-level partition, its buckets the
  // backup lacks included (Doris: "a partition that exists is replaced"; a table without
  // named partitions is one partition); false: only the backed-up chunks are replaced, as
  // DolphinDB's restore does.
  bool replace_partitions = false;
  // Return the restored chunks' paths (RestoreOutcome::chunk_paths): a string per chunk, the
  // one part of a restore whose memory grows with the number of chunks restored.
  bool want_paths = false;
};

struct RestoreOutcome {
  size_t chunks_restored = 0;
  // With want_paths: "dfs://compoDB/20170810/0_50/6F", the target path and the table's
  // physical index of each chunk restored (DolphinDB's restore returns them).
  std::vector<std::string> chunk_paths;
  BackupMethod method = BackupMethod::kFiles;
};

// `%` matches any run of characters, `?` exactly one (spec/partitioning.md).
bool MatchesWildcard(std::string_view pattern, std::string_view text);
// "/compoDB/20170807/0_50" for database "dfs://compoDB" and path "/20170807/0_50".
std::string PatternSubject(const std::string& database, const std::string& path);
// The range [first, second) of partition paths that holds every path `pattern` matches: the
// paths that start with the pattern's text before its first wildcard, after "/<db name>"
// ("/compoDB/20170807/%": those that start with "/20170807/"); none when that text names no
// path ("%", "%/Key7").
std::optional<Engine::PathRange> PatternPathRange(const std::string& pattern,
                                                  const std::string& database);
// The chunks of `tables` whose paths lie in `paths`, read from `manifest`'s chunk tree through
// the nodes on the way to them only (ReadChunkTreeRange).
Result<std::vector<ManifestChunk>> ReadChunksInRange(Repository& repository,
                                                     const Manifest& manifest,
                                                     const std::vector<std::string>& tables,
                                                     const Engine::PathRange& paths);

// Restores from `manifest`, a snapshot of `request.database` in `location` (ResolveSnapshot's,
// with or without its chunks). Without them, it reads from the chunk tree only what the
// request needs: for a pattern with a path prefix ("/db/20170807/%"), the nodes on the way to
// those partitions, and it lists only the target's partitions there; otherwise the tree a leaf
// at a time. Fetching happens outside the writer lock; the install pass holds it.

Result<RestoreOutcome> RunRestore(Engine& engine, BackupLocation& location,
                                  const Manifest& manifest, const RestoreRequest& request,
                                  TaskControl& control);

}  // namespace strata
