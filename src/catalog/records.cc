#include "catalog/records.h"

namespace strata {

const char* ChunkGranularityName(ChunkGranularity granularity) {
  return granularity == ChunkGranularity::kTable ? "TABLE" : "DATABASE";
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
    if (!f.is_object() || !f.contains("name") || !f.contains("type") || !f["name"].is_string() ||
        !f["type"].is_string()) {
      return Corruption("catalog schema field is malformed: " + f.dump());
    }
    auto type = TypeFromName(f["type"].get<std::string>());
    if (!type) return Corruption("catalog schema has unknown type " + f["type"].dump());
    schema.Add({f["name"].get<std::string>(), *type});
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
    if (!s.is_object() || !s.contains("id") || !s["id"].is_string() || !s.contains("table") ||
        !s.contains("rows") || !s.contains("bytes")) {
      return Corruption("catalog segment entry is malformed: " + s.dump());
    }
    out.push_back({s["id"].get<std::string>(), s["table"].get<int64_t>(), s["rows"].get<uint64_t>(),
                   s["bytes"].get<uint64_t>()});
  }
  return out;
}

}  // namespace strata
