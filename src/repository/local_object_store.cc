#include "repository/local_object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>

#include "base/file_util.h"
#include "base/strings.h"

namespace strata {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTmpDir = ".tmp";
constexpr auto kAbandonedTmpAge = std::chrono::hours(1);

// The key of `path`, which a walk of a directory below `root` found: its text after `root`,
// as fs::relative would give it without resolving every path on the disk (that was most of
// the time a listing of a million objects took).
std::string KeyBelow(const std::string& root, const std::string& path) {
  std::string_view rest(path);
  rest.remove_prefix(std::min(root.size(), rest.size()));
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  return std::string(rest);
}

}  // namespace

Result<std::unique_ptr<LocalObjectStore>> LocalObjectStore::Open(const std::string& root,
                                                                 bool create_if_missing) {
  std::string normalized = root;
  while (normalized.size() > 1 && normalized.back() == '/') normalized.pop_back();
  std::error_code error;
  if (!create_if_missing && !fs::is_directory(normalized, error)) {
    return NotFound("directory " + Quote(normalized) + " does not exist");
  }
  return std::unique_ptr<LocalObjectStore>(new LocalObjectStore(normalized));
}

void LocalObjectStore::RemoveAbandonedStaging() {
  std::error_code error;
  auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(root_ + "/" + kTmpDir, error)) {
    auto modified = fs::last_write_time(entry.path(), error);
    if (!error && now - modified > kAbandonedTmpAge) fs::remove(entry.path(), error);
  }
}

std::string LocalObjectStore::Describe() const { return "local directory " + Quote(root_); }

Result<std::string> LocalObjectStore::PreparePut(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  if (key == kTmpDir || key.starts_with(std::string(kTmpDir) + "/")) {
    return InvalidArgument("object key " + Quote(key) + " is reserved in " + Describe());
  }
  // The directory and its temporary directory are made by the first write, so opening (and
  // reading, and a call refused before it writes) leaves no trace.
  RETURN_IF_ERROR(MakeDirs(root_ + "/" + kTmpDir));
  return PathOf(key);
}

Status LocalObjectStore::Put(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string path, PreparePut(key));
  // New directories (objects/ab/) must survive a crash too, not only the file in them.
  RETURN_IF_ERROR(MakeDirsDurable(fs::path(path).parent_path().string()));
  return WriteFileAtomic(path, bytes, root_ + "/" + kTmpDir);
}

Status LocalObjectStore::PutDeferred(const std::string& key,
                                     const std::vector<std::string_view>& pieces) {
  ASSIGN_OR_RETURN(std::string path, PreparePut(key));
  DeferredFiles* deferred = nullptr;
  {
    std::lock_guard lock(deferred_mutex_);
    if (!deferred_) {
      ASSIGN_OR_RETURN(deferred_, DeferredFiles::Open(root_ + "/" + kTmpDir));
    }
    deferred = deferred_.get();
  }
  return deferred->Write(path, pieces);
}

Status LocalObjectStore::Flush() {
  DeferredFiles* deferred = nullptr;
  {
    std::lock_guard lock(deferred_mutex_);
    deferred = deferred_.get();
  }
  if (deferred == nullptr) return Status::Ok();
  Status published = deferred->Publish();
  if (!published.ok()) return published.WithContext("cannot make objects durable in " + Describe());
  return Status::Ok();
}

Result<std::string> LocalObjectStore::Get(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  auto bytes = ReadFile(PathOf(key));
  if (!bytes.ok() && bytes.status().code() == StatusCode::kNotFound) {
    return NotFound("object " + Quote(key) + " does not exist in " + Describe());
  }
  return bytes;
}

Result<std::string> LocalObjectStore::GetRange(const std::string& key, uint64_t offset,
                                               uint64_t length) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  std::string path = PathOf(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return NotFound("object " + Quote(key) + " does not exist in " + Describe());
    return IoError(ErrnoMessage("cannot open '" + path + "'"));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return IoError(ErrnoMessage("cannot stat '" + path + "'"));
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset > size) {
    ::close(fd);
    return InvalidArgument("range offset " + std::to_string(offset) + " is past the end of " +
                           Quote(key) + " (" + std::to_string(size) + " bytes)");
  }
  std::string out(static_cast<size_t>(std::min(length, size - offset)), '\0');
  Status read = ReadAllAt(fd, out.data(), out.size(), offset, path);
  ::close(fd);
  RETURN_IF_ERROR(read);
  return out;
}

Result<std::optional<ObjectInfo>> LocalObjectStore::Head(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  struct stat st {};
  if (::stat(PathOf(key).c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<ObjectInfo>();
    return IoError(ErrnoMessage("cannot stat '" + PathOf(key) + "'"));
  }
  if (!S_ISREG(st.st_mode)) return std::optional<ObjectInfo>();
  return std::optional<ObjectInfo>(ObjectInfo{key, static_cast<uint64_t>(st.st_size)});
}

Status LocalObjectStore::ListEach(const std::string& prefix,
                                  const std::function<Status(ObjectInfo)>& each) {
  // Walk only the directory the prefix points into, not the whole store.
  std::string dir = prefix.find('/') == std::string::npos
                        ? root_
                        : root_ + "/" + prefix.substr(0, prefix.rfind('/'));
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Ok();
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::string relative = KeyBelow(root_, it->path().string());
    if (relative == kTmpDir || relative.starts_with(std::string(kTmpDir) + "/")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || !relative.starts_with(prefix)) continue;
    uint64_t size = it->file_size(ec);
    if (ec) break;
    RETURN_IF_ERROR(each({std::move(relative), size}));
  }
  if (ec) return IoError("cannot list '" + dir + "' in " + Describe() + ": " + ec.message());
  return Status::Ok();
}

Status LocalObjectStore::Delete(const std::string& key) {
  RETURN_IF_ERROR(ValidateObjectKey(key));
  std::string path = PathOf(key);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return IoError(ErrnoMessage("cannot delete '" + path + "'"));
  }
  return FsyncDir(fs::path(path).parent_path().string());
}

}  // namespace strata
