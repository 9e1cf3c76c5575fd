// Snapshot manifests (docs/format/repository.md, "Snapshot manifests"): the complete logical
// description of one database as one backup call saw it — source, scheme, tables, and per
// chunk the objects holding its rows. Plain values; JSON conversion validates every field so
// a damaged or foreign document is reported as Corruption naming what is wrong.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/records.h"

namespace strata {

enum class BackupMethod : uint8_t { kFiles, kSql };
const char* BackupMethodName(BackupMethod method);  // "files" / "sql"

// One object of a chunk: a segment file, by content hash.
struct ManifestObject {
  std::string id;  // SHA-256 hex of the segment bytes
  uint64_t rows = 0;
  uint64_t bytes = 0;  // content size (before repository compression)
  bool operator==(const ManifestObject&) const = default;
};

struct ManifestChunk {
  std::string table;
  std::string path;  // "/20170807/0_50"
  std::string chunk_id;
  int64_t cid = 0;
  int64_t update_time_ms = 0;
  uint64_t rows = 0;
  std::vector<ManifestObject> objects;  // in row order
  // SQL mode: every where condition of the query held for every row of the chunk (its
  // partition proves them), so the objects hold all of the chunk's rows in the query's columns,
  // and a later query that also selects the whole chunk may reuse them.
  bool whole = false;
  uint64_t bytes() const;
  bool operator==(const ManifestChunk&) const = default;
};

struct ManifestTable {
  std::string name;
  std::string physical_index;
  Schema schema;
  std::vector<std::string> partition_columns;
  // The table's own layout (TableRecord), null when the database's scheme lays it out.
  nlohmann::json scheme;
  nlohmann::json definition;
  bool operator==(const ManifestTable&) const = default;
  // Same rows in the same chunks: all but the layout, which ADD/DROP PARTITION changes without
  // touching the chunks that remain.
  bool SameRowsAs(const ManifestTable& other) const {
    return name == other.name && physical_index == other.physical_index && schema == other.schema &&
           partition_columns == other.partition_columns &&
           scheme.is_null() == other.scheme.is_null();
  }
};

// Where a version-2 manifest's chunk entries are (chunk_tree.h): the root node object of a tree
// of content-addressed nodes shared with other snapshots, and what the tree holds in total.
struct ChunkTreeRef {
  std::string root;    // the root node's object id; empty for a snapshot without chunks
  int64_t height = 0;  // levels of nodes: 0 without chunks, 1 when the root is a leaf
  uint64_t chunks = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  bool operator==(const ChunkTreeRef&) const = default;
};

// Which data directory and database a snapshot's `source_cid` is a commit of, and what the
// snapshot holds of the database at that commit (docs/format/repository.md, "Source"). A
// backup edits its head by the chunks changed since only when the head's origin is its own.
struct ManifestOrigin {
  std::string data_directory;  // Engine::DataDirectoryId; empty when unknown (older manifests)
  int64_t database_id = 0;
  int64_t commit_ms = 0;  // when source_cid was committed: a copied data directory that went
                          // its own way has other commits under the same cids
  bool complete = false;  // every chunk of every table at source_cid is in the snapshot at
                          // that version, its objects stored
  bool exact = false;     // complete, and the snapshot holds nothing else
  bool operator==(const ManifestOrigin&) const = default;
};

struct Manifest {
  std::string id;
  std::optional<std::string> parent;
  int64_t created_ms = 0;
  BackupMethod method = BackupMethod::kFiles;
  std::optional<std::string> label;
  // Source database as pinned.
  std::string database;
  std::string engine = "OLAP";
  std::string atomic = "TRANS";
  ChunkGranularity granularity = ChunkGranularity::kTable;
  nlohmann::json scheme;
  int64_t source_cid = 0;
  ManifestOrigin origin;
  std::vector<ManifestTable> tables;
  std::vector<ManifestChunk> chunks;  // ordered by (table, path)
  std::string sql;                    // the query, for method sql
  // Version 2 (every manifest strata writes now): the tree `chunks` is stored in. Empty for a
  // version-1 manifest, which lists its chunks itself.
  ChunkTreeRef tree;

  const ManifestTable* FindTable(const std::string& name) const;
  // The number of chunks and their rows: the tree's totals, or for a version-1 manifest the
  // sums over `chunks` (right also when a version-2 manifest's chunks were not read).
  uint64_t chunk_count() const;
  uint64_t row_count() const;
  bool operator==(const Manifest&) const = default;
};

// One chunk entry (shared with the journal); `what` names the document in messages.
nlohmann::json ManifestChunkToJson(const ManifestChunk& chunk);
Result<ManifestChunk> ManifestChunkFromJson(const nlohmann::json& json, const std::string& what);
// The text of `head` (a JSON object) with one more member, `member`: the chunk entries,
// serialized one at a time so a document of many thousand objects is never a JSON tree.
std::string WithChunkArray(const nlohmann::json& head, const char* member,
                           std::span<const ManifestChunk> chunks);

// The version-2 document's text, without the checksum (Repository::PutSnapshot seals it): all
// but `chunks`, which `tree` (already stored: WriteChunkTree) holds.
std::string ManifestToText(const Manifest& manifest);
// Reads a (verified) document; Corruption naming the field that is missing or malformed. A
// version-1 document comes with its `chunks`; a version-2 one with `tree` set and `chunks`
// still to be read from it (LoadManifest does both).
Result<Manifest> ManifestFromJson(const nlohmann::json& json);
// Corruption naming the first of `manifest`'s chunks that names a table it lacks.
Status CheckChunksOfTables(const Manifest& manifest);

}  // namespace strata
