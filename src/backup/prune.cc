#include "backup/prune.h"

#include <set>

#include "backup/journal.h"
#include "backup/repository_lock.h"
#include "base/strings.h"
#include "repository/object_codec.h"

namespace strata {

Result<PruneOutcome> PruneBackups(BackupLocation& location, const PruneRequest& request) {
  if (request.keep_last && *request.keep_last < 1) {
    return InvalidArgument(
        "keepLast must be at least 1 (the newest snapshot is always kept), got " +
        std::to_string(*request.keep_last));
  }
  if (!request.keep_last && !request.keep_since_ms) {
    return InvalidArgument(
        "prune needs a policy: keepLast (the newest N snapshots) and/or "
        "keepSince (snapshots created at or after a time)");
  }
  Repository& repository = *location.repository;
  ASSIGN_OR_RETURN(auto lock, PruneLock::Acquire(*location.store, location.dir));

  ASSIGN_OR_RETURN(auto ids, repository.ListSnapshotIds());
  std::vector<Manifest> mine;
  std::set<std::string> referenced;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(Manifest manifest, LoadManifest(repository, id));
    if (manifest.database == request.database) {
      mine.push_back(std::move(manifest));
    } else {
      for (const auto& c : manifest.chunks) {
        for (const auto& o : c.objects) referenced.insert(o.id);
      }
    }
  }
  if (mine.empty()) {
    return NotFound("backupDir " + Quote(location.dir) + " holds no backup of database " +
                    Quote(request.database));
  }
  PruneOutcome outcome;
  // Oldest first: index i from the end is the (n-i)-th newest.
  std::vector<std::string> doomed;
  for (size_t i = 0; i < mine.size(); ++i) {
    size_t newer = mine.size() - 1 - i;  // snapshots newer than this one
    bool keep = newer == 0;
    if (request.keep_last) keep = keep || static_cast<int64_t>(newer) < *request.keep_last;
    if (request.keep_since_ms) keep = keep || mine[i].created_ms >= *request.keep_since_ms;
    if (keep) {
      ++outcome.snapshots_kept;
      for (const auto& c : mine[i].chunks) {
        for (const auto& o : c.objects) referenced.insert(o.id);
      }
    } else {
      doomed.push_back(mine[i].id);
    }
  }
  // Unfinished backups keep what they stored, for their re-run.
  ASSIGN_OR_RETURN(auto journal_keys, ListJournalKeys(*location.store));
  for (const auto& key : journal_keys) {
    auto journal = ReadJournal(*location.store, key);
    if (!journal.ok() || !*journal) continue;
    for (const auto& c : (*journal)->finished) {
      for (const auto& o : c.objects) referenced.insert(o.id);
    }
  }
  // Manifests first: an object is deleted only once nothing names it.
  for (const auto& id : doomed) {
    RETURN_IF_ERROR(repository.DeleteSnapshot(id));
    ++outcome.snapshots_deleted;
  }
  ASSIGN_OR_RETURN(auto objects, location.store->List("objects/"));
  std::vector<std::string> unreferenced;
  for (const auto& info : objects) {
    std::string id = info.key.substr(info.key.rfind('/') + 1);
    if (!IsObjectId(id) || referenced.count(id)) continue;
    unreferenced.push_back(info.key);
    outcome.bytes_freed += static_cast<int64_t>(info.size_bytes);
  }
  RETURN_IF_ERROR(location.store->DeleteMany(unreferenced));
  outcome.objects_deleted = static_cast<int64_t>(unreferenced.size());
  return outcome;
}

}  // namespace strata
