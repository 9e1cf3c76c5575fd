// The MySQL client/server protocol's packets (protocol 4.1, as MySQL 5.7 and Doris' FE speak
// it): the handshake, the client's handshake response, OK/ERR/EOF, column definitions, text and
// binary result rows, and the prepared-statement packets. Building is infallible; parsing
// returns InvalidArgument for a malformed payload and never reads past it. No I/O and no SQL:
// connection.cc drives these over a PacketChannel. References: MySQL's "Client/Server
// Protocol" pages and notes/mysql-clients.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata {

// Capability flags (CLIENT_*).
namespace mysql_caps {
inline constexpr uint32_t kLongPassword = 1;
inline constexpr uint32_t kFoundRows = 2;
inline constexpr uint32_t kLongFlag = 4;
inline constexpr uint32_t kConnectWithDb = 8;
inline constexpr uint32_t kLocalFiles = 0x80;
inline constexpr uint32_t kProtocol41 = 0x200;
inline constexpr uint32_t kInteractive = 0x400;
inline constexpr uint32_t kSsl = 0x800;
inline constexpr uint32_t kTransactions = 0x2000;
inline constexpr uint32_t kSecureConnection = 0x8000;
inline constexpr uint32_t kMultiStatements = 0x10000;
inline constexpr uint32_t kMultiResults = 0x20000;
inline constexpr uint32_t kPsMultiResults = 0x40000;
inline constexpr uint32_t kPluginAuth = 0x80000;
inline constexpr uint32_t kConnectAttrs = 0x100000;
inline constexpr uint32_t kPluginAuthLenencData = 0x200000;
inline constexpr uint32_t kDeprecateEof = 0x1000000;
}  // namespace mysql_caps

// Server status flags (SERVER_*).
namespace mysql_status {
inline constexpr uint16_t kAutocommit = 2;
inline constexpr uint16_t kMoreResultsExist = 8;
}  // namespace mysql_status

// Commands (COM_*): the first byte of a client's request.
enum class MySqlCommand : uint8_t {
  kQuit = 0x01,
  kInitDb = 0x02,
  kQuery = 0x03,
  kFieldList = 0x04,
  kStatistics = 0x09,
  kProcessKill = 0x0c,
  kPing = 0x0e,
  kChangeUser = 0x11,
  kStmtPrepare = 0x16,
  kStmtExecute = 0x17,
  kStmtSendLongData = 0x18,
  kStmtClose = 0x19,
  kStmtReset = 0x1a,
  kSetOption = 0x1b,
  kResetConnection = 0x1f,
};

// Column types (MYSQL_TYPE_*).
enum class MySqlType : uint8_t {
  kDecimal = 0,
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,
  kDateTime = 12,
  kYear = 13,
  kVarchar = 15,
  kBit = 16,
  kJson = 245,
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};

// TINY, SHORT, YEAR, INT24, LONG, LONGLONG.
bool IsMySqlIntegerType(MySqlType type);

inline constexpr uint16_t kCharsetUtf8GeneralCi = 33;
inline constexpr uint16_t kCharsetBinary = 63;
inline constexpr uint16_t kColumnFlagNotNull = 1;
inline constexpr uint16_t kColumnFlagBinary = 128;
inline constexpr uint16_t kColumnFlagUnsigned = 32;
inline constexpr size_t kScrambleBytes = 20;
inline constexpr const char* kNativePasswordPlugin = "mysql_native_password";

struct HandshakeV10 {
  std::string server_version;
  uint32_t connection_id = 0;
  std::string scramble;  // kScrambleBytes, no NUL
  uint32_t capabilities = 0;
  uint16_t status = 0;
};
std::string BuildHandshake(const HandshakeV10& handshake);

// The client's HandshakeResponse41 (or, when it is 32 bytes with CLIENT_SSL, an SSLRequest).
struct HandshakeResponse {
  uint32_t capabilities = 0;
  uint32_t max_packet = 0;
  uint8_t charset = 0;
  bool ssl_request = false;  // only the fixed part: TLS starts next
  std::string user;
  std::string auth_response;
  std::optional<std::string> database;
  std::string plugin;  // "" when the client named none
};
Result<HandshakeResponse> ParseHandshakeResponse(std::string_view payload);

// AuthSwitchRequest: 0xFE, plugin name, scramble + NUL.
std::string BuildAuthSwitch(std::string_view plugin, std::string_view scramble);

std::string BuildOk(uint64_t affected_rows, uint16_t status, uint16_t warnings,
                    std::string_view info = {});
std::string BuildErr(uint16_t code, std::string_view sqlstate, std::string_view message);
std::string BuildEof(uint16_t warnings, uint16_t status);
bool IsErrPacket(std::string_view payload);

struct ColumnSpec {
  std::string name;      // the label the client shows
  std::string org_name;  // the underlying column ("" for an expression)
  std::string table;
  std::string org_table;
  std::string schema;
  uint16_t charset = kCharsetUtf8GeneralCi;
  uint32_t length = 0;
  MySqlType type = MySqlType::kVarString;
  uint16_t flags = 0;
  uint8_t decimals = 0;
};
std::string BuildColumnDefinition(const ColumnSpec& column);

// One cell's wire form in a text row: its text, or nullopt for NULL.
using TextCell = std::optional<std::string>;
// A text-protocol row, into `out` (replacing what it held).
void BuildTextRow(const std::vector<TextCell>& cells, std::string* out);

// COM_STMT_PREPARE's answer (columns 0: their definitions come with each execute's result).
std::string BuildPrepareOk(uint32_t statement_id, uint16_t columns, uint16_t parameters);

// A parameter of COM_STMT_EXECUTE as the client sent it.
struct StatementParameter {
  bool is_null = true;
  MySqlType type = MySqlType::kNull;
  bool is_unsigned = false;
  // Integers in `integer` (unsigned ones bit-cast), FLOAT/DOUBLE in `real`, DATE/DATETIME/
  // TIMESTAMP/TIME in the civil fields, everything else as bytes in `bytes`.
  int64_t integer = 0;
  double real = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microsecond = 0;
  int days = 0;           // TIME only
  bool negative = false;  // TIME only
  std::string bytes;
};

struct ExecuteRequest {
  uint32_t statement_id = 0;
  std::vector<StatementParameter> parameters;
};

// Parses COM_STMT_EXECUTE's payload after the command byte for a statement of
// `parameter_count` parameters. `types` holds the types bound by an earlier execute and is
// updated when this one binds new ones; `long_data[i]`, when set, is the value of parameter i
// sent with COM_STMT_SEND_LONG_DATA (the execute packet carries no value for it).
Result<ExecuteRequest> ParseExecute(std::string_view payload, size_t parameter_count,
                                    std::vector<std::pair<MySqlType, bool>>* types,
                                    const std::vector<std::optional<std::string>>& long_data);

// Binary-protocol values, appended to `out`.
void AppendBinaryInteger(std::string* out, MySqlType type, int64_t value);
void AppendBinaryDouble(std::string* out, MySqlType type, double value);
void AppendBinaryDateTime(std::string* out, int year, int month, int day, int hour, int minute,
                          int second, int microsecond);
void AppendBinaryTime(std::string* out, bool negative, int days, int hour, int minute, int second,
                      int microsecond);

}  // namespace strata
