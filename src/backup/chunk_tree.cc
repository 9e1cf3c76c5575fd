#include "backup/chunk_tree.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "base/hash.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "repository/object_codec.h"

namespace strata {

namespace {

constexpr const char* kNodeFormat = "strata-chunk-node";
constexpr int kNodeVersion = 1;

using Key = ChunkTreeWalk::Key;

Key KeyOf(const ManifestChunk& chunk) { return {chunk.table, chunk.path}; }

// Whether a node of `level` ends after the entry (or child) with key `key`: a function of the
// key and the level only, so the same entries are cut the same way in every snapshot.
bool IsBoundary(const Key& key, int64_t level, size_t span) {
  std::string text = key.table;
  text += '\0';
  text += key.path;
  text += '\0';
  text += std::to_string(level);
  return Xxh3(text) % span == 0;
}

// What a parent records of a child node.
struct ChildEntry {
  std::string id;
  Key first;
  uint64_t chunks = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
};

nlohmann::json NodeHead(int64_t level) {
  return {{"format", kNodeFormat}, {"version", kNodeVersion}, {"level", level}};
}

std::string InnerText(int64_t level, std::span<const ChildEntry> children) {
  nlohmann::json head = NodeHead(level);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : children) {
    list.push_back({{"node", c.id},
                    {"first", {{"table", c.first.table}, {"path", c.first.path}}},
                    {"chunks", c.chunks},
                    {"rows", c.rows},
                    {"bytes", c.bytes}});
  }
  head["children"] = std::move(list);
  return DumpJson(head);
}

class TreeWriter {
 public:
  TreeWriter(Repository& repository, const Repository::ObjectListing& present, bool verify)
      : repository_(repository), present_(present), verify_(verify) {}

  Result<ChunkTreeWrite> Run(const std::vector<ManifestChunk>& chunks) {
    if (chunks.empty()) return std::move(out_);
    std::vector<ChildEntry> level;
    size_t start = 0;
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (i > 0 && !(KeyOf(chunks[i - 1]) < KeyOf(chunks[i]))) {
        return InvalidArgument("chunk " + Quote(chunks[i].path) + " of table " +
                               Quote(chunks[i].table) + " is out of order in a chunk tree");
      }
      if (i + 1 - start < kLeafMax && i + 1 < chunks.size() &&
          !IsBoundary(KeyOf(chunks[i]), 0, kLeafSpan)) {
        continue;
      }
      std::span<const ManifestChunk> entries(chunks.data() + start, i + 1 - start);
      ChildEntry leaf{"", KeyOf(entries.front())};
      for (const auto& c : entries) {
        ++leaf.chunks;
        leaf.rows += c.rows;
        leaf.bytes += c.bytes();
      }
      ASSIGN_OR_RETURN(leaf.id, Store(WithChunkArray(NodeHead(0), "entries", entries)));
      level.push_back(std::move(leaf));
      start = i + 1;
    }
    int64_t height = 1;
    while (level.size() > 1) {
      ASSIGN_OR_RETURN(level, Parents(level, height));
      ++height;
    }
    const ChildEntry& root = level.front();
    out_.ref = {root.id, height, root.chunks, root.rows, root.bytes};
    return std::move(out_);
  }

 private:
  // The nodes of level `level` over `children` (nodes of the level below).
  Result<std::vector<ChildEntry>> Parents(const std::vector<ChildEntry>& children, int64_t level) {
    std::vector<ChildEntry> parents;
    size_t start = 0;
    for (size_t i = 0; i < children.size(); ++i) {
      if (i + 1 - start < kInnerMax && i + 1 < children.size() &&
          !IsBoundary(children[i].first, level, kInnerSpan)) {
        continue;
      }
      std::span<const ChildEntry> group(children.data() + start, i + 1 - start);
      ChildEntry parent{"", group.front().first};
      for (const auto& c : group) {
        parent.chunks += c.chunks;
        parent.rows += c.rows;
        parent.bytes += c.bytes;
      }
      ASSIGN_OR_RETURN(parent.id, Store(InnerText(level, group)));
      parents.push_back(std::move(parent));
      start = i + 1;
    }
    return parents;
  }

  // Stores one node unless the repository has it; returns its id.
  Result<std::string> Store(const std::string& text) {
    std::string id = ObjectIdOf(text);
    out_.nodes.push_back(id);
    const bool listed = present_.Contains(id);
    if (listed && !verify_) return id;
    ASSIGN_OR_RETURN(Repository::PutResult put,
                     repository_.PutObject(text, listed ? Repository::IfPresent::kVerify
                                                        : Repository::IfPresent::kAbsent));
    if (put.written) {
      ++out_.nodes_written;
      out_.bytes_written += put.stored_bytes;
    }
    return id;
  }

  Repository& repository_;
  const Repository::ObjectListing& present_;
  const bool verify_;
  ChunkTreeWrite out_;
};

}  // namespace

ChunkTreeWalk::ChunkTreeWalk(Repository& repository) : repository_(repository) {}
ChunkTreeWalk::~ChunkTreeWalk() = default;

Status ChunkTreeWalk::Visit(const ChunkTreeRef& ref, const std::string& snapshot_id,
                            const LeafVisitor& on_leaf) {
  if (ref.root.empty()) return Status::Ok();
  what_ = "snapshot " + Quote(snapshot_id);
  last_.reset();
  ASSIGN_OR_RETURN(Summary got, VisitNode(ref.root, ref.height - 1, on_leaf));
  if (std::tie(got.chunks, got.rows, got.bytes) != std::tie(ref.chunks, ref.rows, ref.bytes)) {
    return Corruption(what_ + " chunk tree holds " + std::to_string(got.chunks) + " chunks of " +
                      std::to_string(got.rows) + " rows, its manifest says " +
                      std::to_string(ref.chunks) + " of " + std::to_string(ref.rows));
  }
  return Status::Ok();
}

Result<ChunkTreeWalk::Summary> ChunkTreeWalk::VisitNode(const std::string& id, int64_t level,
                                                        const LeafVisitor& on_leaf) {
  const std::string what = what_ + " chunk tree node " + id;
  if (level < 0) return Corruption(what + " is deeper than the tree's height");
  if (auto done = visited_.find(id); done != visited_.end()) {
    last_.reset();  // the keys between are not seen again
    return done->second;
  }
  auto content = repository_.ReadObject(id);
  if (!content.ok() && content.status().code() == StatusCode::kNotFound) {
    // The snapshot is damaged, not deleted: its manifest is there.
    return Corruption(what + " is missing from the repository");
  }
  if (!content.ok()) return content.status().WithContext(what_ + " chunk tree");
  ASSIGN_OR_RETURN(nlohmann::json node, ParseJson(content->content(), what));
  JsonFields fields(node, what);
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (format != kNodeFormat || version != kNodeVersion) {
    return fields.Damaged("it is not a version-" + std::to_string(kNodeVersion) +
                          " chunk tree node");
  }
  ASSIGN_OR_RETURN(int64_t stored_level, fields.Int("level"));
  if (stored_level != level) {
    return fields.Damaged("its level is " + std::to_string(stored_level) + ", its parent's " +
                          "says " + std::to_string(level));
  }
  std::optional<Summary> got;
  auto add = [&](const Summary& part) {
    if (!got) {
      got = part;
      return;
    }
    got->chunks += part.chunks;
    got->rows += part.rows;
    got->bytes += part.bytes;
  };
  if (level == 0) {
    ASSIGN_OR_RETURN(const nlohmann::json* entries, fields.Array("entries"));
    std::vector<ManifestChunk> chunks;
    for (const auto& e : *entries) {
      ASSIGN_OR_RETURN(ManifestChunk chunk, ManifestChunkFromJson(e, what));
      if (last_ && !(*last_ < KeyOf(chunk))) {
        return fields.Damaged("chunk " + Quote(chunk.path) + " is out of order");
      }
      last_ = KeyOf(chunk);
      add({KeyOf(chunk), 1, chunk.rows, chunk.bytes()});
      chunks.push_back(std::move(chunk));
    }
    if (got && on_leaf) RETURN_IF_ERROR(on_leaf(std::move(chunks)));
  } else {
    ASSIGN_OR_RETURN(const nlohmann::json* children, fields.Array("children"));
    std::optional<Key> previous_first;
    for (const auto& c : *children) {
      JsonFields child_fields(c, what + " child");
      Summary said;
      ASSIGN_OR_RETURN(std::string child, child_fields.String("node"));
      if (!IsObjectId(child)) return child_fields.Damaged("node is not an object id");
      ASSIGN_OR_RETURN(const nlohmann::json* first, child_fields.Object("first"));
      JsonFields first_fields(*first, what + " child first key");
      ASSIGN_OR_RETURN(said.first.table, first_fields.String("table"));
      ASSIGN_OR_RETURN(said.first.path, first_fields.String("path"));
      ASSIGN_OR_RETURN(said.chunks, child_fields.Uint("chunks"));
      ASSIGN_OR_RETURN(said.rows, child_fields.Uint("rows"));
      ASSIGN_OR_RETURN(said.bytes, child_fields.Uint("bytes"));
      if (previous_first && !(*previous_first < said.first)) {
        return fields.Damaged("its children are out of order");
      }
      previous_first = said.first;
      ASSIGN_OR_RETURN(Summary found, VisitNode(child, level - 1, on_leaf));
      if (found.first != said.first) {
        return Corruption(what_ + " chunk tree node " + child + ": its first chunk is not " +
                          "the one its parent " + id + " names");
      }
      if (!(found == said)) {
        return Corruption(what_ + " chunk tree node " + child + " holds " +
                          std::to_string(found.chunks) + " chunks of " +
                          std::to_string(found.rows) + " rows, its parent " + id + " says " +
                          std::to_string(said.chunks) + " of " + std::to_string(said.rows));
      }
      add(found);
    }
  }
  if (!got) return fields.Damaged("it is empty");
  visited_.emplace(id, *got);
  return *got;
}

Result<ChunkTreeWrite> WriteChunkTree(Repository& repository,
                                      const std::vector<ManifestChunk>& chunks,
                                      const Repository::ObjectListing& present, bool verify) {
  return TreeWriter(repository, present, verify).Run(chunks);
}

Result<std::vector<ManifestChunk>> ReadChunkTree(Repository& repository, const ChunkTreeRef& ref,
                                                 const std::string& snapshot_id,
                                                 std::vector<std::string>* nodes) {
  ChunkTreeWalk walk(repository);
  std::vector<ManifestChunk> chunks;
  RETURN_IF_ERROR(walk.Visit(ref, snapshot_id, [&](std::vector<ManifestChunk> leaf) {
    chunks.insert(chunks.end(), std::make_move_iterator(leaf.begin()),
                  std::make_move_iterator(leaf.end()));
    return Status::Ok();
  }));
  if (nodes != nullptr) *nodes = walk.visited_nodes();
  return chunks;
}

std::vector<std::string> ChunkTreeWalk::visited_nodes() const {
  std::vector<std::string> ids;
  for (const auto& [id, summary] : visited_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace strata
