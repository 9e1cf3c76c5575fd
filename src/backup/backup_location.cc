#include "backup/backup_location.h"

#include <filesystem>

#include "base/strings.h"

namespace strata {

namespace {

// " (resolved to '/abs/path')" for a relative local backupDir, which is resolved against the
// working directory of the process; "" otherwise.
std::string ResolvedSuffix(const std::string& backup_dir) {
  if (backup_dir.starts_with("s3://") || backup_dir.starts_with("/")) return "";
  std::error_code error;
  auto absolute = std::filesystem::absolute(backup_dir, error).lexically_normal();
  if (error) return "";
  return " (resolved to " + Quote(absolute.string()) + ")";
}

}  // namespace

Result<BackupLocation> OpenBackupDir(const std::string& backup_dir, RepositoryOpen mode,
                                     const StoreSettings& settings) {
  if (backup_dir.empty()) return InvalidArgument("backupDir must not be empty");
  BackupLocation location;
  location.dir = backup_dir;
  const bool local = !backup_dir.starts_with("s3://");
  const std::string named = "backupDir " + Quote(backup_dir) + ResolvedSuffix(backup_dir);
  if (local) {
    std::error_code error;
    auto status = std::filesystem::status(backup_dir, error);
    if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
      return FailedPrecondition(named +
                                " is a file, not a directory; a backupDir is a directory (or "
                                "s3://bucket/prefix): name another path");
    }
  }
  auto store = settings.OpenStore(backup_dir, mode == RepositoryOpen::kCreateIfMissing);
  if (!store.ok()) {
    if (store.status().code() == StatusCode::kNotFound && local) {
      return NotFound(named + " does not exist; nothing has been backed up there");
    }
    return store.status().WithContext(named);
  }
  location.store = std::move(*store);
  auto repository = Repository::Open(location.store.get(), mode);
  if (!repository.ok()) {
    if (repository.status().code() == StatusCode::kNotFound) {
      return NotFound(named + " holds no backup; back something up there first with backup(...)");
    }
    return repository.status();
  }
  location.repository = std::move(*repository);
  return location;
}

Result<Manifest> LoadManifest(Repository& repository, const std::string& id) {
  ASSIGN_OR_RETURN(nlohmann::json document, repository.GetSnapshot(id));
  return ManifestFromJson(document);
}

Result<std::optional<Manifest>> FindHead(Repository& repository, const std::string& database) {
  ASSIGN_OR_RETURN(auto ids, repository.ListSnapshotIds());
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    ASSIGN_OR_RETURN(Manifest manifest, LoadManifest(repository, *it));
    if (manifest.database == database) return std::optional<Manifest>(std::move(manifest));
  }
  return std::optional<Manifest>();
}

Result<std::vector<std::string>> ListSnapshotsOf(Repository& repository,
                                                 const std::string& database) {
  ASSIGN_OR_RETURN(auto ids, repository.ListSnapshotIds());
  std::vector<std::string> mine;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(Manifest manifest, LoadManifest(repository, id));
    if (manifest.database == database) mine.push_back(id);
  }
  return mine;
}

Result<Manifest> ResolveSnapshot(BackupLocation& location, const std::string& database,
                                 const std::string& snapshot_id) {
  if (!snapshot_id.empty()) {
    auto manifest = LoadManifest(*location.repository, snapshot_id);
    if (!manifest.ok()) return manifest.status();
    if (manifest->database != database) {
      return InvalidArgument("snapshot " + Quote(snapshot_id) + " in " + Quote(location.dir) +
                             " is a backup of " + Quote(manifest->database) + ", not of " +
                             Quote(database));
    }
    return manifest;
  }
  ASSIGN_OR_RETURN(auto head, FindHead(*location.repository, database));
  if (!head) {
    return NotFound("backupDir " + Quote(location.dir) + " holds no backup of database " +
                    Quote(database));
  }
  return std::move(*head);
}

}  // namespace strata
