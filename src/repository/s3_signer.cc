#include "repository/s3_signer.h"

#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

#include "base/hash.h"
#include "base/strings.h"

namespace strata {

namespace {

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

// Header values are signed trimmed, with inner runs of spaces folded to one.
std::string TrimValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// "host;range;x-amz-date" and the canonical header block, from the headers sorted by name.
std::pair<std::string, std::string> SignedHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> sorted;
  for (const auto& [name, value] : headers) sorted.emplace_back(ToLower(name), TrimValue(value));
  std::sort(sorted.begin(), sorted.end());
  std::string names, block;
  for (const auto& [name, value] : sorted) {
    if (!names.empty()) names += ';';
    names += name;
    block += name + ":" + value + "\n";
  }
  return {names, block};
}

std::string Scope(const std::string& amz_date, const std::string& region) {
  return amz_date.substr(0, 8) + "/" + region + "/s3/aws4_request";
}

}  // namespace

std::string UriEncode(std::string_view text, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string CanonicalQueryString(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string CanonicalRequest(const SigningInput& input) {
  auto [names, block] = SignedHeaders(input.headers);
  return input.method + "\n" + input.canonical_uri + "\n" + CanonicalQueryString(input.query) +
         "\n" + block + "\n" + names + "\n" + input.payload_sha256;
}

std::string AuthorizationHeader(const SigningInput& input, const S3Credentials& credentials,
                                const std::string& region, const std::string& amz_date) {
  std::string scope = Scope(amz_date, region);
  std::string string_to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" +
                               ToHex(Sha256Of(CanonicalRequest(input)));
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, amz_date.substr(0, 8));
  key = HmacSha256(key, region);
  key = HmacSha256(key, "s3");
  key = HmacSha256(key, "aws4_request");
  std::string signature = BytesToHex(HmacSha256(key, string_to_sign));
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
         ",SignedHeaders=" + SignedHeaders(input.headers).first + ",Signature=" + signature;
}

}  // namespace strata
