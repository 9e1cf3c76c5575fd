#include "repository/key_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/hash.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "base/utc_time.h"

namespace strata {

namespace {

constexpr char kKeyFileFormat[] = "strata-key";
constexpr size_t kKeyIdBytes = 8;

Status NotAKeyFile(const std::string& path, const std::string& why) {
  return Corruption("'" + path + "' is not a strata key file (" + why +
                    "); make one with strata keygen FILE");
}

}  // namespace

Result<KeyFile> CreateKeyFile(const std::string& path) {
  if (path.empty()) return InvalidArgument("strata keygen needs the path of the key file to make");
  std::error_code error;
  if (std::filesystem::symlink_status(path, error).type() !=
      std::filesystem::file_type::not_found) {
    return AlreadyExists("'" + path +
                         "' exists; strata keygen never overwrites a key (an encrypted backup "
                         "made with it could not be restored): choose another path");
  }
  KeyFile out;
  out.path = path;
  ASSIGN_OR_RETURN(out.key, SecretKey::Random());
  ASSIGN_OR_RETURN(std::string id, RandomBytes(kKeyIdBytes));
  out.key_id = BytesToHex(id);
  out.created_ms = NowMs();
  nlohmann::json doc = {{"format", kKeyFileFormat},
                        {"version", kKeyFileVersion},
                        {"key_id", out.key_id},
                        {"created", FormatUtcMs(out.created_ms)},
                        {"key", BytesToHex(out.key.view())}};
  std::string text = DumpJson(doc, 2) + "\n";
  Status written = WriteNewFile(path, {text}, NewFileSync::kFsync);  // 0600, O_EXCL
  std::fill(text.begin(), text.end(), '\0');
  RETURN_IF_ERROR(written);
  std::string dir = std::filesystem::path(path).parent_path().string();
  RETURN_IF_ERROR(FsyncDir(dir.empty() ? "." : dir));
  return out;
}

Result<KeyFile> ReadKeyFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return NotFound("key file '" + path + "' does not exist; make one with strata keygen FILE");
    }
    return IoError(ErrnoMessage("cannot read key file '" + path + "'"));
  }
  if (!S_ISREG(st.st_mode)) return NotAKeyFile(path, "not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return PermissionDenied("key file '" + path + "' may be read or written by others (mode " +
                            mode + "); make it its owner's alone: chmod 600 '" + path + "'");
  }
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (text.size() > 4096) return NotAKeyFile(path, "too long");
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::fill(text.begin(), text.end(), '\0');
  if (doc.is_discarded() || !doc.is_object()) return NotAKeyFile(path, "not a JSON object");
  JsonFields fields(doc, "key file '" + path + "'");
  auto format = fields.String("format");
  if (!format.ok() || *format != kKeyFileFormat)
    return NotAKeyFile(path, "no \"format\": \"strata-key\"");
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (version != kKeyFileVersion) {
    return Corruption("key file '" + path + "' has version " + std::to_string(version) +
                      "; this strata reads version " + std::to_string(kKeyFileVersion));
  }
  KeyFile out;
  out.path = path;
  ASSIGN_OR_RETURN(out.key_id, fields.String("key_id"));
  if (out.key_id.size() != 2 * kKeyIdBytes || !HexToBytes(out.key_id)) {
    return NotAKeyFile(path, "its key_id is not 16 hex characters");
  }
  ASSIGN_OR_RETURN(out.created_ms, fields.Time("created"));
  auto key_hex = fields.String("key");
  std::optional<std::string> key = key_hex.ok() ? HexToBytes(*key_hex) : std::nullopt;
  if (!key || key->size() != kSecretKeyBytes) {
    return NotAKeyFile(path, "its key is not 64 hex characters");
  }
  ASSIGN_OR_RETURN(out.key, SecretKey::FromBytes(*key));
  std::fill(key->begin(), key->end(), '\0');
  return out;
}

}  // namespace strata
