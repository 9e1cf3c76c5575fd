// Snapshot: a pinned commit id. While a Snapshot lives, every chunk version it can see (the
// newest at or below its cid) and every segment those versions reference stay on disk, so a
// long reader — a query or a backup — sees one consistent image while writers go on.
// SnapshotRegistry tracks the live pins. Both thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace strata {

class SnapshotRegistry;

class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  int64_t cid() const { return cid_; }

 private:
  friend class SnapshotRegistry;
  Snapshot(SnapshotRegistry* registry, int64_t cid) : registry_(registry), cid_(cid) {}
  SnapshotRegistry* registry_;
  int64_t cid_;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// Tracks the newest committed cid and the live pins. Pinning the newest cid and publishing a
// new one are atomic with respect to each other, so after Publish(c) returns, every pin taken
// later is >= c, and PinnedCids() plus `latest()` is exactly what pruning must protect.
class SnapshotRegistry {
 public:
  // Pins the newest published cid; the registry must outlive the returned snapshot.
  SnapshotPtr PinLatest();
  // Makes `cid` the newest committed cid.
  void Publish(int64_t cid);
  int64_t latest() const;
  // The cids that pruning must keep visible: every live pin and the newest cid.
  std::vector<int64_t> ProtectedCids() const;

 private:
  friend class Snapshot;
  void Unpin(int64_t cid);
  mutable std::mutex mutex_;
  int64_t latest_ = 0;           // guarded by mutex_
  std::multiset<int64_t> pins_;  // guarded by mutex_
};

}  // namespace strata
