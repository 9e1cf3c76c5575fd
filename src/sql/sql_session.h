// SqlSession: the Doris SQL dialect on one service Session (DESIGN §11). Execute(text) parses
// the statements and runs them in order, each against the session's databases
// (Session::databases(), checked against the logged-in user): DDL and DML through the service
// layer, SELECT through the query engine with SQL NULL semantics. Names: the Doris database
// `shop` is Strata's `dfs://shop`; USE sets the session's current database. Errors are Status
// values naming the object and the fix. Thread-compatible, like its Session.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "service/session.h"
#include "sql/ast.h"
#include "sql/result_set.h"

namespace strata {

class SqlParser;

// "shop" → "dfs://shop".
std::string StrataDatabaseName(const std::string& doris_name);
// "dfs://shop" → "shop"; other names as they are.
std::string DorisDatabaseName(const std::string& strata_name);

// An error as SQL users read it: the message, then its remedy in SQL's words (GRANT ... ON
// db.* TO 'u'; --user/--password), never a script call.
std::string SqlErrorText(const Status& status);

class SqlSession {
 public:
  // `session` must outlive this object. Sets the session's error wording to SqlErrorText.
  explicit SqlSession(Session& session);

  // Runs the statements of `text` one after another as they are read, handing each
  // statement's outcome to `on_outcome` as soon as it is done; stops at the first statement
  // that is malformed or fails and returns its error (the statements before it have run, as
  // in MySQL). The rows of INSERT ... VALUES go from the text to the table's columns without
  // a syntax tree, so a statement's memory follows its rows, not its text.
  Status Execute(std::string_view text, const std::function<void(SqlOutcome)>& on_outcome);
  // The same, collecting the outcomes (all of them, or the error).
  Result<std::vector<SqlOutcome>> Execute(std::string_view text);
  // One parsed statement.
  Result<SqlOutcome> ExecuteStatement(const Statement& statement);

  Session& session() const { return session_; }

 private:
  // "dfs://db" for [db.]t: the written database, else the current one, else an error.
  Result<std::string> DatabaseOf(const SqlTableRef& table) const;
  Result<std::string> CurrentDatabase() const;
  // "dfs://db" for a written database name, else the current database, else an error.
  Result<std::string> DatabaseOr(const std::optional<std::string>& db) const;

  Result<SqlOutcome> Run(const SqlCreateDatabase& s);
  Result<SqlOutcome> Run(const SqlDropDatabase& s);
  Result<SqlOutcome> Run(const SqlUse& s);
  Result<SqlOutcome> Run(const SqlCreateTable& s);
  Result<SqlOutcome> Run(const SqlDropTable& s);
  Result<SqlOutcome> Run(const SqlTruncateTable& s);
  Result<SqlOutcome> Run(const SqlAlterTable& s);
  Result<SqlOutcome> Run(const SqlInsert& s);
  // INSERT (sql_session_insert.cc); `values`, when not null, holds the VALUES rows to read.
  Result<SqlOutcome> RunInsert(const SqlInsert& s, SqlParser* values);
  Result<SqlOutcome> Run(const SqlSelect& s);
  // The SELECT's rows as a table, columns in select-list order (sql_select.cc).
  Result<TablePtr> SelectTable(const SqlSelect& s);
  Result<SqlOutcome> Run(const SqlShow& s);
  Result<SqlOutcome> Run(const SqlDescribe& s);
  Result<SqlOutcome> Run(const SqlCreateUser& s);
  Result<SqlOutcome> Run(const SqlDropUser& s);
  Result<SqlOutcome> Run(const SqlSetPassword& s);
  Result<SqlOutcome> Run(const SqlGrant& s);
  // Repositories, snapshots and their jobs (sql_session_backup.cc).
  Result<SqlOutcome> Run(const SqlCreateRepository& s);
  Result<SqlOutcome> Run(const SqlDropRepository& s);
  Result<SqlOutcome> Run(const SqlBackupSnapshot& s);
  Result<SqlOutcome> Run(const SqlRestoreSnapshot& s);
  Result<SqlOutcome> Run(const SqlCancelJob& s);
  Result<SqlOutcome> Run(const SqlDropSnapshot& s);

  // SHOW variants (sql_session_show.cc).
  Result<SqlOutcome> ShowDatabases();
  Result<SqlOutcome> ShowTables(const SqlShow& s);
  Result<SqlOutcome> ShowPartitions(const SqlTableRef& table);
  Result<SqlOutcome> ShowCreateTable(const SqlTableRef& table);
  Result<SqlOutcome> ShowGrants(const SqlShow& s);
  Result<SqlOutcome> ShowRepositories();
  Result<SqlOutcome> ShowSnapshotJobs(const SqlShow& s);  // SHOW BACKUP / SHOW RESTORE
  Result<SqlOutcome> ShowSnapshots(const SqlShow& s);

  Session& session_;
};

}  // namespace strata
