// Key files: the secret that opens encrypted repositories (issue 15), made by
// `strata keygen FILE` and named by the `keyPath` argument of the backup and restore functions.
// A key file is a small JSON document (docs/format/repository.md, "Key files"), readable by its
// owner only; the key never appears in output, logs or errors.
#pragma once

#include <cstdint>
#include <string>

#include "base/crypto.h"
#include "base/status.h"

namespace strata {

inline constexpr int kKeyFileVersion = 1;

struct KeyFile {
  std::string path;
  std::string key_id;  // 16 hex characters, random: names the key in repositories and messages
  int64_t created_ms = 0;
  SecretKey key;  // 32 random bytes
};

// Makes the key file `path` with a fresh random key: created with mode 0600 and fsynced, with
// its directory; AlreadyExists when something is at `path` (a key is never overwritten).
Result<KeyFile> CreateKeyFile(const std::string& path);

// Reads the key file `path`. NotFound when it does not exist; PermissionDenied when others
// than its owner may read or write it (the remedy is chmod 600); Corruption when it is not a
// strata key file of a version this strata reads (the message never shows its bytes).
Result<KeyFile> ReadKeyFile(const std::string& path);

}  // namespace strata
