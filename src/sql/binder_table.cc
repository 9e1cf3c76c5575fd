#include "sql/binder_table.h"

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "partition/named_partitions.h"
#include "types/cast.h"
#include "types/temporal.h"

namespace strata {

namespace {

// Doris properties that describe storage Strata does not have: accepted with a warning.
constexpr const char* kIgnoredProperties[] = {
    "storage_medium",
    "storage_cooldown_time",
    "storage_policy",
    "storage_format",
    "replication_allocation",
    "in_memory",
    "compression",
    "light_schema_change",
    "disable_auto_compaction",
    "enable_single_replica_compaction",
    "store_row_column",
    "bloom_filter_columns",
    "bloom_filter_fpp",
    "colocate_with",
    "is_being_synced",
    "compaction_policy",
    "estimate_partition_size",
    "group_commit_interval_ms",
    "group_commit_data_bytes",
    "skip_write_index_on_load",
    "inverted_index_storage_format",
    "min_load_replica_num",
    "file_cache_ttl_seconds",
    "storage_vault_name",
    "time_series_compaction_goal_size_mbytes",
    "time_series_compaction_file_count_threshold",
    "time_series_compaction_time_threshold_seconds",
};

bool IEquals(const std::string& a, const std::string& b) { return ToLower(a) == ToLower(b); }

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

std::string Backquote(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string DoubleQuoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Result<Scalar> PartitionValue(const SqlPartitionValue& value, const SqlColumnSpec& column,
                              const std::string& partition) {
  auto converted = ConvertToColumn(value.literal, column.type, column.name);
  if (!converted.ok()) {
    return InvalidArgument("line " + std::to_string(value.position.line) + ", column " +
                           std::to_string(value.position.column) + ": partition " +
                           Quote(partition) + ": " + converted.status().message());
  }
  if (converted->is_null()) {
    return InvalidArgument("partition " + Quote(partition) + ": a partition value cannot be NULL");
  }
  return *converted;
}

std::string ValueList(const std::vector<Scalar>& values) {
  std::vector<std::string> parts;
  for (const auto& v : values) parts.push_back(SqlLiteralText(v));
  return Join(parts);
}

}  // namespace

// ---- definitions ----------------------------------------------------------------------------

Schema SqlTableDefinition::ToSchema() const {
  Schema schema;
  for (const auto& c : columns) schema.Add({c.name, c.type.type});
  return schema;
}

std::vector<std::string> SqlTableDefinition::PartitionColumns() const {
  std::vector<std::string> out;
  if (partition_kind) out.push_back(partition_column);
  if (!bucket_column.empty()) out.push_back(bucket_column);
  return out;
}

const SqlColumnSpec* SqlTableDefinition::Find(const std::string& column) const {
  for (const auto& c : columns) {
    if (IEquals(c.name, column)) return &c;
  }
  return nullptr;
}

nlohmann::json SqlTableDefinition::ToJson() const {
  nlohmann::json cols = nlohmann::json::array();
  // Version 1 stays version 1 (its DATETIME columns are 32-bit, FromJson), so an ALTER of an
  // older table does not change what its rows mean.
  int version = 2;
  for (const auto& c : columns) {
    if (c.type.text == "DATETIME" && c.type.type == Type::kDateTime) version = 1;
    nlohmann::json col = {{"name", c.name}, {"type", c.type.text}, {"nullable", c.nullable}};
    switch (c.default_kind) {
      case SqlDefaultKind::kNone:
        break;
      case SqlDefaultKind::kNull:
        col["default"] = nullptr;
        break;
      case SqlDefaultKind::kLiteral:
        col["default"] = c.default_text;
        break;
      case SqlDefaultKind::kCurrentTimestamp:
        col["default_current_timestamp"] = true;
        break;
    }
    if (!c.comment.empty()) col["comment"] = c.comment;
    cols.push_back(std::move(col));
  }
  nlohmann::json json = {{"dialect", "doris"},         {"version", version},
                         {"columns", std::move(cols)}, {"key_model", "DUPLICATE"},
                         {"key_columns", key_columns}, {"key_written", key_written},
                         {"properties", properties},   {"comment", comment}};
  if (partition_kind) {
    json["partition"] = {{"kind", *partition_kind == SqlPartitionKind::kRange ? "RANGE" : "LIST"},
                         {"column", partition_column}};
  }
  if (!bucket_column.empty()) {
    json["distribution"] = {
        {"column", bucket_column}, {"buckets", buckets}, {"auto", buckets_auto}};
  }
  return json;
}

Result<SqlTableDefinition> SqlTableDefinition::FromJson(const nlohmann::json& json) {
  try {
    const int version = json.is_object() ? json.value("version", 0) : 0;
    if (version != 1 && version != 2) {
      return Corruption("the table's SQL definition has an unknown format");
    }
    SqlTableDefinition d;
    for (const auto& col : json.at("columns")) {
      SqlColumnSpec c;
      c.name = col.at("name").get<std::string>();
      ASSIGN_OR_RETURN(c.type, ParseColumnTypeText(c.name, col.at("type").get<std::string>()));
      // Version 1 (before DATETIME became a TIMESTAMP) stored DATETIME as 32-bit seconds.
      if (version == 1 && c.type.text == "DATETIME") c.type.type = Type::kDateTime;
      c.nullable = col.at("nullable").get<bool>();
      if (col.contains("default")) {
        if (col["default"].is_null()) {
          c.default_kind = SqlDefaultKind::kNull;
        } else {
          c.default_kind = SqlDefaultKind::kLiteral;
          c.default_text = col["default"].get<std::string>();
        }
      } else if (col.value("default_current_timestamp", false)) {
        c.default_kind = SqlDefaultKind::kCurrentTimestamp;
      }
      c.comment = col.value("comment", "");
      d.columns.push_back(std::move(c));
    }
    d.key_columns = json.at("key_columns").get<std::vector<std::string>>();
    d.key_written = json.value("key_written", false);
    d.properties = json.at("properties").get<std::vector<std::pair<std::string, std::string>>>();
    d.comment = json.value("comment", "");
    if (json.contains("partition")) {
      d.partition_kind = json["partition"].at("kind").get<std::string>() == "LIST"
                             ? SqlPartitionKind::kList
                             : SqlPartitionKind::kRange;
      d.partition_column = json["partition"].at("column").get<std::string>();
    }
    if (json.contains("distribution")) {
      d.bucket_column = json["distribution"].at("column").get<std::string>();
      d.buckets = json["distribution"].at("buckets").get<int64_t>();
      d.buckets_auto = json["distribution"].value("auto", false);
    }
    return d;
  } catch (const nlohmann::json::exception& e) {
    return Corruption(std::string("the table's SQL definition is malformed: ") + e.what());
  }
}

SqlTableDefinition SqlTableDefinition::FromSchema(
    const Schema& schema, const std::vector<std::string>& partition_columns) {
  SqlTableDefinition d;
  for (const auto& field : schema.fields()) {
    SqlColumnSpec c;
    c.name = field.name;
    c.type.type = field.type;
    c.type.text = MySqlTypeName(field.type);
    if (IsStringLike(field.type)) c.type.text = "STRING";
    if (field.type == Type::kTimestamp) c.type.text = "DATETIME(3)";  // milliseconds
    d.columns.push_back(std::move(c));
  }
  d.key_columns = partition_columns;
  return d;
}

// ---- CREATE TABLE -----------------------------------------------------------------------------

Result<std::vector<std::pair<std::string, std::string>>> BindProperties(
    const SqlProperties& properties, std::vector<std::string>* warnings) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (const auto& p : properties) {
    std::string key = ToLower(p.key);
    std::string where = "line " + std::to_string(p.position.line) + ", column " +
                        std::to_string(p.position.column) + ": ";
    if (!seen.insert(key).second) {
      return InvalidArgument(where + "property " + DoubleQuoted(p.key) + " is given twice");
    }
    if (key == "replication_num") {
      int64_t n = 0;
      auto parsed = ParseScalar(p.value, Type::kLong);
      if (!parsed.ok() || parsed->is_null() || (n = parsed->int_value()) < 1) {
        return InvalidArgument(where +
                               "property \"replication_num\" must be a positive integer, "
                               "got " +
                               DoubleQuoted(p.value));
      }
      if (n != 1) {
        warnings->push_back("\"replication_num\" = " + DoubleQuoted(p.value) +
                            " is accepted and ignored: Strata keeps one copy of every table");
      }
    } else if (std::find(std::begin(kIgnoredProperties), std::end(kIgnoredProperties), key) !=
               std::end(kIgnoredProperties)) {
      warnings->push_back("property " + DoubleQuoted(p.key) +
                          " is accepted and ignored: it describes Doris storage that Strata "
                          "does not have");
    } else {
      return InvalidArgument(where + "unknown property " + DoubleQuoted(p.key) +
                             "; supported: \"replication_num\" and Doris storage properties "
                             "(\"storage_medium\", \"in_memory\", \"compression\", ...), which "
                             "are ignored");
    }
    out.emplace_back(p.key, p.value);
  }
  return out;
}

Result<SqlBoundTable> BindCreateTable(const SqlCreateTable& statement,
                                      std::vector<std::string>* warnings) {
  SqlBoundTable bound;
  SqlTableDefinition& d = bound.definition;
  const std::string table = statement.table.table;
  if (!statement.engine.empty() && !IEquals(statement.engine, "OLAP")) {
    return InvalidArgument("ENGINE = " + statement.engine +
                           " is not supported; leave ENGINE out or write ENGINE = OLAP");
  }
  if (statement.key_kind == SqlKeyKind::kUnique || statement.key_kind == SqlKeyKind::kAggregate) {
    return InvalidArgument(
        std::string(statement.key_kind == SqlKeyKind::kUnique ? "UNIQUE KEY" : "AGGREGATE KEY") +
        " tables are not supported: only DUPLICATE KEY tables are supported");
  }
  if (statement.columns.empty()) return InvalidArgument("table " + Quote(table) + " needs columns");
  for (const auto& def : statement.columns) {
    std::string at = "line " + std::to_string(def.position.line) + ", column " +
                     std::to_string(def.position.column) + ": ";
    if (d.Find(def.name)) {
      return InvalidArgument(at + "column " + Quote(def.name) + " is defined twice");
    }
    if (!def.aggregation.empty()) {
      return InvalidArgument(at + "column " + Quote(def.name) + " has aggregation " +
                             def.aggregation +
                             ": only DUPLICATE KEY tables are supported, whose columns have none");
    }
    SqlColumnSpec c;
    c.name = def.name;
    auto type = BindColumnType(def.name, def.type_name, def.type_params);
    if (!type.ok()) return InvalidArgument(at + type.status().message());
    c.type = std::move(*type);
    c.nullable = def.nullability != SqlNullability::kNotNull;
    c.comment = def.comment;
    if (def.default_value) {
      const Expr& e = *def.default_value;
      if (e.kind == ExprKind::kCall) {
        if (c.type.text != "DATETIME") {
          return InvalidArgument(at + "column " + Quote(def.name) +
                                 ": DEFAULT CURRENT_TIMESTAMP needs a DATETIME column");
        }
        c.default_kind = SqlDefaultKind::kCurrentTimestamp;
      } else if (e.literal.is_void() || (e.literal.is_scalar() && e.literal.scalar().is_null())) {
        if (!c.nullable) {
          return InvalidArgument(at + "column " + Quote(def.name) +
                                 " is NOT NULL and cannot have DEFAULT NULL");
        }
        c.default_kind = SqlDefaultKind::kNull;
      } else {
        auto value = ConvertToColumn(e.literal, c.type, c.name);
        if (!value.ok()) {
          return InvalidArgument(at + "DEFAULT of " + value.status().message());
        }
        c.default_kind = SqlDefaultKind::kLiteral;
        c.default_text = MySqlText(*value);
      }
    }
    d.columns.push_back(std::move(c));
  }
  if (statement.key_kind == SqlKeyKind::kDuplicate) {
    d.key_written = true;
    for (size_t i = 0; i < statement.key_columns.size(); ++i) {
      const std::string& key = statement.key_columns[i];
      const SqlColumnSpec* c = d.Find(key);
      if (!c) {
        return InvalidArgument("DUPLICATE KEY names " + Quote(key) + ", which is not a column of " +
                               Quote(table));
      }
      if (i >= d.columns.size() || !IEquals(d.columns[i].name, key)) {
        return InvalidArgument(
            "DUPLICATE KEY columns must be the first columns of the table, in "
            "order; " +
            Quote(key) + " is not column " + std::to_string(i + 1));
      }
      d.key_columns.push_back(c->name);
    }
  }
  if (statement.partition) {
    const SqlPartitionClause& clause = *statement.partition;
    if (clause.columns.size() != 1) {
      return InvalidArgument("PARTITION BY on " + std::to_string(clause.columns.size()) +
                             " columns is not supported yet; partition by one column");
    }
    const SqlColumnSpec* c = d.Find(clause.columns[0]);
    if (!c) {
      return InvalidArgument("PARTITION BY names " + Quote(clause.columns[0]) +
                             ", which is not a column of " + Quote(table));
    }
    if (d.key_written &&
        std::find(d.key_columns.begin(), d.key_columns.end(), c->name) == d.key_columns.end()) {
      return InvalidArgument("partition column " + Quote(c->name) +
                             " must be a key column: add it to DUPLICATE KEY(...)");
    }
    if (clause.kind == SqlPartitionKind::kRange &&
        (IsFloating(c->type.type) || IsStringLike(c->type.type) || c->type.type == Type::kBool)) {
      return InvalidArgument("PARTITION BY RANGE needs an integer, DATE or DATETIME column; " +
                             Quote(c->name) + " is " + c->type.text +
                             " (PARTITION BY LIST takes it)");
    }
    if (IsFloating(c->type.type)) {
      return InvalidArgument("cannot partition by the " + c->type.text + " column " +
                             Quote(c->name));
    }
    if (clause.partitions.empty()) {
      return InvalidArgument("PARTITION BY needs at least one PARTITION ... VALUES ... definition");
    }
    d.partition_kind = clause.kind;
    d.partition_column = c->name;
    ASSIGN_OR_RETURN(bound.partitions,
                     BindPartitionDefs(clause.kind, *c, clause.partitions, std::nullopt, false));
  }
  if (statement.distribution) {
    const SqlDistribution& dist = *statement.distribution;
    if (dist.hash_columns.size() != 1) {
      return InvalidArgument("DISTRIBUTED BY HASH on " + std::to_string(dist.hash_columns.size()) +
                             " columns is not supported yet; name one column");
    }
    const SqlColumnSpec* c = d.Find(dist.hash_columns[0]);
    if (!c) {
      return InvalidArgument("DISTRIBUTED BY HASH names " + Quote(dist.hash_columns[0]) +
                             ", which is not a column of " + Quote(table));
    }
    if (IsFloating(c->type.type)) {
      return InvalidArgument("cannot distribute by the " + c->type.text + " column " +
                             Quote(c->name) + "; choose an integer, date or string column");
    }
    if (d.partition_kind && IEquals(c->name, d.partition_column)) {
      return InvalidArgument("DISTRIBUTED BY HASH(" + c->name +
                             ") uses the partition column; choose another column");
    }
    d.bucket_column = c->name;
    d.buckets_auto = dist.bucket_count == 0;
    d.buckets = d.buckets_auto ? kSqlAutoBuckets : dist.bucket_count;
  }
  ASSIGN_OR_RETURN(d.properties, BindProperties(statement.properties, warnings));
  d.comment = statement.comment;
  return bound;
}

Result<std::vector<SqlBoundPartition>> BindPartitionDefs(SqlPartitionKind kind,
                                                         const SqlColumnSpec& column,
                                                         const std::vector<SqlPartitionDef>& defs,
                                                         std::optional<Scalar> previous_high,
                                                         bool previous_is_max) {
  std::vector<SqlBoundPartition> out;
  std::set<std::string> names;
  for (const auto& def : defs) {
    std::string at = "line " + std::to_string(def.position.line) + ", column " +
                     std::to_string(def.position.column) + ": partition " + Quote(def.name) + ": ";
    if (!names.insert(ToLower(def.name)).second) {
      return InvalidArgument(at + "the name is used twice");
    }
    SqlBoundPartition p;
    p.name = def.name;
    if (kind == SqlPartitionKind::kList) {
      if (def.bound != SqlPartitionBound::kIn) {
        return InvalidArgument(at + "a LIST partition is written VALUES IN (...)");
      }
      p.type = PartitionType::kList;
      for (const auto& tuple : def.in_values) {
        if (tuple.size() != 1 || tuple[0].is_max_value) {
          return InvalidArgument(at + "each value of VALUES IN is one value of " +
                                 Quote(column.name));
        }
        ASSIGN_OR_RETURN(Scalar v, PartitionValue(tuple[0], column, def.name));
        p.values.push_back(std::move(v));
      }
      out.push_back(std::move(p));
      continue;
    }
    if (def.bound == SqlPartitionBound::kIn) {
      return InvalidArgument(at +
                             "a RANGE partition is written VALUES LESS THAN (...) or "
                             "VALUES [(low), (high))");
    }
    p.type = PartitionType::kRange;
    if (def.upper.size() != 1 ||
        (def.bound == SqlPartitionBound::kFixedRange && def.lower.size() != 1)) {
      return InvalidArgument(at + "each bound is one value of " + Quote(column.name));
    }
    if (def.bound == SqlPartitionBound::kLessThan) {
      if (previous_is_max) {
        return InvalidArgument(at + "it comes after a partition that reaches MAXVALUE");
      }
      p.low = previous_high;
    } else {
      if (def.lower[0].is_max_value)
        return InvalidArgument(at + "MAXVALUE cannot be a lower bound");
      ASSIGN_OR_RETURN(Scalar low, PartitionValue(def.lower[0], column, def.name));
      p.low = std::move(low);
    }
    if (!def.upper[0].is_max_value) {
      ASSIGN_OR_RETURN(Scalar high, PartitionValue(def.upper[0], column, def.name));
      p.high = std::move(high);
    }
    if (p.low && p.high && !(*p.low < *p.high)) {
      return InvalidArgument(at + "its range [" + SqlLiteralText(*p.low) + ", " +
                             SqlLiteralText(*p.high) + ") is empty");
    }
    previous_high = p.high;
    previous_is_max = !p.high.has_value();
    out.push_back(std::move(p));
  }
  return out;
}

// ---- schemes ----------------------------------------------------------------------------------

Result<std::unique_ptr<PartitionScheme>> MakeNamedScheme(
    PartitionType type, Type column_type, const std::vector<SqlBoundPartition>& partitions) {
  if (type == PartitionType::kList) {
    std::vector<NamedList> lists;
    for (const auto& p : partitions) lists.push_back({p.name, p.values});
    return MakeNamedLists(column_type, std::move(lists));
  }
  std::vector<NamedRange> ranges;
  for (const auto& p : partitions) ranges.push_back({p.name, p.low, p.high});
  return MakeNamedRanges(column_type, std::move(ranges));
}

Result<std::unique_ptr<PartitionScheme>> MakeTableScheme(
    const SqlTableDefinition& d, const std::vector<SqlBoundPartition>& partitions) {
  std::unique_ptr<PartitionScheme> named, hash;
  if (d.partition_kind) {
    const SqlColumnSpec* c = d.Find(d.partition_column);
    if (!c) return Internal("partition column missing from the definition");
    auto scheme = MakeNamedScheme(
        *d.partition_kind == SqlPartitionKind::kList ? PartitionType::kList : PartitionType::kRange,
        c->type.type, partitions);
    if (!scheme.ok()) return scheme.status().WithContext("PARTITION BY");
    named = std::move(*scheme);
  }
  if (!d.bucket_column.empty()) {
    const SqlColumnSpec* c = d.Find(d.bucket_column);
    if (!c) return Internal("distribution column missing from the definition");
    Tuple args = {Value(Scalar::Int(Type::kInt, static_cast<int>(c->type.type))),
                  Value(Scalar::Int(Type::kInt, d.buckets))};
    auto scheme = PartitionScheme::Make(PartitionType::kHash, Value::MakeTuple(std::move(args)));
    if (!scheme.ok()) return scheme.status().WithContext("DISTRIBUTED BY HASH");
    hash = std::move(*scheme);
  }
  if (named && hash) {
    std::vector<std::unique_ptr<PartitionScheme>> levels;
    levels.push_back(std::move(named));
    levels.push_back(std::move(hash));
    return PartitionScheme::MakeCompo(std::move(levels));
  }
  if (named) return named;
  return hash;  // null for a table with neither
}

std::vector<SqlBoundPartition> NamedPartitionsOfScheme(const PartitionScheme& scheme) {
  std::vector<SqlBoundPartition> out;
  for (const auto& p : NamedPartitionsOf(scheme)) {
    out.push_back({p.name, p.type, p.low, p.high, p.values});
  }
  return out;
}

// ---- text -------------------------------------------------------------------------------------

std::string PartitionRangeText(const SqlBoundPartition& p, Type column_type) {
  // Doris's form: "[types: [DATE]; keys: [2020-02-01]; ..types: [DATE]; keys: [2020-03-01]; )"
  // for a range, "[types: [VARCHAR]; keys: [Beijing]; , types: [VARCHAR]; keys: [Shanghai]; ]"
  // for a list; open ends as the type's extremes.
  std::string type = MySqlTypeName(column_type);
  auto key = [&](const std::string& text) {
    return "types: [" + type + "]; keys: [" + text + "]; ";
  };
  if (p.type == PartitionType::kList) {
    std::string out = "[";
    for (size_t i = 0; i < p.values.size(); ++i) {
      out += (i ? ", " : "") + key(MySqlText(p.values[i]));
    }
    return out + "]";
  }
  std::string low, high;
  switch (column_type) {
    case Type::kDate:
      low = "0000-01-01", high = "9999-12-31";
      break;
    case Type::kDateTime:
    case Type::kTimestamp:
      low = "0000-01-01 00:00:00", high = "9999-12-31 23:59:59";
      break;
    case Type::kChar:
      low = "-128", high = "127";
      break;
    case Type::kShort:
      low = "-32768", high = "32767";
      break;
    case Type::kInt:
      low = "-2147483648", high = "2147483647";
      break;
    default:
      low = "-9223372036854775808", high = "9223372036854775807";
      break;
  }
  if (p.low) low = MySqlText(*p.low);
  if (p.high) high = MySqlText(*p.high);
  return "[" + key(low) + ".." + key(high) + ")";
}

std::string PartitionDefText(const SqlBoundPartition& p) {
  if (p.type == PartitionType::kList) {
    return "PARTITION " + Backquote(p.name) + " VALUES IN (" + ValueList(p.values) + ")";
  }
  if (!p.low) {
    return "PARTITION " + Backquote(p.name) + " VALUES LESS THAN (" +
           (p.high ? SqlLiteralText(*p.high) : std::string("MAXVALUE")) + ")";
  }
  return "PARTITION " + Backquote(p.name) + " VALUES [(" + SqlLiteralText(*p.low) + "), (" +
         (p.high ? SqlLiteralText(*p.high) : std::string("MAXVALUE")) + "))";
}

std::string ShowCreateTableText(const std::string& name, const SqlTableDefinition& d,
                                const std::vector<SqlBoundPartition>& partitions) {
  std::string out = "CREATE TABLE " + Backquote(name) + " (\n";
  for (size_t i = 0; i < d.columns.size(); ++i) {
    const auto& c = d.columns[i];
    out += "  " + Backquote(c.name) + " " + c.type.text + (c.nullable ? " NULL" : " NOT NULL");
    switch (c.default_kind) {
      case SqlDefaultKind::kNone:
        break;
      case SqlDefaultKind::kNull:
        out += " DEFAULT NULL";
        break;
      case SqlDefaultKind::kLiteral:
        out += " DEFAULT " + DoubleQuoted(c.default_text);
        break;
      case SqlDefaultKind::kCurrentTimestamp:
        out += " DEFAULT CURRENT_TIMESTAMP";
        break;
    }
    if (!c.comment.empty()) out += " COMMENT " + DoubleQuoted(c.comment);
    out += i + 1 < d.columns.size() ? ",\n" : "\n";
  }
  out += ") ENGINE=OLAP";
  if (d.key_written) {
    std::vector<std::string> keys;
    for (const auto& k : d.key_columns) keys.push_back(Backquote(k));
    out += "\nDUPLICATE KEY(" + Join(keys) + ")";
  }
  if (!d.comment.empty()) out += "\nCOMMENT " + DoubleQuoted(d.comment);
  if (d.partition_kind) {
    out += std::string("\nPARTITION BY ") +
           (*d.partition_kind == SqlPartitionKind::kList ? "LIST" : "RANGE") + "(" +
           Backquote(d.partition_column) + ")\n(";
    for (size_t i = 0; i < partitions.size(); ++i) {
      out += (i ? ",\n" : "") + PartitionDefText(partitions[i]);
    }
    out += ")";
  }
  if (!d.bucket_column.empty()) {
    out += "\nDISTRIBUTED BY HASH(" + Backquote(d.bucket_column) + ") BUCKETS " +
           (d.buckets_auto ? std::string("AUTO") : std::to_string(d.buckets));
  }
  if (!d.properties.empty()) {
    out += "\nPROPERTIES (\n";
    for (size_t i = 0; i < d.properties.size(); ++i) {
      out += "\"" + d.properties[i].first + "\" = " + DoubleQuoted(d.properties[i].second) +
             (i + 1 < d.properties.size() ? ",\n" : "\n");
    }
    out += ")";
  }
  return out + ";";
}

}  // namespace strata
