// Password hashing with PBKDF2-HMAC-SHA256 (OpenSSL) and a random 16-byte salt. Verification
// compares in constant time. Passwords are never stored or logged in clear.
#pragma once

#include <string>
#include <string_view>

#include "catalog/records.h"

namespace strata {

inline constexpr int64_t kPasswordIterations = 100000;

// A user record for `name` with a fresh salt and the hash of `password`.
UserRecord MakeUserRecord(std::string_view name, std::string_view password, bool is_admin,
                          int64_t iterations = kPasswordIterations);

// True if `password` is the user's password.
bool VerifyPassword(const UserRecord& user, std::string_view password);

// A record no password matches, with the default salt size and iterations: verifying a login
// of an unknown user against it costs the same hash as a wrong password, so the time a failed
// login takes does not tell whether the user exists.
const UserRecord& UnknownUserRecord();

// How many password hashes this process has computed (tests check that failed logins do the
// same work whether or not the user exists).
uint64_t PasswordHashCount();

}  // namespace strata
