// Node configuration files (strata.cfg), in DolphinDB's format: one `key=value` per line,
// surrounding spaces ignored, '#' starts a comment line, blank lines skipped. Keys are
// case-sensitive; a later line for the same key replaces an earlier one.
#pragma once

#include <map>
#include <string>

#include "base/status.h"

namespace strata {

using ConfigMap = std::map<std::string, std::string>;

// Reads `path`; NotFound when it does not exist, InvalidArgument naming the file and line of a
// line that is not `key=value`.
Result<ConfigMap> ReadConfigFile(const std::string& path);
// The same for text already read (`name` is used in messages).
Result<ConfigMap> ParseConfig(const std::string& text, const std::string& name);

}  // namespace strata
