// A set of 32-byte digests (a repository's object names) in memory bounded by constants, however
// many it holds: Add them all, Seal, then ask.
//
// Up to `in_memory` digests (kDigestsInMemory, 2^20: 32 MiB) it is a sorted vector. Past that,
// each full batch is sorted and appended as a run to an unlinked temporary file in $TMPDIR (else
// /tmp), and Seal merges the runs into one sorted run without duplicates on a second such file,
// indexed by the first digest of each of at most kDigestIndexEntries blocks; a lookup then
// reads one block. The files take 32 bytes per digest and disappear with the set (or the
// process). Memory: the batch, the index (2 MiB) and the merge's buffers (kDigestMergeBytes
// shared among the runs, at least 4 KiB each).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"

namespace strata {

inline constexpr size_t kDigestsInMemory = size_t{1} << 20;
inline constexpr size_t kDigestIndexEntries = size_t{1} << 16;
inline constexpr size_t kDigestMergeBytes = size_t{8} << 20;

class DigestSet {
 public:
  using Digest = std::array<uint8_t, 32>;

  // `in_memory`: the most digests held in memory at once (at least 2).
  explicit DigestSet(size_t in_memory = DefaultInMemory());
  // kDigestsInMemory, unless the test-only STRATA_TEST_DIGESTS_IN_MEMORY sets a number (so that
  // tests through the strata binary make small repositories spill; tests/README.md).
  static size_t DefaultInMemory();
  ~DigestSet();
  DigestSet(DigestSet&& other) noexcept;
  DigestSet& operator=(DigestSet&& other) noexcept;
  DigestSet(const DigestSet&) = delete;
  DigestSet& operator=(const DigestSet&) = delete;

  // Before Seal. IoError naming the temporary file when a run cannot be written.
  Status Add(const Digest& digest);
  // Once, after the last Add.
  Status Seal();
  // After Seal: whether `digest` was added. IoError when the file cannot be read.
  Result<bool> Contains(const Digest& digest) const;
  // After Seal: how many distinct digests it holds.
  uint64_t size() const { return size_; }
  // Whether it went to a file (more than `in_memory` digests were added).
  bool spilled() const { return sorted_fd_ >= 0; }

 private:
  Status WriteRun();
  Status Merge();
  void Close();

  size_t in_memory_;
  bool sealed_ = false;
  std::vector<Digest> digests_;     // the batch being added; after Seal, all of them unless spilled
  int runs_fd_ = -1;                // sorted runs, one after the other
  std::vector<uint64_t> run_ends_;  // in digests
  int sorted_fd_ = -1;              // spilled: every digest, sorted, once
  std::vector<Digest> index_;       // spilled: the first digest of each block
  uint64_t block_digests_ = 0;      // spilled: digests per block
  uint64_t size_ = 0;
};

}  // namespace strata
