// How object stores are reached: the node's configuration (strata.cfg, with DolphinDB's keys)
// and, for what it does not set, the standard AWS_* environment variables. Opens a location —
// a local directory or s3://bucket/prefix — as an ObjectStore. Secrets stay here: no message
// ever contains one.
//
//   setting            fallback                                default
//   s3AccessKeyId      AWS_ACCESS_KEY_ID                       (required)
//   s3SecretAccessKey  AWS_SECRET_ACCESS_KEY                   (required)
//   s3Region           AWS_REGION, AWS_DEFAULT_REGION          (required)
//   s3Endpoint         AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL   https://s3.<region>.amazonaws.com
//   s3UseHttp          -                                       false (for a host:port endpoint)
//   s3Addressing       -                                       path with s3Endpoint, else virtual
//   s3MaxAttempts      -                                       8 (1-100; attempts per request)
//   s3RetryBudgetMs    -                                       120000 (0-3600000; per request)
//   s3RetryBackoffMs   -                                       100 (1-60000; first retry's wait)
//   s3StallSeconds     -                                       30 (1-3600; < 1 KiB/s this long)
//   s3CaFile           AWS_CA_BUNDLE                           the system's CAs (https only: a
//                                                              PEM file of CAs to trust instead)
//   repositoryLockLeaseSeconds  -                              600 (1-86400; backup/prune locks)
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/config_file.h"
#include "repository/object_store.h"
#include "repository/s3_object_store.h"

namespace strata {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment.
std::optional<std::string> ProcessEnv(const std::string& name);

class StoreSettings {
 public:
  explicit StoreSettings(ConfigMap config = {}, EnvLookup env = ProcessEnv);

  // These settings with `overrides` in place of theirs and no environment fallback: how a
  // registered repository (its own endpoint and keys) is reached with the node's tuning.
  StoreSettings WithOwnKeys(const ConfigMap& overrides) const;

  // The S3 options these settings give; FailedPrecondition naming a missing setting (and its
  // environment fallback) or, for an https endpoint, a CA file that is missing or unreadable
  // (and the setting that named it); InvalidArgument naming a malformed setting.
  Result<S3Options> S3() const;

  // How long a repository lock lasts unless renewed (repositoryLockLeaseSeconds), in ms;
  // InvalidArgument naming the setting when it is malformed.
  Result<int64_t> LockLeaseMs() const;

  // Opens `location`: a local directory (created with `create_if_missing`; NotFound otherwise
  // when it does not exist) or "s3://bucket/prefix" (the bucket must exist).
  Result<std::unique_ptr<ObjectStore>> OpenStore(const std::string& location,
                                                 bool create_if_missing) const;

 private:
  std::optional<std::string> Setting(const std::string& key,
                                     std::initializer_list<const char*> env_names) const;
  // The CA file for an https endpoint (s3CaFile, else AWS_CA_BUNDLE; "" when neither is set),
  // checked to be a readable file.
  Result<std::string> CaFile() const;
  Result<int64_t> Bounded(const std::string& key, int64_t fallback, int64_t low,
                          int64_t high) const;

  ConfigMap config_;
  EnvLookup env_;
};

}  // namespace strata
