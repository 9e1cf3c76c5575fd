#include "backup/repository_lock.h"

#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "base/utc_time.h"
#include "base/uuid.h"

namespace strata {

namespace {

constexpr const char* kPruneLockKey = "locks/prune.json";
constexpr const char* kBackupLockPrefix = "locks/backup-";
constexpr int64_t kLockLifetimeMs = 10 * 60 * 1000;
constexpr int64_t kRenewIntervalMs = 60 * 1000;

struct LockState {
  std::string owner;
  int64_t expires_ms = 0;
};

// The lock at `key`, or an empty owner when there is none (or it cannot be read).
Result<LockState> ReadLock(ObjectStore& store, const std::string& key) {
  auto text = store.Get(key);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return LockState{};
    return text.status();
  }
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return LockState{};
  LockState state;
  state.owner = json.value("owner", "");
  state.expires_ms = ParseUtcMs(json.value("expires", "")).value_or(0);
  return state;
}

Status WriteLock(ObjectStore& store, const std::string& key, const std::string& owner) {
  int64_t now = NowMs();
  nlohmann::json document = {{"owner", owner},
                             {"acquired", FormatUtcMs(now)},
                             {"expires", FormatUtcMs(now + kLockLifetimeMs)}};
  return store.Put(key, document.dump() + "\n");
}

Status CheckNotPruning(ObjectStore& store, const std::string& location) {
  ASSIGN_OR_RETURN(LockState lock, ReadLock(store, kPruneLockKey));
  if (lock.owner.empty() || lock.expires_ms < NowMs()) return Status::Ok();
  return FailedPrecondition("backupDir " + Quote(location) + " is being pruned by " +
                            Quote(lock.owner) + " (lock held until " +
                            FormatUtcMs(lock.expires_ms) + "); retry when the prune has finished");
}

// FailedPrecondition naming a backup whose announcement has not expired.
Status CheckNoBackupRunning(ObjectStore& store, const std::string& location) {
  ASSIGN_OR_RETURN(auto locks, store.List(kBackupLockPrefix));
  for (const auto& info : locks) {
    ASSIGN_OR_RETURN(LockState lock, ReadLock(store, info.key));
    if (lock.owner.empty() || lock.expires_ms < NowMs()) continue;
    return FailedPrecondition("backupDir " + Quote(location) + " has a backup running (" +
                              Quote(lock.owner) + ", announced until " +
                              FormatUtcMs(lock.expires_ms) +
                              "); prune when no backup writes there");
  }
  return Status::Ok();
}

std::string HostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

std::string NewOwner() { return HostName() + "/" + std::to_string(getpid()) + "/" + NewUuid(); }

}  // namespace

Result<std::unique_ptr<BackupSession>> BackupSession::Start(ObjectStore& store,
                                                            const std::string& location) {
  std::string owner = NewOwner();
  std::string key = kBackupLockPrefix + NewUuid() + ".json";
  RETURN_IF_ERROR(WriteLock(store, key, owner));
  auto session =
      std::unique_ptr<BackupSession>(new BackupSession(store, std::move(key), std::move(owner)));
  session->written_ms_ = NowMs();
  RETURN_IF_ERROR(CheckNotPruning(store, location));  // the destructor withdraws the lock
  return session;
}

void BackupSession::Renew() {
  std::lock_guard lock(mutex_);
  if (NowMs() - written_ms_ < kRenewIntervalMs) return;
  if (WriteLock(store_, key_, owner_).ok()) written_ms_ = NowMs();
}

BackupSession::~BackupSession() { (void)store_.Delete(key_); }

Result<std::unique_ptr<PruneLock>> PruneLock::Acquire(ObjectStore& store,
                                                      const std::string& location) {
  RETURN_IF_ERROR(CheckNotPruning(store, location));
  std::string owner = NewOwner();
  RETURN_IF_ERROR(WriteLock(store, kPruneLockKey, owner));
  ASSIGN_OR_RETURN(LockState confirmed, ReadLock(store, kPruneLockKey));
  if (confirmed.owner != owner) {
    return FailedPrecondition("backupDir " + Quote(location) + " is being pruned by " +
                              Quote(confirmed.owner) + "; retry when the prune has finished");
  }
  auto lock = std::unique_ptr<PruneLock>(new PruneLock(store, std::move(owner)));
  RETURN_IF_ERROR(CheckNoBackupRunning(store, location));  // the destructor releases the lock
  return lock;
}

PruneLock::~PruneLock() {
  auto lock = ReadLock(store_, kPruneLockKey);
  if (lock.ok() && lock->owner == owner_) (void)store_.Delete(kPruneLockKey);
}

}  // namespace strata
