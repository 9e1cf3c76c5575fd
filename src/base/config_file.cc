#include "base/config_file.h"

#include <cctype>
#include <sstream>

#include "base/file_util.h"
#include "base/strings.h"

namespace strata {

namespace {

// The key a line without '=' seems to start with ("s3SecretAccessKey" of "s3SecretAccessKey
// abc": a name followed by a space or ':'), or "" when none is recognisable. The rest of the
// line is never shown: it may be a secret.
std::string_view KeyOfMalformed(std::string_view line) {
  size_t end = 0;
  auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  };
  while (end < line.size() && name_char(line[end])) ++end;
  if (end == 0 || end == line.size() || !std::isalpha(static_cast<unsigned char>(line[0])))
    return "";
  if (line[end] != ':' && !std::isspace(static_cast<unsigned char>(line[end]))) return "";
  return line.substr(0, end);
}

}  // namespace

Result<ConfigMap> ParseConfig(const std::string& text, const std::string& name) {
  ConfigMap config;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::string_view text_line = Trim(line);
    if (text_line.empty() || text_line[0] == '#') continue;
    size_t equals = text_line.find('=');
    std::string_view key = equals == std::string::npos ? "" : Trim(text_line.substr(0, equals));
    if (key.empty()) {
      // Name the line (and its key), never its text: the value may be a secret.
      std::string where = name + " line " + std::to_string(number);
      if (equals != std::string::npos) {
        return InvalidArgument(where + " has no key before '='; write it as `key=value`");
      }
      std::string_view guess = KeyOfMalformed(text_line);
      if (!guess.empty()) {
        return InvalidArgument(where + " (key " + Quote(guess) + ") has no '='; write it as `" +
                               std::string(guess) + "=value`");
      }
      return InvalidArgument(where + " is not `key=value` (it has no '='; its text is not shown, " +
                             "as it may hold a secret)");
    }
    config[std::string(key)] = std::string(Trim(text_line.substr(equals + 1)));
  }
  return config;
}

Result<ConfigMap> ReadConfigFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return NotFound("configuration file " + Quote(path) + " does not exist");
    }
    return text.status();
  }
  return ParseConfig(*text, "configuration file " + Quote(path));
}

}  // namespace strata
