// FaultInjectingObjectStore: wraps another ObjectStore and makes some operations fail, for
// tests of everything that must survive a failing target. Faults are chosen by a seeded random
// generator (a test prints its seed) or scripted: fail every operation from the Nth on ("the
// process died here"), or only the Nth write (the store refused one write). A failed Put writes
// nothing; a `truncate_reads` fault returns a Get cut short, as a broken connection would.
// Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>

#include "repository/object_store.h"

namespace strata {

struct FaultOptions {
  uint64_t seed = 1;
  double failure_probability = 0;    // each operation fails with this probability
  uint64_t fail_from_operation = 0;  // 1-based; every operation from this one fails (0 = never)
  uint64_t fail_write = 0;           // 1-based; only this write (a Put or Delete) fails (0 = none)
  bool truncate_reads = false;  // injected Get faults return half the bytes instead of an error
};

class FaultInjectingObjectStore : public ObjectStore {
 public:
  // `inner` must outlive this store.
  FaultInjectingObjectStore(ObjectStore* inner, FaultOptions options);

  std::string Describe() const override { return inner_->Describe(); }
  Status Put(const std::string& key, std::string_view bytes) override;
  Result<std::string> Get(const std::string& key) override;
  Result<std::string> GetRange(const std::string& key, uint64_t offset, uint64_t length) override;
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override;
  Result<std::vector<ObjectInfo>> List(const std::string& prefix) override;
  Status Delete(const std::string& key) override;

  uint64_t operations() const;
  uint64_t writes() const;
  uint64_t faults() const;

 private:
  // Counts one operation (a write: Put or Delete) and decides whether it fails.
  bool NextFails(bool write = false);
  Status Fault(const char* operation, const std::string& key) const;

  ObjectStore* inner_;
  FaultOptions options_;
  mutable std::mutex mutex_;
  std::mt19937_64 random_;   // guarded by mutex_
  uint64_t operations_ = 0;  // guarded by mutex_
  uint64_t writes_ = 0;      // guarded by mutex_
  uint64_t faults_ = 0;      // guarded by mutex_
};

}  // namespace strata
