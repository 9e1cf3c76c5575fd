// S3ObjectStore: the ObjectStore contract on an S3-compatible bucket (AWS S3, MinIO, Ceph RGW,
// Swift's s3api), over HTTP(S) with AWS Signature V4. Keys live under the location's prefix.
// Large objects go up as multipart uploads, parts in parallel (aborted on failure); transient
// failures (5xx, 429, timeouts, resets, bodies cut short) are retried with exponential backoff
// and jitter, bounded in attempts and time; a TLS certificate that fails verification is not
// retried. Secrets never appear in messages.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "repository/http_client.h"
#include "repository/object_store.h"
#include "repository/s3_signer.h"

namespace strata {

// "s3://bucket/prefix" split; the prefix has no leading or trailing '/'.
struct S3Location {
  std::string bucket;
  std::string prefix;
};
Result<S3Location> ParseS3Url(const std::string& url);

// The key object `key` of `location` has in its bucket: "<prefix>/<key>", or `key` when the
// prefix is empty.
std::string S3FullKey(const S3Location& location, const std::string& key);

struct S3Options {
  // "http://127.0.0.1:9000", "https://s3.eu-west-1.amazonaws.com": scheme and authority only
  // (a trailing '/' is ignored; Open refuses a path, query or user part).
  std::string endpoint;
  std::string region;
  S3Credentials credentials;
  bool virtual_hosted = false;  // bucket.host/key instead of host/bucket/key
  uint64_t multipart_threshold = uint64_t{64} << 20;
  uint64_t part_size = uint64_t{16} << 20;  // S3 needs >= 5 MiB for all parts but the last
  int parallel_parts = 4;
  int list_page_size = 1000;          // keys per ListObjectsV2 page (S3's maximum)
  int max_attempts = 8;               // per request (s3MaxAttempts)
  int64_t retry_budget_ms = 120'000;  // per request, from its first attempt (s3RetryBudgetMs)
  int64_t first_backoff_ms = 100;     // doubles per attempt, capped (s3RetryBackoffMs)
  int64_t max_backoff_ms = 5'000;
  HttpClientOptions http;  // stall_seconds: s3StallSeconds; ca_file: s3CaFile (https only)
};

// Where one request goes, built from the endpoint and addressing alone (no I/O).
struct S3Target {
  std::string host;  // the authority, signed as Host: "host:port", "bucket.host" when virtual
  std::string path;  // the canonical URI, URI-encoded: "/bucket/key" (path style) or "/key"
  std::string url;   // scheme://host + path, then "?" and the canonical query if there is one
  bool operator==(const S3Target&) const = default;
};

// The target of a request on `full_key` (S3FullKey; empty for the bucket itself) in `bucket`,
// with the unencoded `query`, for `options.endpoint` and `options.virtual_hosted`. The
// endpoint must have passed Open's check (scheme://authority).
S3Target S3RequestTarget(const S3Options& options, const std::string& bucket,
                         const std::string& full_key,
                         const std::vector<std::pair<std::string, std::string>>& query);

class S3ObjectStore : public ObjectStore {
 public:
  // Checks that the bucket exists and the credentials are accepted: NotFound naming a missing
  // bucket, PermissionDenied naming the settings to check, InvalidArgument for an endpoint
  // that is not scheme://host[:port]. Writes nothing.
  static Result<std::unique_ptr<S3ObjectStore>> Open(S3Options options, S3Location location);

  std::string Describe() const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Result<std::string> Get(const std::string& key) override;
  Result<std::string> GetRange(const std::string& key, uint64_t offset, uint64_t length) override;
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override;
  Status ListEach(const std::string& prefix,
                  const std::function<Status(ObjectInfo)>& each) override;
  Status Delete(const std::string& key) override;
  Status DeleteMany(const std::vector<std::string>& keys) override;

  // Requests sent, including retries (for tests and benchmarks).
  uint64_t requests_sent() const { return requests_sent_.load(); }

 private:
  struct Request;
  S3ObjectStore(S3Options options, S3Location location);

  // Sends `request`, retrying transient failures; the last response otherwise (any status).
  // Unavailable naming the request, the store and the attempts once retries are exhausted.
  // `attempts`, if given, receives the number of attempts made.
  Result<HttpResponse> Execute(const Request& request, int* attempts = nullptr);
  HttpRequest Sign(const Request& request, const std::string& payload_sha256);
  // The error for `request` when the endpoint's TLS certificate (or the CA file) failed
  // verification, or the https:// endpoint speaks plain HTTP: names the store and the fix
  // (trusting a private CA, or the endpoint's scheme or port).
  Status TlsError(const Request& request, const Status& cause) const;
  // The error for a non-2xx `response` to an operation on `key` (or the bucket when empty).
  Status ErrorOf(const HttpResponse& response, const std::string& what, const std::string& key);
  std::string FullKey(const std::string& key) const;
  Status PutMultipart(const std::string& key, std::string_view bytes);
  // Sends CompleteMultipartUpload for `upload_id` with `etags` (part i + 1 has etags[i]).
  Status CompleteUpload(const std::string& key, const std::string& upload_id,
                        const std::vector<std::string>& etags, uint64_t size_bytes);

  S3Options options_;
  S3Location location_;
  HttpClient http_;
  std::atomic<uint64_t> requests_sent_{0};
};

}  // namespace strata
