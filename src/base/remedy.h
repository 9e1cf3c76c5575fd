// Remedy: what the user can do about an error, in no dialect's words. Lower layers (auth, jobs,
// engine, backup) attach one to a Status instead of naming a script call; each front end words
// it in its own syntax (the script dialect: `login(userId, password)`, `grant(...)`,
// `cancelJob(...)`; the SQL dialect: its statements). Immutable value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

enum class RemedyKind : uint8_t {
  kNone,
  kLogin,       // log in first
  kGrant,       // a superuser grants args = {user, access, database}
  kCancelJob,   // wait for job args = {id}, or cancel it
  kWaitForJob,  // wait for job args = {id} to finish
};

struct Remedy {
  RemedyKind kind = RemedyKind::kNone;
  std::vector<std::string> args;
  bool operator==(const Remedy&) const = default;
};

}  // namespace strata
