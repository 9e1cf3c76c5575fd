#include "base/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

#include "base/check.h"

namespace strata {

namespace {

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

// EVP lengths are ints: messages go through in pieces of at most 1 GiB.
constexpr size_t kPieceBytes = size_t{1} << 30;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

Status OpenSslError(const char* what) { return Internal(std::string("OpenSSL failed to ") + what); }

// Feeds `in` to EVP_EncryptUpdate or EVP_DecryptUpdate in pieces: associated data when `out`
// is null, else the message, whose output goes on at out + *written.
using CipherUpdate = int (*)(EVP_CIPHER_CTX*, unsigned char*, int*, const unsigned char*, int);
Status UpdateInPieces(EVP_CIPHER_CTX* ctx, CipherUpdate update, std::string_view in,
                      unsigned char* out, size_t* written, const char* what) {
  for (size_t done = 0; done < in.size();) {
    size_t piece = std::min(in.size() - done, kPieceBytes);
    int n = 0;
    if (update(ctx, out == nullptr ? nullptr : out + *written, &n, Bytes(in) + done,
               static_cast<int>(piece)) != 1) {
      return OpenSslError(what);
    }
    if (out != nullptr) *written += static_cast<size_t>(n);
    done += piece;
  }
  return Status::Ok();
}

}  // namespace

Result<SecretKey> SecretKey::FromBytes(std::string_view bytes) {
  if (bytes.size() < kSecretKeyBytes) {
    return InvalidArgument("a key needs " + std::to_string(kSecretKeyBytes) + " bytes, got " +
                           std::to_string(bytes.size()));
  }
  SecretKey key;
  std::copy_n(Bytes(bytes), kSecretKeyBytes, key.bytes_.begin());
  return key;
}

Result<SecretKey> SecretKey::Random() {
  SecretKey key;
  if (RAND_priv_bytes(key.bytes_.data(), static_cast<int>(key.bytes_.size())) != 1) {
    return OpenSslError("make random key bytes (is the system's random source available?)");
  }
  return key;
}

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  for (size_t done = 0; done < n;) {
    size_t piece = std::min(n - done, kPieceBytes);
    if (RAND_bytes(Bytes(out) + done, static_cast<int>(piece)) != 1) {
      return OpenSslError("make random bytes (is the system's random source available?)");
    }
    done += piece;
  }
  return out;
}

Result<std::string> Seal(const SecretKey& key, std::string_view aad, std::string_view plaintext) {
  return Seal(key, aad, std::vector<std::string_view>{plaintext});
}

Result<std::string> Seal(const SecretKey& key, std::string_view aad,
                         const std::vector<std::string_view>& pieces, std::string_view prefix) {
  size_t plain_bytes = 0;
  for (std::string_view piece : pieces) plain_bytes += piece.size();
  std::string out(prefix.size() + plain_bytes + kSealOverheadBytes, '\0');
  std::copy(prefix.begin(), prefix.end(), out.begin());
  RETURN_IF_ERROR(SealTo(key, aad, pieces, out.data() + prefix.size()));
  return out;
}

Status SealTo(const SecretKey& key, std::string_view aad,
              const std::vector<std::string_view>& pieces, char* out) {
  size_t plain_bytes = 0;
  for (std::string_view piece : pieces) plain_bytes += piece.size();
  auto* nonce = reinterpret_cast<unsigned char*>(out);
  if (RAND_bytes(nonce, static_cast<int>(kGcmNonceBytes)) != 1) {
    return OpenSslError("make a random nonce (is the system's random source available?)");
  }
  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kGcmNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce) != 1) {
    return OpenSslError("start AES-256-GCM encryption");
  }
  unsigned char* cipher = nonce + kGcmNonceBytes;
  size_t written = 0;
  RETURN_IF_ERROR(UpdateInPieces(ctx.get(), EVP_EncryptUpdate, aad, nullptr, &written,
                                 "authenticate associated data"));
  for (std::string_view piece : pieces) {
    RETURN_IF_ERROR(
        UpdateInPieces(ctx.get(), EVP_EncryptUpdate, piece, cipher, &written, "encrypt"));
  }
  int n = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), cipher + written, &n) != 1) return OpenSslError("encrypt");
  written += static_cast<size_t>(n);
  if (written != plain_bytes ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, cipher + written) != 1) {
    return OpenSslError("finish AES-256-GCM encryption");
  }
  return Status::Ok();
}

Result<std::string_view> OpenInPlace(const SecretKey& key, std::string_view aad, char* sealed,
                                     size_t size, std::string_view what) {
  if (size < kSealOverheadBytes) {
    return Corruption(std::string(what) + " is damaged: " + std::to_string(size) +
                      " bytes is too short for a sealed message (nonce and tag alone are " +
                      std::to_string(kSealOverheadBytes) + ")");
  }
  auto* nonce = reinterpret_cast<unsigned char*>(sealed);
  unsigned char* cipher = nonce + kGcmNonceBytes;
  const size_t cipher_bytes = size - kSealOverheadBytes;
  std::array<unsigned char, kGcmTagBytes> tag;
  std::copy_n(cipher + cipher_bytes, kGcmTagBytes, tag.begin());
  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kGcmNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce) != 1) {
    return OpenSslError("start AES-256-GCM decryption");
  }
  size_t written = 0;
  RETURN_IF_ERROR(UpdateInPieces(ctx.get(), EVP_DecryptUpdate, aad, nullptr, &written,
                                 "authenticate associated data"));
  // GCM decrypts in place: the output of each piece lands where its input was.
  std::string_view in(reinterpret_cast<const char*>(cipher), cipher_bytes);
  RETURN_IF_ERROR(UpdateInPieces(ctx.get(), EVP_DecryptUpdate, in, cipher, &written, "decrypt"));
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) != 1) {
    return OpenSslError("check the authentication tag");
  }
  int n = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), cipher + written, &n) != 1) {
    OPENSSL_cleanse(cipher, cipher_bytes);  // unauthenticated: never handed out
    return Corruption(std::string(what) +
                      " does not authenticate: it was sealed under another key, or its bytes "
                      "were changed");
  }
  return std::string_view(reinterpret_cast<const char*>(cipher), cipher_bytes);
}

Result<std::string> Open(const SecretKey& key, std::string_view aad, std::string_view sealed,
                         std::string_view what) {
  std::string buffer(sealed);
  ASSIGN_OR_RETURN(std::string_view plain,
                   OpenInPlace(key, aad, buffer.data(), buffer.size(), what));
  return std::string(plain);
}

Sha256Digest HmacSha256(std::string_view key, std::string_view message) {
  static const unsigned char kNoKey = 0;
  Sha256Digest digest;
  unsigned int length = 0;
  STRATA_CHECK(HMAC(EVP_sha256(), key.empty() ? &kNoKey : Bytes(key), static_cast<int>(key.size()),
                    message.empty() ? &kNoKey : Bytes(message), message.size(), digest.data(),
                    &length) != nullptr &&
               length == digest.size());
  return digest;
}

Result<std::string> HkdfSha256(std::string_view secret, std::string_view salt,
                               std::string_view info, size_t length) {
  if (length == 0 || length > 255 * 32) {
    return InvalidArgument("HKDF-SHA256 derives 1 to 8160 bytes, not " + std::to_string(length));
  }
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return OpenSslError("find HKDF");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return OpenSslError("start HKDF");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end(),
  };
  std::string out(length, '\0');
  int derived = EVP_KDF_derive(ctx, Bytes(out), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (derived != 1) return OpenSslError("derive a key with HKDF");
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace strata
