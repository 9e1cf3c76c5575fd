#include "engine/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/file_util.h"
#include "base/strings.h"

namespace strata {

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const std::string& data_dir) {
  std::string path = data_dir + "/strata.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(ErrnoMessage("cannot open lock file '" + path + "'"));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string owner;
    auto contents = ReadFile(path);
    if (contents.ok()) owner = std::string(Trim(*contents));
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return FailedPrecondition("data directory " + Quote(data_dir) +
                                " is in use by another strata process" +
                                (owner.empty() ? "" : " (pid " + owner + ")") +
                                "; stop that process or choose another --data directory");
    }
    errno = err;
    return IoError(ErrnoMessage("cannot lock '" + path + "'"));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    ::close(fd);
    return IoError(ErrnoMessage("cannot write lock file '" + path + "'"));
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace strata
