// Advisory repository locks (docs/format/repository.md, "Locks"). A backup stores objects that
// no manifest references yet, so backups and prune exclude each other: a backup announces
// itself with locks/backup-<uuid>.json, prune with locks/prune.json. Each writes its own lock
// first and then looks for the other's, so at least one of two racing parties sees the other
// and backs off. Object stores have no atomic create-if-absent, so locks expire on their own
// (a crashed process blocks the other side for minutes, not forever); running backups renew.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "repository/object_store.h"

namespace strata {

// Announces a running backup until destroyed; FailedPrecondition naming the holder when a
// prune holds the repository.
class BackupSession {
 public:
  static Result<std::unique_ptr<BackupSession>> Start(ObjectStore& store,
                                                      const std::string& location);
  ~BackupSession();
  // Renews the announcement when it is older than a minute (cheap to call often).
  void Renew();
  BackupSession(const BackupSession&) = delete;
  BackupSession& operator=(const BackupSession&) = delete;

 private:
  BackupSession(ObjectStore& store, std::string key, std::string owner)
      : store_(store), key_(std::move(key)), owner_(std::move(owner)) {}
  ObjectStore& store_;
  std::string key_;
  std::string owner_;
  std::mutex mutex_;
  int64_t written_ms_ = 0;  // guarded by mutex_
};

// Holds locks/prune.json until destroyed (or until it expires).
class PruneLock {
 public:
  static Result<std::unique_ptr<PruneLock>> Acquire(ObjectStore& store,
                                                    const std::string& location);
  ~PruneLock();
  PruneLock(const PruneLock&) = delete;
  PruneLock& operator=(const PruneLock&) = delete;

 private:
  PruneLock(ObjectStore& store, std::string owner) : store_(store), owner_(std::move(owner)) {}
  ObjectStore& store_;
  std::string owner_;
};

}  // namespace strata
