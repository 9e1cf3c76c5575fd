// Chunk trees (docs/format/repository.md, "Chunk trees"): where a version-2 snapshot manifest
// keeps its chunk entries. The entries, ordered by (table, path), are cut into leaves at
// content-defined boundaries (a hash of the entry's key, never its position), and the leaves
// into inner nodes the same way, up to one root. Every node is a repository object named by
// its content hash, so a snapshot shares each node whose entries did not change with the
// snapshots before it: a backup of an unchanged database stores no node at all, and one whose
// changes are few stores the nodes on their paths to the root.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "backup/manifest.h"
#include "repository/repository.h"

namespace strata {

// A leaf ends after an entry whose key hash is 0 modulo kLeafSpan (so leaves hold kLeafSpan
// entries on average, about 64 KiB), or at kLeafMax entries; an inner node likewise after a
// child whose first key hashes to 0 modulo kInnerSpan, or at kInnerMax children.
inline constexpr size_t kLeafSpan = 256;
inline constexpr size_t kLeafMax = 4096;
inline constexpr size_t kInnerSpan = 64;
inline constexpr size_t kInnerMax = 1024;

struct ChunkTreeWrite {
  ChunkTreeRef ref;
  std::vector<std::string> nodes;  // the nodes built (for EditChunkTree: rebuilt), root last
  int64_t nodes_written = 0;       // of those, the ones this call stored
  uint64_t bytes_written = 0;      // as stored
};

// Stores a tree of chunks given one at a time, ordered by (table, path) with no key twice,
// holding only the leaf being filled and, per level, the children of the node being filled:
// at most kLeafMax entries and kInnerMax children per level, however many chunks there are.
// Each node is stored as soon as it is cut. A node `present` lists is not written again,
// unless `verify` (a force=true backup), which reads it back and replaces a copy that does not
// verify; one it does not list is written without a look. Objects are written with PutObject:
// durable after the next flush (PutSnapshot's).
class ChunkTreeWriter {
 public:
  ChunkTreeWriter(Repository& repository, const Repository::ObjectListing& present, bool verify);
  ~ChunkTreeWriter();
  ChunkTreeWriter(const ChunkTreeWriter&) = delete;
  ChunkTreeWriter& operator=(const ChunkTreeWriter&) = delete;

  // InvalidArgument for a chunk out of order.
  Status Add(ManifestChunk chunk);
  // Stores the nodes still open; the tree of every chunk added. Call once.
  Result<ChunkTreeWrite> Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The tree of `chunks` (ordered by (table, path), no key twice), written by a ChunkTreeWriter.
Result<ChunkTreeWrite> WriteChunkTree(Repository& repository,
                                      const std::vector<ManifestChunk>& chunks,
                                      const Repository::ObjectListing& present, bool verify);

// How many nodes a ChunkTreeWalk remembers (about 250 bytes each, 16 MiB): every node of trees
// of up to ~16 million chunks (kLeafSpan per leaf).
inline constexpr size_t kWalkMemoNodes = size_t{1} << 16;

// Walks chunk trees leaf by leaf. Every node is verified: its content hash, its level, the
// order of its keys, and that its first key and totals are what its parent (or the manifest)
// says; Corruption names the snapshot and the node, and a missing node is Corruption too (its
// snapshot is damaged, not deleted). A node one Visit of a walk verified is not read again by
// a later one — its whole subtree is skipped — so a walk over the snapshots of a repository,
// which share most nodes, reads each distinct node once and keeps only their totals. It
// remembers at most `memo_nodes` nodes, so its memory does not grow with the repository; past
// that, a shared node met again is read again (with its subtree).
class ChunkTreeWalk {
 public:
  struct Key {
    std::string table;
    std::string path;
    auto operator<=>(const Key&) const = default;
  };
  // Called with each leaf's chunks, in order, unless the leaf was skipped; an error stops the
  // walk and is returned.
  using LeafVisitor = std::function<Status(std::vector<ManifestChunk>)>;

  // Called with the id of each node read and verified: once per node, or again when it is read
  // again; an error stops the walk and is returned.
  using NodeVisitor = std::function<Status(const std::string& id)>;

  explicit ChunkTreeWalk(Repository& repository, NodeVisitor on_node = nullptr,
                         size_t memo_nodes = kWalkMemoNodes);
  ~ChunkTreeWalk();
  ChunkTreeWalk(const ChunkTreeWalk&) = delete;
  ChunkTreeWalk& operator=(const ChunkTreeWalk&) = delete;

  // Walks the tree `ref` of snapshot `snapshot_id`.
  Status Visit(const ChunkTreeRef& ref, const std::string& snapshot_id, const LeafVisitor& on_leaf);

 private:
  struct Summary {  // what a parent says of a child, and what was found below it
    Key first;
    uint64_t chunks = 0;
    uint64_t rows = 0;
    uint64_t bytes = 0;
    bool operator==(const Summary&) const = default;
  };
  Result<Summary> VisitNode(const std::string& id, int64_t level, const LeafVisitor& on_leaf);

  Repository& repository_;
  NodeVisitor on_node_;
  size_t memo_nodes_;
  std::string what_;         // "snapshot '<id>'"
  std::optional<Key> last_;  // of the last chunk seen, while its successor must be greater
  std::unordered_map<std::string, Summary> visited_;  // at most memo_nodes_
};

// Reads the chunks of one tree a leaf at a time, in order, holding only the inner nodes on
// the path to the current leaf (height × kInnerMax children at most). Each node is checked as
// ChunkTreeWalk checks it (the totals of a node when its last leaf has been read, the root's
// against `ref` at the end), without skipping any.
class ChunkTreeCursor {
 public:
  ChunkTreeCursor(Repository& repository, const ChunkTreeRef& ref, const std::string& snapshot_id);
  ~ChunkTreeCursor();
  ChunkTreeCursor(const ChunkTreeCursor&) = delete;
  ChunkTreeCursor& operator=(const ChunkTreeCursor&) = delete;

  // The next leaf's chunks, never empty; empty once every leaf was read.
  Result<std::vector<ManifestChunk>> NextLeaf();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One change to a tree: the entry to put at `key` (new or replacing), or none to drop it.
struct ChunkTreeEdit {
  ChunkTreeWalk::Key key;
  std::optional<ManifestChunk> entry;
};

// The tree of `base` (of snapshot `base_snapshot_id`, for messages) with `edits` (ordered by
// key, one per key) applied: only the nodes whose key ranges hold an edit are read and rebuilt
// by the cutting rule (each on its own, so the result may be cut slightly differently from a
// WriteChunkTree of the same chunks; readers do not care, and untouched nodes stay shared).
// New nodes are stored as WriteChunkTree stores them.
Result<ChunkTreeWrite> EditChunkTree(Repository& repository, const ChunkTreeRef& base,
                                     const std::string& base_snapshot_id,
                                     std::span<const ChunkTreeEdit> edits,
                                     const Repository::ObjectListing& present);

// The chunks of the tree `ref` of snapshot `snapshot_id` in order (one walk).
Result<std::vector<ManifestChunk>> ReadChunkTree(Repository& repository, const ChunkTreeRef& ref,
                                                 const std::string& snapshot_id);
// The entries of the tree at `keys` (ordered, none twice) that it has, in order, reading each
// node whose key range holds one of them once: O(keys × height) nodes at most.
Result<std::vector<ManifestChunk>> ReadChunkTreeKeys(Repository& repository,
                                                     const ChunkTreeRef& ref,
                                                     const std::string& snapshot_id,
                                                     std::span<const ChunkTreeWalk::Key> keys);
// Its chunks whose key k has from <= k < to, in order, reading only the nodes whose key ranges
// meet that range: for one partition, the path from the root to its leaf. Each node read is
// checked as a walk checks it, except for totals (its siblings are not read).
Result<std::vector<ManifestChunk>> ReadChunkTreeRange(Repository& repository,
                                                      const ChunkTreeRef& ref,
                                                      const std::string& snapshot_id,
                                                      const ChunkTreeWalk::Key& from,
                                                      const ChunkTreeWalk::Key& to);

}  // namespace strata
