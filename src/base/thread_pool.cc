#include "base/thread_pool.h"

#include "base/check.h"

namespace strata {

ThreadPool::ThreadPool(size_t worker_count, size_t queue_capacity_max)
    : queue_capacity_max_(queue_capacity_max) {
  STRATA_CHECK(worker_count > 0 && queue_capacity_max > 0);
  for (size_t i = 0; i < worker_count; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
  }
  not_empty_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::Submit(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return queue_.size() < queue_capacity_max_; });
  queue_.push_back(std::move(task));
  not_empty_.notify_one();
}

Status ThreadPool::Wait() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
  return escaped_;
}

namespace {

// Runs `task`; anything it throws becomes an Internal status instead of ending the process.
Status RunCatching(const std::function<void()>& task) {
  try {
    task();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Internal(std::string("a worker task failed with an unexpected exception: ") + e.what() +
                    "; this is a bug in strata, please report it");
  } catch (...) {
    return Internal(
        "a worker task failed with an unexpected non-standard exception; this is a "
        "bug in strata, please report it");
  }
}

}  // namespace

void ThreadPool::WorkerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
      not_full_.notify_one();
    }
    Status status = RunCatching(task);
    {
      std::unique_lock lock(mutex_);
      if (!status.ok() && escaped_.ok()) escaped_ = std::move(status);
      --running_;
      if (queue_.empty() && running_ == 0) idle_.notify_all();
    }
  }
}

}  // namespace strata
