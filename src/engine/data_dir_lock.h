// DataDirLock: one process owns a data directory. Holds an exclusive flock on
// <data>/strata.lock (which records the owner's pid) for its lifetime; the OS releases it if
// the process dies, so a crash never leaves a stale lock.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace strata {

class DataDirLock {
 public:
  // FailedPrecondition naming the directory and the owner's pid when another process holds it.
  static Result<std::unique_ptr<DataDirLock>> Acquire(const std::string& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace strata
