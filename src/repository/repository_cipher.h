// The encryption of a repository made with a key file (docs/format/repository.md,
// "Encryption"). A random master secret belongs to the repository; each key file that opens it
// holds a key slot, keys/<key id>.json, with the master sealed under the key file's key, so a
// key is rotated by adding and removing slots and no data is rewritten. From the master, HKDF
// derives a data key (AES-256-GCM for objects and documents) and a name key (HMAC-SHA256 for
// the names objects, head records and journals are stored under), so the store shows neither
// plaintext nor hashes of it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/crypto.h"
#include "base/status.h"
#include "repository/key_file.h"

namespace strata {

class RepositoryCipher {
 public:
  // The keys derived from `master`, the secret of repository `repository_id`.
  static Result<RepositoryCipher> FromMaster(const SecretKey& master,
                                             std::string_view repository_id);

  // The name object `id` (the SHA-256 of its content) is stored under: 64 hex digits.
  std::string StoredNameOf(std::string_view id) const;
  // A keyed hash (64 hex digits) of `text` for `purpose` ("head", "journal").
  std::string NameHash(std::string_view purpose, std::string_view text) const;

  // The stored form of an object (its encoded pieces), bound to its id. Written into a buffer
  // that is never zero-filled first: objects are large.
  Result<std::unique_ptr<char[]>> SealObject(std::string_view id,
                                             const std::vector<std::string_view>& pieces,
                                             size_t* size) const;
  // The encoded object inside `stored`, decrypted in place (a view into it); Corruption naming
  // the object when it does not authenticate.
  Result<std::string_view> OpenObject(std::string_view id, std::string& stored) const;
  // The stored form of the document `key` ("snapshots/<id>.json", ...), bound to that key.
  Result<std::string> SealDocument(std::string_view key, std::string_view text) const;
  // The document's text; Corruption naming `what` when it does not authenticate.
  Result<std::string> OpenDocument(std::string_view key, std::string_view stored,
                                   std::string_view what) const;

 private:
  RepositoryCipher() = default;

  SecretKey data_key_;
  SecretKey name_key_;
};

// "keys/<key id>.json".
std::string KeySlotKey(std::string_view key_id);
// True for a key slot's store key.
bool IsKeySlotKey(std::string_view key);

// The key slot document of `key` for repository `repository_id`: `master` sealed under the key
// file's key, bound to the repository and the key id.
Result<std::string> MakeKeySlot(const KeyFile& key, std::string_view repository_id,
                                const SecretKey& master);
// The master secret in `slot` (the text of keys/<key id>.json of `key`); PermissionDenied naming
// the key file and `where` when the key does not open it, Corruption when it is no key slot.
Result<SecretKey> OpenKeySlot(const KeyFile& key, std::string_view repository_id,
                              std::string_view slot, std::string_view where);
// The creation time a slot records ("" when it cannot be read).
std::string KeySlotCreated(std::string_view slot);

}  // namespace strata
