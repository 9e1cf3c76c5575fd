// Runs a child process with captured stdout/stderr and a deadline (POSIX fork/exec/poll).
// The child leads its own process group; the whole group is killed when the child exits or
// the deadline passes, so nothing a test started outlives it. Not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace strata {

struct ProcessResult {
  int exit_code = -1;       // -1 when the child did not exit normally
  std::string signal_text;  // "killed by signal 9 (Killed)" when a signal ended it
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) with stdin from /dev/null and `env` added to the
// environment. Returns what it printed and how it ended; a fork/exec failure is reported in
// `err` with exit code 127 (exec) or -1 (fork/pipe).
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::pair<std::string, std::string>>& env,
                         int timeout_s);

}  // namespace strata
