// SegmentStore: the content-addressed directory of segment files, <data>/segments/ab/<id>.seg
// where <id> is the SHA-256 hex of the file and "ab" its first two characters. Files are written
// to <data>/tmp, fsynced, and renamed into place (then the directory is fsynced), so a crash
// leaves either no file or a complete one; restores stage many and publish them together.
// Thread-safe: concurrent writers of the same id are harmless because both produce identical bytes.
// Decoded segments are kept in a SegmentCache of kSegmentCacheBytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/deferred_files.h"
#include "base/status.h"
#include "storage/segment.h"
#include "storage/segment_cache.h"

namespace strata {

struct SegmentRef {
  std::string id;  // SHA-256 hex of the file bytes
  uint64_t rows = 0;
  uint64_t size_bytes = 0;  // file size
};

class SegmentStore {
 public:
  // `data_dir` must contain (or will contain) segments/ and tmp/; Open creates them. Open must
  // succeed before anything is staged.
  // Decoded columns kept in memory, per store (one per data directory).
  static constexpr size_t kSegmentCacheBytes = size_t{64} << 20;

  explicit SegmentStore(std::string data_dir);
  Status Open();

  // Encodes `table` as a segment and stores it durably; returns its reference. If a file with
  // the same id exists already, it is kept (same bytes) and not rewritten.
  Result<SegmentRef> Write(const Table& table, const SegmentEncodeOptions& options = {});
  // Stores already-encoded segment bytes (e.g. from a backup) after checking that their
  // SHA-256 equals `expected_id` and that they decode; Corruption otherwise.
  Status WriteEncoded(const std::string& expected_id, std::string_view bytes);
  // Stages bytes the caller has just verified to be `id` (a restore reads them from a
  // repository that checks every object: by its SHA-256, or by an encrypted repository's tag,
  // which is bound to the id): only the segment's own footer and whole-file
  // checksum are checked, without hashing or decoding it again. The file appears, durable,
  // at the next PublishStaged (base/deferred_files.h): a restore pays one durability barrier
  // for all its segments instead of two fsyncs each.
  Status StageVerified(const std::string& id, std::string_view bytes);
  // Makes every segment staged before the call durable and present; call it before a commit
  // references them.
  Status PublishStaged();

  // Reads and decodes, or answers from the cache; NotFound naming the id if missing, Corruption
  // if damaged (found when the segment is first read, and by ReadBytes, which never caches).
  // `keep`: file what was read in the cache; a large scan, which reads each segment once and
  // would only push out what is read often, passes false.
  Result<Table> Read(const std::string& id, const std::vector<size_t>& column_indices = {},
                     bool keep = true) const;
  // The raw bytes of a segment file, verified by its footer and whole-file checksum.
  Result<std::string> ReadBytes(const std::string& id) const;
  // The same unverified: for a backup, which hashes the bytes against the id anyway.
  Result<std::string> ReadRawBytes(const std::string& id) const;
  bool Exists(const std::string& id) const;
  Status Remove(const std::string& id);
  // Ids of every segment file present.
  Result<std::vector<std::string>> ListIds() const;

  std::string PathOf(const std::string& id) const;

 private:
  std::string data_dir_;
  std::unique_ptr<DeferredFiles> staged_;  // made by Open
  mutable SegmentCache cache_{kSegmentCacheBytes};
};

}  // namespace strata
