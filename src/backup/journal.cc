#include "backup/journal.h"

#include "backup/json_fields.h"
#include "base/hash.h"
#include "base/strings.h"
#include "base/utc_time.h"

namespace strata {

namespace {

constexpr const char* kJournalFormat = "strata-journal";
constexpr int kJournalVersion = 1;

std::string JournalObjectKey(const std::string& key) { return "journal/" + key + ".json"; }

}  // namespace

std::string JournalKeyOf(const nlohmann::json& identity) {
  return ToHex(Sha256Of(identity.dump()));
}

nlohmann::json JournalToJson(const Journal& journal) {
  nlohmann::json finished = nlohmann::json::array();
  for (const auto& c : journal.finished) finished.push_back(ManifestChunkToJson(c));
  return {{"format", kJournalFormat},
          {"version", kJournalVersion},
          {"key", journal.key},
          {"database", journal.database},
          {"started", FormatUtcMs(journal.started_ms)},
          {"finished", std::move(finished)}};
}

Result<Journal> JournalFromJson(const nlohmann::json& json) {
  JsonFields fields(json, "backup journal");
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  if (format != kJournalFormat) return fields.Damaged("format is " + Quote(format));
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (version != kJournalVersion) return fields.Damaged("version is " + std::to_string(version));
  Journal journal;
  ASSIGN_OR_RETURN(journal.key, fields.String("key"));
  ASSIGN_OR_RETURN(journal.database, fields.String("database"));
  ASSIGN_OR_RETURN(journal.started_ms, fields.Time("started"));
  ASSIGN_OR_RETURN(const nlohmann::json* finished, fields.Array("finished"));
  for (const auto& c : *finished) {
    ASSIGN_OR_RETURN(ManifestChunk chunk, ManifestChunkFromJson(c, "backup journal"));
    journal.finished.push_back(std::move(chunk));
  }
  return journal;
}

Result<std::optional<Journal>> ReadJournal(ObjectStore& store, const std::string& key) {
  auto text = store.Get(JournalObjectKey(key));
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return std::optional<Journal>();
    return text.status();
  }
  auto document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("checksum") ||
      document["checksum"] != DocumentChecksum(document)) {
    return Corruption("backup journal " + Quote(key) + " in " + store.Describe() +
                      " is damaged (checksum mismatch)");
  }
  ASSIGN_OR_RETURN(Journal journal, JournalFromJson(document));
  if (journal.key != key) return Corruption("backup journal " + Quote(key) + " names another key");
  return std::optional<Journal>(std::move(journal));
}

Status WriteJournal(ObjectStore& store, const Journal& journal) {
  nlohmann::json document = JournalToJson(journal);
  document["checksum"] = DocumentChecksum(document);
  return store.Put(JournalObjectKey(journal.key), document.dump() + "\n");
}

Status DeleteJournal(ObjectStore& store, const std::string& key) {
  return store.Delete(JournalObjectKey(key));
}

}  // namespace strata
