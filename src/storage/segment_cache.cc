#include "storage/segment_cache.h"

namespace strata {

std::string SegmentCache::KeyOf(const std::string& id, const std::vector<size_t>& column_indices) {
  std::string key = id;
  for (size_t index : column_indices) key += "," + std::to_string(index);
  return key;
}

std::optional<Table> SegmentCache::Get(const std::string& id,
                                       const std::vector<size_t>& column_indices) {
  std::lock_guard lock(mutex_);
  auto it = by_key_.find(KeyOf(id, column_indices));
  if (it == by_key_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->table;  // shares the columns
}

void SegmentCache::Put(const std::string& id, const std::vector<size_t>& column_indices,
                       const Table& table) {
  const size_t bytes = BytesOf(table);
  if (bytes > capacity_bytes_ / 8) return;
  std::string key = KeyOf(id, column_indices);
  std::lock_guard lock(mutex_);
  if (by_key_.contains(key)) return;
  entries_.push_front(Entry{key, id, table, bytes});
  by_key_.emplace(std::move(key), entries_.begin());
  bytes_ += bytes;
  while (bytes_ > capacity_bytes_) EraseLocked(std::prev(entries_.end()));
}

void SegmentCache::Remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->id == id) EraseLocked(it);
    it = next;
  }
}

size_t SegmentCache::BytesOf(const Table& table) {
  size_t bytes = 0;
  for (const ColumnPtr& column : table.columns()) bytes += column->MemoryBytes();
  return bytes;
}

size_t SegmentCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

void SegmentCache::EraseLocked(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  by_key_.erase(it->key);
  entries_.erase(it);
}

}  // namespace strata
