// Repositories, BACKUP/RESTORE SNAPSHOT, CANCEL, DROP SNAPSHOT and their SHOW statements of
// SqlSession, on the service layer's RepositoryService and SnapshotService.
#include <algorithm>
#include <charconv>
#include <map>

#include "base/json.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "jobs/job_state.h"
#include "service/repository_service.h"
#include "service/snapshot_service.h"
#include "sql/sql_session.h"

namespace strata {

namespace {

constexpr int64_t kDefaultJobTimeoutS = 86'400;

SqlCell Text(std::string text) { return Scalar::String(Type::kString, std::move(text)); }
SqlCell Number(int64_t n) { return Scalar::Int(Type::kLong, n); }

// "2026-11-21 10:00:00" (UTC), as Doris shows job times; NULL for a time not reached.
SqlCell Time(int64_t ms) {
  if (ms <= 0) return std::nullopt;
  std::string text = FormatUtcMs(ms).substr(0, 19);
  text[10] = ' ';
  return Text(std::move(text));
}

SqlResultSet Columns(std::vector<std::string> columns) {
  SqlResultSet out;
  out.types.assign(columns.size(), "VARCHAR");
  out.columns = std::move(columns);
  return out;
}

SqlOutcome WithResult(SqlResultSet result) {
  SqlOutcome outcome;
  outcome.result = std::move(result);
  return outcome;
}

// One statement's PROPERTIES by key (lower case), refusing repeats and keys not in `known`.
Result<std::map<std::string, std::string>> ReadProperties(const SqlProperties& properties,
                                                          std::initializer_list<const char*> known,
                                                          const std::string& statement) {
  std::map<std::string, std::string> out;
  for (const auto& p : properties) {
    const std::string key = ToLower(p.key);
    if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) ==
        known.end()) {
      std::vector<std::string> names(known.begin(), known.end());
      return InvalidArgument("line " + std::to_string(p.position.line) + ", column " +
                             std::to_string(p.position.column) + ": unknown " + statement +
                             " property " + Quote(p.key) + "; it takes " + Join(names, ", "));
    }
    if (!out.emplace(key, p.value).second) {
      return InvalidArgument(statement + " property " + Quote(p.key) + " is given twice");
    }
  }
  return out;
}

Result<int64_t> TimeoutMs(const std::map<std::string, std::string>& properties) {
  auto it = properties.find("timeout");
  if (it == properties.end()) return kDefaultJobTimeoutS * 1000;
  const std::string& text = it->second;
  int64_t seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds <= 0 ||
      seconds > 30 * kDefaultJobTimeoutS) {
    return InvalidArgument("property \"timeout\" is a number of seconds from 1 to " +
                           std::to_string(30 * kDefaultJobTimeoutS) + ", got " + Quote(it->second));
  }
  return seconds * 1000;
}

Result<bool> Flag(const std::map<std::string, std::string>& properties, const char* key) {
  auto it = properties.find(key);
  if (it == properties.end()) return false;
  const std::string value = ToLower(it->second);
  if (value == "true") return true;
  if (value == "false") return false;
  return InvalidArgument(std::string("property \"") + key + "\" is \"true\" or \"false\", got " +
                         Quote(it->second));
}

// The label, repository and ON/EXCLUDE list BACKUP and RESTORE share.
template <typename Spec>
void CopyJobClauses(const SqlSnapshotJob& s, Spec& spec) {
  spec.label = s.label;
  spec.repository = s.repository;
  for (const auto& t : s.tables) spec.tables.push_back({t.table, t.partitions, t.alias});
  spec.exclude = s.filter == SqlTableFilter::kExclude;
}

// Doris's job states, from a job's record: where a backup or restore is in its life.
std::string DorisState(const SnapshotJobView& view) {
  const JobRecord& r = view.record;
  const bool backup = view.kind == SnapshotJobKind::kBackup;
  auto state = ParseJobState(r.state);
  if (!state) return "CANCELLED";
  switch (*state) {
    case JobState::kQueued:
      return "PENDING";
    case JobState::kRunning:
      if (r.total_units == 0) return "SNAPSHOTING";
      if (r.done_units < r.total_units) return backup ? "UPLOADING" : "DOWNLOADING";
      return backup ? "SAVE_META" : "COMMITTING";
    case JobState::kFinished:
      return "FINISHED";
    default:
      return "CANCELLED";
  }
}

bool LabelMatches(const SqlShow& s, const std::string& label) {
  if (!s.label) return true;
  if (!s.label_is_pattern) return label == *s.label;
  return MatchesWildcard(*s.label, label, WildcardSyntax::kSqlLike);
}

}  // namespace

Result<SqlOutcome> SqlSession::Run(const SqlCreateRepository& s) {
  RepositorySpec spec;
  spec.name = s.name;
  spec.read_only = s.read_only;
  spec.type = s.kind == SqlRepositoryKind::kS3 ? "S3" : "LOCAL";
  spec.location = s.location;
  for (const auto& p : s.properties) spec.properties.emplace_back(p.key, p.value);
  RETURN_IF_ERROR(RepositoryService(session_).Create(spec));
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlDropRepository& s) {
  RETURN_IF_ERROR(RepositoryService(session_).Drop(s.name));
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlBackupSnapshot& s) {
  ASSIGN_OR_RETURN(auto properties, ReadProperties(s.properties, {"type", "timeout"}, "BACKUP"));
  SnapshotBackupSpec spec;
  ASSIGN_OR_RETURN(spec.database, DatabaseOr(s.db));
  CopyJobClauses(s, spec);
  if (auto type = properties.find("type"); type != properties.end()) {
    const std::string value = ToLower(type->second);
    if (value != "full" && value != "incremental") {
      return InvalidArgument("property \"type\" is \"full\" or \"incremental\", got " +
                             Quote(type->second));
    }
    spec.incremental = value == "incremental";
  }
  ASSIGN_OR_RETURN(spec.timeout_ms, TimeoutMs(properties));
  for (const auto& t : s.tables) {
    if (!t.alias.empty()) {
      return InvalidArgument("BACKUP takes no AS alias (table " + Quote(t.table) +
                             "); aliases belong to RESTORE");
    }
  }
  RETURN_IF_ERROR(SnapshotService(session_).SubmitBackup(spec).status());
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlRestoreSnapshot& s) {
  ASSIGN_OR_RETURN(auto properties, ReadProperties(s.properties,
                                                   {"backup_timestamp", "replication_num",
                                                    "timeout", "clean_tables", "clean_partitions"},
                                                   "RESTORE"));
  SnapshotRestoreSpec spec;
  ASSIGN_OR_RETURN(spec.database, DatabaseOr(s.db));
  CopyJobClauses(s, spec);
  if (auto ts = properties.find("backup_timestamp"); ts != properties.end())
    spec.timestamp = ts->second;
  ASSIGN_OR_RETURN(spec.timeout_ms, TimeoutMs(properties));
  ASSIGN_OR_RETURN(spec.clean_tables, Flag(properties, "clean_tables"));
  ASSIGN_OR_RETURN(spec.clean_partitions, Flag(properties, "clean_partitions"));
  SqlOutcome outcome;
  if (properties.count("replication_num")) {
    outcome.warnings.push_back(
        "property \"replication_num\" has no meaning in Strata (one copy, made durable on "
        "commit); it was ignored");
  }
  if (spec.exclude) {
    for (const auto& t : s.tables) {
      if (!t.alias.empty()) {
        return InvalidArgument("EXCLUDE takes no AS alias (table " + Quote(t.table) + ")");
      }
    }
  }
  RETURN_IF_ERROR(SnapshotService(session_).SubmitRestore(spec).status());
  return outcome;
}

Result<SqlOutcome> SqlSession::Run(const SqlCancelJob& s) {
  ASSIGN_OR_RETURN(std::string database, DatabaseOr(s.db));
  RETURN_IF_ERROR(SnapshotService(session_).Cancel(
      s.kind == SqlJobKind::kBackup ? SnapshotJobKind::kBackup : SnapshotJobKind::kRestore,
      database));
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlDropSnapshot& s) {
  RETURN_IF_ERROR(
      SnapshotService(session_).DropSnapshot(s.repository, s.label, s.timestamp.value_or("")));
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::ShowRepositories() {
  ASSIGN_OR_RETURN(auto repositories, RepositoryService(session_).List(/*probe=*/true));
  SqlResultSet out =
      Columns({"RepoId", "RepoName", "CreateTime", "IsReadOnly", "Location", "Type", "ErrMsg"});
  out.types[0] = "BIGINT";
  for (const auto& r : repositories) {
    out.rows.push_back({Number(r.id), Text(r.name), Time(r.create_ms),
                        Text(r.read_only ? "true" : "false"), Text(r.location), Text(r.type),
                        Text(r.error)});
  }
  return WithResult(std::move(out));
}

Result<SqlOutcome> SqlSession::ShowSnapshotJobs(const SqlShow& s) {
  const bool backup = s.kind == SqlShowKind::kBackup;
  std::string database;
  if (s.db) {
    database = StrataDatabaseName(*s.db);
  } else if (!session_.current_database().empty()) {
    database = session_.current_database();
  }
  ASSIGN_OR_RETURN(auto jobs,
                   SnapshotService(session_).ListJobs(
                       backup ? SnapshotJobKind::kBackup : SnapshotJobKind::kRestore, database));
  SqlResultSet out =
      backup ? Columns({"JobId", "SnapshotName", "DbName", "State", "BackupObjs", "CreateTime",
                        "SnapshotFinishedTime", "UploadFinishedTime", "FinishedTime",
                        "UnfinishedTasks", "Progress", "TaskErrMsg", "Status", "Timeout"})
             : Columns({"JobId", "Label", "Timestamp", "DbName", "State", "AllowLoad",
                        "ReplicationNum", "RestoreObjs", "CreateTime", "MetaPreparedTime",
                        "SnapshotFinishedTime", "DownloadFinishedTime", "FinishedTime",
                        "UnfinishedTasks", "Progress", "TaskErrMsg", "Status", "Timeout"});
  for (const auto& job : jobs) {
    if (!LabelMatches(s, job.label)) continue;
    const JobRecord& r = job.record;
    const std::string state = DorisState(job);
    const bool finished = state == "FINISHED";
    const bool done = finished || state == "CANCELLED";
    const bool planned = r.total_units > 0 || done;
    SqlCell unfinished = done ? Text("") : Text(std::to_string(r.total_units - r.done_units));
    SqlCell progress = Text(std::to_string(r.done_units) + "/" + std::to_string(r.total_units));
    SqlCell status = Text(r.error.empty() ? "[OK]" : "[" + r.error + "]");
    SqlCell objects = Text("[" + Join(job.objects, ", ") + "]");
    SqlCell transferred = finished ? Time(r.end_ms) : std::nullopt;
    if (backup) {
      out.rows.push_back({Text(r.id), Text(job.label), Text(DorisDatabaseName(r.database)),
                          Text(state), objects, Time(r.start_ms),
                          planned ? Time(r.start_ms) : std::nullopt, transferred,
                          done ? Time(r.end_ms) : std::nullopt, unfinished, progress, Text(r.error),
                          status, Number(job.timeout_s)});
    } else {
      out.rows.push_back(
          {Text(r.id), Text(job.label), Text(job.timestamp), Text(DorisDatabaseName(r.database)),
           Text(state), Text("false"), Number(1), objects, Time(r.start_ms),
           planned ? Time(r.start_ms) : std::nullopt, planned ? Time(r.start_ms) : std::nullopt,
           transferred, done ? Time(r.end_ms) : std::nullopt, unfinished, progress, Text(r.error),
           status, Number(job.timeout_s)});
    }
  }
  return WithResult(std::move(out));
}

Result<SqlOutcome> SqlSession::ShowSnapshots(const SqlShow& s) {
  const bool detailed = s.timestamp.has_value();
  ASSIGN_OR_RETURN(auto snapshots,
                   SnapshotService(session_).ListSnapshots(s.repository, /*with_chunks=*/detailed));
  SqlResultSet out = detailed ? Columns({"Snapshot", "Timestamp", "Status", "Database", "Details"})
                              : Columns({"Snapshot", "Timestamp", "Status"});
  for (const auto& v : snapshots) {
    if (s.snapshot && v.label != *s.snapshot) continue;
    if (s.timestamp && v.timestamp != *s.timestamp) continue;
    std::vector<SqlCell> row = {Text(v.label), Text(v.timestamp), Text("OK")};
    if (detailed) {
      nlohmann::json tables = nlohmann::json::object();
      for (const auto& t : v.manifest.tables)
        tables[t.name] = {{"partitions", nlohmann::json::array()}};
      auto scheme_of = [&](const ManifestTable& t) {
        return PartitionScheme::FromJson(t.scheme.is_null() ? v.manifest.scheme : t.scheme);
      };
      for (const auto& c : v.manifest.chunks) {
        const ManifestTable* t = v.manifest.FindTable(c.table);
        auto scheme =
            t ? scheme_of(*t) : Result<std::unique_ptr<PartitionScheme>>(Corruption("no table"));
        std::string name = scheme.ok() ? (*scheme)->PartitionName(c.path) : c.path;
        auto& partitions = tables[c.table]["partitions"];
        if (std::find(partitions.begin(), partitions.end(), name) == partitions.end()) {
          partitions.push_back(name);
        }
      }
      row.push_back(Text(DorisDatabaseName(v.database)));
      row.push_back(Text(DumpJson(nlohmann::json{{"tables", tables}})));
    }
    out.rows.push_back(std::move(row));
  }
  return WithResult(std::move(out));
}

}  // namespace strata
