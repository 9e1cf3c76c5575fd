// TableReader: how a select reaches the rows of a database table. The query module never opens
// a table by itself: the session hands it a reader (service/database_service.h) that first
// checks that the session's user may read the database. Needs external locking like the
// EvalContext that hands it out.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace strata {

// One table as of one pinned commit: what a select scans.
struct TableScan {
  SnapshotPtr pin;  // keeps every chunk below readable while the scan lives
  TableRef ref;
  std::vector<ChunkVersionRecord> chunks;         // the visible chunks, ordered by path
  std::shared_ptr<const PartitionScheme> scheme;  // the table's own scheme, else its database's
};

class TableReader {
 public:
  virtual ~TableReader() = default;
  // The table's visible chunks at the newest commit. PermissionDenied when the session may not
  // read `db` (naming the user, the database and the grant a superuser would run, or telling
  // how to log in); NotFound naming a missing database or table.
  virtual Result<TableScan> OpenScan(const std::string& db, const std::string& table) = 0;
  // The rows of `chunk`, one of `scan`'s chunks (columns by index into the table's schema; all
  // when empty).
  virtual Result<Table> ReadChunk(const TableScan& scan, const ChunkVersionRecord& chunk,
                                  const std::vector<size_t>& column_indices) const = 0;
  // The rows of `chunk.segments[segment]`, a segment of the scan's table: a chunk's rows are
  // its segments' in order, and a streamed select reads them one segment at a time. `keep`:
  // keep them in the storage's cache of decoded segments (a large scan passes false).
  virtual Result<Table> ReadSegment(const TableScan& scan, const ChunkVersionRecord& chunk,
                                    size_t segment, const std::vector<size_t>& column_indices,
                                    bool keep) const = 0;
};

}  // namespace strata
