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

// Builds nodes bottom up, storing each one the repository lacks.
class NodeBuilder {
 public:
  NodeBuilder(Repository& repository, const Repository::ObjectListing& present, bool verify,
              ChunkTreeWrite& out)
      : repository_(repository), present_(present), verify_(verify), out_(out) {}

  // The leaves of `chunks` (ordered, no key twice), cut where the rule says.
  Result<std::vector<ChildEntry>> Leaves(std::span<const ManifestChunk> chunks) {
    std::vector<ChildEntry> leaves;
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
      std::span<const ManifestChunk> entries = chunks.subspan(start, i + 1 - start);
      ChildEntry leaf{"", KeyOf(entries.front())};
      for (const auto& c : entries) {
        ++leaf.chunks;
        leaf.rows += c.rows;
        leaf.bytes += c.bytes();
      }
      ASSIGN_OR_RETURN(leaf.id, Store(WithChunkArray(NodeHead(0), "entries", entries)));
      leaves.push_back(std::move(leaf));
      start = i + 1;
    }
    return leaves;
  }

  // The nodes of level `level` over `children` (nodes of the level below), cut by the rule.
  Result<std::vector<ChildEntry>> Parents(std::span<const ChildEntry> children, int64_t level) {
    std::vector<ChildEntry> parents;
    size_t start = 0;
    for (size_t i = 0; i < children.size(); ++i) {
      if (i + 1 - start < kInnerMax && i + 1 < children.size() &&
          !IsBoundary(children[i].first, level, kInnerSpan)) {
        continue;
      }
      std::span<const ChildEntry> group = children.subspan(start, i + 1 - start);
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

  // The tree whose nodes of level `level` are `nodes`: parents are added until one is left.
  Result<ChunkTreeRef> Root(std::vector<ChildEntry> nodes, int64_t level) {
    if (nodes.empty()) return ChunkTreeRef{};
    while (nodes.size() > 1) {
      ++level;
      ASSIGN_OR_RETURN(nodes, Parents(nodes, level));
    }
    const ChildEntry& root = nodes.front();
    return ChunkTreeRef{root.id, level + 1, root.chunks, root.rows, root.bytes};
  }

 private:
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
  ChunkTreeWrite& out_;
};

// One node as read: a leaf's entries or an inner node's children, checked for their format,
// level and (children) order; never empty.
struct Node {
  std::vector<ManifestChunk> entries;
  std::vector<ChildEntry> children;
};

// Reads node `id` of level `level` of a tree of `snapshot` ("snapshot '<id>'", for messages).
Result<Node> ReadNode(Repository& repository, const std::string& id, int64_t level,
                      const std::string& snapshot) {
  const std::string what = snapshot + " chunk tree node " + id;
  if (level < 0) return Corruption(what + " is deeper than the tree's height");
  auto content = repository.ReadObject(id);
  if (!content.ok() && content.status().code() == StatusCode::kNotFound) {
    // The snapshot is damaged, not deleted: its manifest is there.
    return Corruption(what + " is missing from the repository");
  }
  if (!content.ok()) return content.status().WithContext(snapshot + " chunk tree");
  ASSIGN_OR_RETURN(nlohmann::json json, ParseJson(content->content(), what));
  JsonFields fields(json, what);
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
  Node node;
  if (level == 0) {
    ASSIGN_OR_RETURN(const nlohmann::json* entries, fields.Array("entries"));
    for (const auto& e : *entries) {
      ASSIGN_OR_RETURN(ManifestChunk chunk, ManifestChunkFromJson(e, what));
      node.entries.push_back(std::move(chunk));
    }
    if (node.entries.empty()) return fields.Damaged("it is empty");
    return node;
  }
  ASSIGN_OR_RETURN(const nlohmann::json* children, fields.Array("children"));
  for (const auto& c : *children) {
    JsonFields child_fields(c, what + " child");
    ChildEntry child;
    ASSIGN_OR_RETURN(child.id, child_fields.String("node"));
    if (!IsObjectId(child.id)) return child_fields.Damaged("node is not an object id");
    ASSIGN_OR_RETURN(const nlohmann::json* first, child_fields.Object("first"));
    JsonFields first_fields(*first, what + " child first key");
    ASSIGN_OR_RETURN(child.first.table, first_fields.String("table"));
    ASSIGN_OR_RETURN(child.first.path, first_fields.String("path"));
    ASSIGN_OR_RETURN(child.chunks, child_fields.Uint("chunks"));
    ASSIGN_OR_RETURN(child.rows, child_fields.Uint("rows"));
    ASSIGN_OR_RETURN(child.bytes, child_fields.Uint("bytes"));
    if (!node.children.empty() && !(node.children.back().first < child.first)) {
      return fields.Damaged("its children are out of order");
    }
    node.children.push_back(std::move(child));
  }
  if (node.children.empty()) return fields.Damaged("it is empty");
  return node;
}

// The entries of a leaf with `edits` (ordered) applied.
std::vector<ManifestChunk> Merged(std::vector<ManifestChunk> entries,
                                  std::span<const ChunkTreeEdit> edits) {
  std::vector<ManifestChunk> merged;
  size_t e = 0;
  auto take_edits_before = [&](const Key* key) {
    for (; e < edits.size() && (key == nullptr || edits[e].key < *key); ++e) {
      if (edits[e].entry) merged.push_back(*edits[e].entry);
    }
  };
  for (auto& entry : entries) {
    Key key = KeyOf(entry);
    take_edits_before(&key);
    if (e < edits.size() && edits[e].key == key) {
      if (edits[e].entry) merged.push_back(*edits[e].entry);  // replaced, or dropped
      ++e;
    } else {
      merged.push_back(std::move(entry));
    }
  }
  take_edits_before(nullptr);
  return merged;
}

// Applies edits to a tree: reads only the nodes whose key ranges hold an edit, rebuilds them
// by the cutting rule, and keeps every other subtree as it is.
class TreeEditor {
 public:
  TreeEditor(Repository& repository, std::string snapshot, NodeBuilder& builder)
      : repository_(repository), snapshot_(std::move(snapshot)), builder_(builder) {}

  // The nodes of level `level` that replace `node` once `edits` are applied (each within its
  // key range, or before it when it is the first node of its level); none when it empties.
  Result<std::vector<ChildEntry>> Edit(const std::string& node, int64_t level,
                                       std::span<const ChunkTreeEdit> edits) {
    ASSIGN_OR_RETURN(Node read, ReadNode(repository_, node, level, snapshot_));
    if (level == 0) return builder_.Leaves(Merged(std::move(read.entries), edits));
    std::vector<ChildEntry> children;
    size_t e = 0;
    for (size_t i = 0; i < read.children.size(); ++i) {
      size_t end = e;
      const bool last = i + 1 == read.children.size();
      while (end < edits.size() && (last || edits[end].key < read.children[i + 1].first)) ++end;
      if (end == e) {
        children.push_back(std::move(read.children[i]));
        continue;
      }
      ASSIGN_OR_RETURN(auto replaced,
                       Edit(read.children[i].id, level - 1, edits.subspan(e, end - e)));
      for (auto& r : replaced) children.push_back(std::move(r));
      e = end;
    }
    return builder_.Parents(children, level);
  }

 private:
  Repository& repository_;
  const std::string snapshot_;
  NodeBuilder& builder_;
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
  if (auto done = visited_.find(id); done != visited_.end()) {
    last_.reset();  // the keys between are not seen again
    return done->second;
  }
  ASSIGN_OR_RETURN(Node node, ReadNode(repository_, id, level, what_));
  Summary got;
  if (level == 0) {
    got.first = KeyOf(node.entries.front());
    for (const auto& chunk : node.entries) {
      if (last_ && !(*last_ < KeyOf(chunk))) {
        return Corruption(what_ + " chunk tree node " + id + ": chunk " + Quote(chunk.path) +
                          " is out of order");
      }
      last_ = KeyOf(chunk);
      ++got.chunks;
      got.rows += chunk.rows;
      got.bytes += chunk.bytes();
    }
    if (on_leaf) RETURN_IF_ERROR(on_leaf(std::move(node.entries)));
  } else {
    got.first = node.children.front().first;
    for (const auto& child : node.children) {
      ASSIGN_OR_RETURN(Summary found, VisitNode(child.id, level - 1, on_leaf));
      if (found.first != child.first) {
        return Corruption(what_ + " chunk tree node " + child.id + ": its first chunk is not " +
                          "the one its parent " + id + " names");
      }
      if (std::tie(found.chunks, found.rows, found.bytes) !=
          std::tie(child.chunks, child.rows, child.bytes)) {
        return Corruption(what_ + " chunk tree node " + child.id + " holds " +
                          std::to_string(found.chunks) + " chunks of " +
                          std::to_string(found.rows) + " rows, its parent " + id + " says " +
                          std::to_string(child.chunks) + " of " + std::to_string(child.rows));
      }
      got.chunks += found.chunks;
      got.rows += found.rows;
      got.bytes += found.bytes;
    }
  }
  visited_.emplace(id, got);
  return got;
}

Result<ChunkTreeWrite> WriteChunkTree(Repository& repository,
                                      const std::vector<ManifestChunk>& chunks,
                                      const Repository::ObjectListing& present, bool verify) {
  ChunkTreeWrite out;
  NodeBuilder builder(repository, present, verify, out);
  ASSIGN_OR_RETURN(auto leaves, builder.Leaves(chunks));
  ASSIGN_OR_RETURN(out.ref, builder.Root(std::move(leaves), 0));
  return out;
}

Result<ChunkTreeWrite> EditChunkTree(Repository& repository, const ChunkTreeRef& base,
                                     const std::string& base_snapshot_id,
                                     std::span<const ChunkTreeEdit> edits,
                                     const Repository::ObjectListing& present) {
  for (size_t i = 1; i < edits.size(); ++i) {
    if (!(edits[i - 1].key < edits[i].key)) {
      return InvalidArgument("chunk " + Quote(edits[i].key.path) + " of table " +
                             Quote(edits[i].key.table) + " is edited out of order");
    }
  }
  ChunkTreeWrite out;
  if (edits.empty()) {
    out.ref = base;
    return out;
  }
  NodeBuilder builder(repository, present, /*verify=*/false, out);
  std::vector<ChildEntry> nodes;
  int64_t level = 0;
  if (base.root.empty()) {
    std::vector<ManifestChunk> chunks;
    for (const auto& e : edits) {
      if (e.entry) chunks.push_back(*e.entry);
    }
    ASSIGN_OR_RETURN(nodes, builder.Leaves(chunks));
  } else {
    level = base.height - 1;
    TreeEditor editor(repository, "snapshot " + Quote(base_snapshot_id), builder);
    ASSIGN_OR_RETURN(nodes, editor.Edit(base.root, level, edits));
  }
  ASSIGN_OR_RETURN(out.ref, builder.Root(std::move(nodes), level));
  return out;
}

std::vector<ChunkTreeEdit> ChunkEditsBetween(const std::vector<ManifestChunk>& before,
                                             const std::vector<ManifestChunk>& after) {
  std::vector<ChunkTreeEdit> edits;
  size_t b = 0, a = 0;
  while (b < before.size() || a < after.size()) {
    if (a == after.size() || (b < before.size() && KeyOf(before[b]) < KeyOf(after[a]))) {
      edits.push_back({KeyOf(before[b++]), std::nullopt});  // dropped
    } else if (b == before.size() || KeyOf(after[a]) < KeyOf(before[b])) {
      edits.push_back({KeyOf(after[a]), after[a]});  // added
      ++a;
    } else {
      if (!(before[b] == after[a])) edits.push_back({KeyOf(after[a]), after[a]});
      ++a;
      ++b;
    }
  }
  return edits;
}

Result<std::vector<ManifestChunk>> ReadChunkTree(Repository& repository, const ChunkTreeRef& ref,
                                                 const std::string& snapshot_id) {
  std::vector<ManifestChunk> chunks;
  RETURN_IF_ERROR(
      ChunkTreeWalk(repository).Visit(ref, snapshot_id, [&](std::vector<ManifestChunk> leaf) {
        chunks.insert(chunks.end(), std::make_move_iterator(leaf.begin()),
                      std::make_move_iterator(leaf.end()));
        return Status::Ok();
      }));
  return chunks;
}

namespace {

// Appends the chunks below node `id` (of level `level`) with keys in [from, to) to `out`.
Status ReadRange(Repository& repository, const std::string& id, int64_t level,
                 const std::string& snapshot, const Key& from, const Key& to,
                 std::vector<ManifestChunk>& out) {
  ASSIGN_OR_RETURN(Node node, ReadNode(repository, id, level, snapshot));
  if (level == 0) {
    for (auto& entry : node.entries) {
      Key key = KeyOf(entry);
      if (!(key < from) && key < to) out.push_back(std::move(entry));
    }
    return Status::Ok();
  }
  // Child i holds the keys from its first key up to the next child's.
  for (size_t i = 0; i < node.children.size() && node.children[i].first < to; ++i) {
    if (i + 1 < node.children.size() && !(from < node.children[i + 1].first)) continue;
    RETURN_IF_ERROR(ReadRange(repository, node.children[i].id, level - 1, snapshot, from, to, out));
  }
  return Status::Ok();
}

// Appends the entries below node `id` at `keys` (ordered; all within the node's key range, or
// before it for the first node of a level) to `out`.
Status ReadKeys(Repository& repository, const std::string& id, int64_t level,
                const std::string& snapshot, std::span<const Key> keys,
                std::vector<ManifestChunk>& out) {
  ASSIGN_OR_RETURN(Node node, ReadNode(repository, id, level, snapshot));
  if (level == 0) {
    size_t k = 0;
    for (auto& entry : node.entries) {
      Key key = KeyOf(entry);
      while (k < keys.size() && keys[k] < key) ++k;
      if (k < keys.size() && keys[k] == key) out.push_back(std::move(entry));
    }
    return Status::Ok();
  }
  size_t k = 0;
  for (size_t i = 0; i < node.children.size() && k < keys.size(); ++i) {
    size_t end = k;
    const bool last = i + 1 == node.children.size();
    while (end < keys.size() && (last || keys[end] < node.children[i + 1].first)) ++end;
    if (end == k) continue;
    RETURN_IF_ERROR(ReadKeys(repository, node.children[i].id, level - 1, snapshot,
                             keys.subspan(k, end - k), out));
    k = end;
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ManifestChunk>> ReadChunkTreeKeys(Repository& repository,
                                                     const ChunkTreeRef& ref,
                                                     const std::string& snapshot_id,
                                                     std::span<const Key> keys) {
  std::vector<ManifestChunk> out;
  if (ref.root.empty() || keys.empty()) return out;
  RETURN_IF_ERROR(
      ReadKeys(repository, ref.root, ref.height - 1, "snapshot " + Quote(snapshot_id), keys, out));
  return out;
}

Result<std::vector<ManifestChunk>> ReadChunkTreeRange(Repository& repository,
                                                      const ChunkTreeRef& ref,
                                                      const std::string& snapshot_id,
                                                      const Key& from, const Key& to) {
  std::vector<ManifestChunk> out;
  if (ref.root.empty()) return out;
  RETURN_IF_ERROR(ReadRange(repository, ref.root, ref.height - 1, "snapshot " + Quote(snapshot_id),
                            from, to, out));
  return out;
}

std::vector<std::string> ChunkTreeWalk::visited_nodes() const {
  std::vector<std::string> ids;
  for (const auto& [id, summary] : visited_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace strata
