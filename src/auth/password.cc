#include "auth/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

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

std::string Sha1(std::string_view data) {
  std::string out(SHA_DIGEST_LENGTH, '\0');
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace

std::string NativePasswordVerifier(std::string_view password) { return Sha1(Sha1(password)); }

bool VerifyNativeScramble(const UserRecord& user, std::string_view scramble,
                          std::string_view response) {
  const std::string& verifier = user.native_verifier;
  if (verifier.size() != SHA_DIGEST_LENGTH || response.size() != SHA_DIGEST_LENGTH) return false;
  // response = SHA1(password) XOR SHA1(scramble + verifier): undo the XOR, then hash.
  std::string mask = Sha1(std::string(scramble) + verifier);
  std::string candidate(SHA_DIGEST_LENGTH, '\0');
  for (size_t i = 0; i < candidate.size(); ++i) candidate[i] = response[i] ^ mask[i];
  std::string check = Sha1(candidate);
  return CRYPTO_memcmp(check.data(), verifier.data(), verifier.size()) == 0;
}

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
  user.native_verifier = NativePasswordVerifier(password);
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
    user.native_verifier = std::string(20, '\0');
    return user;
  }();
  return unknown;
}

uint64_t PasswordHashCount() { return hash_count.load(std::memory_order_relaxed); }

}  // namespace strata
