// The journal of an unfinished backup (docs/format/repository.md, "Journal"): the chunks whose
// objects are all stored, so re-running the same call after a crash, kill or cancel skips them.
// Kept at journal/<key>.json where <key> hashes the call's identity; deleted once the manifest
// is written.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "repository/repository.h"

namespace strata {

struct Journal {
  std::string key;       // SHA-256 hex of the call identity
  std::string database;  // "dfs://x"
  int64_t started_ms = 0;
  std::vector<ManifestChunk> finished;
  bool operator==(const Journal&) const = default;
};

// The key of a call identity (database, method, tables, selection, options as JSON).
std::string JournalKeyOf(const nlohmann::json& identity);

nlohmann::json JournalToJson(const Journal& journal);
Result<Journal> JournalFromJson(const nlohmann::json& json);

// Reads the journal `key`; nullopt when there is none. A damaged journal is reported as
// Corruption (callers may start afresh: a journal only saves work).
Result<std::optional<Journal>> ReadJournal(ObjectStore& store, const std::string& key);
// Writes (replaces) the journal, sealed with a checksum.
Status WriteJournal(ObjectStore& store, const Journal& journal);
Status DeleteJournal(ObjectStore& store, const std::string& key);

}  // namespace strata
