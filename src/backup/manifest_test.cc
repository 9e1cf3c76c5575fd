#include "backup/manifest.h"

#include <gtest/gtest.h>

#include "backup/backup_location.h"
#include "backup/chunk_tree.h"
#include "backup/journal.h"
#include "backup/manifest_test_util.h"
#include "backup/restore.h"
#include "base/json.h"
#include "repository/memory_object_store.h"

namespace strata {
namespace {

Manifest SampleManifest() {
  Manifest m;
  m.id = "20261121T170000123Z-3fa91c0e";
  m.parent = "20261121T160000000Z-00000000";
  m.created_ms = 1795280400123;
  m.method = BackupMethod::kFiles;
  m.database = "dfs://compoDB";
  m.granularity = ChunkGranularity::kTable;
  m.scheme = {{"type", "VALUE"}, {"values", {1, 2}}};
  m.source_cid = 12;
  m.tables.push_back(
      {"pt", "9m9", Schema({{"ID", Type::kInt}, {"date", Type::kDate}}), {"date", "ID"}});
  m.chunks.push_back({"pt",
                      "/20170807/0_50",
                      "uuid-1",
                      12,
                      1795280000000,
                      30,
                      {{std::string(64, 'a'), 10, 100}, {std::string(64, 'b'), 20, 200}}});
  return m;
}

// `m` as this strata stores it (its chunk tree, then the document) and reads it back.
Result<Manifest> ThroughRepository(Manifest& m) {
  static MemoryObjectStore store;
  auto repository = Repository::Open(&store, RepositoryOpen::kCreateIfMissing);
  if (!repository.ok()) return repository.status();
  ASSIGN_OR_RETURN(ChunkTreeWrite tree, WriteChunkTree(**repository, m.chunks, {}, false));
  m.tree = tree.ref;
  m.id = Repository::NewSnapshotId(m.created_ms);
  RETURN_IF_ERROR((*repository)->PutSnapshot(m.id, ManifestToText(m)));
  return LoadManifest(**repository, m.id);
}

TEST(ManifestTest, RoundTripsThroughTheRepository) {
  Manifest m = SampleManifest();
  auto back = ThroughRepository(m);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(back->chunks[0].bytes(), 300u);
  EXPECT_EQ(back->tree.chunks, 1u);
  EXPECT_EQ(back->tree.rows, 30u);
  EXPECT_EQ(back->tree.bytes, 300u);
  // The document names the tree, not the chunks.
  EXPECT_EQ(ManifestToText(m).find("uuid-1"), std::string::npos);
  m.method = BackupMethod::kSql;
  m.parent.reset();
  m.label = "nightly";
  m.sql = "<select * from loadTable(\"dfs://compoDB\", \"pt\")>";
  back = ThroughRepository(m);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
  // A SQL chunk whose partition proved the query's conditions says so; others leave it out.
  EXPECT_FALSE(ManifestChunkToJson(m.chunks[0]).contains("whole"));
  m.chunks[0].whole = true;
  EXPECT_EQ(ManifestChunkToJson(m.chunks[0])["whole"], true);
  back = ThroughRepository(m);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->chunks[0].whole);
  EXPECT_EQ(*back, m);
  // Its origin (written since catalog format 5; absent before, and then empty).
  m.origin = {"c73b416e-a598-4fa0-813c-a30716b64248", 7, 1795280000123, true, false};
  back = ThroughRepository(m);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  m.origin = {};
  m.chunks.clear();  // an empty database: no tree at all
  back = ThroughRepository(m);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
  EXPECT_TRUE(back->tree.root.empty());
  m.chunks.push_back(SampleManifest().chunks[0]);
  m.chunks.push_back(m.chunks[0]);
  m.chunks[1].path = "/20170808/0_\"50\\";  // text that JSON must escape
  back = ThroughRepository(m);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
}

TEST(ManifestTest, VersionOneManifestsAreStillRead) {
  Manifest m = SampleManifest();
  m.chunks.push_back(m.chunks[0]);
  m.chunks[1].path = "/20170808/0_50";
  MemoryObjectStore store;
  auto repository = *Repository::Open(&store, RepositoryOpen::kCreateIfMissing);
  ASSERT_TRUE(repository->PutSnapshot(m.id, DumpJson(VersionOneDocument(m))).ok());
  auto back = LoadManifest(*repository, m.id);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);  // its chunks, and no tree
  EXPECT_TRUE(back->tree.root.empty());
}

TEST(ManifestTest, DamagedDocumentsNameWhatIsWrong) {
  auto broken = [](auto edit) {
    nlohmann::json json = VersionOneDocument(SampleManifest());
    edit(json);
    return ManifestFromJson(json).status();
  };
  Status s = broken([](nlohmann::json& j) { j.erase("chunks"); });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("'chunks' is missing"), std::string::npos) << s.message();
  s = broken([](nlohmann::json& j) { j["chunks"][0]["rows"] = 31; });
  EXPECT_NE(s.message().find("objects hold 30"), std::string::npos) << s.message();
  s = broken([](nlohmann::json& j) { j["chunks"][0]["objects"][0]["id"] = "xyz"; });
  EXPECT_NE(s.message().find("SHA-256"), std::string::npos) << s.message();
  s = broken([](nlohmann::json& j) { j["chunks"][0]["table"] = "other"; });
  EXPECT_NE(s.message().find("unknown table 'other'"), std::string::npos) << s.message();
  s = broken([](nlohmann::json& j) { j["version"] = 3; });
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  s = broken([](nlohmann::json& j) { j["created"] = "yesterday"; });
  EXPECT_NE(s.message().find("not a UTC time"), std::string::npos) << s.message();
  // Version 2: the tree reference.
  Manifest m = SampleManifest();
  m.tree = {std::string(64, 'c'), 1, 1, 30, 300};
  auto v2 = [&](auto edit) {
    nlohmann::json json = nlohmann::json::parse(ManifestToText(m));
    edit(json);
    return ManifestFromJson(json).status();
  };
  EXPECT_TRUE(v2([](nlohmann::json&) {}).ok());
  s = v2([](nlohmann::json& j) { j.erase("chunk_tree"); });
  EXPECT_NE(s.message().find("'chunk_tree' is missing"), std::string::npos) << s.message();
  s = v2([](nlohmann::json& j) { j["chunk_tree"]["root"] = "../x"; });
  EXPECT_NE(s.message().find("root is not an object id"), std::string::npos) << s.message();
  s = v2([](nlohmann::json& j) { j["chunk_tree"]["height"] = 0; });
  EXPECT_NE(s.message().find("disagree"), std::string::npos) << s.message();
  m.origin = {"c73b416e-a598-4fa0-813c-a30716b64248", 7, 1795280000123, true, true};
  EXPECT_TRUE(v2([](nlohmann::json&) {}).ok());
  s = v2([](nlohmann::json& j) { j["source"]["complete"] = false; });
  EXPECT_NE(s.message().find("exact without complete"), std::string::npos) << s.message();
  s = v2([](nlohmann::json& j) { j["source"].erase("database_id"); });
  EXPECT_NE(s.message().find("'database_id' is missing"), std::string::npos) << s.message();
}

TEST(JournalTest, PartsMergeInOrderAndADamagedPartIsSkipped) {
  MemoryObjectStore store;
  auto repository = *Repository::Open(&store, RepositoryOpen::kCreateIfMissing);
  Repository& repo = *repository;
  std::string key = JournalKeyOf(repo, {{"database", "dfs://x"}});
  EXPECT_FALSE(ReadJournal(repo, key)->has_value());
  std::vector<ManifestChunk> chunks;
  for (int i = 0; i < 3; ++i) {
    ManifestChunk c = SampleManifest().chunks[0];
    c.path = "/2017080" + std::to_string(i) + "/0_50";
    chunks.push_back(c);
  }
  // Three parts: chunk 0; chunks 1 and 2; chunk 0 again (re-copied, newer cid).
  chunks.push_back(chunks[0]);
  chunks.back().cid = 13;
  std::vector<std::vector<ManifestChunk>> parts = {
      {chunks[0]}, {chunks[1], chunks[2]}, {chunks[3]}};
  for (uint32_t i = 0; i < parts.size(); ++i) {
    ASSERT_TRUE(WriteJournalPart(repo, {key, "dfs://x", 1795280400123, parts[i], i}).ok());
  }
  auto read = ReadJournal(repo, key);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, (Journal{key, "dfs://x", 1795280400123, chunks, 3}));
  EXPECT_EQ(*ListJournalKeys(repo), std::vector<std::string>{key});
  // Read with room for two chunks: the first part only (the second would pass two), still
  // numbered for the whole journal; with room for three, the first two parts.
  auto capped = ReadJournal(repo, key, DamagedPart::kSkip, 2);
  ASSERT_TRUE(capped.ok() && capped->has_value());
  EXPECT_EQ(**capped, (Journal{key, "dfs://x", 1795280400123, {chunks[0]}, 3}));
  capped = ReadJournal(repo, key, DamagedPart::kSkip, 3);
  ASSERT_TRUE(capped.ok() && capped->has_value());
  EXPECT_EQ((*capped)->finished, (std::vector<ManifestChunk>{chunks[0], chunks[1], chunks[2]}));
  // Part by part, holding one at a time.
  std::vector<uint32_t> numbers;
  ASSERT_TRUE(*ForEachJournalPart(repo, key, DamagedPart::kFail, [&](Journal part) {
    numbers.push_back(part.part);
    EXPECT_EQ(part.finished, parts[part.part]);
    return Status::Ok();
  }));
  EXPECT_EQ(numbers, (std::vector<uint32_t>{0, 1, 2}));
  // Another call's key finds nothing.
  auto other = ReadJournal(repo, JournalKeyOf(repo, {{"database", "dfs://y"}}));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  // A flipped byte in part 1 loses that part's chunks only; the next part is still number 3.
  std::string part1 = "journal/" + key + "/0000000001.json";
  std::string text = *store.Get(part1);
  text[text.find("uuid-1")] = 'v';
  ASSERT_TRUE(store.Put(part1, text).ok());
  read = ReadJournal(repo, key);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->finished, (std::vector<ManifestChunk>{chunks[0], chunks[3]}));
  EXPECT_EQ((*read)->part, 3u);
  ASSERT_TRUE(DeleteJournal(repo, key).ok());
  EXPECT_FALSE(ReadJournal(repo, key)->has_value());
  EXPECT_TRUE(ListJournalKeys(repo)->empty());
}

TEST(WildcardTest, PercentMatchesAnyRunQuestionMarkOneCharacter) {
  EXPECT_TRUE(MatchesWildcard("%", ""));
  EXPECT_TRUE(MatchesWildcard("%", "/compoDB/20170807/0_50"));
  EXPECT_TRUE(MatchesWildcard("%/20170807/0_50", "/compoDB/20170807/0_50"));
  EXPECT_TRUE(MatchesWildcard("/compoDB/20170807/0_50", "/compoDB/20170807/0_50"));
  EXPECT_TRUE(MatchesWildcard("%20170810%", "/compoDB/20170810/50_100"));
  EXPECT_FALSE(MatchesWildcard("%20170810%", "/compoDB/20170811/50_100"));
  EXPECT_TRUE(MatchesWildcard("/compoDB/2017080?/0_50", "/compoDB/20170809/0_50"));
  EXPECT_FALSE(MatchesWildcard("/compoDB/2017080?/0_50", "/compoDB/20170809/50_100"));
  EXPECT_FALSE(MatchesWildcard("%0_50", "/compoDB/20170809/0_500"));
  EXPECT_TRUE(MatchesWildcard("%%a%", "xxa"));
  EXPECT_EQ(PatternSubject("dfs://compoDB", "/20170807/0_50"), "/compoDB/20170807/0_50");
  EXPECT_EQ(PatternSubject("dfs://compoDB", "/"), "/compoDB");
}

}  // namespace
}  // namespace strata
