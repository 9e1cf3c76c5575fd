#include "backup/manifest.h"

#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "repository/object_codec.h"

namespace strata {

namespace {

constexpr const char* kManifestFormat = "strata-snapshot";
// Version 1 lists the chunks in the document; version 2 (written since) stores them in a tree.
constexpr int kListedChunksVersion = 1;
constexpr int kManifestVersion = 2;

nlohmann::json OptionalText(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

Result<ManifestTable> TableFromJson(const nlohmann::json& json, const std::string& what) {
  JsonFields fields(json, what + " table entry");
  ManifestTable table;
  ASSIGN_OR_RETURN(table.name, fields.String("name"));
  ASSIGN_OR_RETURN(table.physical_index, fields.String("physical_index"));
  ASSIGN_OR_RETURN(const nlohmann::json* schema, fields.Array("schema"));
  auto parsed = SchemaFromJson(*schema);
  if (!parsed.ok()) return fields.Damaged("its schema: " + parsed.status().message());
  table.schema = std::move(*parsed);
  ASSIGN_OR_RETURN(table.partition_columns, fields.Strings("partition_columns"));
  if (json.contains("scheme")) {
    ASSIGN_OR_RETURN(const nlohmann::json* scheme, fields.Object("scheme"));
    table.scheme = *scheme;
  }
  if (json.contains("definition")) table.definition = json["definition"];
  return table;
}

}  // namespace

Result<ManifestChunk> ManifestChunkFromJson(const nlohmann::json& json, const std::string& what) {
  JsonFields fields(json, what + " chunk entry");
  ManifestChunk chunk;
  ASSIGN_OR_RETURN(chunk.table, fields.String("table"));
  ASSIGN_OR_RETURN(chunk.path, fields.String("path"));
  ASSIGN_OR_RETURN(chunk.chunk_id, fields.String("chunk_id"));
  ASSIGN_OR_RETURN(chunk.cid, fields.Int("cid"));
  ASSIGN_OR_RETURN(chunk.update_time_ms, fields.Time("update_time"));
  ASSIGN_OR_RETURN(chunk.rows, fields.Uint("rows"));
  if (fields.Has("whole")) {
    ASSIGN_OR_RETURN(chunk.whole, fields.Bool("whole"));
  }
  ASSIGN_OR_RETURN(const nlohmann::json* objects, fields.Array("objects"));
  uint64_t rows = 0;
  for (const auto& o : *objects) {
    JsonFields object_fields(o, what + " object of chunk " + Quote(chunk.path));
    ManifestObject object;
    ASSIGN_OR_RETURN(object.id, object_fields.String("id"));
    if (!IsObjectId(object.id)) return object_fields.Damaged("id is not a SHA-256 hex digest");
    ASSIGN_OR_RETURN(object.rows, object_fields.Uint("rows"));
    ASSIGN_OR_RETURN(object.bytes, object_fields.Uint("bytes"));
    rows += object.rows;
    chunk.objects.push_back(std::move(object));
  }
  if (rows != chunk.rows) {
    return fields.Damaged("chunk " + Quote(chunk.path) + " says " + std::to_string(chunk.rows) +
                          " rows but its objects hold " + std::to_string(rows));
  }
  return chunk;
}

nlohmann::json ManifestChunkToJson(const ManifestChunk& c) {
  nlohmann::json objects = nlohmann::json::array();
  for (const auto& o : c.objects) {
    objects.push_back({{"id", o.id}, {"rows", o.rows}, {"bytes", o.bytes}});
  }
  nlohmann::json out = {{"table", c.table},
                        {"path", c.path},
                        {"chunk_id", c.chunk_id},
                        {"cid", c.cid},
                        {"update_time", FormatUtcMs(c.update_time_ms)},
                        {"rows", c.rows},
                        {"objects", std::move(objects)}};
  if (c.whole) out["whole"] = true;  // absent means false: manifests written before it
  return out;
}

std::string WithChunkArray(const nlohmann::json& head, const char* member,
                           std::span<const ManifestChunk> chunks) {
  std::string text = DumpJson(head);
  text.pop_back();  // the closing brace
  text += ",\"";
  text += member;
  text += "\":[";
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (i > 0) text += ',';
    text += DumpJson(ManifestChunkToJson(chunks[i]));
  }
  text += "]}";
  return text;
}

const char* BackupMethodName(BackupMethod method) {
  return method == BackupMethod::kFiles ? "files" : "sql";
}

uint64_t ManifestChunk::bytes() const {
  uint64_t total = 0;
  for (const auto& o : objects) total += o.bytes;
  return total;
}

const ManifestTable* Manifest::FindTable(const std::string& name) const {
  for (const auto& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

uint64_t Manifest::chunk_count() const { return tree.root.empty() ? chunks.size() : tree.chunks; }

uint64_t Manifest::row_count() const {
  if (!tree.root.empty()) return tree.rows;
  uint64_t total = 0;
  for (const auto& c : chunks) total += c.rows;
  return total;
}

std::string ManifestToText(const Manifest& m) {
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& t : m.tables) {
    nlohmann::json table = {{"name", t.name},
                            {"physical_index", t.physical_index},
                            {"schema", SchemaToJson(t.schema)},
                            {"partition_columns", t.partition_columns}};
    if (!t.scheme.is_null()) table["scheme"] = t.scheme;
    if (!t.definition.is_null()) table["definition"] = t.definition;
    tables.push_back(std::move(table));
  }
  nlohmann::json head = {
      {"format", kManifestFormat},
      {"version", kManifestVersion},
      {"id", m.id},
      {"parent", OptionalText(m.parent)},
      {"created", FormatUtcMs(m.created_ms)},
      {"method", BackupMethodName(m.method)},
      {"label", OptionalText(m.label)},
      {"source",
       {{"database", m.database},
        {"engine", m.engine},
        {"atomic", m.atomic},
        {"granularity", ChunkGranularityName(m.granularity)},
        {"scheme", m.scheme},
        {"cid", m.source_cid}}},
      {"tables", std::move(tables)},
      {"sql", m.sql},
      {"chunk_tree",
       {{"root", m.tree.root.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.tree.root)},
        {"height", m.tree.height},
        {"chunks", m.tree.chunks},
        {"rows", m.tree.rows},
        {"bytes", m.tree.bytes}}}};
  if (!m.origin.data_directory.empty()) {
    nlohmann::json& source = head["source"];
    source["data_directory"] = m.origin.data_directory;
    source["database_id"] = m.origin.database_id;
    source["commit_time"] = FormatUtcMs(m.origin.commit_ms);
    source["complete"] = m.origin.complete;
    source["exact"] = m.origin.exact;
  }
  return DumpJson(head);
}

Result<Manifest> ManifestFromJson(const nlohmann::json& json) {
  auto id = JsonFields(json, "snapshot manifest").String("id");
  const std::string what = id.ok() ? "snapshot " + Quote(*id) : "snapshot manifest";
  JsonFields fields(json, what);
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  if (format != kManifestFormat) return fields.Damaged("format is " + Quote(format));
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (version != kListedChunksVersion && version != kManifestVersion) {
    return Unimplemented(what + " has manifest version " + std::to_string(version) +
                         "; this strata reads versions " + std::to_string(kListedChunksVersion) +
                         " and " + std::to_string(kManifestVersion));
  }
  Manifest m;
  ASSIGN_OR_RETURN(m.id, fields.String("id"));
  ASSIGN_OR_RETURN(m.parent, fields.OptionalString("parent"));
  ASSIGN_OR_RETURN(m.created_ms, fields.Time("created"));
  ASSIGN_OR_RETURN(std::string method, fields.String("method"));
  if (method == "files") {
    m.method = BackupMethod::kFiles;
  } else if (method == "sql") {
    m.method = BackupMethod::kSql;
  } else {
    return fields.Damaged("method is " + Quote(method));
  }
  ASSIGN_OR_RETURN(m.label, fields.OptionalString("label"));
  ASSIGN_OR_RETURN(const nlohmann::json* source, fields.Object("source"));
  JsonFields source_fields(*source, what + " source");
  ASSIGN_OR_RETURN(m.database, source_fields.String("database"));
  ASSIGN_OR_RETURN(m.engine, source_fields.String("engine"));
  ASSIGN_OR_RETURN(m.atomic, source_fields.String("atomic"));
  ASSIGN_OR_RETURN(std::string granularity, source_fields.String("granularity"));
  if (granularity == "TABLE") {
    m.granularity = ChunkGranularity::kTable;
  } else if (granularity == "DATABASE") {
    m.granularity = ChunkGranularity::kDatabase;
  } else {
    return source_fields.Damaged("granularity is " + Quote(granularity));
  }
  ASSIGN_OR_RETURN(const nlohmann::json* scheme, source_fields.Object("scheme"));
  m.scheme = *scheme;
  ASSIGN_OR_RETURN(m.source_cid, source_fields.Int("cid"));
  if (source_fields.Has("data_directory")) {
    ASSIGN_OR_RETURN(m.origin.data_directory, source_fields.String("data_directory"));
    ASSIGN_OR_RETURN(m.origin.database_id, source_fields.Int("database_id"));
    ASSIGN_OR_RETURN(m.origin.commit_ms, source_fields.Time("commit_time"));
    ASSIGN_OR_RETURN(m.origin.complete, source_fields.Bool("complete"));
    ASSIGN_OR_RETURN(m.origin.exact, source_fields.Bool("exact"));
    if (m.origin.data_directory.empty() || (m.origin.exact && !m.origin.complete)) {
      return source_fields.Damaged("data_directory is empty, or exact without complete");
    }
  }
  ASSIGN_OR_RETURN(const nlohmann::json* tables, fields.Array("tables"));
  for (const auto& t : *tables) {
    ASSIGN_OR_RETURN(ManifestTable table, TableFromJson(t, what));
    m.tables.push_back(std::move(table));
  }
  ASSIGN_OR_RETURN(m.sql, fields.String("sql"));
  if (version == kManifestVersion) {
    ASSIGN_OR_RETURN(const nlohmann::json* tree, fields.Object("chunk_tree"));
    JsonFields tree_fields(*tree, what + " chunk_tree");
    ASSIGN_OR_RETURN(auto root, tree_fields.OptionalString("root"));
    ASSIGN_OR_RETURN(m.tree.height, tree_fields.Int("height"));
    ASSIGN_OR_RETURN(m.tree.chunks, tree_fields.Uint("chunks"));
    ASSIGN_OR_RETURN(m.tree.rows, tree_fields.Uint("rows"));
    ASSIGN_OR_RETURN(m.tree.bytes, tree_fields.Uint("bytes"));
    m.tree.root = root.value_or("");
    if (root && !IsObjectId(*root)) return tree_fields.Damaged("root is not an object id");
    if (root.has_value() != (m.tree.height > 0) || (!root && m.tree.chunks != 0)) {
      return tree_fields.Damaged("root, height and chunks disagree");
    }
    return m;
  }
  ASSIGN_OR_RETURN(const nlohmann::json* chunks, fields.Array("chunks"));
  for (const auto& c : *chunks) {
    ASSIGN_OR_RETURN(ManifestChunk chunk, ManifestChunkFromJson(c, what));
    m.chunks.push_back(std::move(chunk));
  }
  RETURN_IF_ERROR(CheckChunksOfTables(m));
  return m;
}

Status CheckChunksOfTables(const Manifest& m) {
  for (const auto& c : m.chunks) {
    if (m.FindTable(c.table) == nullptr) {
      return Corruption("snapshot " + Quote(m.id) + ": chunk " + Quote(c.path) +
                        " names unknown table " + Quote(c.table));
    }
  }
  return Status::Ok();
}

}  // namespace strata
