// The binder's tables: CREATE TABLE → a table definition (what SHOW CREATE TABLE and DESC need
// and Strata's Schema lacks, stored opaque in the catalog's TableRecord::definition), the
// table's partition scheme (named RANGE/LIST partitions × HASH buckets), and back again.
// Pure functions and plain values; thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "partition/partition_scheme.h"
#include "sql/ast.h"
#include "sql/binder_types.h"
#include "types/table.h"

namespace strata {

// DISTRIBUTED BY HASH(k) BUCKETS AUTO (or without BUCKETS): this many buckets.
inline constexpr int64_t kSqlAutoBuckets = 10;
// The scheme of a database that CREATE DATABASE makes: one HASH INT bucket. No SQL table uses
// it (every SQL table carries its own scheme); the database needs one of its own.
inline constexpr int64_t kSqlDatabaseBuckets = 1;

enum class SqlDefaultKind : uint8_t { kNone, kNull, kLiteral, kCurrentTimestamp };

struct SqlColumnSpec {
  std::string name;
  SqlColumnType type;
  bool nullable = true;
  SqlDefaultKind default_kind = SqlDefaultKind::kNone;
  std::string default_text;  // kLiteral: the value's text ("0", "2020-01-05", "abc")
  std::string comment;
};

// What the catalog keeps of a SQL table besides its Schema and scheme (version 1 JSON).
struct SqlTableDefinition {
  std::vector<SqlColumnSpec> columns;
  std::vector<std::string> key_columns;  // DUPLICATE KEY(...): as written, or Doris's default
  bool key_written = false;
  std::optional<SqlPartitionKind> partition_kind;  // none: no PARTITION BY
  std::string partition_column;
  std::string bucket_column;  // empty: no DISTRIBUTED BY
  int64_t buckets = 0;
  bool buckets_auto = false;
  std::vector<std::pair<std::string, std::string>> properties;  // accepted, as written
  std::string comment;

  Schema ToSchema() const;
  // The table's partition columns, one per level of its scheme.
  std::vector<std::string> PartitionColumns() const;
  const SqlColumnSpec* Find(const std::string& column) const;  // case-insensitive
  nlohmann::json ToJson() const;
  static Result<SqlTableDefinition> FromJson(const nlohmann::json& json);
  // A definition for a table the script made (no SQL definition): types from the schema.
  static SqlTableDefinition FromSchema(const Schema& schema,
                                       const std::vector<std::string>& partition_columns);
};

// One named partition of a table's first level, bound to the partition column's type.
struct SqlBoundPartition {
  std::string name;
  PartitionType type = PartitionType::kRange;
  std::optional<Scalar> low;   // RANGE: nullopt = unbounded below
  std::optional<Scalar> high;  // RANGE: nullopt = MAXVALUE
  std::vector<Scalar> values;  // LIST
};

// CREATE TABLE's columns, keys, partition and distribution clauses and properties, checked.
// Warnings (ignored properties) go to `warnings`.
struct SqlBoundTable {
  SqlTableDefinition definition;
  std::vector<SqlBoundPartition> partitions;  // named partitions when partition_kind is set
};
Result<SqlBoundTable> BindCreateTable(const SqlCreateTable& statement,
                                      std::vector<std::string>* warnings);

// PROPERTIES of CREATE TABLE / CREATE DATABASE: replication_num (a positive integer; values
// other than 1 warn, Strata keeps one copy) and Doris storage properties that mean nothing
// here (storage_medium, in_memory, compression, ...) are accepted with a warning; any other key
// is an error naming it. Returns the accepted pairs.
Result<std::vector<std::pair<std::string, std::string>>> BindProperties(
    const SqlProperties& properties, std::vector<std::string>* warnings);

// Partition definitions (PARTITION p VALUES ...) bound to the column's type. `previous_high`:
// where the first VALUES LESS THAN starts (ADD PARTITION continues after the existing ones);
// nullopt = unbounded below. MAXVALUE only as the last upper bound.
Result<std::vector<SqlBoundPartition>> BindPartitionDefs(SqlPartitionKind kind,
                                                         const SqlColumnSpec& column,
                                                         const std::vector<SqlPartitionDef>& defs,
                                                         std::optional<Scalar> previous_high,
                                                         bool previous_is_max);

// The table's scheme: named partitions × HASH buckets (COMPO), named partitions alone, HASH
// alone, or nullptr for a table with neither (an unpartitioned table, no partition column).
Result<std::unique_ptr<PartitionScheme>> MakeTableScheme(
    const SqlTableDefinition& definition, const std::vector<SqlBoundPartition>& partitions);
// A scheme holding only named partitions (the first level of MakeTableScheme's).
Result<std::unique_ptr<PartitionScheme>> MakeNamedScheme(
    PartitionType type, Type column_type, const std::vector<SqlBoundPartition>& partitions);
// The named partitions of a scheme's first level (empty when it has no names).
std::vector<SqlBoundPartition> NamedPartitionsOfScheme(const PartitionScheme& scheme);

// Doris's text of a partition's values (SHOW PARTITIONS' Range):
// "[types: [DATE]; keys: [2020-02-01]; ..types: [DATE]; keys: [2020-03-01]; )".
std::string PartitionRangeText(const SqlBoundPartition& partition, Type column_type);
// The partition clause of a CREATE TABLE for `partition`.
std::string PartitionDefText(const SqlBoundPartition& partition);

// A CREATE TABLE statement that re-creates the table `name`.
std::string ShowCreateTableText(const std::string& name, const SqlTableDefinition& definition,
                                const std::vector<SqlBoundPartition>& partitions);

}  // namespace strata
