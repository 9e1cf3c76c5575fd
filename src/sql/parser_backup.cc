// CREATE/DROP REPOSITORY, BACKUP SNAPSHOT, RESTORE SNAPSHOT, CANCEL BACKUP/RESTORE and
// DROP SNAPSHOT (shared/spec/doris-sql.md).
#include <utility>

#include "base/strings.h"
#include "sql/sql_parser.h"

namespace strata {

// name WITH S3|LOCAL ON LOCATION "..." [PROPERTIES (...)], after [READ ONLY] REPOSITORY.
Result<Statement> SqlParser::ParseCreateRepository(SqlPosition position, bool read_only) {
  SqlCreateRepository create{.position = position, .read_only = read_only};
  ASSIGN_OR_RETURN(create.name, ParseNameOrString("a repository name"));
  RETURN_IF_ERROR(ExpectKeyword("WITH", "WITH S3 or WITH LOCAL after the repository name"));
  if (AcceptKeyword("S3")) {
    create.kind = SqlRepositoryKind::kS3;
  } else if (AcceptKeyword("LOCAL")) {
    create.kind = SqlRepositoryKind::kLocal;
  } else {
    // BROKER and HDFS repositories exist in Doris; Strata stores backups in S3 or a directory.
    return ErrorAtCurrent(
        "S3 or LOCAL after WITH (BROKER and HDFS repositories are not "
        "supported)");
  }
  RETURN_IF_ERROR(ExpectKeyword("ON", "ON LOCATION and the repository's location"));
  RETURN_IF_ERROR(ExpectKeyword("LOCATION", "LOCATION after ON"));
  ASSIGN_OR_RETURN(create.location,
                   ParseString("the location in quotes, as \"s3://bucket/prefix\""));
  if (AcceptKeyword("PROPERTIES")) {
    ASSIGN_OR_RETURN(create.properties, ParseProperties());
  }
  return Statement(std::move(create));
}

// [ON (...) | EXCLUDE (...)]: tbl [PARTITION (p, ...)] [AS alias], ...
Status SqlParser::ParseTableFilter(bool allow_alias, SqlSnapshotJob* job) {
  if (AcceptKeyword("ON")) {
    job->filter = SqlTableFilter::kOn;
  } else if (AcceptKeyword("EXCLUDE")) {
    job->filter = SqlTableFilter::kExclude;
  } else {
    return Status::Ok();
  }
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and the tables"));
  do {
    SqlSnapshotTable table{.position = Position()};
    ASSIGN_OR_RETURN(table.table, ParseName("a table name"));
    if (AcceptKeyword("PARTITION")) {
      ASSIGN_OR_RETURN(table.partitions, ParseNameList("partition name"));
    }
    if (allow_alias && job->filter == SqlTableFilter::kOn && AcceptKeyword("AS")) {
      ASSIGN_OR_RETURN(table.alias, ParseName("a new table name after AS"));
    }
    job->tables.push_back(std::move(table));
  } while (Accept(SqlTokenKind::kComma));
  return Expect(SqlTokenKind::kRParen, "',' or ')' after a table");
}

Status SqlParser::ParseSnapshotJob(const char* direction, SqlSnapshotJob* job) {
  job->position = Position();
  std::string statement = ToUpper(Advance().value);  // BACKUP or RESTORE
  RETURN_IF_ERROR(ExpectKeyword("SNAPSHOT", "SNAPSHOT after " + statement));
  RETURN_IF_ERROR(ParseDbAndName(&job->db, &job->label, "a snapshot label"));
  RETURN_IF_ERROR(ExpectKeyword(
      direction, std::string(direction) + " and a repository after the snapshot label"));
  ASSIGN_OR_RETURN(job->repository, ParseNameOrString("a repository name"));
  return ParseTableFilter(statement == "RESTORE", job);
}

Result<Statement> SqlParser::ParseBackup() {
  SqlBackupSnapshot backup;
  RETURN_IF_ERROR(ParseSnapshotJob("TO", &backup));
  if (AcceptKeyword("PROPERTIES")) {
    ASSIGN_OR_RETURN(backup.properties, ParseProperties());
  }
  return Statement(std::move(backup));
}

Result<Statement> SqlParser::ParseRestore() {
  SqlRestoreSnapshot restore;
  RETURN_IF_ERROR(ParseSnapshotJob("FROM", &restore));
  RETURN_IF_ERROR(ExpectKeyword(
      "PROPERTIES", "PROPERTIES (\"backup_timestamp\" = \"...\"), which RESTORE requires"));
  ASSIGN_OR_RETURN(restore.properties, ParseProperties());
  return Statement(std::move(restore));
}

Result<Statement> SqlParser::ParseCancel() {
  SqlCancelJob cancel{.position = Position()};
  Advance();  // CANCEL
  if (AcceptKeyword("RESTORE")) {
    cancel.kind = SqlJobKind::kRestore;
  } else if (!AcceptKeyword("BACKUP")) {
    return ErrorAtCurrent("BACKUP or RESTORE after CANCEL");
  }
  if (AcceptKeyword("FROM") || AcceptKeyword("IN")) {
    ASSIGN_OR_RETURN(cancel.db, ParseName("a database name"));
  }
  return Statement(std::move(cancel));
}

// label ON repo [WHERE TIMESTAMP = "..."], after DROP SNAPSHOT.
Result<Statement> SqlParser::ParseDropSnapshot(SqlPosition position) {
  SqlDropSnapshot drop{.position = position};
  ASSIGN_OR_RETURN(drop.label, ParseName("a snapshot label"));
  RETURN_IF_ERROR(ExpectKeyword("ON", "ON and a repository after the snapshot label"));
  ASSIGN_OR_RETURN(drop.repository, ParseNameOrString("a repository name"));
  if (AcceptKeyword("WHERE")) {
    RETURN_IF_ERROR(ExpectKeyword("TIMESTAMP", "TIMESTAMP after WHERE"));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after TIMESTAMP"));
    ASSIGN_OR_RETURN(drop.timestamp, ParseString("a timestamp in quotes"));
  }
  return Statement(std::move(drop));
}

}  // namespace strata
