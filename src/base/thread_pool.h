// A fixed-size pool of worker threads with a bounded task queue: Submit blocks while the queue
// holds `queue_capacity_max` tasks, so producers can never run ahead of the workers without
// bound. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

class ThreadPool {
 public:
  ThreadPool(size_t worker_count, size_t queue_capacity_max);
  ~ThreadPool();  // waits for queued tasks to finish
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`; blocks while the queue is full. Tasks must not throw.
  void Submit(std::function<void()> task);
  // Blocks until every submitted task has finished.
  void Wait();

  size_t worker_count() const { return workers_.size(); }

 private:
  void WorkerLoop();

  std::mutex mutex_;
  std::condition_variable not_empty_;        // guarded by mutex_
  std::condition_variable not_full_;         // guarded by mutex_
  std::condition_variable idle_;             // guarded by mutex_
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  size_t running_ = 0;                       // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  size_t queue_capacity_max_;
  std::vector<std::thread> workers_;
};

}  // namespace strata
