// LocalObjectStore: an ObjectStore in a directory of the local file system. The object `key`
// is the file <root>/<key>. Put writes to <root>/.tmp under a unique name, fsyncs, renames
// into place and fsyncs the directory, so a crash leaves the old object or the new one.
// PutDeferred writes the temporary file only; Flush makes a whole batch durable with one
// barrier before renaming it into place (base/deferred_files.h). The .tmp directory is hidden
// from List; only a writer clears it of abandoned files (RemoveAbandonedStaging), never Open.
// Directories are created 0700 and files 0600. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/deferred_files.h"
#include "repository/object_store.h"

namespace strata {

class LocalObjectStore : public ObjectStore {
 public:
  // Opens the store rooted at `root`: a missing directory is NotFound naming it unless
  // `create_if_missing`, and then the first write creates it (IoError naming it when it
  // cannot be created). Opening never creates or deletes anything.
  static Result<std::unique_ptr<LocalObjectStore>> Open(const std::string& root,
                                                        bool create_if_missing = true);

  std::string Describe() const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutDeferred(const std::string& key, const std::vector<std::string_view>& pieces) override;
  Status Flush() override;
  Result<std::string> Get(const std::string& key) override;
  Result<std::string> GetRange(const std::string& key, uint64_t offset, uint64_t length) override;
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override;
  Status ListEach(const std::string& prefix,
                  const std::function<Status(ObjectInfo)>& each) override;
  Status Delete(const std::string& key) override;

  const std::string& root() const { return root_; }

  // Removes temporary files in .tmp that interrupted writes left over an hour ago (younger ones
  // may belong to a writer of another process). For writers of a repository only: the backup
  // engine calls it once the marker is known to be there, so a directory that is not a
  // repository, or a read-only caller, never loses a file. Best effort: errors are ignored.
  void RemoveAbandonedStaging();

 private:
  explicit LocalObjectStore(std::string root) : root_(std::move(root)) {}
  std::string PathOf(const std::string& key) const { return root_ + "/" + key; }
  // The path of `key` for a write, with its directory made; InvalidArgument for keys that are
  // malformed or inside the reserved .tmp directory.
  Result<std::string> PreparePut(const std::string& key);

  std::string root_;
  std::mutex deferred_mutex_;
  std::unique_ptr<DeferredFiles> deferred_;  // made by the first PutDeferred; guarded
};

}  // namespace strata
