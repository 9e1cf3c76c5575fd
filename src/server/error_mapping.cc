#include "server/error_mapping.h"

#include <string_view>

namespace strata {

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

MySqlError MySqlErrorFor(const Status& status) {
  std::string_view m = status.message();
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      // The SQL parser's errors start with the position: "line 1, column 8: found ...".
      if (StartsWith(m, "line ") && Contains(m, ", column ")) return {1064, "42000"};
      if (StartsWith(m, "unknown system variable")) return {1193, "HY000"};
      if (StartsWith(m, "no database selected")) return kNoDatabase;
      if (StartsWith(m, "unknown column ")) return {1054, "42S22"};
      // A value that does not fit its column: MySQL's "Data too long" and "Out of range".
      if (StartsWith(m, "row ") && Contains(m, "cannot store")) {
        if (Contains(m, "longer than")) return {1406, "22001"};
        if (Contains(m, "out of range")) return {1264, "22003"};
      }
      return {};
    case StatusCode::kNotFound:
      if (StartsWith(m, "Unknown thread id")) return {1094, "HY000"};
      if (StartsWith(m, "database ") || StartsWith(m, "unknown database ")) {
        return {1049, "42000"};
      }
      if (StartsWith(m, "table ")) return {1146, "42S02"};
      if (StartsWith(m, "column ")) return {1054, "42S22"};
      if (StartsWith(m, "unknown system variable")) return {1193, "HY000"};
      return {};
    case StatusCode::kAlreadyExists:
      if (StartsWith(m, "database ")) return {1007, "HY000"};
      if (StartsWith(m, "table ")) return {1050, "42S01"};
      return {};
    case StatusCode::kPermissionDenied:
      if (StartsWith(m, "login failed")) return kAccessDenied;
      if (StartsWith(m, "not logged in")) return kAccessDenied;
      if (StartsWith(m, "You are not owner of thread")) return {1095, "HY000"};
      return {1227, "42000"};
    case StatusCode::kCancelled:
      if (StartsWith(m, "Query execution was interrupted")) return {1317, "70100"};
      return {};
    default:
      return {};
  }
}

}  // namespace strata
