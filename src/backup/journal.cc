#include "backup/journal.h"

#include <cstdio>

#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "repository/sealed_document.h"

namespace strata {

namespace {

constexpr const char* kJournalFormat = "strata-journal";
constexpr int kJournalVersion = 1;
constexpr const char* kJournalPrefix = "journal/";

std::string JournalPrefix(const std::string& key) { return kJournalPrefix + key + "/"; }

// Part numbers are zero-padded so key order is part order.
std::string PartKey(const std::string& key, uint32_t part) {
  char name[16];
  std::snprintf(name, sizeof(name), "%010u", part);
  return JournalPrefix(key) + name + ".json";
}

// The part number of "journal/<key>/<part>.json", or nullopt for any other key.
std::optional<uint32_t> PartNumberOf(const std::string& object_key, const std::string& key) {
  std::string prefix = JournalPrefix(key);
  if (!object_key.starts_with(prefix) || !object_key.ends_with(".json")) return std::nullopt;
  std::string digits = object_key.substr(prefix.size(), object_key.size() - prefix.size() - 5);
  if (digits.size() != 10 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  uint64_t number = std::stoull(digits);
  if (number > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(number);
}

// The part numbered `number` of journal `key`, from its stored text; an error saying what is
// wrong with it.
Result<Journal> ParsePart(const std::string& text, const std::string& key, uint32_t number) {
  if (!IsSealedIntact(text)) return Corruption("its checksum does not match");
  ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(text, "backup journal part"));
  ASSIGN_OR_RETURN(Journal part, JournalPartFromJson(document));
  if (part.key != key || part.part != number) {
    return Corruption("it names another journal or part");
  }
  return part;
}

}  // namespace

std::string JournalKeyOf(const Repository& repository, const nlohmann::json& identity) {
  return repository.NameHashOf("journal", DumpJson(identity));
}

std::string JournalPartToText(const Journal& part) {
  nlohmann::json head = {{"format", kJournalFormat},
                         {"version", kJournalVersion},
                         {"key", part.key},
                         {"database", part.database},
                         {"started", FormatUtcMs(part.started_ms)},
                         {"part", part.part}};
  return WithChunkArray(head, "finished", part.finished);
}

Result<Journal> JournalPartFromJson(const nlohmann::json& json) {
  JsonFields fields(json, "backup journal part");
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  if (format != kJournalFormat) return fields.Damaged("format is " + Quote(format));
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (version != kJournalVersion) return fields.Damaged("version is " + std::to_string(version));
  Journal journal;
  ASSIGN_OR_RETURN(journal.key, fields.String("key"));
  ASSIGN_OR_RETURN(journal.database, fields.String("database"));
  ASSIGN_OR_RETURN(journal.started_ms, fields.Time("started"));
  ASSIGN_OR_RETURN(int64_t part, fields.Int("part"));
  if (part < 0 || part > UINT32_MAX) return fields.Damaged("part is out of range");
  journal.part = static_cast<uint32_t>(part);
  ASSIGN_OR_RETURN(const nlohmann::json* finished, fields.Array("finished"));
  for (const auto& c : *finished) {
    ASSIGN_OR_RETURN(ManifestChunk chunk, ManifestChunkFromJson(c, "backup journal"));
    journal.finished.push_back(std::move(chunk));
  }
  return journal;
}

namespace {

// ForEachJournalPart over `objects`, the listing of the journal's prefix, while `each` says to
// go on.
Result<bool> ForEachListedPart(Repository& repository, const std::string& key,
                               const std::vector<ObjectInfo>& objects, DamagedPart damaged,
                               const std::function<Result<bool>(Journal part)>& each) {
  bool any = false;
  for (const auto& info : objects) {  // sorted by key: part order
    std::optional<uint32_t> number = PartNumberOf(info.key, key);
    if (!number) continue;
    any = true;
    auto text = repository.GetDocument(info.key, "backup journal part " + Quote(info.key));
    if (!text.ok() && text.status().code() == StatusCode::kNotFound) continue;  // deleted
    if (!text.ok() && text.status().code() != StatusCode::kCorruption) return text.status();
    auto part = text.ok() ? ParsePart(*text, key, *number) : Result<Journal>(text.status());
    if (!part.ok()) {
      if (damaged == DamagedPart::kSkip) continue;
      return Corruption("backup journal part " + Quote(info.key) + " is damaged (" +
                        part.status().message() + ")");
    }
    ASSIGN_OR_RETURN(bool go_on, each(std::move(*part)));
    if (!go_on) break;
  }
  return any;
}

}  // namespace

Result<bool> ForEachJournalPart(Repository& repository, const std::string& key, DamagedPart damaged,
                                const std::function<Status(Journal part)>& each) {
  ASSIGN_OR_RETURN(auto objects, repository.store().List(JournalPrefix(key)));
  return ForEachListedPart(repository, key, objects, damaged,
                           [&each](Journal part) -> Result<bool> {
                             RETURN_IF_ERROR(each(std::move(part)));
                             return true;
                           });
}

Result<std::optional<Journal>> ReadJournal(Repository& repository, const std::string& key,
                                           DamagedPart damaged, size_t max_chunks) {
  // The part number comes from the names, so a re-run never writes over a part it skipped.
  ASSIGN_OR_RETURN(auto objects, repository.store().List(JournalPrefix(key)));
  std::optional<Journal> merged;
  for (const auto& info : objects) {
    std::optional<uint32_t> number = PartNumberOf(info.key, key);
    if (!number) continue;
    if (!merged) merged = Journal{key, "", 0, {}, 0};
    merged->part = std::max(merged->part, *number + 1);
  }
  if (!merged) return merged;
  RETURN_IF_ERROR(
      ForEachListedPart(repository, key, objects, damaged, [&](Journal part) -> Result<bool> {
        if (merged->database.empty()) {
          merged->database = part.database;
          merged->started_ms = part.started_ms;
        }
        if (merged->finished.size() + part.finished.size() > max_chunks) return false;
        for (auto& c : part.finished) merged->finished.push_back(std::move(c));
        return true;
      }).status());
  return merged;
}

Result<std::vector<std::string>> ListJournalKeys(Repository& repository) {
  ASSIGN_OR_RETURN(auto objects, repository.store().List(kJournalPrefix));
  std::vector<std::string> keys;
  for (const auto& info : objects) {
    std::string rest = info.key.substr(std::string(kJournalPrefix).size());
    size_t slash = rest.find('/');
    if (slash == std::string::npos) continue;
    std::string key = rest.substr(0, slash);
    if (keys.empty() || keys.back() != key) keys.push_back(key);
  }
  return keys;
}

Status WriteJournalPart(Repository& repository, const Journal& part) {
  // The objects the part names are durable before it exists.
  RETURN_IF_ERROR(repository.store().Flush());
  return repository.PutDocument(PartKey(part.key, part.part), JournalPartToText(part));
}

Status DeleteJournal(Repository& repository, const std::string& key) {
  ASSIGN_OR_RETURN(auto objects, repository.store().List(JournalPrefix(key)));
  std::vector<std::string> keys;
  for (const auto& info : objects) keys.push_back(info.key);
  return repository.store().DeleteMany(keys);
}

}  // namespace strata
