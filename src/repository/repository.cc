#include "repository/repository.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/hash.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "base/uuid.h"
#include "repository/object_codec.h"
#include "repository/sealed_document.h"

namespace strata {

namespace {

constexpr const char* kMarkerKey = "strata-repo.json";
constexpr const char* kMarkerFormat = "strata-repository";
// Version 1: plain. Version 2: encrypted (its marker says how). A plain repository is still
// made as version 1, so older strata read it.
constexpr int kPlainVersion = 1;
constexpr int kEncryptedVersion = 2;
constexpr const char* kCipher = "aes-256-gcm";

// "2026-11-21T17:00:00.123Z", or the compact "20261121T170000123Z" for ids.
std::string UtcNow(bool compact) { return FormatUtcMs(NowMs(), compact); }

std::string SnapshotKey(const std::string& id) { return "snapshots/" + id + ".json"; }

Status CheckSnapshotId(const std::string& id) {
  bool ok = !id.empty() && id.size() <= 64;
  for (char c : id) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (!ok) return InvalidArgument("snapshot id " + Quote(id) + " is not a valid snapshot id");
  return Status::Ok();
}

struct Marker {
  std::string id;
  bool encrypted = false;
};

// What the marker text says, or why it is not a marker this strata reads.
Result<Marker> ReadMarker(ObjectStore* store, std::string_view marker) {
  const std::string what = std::string(kMarkerKey) + " in " + store->Describe();
  ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(marker, what));
  JsonFields fields(document, what);
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  if (format != kMarkerFormat) {
    return Corruption(what + " is not a strata repository marker (its format is " + Quote(format) +
                      "); choose a strata backup repository");
  }
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (version != kPlainVersion && version != kEncryptedVersion) {
    return Unimplemented("the repository in " + store->Describe() + " has format version " +
                         std::to_string(version) + "; this strata reads versions 1 and 2 — " +
                         "upgrade strata");
  }
  Marker out;
  ASSIGN_OR_RETURN(out.id, fields.String("repository_id"));
  if (out.id.empty()) return fields.Damaged("member 'repository_id' is empty");
  out.encrypted = version == kEncryptedVersion;
  if (out.encrypted) {
    ASSIGN_OR_RETURN(const nlohmann::json* encryption, fields.Object("encryption"));
    ASSIGN_OR_RETURN(std::string cipher,
                     JsonFields(*encryption, what + " encryption").String("cipher"));
    if (cipher != kCipher) {
      return Unimplemented("the repository in " + store->Describe() + " is encrypted with " +
                           Quote(cipher) + "; this strata knows " + kCipher + " — upgrade strata");
    }
  }
  return out;
}

std::string KeyIdsText(const std::vector<Repository::KeyInfo>& keys) {
  std::string out;
  for (const auto& key : keys) out += (out.empty() ? "" : ", ") + key.key_id;
  return out.empty() ? "none" : out;
}

}  // namespace

Result<std::unique_ptr<Repository>> Repository::Open(ObjectStore* store, RepositoryOpen mode,
                                                     const KeyFile* key) {
  auto marker = store->Get(kMarkerKey);
  if (!marker.ok() && marker.status().code() != StatusCode::kNotFound) return marker.status();
  if (!marker.ok()) {
    if (mode == RepositoryOpen::kMustExist) {
      return NotFound("there is no backup repository in " + store->Describe() + " (no " +
                      kMarkerKey + "); check the backup directory");
    }
    return Create(store, key);
  }
  ASSIGN_OR_RETURN(Marker read, ReadMarker(store, *marker));
  std::unique_ptr<Repository> repository(new Repository(store, read.id));
  if (!read.encrypted) {
    if (key != nullptr) {
      return FailedPrecondition("the backup repository in " + store->Describe() +
                                " is not encrypted, and keyPath " + Quote(key->path) +
                                " asks for an encrypted one; leave keyPath out, or back up "
                                "with it into another directory");
    }
    return repository;
  }
  RETURN_IF_ERROR(repository->Unlock(key));
  return repository;
}

Result<std::unique_ptr<Repository>> Repository::Create(ObjectStore* store, const KeyFile* key) {
  ASSIGN_OR_RETURN(auto existing, store->List(""));
  // Key slots alone are what an encrypted repository's creation left when it was interrupted
  // before its marker: nothing refers to them, so they are removed and made again.
  std::vector<std::string> leftover_slots;
  for (const auto& info : existing) {
    if (key != nullptr && IsKeySlotKey(info.key)) {
      leftover_slots.push_back(info.key);
      continue;
    }
    return FailedPrecondition(store->Describe() +
                              " holds files but is not a strata backup "
                              "repository (no " +
                              std::string(kMarkerKey) +
                              "); choose an empty directory or an existing repository");
  }
  RETURN_IF_ERROR(store->DeleteMany(leftover_slots));
  std::string id = NewUuid();
  std::unique_ptr<Repository> repository(new Repository(store, id));
  nlohmann::json document = {{"format", kMarkerFormat},
                             {"version", key == nullptr ? kPlainVersion : kEncryptedVersion},
                             {"repository_id", id},
                             {"created", UtcNow(false)},
                             {"options", {{"object_compression", "zstd"}}}};
  if (key != nullptr) {
    ASSIGN_OR_RETURN(repository->master_, SecretKey::Random());
    ASSIGN_OR_RETURN(repository->cipher_, RepositoryCipher::FromMaster(*repository->master_, id));
    // The slot first: a marker that names an encryption no key opens would lose every backup.
    ASSIGN_OR_RETURN(std::string slot, MakeKeySlot(*key, id, *repository->master_));
    RETURN_IF_ERROR(store->Put(KeySlotKey(key->key_id), slot));
    document["encryption"] = {{"cipher", kCipher},
                              {"key_derivation", "hkdf-sha256"},
                              {"names", "hmac-sha256"},
                              {"key_slots", "keys/"}};
  }
  RETURN_IF_ERROR(store->Put(kMarkerKey, DumpJson(document, 2) + "\n"));
  return repository;
}

Status Repository::Unlock(const KeyFile* key) {
  if (key == nullptr) {
    auto keys = ListKeys();
    return FailedPrecondition("the backup repository in " + store_->Describe() +
                              " is encrypted; give keyPath, the key file of one of its keys (" +
                              (keys.ok() ? KeyIdsText(*keys) : std::string("unlisted")) + ")");
  }
  auto slot = store_->Get(KeySlotKey(key->key_id));
  if (!slot.ok()) {
    if (slot.status().code() != StatusCode::kNotFound) return slot.status();
    auto keys = ListKeys();
    return PermissionDenied(
        "key file " + Quote(key->path) + " (key " + key->key_id +
        ") is not a key of the encrypted repository in " + store_->Describe() +
        " (its keys: " + (keys.ok() ? KeyIdsText(*keys) : std::string("unlisted")) +
        "); give the key file its backups were made with");
  }
  ASSIGN_OR_RETURN(master_, OpenKeySlot(*key, repository_id_, *slot, store_->Describe()));
  ASSIGN_OR_RETURN(cipher_, RepositoryCipher::FromMaster(*master_, repository_id_));
  return Status::Ok();
}

Result<Repository::PutResult> Repository::PutObject(std::string_view content,
                                                    IfPresent if_present) {
  PutResult result{ObjectIdOf(content), false, 0};
  std::string key = ObjectKeyOf(StoredNameOf(result.id));
  if (if_present != IfPresent::kAbsent) {
    ASSIGN_OR_RETURN(auto head, store_->Head(key));
    if (head) {
      if (if_present == IfPresent::kKeep) return result;
      auto existing = ReadObject(result.id);
      if (existing.ok()) return result;
      if (existing.status().code() != StatusCode::kCorruption) return existing.status();
    }
  }
  EncodedObject stored(content);
  if (cipher_) {
    size_t size = 0;
    ASSIGN_OR_RETURN(auto sealed, cipher_->SealObject(result.id, stored.pieces(), &size));
    RETURN_IF_ERROR(store_->PutDeferred(key, {std::string_view(sealed.get(), size)}));
    result.stored_bytes = size;
  } else {
    RETURN_IF_ERROR(store_->PutDeferred(key, stored.pieces()));
    result.stored_bytes = stored.size();
  }
  result.written = true;
  return result;
}

Result<Repository::ObjectContent> Repository::ReadObject(const std::string& id) {
  if (!IsObjectId(id)) return InvalidArgument("object id " + Quote(id) + " is not a SHA-256");
  auto stored = store_->Get(ObjectKeyOf(StoredNameOf(id)));
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kNotFound) {
      return NotFound("repository object " + id + " is missing from " + store_->Describe());
    }
    return stored.status();
  }
  ObjectContent object(std::move(*stored));
  std::string_view bytes = object.stored_;
  ContentCheck check = ContentCheck::kHash;
  if (cipher_) {
    // The tag binds the bytes to `id`: a SHA-256 pass would cost a restore more than the
    // decryption does, and find nothing the tag has not (docs/format/repository.md).
    ASSIGN_OR_RETURN(bytes, cipher_->OpenObject(id, object.stored_));
    check = ContentCheck::kAuthenticated;
  }
  ASSIGN_OR_RETURN(std::string_view content,
                   DecodeObjectView(bytes, id, &object.decompressed_, check));
  if (object.decompressed_.empty()) {
    object.offset_ = static_cast<size_t>(content.data() - object.stored_.data());
    object.size_ = content.size();
  }
  return object;
}

Result<bool> Repository::HasObject(const std::string& id) {
  if (!IsObjectId(id)) return InvalidArgument("object id " + Quote(id) + " is not a SHA-256");
  ASSIGN_OR_RETURN(auto head, store_->Head(ObjectKeyOf(StoredNameOf(id))));
  return head.has_value();
}

std::string Repository::StoredNameOf(const std::string& id) const {
  return cipher_ ? cipher_->StoredNameOf(id) : id;
}

namespace {

std::optional<DigestSet::Digest> DigestOfName(std::string_view name) {
  auto bytes = name.size() == 2 * sizeof(DigestSet::Digest) ? HexToBytes(name) : std::nullopt;
  if (!bytes || bytes->size() != sizeof(DigestSet::Digest)) return std::nullopt;
  DigestSet::Digest digest{};
  std::copy_n(bytes->begin(), digest.size(), digest.begin());
  return digest;
}

}  // namespace

Status Repository::StoredNames::Add(std::string_view name) {
  auto digest = DigestOfName(name);
  return digest ? names_.Add(*digest) : Status::Ok();
}

Result<bool> Repository::StoredNames::Contains(std::string_view name) const {
  auto digest = DigestOfName(name);
  if (!digest) return false;
  return names_.Contains(*digest);
}

Result<Repository::ObjectListing> Repository::ListObjects() {
  ObjectListing listing;
  listing.repository_ = this;
  RETURN_IF_ERROR(store_->ListEach("objects/", [&listing](ObjectInfo object) {
    std::string_view name = std::string_view(object.key).substr(object.key.rfind('/') + 1);
    if (IsObjectId(name) && object.key == ObjectKeyOf(name)) return listing.names_.Add(name);
    return Status::Ok();
  }));
  RETURN_IF_ERROR(listing.names_.Seal());
  return listing;
}

Status Repository::DeleteObject(const std::string& id) {
  if (!IsObjectId(id)) return InvalidArgument("object id " + Quote(id) + " is not a SHA-256");
  return store_->Delete(ObjectKeyOf(StoredNameOf(id)));
}

std::string Repository::NewSnapshotId() { return NewSnapshotId(NowMs()); }

std::string Repository::NewSnapshotId(int64_t created_ms) {
  return FormatUtcMs(created_ms, /*compact=*/true) + "-" + RandomHex(4);
}

Status Repository::PutSnapshot(const std::string& id, std::string document) {
  RETURN_IF_ERROR(CheckSnapshotId(id));
  RETURN_IF_ERROR(store_->Flush());  // the objects it names are durable before it exists
  return PutDocument(SnapshotKey(id), std::move(document)).WithContext("snapshot " + Quote(id));
}

Result<std::string> Repository::GetSnapshotText(const std::string& id) {
  RETURN_IF_ERROR(CheckSnapshotId(id));
  return GetDocument(SnapshotKey(id), "snapshot " + Quote(id) + " in " + store_->Describe());
}

Result<nlohmann::json> Repository::GetSnapshot(const std::string& id) {
  auto text = GetSnapshotText(id);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return NotFound("snapshot " + Quote(id) + " does not exist in " + store_->Describe());
    }
    return text.status();
  }
  auto damaged = [&](const std::string& what) {
    return Corruption("snapshot " + Quote(id) + " in " + store_->Describe() +
                      " is damaged: " + what);
  };
  if (!IsSealedIntact(*text)) return damaged("its checksum does not match its content");
  auto document = ParseJson(*text, "snapshot " + Quote(id) + " in " + store_->Describe());
  text->clear();
  text->shrink_to_fit();
  if (!document.ok()) return document.status();
  if (!document->is_object()) return damaged("it is not a JSON object");
  auto named = JsonFields(*document, "snapshot " + Quote(id)).String("id");
  if (!named.ok() || *named != id) return damaged("it names another snapshot id");
  return document;
}

Result<std::vector<std::string>> Repository::ListSnapshotIds() {
  ASSIGN_OR_RETURN(auto objects, store_->List("snapshots/"));
  std::vector<std::string> ids;
  for (const auto& object : objects) {
    std::string name = object.key.substr(std::string("snapshots/").size());
    if (!name.ends_with(".json")) continue;
    name.resize(name.size() - 5);
    if (CheckSnapshotId(name).ok()) ids.push_back(name);
  }
  return ids;  // List is sorted by key, and ids sort by time
}

Status Repository::DeleteSnapshot(const std::string& id) {
  RETURN_IF_ERROR(CheckSnapshotId(id));
  return store_->Delete(SnapshotKey(id));
}

Status Repository::PutDocument(const std::string& key, std::string object_text) {
  ASSIGN_OR_RETURN(std::string sealed, SealDocument(std::move(object_text)));
  if (cipher_) {
    ASSIGN_OR_RETURN(sealed, cipher_->SealDocument(key, sealed));
  }
  return store_->Put(key, sealed);
}

Result<std::string> Repository::GetDocument(const std::string& key, const std::string& what) {
  ASSIGN_OR_RETURN(std::string stored, store_->Get(key));
  if (!cipher_) return stored;
  return cipher_->OpenDocument(key, stored, what);
}

std::string Repository::NameHashOf(std::string_view purpose, std::string_view text) const {
  return cipher_ ? cipher_->NameHash(purpose, text) : ToHex(Sha256Of(text));
}

Result<std::vector<Repository::KeyInfo>> Repository::ListKeys() {
  ASSIGN_OR_RETURN(auto slots, store_->List("keys/"));
  std::vector<KeyInfo> keys;
  for (const auto& info : slots) {
    if (!IsKeySlotKey(info.key)) continue;
    std::string id = info.key.substr(5, info.key.size() - 5 - 5);
    auto slot = store_->Get(info.key);
    keys.push_back({id, slot.ok() ? KeySlotCreated(*slot) : ""});
  }
  return keys;
}

Status Repository::AddKey(const KeyFile& key) {
  if (!master_) {
    return FailedPrecondition("the backup repository in " + store_->Describe() +
                              " is not encrypted; it takes no keys");
  }
  ASSIGN_OR_RETURN(auto present, store_->Head(KeySlotKey(key.key_id)));
  if (present) {
    return AlreadyExists("key " + key.key_id + " (key file " + Quote(key.path) +
                         ") already opens the repository in " + store_->Describe());
  }
  ASSIGN_OR_RETURN(std::string slot, MakeKeySlot(key, repository_id_, *master_));
  return store_->Put(KeySlotKey(key.key_id), slot);
}

Status Repository::RemoveKey(const std::string& key_id) {
  if (!master_) {
    return FailedPrecondition("the backup repository in " + store_->Describe() +
                              " is not encrypted; it has no keys");
  }
  ASSIGN_OR_RETURN(auto keys, ListKeys());
  bool found = false;
  for (const auto& key : keys) found = found || key.key_id == key_id;
  if (!found) {
    return NotFound("the repository in " + store_->Describe() + " has no key " + Quote(key_id) +
                    " (its keys: " + KeyIdsText(keys) + ")");
  }
  if (keys.size() == 1) {
    return FailedPrecondition("key " + key_id + " is the last key of the repository in " +
                              store_->Describe() +
                              "; without it no backup there could be restored: add another "
                              "key first (strata key add)");
  }
  return store_->Delete(KeySlotKey(key_id));
}

}  // namespace strata
