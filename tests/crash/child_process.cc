#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace strata::crash {

namespace {

ChildExit Decode(int status) {
  if (WIFSIGNALED(status)) return ChildExit{.signaled = true, .code = WTERMSIG(status)};
  return ChildExit{.signaled = false, .code = WEXITSTATUS(status)};
}

// In the child after fork: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(char* const* argv, const char* out, const char* err) {
  int in_fd = open("/dev/null", O_RDONLY);
  int out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(126);
  dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                           const std::string& stderr_path) {
  // Build everything the child needs before fork: it must not allocate afterwards.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  started_ = std::chrono::steady_clock::now();
  pid_ = fork();
  if (pid_ < 0) {
    std::fprintf(stderr, "FATAL: fork failed: %s\n", std::strerror(errno));
    std::exit(2);
  }
  if (pid_ == 0) ExecChild(args.data(), stdout_path.c_str(), stderr_path.c_str());
}

ChildProcess::~ChildProcess() {
  if (!exit_) {
    bool ignored = false;
    Kill(&ignored);
  }
}

std::optional<ChildExit> ChildProcess::Poll() {
  if (exit_) return exit_;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) exit_ = Decode(status);
  return exit_;
}

ChildExit ChildProcess::Wait() {
  while (!exit_) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, 0);
    if (r == pid_) {
      exit_ = Decode(status);
    } else if (r < 0 && errno != EINTR) {
      std::fprintf(stderr, "FATAL: waitpid failed: %s\n", std::strerror(errno));
      std::exit(2);
    }
  }
  return *exit_;
}

ChildExit ChildProcess::Kill(bool* killed_by_us) {
  *killed_by_us = false;
  if (Poll()) return *exit_;
  // A child that exits between Poll and kill is a zombie until reaped: kill succeeds but has no
  // effect, and Wait reports its own exit code, so the status below is the truth either way.
  ::kill(pid_, SIGKILL);
  ChildExit e = Wait();
  *killed_by_us = e.signaled && e.code == SIGKILL;
  return e;
}

ChildExit RunToCompletion(const std::vector<std::string>& argv, const std::string& stdout_path,
                          const std::string& stderr_path) {
  ChildProcess child(argv, stdout_path, stderr_path);
  return child.Wait();
}

}  // namespace strata::crash
