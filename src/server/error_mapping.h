// A Strata error as a MySQL client expects it: an error number and SQLSTATE a driver maps to
// its own exception classes (1045 access denied, 1049 unknown database, 1064 syntax, 1146
// unknown table, ...; 1105 with HY000 otherwise, as Doris answers), and the message in the
// SQL dialect's words.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace strata {

struct MySqlError {
  uint16_t code = 1105;
  const char* sqlstate = "HY000";
};

inline constexpr MySqlError kAccessDenied{1045, "28000"};
inline constexpr MySqlError kTooManyConnections{1040, "08004"};
inline constexpr MySqlError kPacketTooLarge{1153, "08S01"};
inline constexpr MySqlError kUnknownCommand{1047, "08S01"};
inline constexpr MySqlError kEmptyQuery{1065, "42000"};
inline constexpr MySqlError kUnknownStatement{1243, "HY000"};
inline constexpr MySqlError kWrongArguments{1210, "HY000"};
inline constexpr MySqlError kNoDatabase{1046, "3D000"};
inline constexpr MySqlError kServerShutdown{1053, "08S01"};

// The number and state for an error a statement returned.
MySqlError MySqlErrorFor(const Status& status);

}  // namespace strata
