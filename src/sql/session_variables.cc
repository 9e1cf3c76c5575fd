#include "sql/session_variables.h"

#include <charconv>
#include <utility>

#include "base/strings.h"
#include "sql/binder_types.h"

namespace strata {

namespace {

SqlCell Text(std::string text) { return Scalar::String(Type::kString, std::move(text)); }
SqlCell Number(int64_t n) { return Scalar::Int(Type::kLong, n); }

// Names that are one variable under two spellings (MySQL 5.7's and 8.0's): SET of either sets
// both.
constexpr std::pair<const char*, const char*> kAliases[] = {
    {"transaction_isolation", "tx_isolation"},    {"tx_isolation", "transaction_isolation"},
    {"transaction_read_only", "tx_read_only"},    {"tx_read_only", "transaction_read_only"},
    {"storage_engine", "default_storage_engine"}, {"default_storage_engine", "storage_engine"},
};

// Integer variables whose values are truth values: SET accepts ON/OFF/TRUE/FALSE for them.
bool IsTruthVariable(const std::string& key) {
  return key == "autocommit" || key == "transaction_read_only" || key == "tx_read_only" ||
         key == "foreign_key_checks" || key == "unique_checks" || key == "sql_safe_updates" ||
         key == "sql_auto_is_null" || key == "sql_notes" || key == "performance_schema" ||
         key == "sql_log_bin";
}

// SQL NULL: no value, or a NULL of a non-string type (a string cell is a value, '' too).
bool IsNullCell(const SqlCell& cell) {
  return !cell || (!IsStringLike(cell->type()) && cell->is_null());
}

}  // namespace

SqlSessionVariables::SqlSessionVariables(const SqlServerInfo& info) {
  // Integers (BIGINT), MySQL 5.7's defaults.
  Define("auto_increment_increment", Number(1), false);
  Define("auto_increment_offset", Number(1), false);
  Define("autocommit", Number(1), false);
  Define("foreign_key_checks", Number(1), false);
  Define("group_concat_max_len", Number(1024), false);
  Define("interactive_timeout", Number(28800), false);
  Define("lower_case_table_names", Number(0), true);
  Define("max_allowed_packet", Number(info.max_allowed_packet), false);
  Define("max_execution_time", Number(0), false);
  Define("net_buffer_length", Number(16384), false);
  Define("net_read_timeout", Number(30), false);
  Define("net_write_timeout", Number(60), false);
  Define("performance_schema", Number(0), true);
  Define("protocol_version", Number(10), true);
  Define("query_cache_size", Number(0), false);
  Define("sql_auto_is_null", Number(0), false);
  Define("sql_log_bin", Number(1), false);
  Define("sql_notes", Number(1), false);
  Define("sql_safe_updates", Number(0), false);
  Define("transaction_read_only", Number(0), false);
  Define("tx_read_only", Number(0), false);
  Define("unique_checks", Number(1), false);
  Define("wait_timeout", Number(28800), false);
  // Text (VARCHAR).
  Define("authentication_policy", Text("*,,"), true);
  Define("character_set_client", Text("utf8mb4"), false);
  Define("character_set_connection", Text("utf8mb4"), false);
  Define("character_set_database", Text("utf8mb4"), false);
  Define("character_set_filesystem", Text("binary"), false);
  Define("character_set_results", Text("utf8mb4"), false);
  Define("character_set_server", Text("utf8mb4"), false);
  Define("character_set_system", Text("utf8"), true);
  Define("collation_connection", Text("utf8mb4_general_ci"), false);
  Define("collation_database", Text("utf8mb4_general_ci"), false);
  Define("collation_server", Text("utf8mb4_general_ci"), false);
  Define("default_authentication_plugin", Text("mysql_native_password"), true);
  Define("default_storage_engine", Text("OLAP"), false);
  Define("default_tmp_storage_engine", Text("OLAP"), false);
  Define("have_query_cache", Text("NO"), true);
  Define("init_connect", Text(""), false);
  Define("lc_time_names", Text("en_US"), false);
  Define("license", Text("Apache License 2.0"), true);
  Define("query_cache_type", Text("OFF"), false);
  Define("socket", Text(""), true);
  Define("sql_mode", Text(""), false);
  Define("storage_engine", Text("OLAP"), false);
  Define("system_time_zone", Text("UTC"), true);
  Define("time_zone", Text("SYSTEM"), false);
  Define("transaction_isolation", Text("REPEATABLE-READ"), false);
  Define("tx_isolation", Text("REPEATABLE-READ"), false);
  Define("version", Text(info.version), true);
  Define("version_comment", Text(info.version_comment), true);
  Define("version_compile_machine", Text("x86_64"), true);
  Define("version_compile_os", Text("Linux"), true);
}

void SqlSessionVariables::Define(const std::string& name, SqlCell value, bool read_only) {
  Variable variable{
      .value = value, .is_integer = value && IsIntegral(value->type()), .read_only = read_only};
  variables_[name] = variable;
  defaults_[name] = variable;
}

void SqlSessionVariables::ApplyServerInfo(const SqlServerInfo& info) {
  for (auto* map : {&variables_, &defaults_}) {
    (*map)["version"].value = Text(info.version);
    (*map)["version_comment"].value = Text(info.version_comment);
    (*map)["max_allowed_packet"].value = Number(info.max_allowed_packet);
  }
}

std::optional<SqlCell> SqlSessionVariables::Find(std::string_view name) const {
  auto it = variables_.find(ToLower(name));
  if (it == variables_.end()) return std::nullopt;
  return it->second.value;
}

std::string SqlSessionVariables::TypeOf(std::string_view name) const {
  auto it = variables_.find(ToLower(name));
  return it != variables_.end() && it->second.is_integer ? "BIGINT" : "VARCHAR";
}

std::vector<std::pair<std::string, SqlCell>> SqlSessionVariables::All() const {
  std::vector<std::pair<std::string, SqlCell>> out;
  for (const auto& [name, variable] : variables_) out.emplace_back(name, variable.value);
  return out;
}

std::vector<std::pair<std::string, std::optional<std::string>>> SqlSessionVariables::ShowRows()
    const {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  for (const auto& [name, variable] : variables_) {
    std::optional<std::string> text;
    if (!IsNullCell(variable.value)) {
      text = variable.is_integer && IsTruthVariable(name)
                 ? std::string(variable.value->int_value() ? "ON" : "OFF")
                 : MySqlText(*variable.value);
    }
    out.emplace_back(name, std::move(text));
  }
  return out;
}

Status SqlSessionVariables::Set(std::string_view name, const SqlCell& value, SqlVariableScope scope,
                                std::vector<std::string>* warnings) {
  std::string key = ToLower(name);
  RETURN_IF_ERROR(Assign(key, value, scope, warnings));
  for (const auto& [from, to] : kAliases) {
    if (key == from) RETURN_IF_ERROR(Assign(to, variables_[key].value, scope, nullptr));
  }
  if (key == "autocommit" && variables_[key].value && variables_[key].value->int_value() == 0 &&
      warnings) {
    warnings->push_back(
        "autocommit = 0 is recorded, but Strata has no transactions: each statement commits on "
        "its own");
  }
  return Status::Ok();
}

Status SqlSessionVariables::SetDefault(std::string_view name, SqlVariableScope scope,
                                       std::vector<std::string>* warnings) {
  std::string key = ToLower(name);
  auto it = defaults_.find(key);
  return Set(key, it == defaults_.end() ? SqlCell() : it->second.value, scope, warnings);
}

Status SqlSessionVariables::Assign(const std::string& key, const SqlCell& value,
                                   SqlVariableScope scope, std::vector<std::string>* warnings) {
  auto it = variables_.find(key);
  if (it == variables_.end()) {
    // A name clients send that Strata does not know (a driver's DSN parameter): kept as given.
    bool integer = !IsNullCell(value) && IsIntegral(value->type()) && value->type() != Type::kBool;
    SqlCell stored;
    if (!IsNullCell(value)) stored = integer ? value : Text(MySqlText(*value));
    variables_[key] = Variable{.value = stored, .is_integer = integer, .read_only = false};
    return Status::Ok();
  }
  Variable& variable = it->second;
  if (variable.read_only) {
    return InvalidArgument("variable " + Quote(key) +
                           " is a read only variable; SHOW VARIABLES shows its value");
  }
  if (scope == SqlVariableScope::kGlobal && warnings) {
    warnings->push_back("SET GLOBAL " + key +
                        " changes this session's value only: Strata keeps no global variables");
  }
  if (!variable.is_integer) {
    variable.value = IsNullCell(value) ? SqlCell() : Text(MySqlText(*value));
    return Status::Ok();
  }
  auto refuse = [&] {
    return InvalidArgument(
        "variable " + Quote(key) + " can't be set to the value of " +
        (IsNullCell(value) ? "NULL" : Quote(MySqlText(*value))) +
        (IsTruthVariable(key) ? "; it takes ON, OFF, 1 or 0" : "; it takes an integer"));
  };
  if (IsNullCell(value)) return refuse();
  int64_t n = 0;
  if (IsIntegral(value->type())) {
    n = value->int_value();
  } else if (IsStringLike(value->type())) {
    std::string text = ToLower(Trim(value->string_value()));
    if (IsTruthVariable(key) && (text == "on" || text == "true")) {
      n = 1;
    } else if (IsTruthVariable(key) && (text == "off" || text == "false")) {
      n = 0;
    } else {
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return refuse();
    }
  } else {
    return refuse();
  }
  if (IsTruthVariable(key) && n != 0 && n != 1) return refuse();
  if (n < 0) return refuse();
  variable.value = Number(n);
  return Status::Ok();
}

}  // namespace strata
