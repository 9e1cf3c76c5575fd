#include "base/config_file.h"

#include <sstream>

#include "base/file_util.h"
#include "base/strings.h"

namespace strata {

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
      return InvalidArgument(name + " line " + std::to_string(number) +
                             " is not `key=value`: " + Quote(text_line.substr(0, 40)));
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
