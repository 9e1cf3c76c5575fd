#include "base/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "base/file_util.h"

namespace strata {

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("file '" + path + "' does not exist");
    return IoError(ErrnoMessage("cannot open '" + path + "'"));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status status = IoError(ErrnoMessage("cannot stat '" + path + "'"));
    ::close(fd);
    return status;
  }
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return MappedFile();
  }
  // MAP_POPULATE maps every page now: one pass of read-ahead instead of a fault per page.
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  Status status =
      data == MAP_FAILED ? IoError(ErrnoMessage("cannot map '" + path + "'")) : Status::Ok();
  ::close(fd);  // the mapping keeps the file open
  if (!status.ok()) return status;
  return MappedFile(data, size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    Unmap();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { Unmap(); }

void MappedFile::Unmap() {
  if (data_ != nullptr) ::munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace strata
