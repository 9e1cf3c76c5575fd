// DatabaseService: the engine's databases and tables as one session sees them, and the one place
// where their use is checked against the session's acting user. Reading rows needs DB_READ,
// every change (creating or dropping a database or table, appending, dropping partitions) needs
// DB_WRITE, and opening a handle or asking whether something exists needs either; superusers
// pass every check (auth's CheckDatabaseAccess). The script's builtins and select reach the
// engine's databases only through it. Borrows the engine and the session's user name, which
// must outlive it. Needs external locking (one statement of the session at a time); the engine
// below is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "engine/engine.h"
#include "partition/selection.h"
#include "query/table_reader.h"
#include "types/value.h"

namespace strata {

// The chunks of one table, as getChunksMeta lists them.
struct TableChunks {
  TableRecord table;
  std::vector<ChunkVersionRecord> chunks;  // visible chunks, ordered by path
};
struct DatabaseChunks {
  DatabaseRecord db;
  std::vector<TableChunks> tables;
};

class DatabaseService : public TableReader {
 public:
  // `engine` may be null: then every call fails with FailedPrecondition. `acting_user` is the
  // session's logged-in user (empty: nobody), read at every call.
  DatabaseService(Engine* engine, const std::string& acting_user)
      : engine_(engine), acting_user_(acting_user) {}

  // OK if the acting user may `access` `database`; PermissionDenied naming the user, the
  // database and the grant(...) a superuser would run, or telling how to log in.
  Status Check(const std::string& database, DatabaseAccess access) const;

  // ---- databases (errors: the check's, then the engine's)
  // Creates `name`, or opens it when it exists with the same scheme: DB_WRITE on it or on "*".
  Result<DatabaseRecord> CreateDatabase(const std::string& name, const PartitionScheme& scheme,
                                        const DatabaseOptions& options);
  Result<DatabaseRecord> GetDatabase(const std::string& name);
  Result<bool> DatabaseExists(const std::string& name);
  Status DropDatabase(const std::string& name);
  // The scheme of a database record that a checked call returned.
  Result<std::unique_ptr<PartitionScheme>> SchemeOf(const DatabaseRecord& db) const;
  // The scheme a table a checked call returned is laid out by (its own, else its database's).
  Result<std::unique_ptr<PartitionScheme>> SchemeOf(const TableRef& table) const;
  // The databases the acting user may open (DB_READ or DB_WRITE), ordered by name.
  Result<std::vector<DatabaseRecord>> ListDatabases();

  // ---- tables
  Result<TableRef> CreateTable(const std::string& db, const std::string& table,
                               const Schema& schema,
                               const std::vector<std::string>& partition_columns,
                               const TableOptions& options = {});
  // ALTER TABLE ADD/DROP PARTITION (Engine::AlterTablePartitions): DB_WRITE. Returns the number
  // of chunks dropped.
  Result<size_t> AlterTablePartitions(const std::string& db, const std::string& table,
                                      const PartitionScheme& scheme);
  Result<TableRef> GetTable(const std::string& db, const std::string& table);
  // The table, created with `schema` and `partition_columns` when it does not exist (a change
  // either way: DB_WRITE).
  Result<TableRef> GetOrCreateTable(const std::string& db, const std::string& table,
                                    const Schema& schema,
                                    const std::vector<std::string>& partition_columns);
  Result<bool> TableExists(const std::string& db, const std::string& table);
  Result<std::vector<TableRecord>> ListTables(const std::string& db);
  Status DropTable(const std::string& db, const std::string& table);

  // ---- data
  Result<uint64_t> Append(const std::string& db, const std::string& table, const Table& rows);
  // Rewrites chunks of `table` in one commit (update; Engine::RewriteChunks): DB_WRITE.
  Result<uint64_t> RewriteChunks(const std::string& db, const std::string& table,
                                 const std::vector<ChunkRewrite>& rewrites);
  // Drops the partitions `selection` names (paths, filters or names: partition/selection.h) of
  // one table, or of every table when `table` is empty. Returns the number of chunks dropped.
  Result<size_t> DropPartitions(const std::string& db, const PartitionSelection& selection,
                                const std::string& table);
  // The chunks of every table of `db`, or of `table` only (NotFound when it does not exist).
  Result<DatabaseChunks> ListChunks(const std::string& db, const std::string& table);

  // ---- TableReader (select): DB_READ
  Result<TableScan> OpenScan(const std::string& db, const std::string& table) override;
  Result<Table> ReadChunk(const TableScan& scan, const ChunkVersionRecord& chunk,
                          const std::vector<size_t>& column_indices) const override;
  Result<Table> ReadSegment(const TableScan& scan, const ChunkVersionRecord& chunk, size_t segment,
                            const std::vector<size_t>& column_indices, bool keep) const override;

 private:
  enum class Use : uint8_t { kRead, kWrite, kOpen };  // kOpen: DB_READ or DB_WRITE
  // The engine, once the acting user may `use` `database`.
  Result<Engine*> Checked(const std::string& database, Use use) const;

  Engine* engine_;
  const std::string& acting_user_;
};

}  // namespace strata
