#include "base/deferred_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "base/file_util.h"

namespace strata {

namespace fs = std::filesystem;

Result<std::unique_ptr<DeferredFiles>> DeferredFiles::Open(const std::string& tmp_dir) {
  int fd = ::open(tmp_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(ErrnoMessage("cannot open directory '" + tmp_dir + "'"));
  return std::unique_ptr<DeferredFiles>(new DeferredFiles(tmp_dir, fd));
}

DeferredFiles::~DeferredFiles() {
  for (const auto& [tmp, final_path] : pending_) ::unlink(tmp.c_str());
  ::close(fs_fd_);
}

Status DeferredFiles::Write(const std::string& final_path,
                            const std::vector<std::string_view>& pieces) {
  std::string tmp = tmp_dir_ + "/" + UniqueTempName(fs::path(final_path).filename().string());
  RETURN_IF_ERROR(WriteNewFile(tmp, pieces, NewFileSync::kStartWriteback));
  std::lock_guard lock(mutex_);
  pending_.emplace_back(std::move(tmp), final_path);
  return Status::Ok();
}

size_t DeferredFiles::pending() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

Status DeferredFiles::SyncFileSystem() const {
  if (::syncfs(fs_fd_) != 0) {
    return IoError(ErrnoMessage("cannot sync the file system of '" + tmp_dir_ + "'"));
  }
  return Status::Ok();
}

Status DeferredFiles::Publish() {
  std::lock_guard publishing(publish_mutex_);
  std::vector<std::pair<std::string, std::string>> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) return Status::Ok();
  size_t renamed = 0;
  auto drop_rest = [&](Status status) {
    for (size_t i = renamed; i < batch.size(); ++i) ::unlink(batch[i].first.c_str());
    return status;
  };
  // 1. The bytes of every file in the batch reach the disk.
  if (Status synced = SyncFileSystem(); !synced.ok()) return drop_rest(std::move(synced));
  // 2. Only then do they get their names.
  std::set<std::string> directories;
  for (const auto& [tmp, final_path] : batch) {
    directories.insert(fs::path(final_path).parent_path().string());
  }
  // New directories need no fsync of their own: the second syncfs makes their entries durable
  // together with the renames into them.
  for (const auto& directory : directories) {
    if (Status made = MakeDirs(directory); !made.ok()) return drop_rest(std::move(made));
  }
  for (; renamed < batch.size(); ++renamed) {
    const auto& [tmp, final_path] = batch[renamed];
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
      return drop_rest(
          IoError(ErrnoMessage("cannot rename '" + tmp + "' to '" + final_path + "'")));
    }
  }
  // 3. The names reach the disk.
  return SyncFileSystem();
}

}  // namespace strata
