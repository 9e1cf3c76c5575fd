// ObjectStore: the seam between the backup engine and where backups live — a local directory
// or an S3-compatible bucket. Keys are '/'-separated relative paths ("objects/ab/<sha256>",
// "snapshots/<id>.json"). The contract is what S3 offers, so every backend behaves alike:
// whole-object writes that readers see entirely or not at all, reads of whole objects or byte
// ranges, listing by prefix, and idempotent deletes. There is no rename and no conditional
// write. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata {

struct ObjectInfo {
  std::string key;
  uint64_t size_bytes = 0;
  bool operator==(const ObjectInfo&) const = default;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Where the store is, for messages ("local directory '/var/bak'"); never contains secrets.
  virtual std::string Describe() const = 0;

  // Writes `bytes` as the object `key`, replacing any previous object. Durable when it returns
  // OK; a reader sees the old object or the new one, never a part.
  virtual Status Put(const std::string& key, std::string_view bytes) = 0;
  // Like Put, but the object may become durable (and visible) as late as the next Flush():
  // many objects then share one durability barrier instead of paying one each. A reader never
  // sees the object before it is durable, and never a part of it. Until Flush returns OK, a
  // crash may lose it, so nothing durable may reference it yet.
  // The object's bytes are `pieces` one after the other, so a caller can add a header to a
  // large buffer without copying it.
  virtual Status PutDeferred(const std::string& key, const std::vector<std::string_view>& pieces);
  // Makes every PutDeferred that returned before this call durable and visible. On an error,
  // some of those objects may be missing (never partial) and must not be referenced.
  virtual Status Flush() { return Status::Ok(); }
  // The whole object; NotFound naming the key and the store if it does not exist.
  virtual Result<std::string> Get(const std::string& key) = 0;
  // `length` bytes from `offset` (fewer at the end of the object); NotFound if missing,
  // InvalidArgument if `offset` is past the end.
  virtual Result<std::string> GetRange(const std::string& key, uint64_t offset,
                                       uint64_t length) = 0;
  // The object's size, or nullopt if it does not exist.
  virtual Result<std::optional<ObjectInfo>> Head(const std::string& key) = 0;
  // Every object whose key starts with `prefix`, sorted by key. By default, ListEach's, sorted.
  virtual Result<std::vector<ObjectInfo>> List(const std::string& prefix);
  // The same objects in no particular order, each handed to `each` as it is listed, so the
  // caller holds what it keeps of them, not the listing (S3: a page of keys at a time); an
  // error from `each` stops the listing and is returned. By default, List's. A store
  // overrides at least one of the two.
  virtual Status ListEach(const std::string& prefix, const std::function<Status(ObjectInfo)>& each);
  // Deletes the object; OK if it does not exist.
  virtual Status Delete(const std::string& key) = 0;
  // Deletes several objects (S3 batches these); OK for the missing ones.
  virtual Status DeleteMany(const std::vector<std::string>& keys);
};

// InvalidArgument unless `key` is a relative path of non-empty components without "." or
// "..", NUL or backslashes, at most 1024 bytes: the keys every backend can store as-is.
Status ValidateObjectKey(std::string_view key);

}  // namespace strata
