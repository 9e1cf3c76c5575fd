#include "base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

namespace strata {

namespace fs = std::filesystem;

std::string ErrnoMessage(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string UniqueTempName(std::string_view prefix) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = std::random_device{}();
  return std::string(prefix) + "." + std::to_string(::getpid()) + "." +
         std::to_string(counter.fetch_add(1)) + "." + std::to_string(salt % 1000000);
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(ErrnoMessage("cannot write '" + path + "'"));
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status ReadAllAt(int fd, char* out, size_t size, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(ErrnoMessage("cannot read '" + path + "'"));
    if (n == 0) {
      return IoError("'" + path + "' ends at byte " + std::to_string(offset + done) +
                     ", before the " + std::to_string(size) + " bytes from " +
                     std::to_string(offset) + " it should hold (was it truncated?)");
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status FsyncDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return IoError(ErrnoMessage("cannot open directory '" + path + "'"));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError(ErrnoMessage("cannot fsync directory '" + path + "'"));
  return Status::Ok();
}

Status WriteNewFile(const std::string& path, const std::vector<std::string_view>& pieces,
                    NewFileSync sync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(ErrnoMessage("cannot create '" + path + "'"));
  Status status;
  for (size_t i = 0; i < pieces.size() && status.ok(); ++i) {
    status = WriteAll(fd, pieces[i], path);
  }
  if (status.ok() && sync == NewFileSync::kFsync && ::fsync(fd) != 0) {
    status = IoError(ErrnoMessage("cannot fsync '" + path + "'"));
  }
  // Only a hint: an error here leaves the write-out to the caller's later sync.
  if (status.ok() && sync == NewFileSync::kStartWriteback) {
    ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  if (::close(fd) != 0 && status.ok())
    status = IoError(ErrnoMessage("cannot close '" + path + "'"));
  if (!status.ok()) ::unlink(path.c_str());
  return status;
}

Status WriteFileAtomic(const std::string& final_path, std::string_view bytes,
                       const std::string& tmp_dir) {
  std::string tmp_path = tmp_dir + "/" + UniqueTempName(fs::path(final_path).filename().string());
  RETURN_IF_ERROR(WriteNewFile(tmp_path, {bytes}, NewFileSync::kFsync));
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    Status status =
        IoError(ErrnoMessage("cannot rename '" + tmp_path + "' to '" + final_path + "'"));
    ::unlink(tmp_path.c_str());
    return status;
  }
  return FsyncDir(fs::path(final_path).parent_path().string());
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("file '" + path + "' does not exist");
    return IoError(ErrnoMessage("cannot open '" + path + "'"));
  }
  auto content = ReadAll(fd, "'" + path + "'");
  ::close(fd);
  return content;
}

Result<std::string> ReadAll(int fd, const std::string& what) {
  constexpr size_t kFirstReadBytes = 1 << 16;
  struct stat st {};
  size_t expected = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size)
                                                                 : kFirstReadBytes;
  std::string out(expected + 1, '\0');  // + 1: the end shows without another read
  size_t done = 0;
  while (true) {
    if (done == out.size()) out.resize(out.size() * 2);
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(ErrnoMessage("cannot read " + what));
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

Status MakeDirs(const std::string& path) {
  // Each missing directory is created private to its owner (0700, at creation, not by a umask
  // the process may not control): backups and data directories hold data and password hashes.
  std::error_code exists_error;
  if (fs::is_directory(path, exists_error)) return Status::Ok();  // the common case: one stat
  fs::path so_far;
  for (const fs::path& part : fs::path(path)) {
    so_far /= part;
    if (part.empty()) continue;
    if (::mkdir(so_far.c_str(), 0700) == 0) continue;
    const int error = errno;
    std::error_code ec;
    if (fs::is_directory(so_far, ec)) continue;  // there already, or made by another thread
    if (error == EEXIST) {
      return IoError("cannot create directory '" + path + "': '" + so_far.string() +
                     "' exists and is not a directory");
    }
    errno = error;
    return IoError(ErrnoMessage("cannot create directory '" + path + "'"));
  }
  return Status::Ok();
}

Status MakeDirsDurable(const std::string& path) {
  fs::path target(path);
  std::vector<fs::path> missing;  // deepest first
  for (fs::path p = target; !p.empty() && !PathExists(p.string()); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  RETURN_IF_ERROR(MakeDirs(path));
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    fs::path parent = it->parent_path();
    RETURN_IF_ERROR(FsyncDir(parent.empty() ? "." : parent.string()));
  }
  return Status::Ok();
}

Status RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return IoError(ErrnoMessage("cannot remove '" + path + "'"));
  }
  return Status::Ok();
}

Status ClearDirectory(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::Ok();
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    fs::remove_all(entry.path(), ec);
    if (ec) return IoError("cannot remove '" + entry.path().string() + "': " + ec.message());
  }
  if (ec) return IoError("cannot list '" + path + "': " + ec.message());
  return Status::Ok();
}

bool PathExists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

Result<std::vector<std::string>> ListDirectory(const std::string& path) {
  std::error_code ec;
  std::vector<std::string> names;
  fs::directory_iterator it(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      return NotFound("directory '" + path + "' does not exist");
    }
    return IoError("cannot list '" + path + "': " + ec.message());
  }
  for (const auto& entry : it) names.push_back(entry.path().filename().string());
  return names;
}

Result<uint64_t> DirectorySizeBytes(const std::string& path) {
  std::error_code ec;
  uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  if (ec) return IoError("cannot measure '" + path + "': " + ec.message());
  return total;
}

}  // namespace strata
