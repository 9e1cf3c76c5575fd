// ChildProcess: a program started with fork/exec whose output goes to files, so crash tests can
// kill it with a real signal at a chosen moment (STYLE: test crashes by killing the process, not
// by mocking it). Not thread-safe; one owner waits for or kills the child.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace strata::crash {

// How a child ended: it exited with a code, or a signal killed it.
struct ChildExit {
  bool signaled = false;
  int code = 0;  // exit code, or the signal number when `signaled`
};

class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`; stdin is /dev/null, stdout and stderr go to the files
  // `stdout_path` and `stderr_path` (truncated). Exits the test with a message if fork fails.
  ChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
               const std::string& stderr_path);
  ~ChildProcess();  // kills and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  std::chrono::steady_clock::time_point started() const { return started_; }
  // Reaps the child if it has ended; nullopt while it runs.
  std::optional<ChildExit> Poll();
  // Blocks until the child ends.
  ChildExit Wait();
  // Sends SIGKILL unless the child has already ended, then reaps it. Returns how it ended and
  // whether the kill was the cause (false when it had exited by itself first).
  ChildExit Kill(bool* killed_by_us);

 private:
  pid_t pid_ = -1;
  std::optional<ChildExit> exit_;
  std::chrono::steady_clock::time_point started_;
};

// Runs `argv` to completion with output in `stdout_path`/`stderr_path`; returns its exit.
ChildExit RunToCompletion(const std::vector<std::string>& argv, const std::string& stdout_path,
                          const std::string& stderr_path);

}  // namespace strata::crash
