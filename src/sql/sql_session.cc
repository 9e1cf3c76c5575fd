#include "sql/sql_session.h"

#include <algorithm>

#include "base/strings.h"
#include "partition/named_partitions.h"
#include "sql/binder_table.h"
#include "sql/binder_types.h"
#include "sql/sql_parser.h"
#include "sql/table_store.h"

namespace strata {

namespace {

constexpr const char* kDfsPrefix = "dfs://";

std::string TableText(const SqlTableRef& ref) {
  return ref.db ? *ref.db + "." + ref.table : ref.table;
}

bool IsNotFound(const Status& status) { return status.code() == StatusCode::kNotFound; }

}  // namespace

std::string StrataDatabaseName(const std::string& doris_name) { return kDfsPrefix + doris_name; }

std::string DorisDatabaseName(const std::string& strata_name) {
  return DatabaseShortName(strata_name);
}

std::string SqlErrorText(const Status& status) {
  const Remedy& remedy = status.remedy();
  auto arg = [&](size_t i) { return i < remedy.args.size() ? remedy.args[i] : std::string(); };
  std::string text = status.message();
  switch (remedy.kind) {
    case RemedyKind::kNone:
      break;
    case RemedyKind::kLogin:
      text += ": log in first (strata sql --user NAME --password PASSWORD)";
      break;
    case RemedyKind::kGrant:
      text += "; a superuser can grant it with GRANT " +
              std::string(arg(1) == "DB_WRITE" ? "LOAD_PRIV" : "SELECT_PRIV") + " ON " +
              (arg(2) == "*" ? std::string("*") : DorisDatabaseName(arg(2))) + ".* TO '" + arg(0) +
              "'";
      break;
    case RemedyKind::kDefineDatabase:
    case RemedyKind::kCreateDatabase:
      text += "; CREATE DATABASE " + DorisDatabaseName(arg(0)) + " makes it";
      break;
    case RemedyKind::kOpenOrDropDatabase:
      text += "; USE " + DorisDatabaseName(arg(0)) + ", or DROP DATABASE it first";
      break;
    case RemedyKind::kCreateTable:
      text += "; CREATE TABLE it first";
      break;
    default:
      break;
  }
  return text;
}

SqlSession::SqlSession(Session& session) : session_(session) {
  session_.set_error_wording([](const Status& status) { return SqlErrorText(status); });
}

Status SqlSession::Execute(std::string_view text, const OutcomeSink& on_outcome) {
  SqlParser parser(text);
  while (true) {
    if (Status interrupted = session_.CheckInterrupted(); !interrupted.ok()) {
      NoteDiagnostics(nullptr, interrupted);
      return interrupted;
    }
    Result<std::optional<Statement>> next = parser.Next(/*defer_values=*/true);
    if (!next.ok()) {
      NoteDiagnostics(nullptr, next.status());
      return next.status();
    }
    std::optional<Statement>& statement = *next;
    if (!statement) return Status::Ok();
    auto* insert = std::get_if<SqlInsert>(&*statement);
    Result<SqlOutcome> outcome = insert && insert->values_follow ? RunInsert(*insert, &parser)
                                                                 : ExecuteStatement(*statement);
    NoteDiagnostics(&*statement, outcome);
    if (!outcome.ok()) return outcome.status();
    RETURN_IF_ERROR(on_outcome(std::move(*outcome), parser.AtEnd()));
  }
}

Result<std::vector<SqlOutcome>> SqlSession::Execute(std::string_view text) {
  std::vector<SqlOutcome> outcomes;
  RETURN_IF_ERROR(Execute(text, [&](SqlOutcome o, bool) {
    outcomes.push_back(std::move(o));
    return Status::Ok();
  }));
  return outcomes;
}

Result<SqlOutcome> SqlSession::ExecuteStatement(const Statement& statement) {
  return std::visit([this](const auto& s) { return Run(s); }, statement);
}

Result<std::string> SqlSession::CurrentDatabase() const {
  if (session_.current_database().empty()) {
    return InvalidArgument("no database selected; USE db or qualify the table as db.t");
  }
  return session_.current_database();
}

Result<std::string> SqlSession::DatabaseOf(const SqlTableRef& table) const {
  return DatabaseOr(table.db);
}

Result<std::string> SqlSession::DatabaseOr(const std::optional<std::string>& db) const {
  if (db) return StrataDatabaseName(*db);
  return CurrentDatabase();
}

// ---- databases --------------------------------------------------------------------------------

Result<SqlOutcome> SqlSession::Run(const SqlCreateDatabase& s) {
  SqlOutcome outcome;
  ASSIGN_OR_RETURN(auto properties, BindProperties(s.properties, &outcome.warnings));
  (void)properties;
  std::string db = StrataDatabaseName(s.name);
  ASSIGN_OR_RETURN(bool exists, session_.databases().DatabaseExists(db));
  if (exists) {
    if (s.if_not_exists) return outcome;
    return AlreadyExists("database " + Quote(s.name) +
                         " already exists; CREATE DATABASE IF NOT EXISTS leaves it as it is");
  }
  Tuple args = {Value(Scalar::Int(Type::kInt, static_cast<int>(Type::kInt))),
                Value(Scalar::Int(Type::kInt, kSqlDatabaseBuckets))};
  ASSIGN_OR_RETURN(auto scheme,
                   PartitionScheme::Make(PartitionType::kHash, Value::MakeTuple(std::move(args))));
  RETURN_IF_ERROR(session_.databases().CreateDatabase(db, *scheme, DatabaseOptions()).status());
  return outcome;
}

Result<SqlOutcome> SqlSession::Run(const SqlDropDatabase& s) {
  std::string db = StrataDatabaseName(s.name);
  ASSIGN_OR_RETURN(bool exists, session_.databases().DatabaseExists(db));
  if (!exists) {
    if (s.if_exists) return SqlOutcome();
    return NotFound("database " + Quote(s.name) + " does not exist; SHOW DATABASES lists them");
  }
  RETURN_IF_ERROR(session_.databases().DropDatabase(db));
  if (session_.current_database() == db) session_.set_current_database("");
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlUse& s) {
  std::string db = StrataDatabaseName(s.db);
  ASSIGN_OR_RETURN(bool exists, session_.databases().DatabaseExists(db));
  if (!exists) {
    return NotFound("unknown database " + Quote(s.db) +
                    "; SHOW DATABASES lists them, CREATE DATABASE makes one");
  }
  session_.set_current_database(db);
  return SqlOutcome();
}

// ---- tables -----------------------------------------------------------------------------------

Result<SqlOutcome> SqlSession::Run(const SqlCreateTable& s) {
  SqlOutcome outcome;
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(s.table));
  ASSIGN_OR_RETURN(SqlBoundTable bound, BindCreateTable(s, &outcome.warnings));
  ASSIGN_OR_RETURN(bool db_exists, session_.databases().DatabaseExists(db));
  if (!db_exists) {
    return NotFound("database " + Quote(DorisDatabaseName(db)) +
                    " does not exist; CREATE DATABASE " + DorisDatabaseName(db) + " first");
  }
  ASSIGN_OR_RETURN(bool exists, session_.databases().TableExists(db, s.table.table));
  if (exists) {
    if (s.if_not_exists) return outcome;
    return AlreadyExists("table " + Quote(s.table.table) + " already exists in database " +
                         Quote(DorisDatabaseName(db)) +
                         "; DROP TABLE it first or write CREATE TABLE IF NOT EXISTS");
  }
  ASSIGN_OR_RETURN(auto scheme, MakeTableScheme(bound.definition, bound.partitions));
  RETURN_IF_ERROR(
      CreateSqlTable(session_.databases(), db, s.table.table, bound.definition, scheme.get()));
  return outcome;
}

Result<SqlOutcome> SqlSession::Run(const SqlDropTable& s) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(s.table));
  auto exists = session_.databases().TableExists(db, s.table.table);
  if (!exists.ok() && !(IsNotFound(exists.status()) && s.if_exists)) return exists.status();
  if (!exists.ok() || !*exists) {
    if (s.if_exists) return SqlOutcome();
    return NotFound("table " + Quote(TableText(s.table)) +
                    " does not exist; SHOW TABLES lists them");
  }
  RETURN_IF_ERROR(session_.databases().DropTable(db, s.table.table));
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlTruncateTable& s) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(s.table));
  ASSIGN_OR_RETURN(SqlTableHandle table, OpenSqlTable(session_.databases(), db, s.table.table));
  PartitionSelection selection = PartitionSelection::All();
  if (!s.partitions.empty() && table.made_by_sql && !table.definition.partition_kind) {
    // A table without PARTITION BY has one partition, named after the table.
    for (const auto& name : s.partitions) {
      if (name != s.table.table) {
        return NotFound("table " + Quote(s.table.table) + " has no partition " + Quote(name) +
                        "; its one partition is named " + Quote(s.table.table));
      }
    }
  } else if (!s.partitions.empty()) {
    for (const auto& name : s.partitions) {
      // A script-made table's names are checked by DropPartitions (its path components).
      if (table.made_by_sql && !table.scheme->ComponentNamed(name)) {
        return NotFound("table " + Quote(s.table.table) + " has no partition " + Quote(name) +
                        "; SHOW PARTITIONS FROM " + s.table.table + " lists them");
      }
    }
    selection = PartitionSelection::Names(s.partitions);
  }
  RETURN_IF_ERROR(session_.databases().DropPartitions(db, selection, s.table.table).status());
  return SqlOutcome();
}

Result<SqlOutcome> SqlSession::Run(const SqlAlterTable& s) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(s.table));
  ASSIGN_OR_RETURN(SqlTableHandle table, OpenSqlTable(session_.databases(), db, s.table.table));
  const SqlTableDefinition& d = table.definition;
  if (!table.made_by_sql || !d.partition_kind) {
    return InvalidArgument("table " + Quote(s.table.table) +
                           " has no named partitions (it was made without PARTITION BY" +
                           std::string(table.made_by_sql ? "" : ", by a script") +
                           "), so partitions cannot be added or dropped");
  }
  std::vector<SqlBoundPartition> partitions = NamedPartitionsOfScheme(*table.scheme);
  auto find = [&](const std::string& name) {
    return std::find_if(partitions.begin(), partitions.end(), [&](const SqlBoundPartition& p) {
      return ToLower(p.name) == ToLower(name);
    });
  };
  auto existing = find(s.partition.name);
  if (s.action == SqlAlterTable::Action::kDropPartition) {
    if (existing == partitions.end()) {
      if (s.if_exists) return SqlOutcome();
      return NotFound("table " + Quote(s.table.table) + " has no partition " +
                      Quote(s.partition.name) + "; SHOW PARTITIONS FROM " + s.table.table +
                      " lists them");
    }
    if (partitions.size() == 1) {
      return FailedPrecondition("partition " + Quote(s.partition.name) + " is the last one of " +
                                Quote(s.table.table) +
                                "; a partitioned table keeps at least one (DROP TABLE drops it)");
    }
    ASSIGN_OR_RETURN(auto scheme, DropNamedPartition(*table.scheme, existing->name));
    RETURN_IF_ERROR(AlterSqlTableScheme(session_.databases(), db, s.table.table, *scheme));
    return SqlOutcome();
  }
  if (existing != partitions.end()) {
    if (s.if_not_exists) return SqlOutcome();
    return AlreadyExists("table " + Quote(s.table.table) + " already has a partition " +
                         Quote(s.partition.name) + "; ADD PARTITION IF NOT EXISTS skips it");
  }
  // VALUES LESS THAN continues from the highest upper bound so far.
  std::optional<Scalar> previous_high;
  bool previous_is_max = false;
  for (const auto& p : partitions) {
    if (p.type != PartitionType::kRange) continue;
    if (!p.high) {
      previous_is_max = true;
    } else if (!previous_high || *previous_high < *p.high) {
      previous_high = p.high;
    }
  }
  const SqlColumnSpec* column = d.Find(d.partition_column);
  if (!column) return Internal("the partition column is missing from the definition");
  ASSIGN_OR_RETURN(auto added, BindPartitionDefs(*d.partition_kind, *column, {s.partition},
                                                 previous_high, previous_is_max));
  const SqlBoundPartition& p = added[0];
  auto scheme = p.type == PartitionType::kList
                    ? AddNamedList(*table.scheme, NamedList{p.name, p.values})
                    : AddNamedRange(*table.scheme, NamedRange{p.name, p.low, p.high});
  if (!scheme.ok()) return scheme.status().WithContext("ADD PARTITION " + p.name);
  RETURN_IF_ERROR(AlterSqlTableScheme(session_.databases(), db, s.table.table, **scheme));
  return SqlOutcome();
}

}  // namespace strata
