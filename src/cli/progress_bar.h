// A progress bar on stderr for long backups, restores and checks:
//   backup dfs://compoDB [##########----------] 512/1024 partitions  1.2/2.5 GiB  310 MiB/s  ETA
//   0:04
// Drawn only when stderr is a terminal (and the user did not pass --quiet), redrawn at most
// ten times a second, and erased when the task finishes. Thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "lang/interpreter.h"

namespace strata {

class ProgressBar : public ProgressObserver {
 public:
  explicit ProgressBar(std::FILE* out) : out_(out) {}
  void Start(const std::string& title) override;
  void Update(const TaskProgress& progress) override;
  void Finish() override;

  // The bar's text for `progress` at `now_ms` (no terminal control characters).
  static std::string Render(const std::string& title, const TaskProgress& progress, int64_t now_ms);

 private:
  std::FILE* out_;
  std::mutex mutex_;
  std::string title_;     // guarded by mutex_
  int64_t drawn_ms_ = 0;  // guarded by mutex_
  bool visible_ = false;  // guarded by mutex_
};

}  // namespace strata
