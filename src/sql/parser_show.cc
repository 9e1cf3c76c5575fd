// USE, SHOW and DESC/DESCRIBE.
#include <utility>

#include "sql/sql_parser.h"

namespace strata {

Result<Statement> SqlParser::ParseUse() {
  SqlUse use{.position = Position()};
  Advance();  // USE
  ASSIGN_OR_RETURN(use.db, ParseName("a database name after USE"));
  return Statement(std::move(use));
}

Result<Statement> SqlParser::ParseDescribe() {
  SqlDescribe describe{.position = Position()};
  Advance();  // DESC or DESCRIBE
  ASSIGN_OR_RETURN(describe.table, ParseTableRef());
  return Statement(std::move(describe));
}

Result<Statement> SqlParser::ParseShow() {
  SqlShow show{.position = Position()};
  Advance();  // SHOW
  if (AcceptKeyword("DATABASES") || AcceptKeyword("SCHEMAS")) {
    show.kind = SqlShowKind::kDatabases;
  } else if (AcceptKeyword("TABLES")) {
    show.kind = SqlShowKind::kTables;
    if (AcceptKeyword("FROM") || AcceptKeyword("IN")) {
      ASSIGN_OR_RETURN(show.db, ParseName("a database name"));
    }
  } else if (AcceptKeyword("PARTITIONS")) {
    show.kind = SqlShowKind::kPartitions;
    RETURN_IF_ERROR(ExpectKeyword("FROM", "FROM and a table after SHOW PARTITIONS"));
    ASSIGN_OR_RETURN(show.table, ParseTableRef());
  } else if (AcceptKeyword("CREATE")) {
    show.kind = SqlShowKind::kCreateTable;
    RETURN_IF_ERROR(ExpectKeyword("TABLE", "TABLE after SHOW CREATE"));
    ASSIGN_OR_RETURN(show.table, ParseTableRef());
  } else if (AcceptKeyword("REPOSITORIES")) {
    show.kind = SqlShowKind::kRepositories;
  } else if (AcceptKeyword("BACKUP")) {
    show.kind = SqlShowKind::kBackup;
    RETURN_IF_ERROR(ParseShowJobFilter(&show));
  } else if (AcceptKeyword("RESTORE")) {
    show.kind = SqlShowKind::kRestore;
    RETURN_IF_ERROR(ParseShowJobFilter(&show));
  } else if (AcceptKeyword("SNAPSHOT")) {
    show.kind = SqlShowKind::kSnapshot;
    RETURN_IF_ERROR(ParseShowSnapshot(&show));
  } else if (AcceptKeyword("GRANTS")) {
    show.kind = SqlShowKind::kGrants;
    if (AcceptKeyword("FOR")) {
      ASSIGN_OR_RETURN(show.user, ParseUser());
    }
  } else {
    RETURN_IF_ERROR(ParseShowClient(&show));
  }
  return Statement(std::move(show));
}

// [FROM db] [WHERE SnapshotName = 'x' | WHERE SnapshotName LIKE 'x%' | LIKE 'x%']
Status SqlParser::ParseShowJobFilter(SqlShow* show) {
  if (AcceptKeyword("FROM") || AcceptKeyword("IN")) {
    ASSIGN_OR_RETURN(show->db, ParseName("a database name"));
  }
  if (AcceptKeyword("WHERE")) {
    if (!AcceptKeyword("SnapshotName") && !AcceptKeyword("Label")) {
      return ErrorAtCurrent("SnapshotName after WHERE");
    }
    if (AcceptKeyword("LIKE")) {
      show->label_is_pattern = true;
    } else {
      RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' or LIKE after SnapshotName"));
    }
    ASSIGN_OR_RETURN(show->label, ParseString("a snapshot name in quotes"));
  } else if (AcceptKeyword("LIKE")) {
    show->label_is_pattern = true;
    ASSIGN_OR_RETURN(show->label, ParseString("a pattern in quotes after LIKE"));
  }
  return Status::Ok();
}

// ON repo [WHERE SNAPSHOT = 'label' [AND TIMESTAMP = 'yyyy-MM-dd-HH-mm-ss']]
Status SqlParser::ParseShowSnapshot(SqlShow* show) {
  RETURN_IF_ERROR(ExpectKeyword("ON", "ON and a repository after SHOW SNAPSHOT"));
  ASSIGN_OR_RETURN(show->repository, ParseNameOrString("a repository name"));
  if (!AcceptKeyword("WHERE")) return Status::Ok();
  RETURN_IF_ERROR(ExpectKeyword("SNAPSHOT", "SNAPSHOT after WHERE"));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after SNAPSHOT"));
  ASSIGN_OR_RETURN(show->snapshot, ParseString("a snapshot label in quotes"));
  if (AcceptKeyword("AND")) {
    RETURN_IF_ERROR(ExpectKeyword("TIMESTAMP", "TIMESTAMP after AND"));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after TIMESTAMP"));
    ASSIGN_OR_RETURN(show->timestamp, ParseString("a timestamp in quotes"));
  }
  return Status::Ok();
}

}  // namespace strata
