#include "backup/head_ref.h"

#include "base/hash.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "repository/sealed_document.h"

namespace strata {

namespace {

constexpr const char* kHeadFormat = "strata-head";
constexpr int64_t kHeadVersion = 1;

std::string HeadKey(const std::string& database) {
  return "heads/" + ToHex(Sha256Of(database)) + ".json";
}

}  // namespace

Status WriteHeadRef(ObjectStore& store, const std::string& database,
                    const std::string& snapshot_id) {
  nlohmann::json document = {{"format", kHeadFormat},
                             {"version", kHeadVersion},
                             {"database", database},
                             {"snapshot", snapshot_id}};
  ASSIGN_OR_RETURN(std::string sealed, SealDocument(DumpJson(document)));
  return store.Put(HeadKey(database), std::move(sealed));
}

Status DeleteHeadRef(ObjectStore& store, const std::string& database) {
  return store.Delete(HeadKey(database));
}

Result<std::optional<std::string>> ReadHeadRef(ObjectStore& store, const std::string& database) {
  const std::string key = HeadKey(database);
  auto text = store.Get(key);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return text.status();
  }
  auto damaged = [&](const std::string& what) {
    return Corruption("the head record " + Quote(key) + " of " + Quote(database) + " in " +
                      store.Describe() + " is damaged: " + what);
  };
  if (!IsSealedIntact(*text)) return damaged("its checksum does not match its content");
  auto document = ParseJson(*text, "the head record " + Quote(key));
  if (!document.ok()) return damaged(document.status().message());
  JsonFields fields(*document, "the head record");
  auto format = fields.String("format");
  if (!format.ok() || *format != kHeadFormat) return damaged("it is not a head record");
  auto version = fields.Int("version");
  if (!version.ok() || *version != kHeadVersion) {
    return damaged("its version is not " + std::to_string(kHeadVersion));
  }
  auto db = fields.String("database");
  if (!db.ok() || *db != database) return damaged("it names another database");
  auto snapshot = fields.String("snapshot");
  if (!snapshot.ok()) return damaged("it names no snapshot");
  return std::optional<std::string>(std::move(*snapshot));
}

}  // namespace strata
