// S3 settings from strata.cfg and the AWS_* environment: precedence, endpoint forms, and the
// retry and stall bounds, each malformed value named in its error.
#include "repository/store_settings.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace strata
