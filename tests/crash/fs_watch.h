// FsWatch: inotify on a few directories, so a crash test can kill a process at the moment it
// reaches a point of interest (its Nth file created in tmp/, its Nth rename out of tmp/, a write
// to the catalog's WAL) instead of guessing from wall-clock delays. Linux only. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::crash {

struct FsEvent {
  enum class Kind { kCreated, kMovedOut, kModified };
  Kind kind;
  int watch = 0;     // index of the directory in the order Add was called
  std::string name;  // file name inside that directory
};

class FsWatch {
 public:
  FsWatch();  // exits the test with a message if inotify is unavailable
  ~FsWatch();
  FsWatch(const FsWatch&) = delete;
  FsWatch& operator=(const FsWatch&) = delete;

  // Watches `dir` for files created, moved out, and modified in it; returns its index.
  int Add(const std::string& dir);
  // Waits up to `timeout_ms` for events and returns those that arrived (maybe none).
  std::vector<FsEvent> Next(int timeout_ms);

 private:
  int fd_ = -1;
  std::vector<int> watch_descriptors_;
};

}  // namespace strata::crash
