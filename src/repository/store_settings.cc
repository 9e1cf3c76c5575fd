#include "repository/store_settings.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/strings.h"
#include "repository/local_object_store.h"

namespace strata {

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

StoreSettings::StoreSettings(ConfigMap config, EnvLookup env)
    : config_(std::move(config)), env_(std::move(env)) {}

std::optional<std::string> StoreSettings::Setting(
    const std::string& key, std::initializer_list<const char*> env_names) const {
  auto it = config_.find(key);
  if (it != config_.end() && !it->second.empty()) return it->second;
  for (const char* name : env_names) {
    if (auto value = env_(name)) return value;
  }
  return std::nullopt;
}

// The whole-number setting `key` (unset: `fallback`); InvalidArgument naming the setting unless
// it is a number from `low` to `high`.
Result<int64_t> StoreSettings::Bounded(const std::string& key, int64_t fallback, int64_t low,
                                       int64_t high) const {
  auto text = Setting(key, {});
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < low || value > high) {
    return InvalidArgument(key + " must be a whole number from " + std::to_string(low) + " to " +
                           std::to_string(high) + ", not " + Quote(*text));
  }
  return value;
}

Result<int64_t> StoreSettings::LockLeaseMs() const {
  constexpr int64_t kDefaultLeaseSeconds = 600;
  ASSIGN_OR_RETURN(int64_t seconds,
                   Bounded("repositoryLockLeaseSeconds", kDefaultLeaseSeconds, 1, 86'400));
  return seconds * 1000;
}

Result<std::string> StoreSettings::CaFile() const {
  std::string source = "s3CaFile";
  std::optional<std::string> path;
  if (auto it = config_.find("s3CaFile"); it != config_.end() && !it->second.empty()) {
    path = it->second;
  } else if ((path = env_("AWS_CA_BUNDLE"))) {
    source = "AWS_CA_BUNDLE (the environment fallback for s3CaFile)";
  }
  if (!path) return std::string();
  std::error_code error;
  auto status = std::filesystem::status(*path, error);
  std::string problem;
  if (!std::filesystem::exists(status)) {
    problem = "does not exist";
  } else if (!std::filesystem::is_regular_file(status)) {
    problem = "is not a file";
  } else if (!std::ifstream(*path, std::ios::binary)) {
    problem = "cannot be read";
  }
  if (problem.empty()) return *path;
  return FailedPrecondition(source + " names the CA file " + Quote(*path) + ", which " + problem +
                            ": set it to a readable PEM file of the CAs that sign the S3 "
                            "endpoint's certificate, or unset it to use the system's CAs");
}

StoreSettings StoreSettings::WithOwnKeys(const ConfigMap& overrides) const {
  ConfigMap config = config_;
  for (const auto& [key, value] : overrides) config[key] = value;
  return StoreSettings(std::move(config), [](const std::string&) -> std::optional<std::string> {
    return std::nullopt;
  });
}

Result<S3Options> StoreSettings::S3() const {
  auto missing = [](const std::string& key, const std::string& env) {
    return FailedPrecondition("S3 setting " + key + " is not set: add `" + key +
                              "=...` to strata.cfg in the data directory (or the file given "
                              "with --config), or set " +
                              env);
  };
  S3Options options;
  auto key_id = Setting("s3AccessKeyId", {"AWS_ACCESS_KEY_ID"});
  if (!key_id) return missing("s3AccessKeyId", "AWS_ACCESS_KEY_ID");
  auto secret = Setting("s3SecretAccessKey", {"AWS_SECRET_ACCESS_KEY"});
  if (!secret) return missing("s3SecretAccessKey", "AWS_SECRET_ACCESS_KEY");
  auto region = Setting("s3Region", {"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (!region) return missing("s3Region", "AWS_REGION");
  options.credentials = {*key_id, *secret};
  options.region = *region;
  auto endpoint = Setting("s3Endpoint", {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});
  std::string use_http = Setting("s3UseHttp", {}).value_or("false");
  if (use_http != "true" && use_http != "false") {
    return InvalidArgument("s3UseHttp must be true or false, not " + Quote(use_http));
  }
  if (!endpoint) {
    options.endpoint = "https://s3." + options.region + ".amazonaws.com";
  } else if (endpoint->starts_with("http://") || endpoint->starts_with("https://")) {
    options.endpoint = *endpoint;
  } else if (endpoint->find("://") != std::string::npos ||
             endpoint->find('/') != std::string::npos) {
    return InvalidArgument("s3Endpoint " + Quote(*endpoint) +
                           " must be a URL (http://host:port) or host:port");
  } else {
    options.endpoint = (use_http == "true" ? "http://" : "https://") + *endpoint;
  }
  while (options.endpoint.ends_with('/')) options.endpoint.pop_back();
  std::string addressing = Setting("s3Addressing", {}).value_or(endpoint ? "path" : "virtual");
  if (addressing != "path" && addressing != "virtual") {
    return InvalidArgument("s3Addressing must be path or virtual, not " + Quote(addressing));
  }
  options.virtual_hosted = addressing == "virtual";
  ASSIGN_OR_RETURN(int64_t attempts, Bounded("s3MaxAttempts", options.max_attempts, 1, 100));
  options.max_attempts = static_cast<int>(attempts);
  ASSIGN_OR_RETURN(options.retry_budget_ms,
                   Bounded("s3RetryBudgetMs", options.retry_budget_ms, 0, 3'600'000));
  ASSIGN_OR_RETURN(options.first_backoff_ms,
                   Bounded("s3RetryBackoffMs", options.first_backoff_ms, 1, 60'000));
  options.max_backoff_ms = std::max(options.max_backoff_ms, options.first_backoff_ms);
  ASSIGN_OR_RETURN(int64_t stall_s, Bounded("s3StallSeconds", options.http.stall_seconds, 1, 3600));
  options.http.stall_seconds = static_cast<long>(stall_s);
  // Only https reads a CA file: a stale AWS_CA_BUNDLE in the environment cannot break an http
  // endpoint.
  if (options.endpoint.starts_with("https://")) {
    ASSIGN_OR_RETURN(options.http.ca_file, CaFile());
  }
  return options;
}

Result<std::unique_ptr<ObjectStore>> StoreSettings::OpenStore(const std::string& location,
                                                              bool create_if_missing) const {
  if (location.starts_with("s3://")) {
    ASSIGN_OR_RETURN(S3Location s3, ParseS3Url(location));
    ASSIGN_OR_RETURN(S3Options options, S3());
    ASSIGN_OR_RETURN(auto store, S3ObjectStore::Open(std::move(options), std::move(s3)));
    return std::unique_ptr<ObjectStore>(std::move(store));
  }
  ASSIGN_OR_RETURN(auto store, LocalObjectStore::Open(location, create_if_missing));
  return std::unique_ptr<ObjectStore>(std::move(store));
}

}  // namespace strata
