// Repository: a backup repository in an ObjectStore (docs/format/repository.md) — the marker,
// content-addressed objects verified on every read, and documents (snapshot manifests, head
// records, journal parts) sealed with a checksum. A repository made with a key file is
// encrypted (repository_cipher.h): objects and documents are sealed with AES-256-GCM and stored
// under keyed names, and every call below encrypts and decrypts, so its callers see the same
// ids and texts either way. What the documents mean is the backup engine's; this class
// guarantees their integrity and the write order's building blocks. Thread-safe as its store
// is.
#pragma once

#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest_set.h"
#include "repository/key_file.h"
#include "repository/object_store.h"
#include "repository/repository_cipher.h"

namespace strata {

enum class RepositoryOpen : uint8_t {
  kCreateIfMissing,  // an empty location becomes a repository (backups)
  kMustExist,        // restores, checks and listings never create one
};

class Repository {
 public:
  // Opens the repository in `store` (which must outlive it) with `key` (null: none), which a
  // new repository is encrypted with and an encrypted one needs. Errors name the location: no
  // marker with kMustExist (NotFound), keys but no marker (FailedPrecondition: not a
  // repository), a marker of another format or version (Unimplemented/Corruption), an
  // encrypted repository without a key or a plain one with a key (FailedPrecondition), a key
  // that is not one of the repository's (PermissionDenied naming the key file).
  static Result<std::unique_ptr<Repository>> Open(ObjectStore* store, RepositoryOpen mode,
                                                  const KeyFile* key = nullptr);

  const std::string& repository_id() const { return repository_id_; }
  ObjectStore& store() { return *store_; }
  bool encrypted() const { return cipher_.has_value(); }

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
      return decompressed_.empty() ? std::string_view(stored_).substr(offset_, size_)
                                   : decompressed_;
    }

   private:
    friend class Repository;
    explicit ObjectContent(std::string stored) : stored_(std::move(stored)) {}
    std::string stored_;  // as read (in an encrypted repository, decrypted in place)
    size_t offset_ = 0;   // of the content in stored_, when it is stored as is
    size_t size_ = std::string::npos;
    std::string decompressed_;
  };
  Result<ObjectContent> ReadObject(const std::string& id);
  Result<bool> HasObject(const std::string& id);
  Status DeleteObject(const std::string& id);
  // The name object `id` is stored under, objects/<2 hex>/<name>: the id itself, or in an
  // encrypted repository a keyed hash of it.
  std::string StoredNameOf(const std::string& id) const;
  // Stored object names (64 hex digits) kept as 32-byte digests in a DigestSet: in memory up to
  // 2^20 of them (32 MiB), in a temporary file beyond (base/digest_set.h), so no listing or
  // reference set grows memory with the repository. Add them all, Seal, then ask; a name that
  // is not 64 hex digits is neither kept nor found.
  class StoredNames {
   public:
    Status Add(std::string_view name);
    Status Seal() { return names_.Seal(); }
    Result<bool> Contains(std::string_view name) const;
    uint64_t size() const { return names_.size(); }

   private:
    DigestSet names_;
  };
  // The objects present when listed: Contains(id) for any object id. Default: none.
  class ObjectListing {
   public:
    Result<bool> Contains(const std::string& id) const {
      if (names_.size() == 0) return false;
      return names_.Contains(repository_->StoredNameOf(id));
    }
    uint64_t size() const { return names_.size(); }

   private:
    friend class Repository;
    const Repository* repository_ = nullptr;
    StoredNames names_;
  };
  Result<ObjectListing> ListObjects();

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
  // The text of the snapshot document `id` as stored (decrypted, not verified): for telling
  // what a damaged one still says.
  Result<std::string> GetSnapshotText(const std::string& id);

  // ---- other documents (head records, journal parts), by store key
  // Seals `object_text` (a JSON object's text) with a checksum, encrypts it in an encrypted
  // repository, and writes it (Put: durable on return).
  Status PutDocument(const std::string& key, std::string object_text);
  // The document's text (decrypted, checksum not yet checked: IsSealedIntact); the store's
  // NotFound when there is none, Corruption naming `what` when it does not decrypt.
  Result<std::string> GetDocument(const std::string& key, const std::string& what);
  // A name for `text` in store keys (a database's head record, a journal): its SHA-256, or in
  // an encrypted repository a keyed hash, so names reveal nothing. 64 hex digits.
  std::string NameHashOf(std::string_view purpose, std::string_view text) const;

  // ---- the keys of an encrypted repository (FailedPrecondition in a plain one)
  struct KeyInfo {
    std::string key_id;
    std::string created;
  };
  Result<std::vector<KeyInfo>> ListKeys();
  // Adds a key slot for `key`, which then opens the repository too; AlreadyExists if it has one.
  Status AddKey(const KeyFile& key);
  // Removes the key slot of `key_id`; NotFound if there is none, FailedPrecondition for the
  // last one (the backups would be lost).
  Status RemoveKey(const std::string& key_id);

 private:
  Repository(ObjectStore* store, std::string repository_id)
      : store_(store), repository_id_(std::move(repository_id)) {}
  static Result<std::unique_ptr<Repository>> Create(ObjectStore* store, const KeyFile* key);
  Status Unlock(const KeyFile* key);

  ObjectStore* store_;
  std::string repository_id_;
  std::optional<SecretKey> master_;  // encrypted: the repository's secret
  std::optional<RepositoryCipher> cipher_;
};

}  // namespace strata
