#include "catalog/records.h"

#include "base/json_fields.h"
#include "base/strings.h"

namespace strata {

const char* ChunkGranularityName(ChunkGranularity granularity) {
  return granularity == ChunkGranularity::kTable ? "TABLE" : "DATABASE";
}

std::string DatabaseShortName(const std::string& name) {
  return name.starts_with("dfs://") ? name.substr(6) : name;
}

std::optional<std::string> TableShapeDifference(const Schema& schema,
                                                const std::vector<std::string>& partition_columns,
                                                const Schema& other_schema,
                                                const std::vector<std::string>& other_columns,
                                                const std::string& other_name) {
  if (schema.size() != other_schema.size()) {
    return " has " + std::to_string(schema.size()) + " columns but " + other_name + " has " +
           std::to_string(other_schema.size());
  }
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& a = schema.field(i);
    const Field& b = other_schema.field(i);
    if (a.name != b.name || a.type != b.type) {
      return ": column " + std::to_string(i + 1) + " is " + Quote(a.name) + " " + TypeName(a.type) +
             " but " + other_name + " has " + Quote(b.name) + " " + TypeName(b.type);
    }
  }
  if (partition_columns != other_columns) {
    return " is partitioned by [" + Join(partition_columns, ", ") + "] but " + other_name +
           " by [" + Join(other_columns, ", ") + "]";
  }
  return std::nullopt;
}

nlohmann::json SchemaToJson(const Schema& schema) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : schema.fields()) {
    out.push_back({{"name", f.name}, {"type", TypeName(f.type)}});
  }
  return out;
}

Result<Schema> SchemaFromJson(const nlohmann::json& json) {
  if (!json.is_array()) return Corruption("catalog schema is not a JSON array");
  Schema schema;
  for (const auto& f : json) {
    JsonFields fields(f, "catalog schema field");
    ASSIGN_OR_RETURN(std::string name, fields.String("name"));
    ASSIGN_OR_RETURN(std::string type_name, fields.String("type"));
    auto type = TypeFromName(type_name);
    if (!type) return Corruption("catalog schema has unknown type " + Quote(type_name));
    schema.Add({std::move(name), *type});
  }
  return schema;
}

nlohmann::json SegmentsToJson(const std::vector<SegmentEntry>& segments) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : segments) {
    out.push_back({{"id", s.id}, {"table", s.table_id}, {"rows", s.rows}, {"bytes", s.size_bytes}});
  }
  return out;
}

Result<std::vector<SegmentEntry>> SegmentsFromJson(const nlohmann::json& json) {
  if (!json.is_array()) return Corruption("catalog segment list is not a JSON array");
  std::vector<SegmentEntry> out;
  for (const auto& s : json) {
    JsonFields fields(s, "catalog segment entry");
    SegmentEntry entry;
    ASSIGN_OR_RETURN(entry.id, fields.String("id"));
    ASSIGN_OR_RETURN(entry.table_id, fields.Int("table"));
    ASSIGN_OR_RETURN(entry.rows, fields.Uint("rows"));
    ASSIGN_OR_RETURN(entry.size_bytes, fields.Uint("bytes"));
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace strata
