// Where backups live: a `backupDir` argument opened as a repository, and the snapshots of one
// database in it (its head is the newest). DolphinDB-style functions read the head; older
// snapshots stay restorable until pruned.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "repository/object_store.h"
#include "repository/repository.h"
#include "repository/store_settings.h"

namespace strata {

struct BackupLocation {
  std::string dir;  // as the user gave it
  std::unique_ptr<ObjectStore> store;
  std::unique_ptr<Repository> repository;
  int64_t lock_lease_ms = 0;  // of the backup and prune locks taken there
};

// Opens `backup_dir`: a local directory path, or "s3://bucket/prefix" reached with
// `settings`. With kMustExist a location without a repository is NotFound naming it and the
// fix.
Result<BackupLocation> OpenBackupDir(const std::string& backup_dir, RepositoryOpen mode,
                                     const StoreSettings& settings);

// A snapshot manifest by id (verified).
Result<Manifest> LoadManifest(Repository& repository, const std::string& id);
// The newest snapshot of `database`, or nullopt when the repository holds none.
Result<std::optional<Manifest>> FindHead(Repository& repository, const std::string& database);
// The ids of every snapshot of `database`, oldest first (reads every manifest).
Result<std::vector<std::string>> ListSnapshotsOf(Repository& repository,
                                                 const std::string& database);
// The head of `database`, or a given snapshot of it (`snapshot_id` non-empty); NotFound naming
// the database, the snapshot and the directory.
Result<Manifest> ResolveSnapshot(BackupLocation& location, const std::string& database,
                                 const std::string& snapshot_id);

}  // namespace strata
