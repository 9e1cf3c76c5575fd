// SegmentCache: decoded segments kept in memory, least recently used first out, so the
// statements that read the same small tables over and over (point selects, dimension tables)
// decode them once. A segment's id is the hash of its bytes, so a cached entry can never be
// stale; Remove drops it when its file goes. Bounded by bytes of decoded columns; a segment
// larger than an eighth of the bound is not kept, so one big scan does not flush the rest.
// Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "types/table.h"

namespace strata {

class SegmentCache {
 public:
  explicit SegmentCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  // The columns `column_indices` (all when empty) of segment `id`, if cached.
  std::optional<Table> Get(const std::string& id, const std::vector<size_t>& column_indices);
  void Put(const std::string& id, const std::vector<size_t>& column_indices, const Table& table);
  // Forgets every entry of segment `id`.
  void Remove(const std::string& id);

  size_t bytes() const;
  // What `table` weighs in the cache: the memory of its columns.
  static size_t BytesOf(const Table& table);

 private:
  struct Entry {
    std::string key;
    std::string id;
    Table table;
    size_t bytes;
  };
  static std::string KeyOf(const std::string& id, const std::vector<size_t>& column_indices);
  void EraseLocked(std::list<Entry>::iterator it);

  const size_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
  size_t bytes_ = 0;
};

}  // namespace strata
