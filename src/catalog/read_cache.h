// The catalog's read cache: the answers of the reads every statement makes (the user and their
// grants, the database and table by name, the newest cid, a table's chunk versions), kept in
// memory until a committed transaction changes what they were read from.
//
// Each answer is filed under a generation of the area it was read from (schema, chunks,
// users). A transaction records the areas its writes touch, and its commit bumps their
// generations twice, as a sequence lock: to an odd number before SQLite's COMMIT and to the next
// even number after it. While a generation is odd the cache is neither read nor filled, since
// SQLite may answer either side of the commit. A reader takes the generation before it reads
// SQLite and files the answer only if the generation is unchanged after the read, so every
// answer filed under a generation was read entirely inside it, and a reader never sees a newer
// answer and then an older one. Answers filed under an older generation are never served again.
// Only this process writes the catalog (the data directory's lock), so nothing else can change
// it behind the cache's back.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "catalog/records.h"

namespace strata {

// What a write touches, as a bit set.
enum CatalogArea : unsigned {
  kCatalogSchema = 1,  // databases, tables, layouts
  kCatalogChunks = 2,  // commits (cids), chunks, chunk versions
  kCatalogUsers = 4,   // users, grants
};

// Answers of one kind of read by key, all of one generation. Bounded by a weight (entries, or
// records for lists): when full it starts over.
template <class Value>
class CachedReads {
 public:
  explicit CachedReads(size_t weight_max) : weight_max_(weight_max) {}

  std::optional<Value> Get(const std::string& key, uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return std::nullopt;
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.value;
  }

  // Files `value`, read at `generation`; an answer older than what is filed is dropped.
  void Put(const std::string& key, const Value& value, uint64_t generation, size_t weight = 1) {
    if (weight > weight_max_) return;
    std::lock_guard lock(mutex_);
    if (generation < generation_) return;
    if (generation > generation_ || weight_ + weight > weight_max_) {
      entries_.clear();
      weight_ = 0;
      generation_ = generation;
    }
    auto [it, inserted] = entries_.try_emplace(key, Entry{value, weight});
    if (inserted) weight_ += weight;
  }

 private:
  struct Entry {
    Value value;
    size_t weight;
  };
  std::mutex mutex_;
  const size_t weight_max_;
  uint64_t generation_ = 0;
  size_t weight_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

struct CatalogReadCache {
  // Entries per kind of lookup; chunk version records over all cached lists.
  static constexpr size_t kEntriesMax = 1024;
  static constexpr size_t kChunkRecordsMax = 65536;

  uint64_t generation(CatalogArea area) const {
    return generations[Index(area)].load(std::memory_order_acquire);
  }
  // Called by a commit with the areas its transaction wrote: once just before SQLite's COMMIT
  // (the generations turn odd) and once after it, failed or not (they turn even again). Commits
  // are serialized by the catalog's writer lock.
  void Invalidate(unsigned areas) {
    for (CatalogArea area : {kCatalogSchema, kCatalogChunks, kCatalogUsers}) {
      if (areas & area) generations[Index(area)].fetch_add(1, std::memory_order_acq_rel);
    }
  }

  std::atomic<uint64_t> generations[3] = {0, 0, 0};
  CachedReads<int64_t> last_cid{1};
  CachedReads<std::optional<DatabaseRecord>> databases{kEntriesMax};
  CachedReads<std::optional<TableRecord>> tables{kEntriesMax};
  CachedReads<std::vector<ChunkVersionRecord>> chunk_versions{kChunkRecordsMax};
  CachedReads<std::optional<UserRecord>> users{kEntriesMax};
  CachedReads<std::vector<GrantRecord>> grants{kEntriesMax};

 private:
  static size_t Index(CatalogArea area) {
    return area == kCatalogSchema ? 0 : area == kCatalogChunks ? 1 : 2;
  }
};

// The key of a read with several arguments.
template <class... Parts>
std::string CacheKey(const Parts&... parts) {
  std::string key;
  auto add = [&key](const auto& part) {
    if constexpr (std::is_convertible_v<decltype(part), std::string_view>) {
      key.append(std::string_view(part));
    } else {
      key.append(std::to_string(part));
    }
    key.push_back('\x1f');
  };
  (add(parts), ...);
  return key;
}

inline size_t CacheWeight(const auto& value) {
  if constexpr (requires { value.size(); }) {
    return std::max<size_t>(value.size(), 1);
  } else {
    return 1;
  }
}

// The cached answer of `reads` for `key`, or `read()`'s, then filed.
template <class Value, class Read>
Result<Value> ReadThrough(const CatalogReadCache& cache, CachedReads<Value>& reads,
                          CatalogArea area, const std::string& key, Read read) {
  uint64_t generation = cache.generation(area);  // before the read: see the top of this file
  if (generation % 2 == 1) return read();        // a commit is landing
  if (std::optional<Value> hit = reads.Get(key, generation)) return std::move(*hit);
  Result<Value> value = read();
  if (value.ok() && cache.generation(area) == generation) {
    reads.Put(key, *value, generation, CacheWeight(*value));
  }
  return value;
}

}  // namespace strata
