#include "base/json.h"

#include <optional>

#include "base/hash.h"
#include "base/utf8.h"

namespace strata {
namespace {

constexpr const char* kBytesHexKey = "bytes_hex";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The bytes an encoded string object holds, or nullopt if `json` is not one.
std::optional<std::string> DecodeBytesHex(const nlohmann::json& json) {
  if (!json.is_object() || json.size() != 1) return std::nullopt;
  auto it = json.find(kBytesHexKey);
  if (it == json.end() || !it->is_string()) return std::nullopt;
  const std::string& hex = it->get_ref<const std::string&>();
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = HexDigit(hex[i]);
    int low = HexDigit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// Applies `on_string` to every string value of `json`, recursively (keys stay as they are).
template <typename OnString>
void RewriteStrings(nlohmann::json& json, const OnString& on_string) {
  if (json.is_string()) {
    on_string(json);
    return;
  }
  if (json.is_object() || json.is_array()) {
    for (auto& element : json) RewriteStrings(element, on_string);
  }
}

bool AllStringsValid(const nlohmann::json& json) {
  if (json.is_string()) return IsValidUtf8(json.get_ref<const std::string&>());
  if (json.is_object() || json.is_array()) {
    for (const auto& element : json) {
      if (!AllStringsValid(element)) return false;
    }
  }
  return true;
}

void DecodeStrings(nlohmann::json& json) {
  if (std::optional<std::string> bytes = DecodeBytesHex(json)) {
    json = std::move(*bytes);
    return;
  }
  if (json.is_object() || json.is_array()) {
    for (auto& element : json) DecodeStrings(element);
  }
}

// Serializes with a handler that cannot throw on strings: RewriteStrings already made every
// string value valid, and keys (never user data in Strata documents) are replaced, not refused.
std::string DumpOrEmpty(const nlohmann::json& json, int indent) {
  try {
    return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception&) {
    return "null";
  }
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view what) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Corruption(std::string(what) + " is not valid JSON (" + e.what() +
                      "); restore it from a copy or remove it");
  }
  DecodeStrings(json);
  return json;
}

std::string DumpJson(const nlohmann::json& json, int indent) {
  if (AllStringsValid(json)) return DumpOrEmpty(json, indent);
  nlohmann::json copy = json;
  RewriteStrings(copy, [](nlohmann::json& s) {
    const std::string& text = s.get_ref<const std::string&>();
    if (!IsValidUtf8(text)) s = nlohmann::json{{kBytesHexKey, BytesToHex(text)}};
  });
  return DumpOrEmpty(copy, indent);
}

std::string DumpJsonForDisplay(const nlohmann::json& json) {
  if (AllStringsValid(json)) return DumpOrEmpty(json, -1);
  nlohmann::json copy = json;
  RewriteStrings(copy, [](nlohmann::json& s) {
    const std::string& text = s.get_ref<const std::string&>();
    if (!IsValidUtf8(text)) s = BytesAsCodePoints(text);
  });
  return DumpOrEmpty(copy, -1);
}

}  // namespace strata
