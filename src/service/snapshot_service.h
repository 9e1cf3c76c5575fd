// SnapshotService: Doris's BACKUP SNAPSHOT and RESTORE SNAPSHOT as asynchronous jobs on a
// registered repository (RepositoryService), and what SHOW BACKUP, SHOW RESTORE, SHOW SNAPSHOT
// and CANCEL read. Everything that can be known when a statement is submitted — an unknown
// repository, table or partition, a label already used in the repository, a missing or wrong
// backup timestamp, a table whose schema differs from the snapshot's — fails the submission,
// not the job. The job itself is the backup engine's (one per database across every session,
// progress, timeout) with `exact` snapshots: a Doris snapshot holds exactly what it names.
// Stateless; thread-safe as its session is used by one thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "service/session.h"

namespace strata {

// A table of an ON/EXCLUDE list.
struct SnapshotTable {
  std::string name;
  std::vector<std::string> partitions;  // empty: the whole table
  std::string alias;                    // RESTORE ... AS alias; "" = the same name
};

struct SnapshotBackupSpec {
  std::string database;  // "dfs://shop"
  std::string label;
  std::string repository;
  std::vector<SnapshotTable> tables;  // empty: every table
  bool exclude = false;               // `tables` lists what to leave out
  bool incremental = false;           // reuse the unchanged partitions of the newest snapshot
  int64_t timeout_ms = 86'400'000;
};

struct SnapshotRestoreSpec {
  std::string database;  // the target, "dfs://shop"
  std::string label;
  std::string repository;
  std::string timestamp;              // "yyyy-MM-dd-HH-mm-ss": which backup of the label
  std::vector<SnapshotTable> tables;  // empty: every table of the snapshot
  bool exclude = false;
  bool clean_partitions = false;  // drop partitions of restored tables the snapshot lacks
  bool clean_tables = false;      // drop tables of the database the snapshot lacks
  int64_t timeout_ms = 86'400'000;
};

enum class SnapshotJobKind : uint8_t { kBackup, kRestore };

// One job as SHOW BACKUP / SHOW RESTORE list it (the dialect names the columns).
struct SnapshotJobView {
  JobRecord record;
  SnapshotJobKind kind = SnapshotJobKind::kBackup;
  std::string repository;
  std::string label;
  std::string timestamp;             // restore: the snapshot's
  std::vector<std::string> objects;  // "db.t", "db.t PARTITION (p1, p2)"
  int64_t timeout_s = 0;
};

// One backup of a label, as SHOW SNAPSHOT lists it.
struct SnapshotView {
  std::string label;
  std::string timestamp;  // "yyyy-MM-dd-HH-mm-ss" (UTC)
  std::string database;   // "dfs://shop"
  Manifest manifest;
};

class SnapshotService {
 public:
  // `session` must outlive the service.
  explicit SnapshotService(Session& session) : session_(session) {}

  // Checks the statement, then queues the job; returns its id.
  Result<std::string> SubmitBackup(const SnapshotBackupSpec& spec);
  Result<std::string> SubmitRestore(const SnapshotRestoreSpec& spec);
  // Cancels the database's unfinished job of that kind; NotFound when it has none.
  Status Cancel(SnapshotJobKind kind, const std::string& database);
  // The jobs of that kind the session may see (superusers: all), of `database` when it is
  // not empty, oldest first.
  Result<std::vector<SnapshotJobView>> ListJobs(SnapshotJobKind kind, const std::string& database);
  // DROP SNAPSHOT (beyond Doris): deletes the backups of `label` (only the one at `timestamp`
  // when it is not empty) and the objects nothing else references. Superusers only; refused on
  // a READ ONLY repository and while a job of the repository works on the label.
  Status DropSnapshot(const std::string& repository, const std::string& label,
                      const std::string& timestamp);
  // The labelled snapshots of a repository, oldest first; their manifests' chunks are read
  // only `with_chunks` (otherwise Manifest::chunk_count() and row_count() have the totals).
  Result<std::vector<SnapshotView>> ListSnapshots(const std::string& repository, bool with_chunks);

  // "2026-11-21-10-00-00" for a time in ms since the epoch (UTC).
  static std::string TimestampOf(int64_t ms);

 private:
  Session& session_;
};

}  // namespace strata
