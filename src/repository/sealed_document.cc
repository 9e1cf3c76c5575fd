#include "repository/sealed_document.h"

#include "base/hash.h"
#include "base/strings.h"

namespace strata {

namespace {

constexpr std::string_view kChecksumMember = ",\"checksum\":\"";
constexpr size_t kHexDigits = 64;
constexpr std::string_view kClose = "\"}";

}  // namespace

Result<std::string> SealDocument(std::string object) {
  if (object.size() < 3 || object.front() != '{' || object.back() != '}') {
    return InvalidArgument("cannot seal a document that is not a JSON object with members: " +
                           Quote(object.substr(0, 40)));
  }
  object.pop_back();
  std::string checksum = ToHex(Sha256Of(object));
  object.reserve(object.size() + kChecksumMember.size() + kHexDigits + kClose.size() + 1);
  object += kChecksumMember;
  object += checksum;
  object += kClose;
  object += '\n';
  return object;
}

bool IsSealedIntact(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  constexpr size_t kSealSize = kChecksumMember.size() + kHexDigits + kClose.size();
  if (text.size() <= kSealSize + 1 || text.front() != '{') return false;
  std::string_view body = text.substr(0, text.size() - kSealSize);
  std::string_view seal = text.substr(body.size());
  if (!seal.starts_with(kChecksumMember) || !seal.ends_with(kClose)) return false;
  std::string_view checksum = seal.substr(kChecksumMember.size(), kHexDigits);
  return checksum == ToHex(Sha256Of(body));
}

}  // namespace strata
