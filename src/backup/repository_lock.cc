#include "backup/repository_lock.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>

#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "base/uuid.h"

namespace strata {

namespace {

constexpr const char* kPruneLockKey = "locks/prune.json";
constexpr const char* kBackupLockPrefix = "locks/backup-";
constexpr int64_t kRenewalsPerLease = 10;

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
  auto json = ParseJson(*text, "lock " + Quote(key));
  if (!json.ok()) return LockState{};
  JsonFields fields(*json, "lock " + Quote(key));
  LockState state;
  auto owner = fields.String("owner");
  if (owner.ok()) state.owner = std::move(*owner);
  auto expires = fields.Time("expires");
  if (expires.ok()) state.expires_ms = *expires;
  return state;
}

// Writes the lock with an expiry `lease_ms` after `now` (taken before the write starts, so the
// holder never believes in a lease longer than the one others see).
Status WriteLock(ObjectStore& store, const std::string& key, const std::string& owner, int64_t now,
                 int64_t lease_ms) {
  nlohmann::json document = {
      {"owner", owner}, {"acquired", FormatUtcMs(now)}, {"expires", FormatUtcMs(now + lease_ms)}};
  return store.Put(key, DumpJson(document) + "\n");
}

std::string HostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

std::string NewOwner() { return HostName() + "/" + std::to_string(getpid()) + "/" + NewUuid(); }

// True when `owner` ("host/pid/uuid") is a process of this host that no longer runs: its lock
// is stale whatever its expiry says.
bool OwnerIsDeadHere(const std::string& owner) {
  size_t slash = owner.find('/');
  if (slash == std::string::npos || owner.substr(0, slash) != HostName()) return false;
  size_t end = owner.find('/', slash + 1);
  std::string pid_text = owner.substr(slash + 1, end == std::string::npos ? end : end - slash - 1);
  if (pid_text.empty() || pid_text.size() > 9 ||
      pid_text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
}

bool Live(const LockState& lock) {
  return !lock.owner.empty() && lock.expires_ms >= NowMs() && !OwnerIsDeadHere(lock.owner);
}

Status CheckNotPruning(ObjectStore& store, const std::string& location) {
  ASSIGN_OR_RETURN(LockState lock, ReadLock(store, kPruneLockKey));
  if (!Live(lock)) return Status::Ok();
  return FailedPrecondition("backupDir " + Quote(location) + " is being pruned by " +
                            Quote(lock.owner) + " (lock held until " +
                            FormatUtcMs(lock.expires_ms) + "); retry when the prune has finished");
}

// FailedPrecondition naming a backup whose announcement has not expired.
Status CheckNoBackupRunning(ObjectStore& store, const std::string& location) {
  ASSIGN_OR_RETURN(auto locks, store.List(kBackupLockPrefix));
  for (const auto& info : locks) {
    ASSIGN_OR_RETURN(LockState lock, ReadLock(store, info.key));
    if (!Live(lock)) continue;
    return FailedPrecondition("backupDir " + Quote(location) + " has a backup running (" +
                              Quote(lock.owner) + ", announced until " +
                              FormatUtcMs(lock.expires_ms) +
                              "); prune when no backup writes there");
  }
  return Status::Ok();
}

}  // namespace

// ---- Lease

Result<std::unique_ptr<Lease>> Lease::Take(ObjectStore& store, std::string key, std::string owner,
                                           int64_t lease_ms) {
  auto lease = std::unique_ptr<Lease>(new Lease(store, std::move(key), std::move(owner), lease_ms));
  RETURN_IF_ERROR(lease->Renew());
  lease->renewer_ = std::thread([raw = lease.get()] { raw->RenewLoop(); });
  return lease;
}

Lease::~Lease() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (renewer_.joinable()) renewer_.join();
}

Status Lease::Renew() {
  int64_t now = NowMs();
  RETURN_IF_ERROR(WriteLock(store_, key_, owner_, now, lease_ms_));
  std::lock_guard lock(mutex_);
  if (valid_until_ms_ != 0 && now > valid_until_ms_) lapsed_ = true;
  valid_until_ms_ = now + lease_ms_;
  return Status::Ok();
}

bool Lease::Lapsed() {
  std::lock_guard lock(mutex_);
  if (NowMs() > valid_until_ms_) lapsed_ = true;
  return lapsed_;
}

namespace {

// The timer thread's boundary: an exception escaping the store counts as a refused renewal,
// which the next tick retries and Lapsed() reports, instead of ending the process.
Status RenewCatching(Lease& lease) {
  try {
    return lease.Renew();
  } catch (const std::exception& e) {
    return Internal("renewing lock " + Quote(lease.key()) + " failed: " + e.what());
  } catch (...) {
    return Internal("renewing lock " + Quote(lease.key()) + " failed with an unknown exception");
  }
}

}  // namespace

void Lease::RenewLoop() {
  const auto interval =
      std::chrono::milliseconds(std::max<int64_t>(1, lease_ms_ / kRenewalsPerLease));
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    (void)RenewCatching(
        *this);  // a refused renewal is retried at the next tick; Lapsed() tells the holder
    lock.lock();
  }
}

// ---- BackupSession

Result<std::unique_ptr<BackupSession>> BackupSession::Start(ObjectStore& store,
                                                            const std::string& location,
                                                            int64_t lease_ms) {
  auto session = std::unique_ptr<BackupSession>(new BackupSession(store, location));
  ASSIGN_OR_RETURN(session->lease_, Lease::Take(store, kBackupLockPrefix + NewUuid() + ".json",
                                                NewOwner(), lease_ms));
  RETURN_IF_ERROR(CheckNotPruning(store, location));  // the destructor withdraws the lock
  return session;
}

Result<bool> BackupSession::Reconfirm() {
  if (!lease_->Lapsed()) return false;
  Status renewed = lease_->Renew();
  if (!renewed.ok()) {
    return renewed.WithContext("the backup's lock on " + Quote(location_) +
                               " lapsed and cannot be renewed");
  }
  Status free = CheckNotPruning(store_, location_);
  if (!free.ok()) return free.WithContext("the backup's lock lapsed meanwhile");
  return true;
}

BackupSession::~BackupSession() {
  if (lease_ == nullptr) return;
  std::string key = lease_->key();
  lease_.reset();  // stops renewing before the lock goes
  (void)store_.Delete(key);
}

// ---- PruneLock

Result<std::unique_ptr<PruneLock>> PruneLock::Acquire(ObjectStore& store,
                                                      const std::string& location,
                                                      int64_t lease_ms) {
  RETURN_IF_ERROR(CheckNotPruning(store, location));
  auto lock = std::unique_ptr<PruneLock>(new PruneLock(store, location));
  ASSIGN_OR_RETURN(lock->lease_, Lease::Take(store, kPruneLockKey, NewOwner(), lease_ms));
  ASSIGN_OR_RETURN(LockState confirmed, ReadLock(store, kPruneLockKey));
  if (confirmed.owner != lock->lease_->owner()) {
    std::string other = confirmed.owner;
    lock->lease_.reset();  // not ours: the destructor must not delete it
    return FailedPrecondition("backupDir " + Quote(location) + " is being pruned by " +
                              Quote(other) + "; retry when the prune has finished");
  }
  RETURN_IF_ERROR(CheckNoBackupRunning(store, location));  // the destructor releases the lock
  return lock;
}

Status PruneLock::CheckHeld() {
  if (!lease_->Lapsed()) return Status::Ok();
  return FailedPrecondition("the prune's lock on " + Quote(location_) +
                            " lapsed (the store refused its renewals, or the process was "
                            "paused), so a backup may have started meanwhile");
}

PruneLock::~PruneLock() {
  if (lease_ == nullptr) return;
  std::string owner = lease_->owner();
  lease_.reset();
  auto lock = ReadLock(store_, kPruneLockKey);
  if (lock.ok() && lock->owner == owner) (void)store_.Delete(kPruneLockKey);
}

}  // namespace strata
