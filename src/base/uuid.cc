#include "base/uuid.h"

#include <openssl/rand.h>

#include <string_view>

#include "base/check.h"
#include "base/hash.h"

namespace strata {

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  STRATA_CHECK(
      RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) == 1);
  return BytesToHex(raw);
}

std::string NewUuid() {
  std::string raw(16, '\0');
  STRATA_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), 16) == 1);
  raw[6] = static_cast<char>((raw[6] & 0x0f) | 0x40);
  raw[8] = static_cast<char>((raw[8] & 0x3f) | 0x80);
  std::string hex = BytesToHex(raw);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace strata
