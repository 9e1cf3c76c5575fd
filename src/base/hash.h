// Hashing: SHA-256 (content addresses of segments and repository objects, via OpenSSL) and
// XXH3-64 (fast block checksums, via xxHash).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

using Sha256Digest = std::array<uint8_t, 32>;

// Incremental SHA-256. Not thread-safe; one per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // Finishes the hash; the object must not be updated afterwards.
  Sha256Digest Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Sha256Digest Sha256Of(std::string_view bytes);
// Lower-case hex of `digest` (64 characters).
std::string ToHex(const Sha256Digest& digest);
// Lower-case hex of arbitrary bytes.
std::string BytesToHex(std::string_view bytes);
// The bytes of hex text (either case); nullopt when `hex` has an odd length or a non-hex
// character.
std::optional<std::string> HexToBytes(std::string_view hex);

uint64_t Xxh3(std::string_view bytes);

}  // namespace strata
