// JsonFields: the one way to read typed members of a JSON document. Each getter returns the
// member or Corruption naming the document and the member that is missing or has the wrong
// type; nothing throws. Parse the document with ParseJson (base/json.h) first.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace strata {

// Borrows `json`, which must outlive it. Immutable; safe to share between threads.
class JsonFields {
 public:
  // `what` names the document in messages: "snapshot '2026…'".
  JsonFields(const nlohmann::json& json, std::string what) : json_(json), what_(std::move(what)) {}

  Result<std::string> String(const char* key) const;
  // A string, or nullopt for null/absent.
  Result<std::optional<std::string>> OptionalString(const char* key) const;
  Result<int64_t> Int(const char* key) const;
  // An integer, or nullopt for null/absent.
  Result<std::optional<int64_t>> OptionalInt(const char* key) const;
  // A non-negative integer.
  Result<uint64_t> Uint(const char* key) const;
  Result<bool> Bool(const char* key) const;
  Result<const nlohmann::json*> Array(const char* key) const;
  Result<const nlohmann::json*> Object(const char* key) const;
  // A time in FormatUtcMs form, as milliseconds.
  Result<int64_t> Time(const char* key) const;
  // Every element of array member `key` as a string.
  Result<std::vector<std::string>> Strings(const char* key) const;

  // True if the document is an object with member `key` (of any type).
  bool Has(const char* key) const;
  Status Damaged(const std::string& problem) const;

 private:
  Result<const nlohmann::json*> Member(const char* key) const;
  const nlohmann::json& json_;
  std::string what_;
};

// Every element of `array` as a string; Corruption naming `what` if it is not an array of strings.
Result<std::vector<std::string>> JsonStrings(const nlohmann::json& array, const std::string& what);

}  // namespace strata
