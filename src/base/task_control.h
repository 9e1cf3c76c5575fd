// TaskControl: how a running backup or restore talks to whoever started it — progress counts
// it publishes (partitions and bytes, done and total) and a cancel request it checks between
// bounded steps. Thread-safe: workers update it, the job manager and the progress display
// read it. Warnings it collects are shown when it ends.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata {

// The units of one table of a task that works on several (getBackupStatus shows a row each).
struct TableProgress {
  std::string table;
  int64_t total_units = 0;
  int64_t done_units = 0;
  bool operator==(const TableProgress&) const = default;
};

struct TaskProgress {
  int64_t total_units = 0;  // (table, partition) units this task works on
  int64_t done_units = 0;
  int64_t total_bytes = 0;
  int64_t done_bytes = 0;
  int64_t start_ms = 0;
  std::vector<TableProgress> tables;  // per table, when the task reports them; else empty
};

class TaskControl {
 public:
  using Listener = std::function<void(const TaskProgress&)>;

  TaskControl();
  // Called (from worker threads, serialized) after every change of the counts.
  void set_listener(Listener listener);

  void Cancel() { cancelled_.store(true); }
  // True once this task or its parent (the job that started it) is cancelled.
  bool cancelled() const {
    return cancelled_.load() || (parent_ != nullptr && parent_->cancelled());
  }
  // `parent` must outlive this task.
  void set_parent(const TaskControl* parent) { parent_ = parent; }

  // `tables`: the units of each table (summing to `units`), or none.
  void SetTotals(int64_t units, int64_t bytes, std::vector<TableProgress> tables = {});
  // `table`: whose units these are (one of SetTotals's tables), or "".
  void AddDone(int64_t units, int64_t bytes, std::string_view table = {});
  TaskProgress progress() const;

  // Something the user should know that did not stop the task (a damaged snapshot of another
  // database skipped, missing objects stored again), as the error it would have been, with its
  // remedy; shown when the task ends, in the words of the front end that started it.
  void Warn(Status warning);
  std::vector<Status> warnings() const;

 private:
  std::atomic<bool> cancelled_{false};
  const TaskControl* parent_ = nullptr;  // set before the task starts
  mutable std::mutex mutex_;
  TaskProgress progress_;         // guarded by mutex_
  Listener listener_;             // guarded by mutex_
  std::vector<Status> warnings_;  // guarded by mutex_
};

}  // namespace strata
