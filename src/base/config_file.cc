#include "base/config_file.h"

#include <sstream>

#include "base/file_util.h"
#include "base/strings.h"

namespace strata {

namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

Result<ConfigMap> ParseConfig(const std::string& text, const std::string& name) {
  ConfigMap config;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    size_t equals = line.find('=');
    std::string key = equals == std::string::npos ? "" : Trim(line.substr(0, equals));
    if (key.empty()) {
      return InvalidArgument(name + " line " + std::to_string(number) +
                             " is not `key=value`: " + Quote(line.substr(0, 40)));
    }
    config[key] = Trim(line.substr(equals + 1));
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
