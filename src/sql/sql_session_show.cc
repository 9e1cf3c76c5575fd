// SHOW and DESC of SqlSession.
#include <algorithm>
#include <map>

#include "auth/auth.h"
#include "base/strings.h"
#include "sql/binder_table.h"
#include "sql/binder_types.h"
#include "sql/sql_select_internal.h"
#include "sql/sql_session.h"
#include "sql/table_store.h"

namespace strata {

namespace {

SqlCell Text(std::string text) { return Scalar::String(Type::kString, std::move(text)); }
SqlCell Number(int64_t n) { return Scalar::Int(Type::kLong, n); }

SqlResultSet TextColumns(std::vector<std::string> columns) {
  SqlResultSet out;
  out.types.assign(columns.size(), "VARCHAR");
  out.columns = std::move(columns);
  return out;
}

}  // namespace

Result<SqlOutcome> SqlSession::Run(const SqlShow& s) {
  switch (s.kind) {
    case SqlShowKind::kDatabases:
      return ShowDatabases();
    case SqlShowKind::kTables:
      return ShowTables(s);
    case SqlShowKind::kPartitions:
      return ShowPartitions(*s.table);
    case SqlShowKind::kCreateTable:
      return ShowCreateTable(*s.table);
    case SqlShowKind::kGrants:
      return ShowGrants(s);
    case SqlShowKind::kRepositories:
      return ShowRepositories();
    case SqlShowKind::kBackup:
    case SqlShowKind::kRestore:
      return ShowSnapshotJobs(s);
    case SqlShowKind::kSnapshot:
      return ShowSnapshots(s);
    case SqlShowKind::kVariables:
    case SqlShowKind::kStatus:
      return ShowVariables(s);
    case SqlShowKind::kWarnings:
    case SqlShowKind::kErrors:
      return ShowDiagnostics(s);
    case SqlShowKind::kEngines:
      return ShowEngines();
    case SqlShowKind::kCharset:
      return ShowCharsets(s);
    case SqlShowKind::kCollation:
      return ShowCollations(s);
  }
  return Internal("unknown SHOW");
}

Result<SqlOutcome> SqlSession::ShowDatabases() {
  ASSIGN_OR_RETURN(auto databases, session_.databases().ListDatabases());
  std::vector<std::string> names;
  for (const auto& db : databases) {
    if (db.name.rfind("dfs://", 0) == 0) names.push_back(DorisDatabaseName(db.name));
  }
  std::sort(names.begin(), names.end());
  SqlOutcome outcome;
  outcome.result = TextColumns({"Database"});
  for (auto& name : names) outcome.result->rows.push_back({Text(std::move(name))});
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowTables(const SqlShow& s) {
  std::string db;
  if (s.db) {
    db = StrataDatabaseName(*s.db);
  } else {
    ASSIGN_OR_RETURN(db, CurrentDatabase());
  }
  ASSIGN_OR_RETURN(auto tables, session_.databases().ListTables(db));
  std::vector<std::string> names;
  for (const auto& t : tables) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  SqlOutcome outcome;
  outcome.result = TextColumns({"Tables_in_" + DorisDatabaseName(db)});
  for (auto& name : names) outcome.result->rows.push_back({Text(std::move(name))});
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowPartitions(const SqlTableRef& ref) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(ref));
  ASSIGN_OR_RETURN(SqlTableHandle table, OpenSqlTable(session_.databases(), db, ref.table));
  ASSIGN_OR_RETURN(DatabaseChunks chunks, session_.databases().ListChunks(db, ref.table));
  const SqlTableDefinition& d = table.definition;
  const auto& partition_columns = table.ref.table.partition_columns;
  // Rows per first-level partition name.
  std::map<std::string, int64_t> rows;
  int64_t total = 0;
  for (const auto& t : chunks.tables) {
    for (const auto& chunk : t.chunks) {
      total += static_cast<int64_t>(chunk.rows);
      if (table.scheme && !partition_columns.empty()) {
        rows[table.scheme->PartitionName(chunk.path)] += static_cast<int64_t>(chunk.rows);
      }
    }
  }
  SqlOutcome outcome;
  outcome.result = TextColumns({"PartitionId", "PartitionName", "PartitionKey", "Range",
                                "DistributionKey", "Buckets", "Rows"});
  SqlResultSet& out = *outcome.result;
  out.types[0] = "BIGINT";
  out.types[5] = "INT";
  out.types[6] = "BIGINT";
  std::string distribution = d.bucket_column.empty() ? "" : d.bucket_column;
  int64_t buckets = d.bucket_column.empty() ? 1 : d.buckets;
  if (table.made_by_sql) {
    if (!d.partition_kind) {
      out.rows.push_back({Number(1), Text(ref.table), Text(""), Text(""), Text(distribution),
                          Number(buckets), Number(total)});
      return outcome;
    }
    const SqlColumnSpec* column = d.Find(d.partition_column);
    auto partitions = NamedPartitionsOfScheme(*table.scheme);
    for (size_t i = 0; i < partitions.size(); ++i) {
      const auto& p = partitions[i];
      out.rows.push_back({Number(static_cast<int64_t>(i + 1)), Text(p.name),
                          Text(d.partition_column),
                          Text(PartitionRangeText(p, column ? column->type.type : Type::kVoid)),
                          Text(distribution), Number(buckets), Number(rows[p.name])});
    }
    return outcome;
  }
  // A table a script made: its first level's partitions by name, or those holding data.
  if (partition_columns.empty() || !table.scheme) {
    out.rows.push_back(
        {Number(1), Text(ref.table), Text(""), Text(""), Text(""), Number(1), Number(total)});
    return outcome;
  }
  std::vector<std::string> names = table.scheme->partition_names();
  if (names.empty()) {
    for (const auto& [name, count] : rows) names.push_back(name);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    out.rows.push_back({Number(static_cast<int64_t>(i + 1)), Text(names[i]),
                        Text(partition_columns[0]), Text(""),
                        Text(partition_columns.size() > 1 ? partition_columns[1] : ""), Number(1),
                        Number(rows[names[i]])});
  }
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowCreateTable(const SqlTableRef& ref) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(ref));
  ASSIGN_OR_RETURN(SqlTableHandle table, OpenSqlTable(session_.databases(), db, ref.table));
  std::vector<SqlBoundPartition> partitions;
  if (table.made_by_sql && table.definition.partition_kind) {
    partitions = NamedPartitionsOfScheme(*table.scheme);
  }
  SqlOutcome outcome;
  outcome.result = TextColumns({"Table", "Create Table"});
  outcome.result->rows.push_back(
      {Text(ref.table), Text(ShowCreateTableText(ref.table, table.definition, partitions))});
  return outcome;
}

Result<SqlOutcome> SqlSession::Run(const SqlDescribe& s) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(s.table));
  ASSIGN_OR_RETURN(SqlTableHandle table, OpenSqlTable(session_.databases(), db, s.table.table));
  const SqlTableDefinition& d = table.definition;
  SqlOutcome outcome;
  outcome.result = TextColumns({"Field", "Type", "Null", "Key", "Default", "Extra"});
  for (const auto& c : d.columns) {
    bool key = std::find(d.key_columns.begin(), d.key_columns.end(), c.name) != d.key_columns.end();
    SqlCell default_cell;
    if (c.default_kind == SqlDefaultKind::kLiteral) default_cell = Text(c.default_text);
    if (c.default_kind == SqlDefaultKind::kCurrentTimestamp)
      default_cell = Text("CURRENT_TIMESTAMP");
    outcome.result->rows.push_back({Text(c.name), Text(c.type.text),
                                    Text(c.nullable ? "YES" : "NO"), Text(key ? "true" : "false"),
                                    default_cell, Text("")});
  }
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowGrants(const SqlShow& s) {
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  Catalog& catalog = session_.engine()->catalog();
  std::string user = s.user ? s.user->name : session_.user();
  if (user != session_.user()) {
    ASSIGN_OR_RETURN(bool superuser, session_.IsSuperuser());
    if (!superuser) {
      return PermissionDenied(
          "only a superuser may see the grants of another user; SHOW GRANTS "
          "shows your own");
    }
  }
  ASSIGN_OR_RETURN(auto record, catalog.FindUser(user));
  if (!record) return NotFound("user " + Quote(user) + " does not exist");
  SqlOutcome outcome;
  outcome.result = TextColumns({"UserIdentity", "Database", "Privileges"});
  std::string identity = "'" + user + "'@'%'";
  if (record->is_admin) {
    outcome.result->rows.push_back({Text(identity), Text("*"), Text("ADMIN_PRIV")});
  }
  ASSIGN_OR_RETURN(auto grants, catalog.ListGrants(user));
  std::map<std::string, std::vector<std::string>> by_database;
  for (const auto& g : grants) {
    std::string db = g.database == kAllDatabases ? "*" : DorisDatabaseName(g.database);
    by_database[db].push_back(g.access == "DB_WRITE" ? "LOAD_PRIV" : "SELECT_PRIV");
  }
  for (auto& [db, privileges] : by_database) {
    std::sort(privileges.begin(), privileges.end(), std::greater<>());  // SELECT_PRIV first
    outcome.result->rows.push_back({Text(identity), Text(db), Text(Join(privileges, ", "))});
  }
  return outcome;
}

}  // namespace strata
