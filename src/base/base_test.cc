#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>

#include "base/bytes.h"
#include "base/compression.h"
#include "base/config_file.h"
#include "base/deferred_files.h"
#include "base/file_util.h"
#include "base/hash.h"
#include "base/status.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "base/utc_time.h"

namespace strata {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd value " + std::to_string(x));
  return x / 2;
}

Status UseHalf(int x, int* out) {
  ASSIGN_OR_RETURN(int h, Half(x));
  *out = h;
  return Status::Ok();
}

TEST(StatusTest, PropagatesErrorsAndValues) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status st = UseHalf(3, &out);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.ToString(), "InvalidArgument: odd value 3");
  EXPECT_EQ(st.WithContext("halving").message(), "halving: odd value 3");
}

TEST(HashTest, Sha256KnownVector) {
  EXPECT_EQ(ToHex(Sha256Of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 incremental;
  incremental.Update("a");
  incremental.Update("bc");
  EXPECT_EQ(incremental.Finish(), Sha256Of("abc"));
  EXPECT_NE(Xxh3("abc"), Xxh3("abd"));
}

TEST(CompressionTest, RoundTripsEveryCodecAndDetectsDamage) {
  std::string input;
  for (int i = 0; i < 10000; ++i) input += std::to_string(i % 97);
  for (Codec codec : {Codec::kNone, Codec::kLz4, Codec::kZstd}) {
    std::string packed = Compress(codec, input);
    auto unpacked = Decompress(codec, packed, input.size());
    ASSERT_TRUE(unpacked.ok()) << unpacked.status().ToString();
    EXPECT_EQ(*unpacked, input);
    EXPECT_FALSE(Decompress(codec, packed, input.size() + 1).ok());
    // A damaged size field is an error, never an allocation of that size (bad_alloc).
    auto huge = Decompress(codec, packed, size_t{45317471250415787});
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.status().code(), StatusCode::kCorruption);
    auto empty = Decompress(codec, Compress(codec, ""), 0);
    ASSERT_TRUE(empty.ok()) << empty.status().ToString();
    EXPECT_TRUE(empty->empty());
  }
}

TEST(BytesTest, RoundTripsAndReportsTruncation) {
  ByteWriter w;
  w.PutU8(7);
  w.PutU32(123456);
  w.PutU64(1ull << 40);
  w.PutVarint(300);
  w.PutString("hello");
  std::string bytes = w.Release();
  ByteReader r(bytes);
  EXPECT_EQ(*r.GetU8(), 7);
  EXPECT_EQ(*r.GetU32(), 123456u);
  EXPECT_EQ(*r.GetU64(), 1ull << 40);
  EXPECT_EQ(*r.GetVarint(), 300u);
  EXPECT_EQ(*r.GetString(), "hello");
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(r.GetU8().status().code(), StatusCode::kCorruption);
}

TEST(FileUtilTest, WriteAtomicReadAndList) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_base_test");
  ASSERT_TRUE(MakeDirs(dir + "/tmp").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/a.txt", "payload", dir + "/tmp").ok());
  EXPECT_EQ(*ReadFile(dir + "/a.txt"), "payload");
  EXPECT_EQ(ReadFile(dir + "/missing").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(ListDirectory(dir + "/tmp")->empty());  // no temp file left behind
  ASSERT_TRUE(ClearDirectory(dir).ok());
  EXPECT_TRUE(ListDirectory(dir)->empty());
  std::filesystem::remove_all(dir);
}

TEST(FileUtilTest, MakeDirsDurableCreatesEveryLevel) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_dirs");
  ASSERT_TRUE(MakeDirsDurable(dir + "/a/b/c").ok());
  EXPECT_TRUE(PathExists(dir + "/a/b/c"));
  ASSERT_TRUE(MakeDirsDurable(dir + "/a/b/c").ok());  // existing: nothing to do
  std::filesystem::remove_all(dir);
}

// Whatever the umask, MakeDirs makes 0700 directories and WriteNewFile 0600 files.
TEST(FileUtilTest, CreatesPrivateDirectoriesAndFiles) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_modes");
  mode_t umask_before = ::umask(022);
  Status made = MakeDirs(dir + "/a/b");
  Status written = WriteNewFile(dir + "/a/b/f", {"x"}, NewFileSync::kFsync);
  ::umask(umask_before);
  ASSERT_TRUE(made.ok()) << made.ToString();
  ASSERT_TRUE(written.ok()) << written.ToString();
  using std::filesystem::perms;
  EXPECT_EQ(std::filesystem::status(dir).permissions(), perms::owner_all);
  EXPECT_EQ(std::filesystem::status(dir + "/a/b").permissions(), perms::owner_all);
  EXPECT_EQ(std::filesystem::status(dir + "/a/b/f").permissions(),
            perms::owner_read | perms::owner_write);
  EXPECT_TRUE(MakeDirs(dir + "/a/b").ok());  // existing directories are fine
  Status over_file = MakeDirs(dir + "/a/b/f/c");
  EXPECT_FALSE(over_file.ok());
  EXPECT_NE(over_file.message().find("is not a directory"), std::string::npos)
      << over_file.ToString();
  std::filesystem::remove_all(dir);
}

// A malformed line is named by number (and key), never echoed: its value may be a secret.
TEST(ConfigFileTest, MalformedLinesNeverEchoTheirValue) {
  auto parsed = ParseConfig("a = 1\n# note\n\nb=x=y\n", "cfg");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("a"), "1");
  EXPECT_EQ(parsed->at("b"), "x=y");
  struct Case {
    std::string text, part;
  };
  for (const Case& c :
       {Case{"s3Region=x\ns3SecretAccessKey TOPSECRET\n", "line 2 (key 's3SecretAccessKey')"},
        Case{"s3SecretAccessKey: TOPSECRET\n", "line 1 (key 's3SecretAccessKey')"},
        Case{"TOPSECRET\n", "line 1 is not `key=value`"},
        Case{"\n = TOPSECRET\n", "line 2 has no key before '='"}}) {
    auto bad = ParseConfig(c.text, "cfg");
    ASSERT_FALSE(bad.ok()) << c.text;
    EXPECT_NE(bad.status().message().find(c.part), std::string::npos) << bad.status().ToString();
    EXPECT_EQ(bad.status().message().find("TOPSECRET"), std::string::npos)
        << bad.status().ToString();
  }
}

TEST(DeferredFilesTest, FilesAppearOnlyWhenPublishedAndUnpublishedOnesAreRemoved) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_deferred");
  ASSERT_TRUE(MakeDirs(dir + "/tmp").ok());
  {
    auto files = DeferredFiles::Open(dir + "/tmp");
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    ASSERT_TRUE((*files)->Write(dir + "/x/1", {"one"}).ok());
    ASSERT_TRUE((*files)->Write(dir + "/y/z/2", {"two"}).ok());
    EXPECT_EQ((*files)->pending(), 2u);
    EXPECT_FALSE(PathExists(dir + "/x/1"));  // nothing under a final name before Publish
    ASSERT_TRUE((*files)->Publish().ok());
    EXPECT_EQ(*ReadFile(dir + "/x/1"), "one");
    EXPECT_EQ(*ReadFile(dir + "/y/z/2"), "two");  // missing directories are made
    EXPECT_TRUE(ListDirectory(dir + "/tmp")->empty());
    ASSERT_TRUE((*files)->Write(dir + "/x/1", {"replaced"}).ok());
    ASSERT_TRUE((*files)->Write(dir + "/x/3", {"never published"}).ok());
    EXPECT_EQ(*ReadFile(dir + "/x/1"), "one");
  }
  // Destroyed with writes pending: their temporary files go, the published files stay.
  EXPECT_TRUE(ListDirectory(dir + "/tmp")->empty());
  EXPECT_EQ(*ReadFile(dir + "/x/1"), "one");
  EXPECT_FALSE(PathExists(dir + "/x/3"));
  auto missing = DeferredFiles::Open(dir + "/no-such-dir");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no-such-dir"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ThreadPoolTest, RunsEveryTaskWithBoundedQueue) {
  ThreadPool pool(2, 4);
  std::atomic<int> sum{0};
  for (int i = 1; i <= 100; ++i) pool.Submit([&sum, i] { sum += i; });
  EXPECT_TRUE(pool.Wait().ok());
  EXPECT_EQ(sum.load(), 5050);
}

TEST(StringsTest, Basics) {
  EXPECT_EQ(Split("a/b//c", '/'), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Join({"x", "y"}, ", "), "x, y");
  EXPECT_TRUE(EqualsIgnoreCase("Value", "VALUE"));
  EXPECT_EQ(Trim("  a b \n"), "a b");
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(UtcTimeTest, FormatsAndParsesMilliseconds) {
  EXPECT_EQ(FormatUtcMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMs(1795280400123), "2026-11-21T17:00:00.123Z");
  EXPECT_EQ(FormatUtcMs(1795280400123, true), "20261121T170000123Z");
  EXPECT_EQ(ParseUtcMs("2026-11-21T17:00:00.123Z"), 1795280400123);
  EXPECT_EQ(ParseUtcMs(FormatUtcMs(-1)), -1);
  EXPECT_EQ(ParseUtcMs("2026-02-30T00:00:00.000Z"), std::nullopt);
  EXPECT_EQ(ParseUtcMs("2026-11-21 17:00:00.123Z"), std::nullopt);
  EXPECT_EQ(ParseUtcMs("2026-11-21T17:00:00.123"), std::nullopt);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(WildcardTest, EachSyntaxMatchesTheWholeText) {
  EXPECT_TRUE(MatchesWildcard("snap%", "snap_2020", WildcardSyntax::kPercent));
  EXPECT_FALSE(MatchesWildcard("snap_", "snap1", WildcardSyntax::kPercent));  // '_' is itself
  EXPECT_TRUE(MatchesWildcard("s?a%", "sna", WildcardSyntax::kPercentAndQuestion));
  // SQL's LIKE: '_' is one character, '\' escapes '%' and '_'.
  EXPECT_TRUE(MatchesWildcard("snap_", "snap1", WildcardSyntax::kSqlLike));
  EXPECT_FALSE(MatchesWildcard("snap_", "snap12", WildcardSyntax::kSqlLike));
  EXPECT_TRUE(MatchesWildcard("%_2020", "x_2020", WildcardSyntax::kSqlLike));
  EXPECT_TRUE(MatchesWildcard("a\\_b%", "a_bc", WildcardSyntax::kSqlLike));
  EXPECT_FALSE(MatchesWildcard("a\\_b%", "axbc", WildcardSyntax::kSqlLike));
  EXPECT_TRUE(MatchesWildcard("100\\%", "100%", WildcardSyntax::kSqlLike));
  EXPECT_FALSE(MatchesWildcard("100\\%", "1000", WildcardSyntax::kSqlLike));
  EXPECT_TRUE(MatchesWildcard("%a%b%", "xxaxxbxx", WildcardSyntax::kSqlLike));
  EXPECT_FALSE(MatchesWildcard("", "a", WildcardSyntax::kSqlLike));
  EXPECT_TRUE(MatchesWildcard("%", "", WildcardSyntax::kSqlLike));
}

}  // namespace
}  // namespace strata
