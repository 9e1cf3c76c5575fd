#include "backup/backup_location.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "backup/chunk_tree.h"
#include "backup/head_ref.h"
#include "base/json.h"
#include "base/json_fields.h"
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

namespace {

// `backup_dir` with its store open (created at the first write when `create_if_missing`), no
// repository yet.
Result<BackupLocation> OpenStoreOf(const std::string& backup_dir, bool create_if_missing,
                                   const StoreSettings& settings, const std::string& key_path) {
  if (backup_dir.empty()) return InvalidArgument("backupDir must not be empty");
  BackupLocation location;
  location.dir = backup_dir;
  if (!key_path.empty()) {
    auto key = ReadKeyFile(key_path);
    if (!key.ok()) return key.status().WithContext("keyPath " + Quote(key_path));
    location.key = std::make_shared<const KeyFile>(std::move(*key));
  }
  ASSIGN_OR_RETURN(location.lock_lease_ms, settings.LockLeaseMs());
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
  auto store = settings.OpenStore(backup_dir, create_if_missing);
  if (!store.ok()) {
    if (store.status().code() == StatusCode::kNotFound && local) {
      return NotFound(named + " does not exist; nothing has been backed up there");
    }
    return store.status().WithContext(named);
  }
  location.store = std::move(*store);
  return location;
}

}  // namespace

Result<BackupLocation> OpenBackupDir(const std::string& backup_dir, RepositoryOpen mode,
                                     const StoreSettings& settings, const std::string& key_path) {
  ASSIGN_OR_RETURN(
      BackupLocation location,
      OpenStoreOf(backup_dir, mode == RepositoryOpen::kCreateIfMissing, settings, key_path));
  auto repository = Repository::Open(location.store.get(), mode, location.key.get());
  if (!repository.ok()) {
    if (repository.status().code() == StatusCode::kNotFound) {
      return NotFound("backupDir " + Quote(backup_dir) + ResolvedSuffix(backup_dir) +
                      " holds no backup")
          .WithRemedy({RemedyKind::kBackUpFirst, {backup_dir}});
    }
    return repository.status();
  }
  location.repository = std::move(*repository);
  return location;
}

Result<BackupLocation> OpenBackupTarget(const std::string& backup_dir,
                                        const StoreSettings& settings,
                                        const std::string& key_path) {
  ASSIGN_OR_RETURN(BackupLocation location,
                   OpenStoreOf(backup_dir, /*create_if_missing=*/true, settings, key_path));
  auto repository =
      Repository::Open(location.store.get(), RepositoryOpen::kMustExist, location.key.get());
  if (repository.ok()) {
    location.repository = std::move(*repository);
  } else if (repository.status().code() != StatusCode::kNotFound) {
    return repository.status();
  }
  return location;
}

Result<Manifest> LoadManifestHeader(Repository& repository, const std::string& id) {
  ASSIGN_OR_RETURN(nlohmann::json document, repository.GetSnapshot(id));
  return ManifestFromJson(document);
}

Status LoadChunks(Repository& repository, Manifest& manifest) {
  if (manifest.tree.root.empty()) return Status::Ok();  // no chunks, or a version-1 manifest
  ASSIGN_OR_RETURN(manifest.chunks, ReadChunkTree(repository, manifest.tree, manifest.id));
  return CheckChunksOfTables(manifest);
}

Result<Manifest> LoadManifest(Repository& repository, const std::string& id) {
  ASSIGN_OR_RETURN(Manifest manifest, LoadManifestHeader(repository, id));
  RETURN_IF_ERROR(LoadChunks(repository, manifest));
  return manifest;
}

namespace {

// The database a damaged manifest still names, when its text parses; "" when it cannot tell.
std::string DatabaseNamedBy(BackupLocation& location, const std::string& id) {
  auto text = location.repository->GetSnapshotText(id);
  if (!text.ok()) return "";
  auto json = ParseJson(*text, "snapshot " + Quote(id));
  if (!json.ok()) return "";
  auto source = JsonFields(*json, "snapshot " + Quote(id)).Object("source");
  if (!source.ok()) return "";
  auto database = JsonFields(**source, "snapshot " + Quote(id) + " source").String("database");
  return database.ok() ? *database : "";
}

void WarnSkipped(BackupLocation& location, const std::string& named, const Status& status) {
  location.Warn(
      Status(status.code(),
             status.message() + "; it was skipped (" +
                 (named.empty() ? std::string("it no longer says which database it backs up")
                                : "a snapshot of " + Quote(named)) +
                 ")")
          .WithRemedy({RemedyKind::kCheckBackup, {location.dir, named}}));
}

// Visits every snapshot, oldest first: intact ones as manifests without the chunks of their
// trees (LoadManifestHeader), damaged ones with the database they still name and the error.
// Snapshots deleted while listed are left out.
Status ForEachSnapshot(
    BackupLocation& location, const std::function<void(Manifest)>& intact,
    const std::function<void(const std::string&, const std::string&, const Status&)>& damaged) {
  ASSIGN_OR_RETURN(auto ids, location.repository->ListSnapshotIds());
  for (const auto& id : ids) {
    auto manifest = LoadManifestHeader(*location.repository, id);
    if (manifest.ok()) {
      intact(std::move(*manifest));
    } else if (manifest.status().code() == StatusCode::kCorruption) {
      damaged(id, DatabaseNamedBy(location, id), manifest.status());
    } else if (manifest.status().code() != StatusCode::kNotFound) {
      return manifest.status();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<HeadLookup> LookUpHead(BackupLocation& location, const std::string& database,
                              bool with_chunks) {
  Repository& repository = *location.repository;
  ASSIGN_OR_RETURN(auto ids, repository.ListSnapshotIds());
  std::optional<std::string> recorded;
  auto ref = ReadHeadRef(*location.repository, database);
  if (ref.ok()) {
    recorded = *ref;
  } else if (ref.status().code() == StatusCode::kCorruption) {
    location.Warn(ref.status().WithContext("the newest intact snapshot is taken as the head"));
  } else {
    return ref.status();
  }
  HeadLookup out;
  auto broken = [&](const std::string& id, const std::string& what) {
    out.broken_id = id;
    out.broken =
        Corruption("the head snapshot " + Quote(id) + " of " + Quote(database) + " in " +
                   Quote(location.dir) + " " + what)
            .WithRemedy({RemedyKind::kEarlierSnapshotOrForceBackup, {location.dir, database}});
    return out;
  };
  // Newest first, down to the recorded head: a newer snapshot of the database is a head whose
  // record was not written (a crash right after its manifest).
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    if (recorded && *it < *recorded) break;
    auto manifest = LoadManifestHeader(repository, *it);
    if (manifest.ok()) {
      if (manifest->database != database) continue;
      Status chunks = with_chunks ? LoadChunks(repository, *manifest) : Status::Ok();
      if (chunks.code() == StatusCode::kCorruption) {
        return broken(*it, "is damaged (" + chunks.message() + ")");
      }
      RETURN_IF_ERROR(chunks);
      out.head = std::move(*manifest);
      return out;
    }
    if (manifest.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
    if (manifest.status().code() != StatusCode::kCorruption) return manifest.status();
    std::string named = DatabaseNamedBy(location, *it);
    if (named == database || (recorded && *it == *recorded)) {
      return broken(*it, "is damaged (" + manifest.status().message() + ")");
    }
    WarnSkipped(location, named, manifest.status());
  }
  if (recorded) {
    return broken(*recorded,
                  "was deleted from the repository (its last backup recorded it in "
                  "heads/)");
  }
  return out;
}

Result<std::optional<Manifest>> FindHead(BackupLocation& location, const std::string& database,
                                         bool with_chunks) {
  ASSIGN_OR_RETURN(HeadLookup lookup, LookUpHead(location, database, with_chunks));
  if (!lookup.broken.ok()) return lookup.broken;
  return std::move(lookup.head);
}

Result<std::vector<Manifest>> ListSnapshotsOf(BackupLocation& location,
                                              const std::string& database) {
  std::vector<Manifest> mine;
  RETURN_IF_ERROR(ForEachSnapshot(
      location,
      [&](Manifest m) {
        if (m.database == database) mine.push_back(std::move(m));
      },
      [&](const std::string&, const std::string& named, const Status& status) {
        WarnSkipped(location, named, status);
      }));
  return mine;
}

Result<std::vector<Manifest>> ListAllSnapshots(BackupLocation& location) {
  std::vector<Manifest> all;
  RETURN_IF_ERROR(ForEachSnapshot(
      location, [&](Manifest m) { all.push_back(std::move(m)); },
      [&](const std::string&, const std::string& named, const Status& status) {
        WarnSkipped(location, named, status);
      }));
  return all;
}

Result<std::vector<Manifest>> ListHeads(BackupLocation& location) {
  std::vector<std::string> databases;
  RETURN_IF_ERROR(ForEachSnapshot(
      location,
      [&](Manifest m) {
        if (std::find(databases.begin(), databases.end(), m.database) == databases.end()) {
          databases.push_back(m.database);
        }
      },
      [&](const std::string&, const std::string& named, const Status& status) {
        WarnSkipped(location, named, status);
      }));
  std::vector<Manifest> heads;
  for (const auto& database : databases) {
    ASSIGN_OR_RETURN(HeadLookup lookup, LookUpHead(location, database, /*with_chunks=*/false));
    if (!lookup.broken.ok()) {
      location.Warn(lookup.broken);
    } else if (lookup.head) {
      heads.push_back(std::move(*lookup.head));
    }
  }
  return heads;
}

Result<std::vector<DamagedSnapshot>> FindDamagedSnapshots(BackupLocation& location,
                                                          const std::string& database,
                                                          const HeadLookup& head) {
  std::vector<DamagedSnapshot> damaged;
  // A damaged snapshot whose text names another database is still this one's when an intact
  // snapshot of it names it as its parent: the damage may have hit the database name.
  std::vector<DamagedSnapshot> named_other;
  std::set<std::string> parents;
  // The database's snapshots are damaged, too, when their chunk trees are; one walk reads each
  // node the snapshots share once.
  ChunkTreeWalk walk(*location.repository);
  Status failed;
  RETURN_IF_ERROR(ForEachSnapshot(
      location,
      [&](Manifest m) {
        if (m.database != database) return;
        if (m.parent) parents.insert(*m.parent);
        Status tree = walk.Visit(m.tree, m.id, nullptr);
        if (tree.code() == StatusCode::kCorruption) {
          damaged.push_back({m.id, tree.message()});
        } else if (!tree.ok() && failed.ok()) {
          failed = tree;
        }
      },
      [&](const std::string& id, const std::string& named, const Status& status) {
        auto& list = named.empty() || named == database ? damaged : named_other;
        list.push_back({id, status.message()});
      }));
  RETURN_IF_ERROR(failed);
  for (auto& d : named_other) {
    if (parents.count(d.id) != 0) damaged.push_back(std::move(d));
  }
  std::sort(damaged.begin(), damaged.end(),
            [](const DamagedSnapshot& a, const DamagedSnapshot& b) { return a.id < b.id; });
  bool listed = std::any_of(damaged.begin(), damaged.end(),
                            [&](const DamagedSnapshot& d) { return d.id == head.broken_id; });
  if (!head.broken.ok() && !listed) damaged.push_back({head.broken_id, head.broken.message()});
  return damaged;
}

Result<Manifest> ResolveSnapshot(BackupLocation& location, const std::string& database,
                                 const std::string& snapshot_id, bool with_chunks) {
  if (!snapshot_id.empty()) {
    auto manifest = with_chunks ? LoadManifest(*location.repository, snapshot_id)
                                : LoadManifestHeader(*location.repository, snapshot_id);
    if (!manifest.ok()) return manifest.status();
    if (manifest->database != database) {
      return InvalidArgument("snapshot " + Quote(snapshot_id) + " in " + Quote(location.dir) +
                             " is a backup of " + Quote(manifest->database) + ", not of " +
                             Quote(database));
    }
    return manifest;
  }
  ASSIGN_OR_RETURN(auto head, FindHead(location, database, with_chunks));
  if (!head) {
    return NotFound("backupDir " + Quote(location.dir) + " holds no backup of database " +
                    Quote(database));
  }
  return std::move(*head);
}

}  // namespace strata
