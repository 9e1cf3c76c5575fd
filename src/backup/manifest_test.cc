#include "backup/manifest.h"

#include <gtest/gtest.h>

#include "backup/journal.h"
#include "backup/restore.h"
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

TEST(ManifestTest, RoundTripsThroughJson) {
  Manifest m = SampleManifest();
  auto back = ManifestFromJson(ManifestToJson(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(back->chunks[0].bytes(), 300u);
  m.method = BackupMethod::kSql;
  m.parent.reset();
  m.label = "nightly";
  m.sql = "<select * from loadTable(\"dfs://compoDB\", \"pt\")>";
  back = ManifestFromJson(ManifestToJson(m));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
}

TEST(ManifestTest, DamagedDocumentsNameWhatIsWrong) {
  auto broken = [](auto edit) {
    nlohmann::json json = ManifestToJson(SampleManifest());
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
  s = broken([](nlohmann::json& j) { j["version"] = 2; });
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  s = broken([](nlohmann::json& j) { j["created"] = "yesterday"; });
  EXPECT_NE(s.message().find("not a UTC time"), std::string::npos) << s.message();
}

TEST(JournalTest, RoundTripsAndDetectsDamage) {
  MemoryObjectStore store;
  Journal journal{JournalKeyOf({{"database", "dfs://x"}}), "dfs://x", 1795280400123,
                  SampleManifest().chunks};
  ASSERT_TRUE(WriteJournal(store, journal).ok());
  auto read = ReadJournal(store, journal.key);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, journal);
  // Another call's key finds nothing.
  auto other = ReadJournal(store, JournalKeyOf({{"database", "dfs://y"}}));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  // A flipped byte is caught by the checksum.
  std::string key = "journal/" + journal.key + ".json";
  std::string text = *store.Get(key);
  text[text.find("uuid-1")] = 'v';
  ASSERT_TRUE(store.Put(key, text).ok());
  EXPECT_EQ(ReadJournal(store, journal.key).status().code(), StatusCode::kCorruption);
  ASSERT_TRUE(DeleteJournal(store, journal.key).ok());
  EXPECT_FALSE(ReadJournal(store, journal.key)->has_value());
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
