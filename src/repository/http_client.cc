#include "repository/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include "base/strings.h"

namespace strata {

namespace {

std::once_flag curl_init_once;

struct Transfer {
  std::string_view upload;  // what remains to send
  HttpResponse* response;
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t n = std::min(size * count, transfer->upload.size());
  std::memcpy(buffer, transfer->upload.data(), n);
  transfer->upload.remove_prefix(n);
  return n;
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  static_cast<Transfer*>(user)->response->body.append(data, size * count);
  return size * count;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  auto* response = static_cast<Transfer*>(user)->response;
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after a redirect or 100 Continue)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(ToLower(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

// "127.0.0.1:9000" from "http://127.0.0.1:9000/bucket/key?x", for messages.
std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

HttpClient::HttpClient(HttpClientOptions options) : options_(options) {
  std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::~HttpClient() {
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* HttpClient::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void HttpClient::Release(void* handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(handle);
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(Acquire());
  if (curl == nullptr) return Internal("cannot create an HTTP handle (libcurl)");
  curl_easy_reset(curl);  // keeps the handle's open connections
  HttpResponse response;
  Transfer transfer{request.body, &response};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  // Verification stays on for every https:// request: there is deliberately no way to skip it.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options_.stall_bytes_per_second);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options_.stall_seconds);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  headers = curl_slist_append(headers, "Transfer-Encoding:");
  headers = curl_slist_append(headers, "Accept:");
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (code != CURLE_OK) {
    curl_easy_cleanup(curl);  // its connection may be in any state
    std::string reason = error[0] != '\0' ? error : curl_easy_strerror(code);
    if (code == CURLE_PEER_FAILED_VERIFICATION) {
      return FailedPrecondition(request.method + " to " + HostOf(request.url) +
                                " failed: its TLS certificate could not be verified (" + reason +
                                ")");
    }
    if (code == CURLE_SSL_CACERT_BADFILE) {
      std::string store = options_.ca_file.empty() ? std::string("the default CA store")
                                                   : "the CA file " + Quote(options_.ca_file);
      return FailedPrecondition(request.method + " to " + HostOf(request.url) + " failed: " +
                                store + " holds no usable certificate (" + reason + ")");
    }
    // An https:// URL served in plain HTTP: OpenSSL reads the HTTP reply as a TLS record of
    // an unknown version. Retrying cannot help; the endpoint is misconfigured.
    if (code == CURLE_SSL_CONNECT_ERROR &&
        reason.find("wrong version number") != std::string::npos) {
      return InvalidArgument(request.method + " to " + HostOf(request.url) +
                             " failed: the server answers in plain HTTP, not TLS (" + reason + ")");
    }
    return Unavailable(request.method + " to " + HostOf(request.url) + " failed: " + reason);
  }
  Release(curl);
  return response;
}

}  // namespace strata
