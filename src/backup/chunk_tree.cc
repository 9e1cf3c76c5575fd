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

// InvalidArgument unless `chunk` comes after the entry with key `previous`.
Status CheckOrder(const Key& previous, const ManifestChunk& chunk) {
  if (previous < KeyOf(chunk)) return Status::Ok();
  return InvalidArgument("chunk " + Quote(chunk.path) + " of table " + Quote(chunk.table) +
                         " is out of order in a chunk tree");
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
      if (i > 0) RETURN_IF_ERROR(CheckOrder(KeyOf(chunks[i - 1]), chunks[i]));
      if (i + 1 - start < kLeafMax && i + 1 < chunks.size() &&
          !IsBoundary(KeyOf(chunks[i]), 0, kLeafSpan)) {
        continue;
      }
      ASSIGN_OR_RETURN(ChildEntry leaf, StoreLeaf(chunks.subspan(start, i + 1 - start)));
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
      ASSIGN_OR_RETURN(ChildEntry parent,
                       StoreParent(children.subspan(start, i + 1 - start), level));
      parents.push_back(std::move(parent));
      start = i + 1;
    }
    return parents;
  }

  // Stores the leaf of `entries` (ordered, not empty); returns what its parent records of it.
  Result<ChildEntry> StoreLeaf(std::span<const ManifestChunk> entries) {
    ChildEntry leaf{"", KeyOf(entries.front())};
    for (const auto& c : entries) {
      ++leaf.chunks;
      leaf.rows += c.rows;
      leaf.bytes += c.bytes();
    }
    ASSIGN_OR_RETURN(leaf.id, Store(WithChunkArray(NodeHead(0), "entries", entries)));
    return leaf;
  }

  // Stores the node of level `level` over `group` (not empty).
  Result<ChildEntry> StoreParent(std::span<const ChildEntry> group, int64_t level) {
    ChildEntry parent{"", group.front().first};
    for (const auto& c : group) {
      parent.chunks += c.chunks;
      parent.rows += c.rows;
      parent.bytes += c.bytes;
    }
    ASSIGN_OR_RETURN(parent.id, Store(InnerText(level, group)));
    return parent;
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
    ASSIGN_OR_RETURN(const bool listed, present_.Contains(id));
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

// Corruption unless the entries of leaf `id` come in order, each after `last` (the key of
// the entry before them, when the walk saw it), which ends as the key of the leaf's last.
Status CheckLeafOrder(const std::string& what, const std::string& id,
                      const std::vector<ManifestChunk>& entries, std::optional<Key>& last) {
  for (const auto& chunk : entries) {
    if (last && !(*last < KeyOf(chunk))) {
      return Corruption(what + " chunk tree node " + id + ": chunk " + Quote(chunk.path) +
                        " is out of order");
    }
    last = KeyOf(chunk);
  }
  return Status::Ok();
}

// What was found below a node: its first key and totals.
struct Found {
  Key first;
  uint64_t chunks = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  void Add(const Found& below) {
    chunks += below.chunks;
    rows += below.rows;
    bytes += below.bytes;
  }
};

Found FoundInLeaf(const std::vector<ManifestChunk>& entries) {
  Found found{KeyOf(entries.front())};
  for (const auto& chunk : entries) {
    ++found.chunks;
    found.rows += chunk.rows;
    found.bytes += chunk.bytes();
  }
  return found;
}

// Corruption unless the subtree of `said` (a child of node `parent`) holds what `parent` says.
Status CheckChild(const std::string& what, const std::string& parent, const ChildEntry& said,
                  const Found& found) {
  if (found.first != said.first) {
    return Corruption(what + " chunk tree node " + said.id + ": its first chunk is not " +
                      "the one its parent " + parent + " names");
  }
  if (std::tie(found.chunks, found.rows, found.bytes) !=
      std::tie(said.chunks, said.rows, said.bytes)) {
    return Corruption(what + " chunk tree node " + said.id + " holds " +
                      std::to_string(found.chunks) + " chunks of " + std::to_string(found.rows) +
                      " rows, its parent " + parent + " says " + std::to_string(said.chunks) +
                      " of " + std::to_string(said.rows));
  }
  return Status::Ok();
}

// Corruption unless the tree holds what its manifest (`ref`) says.
Status CheckRoot(const std::string& what, const ChunkTreeRef& ref, const Found& found) {
  if (std::tie(found.chunks, found.rows, found.bytes) ==
      std::tie(ref.chunks, ref.rows, ref.bytes)) {
    return Status::Ok();
  }
  return Corruption(what + " chunk tree holds " + std::to_string(found.chunks) + " chunks of " +
                    std::to_string(found.rows) + " rows, its manifest says " +
                    std::to_string(ref.chunks) + " of " + std::to_string(ref.rows));
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

ChunkTreeWalk::ChunkTreeWalk(Repository& repository, NodeVisitor on_node, size_t memo_nodes)
    : repository_(repository), on_node_(std::move(on_node)), memo_nodes_(memo_nodes) {}
ChunkTreeWalk::~ChunkTreeWalk() = default;

Status ChunkTreeWalk::Visit(const ChunkTreeRef& ref, const std::string& snapshot_id,
                            const LeafVisitor& on_leaf) {
  if (ref.root.empty()) return Status::Ok();
  what_ = "snapshot " + Quote(snapshot_id);
  last_.reset();
  ASSIGN_OR_RETURN(Summary got, VisitNode(ref.root, ref.height - 1, on_leaf));
  return CheckRoot(what_, ref, Found{got.first, got.chunks, got.rows, got.bytes});
}

Result<ChunkTreeWalk::Summary> ChunkTreeWalk::VisitNode(const std::string& id, int64_t level,
                                                        const LeafVisitor& on_leaf) {
  if (auto done = visited_.find(id); done != visited_.end()) {
    last_.reset();  // the keys between are not seen again
    return done->second;
  }
  ASSIGN_OR_RETURN(Node node, ReadNode(repository_, id, level, what_));
  Found got;
  if (level == 0) {
    RETURN_IF_ERROR(CheckLeafOrder(what_, id, node.entries, last_));
    got = FoundInLeaf(node.entries);
    if (on_leaf) RETURN_IF_ERROR(on_leaf(std::move(node.entries)));
  } else {
    got.first = node.children.front().first;
    for (const auto& child : node.children) {
      ASSIGN_OR_RETURN(Summary below, VisitNode(child.id, level - 1, on_leaf));
      Found found{below.first, below.chunks, below.rows, below.bytes};
      RETURN_IF_ERROR(CheckChild(what_, id, child, found));
      got.Add(found);
    }
  }
  Summary summary{got.first, got.chunks, got.rows, got.bytes};
  if (on_node_) RETURN_IF_ERROR(on_node_(id));
  if (visited_.size() < memo_nodes_) visited_.emplace(id, summary);
  return summary;
}

// The state of a ChunkTreeWriter: the leaf being filled, and per level the nodes that wait for
// their parent.
struct ChunkTreeWriter::State {
  State(Repository& repository, const Repository::ObjectListing& present, bool verify)
      : builder(repository, present, verify, out) {}

  struct Level {
    std::vector<ChildEntry> group;  // children of the next parent, in order
    bool closed = false;            // the group ends: its parent is stored when another comes
    uint64_t nodes = 0;             // nodes of this level so far
  };

  // Stores the leaf being filled.
  Status EndLeaf() {
    ASSIGN_OR_RETURN(ChildEntry node, builder.StoreLeaf(leaf));
    leaf.clear();
    return Completed(0, std::move(node));
  }

  // Files a stored node of `level` under its parent-to-be. A group's parent is stored once the
  // next node of the level arrives (or at the end), so a level with one node stays the root, as
  // NodeBuilder::Root leaves it.
  Status Completed(size_t level, ChildEntry node) {
    if (levels.size() <= level) levels.resize(level + 1);
    if (levels[level].closed) RETURN_IF_ERROR(EndGroup(level));
    Level& here = levels[level];
    const bool boundary = IsBoundary(node.first, static_cast<int64_t>(level) + 1, kInnerSpan);
    here.group.push_back(std::move(node));
    ++here.nodes;
    here.closed = boundary || here.group.size() == kInnerMax;
    return Status::Ok();
  }

  // Stores the parent of the group of `level`.
  Status EndGroup(size_t level) {
    std::vector<ChildEntry> group = std::move(levels[level].group);
    levels[level].group.clear();
    levels[level].closed = false;
    ASSIGN_OR_RETURN(ChildEntry parent,
                     builder.StoreParent(group, static_cast<int64_t>(level) + 1));
    return Completed(level + 1, std::move(parent));
  }

  ChunkTreeWrite out;
  NodeBuilder builder;
  std::vector<ManifestChunk> leaf;
  std::vector<Level> levels;
  std::optional<Key> last;
};

ChunkTreeWriter::ChunkTreeWriter(Repository& repository, const Repository::ObjectListing& present,
                                 bool verify)
    : state_(std::make_unique<State>(repository, present, verify)) {}
ChunkTreeWriter::~ChunkTreeWriter() = default;

Status ChunkTreeWriter::Add(ManifestChunk chunk) {
  if (state_->last) RETURN_IF_ERROR(CheckOrder(*state_->last, chunk));
  state_->last = KeyOf(chunk);
  const bool boundary = IsBoundary(*state_->last, 0, kLeafSpan);
  state_->leaf.push_back(std::move(chunk));
  if (boundary || state_->leaf.size() == kLeafMax) return state_->EndLeaf();
  return Status::Ok();
}

Result<ChunkTreeWrite> ChunkTreeWriter::Finish() {
  State& st = *state_;
  if (!st.leaf.empty()) RETURN_IF_ERROR(st.EndLeaf());
  for (size_t level = 0; level < st.levels.size(); ++level) {
    if (st.levels[level].nodes == 1) {  // the root: no level above has a node
      const ChildEntry& root = st.levels[level].group.front();
      st.out.ref = ChunkTreeRef{root.id, static_cast<int64_t>(level) + 1, root.chunks, root.rows,
                                root.bytes};
      break;
    }
    RETURN_IF_ERROR(st.EndGroup(level));
  }
  return std::move(st.out);
}

// The state of a ChunkTreeCursor: the inner nodes on the path to the next leaf.
struct ChunkTreeCursor::State {
  struct Frame {
    std::string id;
    int64_t level = 0;
    std::vector<ChildEntry> children;
    size_t next = 0;  // the child to read next
    Found found;      // below the children read so far
  };
  Repository& repository;
  ChunkTreeRef ref;
  std::string what;  // "snapshot '<id>'"
  std::vector<Frame> stack;
  std::optional<Key> last;
  bool started = false;

  // Reads inner node `id` of `level` onto the stack.
  Status Push(const std::string& id, int64_t level) {
    ASSIGN_OR_RETURN(Node node, ReadNode(repository, id, level, what));
    Found found{node.children.front().first};
    stack.push_back(Frame{id, level, std::move(node.children), 0, std::move(found)});
    return Status::Ok();
  }
};

ChunkTreeCursor::ChunkTreeCursor(Repository& repository, const ChunkTreeRef& ref,
                                 const std::string& snapshot_id)
    : state_(std::make_unique<State>(State{repository, ref, "snapshot " + Quote(snapshot_id)})) {}
ChunkTreeCursor::~ChunkTreeCursor() = default;

Result<std::vector<ManifestChunk>> ChunkTreeCursor::NextLeaf() {
  State& st = *state_;
  if (!st.started) {
    st.started = true;
    if (st.ref.root.empty()) return std::vector<ManifestChunk>{};
    if (st.ref.height == 1) {  // the root is the one leaf
      ASSIGN_OR_RETURN(Node node, ReadNode(st.repository, st.ref.root, 0, st.what));
      RETURN_IF_ERROR(CheckLeafOrder(st.what, st.ref.root, node.entries, st.last));
      RETURN_IF_ERROR(CheckRoot(st.what, st.ref, FoundInLeaf(node.entries)));
      return std::move(node.entries);
    }
    RETURN_IF_ERROR(st.Push(st.ref.root, st.ref.height - 1));
  }
  while (!st.stack.empty()) {
    State::Frame& top = st.stack.back();
    if (top.next == top.children.size()) {  // every child read: check the node against its parent
      Found found = top.found;
      std::string id = top.id;
      st.stack.pop_back();
      if (st.stack.empty()) {
        RETURN_IF_ERROR(CheckRoot(st.what, st.ref, found));
        break;
      }
      State::Frame& parent = st.stack.back();
      RETURN_IF_ERROR(CheckChild(st.what, parent.id, parent.children[parent.next - 1], found));
      parent.found.Add(found);
      continue;
    }
    const ChildEntry& child = top.children[top.next++];
    if (top.level > 1) {
      RETURN_IF_ERROR(st.Push(child.id, top.level - 1));
      continue;
    }
    ASSIGN_OR_RETURN(Node leaf, ReadNode(st.repository, child.id, 0, st.what));
    RETURN_IF_ERROR(CheckLeafOrder(st.what, child.id, leaf.entries, st.last));
    Found found = FoundInLeaf(leaf.entries);
    RETURN_IF_ERROR(CheckChild(st.what, top.id, child, found));
    top.found.Add(found);
    return std::move(leaf.entries);
  }
  return std::vector<ManifestChunk>{};
}

Result<ChunkTreeWrite> WriteChunkTree(Repository& repository,
                                      const std::vector<ManifestChunk>& chunks,
                                      const Repository::ObjectListing& present, bool verify) {
  ChunkTreeWriter writer(repository, present, verify);
  for (const auto& chunk : chunks) RETURN_IF_ERROR(writer.Add(chunk));
  return writer.Finish();
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

}  // namespace strata
