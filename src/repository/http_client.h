// A small HTTP/1.1 client over libcurl for the S3 backend: one request at a time per call,
// thread-safe, reusing connections through a pool of curl handles. Bodies are sent whole with
// Content-Length (no chunked transfer, no "Expect: 100-continue"). Transport failures —
// refused or reset connections, timeouts, stalls, bodies cut short — are Unavailable errors
// naming the host and curl's reason; HTTP error statuses are responses, for the caller to map.
// https:// peers are always verified (certificate chain and host name); a certificate that
// cannot be verified, or a CA file that cannot be used, is FailedPrecondition, and an https://
// URL whose server answers in plain HTTP is InvalidArgument (neither is transient).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace strata {

struct HttpRequest {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;  // must outlive Send
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  // The value of header `name` (lower case), if present.
  std::optional<std::string> Header(std::string_view name) const;
};

struct HttpClientOptions {
  long connect_timeout_ms = 10'000;
  // A transfer slower than this many bytes per second for `stall_seconds` is abandoned.
  long stall_bytes_per_second = 1024;
  long stall_seconds = 30;
  // PEM file of the CAs trusted for https:// (CURLOPT_CAINFO); empty: libcurl's default store.
  std::string ca_file;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and returns the response, whatever its status. Unavailable for transport
  // failures; FailedPrecondition naming the host when its TLS certificate cannot be verified;
  // InvalidArgument when an https:// URL reaches a server that speaks plain HTTP.
  Result<HttpResponse> Send(const HttpRequest& request);

 private:
  void* Acquire();
  void Release(void* handle);

  HttpClientOptions options_;
  std::mutex mutex_;
  std::vector<void*> idle_;  // CURL* handles, each keeping its connections open
};

}  // namespace strata
