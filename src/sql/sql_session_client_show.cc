// The SHOW statements MySQL clients and tools send on their own: VARIABLES, STATUS (empty),
// WARNINGS and ERRORS of the previous statement, ENGINES, CHARSET and COLLATION.
#include <algorithm>

#include "base/strings.h"
#include "sql/sql_session.h"

namespace strata {

namespace {

SqlCell Text(std::string text) { return Scalar::String(Type::kString, std::move(text)); }
SqlCell Number(int64_t n) { return Scalar::Int(Type::kLong, n); }

// The MySQL warning and error code for a condition Strata does not number (ER_UNKNOWN_ERROR).
constexpr int64_t kUnknownErrorCode = 1105;

// Whether `name` passes SHOW's LIKE 'pattern' / WHERE name = / IN (...) (case-insensitive).
bool Selected(const SqlShow& s, const std::string& name) {
  if (s.pattern && !MatchesWildcard(ToLower(*s.pattern), ToLower(name), WildcardSyntax::kSqlLike)) {
    return false;
  }
  if (s.names) {
    return std::any_of(s.names->begin(), s.names->end(),
                       [&](const std::string& n) { return EqualsIgnoreCase(n, name); });
  }
  return true;
}

// Rows whose first cell passes the filter of `s`.
SqlResultSet Filtered(const SqlShow& s, SqlResultSet all) {
  std::erase_if(all.rows, [&](const std::vector<SqlCell>& row) {
    return !Selected(s, row[0] ? row[0]->string_value() : std::string());
  });
  return all;
}

}  // namespace

Result<SqlOutcome> SqlSession::ShowVariables(const SqlShow& s) {
  SqlOutcome outcome;
  outcome.result = SqlResultSet{
      .columns = {"Variable_name", "Value"}, .types = {"VARCHAR", "VARCHAR"}, .rows = {}};
  if (s.kind == SqlShowKind::kStatus) return outcome;  // Strata keeps no status counters
  for (auto& [name, text] : variables_.ShowRows()) {
    if (!Selected(s, name)) continue;
    outcome.result->rows.push_back({Text(name), text ? Text(*text) : SqlCell()});
  }
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowDiagnostics(const SqlShow& s) {
  bool errors_only = s.kind == SqlShowKind::kErrors;
  SqlOutcome outcome;
  if (s.count_only) {
    int64_t count =
        (last_error_ ? 1 : 0) + (errors_only ? 0 : static_cast<int64_t>(last_warnings_.size()));
    std::string name = errors_only ? "@@session.error_count" : "@@session.warning_count";
    outcome.result =
        SqlResultSet{.columns = {name}, .types = {"BIGINT"}, .rows = {{Number(count)}}};
    return outcome;
  }
  outcome.result = SqlResultSet{.columns = {"Level", "Code", "Message"},
                                .types = {"VARCHAR", "BIGINT", "VARCHAR"},
                                .rows = {}};
  if (last_error_) {
    outcome.result->rows.push_back({Text("Error"), Number(kUnknownErrorCode), Text(*last_error_)});
  }
  if (!errors_only) {
    for (const auto& warning : last_warnings_) {
      outcome.result->rows.push_back({Text("Warning"), Number(kUnknownErrorCode), Text(warning)});
    }
  }
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowEngines() {
  SqlOutcome outcome;
  outcome.result = SqlResultSet{
      .columns = {"Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"},
      .types = {"VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"},
      .rows = {{Text("OLAP"), Text("DEFAULT"),
                Text("Strata's partitioned columnar storage; each statement commits on its own"),
                Text("NO"), Text("NO"), Text("NO")}}};
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowCharsets(const SqlShow& s) {
  SqlResultSet all{
      .columns = {"Charset", "Description", "Default collation", "Maxlen"},
      .types = {"VARCHAR", "VARCHAR", "VARCHAR", "BIGINT"},
      .rows = {
          {Text("binary"), Text("Binary pseudo charset"), Text("binary"), Number(1)},
          {Text("utf8"), Text("UTF-8 Unicode"), Text("utf8_general_ci"), Number(3)},
          {Text("utf8mb4"), Text("UTF-8 Unicode"), Text("utf8mb4_general_ci"), Number(4)},
      }};
  SqlOutcome outcome;
  outcome.result = Filtered(s, std::move(all));
  return outcome;
}

Result<SqlOutcome> SqlSession::ShowCollations(const SqlShow& s) {
  auto row = [](const char* collation, const char* charset, int64_t id, bool is_default) {
    return std::vector<SqlCell>{Text(collation), Text(charset),
                                Number(id),      Text(is_default ? "Yes" : ""),
                                Text("Yes"),     Number(1)};
  };
  SqlResultSet all{.columns = {"Collation", "Charset", "Id", "Default", "Compiled", "Sortlen"},
                   .types = {"VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "VARCHAR", "BIGINT"},
                   .rows = {
                       row("binary", "binary", 63, true),
                       row("utf8_bin", "utf8", 83, false),
                       row("utf8_general_ci", "utf8", 33, true),
                       row("utf8mb4_bin", "utf8mb4", 46, false),
                       row("utf8mb4_general_ci", "utf8mb4", 45, true),
                   }};
  SqlOutcome outcome;
  outcome.result = Filtered(s, std::move(all));
  return outcome;
}

}  // namespace strata
