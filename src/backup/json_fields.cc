#include "backup/json_fields.h"

#include "base/strings.h"
#include "base/utc_time.h"

namespace strata {

Status JsonFields::Damaged(const std::string& problem) const {
  return Corruption(what_ + " is damaged: " + problem);
}

Result<const nlohmann::json*> JsonFields::Member(const char* key) const {
  if (!json_.is_object()) return Damaged("it is not a JSON object");
  auto it = json_.find(key);
  if (it == json_.end()) return Damaged("member " + Quote(key) + " is missing");
  return &*it;
}

Result<std::string> JsonFields::String(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (!member->is_string()) return Damaged("member " + Quote(key) + " is not a string");
  return member->get<std::string>();
}

Result<std::optional<std::string>> JsonFields::OptionalString(const char* key) const {
  if (!json_.is_object()) return Damaged("it is not a JSON object");
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Damaged("member " + Quote(key) + " is not a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<int64_t> JsonFields::Int(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (!member->is_number_integer()) return Damaged("member " + Quote(key) + " is not an integer");
  return member->get<int64_t>();
}

Result<const nlohmann::json*> JsonFields::Array(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (!member->is_array()) return Damaged("member " + Quote(key) + " is not an array");
  return member;
}

Result<const nlohmann::json*> JsonFields::Object(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (!member->is_object()) return Damaged("member " + Quote(key) + " is not an object");
  return member;
}

Result<int64_t> JsonFields::Time(const char* key) const {
  ASSIGN_OR_RETURN(std::string text, String(key));
  std::optional<int64_t> ms = ParseUtcMs(text);
  if (!ms) return Damaged("member " + Quote(key) + " is not a UTC time: " + Quote(text));
  return *ms;
}

}  // namespace strata
