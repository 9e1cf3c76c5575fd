#include "backup/chunk_tree.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "base/json.h"
#include "repository/memory_object_store.h"
#include "repository/object_codec.h"

namespace strata {
namespace {

// `n` chunks of table "pt" (and, from `second_table_at` on, of "pt2"), one object each.
std::vector<ManifestChunk> Chunks(size_t n, size_t second_table_at = SIZE_MAX) {
  std::vector<ManifestChunk> chunks;
  for (size_t i = 0; i < n; ++i) {
    char path[32];
    snprintf(path, sizeof path, "/%08zu/Key%zu", i, i % 7);
    ManifestChunk c{i < second_table_at ? "pt" : "pt2",
                    path,
                    "uuid-" + std::to_string(i),
                    5,
                    1795280000000,
                    i % 3 + 1};
    c.objects.push_back({ObjectIdOf(path), c.rows, 100 + i});
    chunks.push_back(std::move(c));
  }
  std::sort(chunks.begin(), chunks.end(), [](const ManifestChunk& a, const ManifestChunk& b) {
    return std::tie(a.table, a.path) < std::tie(b.table, b.path);
  });
  return chunks;
}

class ChunkTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repository_ = *Repository::Open(&store_, RepositoryOpen::kCreateIfMissing);
  }
  // Writes `chunks` as a backup does: with the listing of what the repository has.
  ChunkTreeWrite Write(const std::vector<ManifestChunk>& chunks, bool verify = false) {
    auto listing = repository_->ListObjects();
    EXPECT_TRUE(listing.ok());
    auto written = WriteChunkTree(*repository_, chunks, *listing, verify);
    EXPECT_TRUE(written.ok()) << written.status().ToString();
    EXPECT_TRUE(store_.Flush().ok());
    return *written;
  }
  Result<std::vector<ManifestChunk>> Read(const ChunkTreeRef& ref) {
    return ReadChunkTree(*repository_, ref, "20261206T000000000Z-00000000");
  }
  // The same, a leaf at a time through a cursor.
  Result<std::vector<ManifestChunk>> ReadByCursor(const ChunkTreeRef& ref) {
    ChunkTreeCursor cursor(*repository_, ref, "20261206T000000000Z-00000000");
    std::vector<ManifestChunk> chunks;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<ManifestChunk> leaf, cursor.NextLeaf());
      if (leaf.empty()) return chunks;
      chunks.insert(chunks.end(), leaf.begin(), leaf.end());
    }
  }
  // Stores a node written by hand; returns its id.
  std::string PutNode(const std::string& text) {
    return repository_->PutObject(text, Repository::IfPresent::kAbsent)->id;
  }

  MemoryObjectStore store_;
  std::unique_ptr<Repository> repository_;
};

TEST_F(ChunkTreeTest, RoundTripsAnySize) {
  for (size_t n : {0, 1, 2, 300, 20000}) {
    std::vector<ManifestChunk> chunks = Chunks(n, n / 2);
    ChunkTreeWrite written = Write(chunks);
    EXPECT_EQ(written.ref.chunks, n);
    auto back = Read(written.ref);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    std::vector<std::string> nodes;
    ChunkTreeWalk walk(*repository_, [&](const std::string& id) {
      nodes.push_back(id);
      return Status::Ok();
    });
    ASSERT_TRUE(walk.Visit(written.ref, "read", nullptr).ok());
    EXPECT_EQ(*back, chunks) << n;
    auto by_cursor = ReadByCursor(written.ref);
    ASSERT_TRUE(by_cursor.ok()) << by_cursor.status().ToString();
    EXPECT_EQ(*by_cursor, chunks) << n;
    std::sort(nodes.begin(), nodes.end());
    std::sort(written.nodes.begin(), written.nodes.end());
    EXPECT_EQ(nodes, written.nodes) << n;
    // Leaves average kLeafSpan entries; the tree grows a level per kInnerSpan-fold.
    if (n == 0) {
      EXPECT_EQ(written.ref.height, 0);
    } else if (n == 1) {
      EXPECT_EQ(written.ref.height, 1);
    }
    if (n == 20000) {
      EXPECT_GE(written.ref.height, 3);
      EXPECT_GT(nodes.size(), n / kLeafSpan / 2);
      EXPECT_LT(nodes.size(), n / kLeafSpan * 2);
    }
  }
}

TEST_F(ChunkTreeTest, SnapshotsShareEveryNodeTheirChangesDoNotReach) {
  std::vector<ManifestChunk> chunks = Chunks(10000);
  ChunkTreeWrite first = Write(chunks);
  EXPECT_EQ(first.nodes_written, static_cast<int64_t>(first.nodes.size()));
  // Nothing changed: nothing is written, and the root is the same.
  ChunkTreeWrite same = Write(chunks);
  EXPECT_EQ(same.nodes_written, 0);
  EXPECT_EQ(same.ref, first.ref);
  // One chunk changed: its leaf and the nodes above it, one per level.
  chunks[3337].cid = 6;
  ChunkTreeWrite changed = Write(chunks);
  EXPECT_EQ(changed.nodes_written, first.ref.height);
  EXPECT_NE(changed.ref.root, first.ref.root);
  // One chunk added and one dropped: the cuts are made by keys, so the nodes after them stay.
  ManifestChunk added = chunks[100];
  added.path += "x";
  chunks.insert(chunks.begin() + 101, added);
  chunks.erase(chunks.begin() + 7000);
  ChunkTreeWrite edited = Write(chunks);
  EXPECT_LE(edited.nodes_written, 2 * (first.ref.height + 1));
  auto back = Read(edited.ref);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, chunks);
  // A force=true backup reads every listed node back and replaces a damaged one.
  std::string leaf_key = ObjectKeyOf(edited.nodes.front());
  std::string stored = *store_.Get(leaf_key);
  stored[stored.size() / 2] ^= 1;
  ASSERT_TRUE(store_.Put(leaf_key, stored).ok());
  EXPECT_EQ(Read(edited.ref).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Write(chunks).nodes_written, 0);  // listed, so not looked at
  EXPECT_EQ(Write(chunks, /*verify=*/true).nodes_written, 1);
  EXPECT_TRUE(Read(edited.ref).ok());
}

// A range reads only the nodes whose key ranges meet it: each equals the chunks of the list in
// it, and with the first leaf gone, ranges after it still read while the first key does not.
TEST_F(ChunkTreeTest, RangesReadOnlyTheNodesTheyMeet) {
  using Key = ChunkTreeWalk::Key;
  std::vector<ManifestChunk> chunks = Chunks(20000, 15000);
  ChunkTreeWrite written = Write(chunks);
  ASSERT_GE(written.ref.height, 3);
  auto key = [](const ManifestChunk& c) { return Key{c.table, c.path}; };
  auto range = [&](const Key& from, const Key& to) {
    auto read = ReadChunkTreeRange(*repository_, written.ref, "r", from, to);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? *read : std::vector<ManifestChunk>{};
  };
  auto in = [&](const Key& from, const Key& to) {  // `chunks` is ordered by key
    auto below = [&](const ManifestChunk& c, const Key& k) { return key(c) < k; };
    auto begin = std::lower_bound(chunks.begin(), chunks.end(), from, below);
    auto end = std::lower_bound(begin, chunks.end(), std::max(from, to), below);
    return std::vector<ManifestChunk>(begin, end);
  };
  std::mt19937 random(16);
  for (int i = 0; i < 20; ++i) {
    size_t a = random() % chunks.size(), b = random() % chunks.size();
    if (a > b) std::swap(a, b);
    b = std::min(b, a + random() % 1000);
    EXPECT_EQ(range(key(chunks[a]), key(chunks[b])), in(key(chunks[a]), key(chunks[b]))) << a;
    Key between{chunks[a].table, chunks[a].path + "0"};  // no chunk has it
    EXPECT_EQ(range(between, key(chunks[b])), in(between, key(chunks[b]))) << a;
  }
  EXPECT_EQ(range({"pt", ""}, {"pt2", ""}).size(), 15000u);
  EXPECT_EQ(range({"pt2", ""}, {"pt3", ""}).size(), 5000u);
  EXPECT_TRUE(range({"a", ""}, {"b", ""}).empty());
  EXPECT_TRUE(range(key(chunks[5]), key(chunks[5])).empty());

  // Keys: every 97th chunk's, and keys no chunk has; each found once, in order.
  std::vector<Key> keys;
  std::vector<ManifestChunk> expected;
  for (size_t i = 0; i < chunks.size(); i += 97) {
    keys.push_back(key(chunks[i]));
    keys.push_back({chunks[i].table, chunks[i].path + "0"});
    expected.push_back(chunks[i]);
  }
  auto found = ReadChunkTreeKeys(*repository_, written.ref, "r", keys);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, expected);
  const std::vector<Key> last_only = {key(chunks.back())};

  ASSERT_TRUE(repository_->DeleteObject(written.nodes.front()).ok());  // the first leaf
  EXPECT_EQ(Read(written.ref).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(range(key(chunks.back()), {"pt3", ""}).size(), 1u);
  EXPECT_EQ(ReadChunkTreeKeys(*repository_, written.ref, "r", last_only)->size(), 1u);
  EXPECT_EQ(ReadChunkTreeKeys(*repository_, written.ref, "r", keys).status().code(),
            StatusCode::kCorruption);
  auto first = ReadChunkTreeRange(*repository_, written.ref, "r", key(chunks[0]), key(chunks[1]));
  EXPECT_EQ(first.status().code(), StatusCode::kCorruption);
  EXPECT_NE(first.status().message().find("snapshot 'r' chunk tree node " + written.nodes.front() +
                                          " is missing"),
            std::string::npos)
      << first.status().message();
}

// One walk over many snapshots reads each distinct node once: the second tree's leaves that
// the first had are skipped, and only the changed leaf reaches the visitor.
TEST_F(ChunkTreeTest, AWalkReadsEachSharedNodeOnce) {
  std::vector<ManifestChunk> chunks = Chunks(5000);
  ChunkTreeWrite first = Write(chunks);
  chunks[777].cid = 9;
  ChunkTreeWrite second = Write(chunks);
  std::vector<std::string> visited;
  auto collect = [&](const std::string& id) {
    visited.push_back(id);
    return Status::Ok();
  };
  ChunkTreeWalk walk(*repository_, collect);
  size_t leaves = 0, entries = 0;
  auto count = [&](std::vector<ManifestChunk> leaf) {
    ++leaves;
    entries += leaf.size();
    return Status::Ok();
  };
  ASSERT_TRUE(walk.Visit(first.ref, "first", count).ok());
  EXPECT_EQ(entries, 5000u);
  EXPECT_GT(leaves, 5000 / kLeafSpan / 2);
  leaves = 0;
  std::vector<ManifestChunk> seen;
  ASSERT_TRUE(walk.Visit(second.ref, "second",
                         [&](std::vector<ManifestChunk> leaf) {
                           ++leaves;
                           seen = std::move(leaf);
                           return Status::Ok();
                         })
                  .ok());
  EXPECT_EQ(leaves, 1u);
  EXPECT_TRUE(std::find(seen.begin(), seen.end(), chunks[777]) != seen.end());
  std::vector<std::string> all = first.nodes;
  all.insert(all.end(), second.nodes.begin(), second.nodes.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::sort(visited.begin(), visited.end());
  EXPECT_EQ(visited, all);  // each node once

  // A walk that remembers no node reads the second tree's shared leaves again, and names
  // them again: the same nodes, and every chunk of the second tree.
  visited.clear();
  ChunkTreeWalk forgetful(*repository_, collect, /*memo_nodes=*/0);
  entries = 0;
  ASSERT_TRUE(forgetful.Visit(first.ref, "first", count).ok());
  ASSERT_TRUE(forgetful.Visit(second.ref, "second", count).ok());
  EXPECT_EQ(entries, 10000u);
  EXPECT_GT(visited.size(), all.size());
  std::sort(visited.begin(), visited.end());
  visited.erase(std::unique(visited.begin(), visited.end()), visited.end());
  EXPECT_EQ(visited, all);
  // A node visitor's error stops the walk too.
  ChunkTreeWalk refusing(*repository_, [](const std::string&) { return IoError("full"); });
  EXPECT_EQ(refusing.Visit(first.ref, "first", nullptr).code(), StatusCode::kIoError);
  // A visitor's error stops the walk.
  ChunkTreeWalk failing(*repository_);
  EXPECT_EQ(
      failing
          .Visit(first.ref, "first", [](std::vector<ManifestChunk>) { return Cancelled("enough"); })
          .code(),
      StatusCode::kCancelled);
}

// Edits give the tree of the edited chunks, reading and writing only the paths they reach.
TEST_F(ChunkTreeTest, EditsChangeOnlyThePathsTheyReach) {
  std::vector<ManifestChunk> chunks = Chunks(10000);
  ChunkTreeWrite base = Write(chunks);
  auto edit = [&](const ChunkTreeRef& from, const std::vector<ChunkTreeEdit>& edits) {
    auto listing = repository_->ListObjects();
    auto edited = EditChunkTree(*repository_, from, "base", edits, *listing);
    EXPECT_TRUE(edited.ok()) << edited.status().ToString();
    EXPECT_TRUE(store_.Flush().ok());
    return *edited;
  };
  // No edit: the same tree, nothing written.
  ChunkTreeWrite same = edit(base.ref, {});
  EXPECT_EQ(same.ref, base.ref);
  EXPECT_EQ(same.nodes_written, 0);
  // One replaced entry: one node per level, and the same tree a full write makes.
  ManifestChunk changed = chunks[2345];
  changed.cid = 77;
  ChunkTreeWrite one = edit(base.ref, {{{changed.table, changed.path}, changed}});
  EXPECT_EQ(one.nodes_written, base.ref.height);
  chunks[2345] = changed;
  EXPECT_EQ(one.ref, Write(chunks).ref);
  // Seeded random edits: replacements, insertions (before the first key and after the last
  // too) and drops; the tree read back is the edited list.
  std::mt19937 random(16);
  std::map<ChunkTreeWalk::Key, std::optional<ManifestChunk>> planned;
  for (int i = 0; i < 200; ++i) {
    const ManifestChunk& c = chunks[random() % chunks.size()];
    ManifestChunk e = c;
    switch (random() % 3) {
      case 0:
        e.cid = 1000 + i;
        planned[{e.table, e.path}] = e;
        break;
      case 1:
        e.path += "+" + std::to_string(i);
        planned[{e.table, e.path}] = e;
        break;
      default:
        planned[{c.table, c.path}] = std::nullopt;
    }
  }
  ManifestChunk first = chunks.front(), last = chunks.back();
  first.path = "/";
  last.table = "zz";
  planned[{first.table, first.path}] = first;
  planned[{last.table, last.path}] = last;
  std::vector<ChunkTreeEdit> edits;
  for (auto& [key, entry] : planned) edits.push_back({key, entry});
  ChunkTreeWrite many = edit(one.ref, edits);
  std::map<ChunkTreeWalk::Key, ManifestChunk> expected;
  for (const auto& c : chunks) expected[{c.table, c.path}] = c;
  for (auto& [key, entry] : planned) {
    if (entry) {
      expected[key] = *entry;
    } else {
      expected.erase(key);
    }
  }
  std::vector<ManifestChunk> want;
  for (auto& [key, c] : expected) want.push_back(c);
  auto back = Read(many.ref);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, want);
  EXPECT_EQ(many.ref.chunks, want.size());
  EXPECT_LT(many.nodes_written, static_cast<int64_t>(Write(want).nodes.size()));
  // Dropping everything leaves no tree; editing no tree builds one.
  std::vector<ChunkTreeEdit> drops;
  for (const auto& c : want) drops.push_back({{c.table, c.path}, std::nullopt});
  ChunkTreeWrite none = edit(many.ref, drops);
  EXPECT_TRUE(none.ref.root.empty());
  EXPECT_EQ(none.ref.chunks, 0u);
  std::vector<ChunkTreeEdit> adds;
  for (const auto& c : want) adds.push_back({{c.table, c.path}, c});
  ChunkTreeWrite rebuilt = edit(ChunkTreeRef{}, adds);
  EXPECT_EQ(rebuilt.ref, Write(want).ref);
  // Edits must be ordered.
  auto listing = repository_->ListObjects();
  std::vector<ChunkTreeEdit> backwards = {adds[1], adds[0]};
  EXPECT_EQ(EditChunkTree(*repository_, many.ref, "base", backwards, *listing).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ChunkTreeTest, DamagedOrForgedNodesAreCorruptionNamingTheSnapshotAndNode) {
  std::vector<ManifestChunk> chunks = Chunks(2);
  auto leaf = [&](std::vector<ManifestChunk> entries) {
    return PutNode(WithChunkArray({{"format", "strata-chunk-node"}, {"version", 1}, {"level", 0}},
                                  "entries", entries));
  };
  auto expect = [&](const ChunkTreeRef& ref, const std::string& words) {
    for (const Status& s : {Read(ref).status(), ReadByCursor(ref).status()}) {
      EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
      EXPECT_NE(s.message().find("snapshot '20261206T000000000Z-00000000' chunk tree"),
                std::string::npos)
          << s.message();
      EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
    }
  };
  std::string good = leaf(chunks);
  ASSERT_TRUE(Read({good, 1, 2, chunks[0].rows + chunks[1].rows, 201}).ok());
  expect({leaf({chunks[1], chunks[0]}), 1, 2, chunks[0].rows + chunks[1].rows, 201},
         "out of order");
  expect({good, 1, 3, chunks[0].rows + chunks[1].rows, 201}, "its manifest says 3");
  expect({good, 2, 2, chunks[0].rows + chunks[1].rows, 201}, "its level is 0");
  expect({leaf({}), 1, 0, 0, 0}, "it is empty");
  expect({std::string(64, 'e'), 1, 2, 3, 201}, "is missing from the repository");
  // An inner node whose child's first key is not the child's.
  nlohmann::json inner = {{"format", "strata-chunk-node"}, {"version", 1}, {"level", 1}};
  inner["children"] = {{{"node", good},
                        {"first", {{"table", "pt"}, {"path", "/elsewhere"}}},
                        {"chunks", 2},
                        {"rows", chunks[0].rows + chunks[1].rows},
                        {"bytes", 201}}};
  expect({PutNode(DumpJson(inner)), 2, 2, chunks[0].rows + chunks[1].rows, 201},
         "its first chunk is not the one its parent");
  // Something that is not a node at all.
  expect({PutNode("{\"format\":\"strata-snapshot\",\"version\":1}"), 1, 2, 3, 201},
         "not a version-1 chunk tree node");
}

}  // namespace
}  // namespace strata
