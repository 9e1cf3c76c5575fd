#include "backup/head_ref.h"

#include <nlohmann/json.hpp>

#include "base/hash.h"
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
  return store.Put(HeadKey(database), SealDocument(document.dump()));
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
  auto document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return damaged("it is not a JSON object");
  auto field = [&](const char* name) -> const nlohmann::json* {
    auto it = document.find(name);
    return it == document.end() ? nullptr : &*it;
  };
  const nlohmann::json* format = field("format");
  const nlohmann::json* db = field("database");
  const nlohmann::json* snapshot = field("snapshot");
  const nlohmann::json* version = field("version");
  if (format == nullptr || *format != kHeadFormat) return damaged("it is not a head record");
  if (version == nullptr || *version != kHeadVersion) {
    return damaged("its version is not " + std::to_string(kHeadVersion));
  }
  if (db == nullptr || !db->is_string() || db->get<std::string>() != database) {
    return damaged("it names another database");
  }
  if (snapshot == nullptr || !snapshot->is_string()) return damaged("it names no snapshot");
  return std::optional<std::string>(snapshot->get<std::string>());
}

}  // namespace strata
