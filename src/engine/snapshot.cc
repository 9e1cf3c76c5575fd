#include "engine/snapshot.h"

namespace strata {

Snapshot::~Snapshot() { registry_->Unpin(cid_); }

SnapshotPtr SnapshotRegistry::PinLatest() {
  std::lock_guard lock(mutex_);
  pins_.insert(latest_);
  return SnapshotPtr(new Snapshot(this, latest_));
}

void SnapshotRegistry::Publish(int64_t cid) {
  std::lock_guard lock(mutex_);
  latest_ = cid;
}

int64_t SnapshotRegistry::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

std::vector<int64_t> SnapshotRegistry::ProtectedCids() const {
  std::lock_guard lock(mutex_);
  std::set<int64_t> unique(pins_.begin(), pins_.end());
  unique.insert(latest_);
  return std::vector<int64_t>(unique.begin(), unique.end());
}

void SnapshotRegistry::Unpin(int64_t cid) {
  std::lock_guard lock(mutex_);
  auto it = pins_.find(cid);
  if (it != pins_.end()) pins_.erase(it);
}

}  // namespace strata
