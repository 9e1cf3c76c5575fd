// loadText and loadTextEx: CSV import with type inference.
#include "base/strings.h"
#include "lang/builtin_args.h"
#include "lang/csv_reader.h"
#include "lang/database_handle.h"
#include "lang/interpreter.h"
#include "lang/script_files.h"
#include "query/dfs_table.h"

namespace strata {

namespace {

Result<char> DelimiterArg(const Value& v, const char* function) {
  ASSIGN_OR_RETURN(std::string text, OptionalStringArg(v, function, "delimiter", ","));
  if (text.size() != 1) {
    return InvalidArgument(std::string("the delimiter of ") + function +
                           " must be one character, got " + Quote(text));
  }
  return text[0];
}

// A schema table with columns `name` and `type` (as extractTextSchema gives), or VOID.
Result<std::optional<Schema>> SchemaArg(const Value& v, const char* function) {
  if (v.is_void()) return std::optional<Schema>();
  if (!v.is_table()) {
    return InvalidArgument(std::string("the schema of ") + function +
                           " must be a table with columns name and type, got a " + v.Describe());
  }
  const Table& t = *v.table();
  auto names = t.ColumnByName("name");
  auto types = t.ColumnByName("type");
  if (!names.ok() || !types.ok() || !IsStringLike((*names)->type()) ||
      !IsStringLike((*types)->type())) {
    return InvalidArgument(std::string("the schema of ") + function +
                           " must have STRING columns name and type");
  }
  Schema schema;
  for (size_t i = 0; i < t.rows(); ++i) {
    std::string type_name = (*types)->Get(i).string_value();
    auto type = TypeFromName(type_name);
    if (!type) return InvalidArgument("unknown type " + Quote(type_name) + " in the schema");
    schema.Add({(*names)->Get(i).string_value(), *type});
  }
  return std::optional<Schema>(std::move(schema));
}

// Opens the file a script names, once its session may read it (lang/script_files.h).
Result<std::unique_ptr<CsvReader>> OpenCsv(Interpreter& in, const Value& file,
                                           const Value& delimiter, const Value& schema,
                                           const char* function) {
  ASSIGN_OR_RETURN(std::string named, StringArg(file, function, "filename"));
  ASSIGN_OR_RETURN(std::string path, AuthorizeScriptFileRead(in, named));
  CsvOptions options;
  ASSIGN_OR_RETURN(options.delimiter, DelimiterArg(delimiter, function));
  ASSIGN_OR_RETURN(options.schema, SchemaArg(schema, function));
  return CsvReader::Open(path, options);
}

Result<Value> LoadText(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(auto reader, OpenCsv(in, a[0], a[1], a[2], "loadText"));
  std::vector<Column> columns;
  for (const auto& f : reader->schema().fields()) columns.emplace_back(f.type);
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, reader->NextBatch());
    if (!batch) break;
    for (size_t c = 0; c < columns.size(); ++c) {
      columns[c].AppendRange(*batch->column(c), 0, batch->rows());
    }
  }
  std::vector<ColumnPtr> shared;
  for (auto& c : columns) shared.push_back(std::make_shared<const Column>(std::move(c)));
  return Value::MakeTable(std::make_shared<const Table>(reader->schema(), std::move(shared)));
}

// Loads the file into a partitioned table, creating the table from the file's schema when it
// does not exist. Each batch of rows is one commit.
Result<Value> LoadTextEx(Interpreter& in, std::vector<Value>& a) {
  DatabaseService& databases = in.databases();
  const DatabaseHandle* handle = AsDatabaseHandle(a[0]);
  if (handle == nullptr || handle->name().empty()) {
    return InvalidArgument("loadTextEx needs a named database handle, got a " + a[0].Describe());
  }
  ASSIGN_OR_RETURN(std::string table, StringArg(a[1], "loadTextEx", "tableName"));
  ASSIGN_OR_RETURN(auto partition_columns, StringListArg(a[2], "loadTextEx", "partitionColumns"));
  // The database first: a session that may not change it learns nothing about the file.
  RETURN_IF_ERROR(databases.Check(handle->name(), DatabaseAccess::kWrite));
  ASSIGN_OR_RETURN(auto reader, OpenCsv(in, a[3], a[4], a[5], "loadTextEx"));
  RETURN_IF_ERROR(
      databases.GetOrCreateTable(handle->name(), table, reader->schema(), partition_columns)
          .status());
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, reader->NextBatch());
    if (!batch) break;
    RETURN_IF_ERROR(databases.Append(handle->name(), table, *batch).status());
  }
  return Value::MakeObject(std::make_shared<const DfsTableObject>(handle->name(), table));
}

}  // namespace

void RegisterTextFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  r.Register({"loadText",
              {"filename", "delimiter", "schema"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return LoadText(*self, a); }});
  r.Register({"loadTextEx",
              {"dbHandle", "tableName", "partitionColumns", "filename", "delimiter", "schema"},
              4,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return LoadTextEx(*self, a); }});
}

}  // namespace strata
