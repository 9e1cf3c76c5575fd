#include "repository/memory_object_store.h"

#include "base/strings.h"

namespace strata {

Status MemoryObjectStore::Put(const std::string& key, std::string_view bytes) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mutex_);
  objects_[key] = std::string(bytes);
  return Status::Ok();
}

Result<std::string> MemoryObjectStore::Get(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mutex_);
  auto it = objects_.find(key);
  if (it == objects_.end())
    return NotFound("object " + Quote(key) + " does not exist in " + Describe());
  return it->second;
}

Result<std::string> MemoryObjectStore::GetRange(const std::string& key, uint64_t offset,
                                                uint64_t length) {
  ASSIGN_OR_RETURN(std::string bytes, Get(key));
  if (offset > bytes.size()) {
    return InvalidArgument("range offset " + std::to_string(offset) + " is past the end of " +
                           Quote(key) + " (" + std::to_string(bytes.size()) + " bytes)");
  }
  return bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
}

Result<std::optional<ObjectInfo>> MemoryObjectStore::Head(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mutex_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::optional<ObjectInfo>();
  return std::optional<ObjectInfo>(ObjectInfo{key, it->second.size()});
}

Result<std::vector<ObjectInfo>> MemoryObjectStore::List(const std::string& prefix) {
  std::lock_guard lock(mutex_);
  std::vector<ObjectInfo> out;
  for (auto it = objects_.lower_bound(prefix);
       it != objects_.end() && it->first.starts_with(prefix); ++it) {
    out.push_back({it->first, it->second.size()});
  }
  return out;
}

Status MemoryObjectStore::Delete(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  std::lock_guard lock(mutex_);
  objects_.erase(key);
  return Status::Ok();
}

}  // namespace strata
