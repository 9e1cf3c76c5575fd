#include "fs_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace strata::crash {

FsWatch::FsWatch() {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    std::fprintf(stderr, "FATAL: inotify_init1 failed: %s\n", std::strerror(errno));
    std::exit(2);
  }
}

FsWatch::~FsWatch() { close(fd_); }

int FsWatch::Add(const std::string& dir) {
  int wd = inotify_add_watch(fd_, dir.c_str(), IN_CREATE | IN_MOVED_FROM | IN_MODIFY);
  if (wd < 0) {
    std::fprintf(stderr, "FATAL: cannot watch '%s': %s\n", dir.c_str(), std::strerror(errno));
    std::exit(2);
  }
  watch_descriptors_.push_back(wd);
  return static_cast<int>(watch_descriptors_.size()) - 1;
}

std::vector<FsEvent> FsWatch::Next(int timeout_ms) {
  std::vector<FsEvent> events;
  pollfd pfd{.fd = fd_, .events = POLLIN, .revents = 0};
  if (poll(&pfd, 1, timeout_ms) <= 0) return events;
  alignas(inotify_event) char buffer[16384];
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n <= 0) break;  // EAGAIN: drained
    for (ssize_t offset = 0; offset < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      auto it = std::find(watch_descriptors_.begin(), watch_descriptors_.end(), e->wd);
      if (it == watch_descriptors_.end() || e->len == 0) continue;
      FsEvent event{.kind = FsEvent::Kind::kModified,
                    .watch = static_cast<int>(it - watch_descriptors_.begin()),
                    .name = e->name};
      if (e->mask & IN_CREATE) event.kind = FsEvent::Kind::kCreated;
      if (e->mask & IN_MOVED_FROM) event.kind = FsEvent::Kind::kMovedOut;
      events.push_back(std::move(event));
    }
  }
  return events;
}

}  // namespace strata::crash
