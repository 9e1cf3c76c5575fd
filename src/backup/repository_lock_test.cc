// Leases of the repository locks: renewed by their timer, lapsed when renewals are refused,
// and what a backup and a prune do about a lapse. Short leases (a few hundred ms) stand in
// for the ten-minute default.
#include "backup/repository_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "repository/memory_object_store.h"

namespace strata {
namespace {

// A store that refuses writes of lock documents while `refuse_locks` is set (of backup locks
// only while `refuse_backup_locks` is): renewals fail as they would against a store that is
// down, or from a paused process.
class LockRefusingStore : public MemoryObjectStore {
 public:
  Status Put(const std::string& key, std::string_view bytes) override {
    if ((refuse_locks.load() && key.starts_with("locks/")) ||
        (refuse_backup_locks.load() && key.starts_with("locks/backup-"))) {
      return Unavailable("refused write of " + key);
    }
    return MemoryObjectStore::Put(key, bytes);
  }
  std::atomic<bool> refuse_locks{false};
  std::atomic<bool> refuse_backup_locks{false};
};

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

TEST(LeaseTest, TheTimerKeepsALeaseAliveLongPastItsLength) {
  LockRefusingStore store;
  auto lease = Lease::Take(store, "locks/x.json", "me", /*lease_ms=*/1000);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  SleepMs(2500);  // two and a half leases (renewals come every 100 ms)
  EXPECT_FALSE((*lease)->Lapsed());
}

TEST(LeaseTest, RefusedRenewalsLapseTheLease) {
  LockRefusingStore store;
  auto lease = Lease::Take(store, "locks/x.json", "me", /*lease_ms=*/150);
  ASSERT_TRUE(lease.ok());
  store.refuse_locks = true;
  SleepMs(400);
  EXPECT_TRUE((*lease)->Lapsed());
  store.refuse_locks = false;
  SleepMs(100);  // renewed again by the timer, but the lapse is remembered
  EXPECT_TRUE((*lease)->Lapsed());
}

TEST(LeaseTest, APruneTakesTheRepositoryOnlyOnceABackupsLeaseLapsed) {
  LockRefusingStore store;
  auto backup = BackupSession::Start(store, "repo", /*lease_ms=*/200);
  ASSERT_TRUE(backup.ok());
  auto refused = PruneLock::Acquire(store, "repo", 200);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("has a backup running"), std::string::npos);

  store.refuse_backup_locks = true;  // the backup cannot renew: its lease runs out
  SleepMs(450);
  {
    // Renewals stay refused until the prune holds its lock, so no renewal can come first.
    auto prune = PruneLock::Acquire(store, "repo", 5000);
    store.refuse_backup_locks = false;
    ASSERT_TRUE(prune.ok()) << prune.status().ToString();
    // While the prune holds it, the lapsed backup must not go on to its manifest.
    auto confirmed = (*backup)->Reconfirm();
    ASSERT_FALSE(confirmed.ok());
    EXPECT_NE(confirmed.status().message().find("is being pruned"), std::string::npos);
  }
  // The prune is gone: the backup takes its lock again and is told it had lapsed, so that it
  // checks its objects.
  auto confirmed = (*backup)->Reconfirm();
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_TRUE(*confirmed);
}

TEST(LeaseTest, ABackupWhoseLeaseNeverLapsedNeedsNoCheck) {
  LockRefusingStore store;
  auto backup = BackupSession::Start(store, "repo", /*lease_ms=*/5000);
  ASSERT_TRUE(backup.ok());
  auto confirmed = (*backup)->Reconfirm();
  ASSERT_TRUE(confirmed.ok());
  EXPECT_FALSE(*confirmed);
}

TEST(LeaseTest, APruneWhoseLeaseLapsedDeletesNoObject) {
  LockRefusingStore store;
  auto prune = PruneLock::Acquire(store, "repo", /*lease_ms=*/150);
  ASSERT_TRUE(prune.ok());
  EXPECT_TRUE((*prune)->CheckHeld().ok());
  store.refuse_locks = true;
  SleepMs(400);
  store.refuse_locks = false;
  Status held = (*prune)->CheckHeld();
  EXPECT_EQ(held.code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace strata
