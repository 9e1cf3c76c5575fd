#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "base/file_util.h"

namespace strata {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_catalog_test");
    ASSERT_TRUE(MakeDirs(dir_).ok());
    auto catalog = Catalog::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);
  }
  void TearDown() override {
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Commits one version of chunk (db 1, table 1, path) and returns its cid.
  int64_t CommitVersion(const std::string& path, uint64_t rows, bool deleted,
                        std::string* chunk_id = nullptr) {
    auto txn = *catalog_->Begin();
    int64_t cid = *txn->AllocateCid(1000, "test");
    ChunkVersionRecord v;
    v.chunk_id = *txn->ChunkIdFor(1, 1, path);
    v.db_id = 1;
    v.table_id = 1;
    v.path = path;
    v.cid = cid;
    v.update_time_ms = 1000 + cid;
    v.rows = rows;
    v.deleted = deleted;
    if (!deleted) v.segments = {{"seg" + std::to_string(cid), 1, rows, 100}};
    EXPECT_TRUE(txn->InsertChunkVersion(v).ok());
    EXPECT_TRUE(txn->Commit().ok());
    if (chunk_id) *chunk_id = v.chunk_id;
    return cid;
  }

  std::string dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, RecordsRoundTrip) {
  DatabaseRecord db{0,
                    "dfs://compoDB",
                    nlohmann::json{{"type", "VALUE"}},
                    "OLAP",
                    "TRANS",
                    ChunkGranularity::kDatabase,
                    1,
                    0};
  TableRecord table{0,
                    0,
                    "pt",
                    "9m9",
                    Schema({{"ID", Type::kInt}, {"date", Type::kDate}, {"x", Type::kDouble}}),
                    {"date", "ID"},
                    1,
                    0};
  {
    auto txn = *catalog_->Begin();
    EXPECT_EQ(*txn->AllocateCid(5, "create"), 1);
    db.id = *txn->InsertDatabase(db);
    table.db_id = db.id;
    table.id = *txn->InsertTable(table);
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->LastCid(), 1);
  EXPECT_EQ(*catalog_->FindDatabase("dfs://compoDB", 1), db);
  EXPECT_FALSE(catalog_->FindDatabase("dfs://compoDB", 0)->has_value());  // not yet at cid 0
  EXPECT_EQ(*catalog_->FindTable(db.id, "pt", 1), table);
  EXPECT_EQ(catalog_->ListTables(db.id, 1)->size(), 1u);

  // Encode → decode → re-encode of the JSON columns.
  auto schema_json = SchemaToJson(table.schema);
  EXPECT_EQ(SchemaToJson(*SchemaFromJson(schema_json)), schema_json);
  std::vector<SegmentEntry> segments = {{"ab12", 3, 10, 200}, {"cd34", 3, 5, 90}};
  auto seg_json = SegmentsToJson(segments);
  EXPECT_EQ(*SegmentsFromJson(seg_json), segments);
  EXPECT_EQ(SegmentsToJson(*SegmentsFromJson(seg_json)), seg_json);
  EXPECT_FALSE(SchemaFromJson(nlohmann::json{{"x", 1}}).ok());
}

TEST_F(CatalogTest, UncommittedTransactionIsInvisibleAndRolledBack) {
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->AllocateCid(1, "abandoned").ok());
    DatabaseRecord db{
        0, "dfs://x", nlohmann::json::object(), "OLAP", "TRANS", ChunkGranularity::kTable, 1, 0};
    ASSERT_TRUE(txn->InsertDatabase(db).ok());
    EXPECT_FALSE(catalog_->FindDatabase("dfs://x", 100)->has_value());
  }  // destroyed without Commit
  EXPECT_EQ(*catalog_->LastCid(), 0);
  EXPECT_FALSE(catalog_->FindDatabase("dfs://x", 100)->has_value());
}

TEST_F(CatalogTest, SnapshotsSeeTheVersionOfTheirCid) {
  std::string chunk_id;
  int64_t c1 = CommitVersion("/a", 10, false, &chunk_id);
  int64_t c2 = CommitVersion("/a", 25, false);
  int64_t c3 = CommitVersion("/a", 0, true);
  auto at = [&](int64_t cid, bool deleted) {
    return *catalog_->ListChunkVersions({.db_id = 1, .as_of_cid = cid, .include_deleted = deleted});
  };
  EXPECT_EQ(at(c1, false).at(0).rows, 10u);
  EXPECT_EQ(at(c2, false).at(0).rows, 25u);
  EXPECT_TRUE(at(c3, false).empty());
  EXPECT_TRUE(at(c3, true).at(0).deleted);
  EXPECT_EQ(at(c3, true).at(0).chunk_id, chunk_id);
}

// Pruning keeps what pins see; segment_refs counts each segment's references as versions come
// and go, and a prune says which segments lost their last one.
TEST_F(CatalogTest, PruneKeepsPinnedVersionsOnly) {
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  std::string chunk_id;
  int64_t c1 = CommitVersion("/a", 10, false, &chunk_id);
  int64_t c2 = CommitVersion("/a", 20, false);
  CommitVersion("/a", 30, false);
  EXPECT_EQ(*catalog_->SegmentRefs(), (Counts{{"seg1", 1}, {"seg2", 1}, {"seg3", 1}}));
  std::vector<std::string> released;
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->PruneVersions({chunk_id}, {c2}, &released).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(released, std::vector<std::string>{"seg1"});
  EXPECT_TRUE(catalog_->ListChunkVersions({.db_id = 1, .as_of_cid = c1})->empty());
  EXPECT_EQ(catalog_->ListChunkVersions({.db_id = 1, .as_of_cid = c2})->at(0).rows, 20u);
  auto referenced = *catalog_->ReferencedSegmentIds();
  EXPECT_EQ(referenced, (std::vector<std::string>{"seg2", "seg3"}));
  EXPECT_EQ(*catalog_->SegmentRefs(), (Counts{{"seg2", 1}, {"seg3", 1}}));
  EXPECT_FALSE(*catalog_->SegmentReferenced("seg1"));
  EXPECT_TRUE(*catalog_->SegmentReferenced("seg2"));

  // A segment two versions share (another chunk's, here) stays until both are gone.
  {
    auto txn = *catalog_->Begin();
    int64_t cid = *txn->AllocateCid(1000, "share");
    ChunkVersionRecord v{*txn->ChunkIdFor(1, 1, "/b"), 1, 1, "/b", cid, 1000, 30, false,
                         {{"seg3", 1, 30, 100}}};
    ASSERT_TRUE(txn->InsertChunkVersion(v).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->SegmentRefs(), (Counts{{"seg2", 1}, {"seg3", 2}}));
  int64_t c5 = CommitVersion("/a", 0, true);
  released.clear();
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->PruneVersions({chunk_id}, {}, &released).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(released, std::vector<std::string>{"seg2"});
  EXPECT_EQ(
      catalog_->ListChunkVersions({.db_id = 1, .as_of_cid = c5, .include_deleted = true})->size(),
      1u);  // /b
  EXPECT_EQ(*catalog_->ReferencedSegmentIds(), std::vector<std::string>{"seg3"});
  EXPECT_EQ(*catalog_->SegmentRefs(), (Counts{{"seg3", 1}}));
}

// Every cached read answers from memory the second time, and sees each committed write of its
// area at once: the commit of the writing transaction makes the cached answers stale.
TEST_F(CatalogTest, CachedReadsSeeEveryCommit) {
  auto table_query = [] { return Catalog::ChunkQuery{.db_id = 1, .table_id = 1, .as_of_cid = 99}; };
  // Read first, so the answers are cached.
  EXPECT_EQ(*catalog_->LastCid(), 0);
  EXPECT_FALSE(catalog_->FindUser("bob")->has_value());
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
  EXPECT_FALSE(catalog_->FindDatabase("dfs://x", 99)->has_value());
  EXPECT_FALSE(catalog_->FindTable(1, "t", 99)->has_value());
  EXPECT_TRUE(catalog_->ListChunkVersions(table_query())->empty());

  int64_t cid = CommitVersion("/a", 10, false);
  EXPECT_EQ(*catalog_->LastCid(), cid);
  EXPECT_EQ(catalog_->ListChunkVersions(table_query())->at(0).rows, 10u);
  CommitVersion("/a", 20, false);
  EXPECT_EQ(catalog_->ListChunkVersions(table_query())->at(0).rows, 20u);
  EXPECT_EQ(catalog_->ListChunkVersions(table_query())->size(), 1u);  // a hit, same answer

  {
    auto txn = *catalog_->Begin();
    int64_t schema_cid = *txn->AllocateCid(2000, "schema");
    ASSERT_TRUE(txn->InsertDatabase({0, "dfs://x", nlohmann::json::object(), "OLAP", "TRANS",
                                     ChunkGranularity::kTable, schema_cid, 0})
                    .ok());
    TableRecord table;
    table.db_id = 1;
    table.name = "t";
    table.physical_index = "t1";
    table.created_cid = schema_cid;
    ASSERT_TRUE(txn->InsertTable(table).ok());
    ASSERT_TRUE(txn->UpsertUser({"bob", "salt", "hash", 1000, false}).ok());
    ASSERT_TRUE(txn->InsertGrant({"bob", "dfs://x", "DB_READ"}).ok());
    // Not visible before the commit, cached or not.
    EXPECT_FALSE(catalog_->FindUser("bob")->has_value());
    EXPECT_FALSE(catalog_->FindDatabase("dfs://x", 99)->has_value());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_TRUE(catalog_->FindDatabase("dfs://x", 99)->has_value());
  EXPECT_TRUE(catalog_->FindTable(1, "t", 99)->has_value());
  EXPECT_EQ((*catalog_->FindUser("bob"))->name, "bob");
  EXPECT_EQ(catalog_->ListGrants("bob")->size(), 1u);

  {
    auto txn = *catalog_->Begin();
    int64_t drop_cid = *txn->AllocateCid(3000, "drop");
    ASSERT_TRUE(txn->MarkTableDropped(1, drop_cid).ok());
    ASSERT_TRUE(txn->DeleteUser("bob").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_FALSE(catalog_->FindTable(1, "t", 99)->has_value());
  EXPECT_FALSE(catalog_->FindUser("bob")->has_value());
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());

  {  // A rolled-back transaction changes nothing, cached answers included.
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertUser({"carol", "salt", "hash", 1000, false}).ok());
  }
  EXPECT_FALSE(catalog_->FindUser("carol")->has_value());
}

// Readers on several threads while commits land: no reader ever sees the newest cid go back,
// and once the writer is done every reader sees its last commit (run under ThreadSanitizer too).
TEST_F(CatalogTest, CachedReadsUnderConcurrentCommits) {
  constexpr int kCommits = 200;
  std::atomic<bool> done{false};
  std::atomic<int> regressions{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      int64_t seen = 0;
      while (!done.load()) {
        int64_t cid = *catalog_->LastCid();
        if (cid < seen) regressions.fetch_add(1);
        seen = cid;
        auto versions = catalog_->ListChunkVersions(
            {.db_id = 1, .table_id = 1, .as_of_cid = cid, .include_deleted = false});
        if (!versions.ok() || (cid > 0 && versions->empty())) regressions.fetch_add(1);
      }
    });
  }
  int64_t last = 0;
  for (int i = 0; i < kCommits; ++i)
    last = CommitVersion("/a", static_cast<uint64_t>(i + 1), false);
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(regressions.load(), 0);
  EXPECT_EQ(*catalog_->LastCid(), last);
  EXPECT_EQ(catalog_->ListChunkVersions({.db_id = 1, .table_id = 1, .as_of_cid = last})->at(0).rows,
            static_cast<uint64_t>(kCommits));
}

TEST_F(CatalogTest, UsersAndSettings) {
  UserRecord admin{"admin", "salt", "hash", 1000, true};
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertUser(admin).ok());
    ASSERT_TRUE(txn->SetSetting("k", "v").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->FindUser("admin"), admin);
  EXPECT_EQ(**catalog_->GetSetting("k"), "v");
  EXPECT_EQ(**catalog_->GetSetting("format_version"), "7");
}

TEST_F(CatalogTest, GrantsRoundTripAndAreIdempotent) {
  GrantRecord read{"bob", "dfs://b", "DB_READ"};
  GrantRecord write{"bob", "dfs://a", "DB_WRITE"};
  GrantRecord other{"carol", "dfs://a", "DB_READ"};
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->InsertGrant(read).ok());
    ASSERT_TRUE(txn->InsertGrant(write).ok());
    ASSERT_TRUE(txn->InsertGrant(read).ok());  // idempotent
    ASSERT_TRUE(txn->InsertGrant(other).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  // Ordered by database, then access; only the named user's.
  EXPECT_EQ(*catalog_->ListGrants("bob"), (std::vector<GrantRecord>{write, read}));
  EXPECT_EQ(*catalog_->ListGrants("carol"), (std::vector<GrantRecord>{other}));
  EXPECT_TRUE(catalog_->ListGrants("nobody")->empty());
  EXPECT_TRUE(catalog_->ListGrants("")->empty());
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->DeleteGrant(write).ok());
    ASSERT_TRUE(txn->DeleteGrant(write).ok());  // deleting a missing grant is not an error
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->ListGrants("bob"), (std::vector<GrantRecord>{read}));
}

TEST_F(CatalogTest, GrantsSurviveReopening) {
  GrantRecord grant{"bob", "dfs://a", "DB_READ"};
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->InsertGrant(grant).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  catalog_.reset();
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  catalog_ = std::move(*reopened);
  EXPECT_EQ(*catalog_->ListGrants("bob"), (std::vector<GrantRecord>{grant}));
}

TEST_F(CatalogTest, DeletingAUserDeletesTheirGrants) {
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertUser({"bob", "salt", "hash", 1000, false}).ok());
    ASSERT_TRUE(txn->UpsertUser({"carol", "salt", "hash", 1000, false}).ok());
    ASSERT_TRUE(txn->InsertGrant({"bob", "dfs://a", "DB_READ"}).ok());
    ASSERT_TRUE(txn->InsertGrant({"bob", "dfs://b", "DB_WRITE"}).ok());
    ASSERT_TRUE(txn->InsertGrant({"carol", "dfs://a", "DB_READ"}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->DeleteUser("bob").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_FALSE(catalog_->FindUser("bob")->has_value());
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
  // A user of the same name created later starts without grants; others keep theirs.
  EXPECT_EQ(catalog_->ListGrants("carol")->size(), 1u);
}

JobRecord MakeJob(std::string id, int64_t start_ms) {
  JobRecord job;
  job.id = std::move(id);
  job.kind = "BACKUP_BY_COPY_FILE";
  job.user = "admin";
  job.database = "dfs://compoDB";
  job.table = "pt,pt2";
  job.label = "nightly";
  job.state = "running";
  job.start_ms = start_ms;
  job.total_units = 10;
  job.total_bytes = 1 << 20;
  return job;
}

TEST_F(CatalogTest, JobsRoundTripUpsertAndOrder) {
  JobRecord late = MakeJob("a-late", 3000);
  JobRecord first = MakeJob("z-first", 1000);
  JobRecord tie_b = MakeJob("b", 2000);
  JobRecord tie_a = MakeJob("a", 2000);
  {
    auto txn = *catalog_->Begin();
    for (const auto* job : {&late, &first, &tie_b, &tie_a}) {
      ASSERT_TRUE(txn->UpsertJob(*job).ok());
    }
    ASSERT_TRUE(txn->Commit().ok());
  }
  // Ordered by start_ms, then id.
  EXPECT_EQ(*catalog_->ListJobs(), (std::vector<JobRecord>{first, tie_a, tie_b, late}));
  EXPECT_EQ(**catalog_->FindJob("b"), tie_b);
  EXPECT_FALSE(catalog_->FindJob("nope")->has_value());

  // Upsert replaces every field of the record with the same id.
  JobRecord done = tie_b;
  done.state = "failed";
  done.end_ms = 2500;
  done.done_units = 4;
  done.done_bytes = 12345;
  done.error = "object store unreachable";
  done.result = R"({"files":4})";
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertJob(done).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(**catalog_->FindJob("b"), done);
  EXPECT_EQ(catalog_->ListJobs()->size(), 4u);
}

TEST_F(CatalogTest, JobsSurviveReopening) {
  JobRecord job = MakeJob("j1", 1000);
  job.state = "finished";
  job.end_ms = 2000;
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertJob(job).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  catalog_.reset();
  catalog_ = std::move(*Catalog::Open(dir_ + "/catalog.sqlite"));
  EXPECT_EQ(*catalog_->ListJobs(), (std::vector<JobRecord>{job}));
}

TEST_F(CatalogTest, UncommittedGrantsAndJobsAreRolledBack) {
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->InsertGrant({"bob", "dfs://a", "DB_READ"}).ok());
    ASSERT_TRUE(txn->UpsertJob(MakeJob("j1", 1000)).ok());
  }  // destroyed without Commit
  EXPECT_TRUE(catalog_->ListGrants("bob")->empty());
  EXPECT_TRUE(catalog_->ListJobs()->empty());
}

// A table's own layout is versioned: a snapshot sees the layout of its cid, and a layout that
// a newer one replaced goes once no pin predates the newer one.
TEST_F(CatalogTest, TableLayoutsAreVersionedByCid) {
  DatabaseRecord db{
      0, "dfs://shop", nlohmann::json::object(), "OLAP", "TRANS", ChunkGranularity::kTable, 1, 0};
  TableRecord table{0, 0, "t", "a1", Schema({{"k", Type::kInt}}), {"k"}, 1, 0};
  table.scheme = nlohmann::json{{"v", 1}};
  table.definition = nlohmann::json{{"sql", "INT"}};
  {
    auto txn = *catalog_->Begin();
    ASSERT_EQ(*txn->AllocateCid(1, "create"), 1);
    table.db_id = *txn->InsertDatabase(db);
    table.id = *txn->InsertTable(table);
    ASSERT_TRUE(txn->Commit().ok());
  }
  {
    auto txn = *catalog_->Begin();
    ASSERT_EQ(*txn->AllocateCid(2, "alter"), 2);
    ASSERT_TRUE(txn->SetTableLayout(table.id, 2, {{"v", 2}}, table.definition).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->FindTable(table.db_id, "t", 1), table);
  EXPECT_EQ((*catalog_->FindTable(table.db_id, "t", 2))->scheme, (nlohmann::json{{"v", 2}}));
  EXPECT_EQ((*catalog_->ListTables(table.db_id, 2))[0].scheme, (nlohmann::json{{"v", 2}}));
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->PruneVersions({}, {1}).ok());  // a pin at cid 1 keeps the first layout
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ((*catalog_->FindTable(table.db_id, "t", 1))->scheme, table.scheme);
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->PruneVersions({}, {}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_TRUE((*catalog_->FindTable(table.db_id, "t", 1))->scheme.is_null());
  EXPECT_EQ((*catalog_->FindTable(table.db_id, "t", 2))->scheme, (nlohmann::json{{"v", 2}}));
  // A script-made table has no layout.
  TableRecord plain{0, table.db_id, "plain", "a2", Schema({{"k", Type::kInt}}), {}, 3, 0};
  {
    auto txn = *catalog_->Begin();
    ASSERT_EQ(*txn->AllocateCid(3, "create"), 3);
    plain.id = *txn->InsertTable(plain);
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->FindTable(table.db_id, "plain", 3), plain);
}

TEST_F(CatalogTest, RepositoriesRoundTripAndNamesAreUnique) {
  RepositoryRecord repo{0,    "repo",
                        "S3", "s3://bucket/prefix",
                        true, {{"s3.endpoint", "http://127.0.0.1:9000"}, {"s3.secret_key", "k"}},
                        12345};
  {
    auto txn = *catalog_->Begin();
    auto id = txn->InsertRepository(repo);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    repo.id = *id;
    auto again = txn->InsertRepository(repo);
    ASSERT_EQ(again.status().code(), StatusCode::kAlreadyExists);
    EXPECT_NE(again.status().message().find("'repo'"), std::string::npos);
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->FindRepository("repo"), repo);
  EXPECT_EQ(*catalog_->ListRepositories(), (std::vector<RepositoryRecord>{repo}));
  EXPECT_FALSE(catalog_->FindRepository("other")->has_value());
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->DeleteRepository("repo").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_TRUE(catalog_->ListRepositories()->empty());
}

TEST_F(CatalogTest, SchedulesRoundTripAndSurviveReopening) {
  ScheduleRecord daily{
      "dailyBackup", "admin", "backup compoDB", "backupJob", {5, 720}, 20429, 22280, "D", {},
      1000,          0};
  ScheduleRecord weekly{"weekly", "bob", "w", "f", {0}, 20429, 20500, "W", {1, 3, 5}, 2000, 99};
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertSchedule(weekly).ok());
    ASSERT_TRUE(txn->UpsertSchedule(daily).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*catalog_->ListSchedules(), (std::vector<ScheduleRecord>{daily, weekly}));
  daily.last_slot_ms = 1765065900000;  // a run: the record is replaced
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertSchedule(daily).ok());
    ASSERT_TRUE(txn->DeleteSchedule("weekly").ok());
    ASSERT_TRUE(txn->DeleteSchedule("nosuch").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  catalog_.reset();
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(*(*reopened)->ListSchedules(), (std::vector<ScheduleRecord>{daily}));
}

// A version-1 catalog (before table layouts) opens and is upgraded to the current version.
TEST_F(CatalogTest, UpgradesAVersionOneCatalog) {
  catalog_.reset();
  {
    auto raw = SqliteDb::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)
                    ->Exec("DROP TABLE table_layouts; DROP TABLE repositories; "
                           "ALTER TABLE jobs DROP COLUMN details; ALTER TABLE jobs DROP COLUMN "
                           "table_progress; ALTER TABLE users DROP "
                           "COLUMN native_verifier; UPDATE settings "
                           "SET value = '1' WHERE key = 'format_version'")
                    .ok());
  }
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  catalog_ = std::move(*reopened);
  EXPECT_EQ(**catalog_->GetSetting("format_version"), "7");
  auto txn = *catalog_->Begin();
  EXPECT_TRUE(txn->SetTableLayout(1, 1, {{"v", 1}}, nullptr).ok());
  JobRecord job;
  job.id = "j1";
  job.details = R"({"repository":"repo"})";
  job.table_progress = R"([["pt",10,4]])";
  ASSERT_TRUE(txn->UpsertJob(job).ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(*catalog_->FindJob("j1"), job);
}

// The chunks changed after a cid come each at its version as of the query (deletions too,
// when asked for); deletions are logged (and stay logged when a prune forgets the chunk); a
// dropped table moves its database's removed_cid.
TEST_F(CatalogTest, ChangedSinceAndRemovals) {
  int64_t table_id = 0;
  {
    auto txn = *catalog_->Begin();
    int64_t cid = *txn->AllocateCid(1000, "schema");
    ASSERT_EQ(*txn->InsertDatabase({0, "dfs://x", nlohmann::json::object(), "OLAP", "TRANS",
                                    ChunkGranularity::kTable, cid, 0}),
              1);
    TableRecord table;
    table.db_id = 1;
    table.name = "t";
    table.physical_index = "t1";
    table.created_cid = cid;
    table_id = *txn->InsertTable(table);
    ASSERT_TRUE(txn->Commit().ok());
  }
  int64_t a1 = CommitVersion("/a", 10, false);
  int64_t b1 = CommitVersion("/b", 11, false);
  int64_t a2 = CommitVersion("/a", 20, false);
  CommitVersion("/c", 30, false);  // later than every query below
  auto since = [&](int64_t after, int64_t as_of) {
    std::vector<std::pair<std::string, uint64_t>> out;
    auto chunks = catalog_->ListChunkVersionsChangedSince(
        {.db_id = 1, .as_of_cid = as_of, .include_deleted = true}, after);
    EXPECT_TRUE(chunks.ok()) << chunks.status().ToString();
    for (const auto& c : *chunks) out.emplace_back(c.path, c.deleted ? 999 : c.rows);
    return out;
  };
  using Changes = std::vector<std::pair<std::string, uint64_t>>;
  EXPECT_EQ(since(b1, a2), (Changes{{"/a", 20}}));
  EXPECT_EQ(since(a1, a2), (Changes{{"/a", 20}, {"/b", 11}}));
  EXPECT_EQ(since(a1, b1), (Changes{{"/b", 11}}));  // a2 is newer than the query
  EXPECT_EQ(since(0, b1), (Changes{{"/a", 10}, {"/b", 11}}));
  EXPECT_EQ(since(a2, a2), Changes{});
  EXPECT_EQ((*catalog_->FindDatabase("dfs://x", a2))->removed_cid, 0);

  int64_t b2 = CommitVersion("/b", 0, true);
  EXPECT_EQ(since(a2 + 1, b2), (Changes{{"/b", 999}}));
  EXPECT_EQ((*catalog_->FindDatabase("dfs://x", b2))->removed_cid, 0);
  std::string b_id =
      catalog_->ListChunkVersions({.db_id = 1, .as_of_cid = b2, .include_deleted = true})
          ->at(1)
          .chunk_id;
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->PruneVersions({b_id}, {}).ok());  // forgets /b
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(since(a2 + 1, b2), Changes{});
  auto removals = *catalog_->ListChunkRemovals(1, a2, b2);
  ASSERT_EQ(removals.size(), 1u);
  EXPECT_EQ(removals[0].table_id, 1);
  EXPECT_EQ(removals[0].path, "/b");
  EXPECT_EQ(removals[0].cid, b2);
  EXPECT_TRUE(catalog_->ListChunkRemovals(1, b2, b2 + 10)->empty());
  int64_t dropped = 0;
  {
    auto txn = *catalog_->Begin();
    dropped = *txn->AllocateCid(2000, "drop table");
    ASSERT_TRUE(txn->MarkTableDropped(table_id, dropped).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ((*catalog_->FindDatabase("dfs://x", dropped))->removed_cid, dropped);
  EXPECT_EQ(*catalog_->CommitTimeMs(dropped), 2000);
  EXPECT_EQ(catalog_->CommitTimeMs(dropped + 1).status().code(), StatusCode::kNotFound);
}

// A version-4 catalog gains databases.removed_cid, set to its newest cid (removals before
// were not recorded), and a data directory id that stays across openings.
TEST_F(CatalogTest, UpgradesAVersionFourCatalog) {
  int64_t last = 0;
  {
    auto txn = *catalog_->Begin();
    last = *txn->AllocateCid(1000, "schema");
    ASSERT_TRUE(txn->InsertDatabase({0, "dfs://x", nlohmann::json::object(), "OLAP", "TRANS",
                                     ChunkGranularity::kTable, last, 0})
                    .ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  const std::string id = **catalog_->GetSetting("data_directory_id");
  EXPECT_EQ(id.size(), 36u);
  catalog_.reset();
  {
    auto raw = SqliteDb::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)
                    ->Exec("DROP INDEX chunk_versions_by_cid; "
                           "ALTER TABLE databases DROP COLUMN removed_cid; DELETE FROM settings "
                           "WHERE key = 'data_directory_id'; UPDATE settings SET value = '4' "
                           "WHERE key = 'format_version'")
                    .ok());
  }
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  catalog_ = std::move(*reopened);
  EXPECT_EQ(**catalog_->GetSetting("format_version"), "7");
  EXPECT_EQ((*catalog_->FindDatabase("dfs://x", last))->removed_cid, last);
  const std::string upgraded_id = **catalog_->GetSetting("data_directory_id");
  EXPECT_NE(upgraded_id, id);
  catalog_.reset();
  catalog_ = std::move(*Catalog::Open(dir_ + "/catalog.sqlite"));
  EXPECT_EQ(**catalog_->GetSetting("data_directory_id"), upgraded_id);
}

// A version-5 catalog gains segment_refs, counted from its versions.
TEST_F(CatalogTest, UpgradesAVersionFiveCatalog) {
  CommitVersion("/a", 10, false);
  CommitVersion("/b", 10, false);
  catalog_.reset();
  {
    auto raw = SqliteDb::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)
                    ->Exec("DROP TABLE segment_refs; UPDATE settings SET value = '5' WHERE "
                           "key = 'format_version'")
                    .ok());
  }
  catalog_ = std::move(*Catalog::Open(dir_ + "/catalog.sqlite"));
  EXPECT_EQ(**catalog_->GetSetting("format_version"), "7");
  EXPECT_EQ(*catalog_->SegmentRefs(),
            (std::vector<std::pair<std::string, int64_t>>{{"seg1", 1}, {"seg2", 1}}));
}

// A catalog of a newer format is refused, naming both versions.
TEST_F(CatalogTest, RefusesANewerFormat) {
  catalog_.reset();
  {
    auto raw = SqliteDb::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)->Exec("UPDATE settings SET value = '8' WHERE key = 'format_version'").ok());
  }
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.status().message().find("format version 8"), std::string::npos);
}

// A version-2 catalog gains users.native_verifier; its users keep their records, with an
// empty verifier until their password is next checked.
TEST_F(CatalogTest, UpgradesAVersionTwoCatalog) {
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertUser(UserRecord{"bob", "salt", "hash", 7, false, ""}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  catalog_.reset();
  {
    auto raw = SqliteDb::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)
                    ->Exec("ALTER TABLE users DROP COLUMN native_verifier; UPDATE settings "
                           "SET value = '2' WHERE key = 'format_version'")
                    .ok());
  }
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  catalog_ = std::move(*reopened);
  EXPECT_EQ(**catalog_->GetSetting("format_version"), "7");
  auto bob = *catalog_->FindUser("bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->hash, "hash");
  EXPECT_EQ(bob->native_verifier, "");
}

// A data directory made before grants and jobs existed (format 1 without those tables) still
// opens, and gains them.
TEST_F(CatalogTest, OpensACatalogMadeBeforeGrantsAndJobs) {
  {
    auto txn = *catalog_->Begin();
    ASSERT_TRUE(txn->UpsertUser({"admin", "salt", "hash", 1000, true}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  catalog_.reset();
  {
    auto raw = SqliteDb::Open(dir_ + "/catalog.sqlite");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)->Exec("DROP INDEX jobs_by_start; DROP TABLE jobs; DROP TABLE grants").ok());
  }
  auto reopened = Catalog::Open(dir_ + "/catalog.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  catalog_ = std::move(*reopened);
  EXPECT_TRUE(catalog_->FindUser("admin")->has_value());
  EXPECT_TRUE(catalog_->ListGrants("admin")->empty());
  EXPECT_TRUE(catalog_->ListJobs()->empty());
  auto txn = *catalog_->Begin();
  ASSERT_TRUE(txn->InsertGrant({"admin", "dfs://a", "DB_READ"}).ok());
  ASSERT_TRUE(txn->UpsertJob(MakeJob("j1", 1)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(catalog_->ListGrants("admin")->size(), 1u);
  EXPECT_EQ(**catalog_->GetSetting("format_version"), "7");
}

}  // namespace
}  // namespace strata
