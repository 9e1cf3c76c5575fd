#include "backup/prune.h"

#include <algorithm>
#include <set>

#include "backup/backup_location.h"
#include "backup/chunk_tree.h"
#include "backup/head_ref.h"
#include "backup/journal.h"
#include "backup/repository_lock.h"
#include "base/hash.h"
#include "base/strings.h"
#include "repository/object_codec.h"

namespace strata {

namespace {

// Objects deleted at a time, each batch after the prune's lock is confirmed (S3 deletes up to
// 1,000 objects per request).
constexpr size_t kPruneDeleteBatch = 1000;

// The stored names of the objects something references (Repository::StoredNames, in memory
// bounded by constants however many there are): Add them all, Seal, then ask.
class ReferencedNames {
 public:
  explicit ReferencedNames(const Repository& repository) : repository_(repository) {}
  // Stored names are 64 hex digits; no other name is ever deleted (IsObjectId), so one that is
  // not needs no protection.
  Status Add(const std::string& id) { return names_.Add(repository_.StoredNameOf(id)); }
  Status AddObjectsOf(const std::vector<ManifestChunk>& chunks) {
    for (const auto& c : chunks) {
      for (const auto& o : c.objects) RETURN_IF_ERROR(Add(o.id));
    }
    return Status::Ok();
  }
  Status Seal() { return names_.Seal(); }
  // Whether `name` (a listed object's name, 64 hex digits) is referenced.
  Result<bool> Contains(std::string_view name) const { return names_.Contains(name); }

 private:
  const Repository& repository_;
  Repository::StoredNames names_;
};

// Deleting the newest snapshots of a database moves its head down to the newest one left.
// Crash-safe in this order: the record names the new head before the newer manifests go
// (readers meanwhile still take the newest intact one), and is removed before the last ones go
// when none is left (readers without a record take the newest there is).
Status MoveHeadBeforeDeleting(BackupLocation& location, const std::string& database,
                              const std::vector<Manifest>& mine,
                              const std::set<std::string>& doomed) {
  const Manifest* newest_kept = nullptr;
  for (const auto& m : mine) {
    if (!doomed.count(m.id)) newest_kept = &m;
  }
  if (newest_kept == nullptr) return DeleteHeadRef(*location.repository, database);
  if (newest_kept == &mine.back()) return Status::Ok();
  return WriteHeadRef(*location.repository, database, newest_kept->id);
}

}  // namespace

Result<PruneOutcome> PruneBackups(BackupLocation& location, const PruneRequest& request) {
  const bool by_id = !request.snapshot_ids.empty();
  if (by_id && (request.keep_last || request.keep_since_ms)) {
    return InvalidArgument("prune takes either snapshot ids or a policy, not both");
  }
  if (request.keep_last && *request.keep_last < 1) {
    return InvalidArgument(
        "keepLast must be at least 1 (the newest snapshot is always kept), got " +
        std::to_string(*request.keep_last));
  }
  if (!by_id && !request.keep_last && !request.keep_since_ms) {
    return InvalidArgument(
        "prune needs a policy: keepLast (the newest N snapshots) and/or "
        "keepSince (snapshots created at or after a time)");
  }
  Repository& repository = *location.repository;
  ASSIGN_OR_RETURN(auto lock,
                   PruneLock::Acquire(*location.store, location.dir, location.lock_lease_ms));

  // Every manifest and journal is read before anything is deleted. One that cannot be read now
  // (the store fails) stops the prune with nothing deleted; a damaged one, which no retry
  // reads, names objects nobody can know, so the prune then deletes snapshots but no object.
  auto nothing_deleted = [&](const Status& status) {
    return status.WithContext("prune of " + Quote(request.database) + " in " + Quote(location.dir) +
                              " deleted nothing; retry when the repository can be read");
  };
  std::string sweep_blocked;  // why no object may be deleted, when one may not
  // A read that failed: a damaged document blocks the sweep (the first says why, with `fix`);
  // any other failure stops the prune.
  auto unreadable = [&](const Status& status, const std::string& fix) -> Status {
    if (status.code() != StatusCode::kCorruption) return nothing_deleted(status);
    if (sweep_blocked.empty()) sweep_blocked = status.message() + fix;
    return Status::Ok();
  };
  ASSIGN_OR_RETURN(auto ids, repository.ListSnapshotIds());
  std::vector<Manifest> mine;  // without the chunks of their trees
  ReferencedNames referenced(repository);
  // Each distinct tree node is read once, however many snapshots share it (while the walk's
  // memory allows), and is referenced as it is read.
  ChunkTreeWalk walk(repository, [&](const std::string& node) { return referenced.Add(node); });
  auto reference = [&](const Manifest& manifest) -> Status {
    Status added = referenced.AddObjectsOf(manifest.chunks);  // a version-1 manifest's
    if (!added.ok()) return nothing_deleted(added);
    Status walked = walk.Visit(manifest.tree, manifest.id, [&](std::vector<ManifestChunk> leaf) {
      added = referenced.AddObjectsOf(leaf);
      return added;
    });
    if (!added.ok()) return nothing_deleted(added);
    if (walked.ok()) return walked;
    return unreadable(walked,
                      ", so which objects it needs is unknown (a check of the backup lists "
                      "damaged snapshots; once that one is given up, delete snapshots/" +
                          manifest.id + ".json from the repository and prune again)");
  };
  for (const auto& id : ids) {
    auto loaded = LoadManifestHeader(repository, id);
    if (!loaded.ok()) {
      if (loaded.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
      RETURN_IF_ERROR(unreadable(loaded.status(),
                                 ", so which objects it needs is unknown (a check of the "
                                 "backup lists damaged snapshots; once that one is given up, "
                                 "delete snapshots/" +
                                     id + ".json from the repository and prune again)"));
      continue;
    }
    Manifest manifest = std::move(*loaded);
    if (manifest.database == request.database) {
      mine.push_back(std::move(manifest));
    } else {
      RETURN_IF_ERROR(reference(manifest));
    }
  }
  if (mine.empty()) {
    return NotFound("backupDir " + Quote(location.dir) + " holds no backup of database " +
                    Quote(request.database));
  }
  PruneOutcome outcome;
  // Oldest first: index i from the end is the (n-i)-th newest.
  std::vector<std::string> doomed;
  const std::set<std::string> wanted(request.snapshot_ids.begin(), request.snapshot_ids.end());
  for (const auto& id : wanted) {
    if (std::none_of(mine.begin(), mine.end(), [&](const Manifest& m) { return m.id == id; })) {
      return NotFound("backupDir " + Quote(location.dir) + " holds no snapshot " + Quote(id) +
                      " of database " + Quote(request.database) + "; nothing was deleted");
    }
  }
  for (size_t i = 0; i < mine.size(); ++i) {
    size_t newer = mine.size() - 1 - i;  // snapshots newer than this one
    bool keep = newer == 0;
    if (request.keep_last) keep = keep || static_cast<int64_t>(newer) < *request.keep_last;
    if (request.keep_since_ms) keep = keep || mine[i].created_ms >= *request.keep_since_ms;
    if (by_id) keep = !wanted.count(mine[i].id);
    if (keep) {
      ++outcome.snapshots_kept;
      RETURN_IF_ERROR(reference(mine[i]));
    } else {
      doomed.push_back(mine[i].id);
    }
  }
  // Unfinished backups keep what they stored, for their re-run.
  ASSIGN_OR_RETURN(auto journal_keys, ListJournalKeys(repository));
  for (const auto& key : journal_keys) {
    Status added;  // a part at a time: a journal can name every partition of a database
    auto read = ForEachJournalPart(repository, key, DamagedPart::kFail, [&](Journal part) {
      added = referenced.AddObjectsOf(part.finished);
      return added;
    });
    if (!added.ok()) return nothing_deleted(added);
    if (!read.ok()) {
      RETURN_IF_ERROR(unreadable(read.status(),
                                 ", so which objects that unfinished backup stored is unknown "
                                 "(run that backup again to finish it, or delete journal/" +
                                     key + "/ so that it starts over, then prune again)"));
    }
  }
  Status sealed = referenced.Seal();
  if (!sealed.ok()) return nothing_deleted(sealed);
  if (by_id) {
    RETURN_IF_ERROR(MoveHeadBeforeDeleting(location, request.database, mine,
                                           std::set<std::string>(doomed.begin(), doomed.end())));
  }
  // Manifests first: an object is deleted only once nothing names it.
  for (const auto& id : doomed) {
    RETURN_IF_ERROR(repository.DeleteSnapshot(id));
    ++outcome.snapshots_deleted;
  }
  if (!sweep_blocked.empty()) {
    outcome.sweep_skipped = "no object was deleted: " + sweep_blocked;
    return outcome;
  }
  // Objects are stored under names (keyed hashes of their ids in an encrypted repository),
  // listed as a stream and deleted kPruneDeleteBatch at a time, so that nothing holds them all.
  // Each batch goes only after the lock is confirmed: a backup that started while this prune's
  // lock had lapsed stores objects nothing names yet.
  std::vector<std::string> batch;
  auto delete_batch = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    RETURN_IF_ERROR(lock->CheckHeld().WithContext(
        "prune of " + Quote(request.database) + " in " + Quote(location.dir) + " deleted " +
        std::to_string(outcome.snapshots_deleted) + " snapshots and " +
        std::to_string(outcome.objects_deleted) +
        " objects nothing referenced, then stopped; run it again to delete the rest"));
    RETURN_IF_ERROR(location.store->DeleteMany(batch));
    outcome.objects_deleted += static_cast<int64_t>(batch.size());
    batch.clear();
    return Status::Ok();
  };
  RETURN_IF_ERROR(location.store->ListEach("objects/", [&](ObjectInfo info) -> Status {
    std::string_view name = std::string_view(info.key).substr(info.key.rfind('/') + 1);
    if (!IsObjectId(name) || info.key != ObjectKeyOf(name)) return Status::Ok();
    ASSIGN_OR_RETURN(bool needed, referenced.Contains(name));
    if (needed) return Status::Ok();
    batch.push_back(std::move(info.key));
    outcome.bytes_freed += static_cast<int64_t>(info.size_bytes);
    if (batch.size() < kPruneDeleteBatch) return Status::Ok();
    return delete_batch();
  }));
  RETURN_IF_ERROR(delete_batch());
  return outcome;
}

}  // namespace strata
