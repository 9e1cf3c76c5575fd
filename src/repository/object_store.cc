#include "repository/object_store.h"

#include <algorithm>

#include "base/strings.h"

namespace strata {

Status ObjectStore::DeleteMany(const std::vector<std::string>& keys) {
  for (const auto& key : keys) RETURN_IF_ERROR(Delete(key));
  return Status::Ok();
}

Result<std::vector<ObjectInfo>> ObjectStore::List(const std::string& prefix) {
  std::vector<ObjectInfo> out;
  RETURN_IF_ERROR(ListEach(prefix, [&out](ObjectInfo object) {
    out.push_back(std::move(object));
    return Status::Ok();
  }));
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

Status ObjectStore::ListEach(const std::string& prefix,
                             const std::function<Status(ObjectInfo)>& each) {
  ASSIGN_OR_RETURN(std::vector<ObjectInfo> objects, List(prefix));
  for (auto& object : objects) RETURN_IF_ERROR(each(std::move(object)));
  return Status::Ok();
}

Status ObjectStore::PutDeferred(const std::string& key,
                                const std::vector<std::string_view>& pieces) {
  std::string bytes;
  for (std::string_view piece : pieces) bytes.append(piece);
  return Put(key, bytes);
}

Status ValidateObjectKey(std::string_view key) {
  constexpr size_t kKeyBytesMax = 1024;
  auto bad = [&](const std::string& why) {
    return InvalidArgument("object key " + Quote(key) + " " + why);
  };
  if (key.empty()) return bad("is empty");
  if (key.size() > kKeyBytesMax) return bad("is longer than 1024 bytes");
  if (key.front() == '/') return bad("must be relative (no leading '/')");
  for (char c : key) {
    if (c == '\0' || c == '\\') return bad("contains a NUL or a backslash");
  }
  for (const auto& component : Split(key, '/')) {
    if (component.empty()) return bad("has an empty path component");
    if (component == "." || component == "..") return bad("contains '.' or '..'");
  }
  return Status::Ok();
}

}  // namespace strata
