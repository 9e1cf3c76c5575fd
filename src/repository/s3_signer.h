// AWS Signature Version 4 for S3 requests (header form): the canonical request, the string to
// sign and the Authorization header, as the S3 API documentation defines them. The payload is
// always hashed (x-amz-content-sha256 is the hex SHA-256 of the body), never aws-chunked.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;  // never printed
};

struct SigningInput {
  std::string method;         // "GET", "PUT", ...
  std::string canonical_uri;  // the URI-encoded path, "/bucket/key" or "/key"
  std::vector<std::pair<std::string, std::string>> query;    // unencoded name, value
  std::vector<std::pair<std::string, std::string>> headers;  // every header to sign
  std::string payload_sha256;                                // lower-case hex
};

// S3's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex); '/' is kept
// unless `encode_slash` (query values encode it, object paths do not).
std::string UriEncode(std::string_view text, bool encode_slash);

// The query string in canonical form: names and values encoded, sorted by name then value.
std::string CanonicalQueryString(const std::vector<std::pair<std::string, std::string>>& query);

std::string CanonicalRequest(const SigningInput& input);

// The Authorization header value for `input` at `amz_date` ("20130524T000000Z"), which must
// also be the value of the x-amz-date header in `input.headers`.
std::string AuthorizationHeader(const SigningInput& input, const S3Credentials& credentials,
                                const std::string& region, const std::string& amz_date);

}  // namespace strata
