#include "storage/segment_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/hash.h"
#include "storage/segment_test_util.h"

namespace strata {
namespace {

using testing_util::ExpectSameTable;
using testing_util::MakeAllTypesTable;

constexpr uint64_t kSeed = 77;

class SegmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/" + UniqueTempName("segment_store_test");
    store_ = std::make_unique<SegmentStore>(dir_);
    ASSERT_TRUE(store_->Open().ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::unique_ptr<SegmentStore> store_;
};

TEST_F(SegmentStoreTest, WritesReadsAndNamesByContent) {
  Table table = MakeAllTypesTable(2000, kSeed);
  auto ref = store_->Write(table, {.block_rows_max = 300});
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  const std::string bytes = EncodeSegment(table, {.block_rows_max = 300});
  EXPECT_EQ(ref->id, ToHex(Sha256Of(bytes)));
  EXPECT_EQ(ref->rows, 2000u);
  EXPECT_EQ(ref->size_bytes, bytes.size());
  EXPECT_EQ(store_->PathOf(ref->id),
            dir_ + "/segments/" + ref->id.substr(0, 2) + "/" + ref->id + ".seg");
  EXPECT_TRUE(store_->Exists(ref->id));

  auto read = store_->Read(ref->id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameTable(table, *read);
  auto projected = store_->Read(ref->id, {2});
  ASSERT_TRUE(projected.ok());
  EXPECT_EQ(projected->schema().field(0).name, "c_SHORT");
  auto raw = store_->ReadBytes(ref->id);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, bytes);
  auto tmp_entries = ListDirectory(dir_ + "/tmp");
  ASSERT_TRUE(tmp_entries.ok());
  EXPECT_TRUE(tmp_entries->empty());
}

TEST_F(SegmentStoreTest, SecondWriteOfTheSameTableKeepsTheFile) {
  Table table = MakeAllTypesTable(100, kSeed);
  auto first = store_->Write(table);
  ASSERT_TRUE(first.ok());
  const std::string path = store_->PathOf(first->id);
  const auto mtime_before = std::filesystem::last_write_time(path);
  auto second = store_->Write(MakeAllTypesTable(100, kSeed));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(std::filesystem::last_write_time(path), mtime_before);
}

TEST_F(SegmentStoreTest, WriteEncodedChecksIdAndDecodability) {
  const std::string bytes = EncodeSegment(MakeAllTypesTable(50, kSeed));
  const std::string id = ToHex(Sha256Of(bytes));
  std::string damaged = bytes;
  damaged[40] ^= 1;
  Status wrong = store_->WriteEncoded(id, damaged);
  EXPECT_EQ(wrong.code(), StatusCode::kCorruption);
  EXPECT_NE(wrong.message().find(id), std::string::npos);
  Status undecodable = store_->WriteEncoded(ToHex(Sha256Of(damaged)), damaged);
  EXPECT_EQ(undecodable.code(), StatusCode::kCorruption) << undecodable.ToString();
  EXPECT_FALSE(store_->Exists(id));
  EXPECT_EQ(store_->WriteEncoded("not-an-id", bytes).code(), StatusCode::kInvalidArgument);

  ASSERT_TRUE(store_->WriteEncoded(id, bytes).ok());
  EXPECT_TRUE(store_->Exists(id));
  auto raw = store_->ReadBytes(id);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, bytes);
}

TEST_F(SegmentStoreTest, StageVerifiedStillChecksTheSegmentsOwnChecksums) {
  const std::string bytes = EncodeSegment(MakeAllTypesTable(50, kSeed));
  const std::string id = ToHex(Sha256Of(bytes));
  std::string damaged = bytes;
  damaged[40] ^= 1;
  EXPECT_EQ(store_->StageVerified(id, damaged).code(), StatusCode::kCorruption);
  ASSERT_TRUE(store_->PublishStaged().ok());
  EXPECT_FALSE(store_->Exists(id));
  ASSERT_TRUE(store_->StageVerified(id, bytes).ok());
  ASSERT_TRUE(store_->PublishStaged().ok());
  EXPECT_EQ(*store_->ReadBytes(id), bytes);
}

TEST_F(SegmentStoreTest, StagedSegmentsAppearOnlyWhenPublished) {
  std::vector<std::string> ids;
  for (uint64_t seed = 0; seed < 3; ++seed) {
    const std::string bytes = EncodeSegment(MakeAllTypesTable(20, seed));
    ids.push_back(ToHex(Sha256Of(bytes)));
    ASSERT_TRUE(store_->StageVerified(ids.back(), bytes).ok());
  }
  for (const auto& id : ids) EXPECT_FALSE(store_->Exists(id)) << id;
  ASSERT_TRUE(store_->PublishStaged().ok());
  for (const auto& id : ids) EXPECT_TRUE(store_->Read(id).ok()) << id;
  // Staging what is present already leaves it as it is.
  ASSERT_TRUE(store_->StageVerified(ids[0], *store_->ReadBytes(ids[0])).ok());
  ASSERT_TRUE(store_->PublishStaged().ok());
  EXPECT_TRUE(store_->Read(ids[0]).ok());
}

TEST_F(SegmentStoreTest, ListsAndRemoves) {
  auto empty = store_->ListIds();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  std::vector<std::string> ids;
  for (uint64_t seed = 0; seed < 5; ++seed) {
    auto ref = store_->Write(MakeAllTypesTable(10, seed));
    ASSERT_TRUE(ref.ok());
    ids.push_back(ref->id);
  }
  std::sort(ids.begin(), ids.end());
  // Stray files are not segments.
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/segments/notes.txt", "x", dir_ + "/tmp").ok());
  auto listed = store_->ListIds();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, ids);

  ASSERT_TRUE(store_->Remove(ids[1]).ok());
  EXPECT_FALSE(store_->Exists(ids[1]));
  EXPECT_TRUE(store_->Remove(ids[1]).ok());  // already gone
  auto missing = store_->Read(ids[1]);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(ids[1]), std::string::npos);
  EXPECT_EQ(store_->ReadBytes(ids[1]).status().code(), StatusCode::kNotFound);
  ids.erase(ids.begin() + 1);
  listed = store_->ListIds();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, ids);
  EXPECT_EQ(store_->Remove("../x").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(store_->Exists("../x"));
}

TEST_F(SegmentStoreTest, ReadReportsDamageOnDiskNamingTheSegment) {
  auto ref = store_->Write(MakeAllTypesTable(500, kSeed));
  ASSERT_TRUE(ref.ok());
  const std::string path = store_->PathOf(ref->id);
  auto bytes = ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  std::string damaged = *bytes;
  damaged[damaged.size() / 3] ^= 0x20;
  ASSERT_TRUE(RemoveFile(path).ok());
  ASSERT_TRUE(WriteFileAtomic(path, damaged, dir_ + "/tmp").ok());

  auto read = store_->Read(ref->id);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  EXPECT_NE(read.status().message().find(ref->id), std::string::npos);
  EXPECT_NE(read.status().message().find("block"), std::string::npos) << read.status().message();
  EXPECT_EQ(store_->ReadBytes(ref->id).status().code(), StatusCode::kCorruption);

  // A truncated file under the right name is replaced by the next write of the same table.
  ASSERT_TRUE(WriteFileAtomic(path, bytes->substr(0, 100), dir_ + "/tmp").ok());
  EXPECT_EQ(store_->Read(ref->id).status().code(), StatusCode::kCorruption);
  ASSERT_TRUE(store_->Write(MakeAllTypesTable(500, kSeed)).ok());
  EXPECT_TRUE(store_->Read(ref->id).ok());
}

// A read that keeps its segment answers the next read from memory, even once the file is gone;
// a read with keep=false (a large scan) leaves nothing behind, so the next read goes to disk.
TEST_F(SegmentStoreTest, ReadsKeepTheirSegmentUnlessToldNotTo) {
  auto kept = store_->Write(MakeAllTypesTable(300, kSeed));
  auto passed = store_->Write(MakeAllTypesTable(301, kSeed));
  ASSERT_TRUE(kept.ok() && passed.ok());
  ASSERT_TRUE(store_->Read(kept->id).ok());
  ASSERT_TRUE(store_->Read(passed->id, {}, /*keep=*/false).ok());
  ASSERT_TRUE(RemoveFile(store_->PathOf(kept->id)).ok());
  ASSERT_TRUE(RemoveFile(store_->PathOf(passed->id)).ok());
  auto cached = store_->Read(kept->id);
  ASSERT_TRUE(cached.ok()) << cached.status().ToString();
  ExpectSameTable(*cached, MakeAllTypesTable(300, kSeed));
  EXPECT_EQ(store_->Read(passed->id).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace strata
