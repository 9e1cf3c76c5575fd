// MappedFile: a read-only memory mapping of a whole file, so large immutable files (segments
// being backed up) are hashed and written out straight from the page cache, without copying
// them into a buffer first. The file must not be truncated while mapped (reading a truncated
// page raises SIGBUS): use it only for files that are never modified in place, as every file
// in a data directory or repository is. Move-only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strata {

class MappedFile {
 public:
  // Maps `path`; NotFound if it does not exist, IoError naming it otherwise.
  static Result<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void Unmap();

  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace strata
