// The MySQL system variables of one SQL session (`@@name`, SET, SHOW VARIABLES) and what the
// front end tells the session about itself (SqlServerInfo: connection id, version, KILL).
// MySQL clients and drivers read a fixed set of variables right after login (see docs/sql.md,
// "Session variables"); Strata answers each with MySQL 5.7's value or its own. Every variable
// is per session: SET GLOBAL changes this session's value only. Plain value; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/result_set.h"

namespace strata {

// What the front end tells its SQL session about itself.
struct SqlServerInfo {
  uint64_t connection_id = 0;              // CONNECTION_ID(); 0 in the CLI
  std::string version = "5.7.99-Strata";   // @@version, VERSION(); starts with a number
  std::string version_comment = "Strata";  // @@version_comment
  std::string client_host = "localhost";   // USER() = 'user@client_host'
  int64_t max_allowed_packet = 64 << 20;   // @@max_allowed_packet
  // KILL [CONNECTION|QUERY] id: the front end stops it; null (the CLI): KILL is an error
  // saying it needs `strata serve`.
  std::function<Status(uint64_t id, bool query_only)> kill;
};

// Where SET writes: SET [SESSION|LOCAL] x / SET GLOBAL x (@@global.x).
enum class SqlVariableScope : uint8_t { kSession, kGlobal };

// The session's variables: MySQL 5.7 defaults for those clients ask about, the server's own
// (version, max_allowed_packet) from SqlServerInfo, and any other name SET defines (drivers
// send `SET <dsn-parameter> = value`). Names are case-insensitive and kept lower-case.
// Integer-valued variables hold BIGINT cells, the others VARCHAR; any may be NULL.
class SqlSessionVariables {
 public:
  explicit SqlSessionVariables(const SqlServerInfo& info = SqlServerInfo());

  // The value of `name` (any case); nullopt when no such variable exists (a present optional
  // holding a null SqlCell is a NULL value).
  std::optional<SqlCell> Find(std::string_view name) const;
  // "BIGINT" or "VARCHAR" for a variable that exists.
  std::string TypeOf(std::string_view name) const;

  // SET name = value. Integer variables take integers, TRUE/FALSE, ON/OFF and digit strings;
  // the others take any value, stored as text. A name not known is defined (VARCHAR, or BIGINT
  // for an integer). InvalidArgument for a read-only variable (version, license, ...) and for a
  // value an integer variable cannot take, naming both. SET GLOBAL adds a warning to
  // `warnings`: only this session's value changes.
  Status Set(std::string_view name, const SqlCell& value, SqlVariableScope scope,
             std::vector<std::string>* warnings);
  // SET name = DEFAULT: back to the value a new session has (an unknown name: NULL).
  Status SetDefault(std::string_view name, SqlVariableScope scope,
                    std::vector<std::string>* warnings);

  // Every variable, sorted by name: (name, value).
  std::vector<std::pair<std::string, SqlCell>> All() const;
  // Every variable as SHOW VARIABLES prints it, sorted by name: integers as digits, truth
  // values (autocommit, ...) as ON/OFF, NULL as nullopt.
  std::vector<std::pair<std::string, std::optional<std::string>>> ShowRows() const;

  // The server's values (version, version_comment, max_allowed_packet) from `info`.
  void ApplyServerInfo(const SqlServerInfo& info);

 private:
  struct Variable {
    SqlCell value;
    bool is_integer = false;
    bool read_only = false;
  };
  void Define(const std::string& name, SqlCell value, bool read_only);
  Status Assign(const std::string& key, const SqlCell& value, SqlVariableScope scope,
                std::vector<std::string>* warnings);

  std::map<std::string, Variable> variables_;  // by lower-case name
  std::map<std::string, Variable> defaults_;   // what a new session has, for SET x = DEFAULT
};

}  // namespace strata
