#include "base/json_fields.h"

#include <cstdint>

#include "base/strings.h"
#include "base/utc_time.h"

namespace strata {

Status JsonFields::Damaged(const std::string& problem) const {
  return Corruption(what_ + " is damaged: " + problem);
}

bool JsonFields::Has(const char* key) const { return json_.is_object() && json_.contains(key); }

Result<const nlohmann::json*> JsonFields::Member(const char* key) const {
  if (!json_.is_object()) return Damaged("it is not a JSON object");
  auto it = json_.find(key);
  if (it == json_.end()) return Damaged("member " + Quote(key) + " is missing");
  return &*it;
}

Result<std::string> JsonFields::String(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (!member->is_string()) return Damaged("member " + Quote(key) + " is not a string");
  return member->get_ref<const std::string&>();
}

Result<std::optional<std::string>> JsonFields::OptionalString(const char* key) const {
  if (!json_.is_object()) return Damaged("it is not a JSON object");
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Damaged("member " + Quote(key) + " is not a string");
  return std::optional<std::string>(it->get_ref<const std::string&>());
}

Result<int64_t> JsonFields::Int(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (member->is_number_unsigned()) {
    uint64_t value = member->get_ref<const uint64_t&>();
    if (value <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(value);
  } else if (member->is_number_integer()) {
    return member->get_ref<const int64_t&>();
  }
  return Damaged("member " + Quote(key) + " is not an integer");
}

Result<std::optional<int64_t>> JsonFields::OptionalInt(const char* key) const {
  if (!json_.is_object()) return Damaged("it is not a JSON object");
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t value, Int(key));
  return std::optional<int64_t>(value);
}

Result<uint64_t> JsonFields::Uint(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (member->is_number_unsigned()) return member->get_ref<const uint64_t&>();
  if (member->is_number_integer() && member->get_ref<const int64_t&>() >= 0) {
    return static_cast<uint64_t>(member->get_ref<const int64_t&>());
  }
  return Damaged("member " + Quote(key) + " is not a non-negative integer");
}

Result<bool> JsonFields::Bool(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* member, Member(key));
  if (!member->is_boolean()) return Damaged("member " + Quote(key) + " is not true or false");
  return member->get_ref<const bool&>();
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

Result<std::vector<std::string>> JsonFields::Strings(const char* key) const {
  ASSIGN_OR_RETURN(const nlohmann::json* array, Array(key));
  return JsonStrings(*array, what_ + " member " + Quote(key));
}

Result<std::vector<std::string>> JsonStrings(const nlohmann::json& array, const std::string& what) {
  if (!array.is_array()) return Corruption(what + " is damaged: it is not an array");
  std::vector<std::string> out;
  for (const nlohmann::json& element : array) {
    if (!element.is_string()) return Corruption(what + " is damaged: it holds a non-string");
    out.push_back(element.get_ref<const std::string&>());
  }
  return out;
}

}  // namespace strata
