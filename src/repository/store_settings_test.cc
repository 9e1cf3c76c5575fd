// S3 settings from strata.cfg and the AWS_* environment: precedence, endpoint forms, and the
// retry and stall bounds, each malformed value named in its error, and the CA file that only
// https endpoints read.
#include "repository/store_settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/strings.h"

namespace strata {
namespace {

StoreSettings WithConfig(ConfigMap extra) {
  ConfigMap config = {{"s3AccessKeyId", "AKIDEXAMPLE"},
                      {"s3SecretAccessKey", "secret-not-shown-42"},
                      {"s3Region", "us-east-1"}};
  for (auto& [key, value] : extra) config[key] = value;
  return StoreSettings(config, [](const std::string&) { return std::nullopt; });
}

TEST(StoreSettingsTest, DefaultsAndEndpointForms) {
  auto aws = WithConfig({}).S3();
  ASSERT_TRUE(aws.ok()) << aws.status().ToString();
  EXPECT_EQ(aws->endpoint, "https://s3.us-east-1.amazonaws.com");
  EXPECT_TRUE(aws->virtual_hosted);
  EXPECT_EQ(aws->max_attempts, 8);
  EXPECT_EQ(aws->retry_budget_ms, 120'000);
  EXPECT_EQ(aws->first_backoff_ms, 100);
  EXPECT_EQ(aws->http.stall_seconds, 30);
  auto local = WithConfig({{"s3Endpoint", "127.0.0.1:9000"}, {"s3UseHttp", "true"}}).S3();
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->endpoint, "http://127.0.0.1:9000");
  EXPECT_FALSE(local->virtual_hosted);
  auto url = WithConfig({{"s3Endpoint", "https://minio.test:9443/"}}).S3();
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->endpoint, "https://minio.test:9443");
}

TEST(StoreSettingsTest, TheConfigurationComesBeforeTheEnvironment) {
  StoreSettings settings({{"s3Region", "eu-north-1"}}, [](const std::string& name) {
    if (name == "AWS_ACCESS_KEY_ID") return std::optional<std::string>("from-env");
    if (name == "AWS_SECRET_ACCESS_KEY") return std::optional<std::string>("env-secret");
    if (name == "AWS_REGION") return std::optional<std::string>("us-west-2");
    return std::optional<std::string>();
  });
  auto options = settings.S3();
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->credentials.access_key_id, "from-env");
  EXPECT_EQ(options->region, "eu-north-1");
}

TEST(StoreSettingsTest, RetryAndStallBoundsAreConfigurable) {
  auto options = WithConfig({{"s3MaxAttempts", "3"},
                             {"s3RetryBudgetMs", "5000"},
                             {"s3RetryBackoffMs", "20"},
                             {"s3StallSeconds", "2"}})
                     .S3();
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->max_attempts, 3);
  EXPECT_EQ(options->retry_budget_ms, 5000);
  EXPECT_EQ(options->first_backoff_ms, 20);
  EXPECT_EQ(options->http.stall_seconds, 2);
  auto slow = WithConfig({{"s3RetryBackoffMs", "60000"}}).S3();
  ASSERT_TRUE(slow.ok());
  EXPECT_GE(slow->max_backoff_ms, slow->first_backoff_ms);
}

TEST(StoreSettingsTest, MalformedValuesNameTheirSetting) {
  struct Case {
    const char* key;
    const char* value;
  };
  for (Case c :
       {Case{"s3MaxAttempts", "0"}, Case{"s3MaxAttempts", "101"}, Case{"s3MaxAttempts", "three"},
        Case{"s3MaxAttempts", "3 "}, Case{"s3RetryBudgetMs", "-1"}, Case{"s3RetryBudgetMs", "1e3"},
        Case{"s3RetryBackoffMs", "0"}, Case{"s3StallSeconds", "0"},
        Case{"s3StallSeconds", "99999999999999999999"}, Case{"s3UseHttp", "yes"},
        Case{"s3Addressing", "dns"}, Case{"s3Endpoint", "ftp://host"}}) {
    auto options = WithConfig({{c.key, c.value}}).S3();
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument) << c.key << "=" << c.value;
    EXPECT_NE(options.status().message().find(c.key), std::string::npos)
        << options.status().message();
    EXPECT_EQ(options.status().message().find("secret-not-shown-42"), std::string::npos);
  }
}

TEST(StoreSettingsTest, MissingSettingsNameTheirEnvironmentFallback) {
  auto options = StoreSettings({}, [](const std::string&) { return std::nullopt; }).S3();
  EXPECT_EQ(options.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(options.status().message().find("s3AccessKeyId"), std::string::npos);
  EXPECT_NE(options.status().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

// An environment holding only AWS_CA_BUNDLE=`bundle`.
EnvLookup CaBundleEnv(std::string bundle) {
  return [bundle](const std::string& name) {
    return name == "AWS_CA_BUNDLE" ? std::optional<std::string>(bundle) : std::nullopt;
  };
}

ConfigMap Credentials(ConfigMap extra) {
  ConfigMap config = {{"s3AccessKeyId", "AKIDEXAMPLE"},
                      {"s3SecretAccessKey", "secret-not-shown-42"},
                      {"s3Region", "us-east-1"}};
  for (auto& [key, value] : extra) config[key] = value;
  return config;
}

TEST(StoreSettingsTest, HttpsEndpointsTrustTheCaFileFromTheConfigOrTheEnvironment) {
  std::string dir = ::testing::TempDir() + "store_settings_ca";
  std::filesystem::create_directories(dir);
  std::string config_ca = dir + "/config-ca.pem", env_ca = dir + "/env-ca.pem";
  std::ofstream(config_ca) << "-----BEGIN CERTIFICATE-----\n";
  std::ofstream(env_ca) << "-----BEGIN CERTIFICATE-----\n";
  auto https = Credentials({{"s3Endpoint", "https://127.0.0.1:9443"}});
  auto from_env = StoreSettings(https, CaBundleEnv(env_ca)).S3();
  ASSERT_TRUE(from_env.ok()) << from_env.status().ToString();
  EXPECT_EQ(from_env->http.ca_file, env_ca);
  auto with_config = https;
  with_config["s3CaFile"] = config_ca;
  auto from_config = StoreSettings(with_config, CaBundleEnv(env_ca)).S3();
  ASSERT_TRUE(from_config.ok()) << from_config.status().ToString();
  EXPECT_EQ(from_config->http.ca_file, config_ca);
  auto neither = WithConfig({{"s3Endpoint", "https://127.0.0.1:9443"}}).S3();
  ASSERT_TRUE(neither.ok());
  EXPECT_EQ(neither->http.ca_file, "");  // libcurl's default store
  std::filesystem::remove_all(dir);
}

TEST(StoreSettingsTest, HttpEndpointsNeverReadTheCaFile) {
  // A stale AWS_CA_BUNDLE (or s3CaFile) must not break a plain-HTTP store.
  for (auto endpoint : {Credentials({{"s3Endpoint", "http://127.0.0.1:9000"}}),
                        Credentials({{"s3Endpoint", "127.0.0.1:9000"}, {"s3UseHttp", "true"}})}) {
    auto env = StoreSettings(endpoint, CaBundleEnv("/nonexistent/ca.pem")).S3();
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    EXPECT_EQ(env->http.ca_file, "");
    endpoint["s3CaFile"] = "/nonexistent/ca.pem";
    auto config = StoreSettings(endpoint, CaBundleEnv("/nonexistent/ca.pem")).S3();
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    EXPECT_EQ(config->http.ca_file, "");
  }
}

TEST(StoreSettingsTest, AnUnusableCaFileNamesTheSettingAndThePath) {
  std::string dir = ::testing::TempDir() + "store_settings_ca_dir";
  std::filesystem::create_directories(dir);
  // The default endpoint (AWS) is https too.
  for (std::string path : {std::string("/nonexistent/ca.pem"), dir}) {
    auto config = StoreSettings(Credentials({{"s3CaFile", path}}), CaBundleEnv("/x")).S3();
    EXPECT_EQ(config.status().code(), StatusCode::kFailedPrecondition) << path;
    EXPECT_NE(config.status().message().find("s3CaFile"), std::string::npos);
    EXPECT_NE(config.status().message().find(Quote(path)), std::string::npos)
        << config.status().message();
    EXPECT_EQ(config.status().message().find("secret-not-shown-42"), std::string::npos);
    auto env = StoreSettings(Credentials({}), CaBundleEnv(path)).S3();
    EXPECT_EQ(env.status().code(), StatusCode::kFailedPrecondition) << path;
    EXPECT_NE(env.status().message().find("AWS_CA_BUNDLE"), std::string::npos);
    EXPECT_NE(env.status().message().find(Quote(path)), std::string::npos)
        << env.status().message();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace strata
