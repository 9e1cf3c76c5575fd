#include "repository/s3_object_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <ctime>
#include <pugixml.hpp>
#include <random>
#include <thread>

#include "base/hash.h"
#include "base/strings.h"

namespace strata {

namespace {

// What a request is about, for its error messages: the quoted key, or the bucket itself.
std::string KeyOrBucket(const std::string& key) {
  return key.empty() ? std::string("the bucket") : Quote(key);
}

constexpr size_t kDeleteBatch = 1000;  // S3's limit per DeleteObjects request

std::string AmzDateNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string Base64Md5(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  unsigned char text[64];
  int n = EVP_EncodeBlock(text, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(n));
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Code and Message of an S3 <Error> document ("" when the body is not one).
std::pair<std::string, std::string> ErrorDetails(const std::string& body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return {"", ""};
  pugi::xml_node error = doc.child("Error");
  return {error.child_value("Code"), error.child_value("Message")};
}

bool Retryable(long status, const std::string& body) {
  if (status == 429 || status >= 500) return status != 501;
  return status == 400 && ErrorDetails(body).first == "RequestTimeout";
}

// `text` as a size; nullopt unless it is all decimal digits (and fits).
std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// "http" and "example.com:9000" from "http://example.com:9000/" (Open checked the form).
std::pair<std::string, std::string> SplitEndpoint(const std::string& endpoint) {
  size_t scheme_end = endpoint.find("://");
  std::string authority = endpoint.substr(scheme_end + 3);
  while (authority.ends_with('/')) authority.pop_back();
  return {endpoint.substr(0, scheme_end), authority};
}

}  // namespace

struct S3ObjectStore::Request {
  std::string method;
  std::string key;  // full key; empty for the bucket itself
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
};

std::string S3FullKey(const S3Location& location, const std::string& key) {
  return location.prefix.empty() ? key : location.prefix + "/" + key;
}

S3Target S3RequestTarget(const S3Options& options, const std::string& bucket,
                         const std::string& full_key,
                         const std::vector<std::pair<std::string, std::string>>& query) {
  auto [scheme, authority] = SplitEndpoint(options.endpoint);
  S3Target target;
  if (options.virtual_hosted) {
    target.host = bucket + "." + authority;
    target.path = "/" + UriEncode(full_key, false);
  } else {
    target.host = authority;
    target.path = "/" + bucket + (full_key.empty() ? "" : "/" + UriEncode(full_key, false));
  }
  target.url = scheme + "://" + target.host + target.path;
  std::string canonical_query = CanonicalQueryString(query);
  if (!canonical_query.empty()) target.url += "?" + canonical_query;
  return target;
}

Result<S3Location> ParseS3Url(const std::string& url) {
  if (!url.starts_with("s3://")) {
    return InvalidArgument(Quote(url) + " is not an S3 location; write s3://bucket/prefix");
  }
  std::string rest = url.substr(5);
  size_t slash = rest.find('/');
  S3Location location;
  location.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) location.prefix = rest.substr(slash + 1);
  while (location.prefix.ends_with('/')) location.prefix.pop_back();
  bool valid = location.bucket.size() >= 3 && location.bucket.size() <= 63;
  for (char c : location.bucket) {
    valid = valid && (std::islower(static_cast<unsigned char>(c)) ||
                      std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.');
  }
  if (!valid) {
    return InvalidArgument("bucket " + Quote(location.bucket) + " in " + Quote(url) +
                           " is not a valid S3 bucket name (3-63 lower-case letters, digits, "
                           "'-' and '.')");
  }
  if (!location.prefix.empty()) {
    Status key = ValidateObjectKey(location.prefix);
    if (!key.ok()) return InvalidArgument("the prefix of " + Quote(url) + ": " + key.message());
  }
  return location;
}

S3ObjectStore::S3ObjectStore(S3Options options, S3Location location)
    : options_(std::move(options)), location_(std::move(location)), http_(options_.http) {}

Result<std::unique_ptr<S3ObjectStore>> S3ObjectStore::Open(S3Options options, S3Location location) {
  if (!options.endpoint.starts_with("http://") && !options.endpoint.starts_with("https://")) {
    return InvalidArgument("S3 endpoint " + Quote(options.endpoint) +
                           " must begin with http:// or https://");
  }
  std::string authority = SplitEndpoint(options.endpoint).second;
  if (authority.empty() || authority.find_first_of("/?#@") != std::string::npos) {
    return InvalidArgument("S3 endpoint " + Quote(options.endpoint) +
                           " must be scheme://host or scheme://host:port, without a path");
  }
  std::unique_ptr<S3ObjectStore> store(new S3ObjectStore(std::move(options), std::move(location)));
  // One listing proves the bucket, the credentials and the region.
  Request probe{"GET", "", {{"list-type", "2"}, {"max-keys", "1"}}, {}, {}};
  ASSIGN_OR_RETURN(HttpResponse response, store->Execute(probe));
  if (response.status / 100 != 2) return store->ErrorOf(response, "access", "");
  return store;
}

std::string S3ObjectStore::Describe() const {
  return "S3 location " +
         Quote("s3://" + location_.bucket + (location_.prefix.empty() ? "" : "/") +
               location_.prefix) +
         " at " + options_.endpoint;
}

std::string S3ObjectStore::FullKey(const std::string& key) const {
  return S3FullKey(location_, key);
}

HttpRequest S3ObjectStore::Sign(const Request& request, const std::string& payload_sha256) {
  S3Target target = S3RequestTarget(options_, location_.bucket, request.key, request.query);
  std::string amz_date = AmzDateNow();
  SigningInput input{request.method, target.path, request.query, request.headers, payload_sha256};
  input.headers.emplace_back("host", target.host);
  input.headers.emplace_back("x-amz-date", amz_date);
  input.headers.emplace_back("x-amz-content-sha256", payload_sha256);
  std::string authorization =
      AuthorizationHeader(input, options_.credentials, options_.region, amz_date);
  HttpRequest http{request.method, std::move(target.url), std::move(input.headers), request.body};
  http.headers.emplace_back("Authorization", std::move(authorization));
  return http;
}

Result<HttpResponse> S3ObjectStore::Execute(const Request& request, int* attempts) {
  std::string payload_sha256 = ToHex(Sha256Of(request.body));
  auto start = std::chrono::steady_clock::now();
  thread_local std::mt19937_64 random(std::random_device{}());
  std::string last;  // why the latest attempt failed
  for (int attempt = 0;; ++attempt) {
    ++requests_sent_;
    if (attempts != nullptr) *attempts = attempt + 1;
    auto response = http_.Send(Sign(request, payload_sha256));
    if (!response.ok() && (response.status().code() == StatusCode::kFailedPrecondition ||
                           response.status().code() == StatusCode::kInvalidArgument)) {
      return TlsError(request, response.status());  // retrying cannot help
    }
    if (response.ok() && !Retryable(response->status, response->body)) return response;
    if (response.ok()) {
      auto [code, message] = ErrorDetails(response->body);
      last = "HTTP " + std::to_string(response->status) + (code.empty() ? "" : " " + code);
    } else {
      last = response.status().message();
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    int64_t ceiling =
        std::min(options_.max_backoff_ms, options_.first_backoff_ms << std::min(attempt, 20));
    int64_t delay = std::uniform_int_distribution<int64_t>(ceiling / 2, ceiling)(random);
    if (attempt + 1 >= options_.max_attempts || elapsed + delay > options_.retry_budget_ms) {
      std::string what = KeyOrBucket(request.key);
      return Unavailable(request.method + " of " + what + " on " + Describe() +
                         " failed: retries exhausted after " + std::to_string(attempt + 1) +
                         " attempts in " + std::to_string(elapsed / 1000) + "." +
                         std::to_string(elapsed % 1000 / 100) + " s (last: " + last +
                         "); run the operation again once the store answers (bounds: "
                         "s3MaxAttempts, s3RetryBudgetMs)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
}

Status S3ObjectStore::TlsError(const Request& request, const Status& cause) const {
  std::string what = KeyOrBucket(request.key);
  std::string fix =
      cause.code() == StatusCode::kInvalidArgument
          ? "use http:// in s3Endpoint (or s3UseHttp=true), or the port on which the server "
            "serves TLS"
      : options_.http.ca_file.empty()
          ? "if the endpoint's certificate comes from a private CA, set s3CaFile in strata.cfg "
            "(or AWS_CA_BUNDLE) to that CA's PEM certificate"
          : "check that " + Quote(options_.http.ca_file) +
                " (s3CaFile, or AWS_CA_BUNDLE) holds the CA that signed the endpoint's "
                "certificate, and that the certificate names the endpoint's host";
  // The cause already says "<method> to <host> failed: …"; this adds what and where.
  return FailedPrecondition(request.method + " of " + what + " on " + Describe() + ": " +
                            cause.message() + "; " + fix);
}

Status S3ObjectStore::ErrorOf(const HttpResponse& response, const std::string& what,
                              const std::string& key) {
  auto [code, message] = ErrorDetails(response.body);
  std::string subject = key.empty() ? Describe() : "object " + Quote(key) + " in " + Describe();
  std::string detail = " (HTTP " + std::to_string(response.status) +
                       (code.empty() ? "" : " " + code) + (message.empty() ? "" : ": " + message) +
                       ")";
  if (code == "NoSuchBucket") {
    return NotFound("bucket " + Quote(location_.bucket) + " does not exist at " +
                    options_.endpoint + "; create it first (for example with `aws s3 mb`)");
  }
  if (response.status == 404) return NotFound(what + " failed: " + subject + " does not exist");
  if (response.status == 403 || code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId" ||
      code == "AccessDenied") {
    return PermissionDenied(what + " was refused by " + Describe() + detail +
                            "; check s3AccessKeyId and s3SecretAccessKey in strata.cfg (or "
                            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and the bucket's "
                            "permissions");
  }
  if (code == "AuthorizationHeaderMalformed" || code == "PermanentRedirect") {
    return FailedPrecondition(what + " was refused by " + Describe() + detail +
                              "; check s3Region (region " + Quote(options_.region) + ")");
  }
  return IoError(what + " failed on " + subject + detail);
}

Status S3ObjectStore::Put(const std::string& key, std::string_view bytes) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  if (bytes.size() > options_.multipart_threshold) return PutMultipart(key, bytes);
  Request request{"PUT", FullKey(key), {}, {{"content-md5", Base64Md5(bytes)}}, bytes};
  ASSIGN_OR_RETURN(HttpResponse response, Execute(request));
  if (response.status / 100 != 2) return ErrorOf(response, "writing", key);
  return Status::Ok();
}

Status S3ObjectStore::PutMultipart(const std::string& key, std::string_view bytes) {
  std::string full = FullKey(key);
  Request create{"POST", full, {{"uploads", ""}}, {}, {}};
  ASSIGN_OR_RETURN(HttpResponse created, Execute(create));
  if (created.status / 100 != 2) return ErrorOf(created, "starting an upload", key);
  pugi::xml_document doc;
  doc.load_buffer(created.body.data(), created.body.size());
  std::string upload_id = doc.child("InitiateMultipartUploadResult").child_value("UploadId");
  if (upload_id.empty()) {
    return IoError("starting an upload of " + Quote(key) + " on " + Describe() +
                   " returned no UploadId");
  }
  size_t parts = (bytes.size() + options_.part_size - 1) / options_.part_size;
  std::vector<std::string> etags(parts);
  std::atomic<size_t> next{0};
  std::mutex mutex;
  Status failure;
  auto upload = [&] {
    for (size_t i = next++; i < parts; i = next++) {
      {
        std::lock_guard lock(mutex);
        if (!failure.ok()) return;
      }
      std::string_view part = bytes.substr(i * options_.part_size, options_.part_size);
      Request put{"PUT",
                  full,
                  {{"partNumber", std::to_string(i + 1)}, {"uploadId", upload_id}},
                  {{"content-md5", Base64Md5(part)}},
                  part};
      auto response = Execute(put);
      std::lock_guard lock(mutex);
      if (!response.ok()) {
        if (failure.ok()) failure = response.status();
      } else if (response->status / 100 != 2 || !response->Header("etag")) {
        if (failure.ok()) failure = ErrorOf(*response, "uploading a part", key);
      } else {
        etags[i] = *response->Header("etag");
      }
    }
  };
  std::vector<std::thread> workers;
  size_t threads =
      std::min<size_t>(parts, static_cast<size_t>(std::max(1, options_.parallel_parts)));
  for (size_t t = 0; t < threads; ++t) workers.emplace_back(upload);
  for (auto& w : workers) w.join();
  if (failure.ok()) {
    failure = CompleteUpload(key, upload_id, etags, bytes.size());
    if (failure.ok()) return Status::Ok();
  }
  Request abort{"DELETE", full, {{"uploadId", upload_id}}, {}, {}};
  (void)Execute(abort);  // best effort: an upload left behind holds no visible object
  return failure;
}

Status S3ObjectStore::CompleteUpload(const std::string& key, const std::string& upload_id,
                                     const std::vector<std::string>& etags, uint64_t size_bytes) {
  std::string body = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
            XmlEscape(etags[i]) + "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  Request complete{"POST", FullKey(key), {{"uploadId", upload_id}}, {}, body};
  int attempts = 0;
  ASSIGN_OR_RETURN(HttpResponse response, Execute(complete, &attempts));
  std::string code = ErrorDetails(response.body).first;
  if (response.status / 100 == 2 && code.empty()) return Status::Ok();
  // An earlier attempt may have completed the upload and only its reply was lost (a reset, a
  // stall, a body cut short): the store then no longer knows the upload id, so the retry gets
  // NoSuchUpload although the object is in place. The object is taken as this upload's when it
  // exists with exactly the size uploaded: completing is the only way this call creates the
  // key, and another writer of the same key at the same time would race the same way without
  // the retry (the repository's keys are content-addressed or written once). Any other
  // outcome stays an error, and the caller aborts the upload.
  if (code == "NoSuchUpload") {
    if (attempts > 1) {
      ASSIGN_OR_RETURN(std::optional<ObjectInfo> info, Head(key));
      if (info && info->size_bytes == size_bytes) return Status::Ok();
    }
    return IoError("completing the upload of " + Quote(key) + " on " + Describe() +
                   " failed: the store no longer knows the upload (NoSuchUpload after " +
                   std::to_string(attempts) + " attempts) and the object is not in place");
  }
  return ErrorOf(response, "completing an upload", key);  // S3 may also say 200 + Error
}

Result<std::string> S3ObjectStore::Get(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  ASSIGN_OR_RETURN(HttpResponse response, Execute({"GET", FullKey(key), {}, {}, {}}));
  if (response.status == 404 && ErrorDetails(response.body).first != "NoSuchBucket") {
    return NotFound("object " + Quote(key) + " does not exist in " + Describe());
  }
  if (response.status / 100 != 2) return ErrorOf(response, "reading", key);
  return std::move(response.body);
}

Result<std::string> S3ObjectStore::GetRange(const std::string& key, uint64_t offset,
                                            uint64_t length) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  ASSIGN_OR_RETURN(std::optional<ObjectInfo> info, Head(key));
  if (!info) return NotFound("object " + Quote(key) + " does not exist in " + Describe());
  if (offset > info->size_bytes) {
    return InvalidArgument("range offset " + std::to_string(offset) + " is past the end of " +
                           Quote(key) + " (" + std::to_string(info->size_bytes) + " bytes)");
  }
  uint64_t end = std::min(info->size_bytes, offset + length);
  if (end == offset) return std::string();
  Request request{"GET",
                  FullKey(key),
                  {},
                  {{"range", "bytes=" + std::to_string(offset) + "-" + std::to_string(end - 1)}},
                  {}};
  ASSIGN_OR_RETURN(HttpResponse response, Execute(request));
  if (response.status == 404) {
    return NotFound("object " + Quote(key) + " does not exist in " + Describe());
  }
  if (response.status / 100 != 2) return ErrorOf(response, "reading", key);
  if (response.body.size() != end - offset) {
    return IoError("reading bytes " + std::to_string(offset) + "-" + std::to_string(end - 1) +
                   " of " + Quote(key) + " on " + Describe() + " returned " +
                   std::to_string(response.body.size()) + " bytes");
  }
  return std::move(response.body);
}

Result<std::optional<ObjectInfo>> S3ObjectStore::Head(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  ASSIGN_OR_RETURN(HttpResponse response, Execute({"HEAD", FullKey(key), {}, {}, {}}));
  if (response.status == 404) return std::optional<ObjectInfo>();
  if (response.status / 100 != 2) return ErrorOf(response, "looking up", key);
  auto length = response.Header("content-length");
  if (!length) return IoError("looking up " + Quote(key) + " on " + Describe() + " gave no size");
  std::optional<uint64_t> size = ParseSize(*length);
  if (!size) {
    return IoError("looking up " + Quote(key) + " on " + Describe() +
                   " gave a malformed size (Content-Length " + Quote(*length) + ")");
  }
  return std::optional<ObjectInfo>(ObjectInfo{key, *size});
}

Status S3ObjectStore::ListEach(const std::string& prefix,
                               const std::function<Status(ObjectInfo)>& each) {
  std::string full_prefix = location_.prefix.empty() ? prefix : location_.prefix + "/" + prefix;
  size_t strip = location_.prefix.empty() ? 0 : location_.prefix.size() + 1;
  std::string token;
  do {
    Request request{"GET",
                    "",
                    {{"list-type", "2"},
                     {"prefix", full_prefix},
                     {"max-keys", std::to_string(options_.list_page_size)}},
                    {},
                    {}};
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    ASSIGN_OR_RETURN(HttpResponse response, Execute(request));
    if (response.status / 100 != 2) return ErrorOf(response, "listing " + Quote(prefix), "");
    pugi::xml_document doc;
    if (!doc.load_buffer(response.body.data(), response.body.size())) {
      return IoError("listing " + Quote(prefix) + " on " + Describe() + " returned no XML");
    }
    pugi::xml_node result = doc.child("ListBucketResult");
    for (pugi::xml_node item : result.children("Contents")) {
      std::string key = item.child_value("Key");
      if (key.size() <= strip || !key.starts_with(full_prefix)) continue;
      std::optional<uint64_t> size = ParseSize(item.child_value("Size"));
      if (!size) {
        return IoError("listing " + Quote(prefix) + " on " + Describe() + " gave object " +
                       Quote(key.substr(strip)) + " a malformed size " +
                       Quote(item.child_value("Size")));
      }
      RETURN_IF_ERROR(each({key.substr(strip), *size}));
    }
    token = std::string(result.child_value("IsTruncated")) == "true"
                ? result.child_value("NextContinuationToken")
                : "";
  } while (!token.empty());
  return Status::Ok();
}

Status S3ObjectStore::Delete(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  ASSIGN_OR_RETURN(HttpResponse response, Execute({"DELETE", FullKey(key), {}, {}, {}}));
  if (response.status == 404 && ErrorDetails(response.body).first != "NoSuchBucket") {
    return Status::Ok();
  }
  if (response.status / 100 != 2) return ErrorOf(response, "deleting", key);
  return Status::Ok();
}

Status S3ObjectStore::DeleteMany(const std::vector<std::string>& keys) {
  for (size_t begin = 0; begin < keys.size(); begin += kDeleteBatch) {
    size_t end = std::min(keys.size(), begin + kDeleteBatch);
    std::string body = "<Delete><Quiet>true</Quiet>";
    for (size_t i = begin; i < end; ++i) {
      RETURN_IF_ERROR(ValidateObjectKey(keys[i]));
      body += "<Object><Key>" + XmlEscape(FullKey(keys[i])) + "</Key></Object>";
    }
    body += "</Delete>";
    Request request{"POST", "", {{"delete", ""}}, {{"content-md5", Base64Md5(body)}}, body};
    ASSIGN_OR_RETURN(HttpResponse response, Execute(request));
    if (response.status / 100 != 2) return ErrorOf(response, "deleting objects", "");
    pugi::xml_document doc;
    doc.load_buffer(response.body.data(), response.body.size());
    pugi::xml_node error = doc.child("DeleteResult").child("Error");
    if (error) {
      return IoError("deleting " + Quote(error.child_value("Key")) + " on " + Describe() +
                     " failed: " + error.child_value("Code") + " " + error.child_value("Message"));
    }
  }
  return Status::Ok();
}

}  // namespace strata
