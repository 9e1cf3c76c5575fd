#include "server/ddb_request.h"

#include <charconv>

#include "base/strings.h"

namespace strata::ddb {

namespace {

// A non-negative decimal integer that fills `text`.
std::optional<int64_t> Number(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

std::string Shown(std::string_view text) {
  constexpr size_t kShown = 40;
  return Quote(text.size() > kShown ? std::string(text.substr(0, kShown)) + "..."
                                    : std::string(text));
}

}  // namespace

Result<RequestHeader> ParseHeaderLine(std::string_view line, size_t max_length) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string> words = Split(line, ' ');
  if (words.size() != 3 && !(words.size() == 5 && words[3] == "/")) {
    return InvalidArgument("a request line must be \"API2 <session> <length> / <options>\", got " +
                           Shown(line));
  }
  RequestHeader header;
  if (words[0] != "API" && words[0] != "API2") {
    return InvalidArgument("a request must start with API or API2, got " + Shown(words[0]));
  }
  header.api2 = words[0] == "API2";
  if (!Number(words[1])) {
    return InvalidArgument("the session id of a request must be a number, got " + Shown(words[1]));
  }
  header.session_id = words[1];
  auto length = Number(words[2]);
  if (!length) {
    return InvalidArgument("the length of a request must be a number, got " + Shown(words[2]));
  }
  if (static_cast<uint64_t>(*length) > max_length) {
    return InvalidArgument("a request of " + std::to_string(*length) +
                           " bytes of command text is longer than the limit of " +
                           std::to_string(max_length));
  }
  header.length = static_cast<size_t>(*length);
  if (words.size() == 5) {
    std::vector<std::string> options = Split(words[4], '_');
    auto option = [&](size_t i, int64_t* out, const char* what) -> Status {
      if (i >= options.size() || options[i].empty()) return Status::Ok();
      auto value = Number(options[i]);
      if (!value) {
        return InvalidArgument(std::string("the ") + what + " option of a request must be a " +
                               "number, got " + Shown(options[i]));
      }
      *out = *value;
      return Status::Ok();
    };
    RETURN_IF_ERROR(option(0, &header.flags, "flag"));
    RETURN_IF_ERROR(option(5, &header.fetch_size, "fetchSize"));
  }
  return header;
}

Result<Command> ParseCommand(std::string_view text, size_t max_objects) {
  std::vector<std::string> lines;
  size_t first_break = text.find('\n');
  std::string_view kind = text.substr(0, first_break);
  std::string_view rest =
      first_break == std::string_view::npos ? std::string_view() : text.substr(first_break + 1);
  Command command;
  if (kind == "script") {
    command.kind = CommandKind::kScript;
    if (rest.find('\0') != std::string_view::npos) {
      return InvalidArgument("a script must not hold a NUL byte");
    }
    command.script = std::string(rest);
    return command;
  }
  lines = Split(rest, '\n');
  // JavaScript ends a function or variable command with a LF, C++ and Java do not.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  auto count = [&](size_t i, const char* what) -> Result<size_t> {
    auto n = i < lines.size() ? Number(lines[i]) : std::nullopt;
    if (!n) {
      return InvalidArgument(std::string("the ") + what + " count of a request must be a number");
    }
    if (static_cast<uint64_t>(*n) > max_objects) {
      return InvalidArgument(std::string("a request of ") + std::to_string(*n) + " " + what +
                             "s is above the limit of " + std::to_string(max_objects));
    }
    return static_cast<size_t>(*n);
  };
  auto little_endian = [&](size_t i) -> Status {
    if (i >= lines.size() || lines[i] == "1") return Status::Ok();
    return InvalidArgument("big-endian arguments (\"" + lines[i] +
                           "\") are not supported; send little-endian ones");
  };
  if (kind == "connect") {
    command.kind = CommandKind::kConnect;
    if (lines.empty()) return command;
    if (lines[0] != "login" || lines.size() < 3) {
      return InvalidArgument(
          "a connect request carries \"login\\n<user>\\n<password>\" or "
          "nothing");
    }
    command.user = lines[1];
    command.password = lines[2];
    command.encrypted = lines.size() > 3 && lines[3] == "true";
    return command;
  }
  if (kind == "function") {
    command.kind = CommandKind::kFunction;
    if (lines.empty() || lines[0].empty())
      return InvalidArgument("a function request names no function");
    command.function = lines[0];
    ASSIGN_OR_RETURN(command.object_count, count(1, "argument"));
    RETURN_IF_ERROR(little_endian(2));
    return command;
  }
  if (kind == "variable") {
    command.kind = CommandKind::kVariable;
    if (lines.empty()) return InvalidArgument("a variable request names no variables");
    command.names = Split(lines[0], ',');
    ASSIGN_OR_RETURN(command.object_count, count(1, "object"));
    if (command.names.size() != command.object_count) {
      return InvalidArgument("a variable request names " + std::to_string(command.names.size()) +
                             " variables but uploads " + std::to_string(command.object_count) +
                             " objects");
    }
    RETURN_IF_ERROR(little_endian(2));
    return command;
  }
  return InvalidArgument("unknown request " + Shown(kind) +
                         " (connect, script, function and variable are known)");
}

std::string OkAnswer(std::string_view session_id, int objects) {
  return std::string(session_id) + " " + std::to_string(objects) + " 1\nOK\n";
}

std::string ErrorAnswer(std::string_view session_id, std::string_view message) {
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return std::string(session_id) + " 0 1\n" + line + "\n";
}

std::string MessageBlock(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string block = "MSG\n";
  for (char c : text) {
    if (c != '\0') block.push_back(c);
  }
  block.push_back('\0');
  return block;
}

}  // namespace strata::ddb
