// MemoryObjectStore: an ObjectStore held in memory, for tests. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "repository/object_store.h"

namespace strata {

class MemoryObjectStore : public ObjectStore {
 public:
  std::string Describe() const override { return "memory store"; }
  Status Put(const std::string& key, std::string_view bytes) override;
  Result<std::string> Get(const std::string& key) override;
  Result<std::string> GetRange(const std::string& key, uint64_t offset, uint64_t length) override;
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override;
  Result<std::vector<ObjectInfo>> List(const std::string& prefix) override;
  Status Delete(const std::string& key) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> objects_;  // guarded by mutex_
};

}  // namespace strata
