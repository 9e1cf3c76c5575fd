// Cryptography from OpenSSL for encrypted repositories: authenticated encryption (AES-256-GCM),
// keyed hashing (HMAC-SHA256), key derivation (HKDF-SHA256, RFC 5869) and the system's random
// bytes. Keys are SecretKeys, wiped when destroyed. Nothing here aborts on bad input: a sealed
// message that does not open is a Corruption error and gives no plaintext.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/hash.h"
#include "base/status.h"

namespace strata {

inline constexpr size_t kSecretKeyBytes = 32;  // AES-256, HMAC-SHA256 keys
inline constexpr size_t kGcmNonceBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;
// What sealing adds to a message: nonce before, tag after.
inline constexpr size_t kSealOverheadBytes = kGcmNonceBytes + kGcmTagBytes;

// 32 secret bytes, overwritten when destroyed. Copyable (each copy is wiped in turn).
class SecretKey {
 public:
  SecretKey() { bytes_.fill(0); }
  // The first kSecretKeyBytes of `bytes`, which must hold that many (else InvalidArgument).
  static Result<SecretKey> FromBytes(std::string_view bytes);
  // A fresh random key.
  static Result<SecretKey> Random();
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  const uint8_t* data() const { return bytes_.data(); }

 private:
  std::array<uint8_t, kSecretKeyBytes> bytes_;
};

// `n` bytes from OpenSSL's random generator; an error if it cannot give them (never weak bytes).
Result<std::string> RandomBytes(size_t n);

// AES-256-GCM under `key` with a fresh random nonce: nonce | ciphertext | tag.
// `aad` is authenticated with the message but not stored: Open must be given the same.
Result<std::string> Seal(const SecretKey& key, std::string_view aad, std::string_view plaintext);
// The same for a message given as `pieces` one after the other, written after `prefix` (which is
// neither encrypted nor authenticated unless it is also in `aad`): prefix | nonce | ciphertext |
// tag, so a header and a large message need no copy of their own.
Result<std::string> Seal(const SecretKey& key, std::string_view aad,
                         const std::vector<std::string_view>& pieces, std::string_view prefix = {});
// Seals the message `pieces` into `out`, which must have room for their size plus
// kSealOverheadBytes: nonce | ciphertext | tag, with no allocation (large objects).
Status SealTo(const SecretKey& key, std::string_view aad,
              const std::vector<std::string_view>& pieces, char* out);
// Opens the sealed message of `size` bytes at `sealed` in place: the plaintext is decrypted
// over its ciphertext and returned as a view into `sealed`. Corruption as Open (the buffer's
// bytes are then wiped).
Result<std::string_view> OpenInPlace(const SecretKey& key, std::string_view aad, char* sealed,
                                     size_t size, std::string_view what);
// The plaintext of what Seal gave, or Corruption naming `what` when the message does not
// authenticate (another key, another `aad`, or changed bytes); no plaintext then.
Result<std::string> Open(const SecretKey& key, std::string_view aad, std::string_view sealed,
                         std::string_view what);

// HMAC-SHA256 of `message` under `key`.
Sha256Digest HmacSha256(std::string_view key, std::string_view message);

// HKDF-SHA256 (RFC 5869): `length` bytes (at most 255 × 32) derived from `secret`, `salt` and
// `info`.
Result<std::string> HkdfSha256(std::string_view secret, std::string_view salt,
                               std::string_view info, size_t length);

// Whether `a` and `b` are equal, in time that does not depend on where they differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace strata
