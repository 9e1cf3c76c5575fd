// Engine: one open data directory — the lock, the catalog, the segment store and the pins —
// and every operation that changes data: creating and dropping databases and tables,
// appending rows, dropping partitions. Each change is one catalog commit with a new cid;
// segment files are durable before the commit that references them, so a crash at any moment
// leaves the previous commit intact (orphan segments are swept at the next open). Readers pin
// a Snapshot and never block writers. Thread-safe: changes are serialized by a writer lock.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "base/utc_time.h"
#include "catalog/catalog.h"
#include "engine/data_dir_lock.h"
#include "engine/snapshot.h"
#include "partition/partition_scheme.h"
#include "storage/segment_store.h"

namespace strata {

struct DatabaseOptions {
  std::string engine = "OLAP";  // OLAP, or TSDB (an alias)
  std::string atomic = "TRANS";
  ChunkGranularity granularity = ChunkGranularity::kTable;
};

// How CreateTable lays a table out beyond its columns.
struct TableOptions {
  // The table's own partition scheme (one partition column per level; a TABLE-granularity
  // database only); null: the database's scheme, as every script-made table has.
  const PartitionScheme* scheme = nullptr;
  // Stored with the table as is (the SQL front end's definition); may be set without a scheme.
  nlohmann::json definition;
};

// One chunk of a table whose rows a statement rewrote (update): `rows` replace the table's rows
// at `path`, computed from the chunk's version `read_cid`.
struct ChunkRewrite {
  std::string path;
  int64_t read_cid = 0;
  Table rows;
};

// What Engine::Install writes: restored chunks of tables of one database, in one commit.
struct InstallChunk {
  std::string path;                  // "/20170807/0_50", "/" for a dimension table
  std::vector<SegmentRef> segments;  // staged with StageSegment, in row order
  bool append = false;               // true: after the chunk's rows; false: replace them
};
struct InstallTable {
  std::string name;
  Schema schema;  // an existing table must have exactly these column names and types
  std::vector<std::string> partition_columns;
  std::vector<InstallChunk> chunks;
  std::vector<std::string> drop_paths;  // this table's rows at these paths are removed
  // The table's own layout in the source (TableRecord's scheme and definition); null: laid out
  // by the database's scheme. A missing table is created with them; an existing one must have
  // a scheme of its own too, which must hold the chunks' paths.
  nlohmann::json scheme;
  nlohmann::json definition;
  // With a scheme of its own: the existing table's named partitions the source lacks leave its
  // layout too (a restore's clean_partitions; their chunks go through `drop_paths`).
  bool drop_absent_partitions = false;
};
struct InstallRequest {
  std::string database;
  // Set: a missing database is created with this scheme (PartitionScheme JSON) and options.
  std::optional<nlohmann::json> create_scheme;
  DatabaseOptions create_options;
  // Set: the scheme the chunks were laid out by (a backup's); an existing database must lay
  // rows out the same way (CheckSameLayout), named in errors as `source_name`.
  std::optional<nlohmann::json> source_scheme;
  std::string source_name;
  bool create_missing_tables = false;
  std::vector<InstallTable> tables;
  // Existing tables of the database dropped in the same commit (a restore's clean_tables);
  // none may be one of `tables`.
  std::vector<std::string> drop_tables;
  std::string description;  // for the commit log: "restore from /backups"
};
struct InstalledChunk {
  std::string table;
  std::string path;
  std::string physical_index;
};
struct InstallResult {
  int64_t cid = 0;
  std::vector<InstalledChunk> chunks;  // in request order
};

// A table with the database it belongs to, as seen by one snapshot.
struct TableRef {
  DatabaseRecord db;
  TableRecord table;
};

class Engine {
 public:
  // Opens `data_dir` (creating it), takes its lock, clears tmp/ and opens the catalog. Unless
  // the previous session closed cleanly (a crash, or an older build), it also collects garbage:
  // chunk versions no one can see any more and segment files no version references.
  static Result<std::unique_ptr<Engine>> Open(const std::string& data_dir);
  // A session that changed anything collects garbage here, then marks the close clean.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const std::string& data_dir() const { return data_dir_; }
  Catalog& catalog() { return *catalog_; }
  const SegmentStore& segments() const { return segments_; }

  // Pins the newest committed state.
  SnapshotPtr PinLatest();

  // ---- databases and tables ----
  // Creates `name` ("dfs://x") with `scheme`. If it exists with an equal scheme and options,
  // returns it (DolphinDB re-opens); with a different one, AlreadyExists naming both.
  Result<DatabaseRecord> CreateDatabase(const std::string& name, const PartitionScheme& scheme,
                                        const DatabaseOptions& options);
  // NotFound naming the database and how to create it.
  Result<DatabaseRecord> GetDatabase(const Snapshot& snapshot, const std::string& name);
  Result<std::vector<DatabaseRecord>> ListDatabases(const Snapshot& snapshot);
  Status DropDatabase(const std::string& name);

  // Creates a partitioned table (one partition column per scheme level) or, with no partition
  // columns, a dimension table. Errors name the table, column or type at fault.
  Result<TableRef> CreateTable(const std::string& db_name, const std::string& table_name,
                               const Schema& schema,
                               const std::vector<std::string>& partition_columns,
                               const TableOptions& options = {});
  Result<TableRef> GetTable(const Snapshot& snapshot, const std::string& db_name,
                            const std::string& table_name);
  Result<std::vector<TableRecord>> ListTables(const Snapshot& snapshot, int64_t db_id);
  Status DropTable(const std::string& db_name, const std::string& table_name);

  // The database's partition scheme (a fresh copy).
  Result<std::unique_ptr<PartitionScheme>> SchemeOf(const DatabaseRecord& db) const;
  // The scheme `table` is laid out by: its own when it has one, else its database's.
  Result<std::unique_ptr<PartitionScheme>> SchemeOf(const TableRef& table) const;
  // In one commit: the table (which must have its own scheme) is laid out by `scheme` from now
  // on, and its chunks at paths `scheme` does not hold are dropped (ALTER TABLE ADD/DROP
  // PARTITION). Snapshots pinned before keep the old scheme and chunks. Returns the number of
  // chunks dropped.
  Result<size_t> AlterTablePartitions(const std::string& db_name, const std::string& table_name,
                                      const PartitionScheme& scheme);

  // ---- data ----
  // Appends every row of `rows` (columns by position, converted to the table's types). All or
  // nothing: a row outside the RANGE/LIST partitions, a bad type, or an I/O error writes no
  // visible change. Returns the number of rows appended.
  Result<uint64_t> Append(const std::string& db_name, const std::string& table_name,
                          const Table& rows);
  // In one commit: the table's rows at each rewrite's path become its `rows` (columns by
  // position, converted as Append converts; a DATABASE-granularity chunk keeps the other
  // tables' rows). FailedPrecondition naming the partition when a chunk changed after its
  // `read_cid` (a write raced the statement; running it again is safe); nothing changes on any
  // error. Returns the number of rows written.
  Result<uint64_t> RewriteChunks(const std::string& db_name, const std::string& table_name,
                                 const std::vector<ChunkRewrite>& rewrites);
  // Marks the chunks at `paths` (one table, or all when `table_name` is empty) deleted in one
  // commit. Paths that hold no data are skipped. Returns the number of chunks dropped.
  Result<size_t> DropPartitions(const std::string& db_name, const std::vector<std::string>& paths,
                                const std::string& table_name);

  // ---- reads ----
  // The visible (not deleted) chunks of a table at `snapshot`, ordered by path; with `paths`,
  // only those whose path p has first <= p < second (read through the catalog's path index).
  using PathRange = std::pair<std::string, std::string>;
  Result<std::vector<ChunkVersionRecord>> ListChunks(
      const Snapshot& snapshot, const TableRef& table,
      const std::optional<PathRange>& paths = std::nullopt);
  // A page of ListChunks: the first `limit` (> 0) of the table's chunks whose path is greater
  // than `after` (from the first when none), and the path to continue after, none once the
  // last page is read. A page of a DATABASE-granularity table may hold fewer chunks than a
  // next page follows (those without the table's rows are left out). Memory follows `limit`,
  // not the table: a backup compares a table of millions of chunks page by page.
  struct ChunkPage {
    std::vector<ChunkVersionRecord> chunks;
    std::optional<std::string> next_after;
  };
  Result<ChunkPage> ListChunkPage(const Snapshot& snapshot, const TableRef& table,
                                  const std::optional<std::string>& after, size_t limit);
  // The chunks of every table of `db` (granularity TABLE) with a version committed after
  // `after_cid` up to `snapshot`, each at its version at `snapshot` (deleted ones included),
  // ordered by path: what changed since, found without visiting the rest.
  Result<std::vector<ChunkVersionRecord>> ListChunksChangedSince(const Snapshot& snapshot,
                                                                 const DatabaseRecord& db,
                                                                 int64_t after_cid);
  // The chunks of `db` deleted after `after_cid` up to `snapshot` (whether or not the catalog
  // still has them), by table id and path.
  Result<std::vector<Catalog::ChunkRemoval>> ListChunkRemovalsSince(const Snapshot& snapshot,
                                                                    const DatabaseRecord& db,
                                                                    int64_t after_cid);
  // The identity of this data directory, made when its catalog was created (or upgraded to
  // format 5), and when commit `cid` was made (NotFound for a cid it never made): together
  // they tell a backup whether a snapshot's source cid is one of this catalog's commits.
  Result<std::string> DataDirectoryId();
  Result<int64_t> CommitTimeMs(int64_t cid);
  // The paths of partitions holding data of any table of the database.
  Result<std::vector<std::string>> ListPartitionPaths(const Snapshot& snapshot,
                                                      const DatabaseRecord& db);
  // Reads the rows of `table` in `chunk` (columns by index into the table schema; all when
  // empty), concatenating its segments in order.
  Result<Table> ReadChunk(const ChunkVersionRecord& chunk, const TableRecord& table,
                          const std::vector<size_t>& column_indices = {}) const;
  // The rows of `chunk.segments[segment]`, which must hold rows of `table` (columns as for
  // ReadChunk): a chunk's rows are its segments' in order, and a reader may take them one
  // segment at a time. `keep`: keep the decoded columns in the segment cache (a large scan
  // passes false; SegmentStore::Read).
  Result<Table> ReadSegment(const ChunkVersionRecord& chunk, size_t segment,
                            const TableRecord& table,
                            const std::vector<size_t>& column_indices = {}, bool keep = true) const;

  // Deletes chunk versions no snapshot needs and segment files nothing references. Open runs
  // it unless the previous session closed cleanly; a session that changed anything runs it
  // when the engine is destroyed, so the next open can skip the scan.
  Status CollectGarbage();

  // ---- restore: segments arrive before the commit that references them
  // While any reservation lives, no segment file is removed: removals wait until the last one
  // ends (they stay candidates), so a segment a restore found present is still there when its
  // commit names it. Its cost does not grow with the number of segments restored.
  class SegmentReservation {
   public:
    // Without a commit after staging: the close looks for unreferenced segments (a full scan).
    ~SegmentReservation();
    SegmentReservation(const SegmentReservation&) = delete;
    SegmentReservation& operator=(const SegmentReservation&) = delete;

   private:
    friend class Engine;
    explicit SegmentReservation(Engine* engine) : engine_(engine) {}
    Engine* engine_;
    std::atomic<bool> staged_ = false;  // it staged a segment
    bool committed_ = false;            // an installation naming its segments committed
  };
  // Begins a change (a crash from here on makes the next open collect what it leaves).
  Result<std::unique_ptr<SegmentReservation>> ReserveSegments();
  // Whether the data directory holds segment `id`; it stays while `reservation` lives.
  bool HasSegment(const SegmentReservation& reservation, const std::string& id);
  // Stores `bytes` as segment `id`, which HasSegment found missing. The caller has verified
  // that the bytes are `id` (Repository::ReadObject does: by hash, or by an encrypted
  // repository's tag); the segment's own checksums are
  // checked here. It becomes durable, and present, at the next PublishStaged.
  Status StageSegment(SegmentReservation& reservation, const std::string& id,
                      std::string_view bytes);
  // Makes every staged segment durable and present with one barrier. A restore publishes a
  // batch at a time, so the list of staged files stays short; an installation's Commit
  // publishes what is left.
  Status PublishStaged(SegmentReservation& reservation);

  // One commit that installs restored chunks, filled a batch at a time so that memory follows
  // the batch, not the number of chunks. It holds the writer lock from BeginInstall until it
  // ends: other changes wait, readers do not. Without Commit nothing changes.
  class Installation {
   public:
    ~Installation();
    Installation(const Installation&) = delete;
    Installation& operator=(const Installation&) = delete;
    // Adds to the commit the new versions of `chunks` of the request's table `table` and the
    // removal of its rows at `drop_paths`: admits each path into the scheme (a VALUE level
    // adds values, a backed-up named partition comes back) and fails naming one it cannot
    // hold. Paths are new to the installation (no path twice for one table). After an error
    // only destroying the installation is left.
    Status Add(size_t table, std::span<const InstallChunk> chunks,
               std::span<const std::string> drop_paths);
    // The physical index of the request's table `table` (new tables get theirs at the begin).
    const std::string& physical_index(size_t table) const;
    // Publishes the staged segments, records grown schemes and dropped tables, commits, then
    // releases the reservation and prunes what the commit replaced. Returns the commit's cid.
    Result<int64_t> Commit();

   private:
    friend class Engine;
    struct State;
    explicit Installation(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };
  // Checks and begins an installation of `request` (its tables' chunks and drop_paths come
  // through Add; any given here are ignored): creates what it allows to create, checks that
  // existing tables and the database lay rows out as the source did (each difference named).
  // The installation keeps `reservation` until its commit.
  Result<std::unique_ptr<Installation>> BeginInstall(
      const InstallRequest& request, std::unique_ptr<SegmentReservation> reservation);
  // BeginInstall, Add of every table's chunks and drop_paths, Commit: the whole request in one
  // commit; every segment must be present or staged under `reservation`.
  Result<InstallResult> Install(const InstallRequest& request,
                                std::unique_ptr<SegmentReservation> reservation);

 private:
  Engine(std::string data_dir, std::unique_ptr<DataDirLock> lock, std::unique_ptr<Catalog> catalog);

  // In one commit: a new version of every chunk in `chunks` without its data (without the
  // segments of `only_table_id` when it is set, else without any: deleted), plus `extra`
  // catalog changes; then prunes versions and removes unreferenced segments. Needs the writer
  // lock.
  Status CommitRemoval(const std::string& description,
                       const std::vector<ChunkVersionRecord>& chunks, int64_t only_table_id,
                       const std::function<Status(Catalog::Transaction&, int64_t)>& extra);
  // After a commit is published: deletes the versions of `chunk_ids` that no pin and not the
  // newest state can see, and keeps the segments that lost their last reference for
  // RemoveReleasedSegments (and, when a pin kept versions, the chunks for the close). Needs
  // the writer lock.
  Status PruneAfterCommit(const std::vector<std::string>& chunk_ids);
  // Removes the released segments that no version references (segment_refs) and no
  // reservation holds: the cost follows what this session changed. Needs the writer lock.
  Status RemoveReleasedSegments();
  // The close's garbage collection: the versions pins kept from pruning, then the released
  // segments.
  Status CollectSessionGarbage();
  // Append's work under the writer lock.
  Result<uint64_t> AppendLocked(const std::string& db_name, const std::string& table_name,
                                const Table& rows);
  Result<uint64_t> RewriteChunksLocked(const std::string& db_name, const std::string& table_name,
                                       const std::vector<ChunkRewrite>& rewrites);
  // Removes every segment file no version references (read from the versions: the scan a
  // failed write or an unclean close needs).
  Status RemoveUnreferencedSegments();
  // Before the session's first change that can leave garbage (an append, a drop, a restore)
  // reaches the disk: removes the clean-close marker, so that a crash from here on makes the
  // next open collect what it left behind. Catalog-only changes (creating a database or a
  // table) leave none and do not call it.
  Status BeginChange();

  std::string data_dir_;
  std::unique_ptr<DataDirLock> lock_;
  std::unique_ptr<Catalog> catalog_;
  SegmentStore segments_;
  SnapshotRegistry snapshots_;  // also holds the newest committed cid
  std::mutex writer_mutex_;     // serializes every change to the catalog and segment set
  std::mutex reserved_mutex_;   // guards the two below and orders them with segment removal
  int reservations_ = 0;        // live SegmentReservations: no segment is removed meanwhile
  // A reservation ended without its commit after staging: the close scans for segments no
  // version references.
  bool scan_for_unreferenced_ = false;
  std::mutex garbage_mutex_;             // guards pinned_chunks_ and released_
  std::set<std::string> pinned_chunks_;  // chunks whose pruning a pin held back
  std::set<std::string> released_;       // segments that may have lost their last reference
  std::mutex change_mutex_;              // guards changed_
  bool changed_ = false;                 // this session has begun changing the data directory
};

}  // namespace strata
