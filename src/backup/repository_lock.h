// Advisory repository locks (docs/format/repository.md, "Locks"). A backup stores objects that
// no manifest references yet, so backups and prune exclude each other: a backup announces
// itself with locks/backup-<uuid>.json, prune with locks/prune.json. Each writes its own lock
// first and then looks for the other's, so at least one of two racing parties sees the other
// and backs off. Object stores have no atomic create-if-absent, so a lock is a lease that
// expires on its own (a crashed process blocks the other side for one lease, not forever).
//
// A holder renews its lease from a timer thread, a tenth of the lease apart, whatever its
// workers are doing. A lease can still lapse — the store refused renewals, the process or the
// machine was paused, a clock jumped — and then the other side may have run meanwhile: a
// holder checks Lapsed() before it relies on the lock (a backup before it writes its manifest,
// a prune before it deletes objects).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "repository/object_store.h"

namespace strata {

// The lease of every lock unless strata.cfg's repositoryLockLeaseSeconds says otherwise.
inline constexpr int64_t kDefaultLockLeaseMs = 10 * 60 * 1000;

// One lock document kept alive by a timer thread until destroyed (which stops the thread; the
// document itself is removed by the owner).
class Lease {
 public:
  // Writes `key` now; the error of that first write when it fails.
  static Result<std::unique_ptr<Lease>> Take(ObjectStore& store, std::string key, std::string owner,
                                             int64_t lease_ms);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  // True once the lease has lapsed at some moment since it was taken: a renewal came after the
  // previous lease expired, or it has expired now.
  bool Lapsed();
  // Writes the lock again now (after a lapse); the error when the store refuses.
  Status Renew();
  const std::string& owner() const { return owner_; }
  const std::string& key() const { return key_; }

 private:
  Lease(ObjectStore& store, std::string key, std::string owner, int64_t lease_ms)
      : store_(store), key_(std::move(key)), owner_(std::move(owner)), lease_ms_(lease_ms) {}
  void RenewLoop();

  ObjectStore& store_;
  const std::string key_;
  const std::string owner_;
  const int64_t lease_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;       // guarded by mutex_
  int64_t valid_until_ms_ = 0;  // guarded by mutex_: the expiry of the last lock written
  bool lapsed_ = false;         // guarded by mutex_
  std::thread renewer_;
};

// Announces a running backup until destroyed; FailedPrecondition naming the holder when a
// prune holds the repository.
class BackupSession {
 public:
  static Result<std::unique_ptr<BackupSession>> Start(ObjectStore& store,
                                                      const std::string& location,
                                                      int64_t lease_ms);
  ~BackupSession();
  // Before the manifest names objects stored under this announcement: OK when it never
  // lapsed. After a lapse, announces again and fails if a prune holds the repository now;
  // otherwise returns true, and the caller must check that what it stored is still there
  // (a prune may have run in the gap).
  Result<bool> Reconfirm();
  BackupSession(const BackupSession&) = delete;
  BackupSession& operator=(const BackupSession&) = delete;

 private:
  BackupSession(ObjectStore& store, std::string location)
      : store_(store), location_(std::move(location)) {}
  ObjectStore& store_;
  std::string location_;
  std::unique_ptr<Lease> lease_;
};

// Holds locks/prune.json until destroyed (or until it expires).
class PruneLock {
 public:
  // FailedPrecondition naming the holder when another prune holds the repository or a backup
  // is running. A prune lock whose owner is a process of this host that no longer runs is
  // stale and taken over at once.
  static Result<std::unique_ptr<PruneLock>> Acquire(ObjectStore& store, const std::string& location,
                                                    int64_t lease_ms);
  ~PruneLock();
  // Before deleting: FailedPrecondition when the lease lapsed (a backup may have started and
  // stored objects no document names yet).
  Status CheckHeld();
  PruneLock(const PruneLock&) = delete;
  PruneLock& operator=(const PruneLock&) = delete;

 private:
  PruneLock(ObjectStore& store, std::string location)
      : store_(store), location_(std::move(location)) {}
  ObjectStore& store_;
  std::string location_;
  std::unique_ptr<Lease> lease_;
};

}  // namespace strata
