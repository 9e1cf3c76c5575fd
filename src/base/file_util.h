// File-system helpers with the durability discipline of Strata: data reaches its final name
// only by write → fsync → rename → fsync(directory). Every failure is an IoError naming the
// path and the OS error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata {

// Writes `bytes` to `final_path` atomically: into `tmp_dir` under a unique name, fsync, rename
// into place, fsync the destination directory. On failure nothing exists at `final_path` that
// was not there before, and the temp file is removed.
Status WriteFileAtomic(const std::string& final_path, std::string_view bytes,
                       const std::string& tmp_dir);

// How WriteNewFile makes the new file's bytes durable.
enum class NewFileSync {
  kFsync,           // before it returns
  kStartWriteback,  // not: it only starts the write-out, so that a later syncfs finds less to do
};

// Creates the new file `path` (it must not exist) holding `pieces` one after the other.
// On failure the file is removed.
Status WriteNewFile(const std::string& path, const std::vector<std::string_view>& pieces,
                    NewFileSync sync);

// Reads the whole file; NotFound if it does not exist.
Result<std::string> ReadFile(const std::string& path);
// Everything `fd` gives until its end (a file, a pipe, standard input); `what` names it in
// errors. Does not close `fd`.
Result<std::string> ReadAll(int fd, const std::string& what);

// Writes all of `bytes` to `fd` (retrying short writes); IoError naming `path`.
Status WriteAll(int fd, std::string_view bytes, const std::string& path);
// Reads exactly `size` bytes at `offset` of `fd` into `out`; IoError naming `path`, also when
// the file ends first.
Status ReadAllAt(int fd, char* out, size_t size, uint64_t offset, const std::string& path);

// Creates `path` and its parents (like mkdir -p).
Status MakeDirs(const std::string& path);

// Creates `path` and its missing parents, fsyncing the parent of every directory it creates,
// so the new entries survive a crash (MakeDirs alone leaves them in the page cache).
Status MakeDirsDurable(const std::string& path);

// fsyncs a directory so a rename or unlink in it is durable.
Status FsyncDir(const std::string& path);

// Removes a file; OK if it is already gone.
Status RemoveFile(const std::string& path);

// Removes every entry inside `path` (not `path` itself); OK if `path` does not exist.
Status ClearDirectory(const std::string& path);

bool PathExists(const std::string& path);

// Names (not paths) of the entries in a directory; NotFound if it does not exist.
Result<std::vector<std::string>> ListDirectory(const std::string& path);

// Total size of regular files under `path`, recursively.
Result<uint64_t> DirectorySizeBytes(const std::string& path);

// A fresh unique name for temporary files ("<prefix>.<pid>.<counter>.<random>").
std::string UniqueTempName(std::string_view prefix);

// "message: strerror(errno)" for the current errno.
std::string ErrnoMessage(const std::string& what);

}  // namespace strata
