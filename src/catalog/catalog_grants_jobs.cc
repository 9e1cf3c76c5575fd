// Catalog reads and writes of grants, job records, schedules and repositories: unversioned
// rows, written without a cid.
#include <charconv>

#include "base/json.h"
#include "base/strings.h"
#include "catalog/catalog.h"

namespace strata {

namespace {

constexpr const char* kJobColumns =
    "id, kind, user_name, db_name, table_names, label, state, start_ms, end_ms, total_units, "
    "done_units, total_bytes, done_bytes, error, result, details, table_progress";

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
  r.details = s.ColumnText(15);
  r.table_progress = s.ColumnText(16);
  return r;
}

constexpr const char* kScheduleColumns =
    "id, user_name, description, script, minutes, start_day, end_day, frequency, days, "
    "create_ms, last_slot_ms";

// "540,1020" <-> {540, 1020}.
std::string JoinInts(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

Result<std::vector<int>> SplitInts(const std::string& text, const std::string& what) {
  std::vector<int> out;
  for (const std::string& part : Split(text, ',')) {
    if (part.empty()) continue;
    int value = -1;
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size() || value < 0) {
      return Corruption("catalog row of schedule " + what + " is damaged: " + Quote(text) +
                        " is no list of numbers");
    }
    out.push_back(value);
  }
  return out;
}

Result<ScheduleRecord> ReadSchedule(const SqliteStatement& s) {
  ScheduleRecord r;
  r.id = s.ColumnText(0);
  r.user = s.ColumnText(1);
  r.description = s.ColumnText(2);
  r.script = s.ColumnText(3);
  ASSIGN_OR_RETURN(r.minutes, SplitInts(s.ColumnText(4), r.id));
  r.start_day = s.ColumnInt(5);
  r.end_day = s.ColumnInt(6);
  r.frequency = s.ColumnText(7);
  ASSIGN_OR_RETURN(r.days, SplitInts(s.ColumnText(8), r.id));
  r.create_ms = s.ColumnInt(9);
  r.last_slot_ms = s.ColumnInt(10);
  return r;
}

constexpr const char* kRepositoryColumns =
    "id, name, type, location, read_only, properties, create_ms";

Result<RepositoryRecord> ReadRepository(const SqliteStatement& s) {
  RepositoryRecord r;
  r.id = s.ColumnInt(0);
  r.name = s.ColumnText(1);
  r.type = s.ColumnText(2);
  r.location = s.ColumnText(3);
  r.read_only = s.ColumnInt(4) != 0;
  // Not ParseJson: its message quotes the text, which holds secrets.
  nlohmann::json properties = nlohmann::json::parse(s.ColumnText(5), nullptr, false);
  if (!properties.is_array()) {
    return Corruption("catalog row of repository " + r.name +
                      " is damaged: its properties are not a list");
  }
  for (const auto& pair : properties) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      return Corruption("catalog row of repository " + r.name +
                        " is damaged: a property is not a [key, value] pair");
    }
    r.properties.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  r.create_ms = s.ColumnInt(6);
  return r;
}

}  // namespace

Result<std::vector<RepositoryRecord>> Catalog::ListRepositories() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(std::string("SELECT ") + kRepositoryColumns +
                                               " FROM repositories ORDER BY id"));
  std::vector<RepositoryRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(RepositoryRecord record, ReadRepository(stmt));
    out.push_back(std::move(record));
  }
}

Result<std::vector<ScheduleRecord>> Catalog::ListSchedules() {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(std::string("SELECT ") + kScheduleColumns +
                                               " FROM schedules ORDER BY id"));
  std::vector<ScheduleRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(ScheduleRecord record, ReadSchedule(stmt));
    out.push_back(std::move(record));
  }
}

Status Catalog::Transaction::UpsertSchedule(const ScheduleRecord& r) {
  ASSIGN_OR_RETURN(auto stmt,
                   catalog_->writer_->Prepare(std::string("INSERT OR REPLACE INTO schedules(") +
                                              kScheduleColumns +
                                              ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"));
  return stmt.Bind(1, r.id)
      .Bind(2, r.user)
      .Bind(3, r.description)
      .Bind(4, r.script)
      .Bind(5, JoinInts(r.minutes))
      .Bind(6, r.start_day)
      .Bind(7, r.end_day)
      .Bind(8, r.frequency)
      .Bind(9, JoinInts(r.days))
      .Bind(10, r.create_ms)
      .Bind(11, r.last_slot_ms)
      .Run();
}

Status Catalog::Transaction::SetScheduleSlot(std::string_view id, int64_t last_slot_ms) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "UPDATE schedules SET last_slot_ms = ?2 WHERE id = ?1"));
  return stmt.Bind(1, id).Bind(2, last_slot_ms).Run();
}

Status Catalog::Transaction::DeleteSchedule(std::string_view id) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare("DELETE FROM schedules WHERE id = ?1"));
  return stmt.Bind(1, id).Run();
}

Result<std::optional<RepositoryRecord>> Catalog::FindRepository(std::string_view name) {
  std::lock_guard lock(read_mutex_);
  ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(std::string("SELECT ") + kRepositoryColumns +
                                               " FROM repositories WHERE name = ?1"));
  stmt.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<RepositoryRecord>();
  ASSIGN_OR_RETURN(RepositoryRecord record, ReadRepository(stmt));
  return std::optional<RepositoryRecord>(std::move(record));
}

Result<int64_t> Catalog::Transaction::InsertRepository(const RepositoryRecord& r) {
  SqliteDb& db = *catalog_->writer_;
  ASSIGN_OR_RETURN(auto find, db.Prepare("SELECT 1 FROM repositories WHERE name = ?1"));
  find.Bind(1, r.name);
  ASSIGN_OR_RETURN(bool taken, find.Step());
  if (taken) return AlreadyExists("repository " + Quote(r.name) + " already exists");
  nlohmann::json properties = nlohmann::json::array();
  for (const auto& [key, value] : r.properties) properties.push_back({key, value});
  ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string("INSERT INTO repositories(") +
                                         "name, type, location, read_only, properties, "
                                         "create_ms) VALUES(?1,?2,?3,?4,?5,?6) RETURNING id"));
  stmt.Bind(1, r.name)
      .Bind(2, r.type)
      .Bind(3, r.location)
      .Bind(4, int64_t{r.read_only ? 1 : 0})
      .Bind(5, DumpJson(properties))
      .Bind(6, r.create_ms);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("catalog insert of repository " + Quote(r.name) + " returned no id");
  int64_t id = stmt.ColumnInt(0);
  RETURN_IF_ERROR(stmt.Run());
  return id;
}

Status Catalog::Transaction::DeleteRepository(std::string_view name) {
  ASSIGN_OR_RETURN(auto stmt,
                   catalog_->writer_->Prepare("DELETE FROM repositories WHERE name = ?1"));
  return stmt.Bind(1, name).Run();
}

Result<std::vector<GrantRecord>> Catalog::ListGrants(std::string_view user) {
  using Answer = std::vector<GrantRecord>;
  return ReadThrough(
      cache_, cache_.grants, kCatalogUsers, std::string(user), [&]() -> Result<Answer> {
        std::lock_guard lock(read_mutex_);
        ASSIGN_OR_RETURN(auto stmt,
                         reader_->Prepare("SELECT user_name, db_name, access FROM grants "
                                          "WHERE user_name = ?1 ORDER BY db_name, access"));
        stmt.Bind(1, user);
        Answer out;
        for (;;) {
          ASSIGN_OR_RETURN(bool row, stmt.Step());
          if (!row) return out;
          out.push_back(GrantRecord{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2)});
        }
      });
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
  touched_ |= kCatalogUsers;
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "INSERT OR IGNORE INTO grants(user_name, db_name, access) "
                                  "VALUES(?1,?2,?3)"));
  return stmt.Bind(1, g.user).Bind(2, g.database).Bind(3, g.access).Run();
}

Status Catalog::Transaction::DeleteGrant(const GrantRecord& g) {
  touched_ |= kCatalogUsers;
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  "DELETE FROM grants WHERE user_name = ?1 AND db_name = ?2 AND "
                                  "access = ?3"));
  return stmt.Bind(1, g.user).Bind(2, g.database).Bind(3, g.access).Run();
}

Status Catalog::Transaction::UpsertJob(const JobRecord& j) {
  ASSIGN_OR_RETURN(auto stmt, catalog_->writer_->Prepare(
                                  std::string("INSERT OR REPLACE INTO jobs(") + kJobColumns +
                                  ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
                                  "?13,?14,?15,?16,?17)"));
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
      .Bind(16, j.details)
      .Bind(17, j.table_progress)
      .Run();
}

}  // namespace strata
