#include "base/task_control.h"

#include "base/utc_time.h"

namespace strata {

TaskControl::TaskControl() { progress_.start_ms = NowMs(); }

void TaskControl::set_listener(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void TaskControl::SetTotals(int64_t units, int64_t bytes, std::vector<TableProgress> tables) {
  std::lock_guard lock(mutex_);
  progress_.total_units = units;
  progress_.total_bytes = bytes;
  progress_.tables = std::move(tables);
  if (listener_) listener_(progress_);
}

void TaskControl::AddDone(int64_t units, int64_t bytes, std::string_view table) {
  std::lock_guard lock(mutex_);
  progress_.done_units += units;
  progress_.done_bytes += bytes;
  for (auto& t : progress_.tables) {
    if (t.table == table) t.done_units += units;
  }
  if (listener_) listener_(progress_);
}

TaskProgress TaskControl::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

void TaskControl::Warn(Status warning) {
  std::lock_guard lock(mutex_);
  warnings_.push_back(std::move(warning));
}

std::vector<Status> TaskControl::warnings() const {
  std::lock_guard lock(mutex_);
  return warnings_;
}

}  // namespace strata
