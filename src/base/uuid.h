// Random identifiers: UUIDs (version 4) for chunks and repositories, and random hex strings.
#pragma once

#include <cstddef>
#include <string>

namespace strata {

// A new random UUID in its canonical text form (8-4-4-4-12 lower-case hex).
std::string NewUuid();
// `bytes` random bytes as lower-case hex.
std::string RandomHex(size_t bytes);

}  // namespace strata
