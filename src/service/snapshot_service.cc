#include "service/snapshot_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "backup/backup.h"
#include "backup/chunk_tree.h"
#include "backup/prune.h"
#include "backup/restore.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "partition/layout_check.h"
#include "partition/selection.h"
#include "service/repository_service.h"

namespace strata {

namespace {

std::string ObjectText(const std::string& database, const SnapshotTable& table) {
  std::string text = DatabaseShortName(database) + "." + table.name;
  if (!table.partitions.empty()) text += " PARTITION (" + Join(table.partitions, ", ") + ")";
  if (!table.alias.empty()) text += " AS " + table.alias;
  return text;
}

// The first-level partition names of a table as a snapshot statement names them: a named
// scheme's own; one partition named after the table for a table with a layout of its own but
// no named partitions (Doris's table without PARTITION BY); else the path components its
// chunks lie in (a script-made table).
std::vector<std::string> PartitionNamesOf(const PartitionScheme& scheme, bool own_layout,
                                          const std::string& table,
                                          const std::vector<std::string>& paths) {
  std::vector<std::string> names = scheme.partition_names();
  if (!names.empty()) return names;
  if (own_layout) return {table};
  std::set<std::string> seen;
  for (const auto& path : paths) {
    std::string name = scheme.PartitionName(path);
    if (seen.insert(name).second) names.push_back(name);
  }
  return names;
}

// Whether PartitionNamesOf takes the names from the paths.
bool NamedByPaths(const PartitionScheme& scheme, bool own_layout) {
  return scheme.partition_names().empty() && !own_layout;
}

// Appends `path` to `paths` (in path order) unless the last one lies in the same partition:
// a table's paths in one first-level partition are consecutive in path order.
void AddPartitionPath(const PartitionScheme& scheme, const std::string& path,
                      std::vector<std::string>& paths) {
  if (paths.empty() || scheme.PartitionName(paths.back()) != scheme.PartitionName(path)) {
    paths.push_back(path);
  }
}

// The engine's chunks are read this many at a time.
constexpr size_t kChunkPage = 4096;

// A path of each partition of `table` in the snapshot `manifest`, read from its chunk tree a
// leaf at a time (or from its chunks, for a version-1 manifest).
Result<std::vector<std::string>> BackedUpPartitionPaths(Repository& repository,
                                                        const Manifest& manifest,
                                                        const std::string& table,
                                                        const PartitionScheme& scheme) {
  std::vector<std::string> paths;
  if (manifest.tree.root.empty()) {
    for (const auto& c : manifest.chunks) {
      if (c.table == table) AddPartitionPath(scheme, c.path, paths);
    }
    return paths;
  }
  ChunkTreeCursor cursor(repository, manifest.tree, manifest.id);
  for (;;) {
    ASSIGN_OR_RETURN(auto leaf, cursor.NextLeaf());
    if (leaf.empty() || leaf.front().table > table) return paths;
    for (const auto& c : leaf) {
      if (c.table == table) AddPartitionPath(scheme, c.path, paths);
    }
  }
}

std::string SomeOf(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  constexpr size_t kShown = 10;
  std::vector<std::string> shown(names.begin(), names.begin() + std::min(names.size(), kShown));
  return Join(shown, ", ") + (names.size() > kShown ? ", ..." : "");
}

// `names` minus `excluded`, in order (also: the listed names a table lacks, for errors).
std::vector<std::string> Without(const std::vector<std::string>& names,
                                 const std::vector<std::string>& excluded) {
  std::vector<std::string> kept;
  for (const auto& name : names) {
    if (std::find(excluded.begin(), excluded.end(), name) == excluded.end()) kept.push_back(name);
  }
  return kept;
}

const SnapshotTable* Listed(const std::vector<SnapshotTable>& tables, const std::string& name) {
  for (const auto& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// What a job record's details hold for the Doris statements.
nlohmann::json JobDetails(const std::string& repository, const std::string& label,
                          const std::string& timestamp, const std::vector<std::string>& objects,
                          int64_t timeout_ms) {
  return {{"dialect", "doris"},     {"repository", repository}, {"label", label},
          {"timestamp", timestamp}, {"objects", objects},       {"timeout_s", timeout_ms / 1000}};
}

// OK if `existing` (the restore's target table) can take the snapshot's `table`: the same
// columns in the same order with the same types, and the same partition columns.
Status CheckRestorable(const std::string& database, const TableRecord& existing,
                       const ManifestTable& table) {
  std::string where = "table " + Quote(existing.name) + " of " + Quote(DatabaseShortName(database));
  if (auto difference =
          TableShapeDifference(existing.schema, existing.partition_columns, table.schema,
                               table.partition_columns, "the snapshot's " + Quote(table.name))) {
    return FailedPrecondition(where + *difference +
                              "; restore it AS another name, or drop the table first");
  }
  if (existing.scheme.is_null() != table.scheme.is_null()) {
    return FailedPrecondition(where + " is partitioned differently from the snapshot's " +
                              Quote(table.name) +
                              "; restore it AS another name, or drop the table first");
  }
  // Named partitions may differ in which exist (a missing one comes back), not in what one
  // name holds; the levels under them (buckets) and HASH-only layouts must be the same.
  if (!existing.scheme.is_null()) {
    auto have = PartitionScheme::FromJson(existing.scheme);
    auto want = PartitionScheme::FromJson(table.scheme);
    if (!have.ok()) return have.status().WithContext(where);
    if (!want.ok()) return want.status().WithContext("the snapshot's table " + Quote(table.name));
    Status same = CheckSameLayout(**have, where, **want, "the snapshot's " + Quote(table.name));
    if (!same.ok()) {
      return FailedPrecondition(same.message() +
                                "; restore it AS another name, or drop the table first");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string SnapshotService::TimestampOf(int64_t ms) {
  std::string text = FormatUtcMs(ms).substr(0, 19);  // 2026-11-21T10:00:00
  for (char& c : text) {
    if (c == 'T' || c == ':') c = '-';
  }
  return text;
}

Result<std::string> SnapshotService::SubmitBackup(const SnapshotBackupSpec& spec) {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  RETURN_IF_ERROR(session_.databases().Check(spec.database, DatabaseAccess::kRead));
  if (spec.label.empty()) return InvalidArgument("a snapshot needs a label");
  RepositoryService repositories(session_);
  ASSIGN_OR_RETURN(OpenedRepository repo, repositories.Open(spec.repository));
  if (repo.record.read_only) {
    return FailedPrecondition("repository " + Quote(spec.repository) +
                              " is READ ONLY: it takes no backups; back up to another one");
  }
  Engine& engine = *session_.engine();
  auto pin = engine.PinLatest();
  ASSIGN_OR_RETURN(DatabaseRecord db, engine.GetDatabase(*pin, spec.database));
  ASSIGN_OR_RETURN(auto all_tables, engine.ListTables(*pin, db.id));
  std::vector<std::string> table_names;
  for (const auto& t : all_tables) table_names.push_back(t.name);
  for (const auto& listed : spec.tables) {
    if (std::find(table_names.begin(), table_names.end(), listed.name) == table_names.end()) {
      return NotFound("table " + Quote(listed.name) + " does not exist in database " +
                      Quote(DatabaseShortName(spec.database)) +
                      " (its tables: " + SomeOf(table_names) + ")");
    }
  }

  BackupRequest request;
  request.database = spec.database;
  request.exact = true;
  request.force = !spec.incremental;
  request.parallel = true;
  request.label = spec.label;
  request.create_repository = false;
  std::vector<std::string> objects;
  for (const auto& table : all_tables) {
    const SnapshotTable* listed = Listed(spec.tables, table.name);
    const bool whole_table_excluded = spec.exclude && listed && listed->partitions.empty();
    if (whole_table_excluded || (!spec.exclude && !spec.tables.empty() && !listed)) continue;
    request.tables.push_back(table.name);
    if (!listed || listed->partitions.empty()) {
      objects.push_back(ObjectText(spec.database, SnapshotTable{table.name, {}, ""}));
      continue;
    }
    // Named partitions: they must exist; EXCLUDE keeps the others.
    TableRef ref{db, table};
    ASSIGN_OR_RETURN(auto scheme, engine.SchemeOf(ref));
    const bool own_layout = !table.scheme.is_null();
    std::vector<std::string> paths;  // a path of each partition, when its paths name them
    if (NamedByPaths(*scheme, own_layout)) {
      std::optional<std::string> after;
      do {
        ASSIGN_OR_RETURN(auto page, engine.ListChunkPage(*pin, ref, after, kChunkPage));
        for (const auto& c : page.chunks) AddPartitionPath(*scheme, c.path, paths);
        after = std::move(page.next_after);
      } while (after);
    }
    std::vector<std::string> names = PartitionNamesOf(*scheme, own_layout, table.name, paths);
    std::vector<std::string> unknown = Without(listed->partitions, names);
    if (!unknown.empty()) {
      return NotFound("partition " + Quote(unknown[0]) + " does not exist in table " +
                      Quote(table.name) + " of " + Quote(DatabaseShortName(spec.database)) +
                      " (its partitions: " + SomeOf(names) + ")");
    }
    std::vector<std::string> chosen =
        spec.exclude ? Without(names, listed->partitions) : listed->partitions;
    if (own_layout && scheme->partition_names().empty()) {  // the table is its one partition
      if (chosen.empty()) {
        request.tables.pop_back();
      } else {
        objects.push_back(ObjectText(spec.database, SnapshotTable{table.name, {}, ""}));
      }
      continue;
    }
    request.table_partitions.emplace(table.name, PartitionSelection::Names(chosen));
    objects.push_back(ObjectText(spec.database, SnapshotTable{table.name, chosen, ""}));
  }
  if (request.tables.empty()) {
    return InvalidArgument("snapshot " + Quote(spec.label) + " would hold no table of " +
                           Quote(DatabaseShortName(spec.database)) + "; name at least one table");
  }
  pin.reset();
  ASSIGN_OR_RETURN(auto snapshots, ListAllSnapshots(repo.location));
  for (const auto& m : snapshots) {
    if (m.label && *m.label == spec.label) {
      return AlreadyExists("snapshot label " + Quote(spec.label) + " is already used in " +
                           "repository " + Quote(spec.repository) + " (database " +
                           Quote(DatabaseShortName(m.database)) + ", timestamp " +
                           TimestampOf(m.created_ms) + "); choose another label");
    }
  }

  ASSIGN_OR_RETURN(JobManager * jobs, session_.instance().jobs());
  JobSpec job;
  job.kind = JobKind::kBackupByCopyFile;
  job.user = session_.user();
  job.database = spec.database;
  job.table = Join(request.tables, ",");
  job.label = "BACKUP SNAPSHOT " + spec.label + " TO " + spec.repository;
  job.details = DumpJson(JobDetails(spec.repository, spec.label, "", objects, spec.timeout_ms));
  job.timeout_ms = spec.timeout_ms;
  job.error_wording = session_.error_wording();
  auto location = std::make_shared<BackupLocation>(std::move(repo.location));
  location->on_warning = nullptr;  // the session may be gone when the job warns
  return jobs->Submit(job, [&engine, location, request](TaskControl& control) -> Result<Value> {
    ASSIGN_OR_RETURN(BackupOutcome outcome, RunBackup(engine, *location, request, control));
    return Value(Scalar::String(Type::kString, outcome.snapshot_id));
  });
}

Result<std::string> SnapshotService::SubmitRestore(const SnapshotRestoreSpec& spec) {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  RETURN_IF_ERROR(session_.databases().Check(spec.database, DatabaseAccess::kWrite));
  if (spec.timestamp.empty()) {
    return InvalidArgument("RESTORE needs the property \"backup_timestamp\"; SHOW SNAPSHOT ON `" +
                           spec.repository + "` lists the timestamps of " + Quote(spec.label));
  }
  RepositoryService repositories(session_);
  ASSIGN_OR_RETURN(OpenedRepository repo, repositories.Open(spec.repository));
  ASSIGN_OR_RETURN(auto snapshots, ListAllSnapshots(repo.location));
  std::vector<std::string> timestamps;
  Manifest* manifest = nullptr;
  for (auto& m : snapshots) {
    if (!m.label || *m.label != spec.label) continue;
    timestamps.push_back(TimestampOf(m.created_ms));
    if (timestamps.back() == spec.timestamp) manifest = &m;
  }
  if (timestamps.empty()) {
    return NotFound("snapshot " + Quote(spec.label) + " does not exist in repository " +
                    Quote(spec.repository) + "; SHOW SNAPSHOT ON `" + spec.repository +
                    "` lists its snapshots");
  }
  if (manifest == nullptr) {
    return NotFound("snapshot " + Quote(spec.label) + " of repository " + Quote(spec.repository) +
                    " has no backup at timestamp " + Quote(spec.timestamp) + " (it has " +
                    SomeOf(timestamps) + ")");
  }
  std::vector<std::string> snapshot_tables;
  for (const auto& t : manifest->tables) snapshot_tables.push_back(t.name);
  for (const auto& listed : spec.tables) {
    if (!manifest->FindTable(listed.name)) {
      return NotFound("table " + Quote(listed.name) + " is not in snapshot " + Quote(spec.label) +
                      " (it holds " + SomeOf(snapshot_tables) + ")");
    }
  }

  RestoreRequest request;
  request.database = manifest->database;
  request.target_database = spec.database;
  request.create_missing = true;
  request.force = true;
  request.parallel = true;
  request.snapshot = spec.clean_partitions;
  request.replace_partitions = true;
  Engine& engine = *session_.engine();
  auto pin = engine.PinLatest();
  std::vector<std::string> objects;
  for (const auto& table : manifest->tables) {
    const SnapshotTable* listed = Listed(spec.tables, table.name);
    const bool whole_table_excluded = spec.exclude && listed && listed->partitions.empty();
    if (whole_table_excluded || (!spec.exclude && !spec.tables.empty() && !listed)) continue;
    std::string target = listed && !listed->alias.empty() ? listed->alias : table.name;
    request.tables.push_back(table.name);
    if (target != table.name) request.target_names[table.name] = target;
    auto existing = engine.GetTable(*pin, spec.database, target);
    if (existing.ok()) {
      RETURN_IF_ERROR(CheckRestorable(spec.database, existing->table, table));
    } else if (existing.status().code() != StatusCode::kNotFound) {
      return existing.status();
    }
    SnapshotTable shown{table.name, {}, target != table.name ? target : ""};
    if (listed && !listed->partitions.empty()) {
      auto scheme =
          PartitionScheme::FromJson(table.scheme.is_null() ? manifest->scheme : table.scheme);
      if (!scheme.ok()) return scheme.status().WithContext("snapshot " + Quote(spec.label));
      const bool own_layout = !table.scheme.is_null();
      std::vector<std::string> paths;  // a path of each partition, when its paths name them
      if (NamedByPaths(**scheme, own_layout)) {
        ASSIGN_OR_RETURN(paths, BackedUpPartitionPaths(*repo.location.repository, *manifest,
                                                       table.name, **scheme));
      }
      std::vector<std::string> names = PartitionNamesOf(**scheme, own_layout, table.name, paths);
      std::vector<std::string> unknown = Without(listed->partitions, names);
      if (!unknown.empty()) {
        return NotFound("partition " + Quote(unknown[0]) + " of table " + Quote(table.name) +
                        " is not in snapshot " + Quote(spec.label) +
                        " (its partitions: " + SomeOf(names) + ")");
      }
      shown.partitions = spec.exclude ? Without(names, listed->partitions) : listed->partitions;
      if (own_layout && (*scheme)->partition_names().empty()) {  // the table is its one partition
        if (shown.partitions.empty()) {
          request.tables.pop_back();
          request.target_names.erase(table.name);
          continue;
        }
        shown.partitions.clear();
      } else {
        request.partition_names[table.name] =
            std::set<std::string>(shown.partitions.begin(), shown.partitions.end());
      }
    }
    objects.push_back(ObjectText(spec.database, shown));
  }
  if (spec.clean_tables) {
    auto db = engine.GetDatabase(*pin, spec.database);
    if (db.ok()) {
      ASSIGN_OR_RETURN(auto existing, engine.ListTables(*pin, db->id));
      for (const auto& t : existing) {
        bool in_snapshot = manifest->FindTable(t.name) != nullptr;
        for (const auto& [from, to] : request.target_names)
          in_snapshot = in_snapshot || to == t.name;
        if (!in_snapshot) request.drop_tables.push_back(t.name);
      }
    }
  }
  pin.reset();
  if (request.tables.empty()) {
    return InvalidArgument("the restore of snapshot " + Quote(spec.label) +
                           " would restore no table; name at least one");
  }

  ASSIGN_OR_RETURN(JobManager * jobs, session_.instance().jobs());
  JobSpec job;
  job.kind = JobKind::kRestoreByCopyFile;
  job.user = session_.user();
  job.database = spec.database;
  job.table = Join(request.tables, ",");
  job.label = "RESTORE SNAPSHOT " + spec.label + " FROM " + spec.repository;
  job.details =
      DumpJson(JobDetails(spec.repository, spec.label, spec.timestamp, objects, spec.timeout_ms));
  job.timeout_ms = spec.timeout_ms;
  job.error_wording = session_.error_wording();
  auto location = std::make_shared<BackupLocation>(std::move(repo.location));
  location->on_warning = nullptr;
  auto snapshot = std::make_shared<const Manifest>(*manifest);
  return jobs->Submit(
      job, [&engine, location, snapshot, request](TaskControl& control) -> Result<Value> {
        ASSIGN_OR_RETURN(RestoreOutcome outcome,
                         RunRestore(engine, *location, *snapshot, request, control));
        return Value(Scalar::Int(Type::kLong, static_cast<int64_t>(outcome.chunks_restored)));
      });
}

Result<std::vector<SnapshotJobView>> SnapshotService::ListJobs(SnapshotJobKind kind,
                                                               const std::string& database) {
  ASSIGN_OR_RETURN(JobManager * jobs, session_.instance().jobs());
  ASSIGN_OR_RETURN(JobCaller caller, session_.JobCallerOf());
  ASSIGN_OR_RETURN(auto records, jobs->List());
  const JobKind wanted =
      kind == SnapshotJobKind::kBackup ? JobKind::kBackupByCopyFile : JobKind::kRestoreByCopyFile;
  std::vector<SnapshotJobView> views;
  for (auto& record : records) {
    if (ParseJobKind(record.kind) != wanted || record.details.empty()) continue;
    if (!database.empty() && record.database != database) continue;
    if (caller.access != JobAccess::kAllJobs && record.user != caller.user) continue;
    auto details = nlohmann::json::parse(record.details, nullptr, false);
    if (!details.is_object() || details.value("dialect", "") != "doris") continue;
    SnapshotJobView view;
    view.kind = kind;
    view.repository = details.value("repository", "");
    view.label = details.value("label", "");
    view.timestamp = details.value("timestamp", "");
    view.timeout_s = details.value("timeout_s", int64_t{0});
    if (auto objects = details.find("objects"); objects != details.end() && objects->is_array()) {
      for (const auto& o : *objects) {
        if (o.is_string()) view.objects.push_back(o.get<std::string>());
      }
    }
    view.record = std::move(record);
    views.push_back(std::move(view));
  }
  return views;
}

Status SnapshotService::Cancel(SnapshotJobKind kind, const std::string& database) {
  ASSIGN_OR_RETURN(auto views, ListJobs(kind, database));
  ASSIGN_OR_RETURN(JobManager * jobs, session_.instance().jobs());
  ASSIGN_OR_RETURN(JobCaller caller, session_.JobCallerOf());
  for (const auto& view : views) {
    auto state = ParseJobState(view.record.state);
    if (state && !IsFinal(*state)) return jobs->Cancel(view.record.id, caller);
  }
  return NotFound(std::string("database ") + Quote(DatabaseShortName(database)) + " has no " +
                  (kind == SnapshotJobKind::kBackup ? "backup" : "restore") +
                  " job running; SHOW " +
                  (kind == SnapshotJobKind::kBackup ? "BACKUP" : "RESTORE") + " lists its jobs");
}

Status SnapshotService::DropSnapshot(const std::string& repository, const std::string& label,
                                     const std::string& timestamp) {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  ASSIGN_OR_RETURN(bool superuser, session_.IsSuperuser());
  if (!superuser) {
    return PermissionDenied("user " + Quote(session_.user()) +
                            " may not drop snapshots: only a superuser may delete backups");
  }
  RepositoryService repositories(session_);
  ASSIGN_OR_RETURN(OpenedRepository repo, repositories.Open(repository));
  if (repo.record.read_only) {
    return FailedPrecondition("repository " + Quote(repository) +
                              " is READ ONLY: its snapshots cannot be dropped through it");
  }
  for (SnapshotJobKind kind : {SnapshotJobKind::kBackup, SnapshotJobKind::kRestore}) {
    ASSIGN_OR_RETURN(auto jobs, ListJobs(kind, ""));
    for (const auto& job : jobs) {
      auto state = ParseJobState(job.record.state);
      if (state && !IsFinal(*state) && job.repository == repository && job.label == label) {
        return FailedPrecondition("snapshot " + Quote(label) + " of repository " +
                                  Quote(repository) + " is in use by job " + Quote(job.record.id) +
                                  "; wait for it or CANCEL it first");
      }
    }
  }
  ASSIGN_OR_RETURN(auto snapshots, ListAllSnapshots(repo.location));
  PruneRequest request;
  std::vector<std::string> timestamps;
  for (const auto& m : snapshots) {
    if (!m.label || *m.label != label) continue;
    timestamps.push_back(TimestampOf(m.created_ms));
    if (!timestamp.empty() && timestamps.back() != timestamp) continue;
    request.database = m.database;
    request.snapshot_ids.push_back(m.id);
  }
  if (timestamps.empty()) {
    return NotFound("snapshot " + Quote(label) + " does not exist in repository " +
                    Quote(repository) + "; SHOW SNAPSHOT ON `" + repository + "` lists them");
  }
  if (request.snapshot_ids.empty()) {
    return NotFound("snapshot " + Quote(label) + " of repository " + Quote(repository) +
                    " has no backup at timestamp " + Quote(timestamp) + " (it has " +
                    SomeOf(timestamps) + ")");
  }
  ASSIGN_OR_RETURN(PruneOutcome outcome, PruneBackups(repo.location, request));
  if (!outcome.sweep_skipped.empty()) {
    session_.Warn("DROP SNAPSHOT " + label + ": " + outcome.sweep_skipped);
  }
  return Status::Ok();
}

Result<std::vector<SnapshotView>> SnapshotService::ListSnapshots(const std::string& repository,
                                                                 bool with_chunks) {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  RepositoryService repositories(session_);
  ASSIGN_OR_RETURN(OpenedRepository repo, repositories.Open(repository));
  ASSIGN_OR_RETURN(auto snapshots, ListAllSnapshots(repo.location));
  std::vector<SnapshotView> views;
  for (auto& m : snapshots) {
    if (!m.label) continue;  // a script's backup: no label to restore it by
    if (with_chunks) RETURN_IF_ERROR(LoadChunks(*repo.location.repository, m));
    views.push_back(SnapshotView{*m.label, TimestampOf(m.created_ms), m.database, std::move(m)});
  }
  return views;
}

}  // namespace strata
