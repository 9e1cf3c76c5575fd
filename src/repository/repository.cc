#include "repository/repository.h"

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
constexpr int kFormatVersion = 1;

// "2026-11-21T17:00:00.123Z", or the compact "20261121T170000123Z" for ids.
std::string UtcNow(bool compact) { return FormatUtcMs(NowMs(), compact); }

std::string SnapshotKey(const std::string& id) { return "snapshots/" + id + ".json"; }

Status CheckSnapshotId(const std::string& id) {
  bool ok = !id.empty() && id.size() <= 64;
  for (char c : id) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (!ok) return InvalidArgument("snapshot id " + Quote(id) + " is not a valid snapshot id");
  return Status::Ok();
}

// The repository id the marker text names, or why it is not a marker this strata reads.
Result<std::string> ReadMarkerId(ObjectStore* store, std::string_view marker) {
  const std::string what = std::string(kMarkerKey) + " in " + store->Describe();
  ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(marker, what));
  JsonFields fields(document, what);
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  if (format != kMarkerFormat) {
    return Corruption(what + " is not a strata repository marker (its format is " + Quote(format) +
                      "); choose a strata backup repository");
  }
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (version != kFormatVersion) {
    return Unimplemented("the repository in " + store->Describe() + " has format version " +
                         std::to_string(version) + "; this strata reads version " +
                         std::to_string(kFormatVersion) + " — upgrade strata");
  }
  ASSIGN_OR_RETURN(std::string id, fields.String("repository_id"));
  if (id.empty()) return fields.Damaged("member 'repository_id' is empty");
  return id;
}

}  // namespace

Result<std::unique_ptr<Repository>> Repository::Open(ObjectStore* store, RepositoryOpen mode) {
  auto marker = store->Get(kMarkerKey);
  if (!marker.ok() && marker.status().code() != StatusCode::kNotFound) return marker.status();
  if (!marker.ok()) {
    if (mode == RepositoryOpen::kMustExist) {
      return NotFound("there is no backup repository in " + store->Describe() + " (no " +
                      kMarkerKey + "); check the backup directory");
    }
    ASSIGN_OR_RETURN(auto existing, store->List(""));
    if (!existing.empty()) {
      return FailedPrecondition(store->Describe() +
                                " holds files but is not a strata backup "
                                "repository (no " +
                                std::string(kMarkerKey) +
                                "); choose an empty directory or an existing repository");
    }
    std::string id = NewUuid();
    nlohmann::json document = {{"format", kMarkerFormat},
                               {"version", kFormatVersion},
                               {"repository_id", id},
                               {"created", UtcNow(false)},
                               {"options", {{"object_compression", "zstd"}}}};
    RETURN_IF_ERROR(store->Put(kMarkerKey, DumpJson(document, 2) + "\n"));
    return std::unique_ptr<Repository>(new Repository(store, id));
  }
  ASSIGN_OR_RETURN(std::string id, ReadMarkerId(store, *marker));
  return std::unique_ptr<Repository>(new Repository(store, id));
}

Result<Repository::PutResult> Repository::PutObject(std::string_view content,
                                                    IfPresent if_present) {
  PutResult result{ObjectIdOf(content), false, 0};
  std::string key = ObjectKeyOf(result.id);
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
  RETURN_IF_ERROR(store_->PutDeferred(key, stored.pieces()));
  result.written = true;
  result.stored_bytes = stored.size();
  return result;
}

Result<Repository::ObjectContent> Repository::ReadObject(const std::string& id) {
  if (!IsObjectId(id)) return InvalidArgument("object id " + Quote(id) + " is not a SHA-256");
  auto stored = store_->Get(ObjectKeyOf(id));
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kNotFound) {
      return NotFound("repository object " + id + " is missing from " + store_->Describe());
    }
    return stored.status();
  }
  ObjectContent object(std::move(*stored));
  std::string_view bytes = object.stored_;
  ASSIGN_OR_RETURN(std::string_view content, DecodeObjectView(bytes, id, &object.decompressed_));
  if (object.decompressed_.empty()) {
    object.offset_ = static_cast<size_t>(content.data() - bytes.data());
  }
  return object;
}

Result<bool> Repository::HasObject(const std::string& id) {
  if (!IsObjectId(id)) return InvalidArgument("object id " + Quote(id) + " is not a SHA-256");
  ASSIGN_OR_RETURN(auto head, store_->Head(ObjectKeyOf(id)));
  return head.has_value();
}

Result<std::vector<std::string>> Repository::ListObjectIds() {
  ASSIGN_OR_RETURN(auto objects, store_->List("objects/"));
  std::vector<std::string> ids;
  for (const auto& object : objects) {
    std::string name = object.key.substr(object.key.rfind('/') + 1);
    if (IsObjectId(name) && object.key == ObjectKeyOf(name)) ids.push_back(name);
  }
  return ids;
}

Status Repository::DeleteObject(const std::string& id) {
  if (!IsObjectId(id)) return InvalidArgument("object id " + Quote(id) + " is not a SHA-256");
  return store_->Delete(ObjectKeyOf(id));
}

std::string Repository::NewSnapshotId() { return NewSnapshotId(NowMs()); }

std::string Repository::NewSnapshotId(int64_t created_ms) {
  return FormatUtcMs(created_ms, /*compact=*/true) + "-" + RandomHex(4);
}

Status Repository::PutSnapshot(const std::string& id, std::string document) {
  RETURN_IF_ERROR(CheckSnapshotId(id));
  auto sealed = SealDocument(std::move(document));
  if (!sealed.ok()) return sealed.status().WithContext("snapshot " + Quote(id));
  RETURN_IF_ERROR(store_->Flush());  // the objects it names are durable before it exists
  return store_->Put(SnapshotKey(id), std::move(*sealed));
}

Result<nlohmann::json> Repository::GetSnapshot(const std::string& id) {
  RETURN_IF_ERROR(CheckSnapshotId(id));
  auto text = store_->Get(SnapshotKey(id));
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

}  // namespace strata
