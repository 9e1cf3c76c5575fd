// BackupService (DESIGN §11): backups, restores, migration, checks and pruning as a session may
// run them — the one place for their rules, whichever dialect asks. It checks the session's
// login and grants (backing up needs DB_READ, restoring DB_WRITE on the target, creating a
// repository or pruning needs a superuser), runs backups and restores as jobs of the
// instance's job manager (kind, one per database across every session, timeout, progress),
// applies the capability rules (no SQL-mode backups to s3://; restoreDB restores copy-files
// backups only) and drives migrate table by table. Front ends translate their syntax into the
// specs below and the outcomes into their values. Stateless: one per call is fine; thread-safe
// as its session is used by one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backup/backup.h"
#include "backup/backup_location.h"
#include "backup/inspect.h"
#include "backup/prune.h"
#include "backup/restore.h"
#include "service/session.h"

namespace strata {

struct BackupSpec {
  std::string dir;         // backupDir: a path or s3://bucket/prefix
  std::string key_path;    // keyPath: the key file of an encrypted repository; "": none
  BackupRequest request;   // SQL mode: query and context pass through unchanged
  int64_t timeout_ms = 0;  // 0: none
};

// Which backups a restore accepts.
enum class RestoreMethods : uint8_t { kAny, kCopyFilesOnly };

struct RestoreSpec {
  std::string dir;
  std::string key_path;
  RestoreRequest request;  // request.tables empty: every table of the snapshot (filled in)
  RestoreMethods methods = RestoreMethods::kAny;
  // An existing target database must have the backup's storage engine (restoreDB).
  bool same_engine = false;
  int64_t timeout_ms = 0;
};

struct MigrateSpec {
  std::string dir;
  std::string key_path;
  std::string database;      // "" = every database in dir
  std::string table;         // "" = every table (needs database when set)
  std::string new_database;  // "" = the same
  std::string new_table;     // "" = the same (needs table when set)
};

// One table migrate tried: where it went and how it ended.
struct MigratedTable {
  std::string database;
  std::string table;
  Status status;
};

struct CheckSpec {
  std::string dir;
  std::string key_path;
  std::string database;
  std::vector<std::string> tables;  // none = every table
  std::string pattern = "%";
  std::string snapshot_id;  // "" = the head
};

struct CheckOutcome {
  std::vector<DamagedSnapshot> damaged_snapshots;
  // The snapshot checked chunk by chunk, if any: its manifest, with the chunks of the path
  // checked (a check of a partition path), else without its chunks (they are read a leaf at a
  // time as they are checked).
  std::optional<Manifest> checked;
  std::vector<DamagedChunk> damaged_chunks;
};

// A database's head snapshot in a backup directory, for inspection.
struct OpenedSnapshot {
  BackupLocation location;
  Manifest manifest;
};

class BackupService {
 public:
  // `session` must outlive the service.
  explicit BackupService(Session& session) : session_(session) {}

  // Backs up as a foreground job; returns how much it wrote. Errors: not logged in, no
  // DB_READ, a new repository by someone who may not create one, a SQL-mode backup to s3://,
  // the database already busy (naming the job), then the backup's.
  Result<BackupOutcome> Backup(BackupSpec spec);
  // Restores a snapshot (the head unless request.snapshot_id) as a foreground job. Fills
  // spec.request.tables with the snapshot's tables when it is empty.
  Result<RestoreOutcome> Restore(RestoreSpec& spec);
  // Restores each table into a new table; one entry per table tried, failures included.
  Result<std::vector<MigratedTable>> Migrate(const MigrateSpec& spec);
  // Damaged snapshots of the database, then the damaged chunks of the snapshot checked.
  Result<CheckOutcome> Check(const CheckSpec& spec);
  // Deletes snapshots (superusers only) as PruneBackups does.
  // `key_path` below is the key file of an encrypted repository ("": none).
  Result<PruneOutcome> Prune(const std::string& dir, const std::string& key_path,
                             const PruneRequest& request);
  // The intact snapshots of `database` in `dir`, oldest first, without the chunks of their
  // trees (ListSnapshotsOf).
  Result<std::vector<Manifest>> ListSnapshots(const std::string& dir, const std::string& key_path,
                                              const std::string& database);
  // The head of `database` in `dir` (DB_READ), without its chunks: ForEachChunk lists them.
  Result<OpenedSnapshot> OpenHead(const std::string& dir, const std::string& key_path,
                                  const std::string& database);
  // The head with the chunks of `table` that `partition` (getBackupMeta's and loadBackup's
  // path or pattern) may name: when it names a path prefix ("/compoDB/20170807/0_50"), only
  // those, read through the tree nodes on the way to them; otherwise all of them.
  Result<OpenedSnapshot> OpenHeadAt(const std::string& dir, const std::string& key_path,
                                    const std::string& database, const std::string& table,
                                    const std::string& partition);
  // Hands `each` the chunks of `table` in `opened` (OpenHead's), in path order, reading its
  // tree a leaf at a time.
  static Status ForEachChunk(OpenedSnapshot& opened, const std::string& table,
                             const std::function<Status(const ManifestChunk&)>& each);

 private:
  Status CheckUsable() const;
  Result<bool> MayCreateRepository(const std::string& dir, const std::string& key_path);
  Result<BackupLocation> OpenExisting(const std::string& dir, const std::string& key_path);
  Result<RestoreOutcome> RestoreFrom(BackupLocation& location, const Manifest& manifest,
                                     const RestoreRequest& request, int64_t timeout_ms);
  // Check's two ways to find what to check, and its check of the chunks (backup_service.cc).
  Status CheckHeadPartitions(BackupLocation& location, const CheckSpec& spec,
                             const Engine::PathRange& range, CheckOutcome& outcome);
  Status CheckSnapshots(BackupLocation& location, const CheckSpec& spec, CheckOutcome& outcome);
  Status CheckChunksOf(BackupLocation& location, const CheckSpec& spec, bool chunks_read,
                       TaskControl& control, CheckOutcome& outcome);
  Status MigrateTable(BackupLocation& location, const Manifest& head, const std::string& table,
                      const std::string& target_db, const std::string& target_table);
  // Runs `work` as a foreground job of the session, with its progress shown and its warnings
  // passed on.
  Result<Value> RunJob(JobSpec spec, const std::string& title, const JobWork& work);

  Session& session_;
};

}  // namespace strata
