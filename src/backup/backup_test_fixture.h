// The fixture of the backup engine's tests: a real engine with dfs://compoDB (COMPO of VALUE
// 5 days and RANGE 0 50 100: ten partitions), table pt of 1000 rows, and a local repository.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "backup/backup.h"
#include "backup/chunk_tree.h"
#include "base/file_util.h"
#include "types/temporal.h"

namespace strata {

// 1000 rows: ID = i % 100, date = 2017.08.07 + i % 5, so each of the ten partitions of the
// compoDB scheme gets exactly 100.
inline Table Batch() {
  Column id(Type::kInt), date(Type::kDate), x(Type::kDouble);
  int64_t base = ParseTemporal("2017.08.07")->int_value();
  for (int i = 0; i < 1000; ++i) {
    id.Append(Scalar::Int(Type::kInt, i % 100));
    date.Append(Scalar::Int(Type::kDate, base + i % 5));
    x.Append(Scalar::Float(Type::kDouble, i));
  }
  return Table(Schema({{"ID", Type::kInt}, {"date", Type::kDate}, {"x", Type::kDouble}}),
               {std::make_shared<const Column>(std::move(id)),
                std::make_shared<const Column>(std::move(date)),
                std::make_shared<const Column>(std::move(x))});
}

class BackupEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_backup_test");
    engine_ = std::move(*Engine::Open(dir_ + "/data"));
    Column dates(Type::kDate);
    for (const char* d : {"2017.08.07", "2017.08.08", "2017.08.09", "2017.08.10", "2017.08.11"}) {
      dates.Append(*ParseTemporal(d));
    }
    std::vector<std::unique_ptr<PartitionScheme>> levels;
    levels.push_back(
        *PartitionScheme::Make(PartitionType::kValue, Value::Vector(std::move(dates))));
    levels.push_back(*PartitionScheme::Make(
        PartitionType::kRange,
        Value::Vector(Column(Type::kInt, std::vector<int32_t>{0, 50, 100}))));
    auto scheme = *PartitionScheme::MakeCompo(std::move(levels));
    ASSERT_TRUE(engine_->CreateDatabase("dfs://compoDB", *scheme, {}).ok());
    ASSERT_TRUE(engine_->CreateTable("dfs://compoDB", "pt", Batch().schema(), {"date", "ID"}).ok());
    ASSERT_TRUE(engine_->Append("dfs://compoDB", "pt", Batch()).ok());
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  Manifest Head() {
    auto location = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
    EXPECT_TRUE(location.ok()) << location.status().ToString();
    return **FindHead(*location, "dfs://compoDB");
  }
  std::string repo() const { return dir_ + "/bak"; }
  // The node objects of `manifest`'s chunk tree (none for a version-1 manifest).
  std::vector<std::string> TreeNodes(const Manifest& manifest) {
    auto location = OpenBackupDir(repo(), RepositoryOpen::kMustExist, StoreSettings());
    EXPECT_TRUE(location.ok()) << location.status().ToString();
    std::vector<std::string> nodes;
    ChunkTreeWalk walk(*location->repository, [&](const std::string& id) {
      nodes.push_back(id);
      return Status::Ok();
    });
    EXPECT_TRUE(walk.Visit(manifest.tree, manifest.id, nullptr).ok());
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  }
  void CheckCancelledBackupResumes(const std::string& key_path);

  std::string dir_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace strata
