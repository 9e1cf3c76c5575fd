// Catalog: all of Strata's metadata in one SQLite file (WAL mode, synchronous=FULL) —
// databases, tables, chunks and their versions, commits, users, grants, jobs, schedules and
// settings.
// Reads go through their own connection and see only committed state; every read of versioned
// data takes an `as_of_cid` so a pinned snapshot sees exactly what was committed at or below it
// (MVCC); users, grants, jobs and settings are not versioned. Writes happen in one Transaction
// at a time; callers serialize them (the engine's writer lock). The reads each statement makes
// are answered from memory until a commit changes their area (catalog/read_cache.h).
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "catalog/read_cache.h"
#include "catalog/records.h"
#include "catalog/sqlite_db.h"

namespace strata {

class Catalog {
 public:
  // Opens or creates the catalog at `path`, applying the schema. IoError/Corruption naming the
  // file when it cannot be opened or has an unknown format version.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path);

  // ---- reads (committed state) ----
  // The newest committed cid (0 in a fresh catalog).
  Result<int64_t> LastCid();
  Result<std::optional<DatabaseRecord>> FindDatabase(std::string_view name, int64_t as_of_cid);
  Result<std::vector<DatabaseRecord>> ListDatabases(int64_t as_of_cid);
  Result<std::optional<TableRecord>> FindTable(int64_t db_id, std::string_view name,
                                               int64_t as_of_cid);
  Result<std::vector<TableRecord>> ListTables(int64_t db_id, int64_t as_of_cid);
  // For every chunk of the database (of one table if `table_id` is set), its newest version at
  // or below `as_of_cid`, ordered by path. Deleted versions are included only if asked.
  struct ChunkQuery {
    int64_t db_id = 0;
    std::optional<int64_t> table_id;
    int64_t as_of_cid = 0;
    bool include_deleted = false;
    // Only the chunks whose path p has first <= p < second (bytewise), found through the
    // index by path: a restore of a few partitions reads those, not the table.
    std::optional<std::pair<std::string, std::string>> paths;
    // A page: only chunks whose path is greater than `after_path`, and at most `limit` of
    // them (0: all). Pages follow the path order, so a query that pages names a table_id (one
    // chunk per path).
    std::optional<std::string> after_path;
    size_t limit = 0;
  };
  Result<std::vector<ChunkVersionRecord>> ListChunkVersions(const ChunkQuery& query);
  // The same for the chunks with a version committed after `after_cid` (up to the query's
  // as_of_cid) only: the cost follows what changed since, not the size of the database.
  Result<std::vector<ChunkVersionRecord>> ListChunkVersionsChangedSince(const ChunkQuery& query,
                                                                        int64_t after_cid);
  // The chunk deletions of database `db_id` committed after `after_cid` up to `as_of_cid`, by
  // (table, path), then cid: kept when a prune forgets the chunk (chunk_removals).
  struct ChunkRemoval {
    int64_t table_id = 0;
    std::string path;
    int64_t cid = 0;
  };
  Result<std::vector<ChunkRemoval>> ListChunkRemovals(int64_t db_id, int64_t after_cid,
                                                      int64_t as_of_cid);
  // When commit `cid` was made; NotFound if the catalog has no such commit.
  Result<int64_t> CommitTimeMs(int64_t cid);
  // The ids of every chunk, of live and dropped databases alike.
  Result<std::vector<std::string>> AllChunkIds();
  // Every segment id some remaining chunk version references (read from the versions).
  Result<std::vector<std::string>> ReferencedSegmentIds();
  // Whether some chunk version references the segment, by its count in segment_refs (kept
  // with the versions: one per occurrence in a version's segment list).
  Result<bool> SegmentReferenced(const std::string& segment_id);
  // Every count of segment_refs, by segment id.
  Result<std::vector<std::pair<std::string, int64_t>>> SegmentRefs();
  Result<std::optional<UserRecord>> FindUser(std::string_view name);
  Result<std::vector<UserRecord>> ListUsers();
  Result<std::optional<std::string>> GetSetting(std::string_view key);
  // The grants of `user` (none for an unknown user), ordered by database, then access.
  Result<std::vector<GrantRecord>> ListGrants(std::string_view user);
  // Every job record, ordered by start_ms, then id.
  Result<std::vector<JobRecord>> ListJobs();
  Result<std::optional<JobRecord>> FindJob(std::string_view id);
  // Scheduled jobs, ordered by id.
  Result<std::vector<ScheduleRecord>> ListSchedules();
  // Registered repositories, ordered by id (creation order).
  Result<std::vector<RepositoryRecord>> ListRepositories();
  Result<std::optional<RepositoryRecord>> FindRepository(std::string_view name);

  // ---- writes ----
  class Transaction {
   public:
    ~Transaction();  // rolls back unless committed
    // Allocates the next cid; every record this transaction writes uses it.
    Result<int64_t> AllocateCid(int64_t time_ms, std::string_view description);
    Result<int64_t> InsertDatabase(const DatabaseRecord& record);
    Status UpdateDatabaseScheme(int64_t db_id, const nlohmann::json& scheme);
    Status MarkDatabaseDropped(int64_t db_id, int64_t cid);
    // Inserts the table; its layout (scheme, definition) too when the record has one.
    Result<int64_t> InsertTable(const TableRecord& record);
    // Gives the table a new layout from commit `cid` on; snapshots before it keep the old one.
    Status SetTableLayout(int64_t table_id, int64_t cid, const nlohmann::json& scheme,
                          const nlohmann::json& definition);
    Status MarkTableDropped(int64_t table_id, int64_t cid);
    // The chunk id of (db, table, path), creating the chunk with a new UUID if it has none.
    Result<std::string> ChunkIdFor(int64_t db_id, int64_t table_id, std::string_view path);
    Status InsertChunkVersion(const ChunkVersionRecord& record);
    // Deletes versions of `chunk_ids` that neither are the newest of their chunk nor are the
    // newest at or below one of `pinned_cids`; drops chunks whose newest version is a
    // deletion nobody pins. Dropped tables/databases that no pin can see go too. Segments
    // that no version references any more are added to `released` (when given).
    Status PruneVersions(const std::vector<std::string>& chunk_ids,
                         const std::vector<int64_t>& pinned_cids,
                         std::vector<std::string>* released = nullptr);
    // Counts segment_refs afresh from the versions (a full garbage collection does).
    Status RecountSegmentRefs();
    Status UpsertUser(const UserRecord& user);
    // Deletes the user and every grant they hold.
    Status DeleteUser(std::string_view name);
    // Users, grants and jobs are not versioned: these writes need no cid.
    // Adds the grant; a grant that already exists is left as it is.
    Status InsertGrant(const GrantRecord& grant);
    // Removes the grant; removing one that does not exist is not an error.
    Status DeleteGrant(const GrantRecord& grant);
    // Inserts the job, or replaces the record with the same id.
    Status UpsertJob(const JobRecord& job);
    // Inserts the schedule, or replaces the record with the same id.
    Status UpsertSchedule(const ScheduleRecord& schedule);
    // Sets the last slot of schedule `id`; nothing when it has been deleted.
    Status SetScheduleSlot(std::string_view id, int64_t last_slot_ms);
    // Removes the schedule; removing one that does not exist is not an error.
    Status DeleteSchedule(std::string_view id);
    // Registers a repository (its name unused: AlreadyExists otherwise); returns its id.
    Result<int64_t> InsertRepository(const RepositoryRecord& repository);
    Status DeleteRepository(std::string_view name);
    Status SetSetting(std::string_view key, std::string_view value);
    // Commits and releases the writer; the transaction must not be used afterwards.
    Status Commit();

   private:
    friend class Catalog;
    Transaction(Catalog* catalog, std::unique_lock<std::mutex> lock)
        : catalog_(catalog), lock_(std::move(lock)) {}
    Catalog* catalog_;
    std::unique_lock<std::mutex> lock_;  // holds catalog_->write_mutex_
    bool done_ = false;
    unsigned touched_ = 0;  // the CatalogArea bits written, for the read cache
  };
  // Starts a write transaction (BEGIN IMMEDIATE); blocks while another one is open.
  Result<std::unique_ptr<Transaction>> Begin();

 private:
  Catalog(std::unique_ptr<SqliteDb> writer, std::unique_ptr<SqliteDb> reader)
      : writer_(std::move(writer)), reader_(std::move(reader)) {}
  Status ApplySchema();
  Result<std::vector<ChunkVersionRecord>> ReadChunkVersions(
      const ChunkQuery& query, std::optional<int64_t> changed_after_cid = std::nullopt);

  std::mutex write_mutex_;  // guards writer_ and serializes transactions
  std::unique_ptr<SqliteDb> writer_;
  std::mutex read_mutex_;  // guards reader_
  std::unique_ptr<SqliteDb> reader_;
  CatalogReadCache cache_;
};

}  // namespace strata
