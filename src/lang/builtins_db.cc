// Builtins that create, open, fill and drop databases and tables.
#include <filesystem>

#include "base/json.h"
#include "base/strings.h"
#include "lang/builtin_args.h"
#include "lang/database_handle.h"
#include "lang/interpreter.h"
#include "partition/selection.h"
#include "query/dfs_table.h"
#include "query/evaluator.h"
#include "query/operators.h"
#include "types/cast.h"

namespace strata {

namespace {

// Why an RSA-encrypted login (getDynamicPublicKey, login(..., true)) is refused: what the
// DolphinDB client APIs that try one by default must be told to do instead.
constexpr const char* kEncryptedLoginRefusal =
    "Strata has no RSA-encrypted login: the password goes as it is, so keep the connection on "
    "loopback or behind TLS, and turn the client's login encryption off (Python: "
    "session.connect(..., enableEncryption=False); Java: conn.login(user, password, false); "
    "C++: a build without OpenSSL, or login(user, password, false))";

Result<PartitionType> PartitionTypeArg(const Value& v) {
  if (v.is_scalar() && IsIntegral(v.type())) {
    int64_t id = v.scalar().int_value();
    if (id >= 1 && id <= 5) return static_cast<PartitionType>(id);
  }
  if (v.is_scalar() && IsStringLike(v.type())) {
    if (auto t = PartitionTypeFromName(v.scalar().string_value())) return *t;
  }
  return InvalidArgument("partitionType must be VALUE, RANGE, HASH, LIST or COMPO, got a " +
                         v.Describe());
}

Result<std::unique_ptr<PartitionScheme>> SchemeArg(PartitionType type, const Value& scheme) {
  if (type != PartitionType::kCompo) return PartitionScheme::Make(type, scheme);
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  auto add = [&](const Value& level) -> Status {
    const DatabaseHandle* handle = AsDatabaseHandle(level);
    if (handle == nullptr) {
      return InvalidArgument(
          "a COMPO scheme lists database handles such as "
          "database(, VALUE, ...), got a " +
          level.Describe());
    }
    levels.push_back(handle->scheme().Clone());
    return Status::Ok();
  };
  if (!scheme.is_tuple()) return InvalidArgument("a COMPO scheme must be a vector of databases");
  for (const auto& level : scheme.tuple()) RETURN_IF_ERROR(add(level));
  return PartitionScheme::MakeCompo(std::move(levels));
}

Result<Value> HandleFor(DatabaseService& databases, const DatabaseRecord& record) {
  ASSIGN_OR_RETURN(auto scheme, databases.SchemeOf(record));
  return Value::MakeObject(std::make_shared<const DatabaseHandle>(
      record.name, std::shared_ptr<const PartitionScheme>(std::move(scheme))));
}

Result<Value> Database(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(std::string directory, OptionalStringArg(a[0], "database", "directory", ""));
  if (a[1].is_void()) {
    if (directory.empty()) return InvalidArgument("database needs a directory or a partitionType");
    ASSIGN_OR_RETURN(DatabaseRecord record, in.databases().GetDatabase(directory));
    return HandleFor(in.databases(), record);
  }
  ASSIGN_OR_RETURN(PartitionType type, PartitionTypeArg(a[1]));
  if (a[2].is_void()) return InvalidArgument("database needs a partitionScheme");
  ASSIGN_OR_RETURN(auto scheme, SchemeArg(type, a[2]));
  DatabaseOptions options;
  ASSIGN_OR_RETURN(options.engine, OptionalStringArg(a[4], "database", "engine", "OLAP"));
  options.engine = ToUpper(options.engine);
  if (options.engine != "OLAP" && options.engine != "TSDB") {
    return InvalidArgument("engine must be 'OLAP' or 'TSDB', got " + Quote(options.engine));
  }
  ASSIGN_OR_RETURN(options.atomic, OptionalStringArg(a[5], "database", "atomic", "TRANS"));
  options.atomic = ToUpper(options.atomic);
  if (options.atomic != "TRANS" && options.atomic != "CHUNK") {
    return InvalidArgument("atomic must be 'TRANS' or 'CHUNK', got " + Quote(options.atomic));
  }
  ASSIGN_OR_RETURN(std::string granularity,
                   OptionalStringArg(a[6], "database", "chunkGranularity", "TABLE"));
  granularity = ToUpper(granularity);
  if (granularity != "TABLE" && granularity != "DATABASE") {
    return InvalidArgument("chunkGranularity must be 'TABLE' or 'DATABASE', got " +
                           Quote(granularity));
  }
  options.granularity =
      granularity == "TABLE" ? ChunkGranularity::kTable : ChunkGranularity::kDatabase;
  if (directory.empty()) {
    return Value::MakeObject(std::make_shared<const DatabaseHandle>(
        "", std::shared_ptr<const PartitionScheme>(std::move(scheme))));
  }
  ASSIGN_OR_RETURN(DatabaseRecord record,
                   in.databases().CreateDatabase(directory, *scheme, options));
  return HandleFor(in.databases(), record);
}

Result<Value> CreateTable(Interpreter& in, std::vector<Value>& a, bool partitioned) {
  const char* function = partitioned ? "createPartitionedTable" : "createTable";
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(a[0], function));
  if (!a[1].is_table()) {
    return InvalidArgument(std::string("argument 'table' of ") + function +
                           " must be a table that gives the schema, got a " + a[1].Describe());
  }
  ASSIGN_OR_RETURN(std::string name, StringArg(a[2], function, "tableName"));
  std::vector<std::string> columns;
  if (partitioned) {
    ASSIGN_OR_RETURN(columns, StringListArg(a[3], function, "partitionColumns"));
  }
  ASSIGN_OR_RETURN(TableRef ref,
                   in.databases().CreateTable(db, name, a[1].table()->schema(), columns));
  return Value::MakeObject(std::make_shared<const DfsTableObject>(db, ref.table.name));
}

Result<Value> LoadTable(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(a[0], "loadTable"));
  ASSIGN_OR_RETURN(std::string name, StringArg(a[1], "loadTable", "tableName"));
  ASSIGN_OR_RETURN(TableRef ref, in.databases().GetTable(db, name));
  return Value::MakeObject(std::make_shared<const DfsTableObject>(db, ref.table.name));
}

// Rows of `extra` appended to the in-memory `base` (columns by position, converted).
Result<Value> ConcatTables(const Table& base, const Table& extra) {
  if (base.column_count() != extra.column_count()) {
    return InvalidArgument("the table has " + std::to_string(base.column_count()) +
                           " columns but the appended data has " +
                           std::to_string(extra.column_count()));
  }
  std::vector<ColumnPtr> columns;
  for (size_t i = 0; i < base.column_count(); ++i) {
    Column c = *base.column(i);
    ASSIGN_OR_RETURN(Column add, CastColumn(*extra.column(i), c.type()));
    c.AppendRange(add, 0, add.size());
    columns.push_back(std::make_shared<const Column>(std::move(c)));
  }
  return Value::MakeTable(std::make_shared<const Table>(base.schema(), std::move(columns)));
}

Result<Value> Append(Interpreter& in, std::vector<Value>& a, bool report_rows) {
  const char* function = report_rows ? "tableInsert" : "append!";
  if (!a[1].is_table()) {
    return InvalidArgument(std::string(function) + " appends a table, got a " + a[1].Describe());
  }
  if (a[0].is_table()) return ConcatTables(*a[0].table(), *a[1].table());
  const DfsTableObject* dfs = AsDfsTable(a[0]);
  if (dfs == nullptr) {
    return InvalidArgument(std::string(function) + " appends to a table, got a " + a[0].Describe());
  }
  ASSIGN_OR_RETURN(uint64_t rows,
                   in.databases().Append(dfs->db_name(), dfs->table_name(), *a[1].table()));
  // append! returns the table, so `pt = db.createPartitionedTable(...).append!(t)` binds it.
  if (!report_rows) return a[0];
  return Value(Scalar::Int(Type::kInt, static_cast<int64_t>(rows)));
}

Result<Value> DropPartition(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(std::string db_name, NamedDatabaseArg(a[0], "dropPartition"));
  ASSIGN_OR_RETURN(std::string table, OptionalStringArg(a[2], "dropPartition", "tableName", ""));
  ASSIGN_OR_RETURN(PartitionSelection selection, PartitionSelection::FromValue(a[1]));
  RETURN_IF_ERROR(in.databases().DropPartitions(db_name, selection, table).status());
  return Value();
}

Result<Value> SchemaOf(Interpreter& in, std::vector<Value>& a) {
  const ::strata::Schema* schema = nullptr;
  TableRef ref;
  const DfsTableObject* dfs = AsDfsTable(a[0]);
  if (a[0].is_table()) {
    schema = &a[0].table()->schema();
  } else if (dfs != nullptr) {
    ASSIGN_OR_RETURN(ref, in.databases().GetTable(dfs->db_name(), dfs->table_name()));
    schema = &ref.table.schema;
  } else {
    return InvalidArgument("schema needs a table, got a " + a[0].Describe());
  }
  Column names(Type::kString), type_names(Type::kString), type_ids(Type::kInt),
      comments(Type::kString);
  for (const auto& f : schema->fields()) {
    names.Append(Scalar::String(Type::kString, f.name));
    type_names.Append(Scalar::String(Type::kString, TypeName(f.type)));
    type_ids.Append(Scalar::Int(Type::kInt, static_cast<int64_t>(f.type)));
    comments.AppendNull();
  }
  auto col_defs = std::make_shared<const Table>(
      ::strata::Schema({{"name", Type::kString},
                        {"typeString", Type::kString},
                        {"typeInt", Type::kInt},
                        {"comment", Type::kString}}),
      std::vector<ColumnPtr>{std::make_shared<const Column>(std::move(names)),
                             std::make_shared<const Column>(std::move(type_names)),
                             std::make_shared<const Column>(std::move(type_ids)),
                             std::make_shared<const Column>(std::move(comments))});
  Dictionary out;
  auto key = [](const char* k) { return Scalar::String(Type::kString, k); };
  out.entries.emplace_back(key("colDefs"), Value::MakeTable(col_defs));
  if (dfs != nullptr) {
    Column partition_columns(Type::kString);
    for (const auto& c : ref.table.partition_columns) {
      partition_columns.Append(Scalar::String(Type::kString, c));
    }
    out.entries.emplace_back(key("partitionColumnName"),
                             Value::Vector(std::move(partition_columns)));
    out.entries.emplace_back(
        key("chunkGranularity"),
        Value(Scalar::String(Type::kString, ChunkGranularityName(ref.db.granularity))));
    out.entries.emplace_back(key("engineType"),
                             Value(Scalar::String(Type::kString, ref.db.engine)));
    out.entries.emplace_back(key("partitionSchema"),
                             Value(Scalar::String(Type::kString, DumpJson(ref.db.scheme))));
  }
  return Value::MakeDictionary(std::move(out));
}

Value Bool(bool b) { return Value(Scalar::Bool(b)); }

// One row per chunk of a database (or of one of its tables): where its data is and which
// commit made it. Strata's counterpart of DolphinDB's getChunksMeta.
Result<Value> ChunksMeta(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(std::string db_name, NamedDatabaseArg(a[0], "getChunksMeta"));
  ASSIGN_OR_RETURN(std::string only, OptionalStringArg(a[1], "getChunksMeta", "tableName", ""));
  ASSIGN_OR_RETURN(DatabaseChunks listing, in.databases().ListChunks(db_name, only));
  const DatabaseRecord& db = listing.db;
  Column table_names(Type::kString), paths(Type::kString), dfs_paths(Type::kString),
      chunk_ids(Type::kString), cids(Type::kLong), rows(Type::kLong), times(Type::kTimestamp);
  for (const auto& [table, chunks] : listing.tables) {
    for (const auto& chunk : chunks) {
      auto str = [](const std::string& s) { return Scalar::String(Type::kString, s); };
      table_names.Append(str(table.name));
      paths.Append(str(chunk.path));
      std::string dfs =
          db.name + (chunk.path == "/" ? "" : chunk.path) + "/" + table.physical_index;
      dfs_paths.Append(str(dfs));
      chunk_ids.Append(str(chunk.chunk_id));
      cids.Append(Scalar::Int(Type::kLong, chunk.cid));
      rows.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(chunk.rows)));
      times.Append(Scalar::Int(Type::kTimestamp, chunk.update_time_ms));
    }
  }
  std::vector<std::string> names = {"tableName", "path", "dfsPath",   "chunkId",
                                    "cid",       "rows", "updateTime"};
  std::vector<Value> columns;
  for (Column* c : {&table_names, &paths, &dfs_paths, &chunk_ids, &cids, &rows, &times}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue(names, columns);
}

}  // namespace

void RegisterDatabaseFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  r.Register({"database",
              {"directory", "partitionType", "partitionScheme", "locations", "engine", "atomic",
               "chunkGranularity"},
              0,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return Database(*self, a); }});
  r.Register({"createPartitionedTable",
              {"dbHandle", "table", "tableName", "partitionColumns", "compressMethods",
               "sortColumns", "keepDuplicates"},
              4,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return CreateTable(*self, a, true); }});
  r.Register(
      {"createTable",
       {"dbHandle", "table", "tableName"},
       3,
       false,
       [self](EvalContext&, std::vector<Value>& a) { return CreateTable(*self, a, false); }});
  r.Register({"loadTable",
              {"database", "tableName"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return LoadTable(*self, a); }});
  r.Register({"append!", {"obj", "newData"}, 2, false, [self](EvalContext&, std::vector<Value>& a) {
                return Append(*self, a, false);
              }});
  r.Register(
      {"tableInsert", {"table", "args"}, 2, false, [self](EvalContext&, std::vector<Value>& a) {
         return Append(*self, a, true);
       }});
  r.Register({"dropPartition",
              {"dbHandle", "partitionPaths", "tableName", "forceDelete"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return DropPartition(*self, a); }});
  r.Register({"dropTable",
              {"dbHandle", "tableName"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string db, NamedDatabaseArg(a[0], "dropTable"));
                ASSIGN_OR_RETURN(std::string table, StringArg(a[1], "dropTable", "tableName"));
                RETURN_IF_ERROR(self->databases().DropTable(db, table));
                return Value();
              }});
  r.Register({"dropDatabase",
              {"directory"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string db, StringArg(a[0], "dropDatabase", "directory"));
                RETURN_IF_ERROR(self->databases().DropDatabase(db));
                return Value();
              }});
  r.Register({"existsDatabase",
              {"directory"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string db, StringArg(a[0], "existsDatabase", "directory"));
                ASSIGN_OR_RETURN(bool exists, self->databases().DatabaseExists(db));
                return Bool(exists);
              }});
  // exists(path): whether each file or directory exists; a dfs:// path names a database, or a
  // partition of one (dfs://db/20170807, as getChunksMeta spells partitions).
  r.Register(
      {"exists", {"path"}, 1, false, [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         ASSIGN_OR_RETURN(Column paths, ToColumn(a[0]));
         if (!IsStringLike(paths.type())) {
           return InvalidArgument("exists takes a path or paths (strings), got " + a[0].Describe());
         }
         Column out(Type::kBool);
         for (size_t i = 0; i < paths.size(); ++i) {
           const std::string path = paths.Get(i).string_value();
           bool found = false;
           if (path.rfind("dfs://", 0) == 0) {
             size_t slash = path.find('/', 6);
             std::string db = path.substr(0, slash);
             std::string partition = slash == std::string::npos ? "" : path.substr(slash);
             while (!partition.empty() && partition.back() == '/') partition.pop_back();
             ASSIGN_OR_RETURN(found, self->databases().DatabaseExists(db));
             if (found && !partition.empty()) {
               ASSIGN_OR_RETURN(DatabaseChunks chunks, self->databases().ListChunks(db, ""));
               found = false;
               for (const auto& table : chunks.tables) {
                 for (const auto& chunk : table.chunks) {
                   found = found || chunk.path == partition ||
                           chunk.path.rfind(partition + "/", 0) == 0;
                 }
               }
             }
           } else if (!path.empty()) {
             std::error_code error;
             found = std::filesystem::exists(path, error);
           }
           out.Append(Scalar::Bool(found));
         }
         if (a[0].is_scalar()) return Value(out.Get(0));
         return Value::Vector(std::move(out));
       }});
  r.Register({"existsTable",
              {"dbUrl", "tableName"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string db, StringArg(a[0], "existsTable", "dbUrl"));
                ASSIGN_OR_RETURN(std::string table, StringArg(a[1], "existsTable", "tableName"));
                ASSIGN_OR_RETURN(bool exists, self->databases().TableExists(db, table));
                return Bool(exists);
              }});
  r.Register({"getTables",
              {"dbHandle"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string db_name, NamedDatabaseArg(a[0], "getTables"));
                ASSIGN_OR_RETURN(auto tables, self->databases().ListTables(db_name));
                Column out(Type::kString);
                for (const auto& t : tables) out.Append(Scalar::String(Type::kString, t.name));
                return Value::Vector(std::move(out));
              }});
  r.Register({"getChunksMeta",
              {"dbHandle", "tableName"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return ChunksMeta(*self, a); }});
  r.Register({"schema", {"table"}, 1, false, [self](EvalContext&, std::vector<Value>& a) {
                return SchemaOf(*self, a);
              }});
}

void RegisterSessionFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  r.Register({"login",
              {"userId", "password", "enableEncryption"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string user, StringArg(a[0], "login", "userId"));
                ASSIGN_OR_RETURN(std::string password, StringArg(a[1], "login", "password"));
                ASSIGN_OR_RETURN(bool encrypted, BoolArg(a[2], "login", "enableEncryption", false));
                if (encrypted) return Unimplemented(kEncryptedLoginRefusal);
                RETURN_IF_ERROR(self->Login(user, password));
                return Value();
              }});
  r.Register(
      {"getDynamicPublicKey", {}, 0, false, [](EvalContext&, std::vector<Value>&) -> Result<Value> {
         return Unimplemented(kEncryptedLoginRefusal);
       }});
  r.Register(
      {"getDynamicPublicKey", {}, 0, false, [](EvalContext&, std::vector<Value>&) -> Result<Value> {
         return Unimplemented(kEncryptedLoginRefusal);
       }});
  r.Register({"logout", {}, 0, false, [self](EvalContext&, std::vector<Value>&) -> Result<Value> {
                self->Logout();
                return Value();
              }});
  r.Register({"print",
              {"X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8"},
              0,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                for (const auto& v : a) {
                  if (!v.is_void()) self->Print(v);
                }
                return Value();
              }});
}

}  // namespace strata
