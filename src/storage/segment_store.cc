#include "storage/segment_store.h"

#include <xxhash.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <type_traits>

#include "base/file_util.h"
#include "base/hash.h"

namespace strata {
namespace {

constexpr size_t kIdChars = 64;  // SHA-256 in lower-case hex
constexpr std::string_view kSegmentSuffix = ".seg";

bool IsSegmentId(std::string_view id) {
  return id.size() == kIdChars && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status CheckId(const std::string& id) {
  if (IsSegmentId(id)) return Status::Ok();
  return InvalidArgument("segment id '" + id +
                         "' is malformed: expected 64 lower-case hex characters (a SHA-256)");
}

// A checksum of a table's values, independent of how they are encoded: the pair assertion
// that the bytes about to be written decode to exactly the rows that were given.
uint64_t ContentChecksum(const Table& table) {
  XXH3_state_t* state = XXH3_createState();
  STRATA_CHECK(state != nullptr);
  XXH3_64bits_reset(state);
  for (const ColumnPtr& column : table.columns()) {
    std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            for (const std::string& v : values) {
              uint64_t size = v.size();
              XXH3_64bits_update(state, &size, sizeof(size));
              XXH3_64bits_update(state, v.data(), v.size());
            }
          } else {
            XXH3_64bits_update(state, values.data(), values.size() * sizeof(T));
          }
        },
        column->data());
  }
  uint64_t digest = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return digest;
}

Result<std::string> ReadSegmentFile(const std::string& id, const std::string& path) {
  RETURN_IF_ERROR(CheckId(id));
  auto bytes = ReadFile(path);
  if (!bytes.ok() && bytes.status().code() == StatusCode::kNotFound) {
    return NotFound("segment " + id + " not found at '" + path +
                    "'; the data directory is missing a file its catalog references");
  }
  return bytes;
}

// True if `path` holds a file of `size` bytes already: same name, same size, the same bytes,
// written before — perhaps by an attempt that failed before its directory fsync, so its entry
// is made durable before a commit relies on it. A file of another size under that name is
// damaged and gets replaced.
Result<bool> AlreadyStored(const std::string& path, uint64_t size) {
  std::error_code ec;
  const uint64_t existing_size = std::filesystem::file_size(path, ec);
  if (ec || existing_size != size) return false;
  RETURN_IF_ERROR(FsyncDir(std::filesystem::path(path).parent_path().string()));
  return true;
}

// Stores verified `bytes` under `path` unless they are there already.
Status StoreBytes(const std::string& id, const std::string& path, std::string_view bytes,
                  const std::string& tmp_dir) {
  ASSIGN_OR_RETURN(bool stored, AlreadyStored(path, bytes.size()));
  if (stored) return Status::Ok();
  RETURN_IF_ERROR(MakeDirsDurable(std::filesystem::path(path).parent_path().string()));
  Status status = WriteFileAtomic(path, bytes, tmp_dir);
  if (!status.ok()) return status.WithContext("cannot store segment " + id);
  return Status::Ok();
}

}  // namespace

SegmentStore::SegmentStore(std::string data_dir) : data_dir_(std::move(data_dir)) {}

Status SegmentStore::Open() {
  RETURN_IF_ERROR(MakeDirs(data_dir_ + "/segments"));
  RETURN_IF_ERROR(MakeDirs(data_dir_ + "/tmp"));
  ASSIGN_OR_RETURN(staged_, DeferredFiles::Open(data_dir_ + "/tmp"));
  return Status::Ok();
}

std::string SegmentStore::PathOf(const std::string& id) const {
  return data_dir_ + "/segments/" + id.substr(0, 2) + "/" + id + std::string(kSegmentSuffix);
}

Result<SegmentRef> SegmentStore::Write(const Table& table, const SegmentEncodeOptions& options) {
  std::string bytes = EncodeSegment(table, options);
  // Verify before writing: the bytes must decode to the same rows and values.
  auto decoded = DecodeSegment(bytes);
  if (!decoded.ok() || decoded->rows() != table.rows() ||
      ContentChecksum(*decoded) != ContentChecksum(table)) {
    return Internal("segment encoding of " + std::to_string(table.rows()) + " rows in " +
                    std::to_string(table.column_count()) +
                    " columns does not decode to the same values (" +
                    (decoded.ok() ? std::string("values differ") : decoded.status().message()) +
                    "); nothing was written; this is a bug in Strata, please report it");
  }
  SegmentRef ref;
  ref.id = ToHex(Sha256Of(bytes));
  ref.rows = table.rows();
  ref.size_bytes = bytes.size();
  RETURN_IF_ERROR(StoreBytes(ref.id, PathOf(ref.id), bytes, data_dir_ + "/tmp"));
  return ref;
}

Status SegmentStore::StageVerified(const std::string& id, std::string_view bytes) {
  RETURN_IF_ERROR(CheckId(id));
  auto summary = ReadSegmentSummary(bytes);
  if (!summary.ok()) return summary.status().WithContext("segment " + id + " is not a segment");
  const std::string path = PathOf(id);
  ASSIGN_OR_RETURN(bool stored, AlreadyStored(path, bytes.size()));
  if (stored) return Status::Ok();
  Status status = staged_->Write(path, {bytes});
  if (!status.ok()) return status.WithContext("cannot stage segment " + id);
  return Status::Ok();
}

Status SegmentStore::PublishStaged() {
  Status status = staged_->Publish();
  if (!status.ok()) return status.WithContext("cannot make restored segments durable");
  return Status::Ok();
}

Status SegmentStore::WriteEncoded(const std::string& expected_id, std::string_view bytes) {
  RETURN_IF_ERROR(CheckId(expected_id));
  std::string actual_id = ToHex(Sha256Of(bytes));
  if (actual_id != expected_id) {
    return Corruption("segment " + expected_id + " is damaged: its " +
                      std::to_string(bytes.size()) + " bytes hash to " + actual_id +
                      "; fetch it again from its source");
  }
  auto decoded = DecodeSegment(bytes);
  if (!decoded.ok()) {
    return decoded.status().WithContext("segment " + expected_id + " does not decode");
  }
  return StoreBytes(expected_id, PathOf(expected_id), bytes, data_dir_ + "/tmp");
}

Result<std::string> SegmentStore::ReadBytes(const std::string& id) const {
  ASSIGN_OR_RETURN(std::string bytes, ReadSegmentFile(id, PathOf(id)));
  // Verify after reading: the whole-file checksum and footer, so a copy never spreads damage.
  auto summary = ReadSegmentSummary(bytes);
  if (!summary.ok()) {
    return summary.status().WithContext("segment " + id + " at '" + PathOf(id) + "'");
  }
  return bytes;
}

Result<std::string> SegmentStore::ReadRawBytes(const std::string& id) const {
  return ReadSegmentFile(id, PathOf(id));
}

Result<Table> SegmentStore::Read(const std::string& id, const std::vector<size_t>& column_indices,
                                 bool keep) const {
  if (std::optional<Table> cached = cache_.Get(id, column_indices)) return std::move(*cached);
  ASSIGN_OR_RETURN(std::string bytes, ReadSegmentFile(id, PathOf(id)));
  auto table = DecodeSegment(bytes, column_indices);
  if (!table.ok()) {
    return table.status().WithContext("segment " + id + " at '" + PathOf(id) + "'");
  }
  if (keep) cache_.Put(id, column_indices, *table);
  return table;
}

bool SegmentStore::Exists(const std::string& id) const {
  return IsSegmentId(id) && PathExists(PathOf(id));
}

Status SegmentStore::Remove(const std::string& id) {
  RETURN_IF_ERROR(CheckId(id));
  cache_.Remove(id);
  const std::string path = PathOf(id);
  RETURN_IF_ERROR(RemoveFile(path));
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return PathExists(dir) ? FsyncDir(dir) : Status::Ok();
}

Result<std::vector<std::string>> SegmentStore::ListIds() const {
  const std::string root = data_dir_ + "/segments";
  auto prefixes = ListDirectory(root);
  if (!prefixes.ok()) return prefixes.status().WithContext("cannot list segments; call Open()");
  std::vector<std::string> ids;
  for (const std::string& prefix : *prefixes) {
    std::error_code ec;
    if (prefix.size() != 2 || !std::filesystem::is_directory(root + "/" + prefix, ec)) continue;
    auto names = ListDirectory(root + "/" + prefix);
    if (!names.ok()) return names.status().WithContext("cannot list segments");
    for (const std::string& name : *names) {
      if (name.size() != kIdChars + kSegmentSuffix.size() || !name.ends_with(kSegmentSuffix)) {
        continue;
      }
      std::string id = name.substr(0, kIdChars);
      if (IsSegmentId(id) && id.compare(0, 2, prefix) == 0) ids.push_back(std::move(id));
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace strata
