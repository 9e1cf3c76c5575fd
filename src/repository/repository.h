// Repository: a backup repository in an ObjectStore (docs/format/repository.md) — the marker,
// content-addressed objects verified on every read, and snapshot documents sealed with a
// checksum. What the documents mean (manifests, the journal) is the backup engine's; this
// class guarantees their integrity and the write order's building blocks. Thread-safe as its
// store is.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "repository/object_store.h"

namespace strata {

enum class RepositoryOpen : uint8_t {
  kCreateIfMissing,  // an empty location becomes a repository (backups)
  kMustExist,        // restores, checks and listings never create one
};

class Repository {
 public:
  // Opens the repository in `store` (which must outlive it). Errors name the location: no
  // marker with kMustExist (NotFound), keys but no marker (FailedPrecondition: not a
  // repository), a marker of another format or version (Unimplemented/Corruption).
  static Result<std::unique_ptr<Repository>> Open(ObjectStore* store, RepositoryOpen mode);

  const std::string& repository_id() const { return repository_id_; }
  ObjectStore& store() { return *store_; }

  // ---- objects
  // How PutObject treats a copy the repository may have already.
  enum class IfPresent : uint8_t {
    kKeep,    // look (one HEAD) and keep an existing copy: incremental backups
    kVerify,  // look, read an existing copy back and replace it if it does not verify: force
    kAbsent,  // the caller knows it is absent (it looked, or the repository is new): no look
  };
  // Stores `content` as `if_present` says; returns its id. Only bad bytes are ever replaced,
  // and only by the right ones. The object is written with
  // ObjectStore::PutDeferred: it is durable only after the next store().Flush() — which
  // PutSnapshot does first — so a document written without PutSnapshot must flush before it
  // names the object.
  struct PutResult {
    std::string id;
    bool written = false;
    uint64_t stored_bytes = 0;
  };
  Result<PutResult> PutObject(std::string_view content, IfPresent if_present);
  // The verified content, a view into what the store returned (no copy); NotFound or
  // Corruption naming the object.
  class ObjectContent {
   public:
    std::string_view content() const {
      return decompressed_.empty() ? std::string_view(stored_).substr(offset_) : decompressed_;
    }

   private:
    friend class Repository;
    explicit ObjectContent(std::string stored) : stored_(std::move(stored)) {}
    std::string stored_;
    size_t offset_ = 0;  // of the content in stored_, when it is stored as is
    std::string decompressed_;
  };
  Result<ObjectContent> ReadObject(const std::string& id);
  Result<bool> HasObject(const std::string& id);
  // Ids of every object present.
  Result<std::vector<std::string>> ListObjectIds();
  Status DeleteObject(const std::string& id);

  // ---- snapshot documents: snapshots/<id>.json
  // A new snapshot id, ordered by time: "<yyyyMMddTHHmmssSSS>Z-<8 hex>" for now, or for the
  // time `created_ms` (a backup makes its snapshot's time later than its parent's, so ids of
  // one database sort in the order the backups ran).
  static std::string NewSnapshotId();
  static std::string NewSnapshotId(int64_t created_ms);
  // Flushes the store (every object put before is durable), then seals `document` (the text of
  // a JSON object whose "id" member is `id`) and writes it.
  Status PutSnapshot(const std::string& id, std::string document);
  // Reads and verifies a snapshot document (checksum and id); Corruption naming it.
  Result<nlohmann::json> GetSnapshot(const std::string& id);
  // Ids of every snapshot, oldest first.
  Result<std::vector<std::string>> ListSnapshotIds();
  Status DeleteSnapshot(const std::string& id);

 private:
  Repository(ObjectStore* store, std::string repository_id)
      : store_(store), repository_id_(std::move(repository_id)) {}

  ObjectStore* store_;
  std::string repository_id_;
};

}  // namespace strata
