// S3ObjectStore against the real S3 server the fixture started (tests/s3/CMakeLists.txt):
// the ObjectStore contract, multipart uploads, paging, batch deletes, and the errors for a
// missing bucket, a wrong secret, a wrong region and an endpoint that does not answer; and,
// through tests/s3/fault_proxy.py, the completion of a multipart upload whose reply was lost.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "repository/s3_object_store.h"
#include "repository/store_settings.h"

namespace strata {
namespace {

constexpr const char* kBucket = "strata-test";

std::string RandomBytes(size_t size, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(random());
  return out;
}

// tests/s3/fault_proxy.py in front of the fixture's server, with scripted faults (`rules`:
// "REGEX=KIND,..."), on a port of its choosing; stopped by its PID when destroyed.
class FaultProxy {
 public:
  explicit FaultProxy(const std::vector<std::string>& rules) {
    const char* dir = std::getenv("S3_TEST_DIR");
    const char* upstream = std::getenv("S3_ENDPOINT");
    if (dir == nullptr || upstream == nullptr) return;
    char scratch[] = "/tmp/strata-fault-proxy-XXXXXX";
    if (::mkdtemp(scratch) == nullptr) return;
    scratch_ = scratch;
    std::vector<std::string> args = {"python3",     std::string(dir) + "/fault_proxy.py",
                                     "--upstream",  upstream,
                                     "--port-file", scratch_ + "/port",
                                     "--stats",     scratch_ + "/stats.json",
                                     "--log",       scratch_ + "/log"};
    for (const auto& rule : rules) {
      args.push_back("--rule");
      args.push_back(rule);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawnp(&pid_, "python3", nullptr, nullptr, argv.data(), environ) != 0) pid_ = 0;
    for (int i = 0; i < 200 && pid_ != 0 && port_.empty(); ++i) {
      std::ifstream in(scratch_ + "/port");
      std::getline(in, port_);
      if (port_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~FaultProxy() {
    if (pid_ != 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_);
  }
  // "http://127.0.0.1:PORT", or "" if it did not start.
  std::string endpoint() const { return port_.empty() ? "" : "http://127.0.0.1:" + port_; }
  // Its log: one line per injected fault.
  std::string log() const {
    std::ifstream in(scratch_ + "/log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  pid_t pid_ = 0;
  std::string scratch_;
  std::string port_;
};

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* endpoint = std::getenv("S3_ENDPOINT");
    ASSERT_NE(endpoint, nullptr) << "run through tests/s3/with_env.sh";
    ASSERT_TRUE(std::string(endpoint).starts_with("http://127.0.0.1:")) << endpoint;
    auto options = StoreSettings().S3();  // the AWS_* variables with_env.sh exported
    ASSERT_TRUE(options.ok()) << options.status().ToString();
    options_ = *options;
    ASSERT_EQ(options_.endpoint, endpoint);
    prefix_ = std::string("store-test/") +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  std::unique_ptr<S3ObjectStore> Open(const std::string& prefix) {
    auto store = S3ObjectStore::Open(options_, {kBucket, prefix});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  S3Options options_;
  std::string prefix_;
};

TEST_F(S3StoreTest, OpenChecksBucketCredentialsAndRegion) {
  auto missing = S3ObjectStore::Open(options_, {"no-such-bucket", "x"});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("bucket 'no-such-bucket' does not exist"),
            std::string::npos)
      << missing.status().message();

  S3Options wrong = options_;
  wrong.credentials.secret_access_key = "not-the-secret-123";
  auto refused = S3ObjectStore::Open(wrong, {kBucket, prefix_});
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("s3SecretAccessKey"), std::string::npos);
  EXPECT_EQ(refused.status().message().find("not-the-secret-123"), std::string::npos);
  EXPECT_EQ(refused.status().message().find(options_.credentials.secret_access_key),
            std::string::npos);

  S3Options region = options_;
  region.region = "eu-north-1";
  auto wrong_region = S3ObjectStore::Open(region, {kBucket, prefix_});
  EXPECT_FALSE(wrong_region.ok());
  EXPECT_NE(wrong_region.status().message().find("s3Region"), std::string::npos)
      << wrong_region.status().message();
}

TEST_F(S3StoreTest, ObjectsRoundTrip) {
  auto store = Open(prefix_);
  ASSERT_NE(store, nullptr);
  std::string content = RandomBytes(100'000, 1);
  ASSERT_TRUE(store->Put("objects/ab/one", content).ok());
  EXPECT_EQ(*store->Get("objects/ab/one"), content);
  auto head = store->Head("objects/ab/one");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size_bytes, content.size());
  EXPECT_EQ(*store->GetRange("objects/ab/one", 10, 20), content.substr(10, 20));
  EXPECT_EQ(*store->GetRange("objects/ab/one", 99'990, 100), content.substr(99'990));
  EXPECT_EQ(*store->GetRange("objects/ab/one", 100'000, 5), "");
  EXPECT_EQ(store->GetRange("objects/ab/one", 100'001, 5).status().code(),
            StatusCode::kInvalidArgument);
  // Overwrite, odd characters, empty objects.
  ASSERT_TRUE(store->Put("objects/ab/one", "short").ok());
  EXPECT_EQ(*store->Get("objects/ab/one"), "short");
  ASSERT_TRUE(store->Put("odd keys/a+b c%d=e&f", "x").ok());
  EXPECT_EQ(*store->Get("odd keys/a+b c%d=e&f"), "x");
  ASSERT_TRUE(store->Put("empty", "").ok());
  EXPECT_EQ(*store->Get("empty"), "");
  // Missing objects.
  EXPECT_EQ(store->Get("nope").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store->Head("nope")->has_value());
  EXPECT_EQ(store->GetRange("nope", 0, 1).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store->Delete("nope").ok());
  ASSERT_TRUE(store->Delete("empty").ok());
  EXPECT_FALSE(store->Head("empty")->has_value());
}

TEST_F(S3StoreTest, ListsEveryPageInKeyOrderWithinItsPrefix) {
  options_.list_page_size = 3;
  auto store = Open(prefix_ + "/inside");
  auto sibling = Open(prefix_ + "/inside-not");
  ASSERT_NE(store, nullptr);
  ASSERT_NE(sibling, nullptr);
  ASSERT_TRUE(sibling->Put("objects/zz", "other").ok());
  std::vector<std::string> keys;
  for (int i = 6; i >= 0; --i) {
    std::string key = "objects/" + std::to_string(i) + "/k";
    ASSERT_TRUE(store->Put(key, std::string(static_cast<size_t>(i), 'x')).ok());
    keys.insert(keys.begin(), key);
  }
  ASSERT_TRUE(store->Put("snapshots/s.json", "{}").ok());
  auto listed = store->List("objects/");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ((*listed)[i].key, keys[i]);
    EXPECT_EQ((*listed)[i].size_bytes, i);
  }
  EXPECT_EQ(store->List("")->size(), keys.size() + 1);
  EXPECT_EQ(sibling->List("")->size(), 1u);
  // DeleteMany removes them all (and accepts a missing key).
  std::vector<std::string> doomed = keys;
  doomed.push_back("objects/missing");
  ASSERT_TRUE(store->DeleteMany(doomed).ok());
  EXPECT_TRUE(store->List("objects/")->empty());
  EXPECT_EQ(sibling->List("")->size(), 1u);
}

TEST_F(S3StoreTest, LargeObjectsGoUpInParallelParts) {
  options_.multipart_threshold = 6 << 20;
  options_.part_size = 5 << 20;
  auto store = Open(prefix_);
  ASSERT_NE(store, nullptr);
  std::string content = RandomBytes((12 << 20) + 123, 2);
  uint64_t before = store->requests_sent();
  ASSERT_TRUE(store->Put("objects/big", content).ok());
  EXPECT_GE(store->requests_sent() - before, 5u);  // start, 3 parts, complete
  EXPECT_EQ(*store->Get("objects/big"), content);
  EXPECT_EQ(*store->GetRange("objects/big", (5 << 20) - 10, 20),
            content.substr((5 << 20) - 10, 20));
  // Below the threshold: one request.
  before = store->requests_sent();
  ASSERT_TRUE(store->Put("objects/small", content.substr(0, 6 << 20)).ok());
  EXPECT_EQ(store->requests_sent() - before, 1u);
}

// The reply to CompleteMultipartUpload is lost after the server completed the upload. Swift
// 2.30 answers the retry 200 again; AWS answers NoSuchUpload (the proxy's `no_such_upload`
// plays AWS). Either way the object is in place with the uploaded size, so the upload
// succeeded. Without the first completion, the same NoSuchUpload is an error and nothing is
// left under the key.
TEST_F(S3StoreTest, AnUploadCompletedBeforeItsReplyWasLostIsAccepted) {
  constexpr const char* kComplete = "^POST [^?]*[?]uploadId=";
  std::string content = RandomBytes((11 << 20) + 7, 3);
  options_.multipart_threshold = 6 << 20;
  options_.part_size = 5 << 20;
  options_.first_backoff_ms = 10;
  for (const char* retry : {"no_such_upload", "pass"}) {
    FaultProxy proxy({std::string(kComplete) + "=response_cut," + retry});
    ASSERT_NE(proxy.endpoint(), "") << "fault_proxy.py did not start";
    options_.endpoint = proxy.endpoint();
    auto store = Open(prefix_);
    ASSERT_NE(store, nullptr);
    std::string key = std::string("objects/completed-") + retry;
    Status put = store->Put(key, content);
    EXPECT_TRUE(put.ok()) << retry << ": " << put.ToString();
    EXPECT_NE(proxy.log().find("fault response_cut: POST"), std::string::npos) << proxy.log();
    EXPECT_EQ(proxy.log().find("fault no_such_upload: POST") != std::string::npos,
              std::string(retry) == "no_such_upload")
        << proxy.log();
    EXPECT_EQ(*store->Get(key), content);
  }
  FaultProxy proxy({std::string(kComplete) + "=http503,no_such_upload"});
  ASSERT_NE(proxy.endpoint(), "");
  options_.endpoint = proxy.endpoint();
  auto store = Open(prefix_);
  ASSERT_NE(store, nullptr);
  Status put = store->Put("objects/never-completed", content);
  EXPECT_EQ(put.code(), StatusCode::kIoError) << put.ToString();
  EXPECT_NE(put.message().find("NoSuchUpload"), std::string::npos) << put.message();
  EXPECT_NE(put.message().find("objects/never-completed"), std::string::npos) << put.message();
  EXPECT_FALSE(store->Head("objects/never-completed")->has_value());
}

TEST_F(S3StoreTest, AnEndpointThatDoesNotAnswerFailsAfterBoundedRetries) {
  S3Options dead = options_;
  dead.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  dead.max_attempts = 3;
  dead.first_backoff_ms = 10;
  auto store = S3ObjectStore::Open(dead, {kBucket, prefix_});
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("retries exhausted after 3 attempts"), std::string::npos)
      << store.status().message();
}

}  // namespace
}  // namespace strata
