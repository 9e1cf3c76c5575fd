// A fixed-size pool of worker threads with a bounded task queue: Submit blocks while the queue
// holds `queue_capacity_max` tasks, so producers can never run ahead of the workers without
// bound. A task that throws does not take the process down: the worker catches it at this
// thread boundary and Wait reports it. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.h"

namespace strata {

class ThreadPool {
 public:
  ThreadPool(size_t worker_count, size_t queue_capacity_max);
  ~ThreadPool();  // waits for queued tasks to finish
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`; blocks while the queue is full. Tasks report errors through their own
  // captures; one that throws anyway is caught (see Wait).
  void Submit(std::function<void()> task);
  // Blocks until every submitted task has finished. Internal naming the exception when a task
  // threw (the first one; that task did not finish its work), else OK.
  [[nodiscard]] Status Wait();

  size_t worker_count() const { return workers_.size(); }

 private:
  void WorkerLoop();

  std::mutex mutex_;
  std::condition_variable not_empty_;        // guarded by mutex_
  std::condition_variable not_full_;         // guarded by mutex_
  std::condition_variable idle_;             // guarded by mutex_
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  size_t running_ = 0;                       // guarded by mutex_
  Status escaped_;                           // guarded by mutex_: the first task that threw
  bool stopping_ = false;                    // guarded by mutex_
  size_t queue_capacity_max_;
  std::vector<std::thread> workers_;
};

}  // namespace strata
