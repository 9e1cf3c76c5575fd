// Seeded damage to every kind of repository file and to catalog rows: every call of the backup
// family ends with a value or an error naming what is wrong, never a crash, and a damaged backup
// is never reported intact nor restored into different data (issue 12). The seed is printed;
// STRATA_MUTATION_SEED replays its choices of file, place and damage (snapshot ids and times
// differ from run to run, so the damaged bytes may differ slightly).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "backup/backup.h"
#include "backup/inspect.h"
#include "backup/journal.h"
#include "backup/prune.h"
#include "backup/restore.h"
#include "base/file_util.h"
#include "catalog/sqlite_db.h"
#include "types/format.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSource = "dfs://src";
constexpr const char* kCopy = "dfs://copy";
constexpr int kMutationsPerKind = 200;  // 6 kinds: 1,200 damaged repositories in all

// Cities that are not all UTF-8 (Latin-1 "München", a lone 0xFF), so the stored documents
// carry encoded bytes too. Rows n = first..first+count-1, city by n % 3.
Table Rows(int first, int count) {
  Column city(Type::kSymbol), n(Type::kInt);
  const char* cities[] = {"Berlin", "M\xfcnchen", "\xff"};
  for (int i = first; i < first + count; ++i) {
    city.Append(Scalar::String(Type::kSymbol, cities[i % 3]));
    n.Append(Scalar::Int(Type::kInt, i));
  }
  return Table(Schema({{"city", Type::kSymbol}, {"n", Type::kInt}}),
               {std::make_shared<const Column>(std::move(city)),
                std::make_shared<const Column>(std::move(n))});
}

// Every row of `db`.pt as sorted text lines, or the first error reading them.
Result<std::vector<std::string>> ReadRows(Engine& engine, const std::string& db) {
  std::vector<std::string> lines;
  SnapshotPtr pin = engine.PinLatest();
  ASSIGN_OR_RETURN(DatabaseRecord database, engine.GetDatabase(*pin, db));
  RETURN_IF_ERROR(engine.SchemeOf(database).status());
  ASSIGN_OR_RETURN(TableRef table, engine.GetTable(*pin, db, "pt"));
  ASSIGN_OR_RETURN(auto chunks, engine.ListChunks(*pin, table));
  for (const auto& chunk : chunks) {
    ASSIGN_OR_RETURN(Table rows, engine.ReadChunk(chunk, table.table));
    for (size_t r = 0; r < rows.rows(); ++r) {
      std::string line;
      for (size_t c = 0; c < rows.column_count(); ++c) {
        line += FormatScalar(rows.column(c)->Get(r)) + "|";
      }
      lines.push_back(line);
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> Content(Engine& engine, const std::string& db) {
  auto rows = ReadRows(engine, db);
  return rows.ok() ? std::move(*rows) : std::vector<std::string>{rows.status().ToString()};
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// One random flip of 1-3 bytes or a truncation.
std::string Damage(std::string bytes, std::mt19937_64& random) {
  if (bytes.empty() || random() % 3 == 0) {
    bytes.resize(bytes.empty() ? 0 : random() % bytes.size());
    return bytes;
  }
  const int flips = 1 + static_cast<int>(random() % 3);
  for (int i = 0; i < flips; ++i) {
    bytes[random() % bytes.size()] ^= static_cast<char>(1 + random() % 255);
  }
  return bytes;
}

// Every kind of repository file, by where it lives (docs/format/repository.md): the marker,
// snapshot manifests, journal parts, locks, head records and objects.
constexpr const char* kFileKinds[] = {"strata-repo.json", "snapshots/", "journal/",
                                      "locks/",           "heads/",     "objects/"};

// What a checkBackup of the source reports: clean when no snapshot and no chunk of the head is
// damaged (lang/builtins_backup.cc composes the same calls).
struct CheckReport {
  Status status;
  bool clean = false;
};

class MutationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // On tmpfs fsync costs nothing, so the 1,200 restores and copies take seconds, not minutes.
    const fs::path base =
        fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir_ = base / UniqueTempName("strata_mutation_test");
    engine_ = std::move(*Engine::Open(dir_ + "/data"));
    auto scheme = *PartitionScheme::Make(
        PartitionType::kValue,
        Value::Vector(Column(Type::kSymbol, std::vector<std::string>{"Berlin"})));
    ASSERT_TRUE(engine_->CreateDatabase(kSource, *scheme, {}).ok());
    ASSERT_TRUE(engine_->CreateTable(kSource, "pt", Rows(0, 1).schema(), {"city"}).ok());
    ASSERT_TRUE(engine_->Append(kSource, "pt", Rows(0, 20)).ok());
    ASSERT_TRUE(Backup(pristine()).ok());
    ASSERT_TRUE(engine_->Append(kSource, "pt", Rows(20, 4)).ok());
    ASSERT_TRUE(Backup(pristine()).ok());  // the head: incremental on top of the first
    original_ = Content(*engine_, kSource);
    ASSERT_EQ(original_.size(), 24u);
    AddJournalAndLock();
    auto location = OpenBackupDir(pristine(), RepositoryOpen::kMustExist, StoreSettings());
    ASSERT_TRUE(location.ok());
    auto ids = location->repository->ListSnapshotIds();
    ASSERT_TRUE(ids.ok());
    for (const auto& id : *ids) {
      manifests_[id] = ManifestToText(*LoadManifest(*location->repository, id));
    }
    ASSERT_EQ(manifests_.size(), 2u);
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }

  // A journal part of an unfinished call and the announcement of a backup that has ended.
  void AddJournalAndLock() {
    auto location = *OpenBackupDir(pristine(), RepositoryOpen::kMustExist, StoreSettings());
    Manifest head = **FindHead(location, kSource);
    Journal journal{std::string(64, 'a'), kSource, head.created_ms, head.chunks, 0};
    ASSERT_TRUE(WriteJournalPart(*location.repository, journal).ok());
    ASSERT_TRUE(location.store
                    ->Put("locks/backup-0.json",
                          R"({"owner":"elsewhere/1/x","acquired":"2020-01-01T00:00:00.000Z",)"
                          R"("expires":"2020-01-01T00:10:00.000Z"})"
                          "\n")
                    .ok());
  }

  Result<BackupOutcome> Backup(const std::string& repo) {
    BackupRequest request;
    request.database = kSource;
    TaskControl control;
    return RunBackup(*engine_, StoreSettings(), repo, "", request, control);
  }

  CheckReport Check(BackupLocation& location) {
    CheckReport report;
    auto lookup = LookUpHead(location, kSource);
    if (!lookup.ok()) return {lookup.status(), false};
    auto damaged = FindDamagedSnapshots(location, kSource, *lookup);
    if (!damaged.ok()) return {damaged.status(), false};
    if (!lookup->head) return {Status::Ok(), false};
    TaskControl control;
    auto chunks = CheckChunks(*location.repository, SelectChunks(*lookup->head, "", "%"),
                              /*parallel=*/false, control);
    if (!chunks.ok()) return {chunks.status(), false};
    report.clean = damaged->empty() && chunks->empty();
    return report;
  }

  // Restores the head into kCopy; OK only when it restored exactly the original rows.
  Status RestoreExactly(BackupLocation& location, bool* restored) {
    *restored = false;
    auto manifest = ResolveSnapshot(location, kSource, "");
    if (!manifest.ok()) return manifest.status();
    RestoreRequest request{.database = kSource, .target_database = kCopy, .create_missing = true};
    TaskControl control;
    auto outcome = RunRestore(*engine_, location, *manifest, request, control);
    if (!outcome.ok()) return outcome.status();
    *restored = true;
    return Content(*engine_, kCopy) == original_ ? Status::Ok() : Internal("different rows");
  }

  // The calls readers make (getBackupList, getBackupMeta, checkBackup, restore) on `repo`,
  // asserting the oracle; `what` says which damage for the failure message. With kAll both
  // original snapshots must still be there (no prune ran), so one that does not read back as
  // written is damaged and checkBackup must say so.
  enum class Snapshots : uint8_t { kAll, kPruned };
  void ReadAndVerify(const std::string& repo, const std::string& what, Snapshots snapshots) {
    auto location = OpenBackupDir(repo, RepositoryOpen::kMustExist, StoreSettings());
    if (!location.ok()) {
      EXPECT_FALSE(location.status().message().empty()) << what;
      return;
    }
    (void)ListSnapshotsOf(*location, kSource);
    (void)ListHeads(*location);
    InspectHead(*location);
    bool manifests_intact = true;
    std::string manifest_problems;
    for (const auto& [id, text] : manifests_) {
      auto loaded = LoadManifest(*location->repository, id);
      if (loaded.ok() && ManifestToText(*loaded) == text) continue;
      manifests_intact = false;
      manifest_problems +=
          " " + (loaded.ok() ? id + " reads back different" : loaded.status().ToString());
    }
    CheckReport check = Check(*location);
    bool restored = false;
    Status exact = RestoreExactly(*location, &restored);
    ++(check.clean ? tally_.clean : tally_.reported);
    if (restored && exact.ok()) ++tally_.restored;
    if (restored) {
      EXPECT_TRUE(exact.ok()) << what << ": restore produced other rows";
    }
    if (check.clean) {
      EXPECT_TRUE(exact.ok()) << what
                              << ": checkBackup was clean but restore failed: " << exact.ToString();
    }
    if (snapshots == Snapshots::kAll && !manifests_intact) {
      EXPECT_FALSE(check.clean) << what
                                << ": a damaged manifest passed checkBackup:" << manifest_problems;
    }
    (void)engine_->DropDatabase(kCopy);
  }

  // getBackupList, getBackupMeta and loadBackup: the head's chunks, each looked up by path and
  // read back; values or errors.
  void InspectHead(BackupLocation& location) {
    auto head = ResolveSnapshot(location, kSource, "");
    if (!head.ok()) return;
    for (const auto* chunk : SelectChunks(*head, "pt", "%")) {
      auto found = FindChunk(*head, "pt", chunk->path);
      if (found.ok()) (void)LoadChunkRows(*location.repository, *head, **found);
    }
  }

  // Backup on top and prune, each followed by the readers again.
  void WriteAndVerify(const std::string& repo, const std::string& what, bool prune) {
    if (prune) {
      auto location = OpenBackupDir(repo, RepositoryOpen::kMustExist, StoreSettings());
      if (location.ok()) {
        (void)PruneBackups(*location, PruneRequest{.database = kSource, .keep_last = 1});
      }
    } else {
      (void)Backup(repo);
    }
    ReadAndVerify(repo, what + (prune ? ", then prune" : ", then a backup on top"),
                  prune ? Snapshots::kPruned : Snapshots::kAll);
  }

  std::string pristine() const { return dir_ + "/pristine"; }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::vector<std::string> original_;
  std::map<std::string, std::string> manifests_;  // id → ManifestToText
  // How often checkBackup found damage, found none, and a restore gave the original rows: shows
  // the runs exercise both sides of the oracle.
  struct {
    int reported = 0;
    int clean = 0;
    int restored = 0;
  } tally_;
};

uint64_t Seed() {
  const char* given = std::getenv("STRATA_MUTATION_SEED");
  return given != nullptr ? std::strtoull(given, nullptr, 10) : std::random_device()();
}

TEST_F(MutationTest, EveryRepositoryFileKindDamagedEndsInAValueOrAClearError) {
  const uint64_t seed = Seed();
  std::cout << "mutation seed " << seed << " (STRATA_MUTATION_SEED=" << seed << " replays it)"
            << std::endl;
  std::mt19937_64 random(seed);
  std::map<std::string, std::vector<std::string>> files;  // kind → keys
  for (const auto& entry : fs::recursive_directory_iterator(pristine())) {
    if (!entry.is_regular_file()) continue;
    std::string key = fs::relative(entry.path(), pristine()).string();
    for (const char* kind : kFileKinds) {
      if (key.starts_with(kind)) files[kind].push_back(key);
    }
  }
  for (const char* kind : kFileKinds) ASSERT_FALSE(files[kind].empty()) << kind;
  const std::string work = dir_ + "/work";
  int mutations = 0;
  for (int round = 0; round < kMutationsPerKind; ++round) {
    for (const char* kind : kFileKinds) {
      const auto& candidates = files[kind];
      const std::string key = candidates[random() % candidates.size()];
      fs::remove_all(work);
      fs::copy(pristine(), work, fs::copy_options::recursive);
      WriteBytes(work + "/" + key, Damage(ReadBytes(work + "/" + key), random));
      ++mutations;
      const std::string what =
          "seed " + std::to_string(seed) + ", mutation " + std::to_string(mutations) + " of " + key;
      ReadAndVerify(work, what, Snapshots::kAll);
      if (round % 8 == 0) WriteAndVerify(work, what, /*prune=*/round % 16 == 0);
      if (HasFailure()) return;
    }
  }
  EXPECT_GE(mutations, 1000);
  std::cout << "checkBackup found damage " << tally_.reported << " times, none " << tally_.clean
            << " times; " << tally_.restored << " restores gave the original rows" << std::endl;
  EXPECT_GT(tally_.reported, 100);
  EXPECT_GT(tally_.restored, 100);
}

// Damage that hits the database name of the older snapshot makes it read as another database's;
// it is still listed by checkBackup of its own, since the head names it as parent. (Before, it
// was skipped as another database's and checkBackup came back clean.)
TEST_F(MutationTest, ADamagedParentWhoseDatabaseNameWasHitIsStillReported) {
  const std::string oldest = manifests_.begin()->first;
  const fs::path file = pristine() + "/snapshots/" + oldest + ".json";
  std::string text = ReadBytes(file);
  const size_t at = text.find("\"dfs://src\"");
  ASSERT_NE(at, std::string::npos);
  text[at + 9] = 'x';  // "dfs://sxc"
  WriteBytes(file, text);
  auto location = OpenBackupDir(pristine(), RepositoryOpen::kMustExist, StoreSettings());
  ASSERT_TRUE(location.ok());
  auto lookup = LookUpHead(*location, kSource);
  ASSERT_TRUE(lookup.ok() && lookup->head);
  EXPECT_EQ(*lookup->head->parent, oldest);
  auto damaged = FindDamagedSnapshots(*location, kSource, *lookup);
  ASSERT_TRUE(damaged.ok()) << damaged.status().ToString();
  ASSERT_EQ(damaged->size(), 1u);
  EXPECT_EQ((*damaged)[0].id, oldest);
  // Of the database it now seems to name, it is nobody's parent: not listed there.
  auto other = FindDamagedSnapshots(*location, "dfs://sxc", *LookUpHead(*location, "dfs://sxc"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

// A catalog row whose JSON column is damaged: opening the engine and reading the database give
// errors naming the catalog, never an exception.
TEST_F(MutationTest, DamagedCatalogRowsGiveErrors) {
  const uint64_t seed = Seed();
  std::cout << "catalog mutation seed " << seed << std::endl;
  std::mt19937_64 random(seed);
  engine_.reset();
  const std::string catalog = dir_ + "/data/catalog.sqlite";
  fs::copy_file(catalog, dir_ + "/catalog.pristine");
  const std::vector<std::pair<std::string, std::string>> columns = {{"databases", "scheme"},
                                                                    {"tables", "schema"},
                                                                    {"tables", "partition_columns"},
                                                                    {"chunk_versions", "segments"}};
  const std::vector<std::string> replacements = {R"({"type":5})",
                                                 R"([{"name":1,"type":"INT"}])",
                                                 R"(["city",2])",
                                                 R"({"format_version":"1"})",
                                                 R"([{"id":"x","table":"1","rows":-1,"bytes":2}])",
                                                 "[",
                                                 "null",
                                                 R"({"bytes_hex":"zz"})"};
  for (int round = 0; round < 64; ++round) {
    const auto& [table, column] = columns[round % columns.size()];
    fs::copy_file(dir_ + "/catalog.pristine", catalog, fs::copy_options::overwrite_existing);
    fs::remove(catalog + "-wal");
    fs::remove(catalog + "-shm");
    {
      auto db = SqliteDb::Open(catalog);
      ASSERT_TRUE(db.ok());
      auto read = (*db)->Prepare("SELECT " + column + " FROM " + table + " LIMIT 1");
      ASSERT_TRUE(read.ok());
      ASSERT_TRUE(*read->Step());
      std::string text = read->ColumnText(0);
      text = round % 2 == 0 ? replacements[random() % replacements.size()] : Damage(text, random);
      auto write = (*db)->Prepare("UPDATE " + table + " SET " + column + " = ?1");
      ASSERT_TRUE(write.ok());
      ASSERT_TRUE(write->Bind(1, text).Run().ok());
    }
    const bool replaced = round % 2 == 0;  // every replacement is invalid for every column
    auto engine = Engine::Open(dir_ + "/data");
    if (!engine.ok()) {
      EXPECT_FALSE(engine.status().message().empty());
      continue;
    }
    auto rows = ReadRows(**engine, kSource);
    auto appended = (*engine)->Append(kSource, "pt", Rows(100, 3));
    if (replaced) {
      EXPECT_FALSE(rows.ok() && appended.ok())
          << "seed " << seed << ", " << table << "." << column << " damaged, yet no call failed";
    }
    if (!rows.ok()) {
      EXPECT_FALSE(rows.status().message().empty());
    }
  }
}

}  // namespace
}  // namespace strata
