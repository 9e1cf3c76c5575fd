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
#include "query/select.h"
#include "service/session.h"
#include "sql/ast.h"
#include "sql/result_set.h"
#include "sql/session_variables.h"

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
  // in MySQL). `last` tells `on_outcome` that no statement follows in `text`; an error it
  // returns stops the run and is returned. Each statement's warnings, or its error, are kept
  // for the SHOW WARNINGS / SHOW ERRORS that follows (which keep them). The rows of INSERT ...
  // VALUES go from the text to the table's columns without a syntax tree, so a statement's
  // memory follows its rows, not its text.
  using OutcomeSink = std::function<Status(SqlOutcome outcome, bool last)>;
  Status Execute(std::string_view text, const OutcomeSink& on_outcome);
  // The same, collecting the outcomes (all of them, or the error).
  Result<std::vector<SqlOutcome>> Execute(std::string_view text);
  // One parsed statement.
  Result<SqlOutcome> ExecuteStatement(const Statement& statement);

  Session& session() const { return session_; }

  // What the front end (`strata serve`, the CLI) says about itself: connection id, version,
  // client host, max_allowed_packet, KILL. Resets @@version, @@version_comment and
  // @@max_allowed_packet to its values.
  void set_server_info(SqlServerInfo info);
  const SqlServerInfo& server_info() const { return info_; }
  // The session's system variables (@@name, SET, SHOW VARIABLES).
  const SqlSessionVariables& variables() const { return variables_; }

  // Records `error`, met while a front end read a streamed result's rows after the statement
  // returned, as the statement's error for SHOW ERRORS / SHOW WARNINGS.
  void NoteStreamError(const Status& error) { NoteDiagnostics(nullptr, error); }

  // Whether a SELECT's result set may come in batches (SqlResultSet::more_rows) instead of
  // whole: for a front end that sends rows as they come (`strata serve`). Off by default.
  void set_stream_results(bool on) { stream_results_ = on; }

  // COM_FIELD_LIST: the columns of `table` (a table of the current database, or `db.t`) with
  // their MySQL type names, and no rows. The errors of DESCRIBE for an unknown database or
  // table, or when no database is selected.
  Result<SqlResultSet> TableColumns(std::string_view table);

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
  // The SELECT's rows as a table, columns in select-list order (sql_select.cc). With `stream`
  // set, a SELECT that can be read a segment at a time gives its stream there and a null table.
  Result<TablePtr> SelectTable(const SqlSelect& s, std::unique_ptr<SelectStream>* stream = nullptr);
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

  // SET of variables, KILL, and the values of @@name and DATABASE(), USER(), ... substituted
  // into expressions as literals (sql_session_variables.cc).
  Result<SqlOutcome> Run(const SqlSetVariables& s);
  Result<SqlOutcome> Run(const SqlKill& s);
  Result<ExprPtr> SubstituteSessionValues(const ExprPtr& expr) const;
  // The value of `@@[scope.]name` (as written after @@), or "unknown system variable".
  Result<Value> SystemVariableValue(const std::string& reference) const;
  // DATABASE(), USER(), CONNECTION_ID(), ...; nullopt for other names.
  std::optional<Value> SessionFunctionValue(const std::string& name) const;
  // SELECT without FROM: one row of constants and session values, straight into cells, so a
  // variable's '' stays '' and its NULL is a NULL of the variable's type.
  Result<SqlOutcome> SelectWithoutFrom(const SqlSelect& s);
  // Remembers the outcome of a statement for SHOW WARNINGS / SHOW ERRORS.
  void NoteDiagnostics(const Statement* statement, const Result<SqlOutcome>& outcome);

  // SHOW VARIABLES, STATUS, WARNINGS, ERRORS, ENGINES, CHARSET, COLLATION
  // (sql_session_client_show.cc).
  Result<SqlOutcome> ShowVariables(const SqlShow& s);
  Result<SqlOutcome> ShowDiagnostics(const SqlShow& s);
  Result<SqlOutcome> ShowEngines();
  Result<SqlOutcome> ShowCharsets(const SqlShow& s);
  Result<SqlOutcome> ShowCollations(const SqlShow& s);

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
  SqlServerInfo info_;
  SqlSessionVariables variables_;
  bool stream_results_ = false;
  // The previous statement's warnings and error (SqlErrorText), for SHOW WARNINGS / ERRORS.
  std::vector<std::string> last_warnings_;
  std::optional<std::string> last_error_;
};

}  // namespace strata
