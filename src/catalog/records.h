// Catalog records: the metadata rows Strata keeps in SQLite, as plain structs, with their
// encodings for the columns that hold structured data (schemas and segment lists as JSON).
// Format: docs/format/catalog.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "types/table.h"

namespace strata {

enum class ChunkGranularity : uint8_t { kTable, kDatabase };
const char* ChunkGranularityName(ChunkGranularity granularity);  // "TABLE" / "DATABASE"

// A database. Visible to snapshots with created_cid <= cid < dropped_cid (0 = not dropped).
struct DatabaseRecord {
  int64_t id = 0;
  std::string name;       // "dfs://compoDB"
  nlohmann::json scheme;  // PartitionScheme::ToJson
  std::string engine = "OLAP";
  std::string atomic = "TRANS";
  ChunkGranularity granularity = ChunkGranularity::kTable;
  int64_t created_cid = 0;
  int64_t dropped_cid = 0;
  // The newest commit that dropped a table of the database, or at which the catalog began
  // logging its chunk deletions (chunk_removals, format 7): a backup edits its head by what
  // changed since only when its head is newer (backup_plan.h).
  int64_t removed_cid = 0;
  bool operator==(const DatabaseRecord&) const = default;
};

// "shop" for the database "dfs://shop" (the name Doris users write); other names as they are.
std::string DatabaseShortName(const std::string& name);

// A table of a database. Partitioned tables list one partition column per level of their
// scheme (the table's own when set, else the database's); dimension tables (createTable)
// list none and keep all rows in the chunk at path "/".
struct TableRecord {
  int64_t id = 0;
  int64_t db_id = 0;
  std::string name;
  std::string physical_index;  // short opaque id, unique in the database: "9m9"
  Schema schema;
  std::vector<std::string> partition_columns;
  int64_t created_cid = 0;
  int64_t dropped_cid = 0;
  // The table's own layout, versioned by cid (a snapshot sees the one of its cid). Null for
  // tables laid out by their database's scheme (every script-made table).
  nlohmann::json scheme;      // PartitionScheme::ToJson: the table's own partition scheme
  nlohmann::json definition;  // the SQL front end's table definition, opaque below it
  bool operator==(const TableRecord&) const = default;
};

// How a table of `schema` partitioned by `partition_columns` differs from `other`'s (named
// `other_name` in the text) in what its rows look like, as the rest of a sentence that names
// the table: " has 3 columns but <other_name> has 4", ": column 2 is 'a' INT but <other_name>
// has 'b' LONG", " is partitioned by [a] but <other_name> by [b]"; nullopt if the columns (names,
// types, order) and partition columns are the same. Restores check a target table with it before
// they install rows into it.
std::optional<std::string> TableShapeDifference(const Schema& schema,
                                                const std::vector<std::string>& partition_columns,
                                                const Schema& other_schema,
                                                const std::vector<std::string>& other_columns,
                                                const std::string& other_name);

// One segment file of a chunk version. `table_id` says whose rows it holds (needed for
// DATABASE-granularity chunks, which hold every table's rows of a partition).
struct SegmentEntry {
  std::string id;  // SHA-256 hex
  int64_t table_id = 0;
  uint64_t rows = 0;
  uint64_t size_bytes = 0;
  bool operator==(const SegmentEntry&) const = default;
};

// One version of a chunk, made by the commit `cid` at `update_time_ms` (ms since the epoch).
struct ChunkVersionRecord {
  std::string chunk_id;  // UUID
  int64_t db_id = 0;
  int64_t table_id = 0;  // 0 for DATABASE granularity
  std::string path;      // partition path "/20170807/0_50" ("/" for a dimension table)
  int64_t cid = 0;
  int64_t update_time_ms = 0;
  uint64_t rows = 0;
  bool deleted = false;
  std::vector<SegmentEntry> segments;
  bool operator==(const ChunkVersionRecord&) const = default;
};

struct UserRecord {
  std::string name;
  std::string salt;  // raw bytes
  std::string hash;  // raw bytes, PBKDF2-HMAC-SHA256
  int64_t iterations = 0;
  bool is_admin = false;
  // SHA1(SHA1(password)), 20 bytes: what the MySQL protocol's mysql_native_password checks a
  // login against (docs/server.md); empty for a user whose password predates catalog version 3
  // until it is next checked in clear or set.
  std::string native_verifier;
  bool operator==(const UserRecord&) const = default;
};

// A user's access to one database. `database` is a "dfs://..." name, or "*" for every
// database; it need not exist (grants may precede the database, and outlive it).
struct GrantRecord {
  std::string user;
  std::string database;
  std::string access;  // "DB_READ" or "DB_WRITE"
  bool operator==(const GrantRecord&) const = default;
};

// A scheduled job (the script's scheduleJob): when it runs, as whom, and what. Its function is
// kept as script text whose value is the function, the `def` functions it may call first.
struct ScheduleRecord {
  std::string id;            // unique
  std::string user;          // who scheduled it; runs act as this user
  std::string description;   // jobDesc
  std::string script;        // evaluates to the job function (a function of no arguments)
  std::vector<int> minutes;  // times of day in minutes after midnight UTC, ascending
  int64_t start_day = 0;     // first and last day the job runs (days since 1970-01-01)
  int64_t end_day = 0;
  std::string frequency;  // "D" daily, "W" weekly, "M" monthly
  std::vector<int> days;  // W: weekdays 0 (Sunday) to 6; M: days of the month 1 to 31
  int64_t create_ms = 0;
  int64_t last_slot_ms = 0;  // the last time slot run or passed over (0: none yet)
  bool operator==(const ScheduleRecord&) const = default;
};

// A background or foreground job (backup, restore), persisted so history survives restarts.
struct JobRecord {
  std::string id;        // unique job id
  std::string kind;      // BACKUP_BY_COPY_FILE, BACKUP_BY_SQL, RESTORE_BY_COPY_FILE,
                         // RESTORE_BY_SQL, or other kinds (free text)
  std::string user;      // who started it
  std::string database;  // "dfs://x" or empty
  std::string table;     // table name(s), comma separated, or empty
  std::string label;     // free text (Doris label / job description)
  std::string state;     // "running", "finished", "failed", "cancelled", "interrupted"
  int64_t start_ms = 0;
  int64_t end_ms = 0;       // 0 while running
  int64_t total_units = 0;  // partitions
  int64_t done_units = 0;
  int64_t total_bytes = 0;
  int64_t done_bytes = 0;
  std::string error;   // message when failed
  std::string result;  // JSON text of the result value, free form
  // JSON text of what the front end that started the job keeps with it (Doris: repository,
  // snapshot label, backed-up objects), or empty.
  std::string details;
  // JSON text [["<table>", <total units>, <done units>], ...] of a job that reports its tables
  // (backups and restores), or empty.
  std::string table_progress;
  bool operator==(const JobRecord&) const = default;
};

// A repository registered by CREATE REPOSITORY (Doris SQL): where backups go, under a name.
// `properties` are as given, secrets included: they stay in the catalog and are never shown.
struct RepositoryRecord {
  int64_t id = 0;
  std::string name;
  std::string type;      // "S3" or "LOCAL"
  std::string location;  // "s3://bucket/prefix" or "file:///path"
  bool read_only = false;
  std::vector<std::pair<std::string, std::string>> properties;  // in the order given
  int64_t create_ms = 0;
  bool operator==(const RepositoryRecord&) const = default;
};

nlohmann::json SchemaToJson(const Schema& schema);
Result<Schema> SchemaFromJson(const nlohmann::json& json);
nlohmann::json SegmentsToJson(const std::vector<SegmentEntry>& segments);
Result<std::vector<SegmentEntry>> SegmentsFromJson(const nlohmann::json& json);

}  // namespace strata
