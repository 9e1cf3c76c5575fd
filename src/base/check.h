// CHECK for broken invariants (bugs): prints the condition and location, then aborts.
// Never use it for user input or I/O results; those return a Status.
#pragma once

namespace strata::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace strata::internal

#define STRATA_CHECK(cond)                                                   \
  do {                                                                       \
    if (!(cond)) ::strata::internal::CheckFailed(#cond, __FILE__, __LINE__); \
  } while (0)
