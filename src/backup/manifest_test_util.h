// Test helper: manifests as a version-1 strata wrote them.
#pragma once

#include <nlohmann/json.hpp>

#include "backup/manifest.h"

namespace strata {

// The document a version-1 strata wrote for `m`: the same members, with the chunks listed in
// it instead of a chunk tree.
inline nlohmann::json VersionOneDocument(const Manifest& m) {
  nlohmann::json json = nlohmann::json::parse(ManifestToText(m));
  json["version"] = 1;
  json.erase("chunk_tree");
  json["chunks"] = nlohmann::json::array();
  for (const auto& c : m.chunks) json["chunks"].push_back(ManifestChunkToJson(c));
  return json;
}

}  // namespace strata
