// Where backups live: a `backupDir` argument opened as a repository, and the snapshots of one
// database in it (its head is the newest). DolphinDB-style functions read the head; older
// snapshots stay restorable until pruned.
#pragma once

#include <functional>
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
  // Null only in a backup's target that holds no repository yet (OpenBackupTarget).
  std::unique_ptr<Repository> repository;
  // The key file the location was opened with (keyPath); null: none. A backup makes a new
  // repository encrypted with it.
  std::shared_ptr<const KeyFile> key;
  int64_t lock_lease_ms = 0;  // of the backup and prune locks taken there
  // Told what readers skipped (a damaged snapshot of another database), as TaskControl::Warn
  // is; unset: nobody.
  std::function<void(const Status&)> on_warning;
  void Warn(const Status& warning) const {
    if (on_warning) on_warning(warning);
  }
};

// Opens `backup_dir`: a local directory path, or "s3://bucket/prefix" reached with
// `settings`, with the key file `key_path` ("": none; an encrypted repository needs one). With
// kMustExist a location without a repository is NotFound naming it and the fix.
Result<BackupLocation> OpenBackupDir(const std::string& backup_dir, RepositoryOpen mode,
                                     const StoreSettings& settings,
                                     const std::string& key_path = "");

// Opens `backup_dir` as the target of a backup: its store (a local directory is created at
// the first write, not here), and its repository when there is one; `repository` is null when
// the location holds nothing yet, and the backup creates it once the call is known to be
// valid. Errors: a file in the way, an unreachable store, keys there that are not a
// repository, a marker of another format.
Result<BackupLocation> OpenBackupTarget(const std::string& backup_dir,
                                        const StoreSettings& settings,
                                        const std::string& key_path = "");

// A snapshot manifest by id, with its chunks (a version-2 manifest's read from its chunk tree),
// every part verified.
Result<Manifest> LoadManifest(Repository& repository, const std::string& id);
// The same without reading the chunk tree: a version-2 manifest comes with `tree` (its totals
// and root) and no chunks; a version-1 one with its chunks, which are in its document.
Result<Manifest> LoadManifestHeader(Repository& repository, const std::string& id);
// Reads the chunks of a manifest LoadManifestHeader returned (nothing for a version-1 one).
Status LoadChunks(Repository& repository, Manifest& manifest);

// The head of a database: its newest intact snapshot, unless that is not the head its last
// backup recorded (heads/, see head_ref.h) or the newest snapshot of the database is damaged.
struct HeadLookup {
  std::optional<Manifest> head;  // none when the repository holds no backup of the database
  // When the head is damaged or was deleted: its id and the error to report (Corruption naming
  // it and the remedy); `head` is then unset.
  std::string broken_id;
  Status broken;
};
// Damaged snapshots of other databases (or of one it cannot tell) are skipped, each with a
// warning to location.on_warning. `with_chunks` false: the head as LoadManifestHeader reads
// it (its tree is neither read nor checked).
Result<HeadLookup> LookUpHead(BackupLocation& location, const std::string& database,
                              bool with_chunks = true);
// The head as an error: LookUpHead's `broken` status when the head is damaged or deleted.
Result<std::optional<Manifest>> FindHead(BackupLocation& location, const std::string& database,
                                         bool with_chunks = true);
// Every intact snapshot of `database`, oldest first, as LoadManifestHeader reads it (a
// version-2 manifest without its chunks: Manifest::chunk_count() and row_count() have the
// totals, LoadChunks the rest); damaged ones are skipped with a warning.
Result<std::vector<Manifest>> ListSnapshotsOf(BackupLocation& location,
                                              const std::string& database);
// Every intact snapshot of every database, oldest first, the same way.
Result<std::vector<Manifest>> ListAllSnapshots(BackupLocation& location);
// The head of every database in the repository, as LoadManifestHeader reads it (a broken head is
// left out with a warning).
Result<std::vector<Manifest>> ListHeads(BackupLocation& location);

struct DamagedSnapshot {
  std::string id;
  std::string problem;
};
// The snapshots of `database` (and those whose database cannot be told) that are damaged, their
// manifests or their chunk trees (each shared node read once), oldest first, then its head
// when `head` (LookUpHead's) found it deleted.
Result<std::vector<DamagedSnapshot>> FindDamagedSnapshots(BackupLocation& location,
                                                          const std::string& database,
                                                          const HeadLookup& head);

// The head of `database`, or a given snapshot of it (`snapshot_id` non-empty); NotFound naming
// the database, the snapshot and the directory; Corruption for a damaged or deleted one.
// `with_chunks` false: as LoadManifestHeader reads it (its chunk tree neither read nor checked).
Result<Manifest> ResolveSnapshot(BackupLocation& location, const std::string& database,
                                 const std::string& snapshot_id, bool with_chunks = true);

}  // namespace strata
