#include "engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "types/temporal.h"

namespace strata {
namespace {

Value DateVector(const std::vector<std::string>& texts) {
  Column c(Type::kDate);
  for (const auto& t : texts) c.Append(*ParseTemporal(t));
  return Value::Vector(std::move(c));
}

Value IntVector(const std::vector<int32_t>& values) {
  Column c(Type::kInt);
  for (int32_t v : values) c.Append(Scalar::Int(Type::kInt, v));
  return Value::Vector(std::move(c));
}

// Rows (ID, date, x) with ID = i % 100, date cycling over 2017.08.07..11, x = i.
Table MakeRows(size_t n, int id_offset = 0) {
  Column id(Type::kInt), date(Type::kDate), x(Type::kDouble);
  int64_t base = ParseTemporal("2017.08.07")->int_value();
  for (size_t i = 0; i < n; ++i) {
    id.Append(Scalar::Int(Type::kInt, static_cast<int64_t>(i % 100) + id_offset));
    date.Append(Scalar::Int(Type::kDate, base + static_cast<int64_t>(i % 5)));
    x.Append(Scalar::Float(Type::kDouble, static_cast<double>(i)));
  }
  return Table(Schema({{"ID", Type::kInt}, {"date", Type::kDate}, {"x", Type::kDouble}}),
               {std::make_shared<const Column>(std::move(id)),
                std::make_shared<const Column>(std::move(date)),
                std::make_shared<const Column>(std::move(x))});
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_engine_test");
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    engine_.reset();
    auto engine = Engine::Open(dir_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
  }
  void CreateCompoDb() {
    auto dates = PartitionScheme::Make(
        PartitionType::kValue,
        DateVector({"2017.08.07", "2017.08.08", "2017.08.09", "2017.08.10", "2017.08.11"}));
    auto ids = PartitionScheme::Make(PartitionType::kRange, IntVector({0, 50, 100}));
    ASSERT_TRUE(dates.ok() && ids.ok());
    std::vector<std::unique_ptr<PartitionScheme>> levels;
    levels.push_back(std::move(*dates));
    levels.push_back(std::move(*ids));
    auto compo = PartitionScheme::MakeCompo(std::move(levels));
    ASSERT_TRUE(compo.ok()) << compo.status().ToString();
    auto db = engine_->CreateDatabase("dfs://compoDB", **compo, {});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    auto existing = engine_->GetTable(*engine_->PinLatest(), "dfs://compoDB", "pt");
    if (existing.ok()) return;
    auto table = engine_->CreateTable("dfs://compoDB", "pt", MakeRows(0).schema(), {"date", "ID"});
    ASSERT_TRUE(table.ok()) << table.status().ToString();
  }
  uint64_t CountRows(const Snapshot& snapshot) {
    auto ref = engine_->GetTable(snapshot, "dfs://compoDB", "pt");
    EXPECT_TRUE(ref.ok());
    uint64_t rows = 0;
    auto chunks = engine_->ListChunks(snapshot, *ref);
    EXPECT_TRUE(chunks.ok());
    for (const auto& chunk : *chunks) {
      auto data = engine_->ReadChunk(chunk, ref->table);
      EXPECT_TRUE(data.ok()) << data.status().ToString();
      EXPECT_EQ(data->rows(), chunk.rows);
      rows += data->rows();
    }
    return rows;
  }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, AppendsSplitIntoPartitionsAndPersist) {
  CreateCompoDb();
  ASSERT_EQ(*engine_->Append("dfs://compoDB", "pt", MakeRows(1000)), 1000u);
  auto pin = engine_->PinLatest();
  auto ref = *engine_->GetTable(*pin, "dfs://compoDB", "pt");
  auto chunks = *engine_->ListChunks(*pin, ref);
  ASSERT_EQ(chunks.size(), 10u);
  EXPECT_EQ(chunks[0].path, "/20170807/0_50");
  EXPECT_EQ(chunks[9].path, "/20170811/50_100");
  EXPECT_EQ(CountRows(*pin), 1000u);
  pin.reset();

  Reopen();
  EXPECT_EQ(CountRows(*engine_->PinLatest()), 1000u);
}

TEST_F(EngineTest, RejectedAppendWritesNothing) {
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(100)).ok());
  int64_t cid_before = *engine_->catalog().LastCid();
  auto segments_before = *engine_->segments().ListIds();
  auto bad = engine_->Append("dfs://compoDB", "pt", MakeRows(100, /*id_offset=*/50));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("fits no partition"), std::string::npos)
      << bad.status().message();
  EXPECT_EQ(*engine_->catalog().LastCid(), cid_before);
  EXPECT_EQ(CountRows(*engine_->PinLatest()), 100u);
  Reopen();  // the open sweeps orphan segments, if any were written
  EXPECT_EQ(*engine_->segments().ListIds(), segments_before);
}

// update's commit: chunks rewritten at once, pinned snapshots keep the old rows, and a chunk
// that changed after it was read refuses the whole rewrite.
TEST_F(EngineTest, RewriteChunksReplacesRowsInOneCommitUnlessAChunkChanged) {
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(1000)).ok());
  auto before = engine_->PinLatest();
  auto ref = *engine_->GetTable(*before, "dfs://compoDB", "pt");
  auto chunks = *engine_->ListChunks(*before, ref);
  ASSERT_EQ(chunks.size(), 10u);
  // The first two partitions, each with its x doubled.
  std::vector<ChunkRewrite> rewrites;
  for (size_t k = 0; k < 2; ++k) {
    Table rows = *engine_->ReadChunk(chunks[k], ref.table);
    Column doubled(Type::kDouble);
    for (size_t r = 0; r < rows.rows(); ++r) {
      doubled.Append(Scalar::Float(Type::kDouble, rows.column(2)->Get(r).float_value() * 2));
    }
    std::vector<ColumnPtr> columns = rows.columns();
    columns[2] = std::make_shared<const Column>(std::move(doubled));
    rewrites.push_back({chunks[k].path, chunks[k].cid, Table(rows.schema(), columns)});
  }
  int64_t cid_before = *engine_->catalog().LastCid();
  ASSERT_EQ(*engine_->RewriteChunks("dfs://compoDB", "pt", rewrites), 200u);
  EXPECT_EQ(*engine_->catalog().LastCid(), cid_before + 1);
  auto after = engine_->PinLatest();
  auto now = *engine_->ListChunks(*after, ref);
  auto sum_x = [&](const ChunkVersionRecord& chunk) {
    Table rows = *engine_->ReadChunk(chunk, ref.table);
    double sum = 0;
    for (size_t r = 0; r < rows.rows(); ++r) sum += rows.column(2)->Get(r).float_value();
    return sum;
  };
  for (size_t k = 0; k < 10; ++k) {
    double old_sum = sum_x(chunks[k]);  // read at the pinned snapshot: the old rows
    EXPECT_EQ(sum_x(now[k]), k < 2 ? 2 * old_sum : old_sum) << now[k].path;
    EXPECT_EQ(now[k].rows, 100u);
  }
  // The same rewrites again: their chunks changed since read_cid, so nothing is written.
  cid_before = *engine_->catalog().LastCid();
  auto stale = engine_->RewriteChunks("dfs://compoDB", "pt", rewrites);
  ASSERT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.status().message().find("changed while the statement ran"), std::string::npos)
      << stale.status().message();
  EXPECT_EQ(*engine_->catalog().LastCid(), cid_before);
  // Rows that do not fit the schema refuse the rewrite.
  ChunkRewrite bad{now[2].path, now[2].cid, MakeRows(3).Slice(0, 3)};
  bad.rows = Table(Schema({{"only", Type::kInt}}), {bad.rows.column(0)});
  EXPECT_FALSE(engine_->RewriteChunks("dfs://compoDB", "pt", {bad}).ok());
  EXPECT_EQ(*engine_->catalog().LastCid(), cid_before);
  EXPECT_EQ(CountRows(*engine_->PinLatest()), 1000u);
}

TEST_F(EngineTest, SnapshotKeepsItsImageWhileWritersGoOn) {
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(500)).ok());
  auto pinned = engine_->PinLatest();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(300)).ok());
  ASSERT_TRUE(engine_->DropPartitions("dfs://compoDB", {"/20170807/0_50"}, "pt").ok());
  ASSERT_TRUE(engine_->CollectGarbage().ok());
  EXPECT_EQ(CountRows(*pinned), 500u);
  EXPECT_EQ(CountRows(*engine_->PinLatest()), 800u - 80u);
  pinned.reset();
  ASSERT_TRUE(engine_->CollectGarbage().ok());
  EXPECT_EQ(CountRows(*engine_->PinLatest()), 720u);
}

TEST_F(EngineTest, DropTableAndDatabaseRemoveSegments) {
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(200)).ok());
  EXPECT_FALSE(engine_->segments().ListIds()->empty());
  ASSERT_TRUE(engine_->DropTable("dfs://compoDB", "pt").ok());
  EXPECT_TRUE(engine_->segments().ListIds()->empty());
  EXPECT_FALSE(engine_->GetTable(*engine_->PinLatest(), "dfs://compoDB", "pt").ok());
  ASSERT_TRUE(engine_->DropDatabase("dfs://compoDB").ok());
  EXPECT_FALSE(engine_->GetDatabase(*engine_->PinLatest(), "dfs://compoDB").ok());
  CreateCompoDb();  // the name is free again
}

TEST_F(EngineTest, SecondOpenOfTheSameDirectoryIsRefused) {
  auto second = Engine::Open(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use by another strata process"), std::string::npos);
}

TEST_F(EngineTest, ReopeningAfterValuePartitionsGrewIsAllowed) {
  CreateCompoDb();
  Table rows = MakeRows(1);
  Column late(Type::kDate);
  late.Append(*ParseTemporal("2017.08.12"));  // not in the VALUE scheme: adds a partition
  Table grown(rows.schema(),
              {rows.column(0), std::make_shared<const Column>(std::move(late)), rows.column(2)});
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", grown).ok());
  CreateCompoDb();  // the same database(...) call as at creation still opens it
}

TEST_F(EngineTest, ExistingDatabaseWithOtherSchemeIsAnError) {
  CreateCompoDb();
  auto other = PartitionScheme::Make(PartitionType::kRange, IntVector({0, 10}));
  ASSERT_TRUE(other.ok());
  auto result = engine_->CreateDatabase("dfs://compoDB", **other, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kAlreadyExists);
}

// Restore's path: stage the segments of every chunk of dfs://compoDB/pt, then install them
// into a new database in one commit.
TEST_F(EngineTest, InstallCreatesReplacesAppendsAndDropsInOneCommit) {
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(1000)).ok());
  auto pin = engine_->PinLatest();
  auto source = *engine_->GetTable(*pin, "dfs://compoDB", "pt");
  auto chunks = *engine_->ListChunks(*pin, source);
  pin.reset();
  auto reservation = *engine_->ReserveSegments();
  InstallRequest request;
  request.database = "dfs://copyDB";
  request.create_scheme = source.db.scheme;
  request.create_missing_tables = true;
  request.description = "test install";
  InstallTable table{"pt", source.table.schema, source.table.partition_columns, {}, {}};
  for (const auto& chunk : chunks) {
    InstallChunk install{chunk.path, {}, false};
    for (const auto& s : chunk.segments) {
      auto bytes = engine_->segments().ReadBytes(s.id);
      ASSERT_TRUE(bytes.ok());
      if (!engine_->HasSegment(*reservation, s.id)) {
        ASSERT_TRUE(engine_->StageSegment(*reservation, s.id, *bytes).ok());
      }
      install.segments.push_back({s.id, s.rows, s.size_bytes});
    }
    table.chunks.push_back(std::move(install));
  }
  request.tables.push_back(table);
  int64_t cid_before = *engine_->catalog().LastCid();
  auto installed = engine_->Install(request, std::move(reservation));
  ASSERT_TRUE(installed.ok()) << installed.status().ToString();
  EXPECT_EQ(installed->cid, cid_before + 1);
  ASSERT_EQ(installed->chunks.size(), 10u);
  EXPECT_EQ(installed->chunks[0].path, "/20170807/0_50");

  auto count = [&](const char* db) {
    auto snapshot = engine_->PinLatest();
    auto ref = engine_->GetTable(*snapshot, db, "pt");
    EXPECT_TRUE(ref.ok()) << ref.status().ToString();
    uint64_t rows = 0;
    auto listed = engine_->ListChunks(*snapshot, *ref);
    EXPECT_TRUE(listed.ok());
    for (const auto& c : *listed) rows += c.rows;
    return rows;
  };
  EXPECT_EQ(count("dfs://copyDB"), 1000u);

  // Append mode adds the rows again; replace mode puts them back; drop removes a chunk.
  request.create_scheme.reset();
  request.tables[0].chunks.resize(1);
  request.tables[0].chunks[0].append = true;
  ASSERT_TRUE(engine_->Install(request, *engine_->ReserveSegments()).ok());
  EXPECT_EQ(count("dfs://copyDB"), 1000u + chunks[0].rows);
  request.tables[0].chunks[0].append = false;
  request.tables[0].drop_paths = {chunks[1].path};
  ASSERT_TRUE(engine_->Install(request, *engine_->ReserveSegments()).ok());
  EXPECT_EQ(count("dfs://copyDB"), 1000u - chunks[1].rows);

  // A path the scheme cannot hold, or a table with another schema: nothing changes.
  int64_t cid = *engine_->catalog().LastCid();
  auto bad_path = request;
  bad_path.tables[0].drop_paths.clear();
  bad_path.tables[0].chunks[0].path = "/20170807/0_100";
  auto refused = engine_->Install(bad_path, *engine_->ReserveSegments());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("0_100"), std::string::npos);
  auto bad_schema = request;
  bad_schema.tables[0].schema =
      Schema({{"ID", Type::kLong}, {"date", Type::kDate}, {"x", Type::kDouble}});
  refused = engine_->Install(bad_schema, *engine_->ReserveSegments());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("LONG"), std::string::npos)
      << refused.status().message();
  // A database or table that is missing and may not be created: a neutral remedy says so.
  auto no_database = request;
  no_database.database = "dfs://missingDB";
  refused = engine_->Install(no_database, *engine_->ReserveSegments());
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(refused.status().remedy(), (Remedy{RemedyKind::kCreateDatabase, {"dfs://missingDB"}}));
  auto no_table = request;
  no_table.create_missing_tables = false;
  no_table.tables[0].name = "missing";
  refused = engine_->Install(no_table, *engine_->ReserveSegments());
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(refused.status().remedy(),
            (Remedy{RemedyKind::kCreateTable, {"dfs://copyDB", "missing"}}));
  EXPECT_EQ(*engine_->catalog().LastCid(), cid);

  // A new VALUE is admitted into the scheme.
  auto grown = request;
  grown.tables[0].drop_paths.clear();
  grown.tables[0].chunks[0].path = "/20170901/0_50";
  ASSERT_TRUE(engine_->Install(grown, *engine_->ReserveSegments()).ok());
  auto db = *engine_->GetDatabase(*engine_->PinLatest(), "dfs://copyDB");
  EXPECT_NE(db.scheme.dump().find("2017.09.01"), std::string::npos) << db.scheme.dump();
}

// A table with a partition scheme of its own (a Doris table) is split, altered, pinned and
// restored by that scheme, not its database's.
TEST_F(EngineTest, ATableWithItsOwnSchemeIsLaidOutByIt) {
  CreateCompoDb();
  auto own = PartitionScheme::Make(PartitionType::kRange, IntVector({0, 50, 100}));
  ASSERT_TRUE(own.ok());
  TableOptions options{own->get(), nlohmann::json{{"model", "DUPLICATE"}}};
  auto created = engine_->CreateTable("dfs://compoDB", "t", MakeRows(0).schema(), {"ID"}, options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->table.scheme, (*own)->ToJson());
  ASSERT_EQ(*engine_->Append("dfs://compoDB", "t", MakeRows(100)), 100u);
  auto pinned = engine_->PinLatest();
  auto ref = *engine_->GetTable(*pinned, "dfs://compoDB", "t");
  EXPECT_EQ(ref.table.definition, options.definition);
  auto chunks = *engine_->ListChunks(*pinned, ref);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].path, "/0_50");

  // Narrowing the scheme drops the chunks it no longer holds, in one commit; the pin keeps both.
  auto narrow = PartitionScheme::Make(PartitionType::kRange, IntVector({0, 50}));
  ASSERT_TRUE(narrow.ok());
  auto dropped = engine_->AlterTablePartitions("dfs://compoDB", "t", **narrow);
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(*dropped, 1u);
  auto latest = *engine_->GetTable(*engine_->PinLatest(), "dfs://compoDB", "t");
  EXPECT_EQ(latest.table.scheme, (*narrow)->ToJson());
  EXPECT_EQ(engine_->ListChunks(*engine_->PinLatest(), latest)->size(), 1u);
  EXPECT_EQ((*engine_->GetTable(*pinned, "dfs://compoDB", "t")).table.scheme, (*own)->ToJson());
  EXPECT_EQ(engine_->ListChunks(*pinned, ref)->size(), 2u);
  pinned.reset();
  auto refused = engine_->Append("dfs://compoDB", "t", MakeRows(100));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("fits no partition"), std::string::npos);
  // Tables laid out by the database's scheme cannot be altered.
  refused = engine_->AlterTablePartitions("dfs://compoDB", "pt", **narrow).status();
  EXPECT_NE(refused.status().message().find("database's partition scheme"), std::string::npos)
      << refused.status().message();

  Reopen();
  latest = *engine_->GetTable(*engine_->PinLatest(), "dfs://compoDB", "t");
  EXPECT_EQ((*engine_->SchemeOf(latest))->ToJson(), (*narrow)->ToJson());

  // A DATABASE-granularity database cannot hold one.
  DatabaseOptions by_database;
  by_database.granularity = ChunkGranularity::kDatabase;
  ASSERT_TRUE(engine_->CreateDatabase("dfs://dbChunks", **own, by_database).ok());
  auto in_db = engine_->CreateTable("dfs://dbChunks", "t", MakeRows(0).schema(), {"ID"}, options);
  ASSERT_FALSE(in_db.ok());
  EXPECT_NE(in_db.status().message().find("DATABASE granularity"), std::string::npos);
}

TEST_F(EngineTest, InstallCreatesATableWithItsOwnSchemeAndKeepsPathsInsideIt) {
  CreateCompoDb();
  auto own = PartitionScheme::Make(PartitionType::kRange, IntVector({0, 50, 100}));
  ASSERT_TRUE(own.ok());
  ASSERT_TRUE(engine_
                  ->CreateTable("dfs://compoDB", "t", MakeRows(0).schema(), {"ID"},
                                TableOptions{own->get(), nlohmann::json{{"k", 1}}})
                  .ok());
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "t", MakeRows(100)).ok());
  auto pin = engine_->PinLatest();
  auto source = *engine_->GetTable(*pin, "dfs://compoDB", "t");
  auto chunks = *engine_->ListChunks(*pin, source);
  pin.reset();
  InstallRequest request;
  request.database = "dfs://copyDB";
  request.create_scheme = source.db.scheme;
  request.create_missing_tables = true;
  request.description = "test install";
  InstallTable table{"t", source.table.schema, source.table.partition_columns, {},
                     {},  source.table.scheme, source.table.definition};
  for (const auto& chunk : chunks) {
    InstallChunk install{chunk.path, {}, false};
    for (const auto& s : chunk.segments) install.segments.push_back({s.id, s.rows, s.size_bytes});
    table.chunks.push_back(std::move(install));
  }
  request.tables.push_back(table);
  auto installed = engine_->Install(request, *engine_->ReserveSegments());
  ASSERT_TRUE(installed.ok()) << installed.status().ToString();
  auto copy = *engine_->GetTable(*engine_->PinLatest(), "dfs://copyDB", "t");
  EXPECT_EQ(copy.table.scheme, source.table.scheme);
  EXPECT_EQ(copy.table.definition, source.table.definition);
  EXPECT_EQ(engine_->ListChunks(*engine_->PinLatest(), copy)->size(), 2u);

  // A path outside the table's scheme, or a table whose layout kind differs: nothing changes.
  int64_t cid = *engine_->catalog().LastCid();
  auto bad_path = request;
  bad_path.tables[0].chunks[0].path = "/100_200";
  auto refused = engine_->Install(bad_path, *engine_->ReserveSegments());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("/100_200"), std::string::npos)
      << refused.status().message();
  auto into_pt = request;
  into_pt.database = "dfs://compoDB";
  into_pt.tables[0].name = "pt";
  into_pt.tables[0].partition_columns = {"date", "ID"};
  refused = engine_->Install(into_pt, *engine_->ReserveSegments());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("database's partition scheme"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(*engine_->catalog().LastCid(), cid);
}

TEST_F(EngineTest, ReservedSegmentsSurviveGarbageCollection) {
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(100)).ok());
  auto pin = engine_->PinLatest();
  auto ref = *engine_->GetTable(*pin, "dfs://compoDB", "pt");
  auto listed = engine_->ListChunks(*pin, ref);
  ASSERT_TRUE(listed.ok() && !listed->empty());
  ChunkVersionRecord chunk = listed->front();
  pin.reset();
  std::string id = chunk.segments[0].id;
  std::string bytes = *engine_->segments().ReadBytes(id);
  {
    auto reservation = *engine_->ReserveSegments();
    EXPECT_TRUE(engine_->HasSegment(*reservation, id));
    ASSERT_TRUE(engine_->DropTable("dfs://compoDB", "pt").ok());  // sweeps unreferenced segments
    EXPECT_TRUE(engine_->segments().Exists(id));
  }
  ASSERT_TRUE(engine_->CollectGarbage().ok());
  EXPECT_FALSE(engine_->segments().Exists(id));
}

// segment_refs follows every change: its counts equal those made afresh from the versions
// after appends (the same rows twice: one segment twice in a chunk), under a pin, after drops;
// the close removes what the pin kept and what a reservation held, without a full scan.
TEST_F(EngineTest, SegmentCountsFollowEveryChange) {
  auto counts_hold = [&] {
    auto counted = *engine_->catalog().SegmentRefs();
    auto txn = *engine_->catalog().Begin();
    EXPECT_TRUE(txn->RecountSegmentRefs().ok());
    EXPECT_TRUE(txn->Commit().ok());
    EXPECT_EQ(*engine_->catalog().SegmentRefs(), counted);
    return !counted.empty();
  };
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(100)).ok());
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(100)).ok());
  EXPECT_TRUE(counts_hold());
  auto pin = engine_->PinLatest();
  auto ref = *engine_->GetTable(*pin, "dfs://compoDB", "pt");
  std::string pinned = engine_->ListChunks(*pin, ref)->front().segments[0].id;
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(50)).ok());
  ASSERT_TRUE(engine_->DropPartitions("dfs://compoDB", {"/20170807/0_50"}, "pt").ok());
  EXPECT_TRUE(counts_hold());
  EXPECT_TRUE(engine_->segments().Exists(pinned));
  std::string held;
  {
    auto reservation = *engine_->ReserveSegments();
    held = engine_->ListChunks(*pin, ref)->back().segments[0].id;
    EXPECT_TRUE(engine_->HasSegment(*reservation, held));
    pin.reset();
    ASSERT_TRUE(engine_->DropTable("dfs://compoDB", "pt").ok());
    EXPECT_TRUE(engine_->segments().Exists(held));
  }
  Reopen();
  EXPECT_FALSE(engine_->segments().Exists(pinned));
  EXPECT_FALSE(engine_->segments().Exists(held));
  EXPECT_TRUE(engine_->segments().ListIds()->empty());
  EXPECT_TRUE(engine_->catalog().SegmentRefs()->empty());
}

TEST_F(EngineTest, GarbageIsCollectedAtCloseAndAfterACrashOnly) {
  const std::string marker = dir_ + "/clean-close";
  CreateCompoDb();
  ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", MakeRows(100)).ok());
  EXPECT_FALSE(PathExists(marker)) << "a session that changed data removes the marker first";
  auto pin = engine_->PinLatest();
  auto ref = *engine_->GetTable(*pin, "dfs://compoDB", "pt");
  std::string kept = engine_->ListChunks(*pin, ref)->front().segments[0].id;
  ASSERT_TRUE(engine_->DropPartitions("dfs://compoDB", {"/20170807/0_50"}, "pt").ok());
  EXPECT_TRUE(engine_->segments().Exists(kept)) << "the pin still sees it";
  pin.reset();

  Reopen();  // a clean close collects what the pin kept, then writes the marker
  EXPECT_FALSE(engine_->segments().Exists(kept));
  EXPECT_TRUE(PathExists(marker));

  // A file no version references, as a crash before a commit would leave it.
  std::string orphan(64, 'a');
  ASSERT_TRUE(MakeDirs(dir_ + "/segments/aa").ok());
  std::filesystem::copy_file(engine_->segments().PathOf(*engine_->segments().ListIds()->begin()),
                             engine_->segments().PathOf(orphan));
  Reopen();  // a reader's session: the marker says there is nothing to scan for
  EXPECT_TRUE(engine_->segments().Exists(orphan));
  EXPECT_TRUE(PathExists(marker));
  engine_.reset();
  ASSERT_TRUE(RemoveFile(marker).ok());  // what a crash after the first change leaves
  Reopen();
  EXPECT_FALSE(engine_->segments().Exists(orphan));
  EXPECT_EQ(CountRows(*engine_->PinLatest()), 90u);  // 100 less the dropped partition's 10
}

}  // namespace
}  // namespace strata
