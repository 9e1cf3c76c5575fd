// The statements of the Doris SQL dialect as the parser reads them (docs: the spec in
// shared/spec/doris-sql.md). Nothing here is resolved: names are as written (backquotes
// removed), databases are Doris names (not yet dfs://), values are literals. The binder turns
// them into service specs. SELECT and expressions use the query engine's forms (query/ast.h).
// Every struct is a plain immutable-once-built value; names carry an Sql prefix because the
// lower modules already have functions named CreateTable, Grant, ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "query/ast.h"
#include "types/value.h"

namespace strata {

// Where a statement or clause starts: 1-based line and byte column.
struct SqlPosition {
  int line = 1;
  int column = 1;
};

// [db.]table
struct SqlTableRef {
  std::optional<std::string> db;
  std::string table;
};

// PROPERTIES ("key" = "value", ...): in written order; duplicates are kept for the binder to
// refuse. A number written as a value keeps its text.
struct SqlProperty {
  std::string key;
  std::string value;
  SqlPosition position;
};
using SqlProperties = std::vector<SqlProperty>;

// 'name'@'host' (host empty when not written).
struct SqlUser {
  std::string name;
  std::string host;
};

// --- Databases and tables --------------------------------------------------------------------

struct SqlCreateDatabase {
  SqlPosition position;
  std::string name;
  bool if_not_exists = false;
  SqlProperties properties;
};

struct SqlDropDatabase {
  SqlPosition position;
  std::string name;
  bool if_exists = false;
};

// NULL / NOT NULL as written; kUnspecified leaves the default to the binder.
enum class SqlNullability : uint8_t { kUnspecified, kNull, kNotNull };

struct SqlColumnDef {
  SqlPosition position;
  std::string name;
  std::string type_name;             // upper-cased as written: "VARCHAR", "DECIMAL", "INT"
  std::vector<int64_t> type_params;  // VARCHAR(32) → {32}; DECIMAL(10,2) → {10, 2}
  std::string aggregation;           // SUM, MAX, REPLACE, ... (AGGREGATE KEY tables); upper
  SqlNullability nullability = SqlNullability::kUnspecified;
  ExprPtr default_value;  // a kLiteral, or kCall CURRENT_TIMESTAMP; null if none
  std::string comment;
};

// The parser reads all three; the binder refuses kUnique and kAggregate (the spec's key
// models are DUPLICATE only, until a later issue adds them).
enum class SqlKeyKind : uint8_t { kNone, kDuplicate, kUnique, kAggregate };

// One bound of a partition: a literal or MAXVALUE.
struct SqlPartitionValue {
  bool is_max_value = false;
  Value literal;  // string, integer (LONG), decimal (DOUBLE) or NULL; unset for MAXVALUE
  SqlPosition position;
};
// One value per partition column.
using SqlPartitionTuple = std::vector<SqlPartitionValue>;

enum class SqlPartitionBound : uint8_t {
  kLessThan,    // VALUES LESS THAN (v, ...) | MAXVALUE | (MAXVALUE): `upper`
  kFixedRange,  // VALUES [(lo, ...), (hi, ...)): `lower`, `upper`
  kIn,          // VALUES IN (v, ...) or IN ((v, w), ...): `in_values`, one tuple per value
};

struct SqlPartitionDef {
  SqlPosition position;
  std::string name;
  SqlPartitionBound bound = SqlPartitionBound::kLessThan;
  SqlPartitionTuple lower;
  SqlPartitionTuple upper;
  std::vector<SqlPartitionTuple> in_values;
};

enum class SqlPartitionKind : uint8_t { kRange, kList };

struct SqlPartitionClause {
  SqlPosition position;
  SqlPartitionKind kind = SqlPartitionKind::kRange;
  std::vector<std::string> columns;
  std::vector<SqlPartitionDef> partitions;  // may be empty: PARTITION BY RANGE(k) ()
};

struct SqlDistribution {
  SqlPosition position;
  std::vector<std::string> hash_columns;
  int64_t bucket_count = 0;  // 0: BUCKETS AUTO, or no BUCKETS clause
};

struct SqlCreateTable {
  SqlPosition position;
  SqlTableRef table;
  bool if_not_exists = false;
  std::vector<SqlColumnDef> columns;
  std::string engine;  // ENGINE = OLAP, if written
  SqlKeyKind key_kind = SqlKeyKind::kNone;
  std::vector<std::string> key_columns;
  std::string comment;
  std::optional<SqlPartitionClause> partition;  // none: one partition named after the table
  std::optional<SqlDistribution> distribution;
  SqlProperties properties;
};

struct SqlAlterTable {
  enum class Action : uint8_t { kAddPartition, kDropPartition };
  SqlPosition position;
  SqlTableRef table;
  Action action = Action::kAddPartition;
  bool if_not_exists = false;  // ADD PARTITION IF NOT EXISTS
  bool if_exists = false;      // DROP PARTITION IF EXISTS
  SqlPartitionDef partition;   // DROP: only `name` and `position`
};

struct SqlDropTable {
  SqlPosition position;
  SqlTableRef table;
  bool if_exists = false;
};

struct SqlTruncateTable {
  SqlPosition position;
  SqlTableRef table;
  std::vector<std::string> partitions;  // empty: every partition
};

// --- Queries and loads -----------------------------------------------------------------------

// SELECT, as the query engine's SelectQuery (kind kSelect). Expressions: column names are
// kVariable; `t.col` is kMember(kVariable t, "col"), `db.t.col` kMember(kMember(db, t), col);
// calls keep the name as written (the binder matches case-insensitively); COUNT(*) is a kCall
// with one kStar argument; `x IS NULL` is kCall isNull(x), `IS NOT NULL` is NOT of that;
// `x IN (a, b)` is kIn with a kVector right side; `x BETWEEN a AND b` is kBetween with a kPair
// right side; `NOT IN`/`NOT LIKE`/`NOT BETWEEN` are kNot around the positive form. Literals:
// integers LONG, decimals DOUBLE, strings STRING, TRUE/FALSE BOOL, NULL the VOID NULL.
// `query.where` holds the whole condition as one expression; `query.from` is kVariable table
// or kMember(kVariable db, table), the same table as `from`. `SELECT *` is a kStar column.
// A system variable `@@x` / `@@session.x` is a kCall without arguments whose name is the
// reference as written ("@@session.x"); the session substitutes its value before the query
// engine sees it, as it does for DATABASE(), USER(), CONNECTION_ID() and VERSION().
struct SqlSelect {
  SqlPosition position;
  SelectQuery query;
  std::optional<SqlTableRef> from;  // none: SELECT without FROM
  // Each select-list item's source text as written ("1+1", "@@version_comment"), without its
  // alias; names the result column that has no alias.
  std::vector<std::string> column_texts;
};

struct SqlInsert {
  SqlPosition position;
  SqlTableRef table;
  std::vector<std::string> columns;        // empty: every column in table order
  std::vector<std::vector<ExprPtr>> rows;  // VALUES (...), (...)
  std::optional<SqlSelect> select;         // INSERT ... SELECT (then rows is empty)
  // The rows follow in the source, read by SqlParser::ReadValueRows (then rows is empty).
  bool values_follow = false;
};

// --- Sessions and metadata -------------------------------------------------------------------

struct SqlUse {
  SqlPosition position;
  std::string db;
};

enum class SqlShowKind : uint8_t {
  kDatabases,     // SHOW DATABASES
  kTables,        // SHOW TABLES [FROM db]
  kPartitions,    // SHOW PARTITIONS FROM [db.]t
  kCreateTable,   // SHOW CREATE TABLE [db.]t
  kRepositories,  // SHOW REPOSITORIES
  kBackup,        // SHOW BACKUP [FROM db] [WHERE SnapshotName = 'x' | LIKE 'x%']
  kRestore,       // SHOW RESTORE [FROM db] [WHERE ... as for BACKUP]
  kSnapshot,      // SHOW SNAPSHOT ON repo [WHERE SNAPSHOT = 'l' [AND TIMESTAMP = 't']]
  kGrants,        // SHOW GRANTS [FOR 'u']
  kVariables,     // SHOW [GLOBAL|SESSION] VARIABLES [LIKE 'p' | WHERE Variable_name = / IN]
  kStatus,        // SHOW [GLOBAL|SESSION] STATUS [LIKE 'p' | WHERE ...]: always empty
  kWarnings,      // SHOW WARNINGS / SHOW COUNT(*) WARNINGS
  kErrors,        // SHOW ERRORS / SHOW COUNT(*) ERRORS
  kEngines,       // SHOW [STORAGE] ENGINES
  kCharset,       // SHOW CHARSET / SHOW CHARACTER SET [LIKE 'p']
  kCollation,     // SHOW COLLATION [LIKE 'p']
};

struct SqlShow {
  SqlPosition position;
  SqlShowKind kind = SqlShowKind::kDatabases;
  std::optional<std::string> db;         // kTables, kBackup, kRestore: FROM db
  std::optional<SqlTableRef> table;      // kPartitions, kCreateTable
  std::string repository;                // kSnapshot
  std::optional<std::string> snapshot;   // kSnapshot: WHERE SNAPSHOT = ...
  std::optional<std::string> timestamp;  // kSnapshot: AND TIMESTAMP = ...
  // kBackup/kRestore: WHERE SnapshotName = 'x' (label_is_pattern false) or LIKE 'x%' (true).
  std::optional<std::string> label;
  bool label_is_pattern = false;
  std::optional<SqlUser> user;  // kGrants: FOR 'u'
  // kVariables, kStatus, kCharset, kCollation: LIKE 'pattern' (SQL's % and _).
  std::optional<std::string> pattern;
  // kVariables, kStatus: WHERE Variable_name = 'x' [OR Variable_name = 'y' ...] or IN ('x',
  // ...), as written.
  std::optional<std::vector<std::string>> names;
  bool global = false;      // SHOW GLOBAL VARIABLES / STATUS
  bool count_only = false;  // SHOW COUNT(*) WARNINGS / ERRORS
};

struct SqlDescribe {
  SqlPosition position;
  SqlTableRef table;
};

// SET [SESSION|GLOBAL|LOCAL] name = value, SET @@[session.|global.]name = value, and the
// forms that set variables by another name: SET NAMES cs [COLLATE c] (character_set_client,
// _connection, _results, collation_connection), SET CHARACTER SET cs, SET [SESSION]
// TRANSACTION ISOLATION LEVEL ... | READ ONLY | READ WRITE (transaction_isolation,
// transaction_read_only). Names as written.
struct SqlVariableAssignment {
  SqlPosition position;
  std::string name;
  bool global = false;
  bool is_default = false;  // name = DEFAULT (then value is null)
  // A constant, an expression, or a bare word (kVariable: ON, OFF, utf8mb4, SYSTEM), which
  // stands for its own text.
  ExprPtr value;
};

struct SqlSetVariables {
  SqlPosition position;
  std::vector<SqlVariableAssignment> assignments;
};

// KILL [CONNECTION | QUERY] id
struct SqlKill {
  SqlPosition position;
  uint64_t connection_id = 0;
  bool query_only = false;
};

// --- Users and privileges --------------------------------------------------------------------

struct SqlCreateUser {
  SqlPosition position;
  SqlUser user;
  bool if_not_exists = false;
  std::optional<std::string> password;  // IDENTIFIED BY '...'
};

struct SqlDropUser {
  SqlPosition position;
  SqlUser user;
  bool if_exists = false;
};

struct SqlSetPassword {
  SqlPosition position;
  std::optional<SqlUser> user;  // none: the session's own user
  std::string password;         // from PASSWORD('...')
};

// ON db.* / *.* / db.table: "*" where written as a star.
struct SqlGrantTarget {
  std::string db;
  std::string table;
};

// GRANT privileges ON target TO user / REVOKE ... FROM user. Privileges are upper-cased as
// written (SELECT_PRIV, LOAD_PRIV, ALL); the binder checks them.
struct SqlGrant {
  SqlPosition position;
  bool revoke = false;
  std::vector<std::string> privileges;
  SqlGrantTarget target;
  SqlUser user;
};

// --- Repositories, backups and restores ------------------------------------------------------

enum class SqlRepositoryKind : uint8_t { kS3, kLocal };

struct SqlCreateRepository {
  SqlPosition position;
  bool read_only = false;
  std::string name;
  SqlRepositoryKind kind = SqlRepositoryKind::kS3;
  std::string location;
  SqlProperties properties;
};

struct SqlDropRepository {
  SqlPosition position;
  std::string name;
};

// One entry of ON (...) / EXCLUDE (...): tbl [PARTITION (p, ...)] [AS alias].
struct SqlSnapshotTable {
  SqlPosition position;
  std::string table;
  std::vector<std::string> partitions;  // empty: every partition
  std::string alias;                    // RESTORE ... AS new_tbl only
};

enum class SqlTableFilter : uint8_t { kAll, kOn, kExclude };

// What BACKUP and RESTORE share: [db.]label, the repository, ON/EXCLUDE and PROPERTIES.
struct SqlSnapshotJob {
  SqlPosition position;
  std::optional<std::string> db;  // none: the session's database
  std::string label;
  std::string repository;  // TO repo (BACKUP), FROM repo (RESTORE)
  SqlTableFilter filter = SqlTableFilter::kAll;
  std::vector<SqlSnapshotTable> tables;
  SqlProperties properties;  // RESTORE: written (the spec makes its PROPERTIES required)
};

struct SqlBackupSnapshot : SqlSnapshotJob {};
// Table aliases (ON (t AS new_t)) appear only here.
struct SqlRestoreSnapshot : SqlSnapshotJob {};

enum class SqlJobKind : uint8_t { kBackup, kRestore };

struct SqlCancelJob {
  SqlPosition position;
  SqlJobKind kind = SqlJobKind::kBackup;
  std::optional<std::string> db;  // none: the session's database
};

struct SqlDropSnapshot {
  SqlPosition position;
  std::string label;
  std::string repository;
  std::optional<std::string> timestamp;  // WHERE TIMESTAMP = "..."
};

using Statement =
    std::variant<SqlCreateDatabase, SqlDropDatabase, SqlCreateTable, SqlAlterTable, SqlDropTable,
                 SqlTruncateTable, SqlInsert, SqlSelect, SqlUse, SqlShow, SqlDescribe,
                 SqlCreateUser, SqlDropUser, SqlSetPassword, SqlGrant, SqlCreateRepository,
                 SqlDropRepository, SqlBackupSnapshot, SqlRestoreSnapshot, SqlCancelJob,
                 SqlDropSnapshot, SqlSetVariables, SqlKill>;

}  // namespace strata
