// Typed, validating access to members of JSON documents read from a repository: each getter
// returns the member or Corruption naming the document and the member that is missing or has
// the wrong type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/status.h"

namespace strata {

class JsonFields {
 public:
  // `what` names the document in messages: "snapshot '2026…'".
  JsonFields(const nlohmann::json& json, std::string what) : json_(json), what_(std::move(what)) {}

  Result<std::string> String(const char* key) const;
  // A string, or nullopt for null/absent.
  Result<std::optional<std::string>> OptionalString(const char* key) const;
  Result<int64_t> Int(const char* key) const;
  Result<const nlohmann::json*> Array(const char* key) const;
  Result<const nlohmann::json*> Object(const char* key) const;
  // A time in FormatUtcMs form, as milliseconds.
  Result<int64_t> Time(const char* key) const;

  Status Damaged(const std::string& problem) const;

 private:
  Result<const nlohmann::json*> Member(const char* key) const;
  const nlohmann::json& json_;
  std::string what_;
};

}  // namespace strata
