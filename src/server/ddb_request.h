// Requests and answers of DolphinDB's client protocol (../shared/notes/dolphindb-api-protocol.md
// §3, §4): the header line, the four commands (connect, script, function, variable) and the
// text around an answer's object. Pure functions; the objects themselves are ddb_codec.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata::ddb {

// "API2 <sessionId> <len> / <flag>_<cancellable>_<priority>_<parallelism>_<jobId>_<fetchSize>..."
struct RequestHeader {
  bool api2 = false;       // print output goes out as MSG blocks before the answer
  std::string session_id;  // "0" (or unknown): the connection's session
  size_t length = 0;       // bytes of command text after the line
  int64_t flags = 0;
  int64_t fetch_size = 0;  // > 0: a table answer in blocks of this many rows (TCP clients)

  // Flag bit 4: the client reads no answer (except to connect).
  bool asynchronous() const { return (flags & 4) != 0; }
};

// One header line, without its LF. InvalidArgument naming the field at fault; a command longer
// than `max_length` bytes is refused before it is read.
Result<RequestHeader> ParseHeaderLine(std::string_view line, size_t max_length);

enum class CommandKind : uint8_t { kConnect, kScript, kFunction, kVariable };

struct Command {
  CommandKind kind = CommandKind::kConnect;
  // connect: "login\n<user>\n<password>[\n<encrypted: true|false>]", when given.
  std::optional<std::string> user;
  std::string password;
  bool encrypted = false;          // the user and password are RSA-encrypted (getDynamicPublicKey)
  std::string script;              // script
  std::string function;            // function
  std::vector<std::string> names;  // variable: the names the uploaded objects take
  size_t object_count = 0;         // function: its arguments; variable: its objects
};

// The command text (its `length` bytes). InvalidArgument naming what is malformed: an unknown
// kind, a count that is not a number or above `max_objects`, a variable list whose length
// differs from its count, big-endian arguments (no client sends them on x86 or ARM).
Result<Command> ParseCommand(std::string_view text, size_t max_objects);

// "<sessionId> <objects> 1\nOK\n": an answer's text before its object (at most one).
std::string OkAnswer(std::string_view session_id, int objects);
// "<sessionId> 0 1\n<message>\n" with every LF of the message a space (clients read one line).
std::string ErrorAnswer(std::string_view session_id, std::string_view message);
// "MSG\n<text>\0": print output, sent before the answer of an API2 request; a NUL in the text
// is dropped, as is one trailing LF (the clients add their own).
std::string MessageBlock(std::string_view text);

}  // namespace strata::ddb
