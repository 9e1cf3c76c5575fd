// Catalog reads and writes of grants and job records: unversioned rows, written without a cid.
#include "catalog/catalog.h"

namespace strata {

namespace {

constexpr const char* kJobColumns =
    "id, kind, user_name, db_name, table_names, label, state, start_ms, end_ms, total_units, "
    "done_units, total_bytes, done_bytes, error, result";

JobRecord ReadJob(const SqliteStatement& s) {
  JobRecord r;
  r.id = s.ColumnText(0);
  r.kind = s.ColumnText(1);
  r.user = s.ColumnText(2);
  r.database = s.ColumnText(3);
  r.table = s.ColumnText(4);
  r.label = s.ColumnText(5);
  r.state = s.ColumnText(6);
  r.start_ms = s.ColumnInt(7);
  r.end_ms = s.ColumnInt(8);
  r.total_units = s.ColumnInt(9);
  r.done_units = s.ColumnInt(10);
  r.total_bytes = s.ColumnInt(11);
  r.done_bytes = s.ColumnInt(12);
  r.error = s.ColumnText(13);
  r.result = s.ColumnText(14);
  return r;
}

}  // namespace

Result<std::vector<GrantRecord>> Catalog::ListGrants(std::string_view user) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare("SELECT user_name, db_name, access FROM grants "
                                               "WHERE user_name = ?1 ORDER BY db_name, access"));
  stmt.Bind(1, user);
  std::vector<GrantRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(GrantRecord{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2)});
  }
}

Result<std::vector<JobRecord>> Catalog::ListJobs() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(std::string("SELECT ") + kJobColumns +
                                               " FROM jobs ORDER BY start_ms, id"));
  std::vector<JobRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadJob(stmt));
  }
}

Result<std::optional<JobRecord>> Catalog::FindJob(std::string_view id) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(std::string("SELECT ") + kJobColumns +
                                               " FROM jobs WHERE id = ?1"));
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<JobRecord>();
  return std::optional<JobRecord>(ReadJob(stmt));
}

Status Catalog::Transaction::InsertGrant(const GrantRecord& g) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT OR IGNORE INTO grants(user_name, db_name, access) "
                                  "VALUES(?1,?2,?3)"));
  return stmt.Bind(1, g.user).Bind(2, g.database).Bind(3, g.access).Run();
}

Status Catalog::Transaction::DeleteGrant(const GrantRecord& g) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "DELETE FROM grants WHERE user_name = ?1 AND db_name = ?2 AND "
                                  "access = ?3"));
  return stmt.Bind(1, g.user).Bind(2, g.database).Bind(3, g.access).Run();
}

Status Catalog::Transaction::UpsertJob(const JobRecord& j) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  std::string("INSERT OR REPLACE INTO jobs(") + kJobColumns +
                                  ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
                                  "?13,?14,?15)"));
  return stmt.Bind(1, j.id)
      .Bind(2, j.kind)
      .Bind(3, j.user)
      .Bind(4, j.database)
      .Bind(5, j.table)
      .Bind(6, j.label)
      .Bind(7, j.state)
      .Bind(8, j.start_ms)
      .Bind(9, j.end_ms)
      .Bind(10, j.total_units)
      .Bind(11, j.done_units)
      .Bind(12, j.total_bytes)
      .Bind(13, j.done_bytes)
      .Bind(14, j.error)
      .Bind(15, j.result)
      .Run();
}

}  // namespace strata
