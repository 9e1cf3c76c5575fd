// Password hashing with PBKDF2-HMAC-SHA256 (OpenSSL) and a random 16-byte salt, plus the
// verifier of MySQL's mysql_native_password for the server's logins. Verification compares in
// constant time. Passwords are never stored or logged in clear.
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

// SHA1(SHA1(password)): the verifier mysql_native_password checks a login against. It is not
// the password and cannot be replayed as a login (docs/server.md weighs what it does expose).
std::string NativePasswordVerifier(std::string_view password);

// True if `response` is mysql_native_password's answer to the 20-byte `scramble` for the
// user's password: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). False when the
// user has no verifier yet.
bool VerifyNativeScramble(const UserRecord& user, std::string_view scramble,
                          std::string_view response);

// A record no password matches, with the default salt size and iterations: verifying a login
// of an unknown user against it costs the same hash as a wrong password, so the time a failed
// login takes does not tell whether the user exists.
const UserRecord& UnknownUserRecord();

// How many password hashes this process has computed (tests check that failed logins do the
// same work whether or not the user exists).
uint64_t PasswordHashCount();

}  // namespace strata
