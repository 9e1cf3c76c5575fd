#include "auth/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>

#include "base/check.h"

namespace strata {

namespace {

std::atomic<uint64_t> hash_count{0};

std::string Derive(std::string_view password, const std::string& salt, int64_t iterations) {
  hash_count.fetch_add(1, std::memory_order_relaxed);
  std::string out(32, '\0');
  STRATA_CHECK(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                 reinterpret_cast<const unsigned char*>(salt.data()),
                                 static_cast<int>(salt.size()), static_cast<int>(iterations),
                                 EVP_sha256(), static_cast<int>(out.size()),
                                 reinterpret_cast<unsigned char*>(out.data())) == 1);
  return out;
}

}  // namespace

UserRecord MakeUserRecord(std::string_view name, std::string_view password, bool is_admin,
                          int64_t iterations) {
  std::string salt(16, '\0');
  STRATA_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()),
                          static_cast<int>(salt.size())) == 1);
  UserRecord user;
  user.name = std::string(name);
  user.hash = Derive(password, salt, iterations);
  user.salt = std::move(salt);
  user.iterations = iterations;
  user.is_admin = is_admin;
  return user;
}

bool VerifyPassword(const UserRecord& user, std::string_view password) {
  std::string hash = Derive(password, user.salt, user.iterations);
  return hash.size() == user.hash.size() &&
         CRYPTO_memcmp(hash.data(), user.hash.data(), hash.size()) == 0;
}

const UserRecord& UnknownUserRecord() {
  // An all-zero hash: finding a password whose PBKDF2 output is 32 zero bytes is infeasible.
  static const UserRecord unknown = [] {
    UserRecord user;
    user.salt = std::string(16, '\x5a');
    user.hash = std::string(32, '\0');
    user.iterations = kPasswordIterations;
    return user;
  }();
  return unknown;
}

uint64_t PasswordHashCount() { return hash_count.load(std::memory_order_relaxed); }

}  // namespace strata
