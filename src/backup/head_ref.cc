#include "backup/head_ref.h"

#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "repository/sealed_document.h"

namespace strata {

namespace {

constexpr const char* kHeadFormat = "strata-head";
constexpr int64_t kHeadVersion = 1;

std::string HeadKey(const Repository& repository, const std::string& database) {
  return "heads/" + repository.NameHashOf("head", database) + ".json";
}

}  // namespace

Status WriteHeadRef(Repository& repository, const std::string& database,
                    const std::string& snapshot_id) {
  nlohmann::json document = {{"format", kHeadFormat},
                             {"version", kHeadVersion},
                             {"database", database},
                             {"snapshot", snapshot_id}};
  return repository.PutDocument(HeadKey(repository, database), DumpJson(document));
}

Status DeleteHeadRef(Repository& repository, const std::string& database) {
  return repository.store().Delete(HeadKey(repository, database));
}

Result<std::optional<std::string>> ReadHeadRef(Repository& repository,
                                               const std::string& database) {
  const std::string key = HeadKey(repository, database);
  const std::string named = "the head record " + Quote(key) + " of " + Quote(database) + " in " +
                            repository.store().Describe();
  auto text = repository.GetDocument(key, named);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return text.status();
  }
  auto damaged = [&](const std::string& what) {
    return Corruption(named + " is damaged: " + what);
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
