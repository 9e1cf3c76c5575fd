// Key files: made owner-only and never overwritten, read back to the same key, refused when
// others may read them or when they are not a strata key file; no message shows the key.
#include "repository/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/hash.h"

namespace strata {
namespace {

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/" + UniqueTempName("key_file_test");
    ASSERT_TRUE(MakeDirs(dir_).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

TEST_F(KeyFileTest, MadeOwnerOnlyAndReadBack) {
  const std::string path = dir_ + "/backup.key";
  auto made = CreateKeyFile(path);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(made->key_id.size(), 16u);

  auto read = ReadKeyFile(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->key_id, made->key_id);
  EXPECT_EQ(read->key.view(), made->key.view());
  EXPECT_EQ(read->created_ms / 1000, made->created_ms / 1000);

  // Another key file gets another key; the first is never overwritten.
  auto second = CreateKeyFile(dir_ + "/other.key");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->key.view(), made->key.view());
  EXPECT_NE(second->key_id, made->key_id);
  auto again = CreateKeyFile(path);
  ASSERT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("never overwrites"), std::string::npos);
  EXPECT_EQ(ReadKeyFile(path)->key.view(), made->key.view());
}

TEST_F(KeyFileTest, RefusesWhatIsNotAPrivateStrataKeyFile) {
  const std::string path = dir_ + "/backup.key";
  auto made = CreateKeyFile(path);
  ASSERT_TRUE(made.ok());
  const std::string key_hex = BytesToHex(made->key.view());
  auto no_secret = [&](const Status& status) {
    EXPECT_EQ(status.message().find(key_hex), std::string::npos) << status.message();
    EXPECT_EQ(status.message().find(key_hex.substr(0, 16)), std::string::npos);
  };

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto shared = ReadKeyFile(path);
  ASSERT_EQ(shared.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(shared.status().message().find("chmod 600"), std::string::npos);
  EXPECT_NE(shared.status().message().find("0644"), std::string::npos);
  no_secret(shared.status());
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);

  auto missing = ReadKeyFile(dir_ + "/none.key");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("strata keygen"), std::string::npos);

  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok());
  auto rewrite = [&](const std::string& content) {
    ASSERT_TRUE(RemoveFile(path).ok());
    ASSERT_TRUE(WriteNewFile(path, {content}, NewFileSync::kFsync).ok());
  };
  struct Case {
    std::string content;
    StatusCode code;
  };
  const std::string good = *text;
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string out = good;
    out.replace(out.find(from), from.size(), to);
    return out;
  };
  for (const Case& c : std::vector<Case>{
           {good.substr(0, good.size() / 2), StatusCode::kCorruption},  // truncated
           {"[1, 2]", StatusCode::kCorruption},
           {replace("strata-key", "other-key"), StatusCode::kCorruption},
           {replace("\"version\": 1", "\"version\": 2"), StatusCode::kCorruption},
           {replace(key_hex, key_hex.substr(2)), StatusCode::kCorruption},
           {replace(key_hex, "zz" + key_hex.substr(2)), StatusCode::kCorruption},
           {replace(made->key_id, "short"), StatusCode::kCorruption},
       }) {
    rewrite(c.content);
    auto read = ReadKeyFile(path);
    ASSERT_FALSE(read.ok()) << c.content;
    EXPECT_EQ(read.status().code(), c.code) << read.status().ToString();
    no_secret(read.status());
  }
  rewrite(good);
  EXPECT_TRUE(ReadKeyFile(path).ok());
  EXPECT_EQ(ReadKeyFile(dir_).status().code(), StatusCode::kCorruption);  // a directory
}

}  // namespace
}  // namespace strata
