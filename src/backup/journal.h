// The journal of an unfinished backup (docs/format/repository.md, "Journal"): the chunks whose
// objects are all stored, so re-running the same call after a crash, kill or cancel skips them.
// It is a series of parts, journal/<key>/<part>.json, where <key> hashes the call's identity:
// each write adds one part holding the chunks finished since the previous one, so writing costs
// what is new rather than everything done so far. Deleted once the manifest is written.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "repository/repository.h"

namespace strata {

// One part as written, or (from ReadJournal) every intact part merged.
struct Journal {
  std::string key;       // SHA-256 hex of the call identity
  std::string database;  // "dfs://x"
  int64_t started_ms = 0;
  // Finished chunks in the order they finished; a later entry for the same (table, path)
  // supersedes an earlier one.
  std::vector<ManifestChunk> finished;
  // The number of this part; from ReadJournal, the number the next part must take.
  uint32_t part = 0;
  bool operator==(const Journal&) const = default;
};

// The key of a call identity (database, method, tables, selection, options as JSON) in
// `repository` (a keyed hash in an encrypted one).
std::string JournalKeyOf(const Repository& repository, const nlohmann::json& identity);

// A part's document text (unsealed) and its parsed form.
std::string JournalPartToText(const Journal& part);
Result<Journal> JournalPartFromJson(const nlohmann::json& json);

// What ReadJournal does with a damaged part.
enum class DamagedPart : uint8_t {
  kSkip,  // a re-run: its chunks are copied again (a journal only saves work)
  kFail,  // prune: the objects it names are unknown, so Corruption naming the part
};
// The finished chunks a re-run takes from its journal, at most (about 25 MiB): those of the
// first parts, whole parts only. A re-run does not copy the others again either: their objects
// are found in the repository (docs/backup.md, "Resuming").
inline constexpr size_t kJournalChunksKept = size_t{1} << 16;

// The intact parts of the journal `key`, merged, up to the first part that would take the
// chunks past `max_chunks` (the part number is still that of the whole journal); nullopt when
// there is none. A part that cannot be read is an error (never skipped: prune must not mistake
// it for an absent one).
Result<std::optional<Journal>> ReadJournal(Repository& repository, const std::string& key,
                                           DamagedPart damaged = DamagedPart::kSkip,
                                           size_t max_chunks = kJournalChunksKept);
// Calls `each` with every intact part of the journal `key`, in order, holding one at a time;
// `damaged` as ReadJournal. Whether there was any part at all.
Result<bool> ForEachJournalPart(Repository& repository, const std::string& key, DamagedPart damaged,
                                const std::function<Status(Journal part)>& each);
// Keys of every journal in the store.
Result<std::vector<std::string>> ListJournalKeys(Repository& repository);
// Flushes the store, so every object put before is durable, then writes `part` (its chunks,
// as part number part.part), sealed with a checksum.
Status WriteJournalPart(Repository& repository, const Journal& part);
// Deletes every part of the journal `key`.
Status DeleteJournal(Repository& repository, const std::string& key);

}  // namespace strata
