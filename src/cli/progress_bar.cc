#include "cli/progress_bar.h"

#include <cinttypes>

#include "base/utc_time.h"

namespace strata {

namespace {

constexpr int64_t kRedrawIntervalMs = 100;
constexpr int kBarWidth = 20;

std::string Bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return buf;
}

std::string Duration(int64_t seconds) {
  char buf[32];
  if (seconds >= 3600) {
    std::snprintf(buf, sizeof buf, "%" PRId64 ":%02" PRId64 ":%02" PRId64, seconds / 3600,
                  seconds / 60 % 60, seconds % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%" PRId64 ":%02" PRId64, seconds / 60, seconds % 60);
  }
  return buf;
}

}  // namespace

std::string ProgressBar::Render(const std::string& title, const TaskProgress& p, int64_t now_ms) {
  double fraction = p.total_bytes > 0   ? static_cast<double>(p.done_bytes) / p.total_bytes
                    : p.total_units > 0 ? static_cast<double>(p.done_units) / p.total_units
                                        : 0.0;
  fraction = std::min(1.0, std::max(0.0, fraction));
  int filled = static_cast<int>(fraction * kBarWidth + 0.5);
  std::string line =
      title + " [" + std::string(filled, '#') + std::string(kBarWidth - filled, '-') + "] " +
      std::to_string(p.done_units) + "/" + std::to_string(p.total_units) + " partitions  " +
      Bytes(static_cast<double>(p.done_bytes)) + "/" + Bytes(static_cast<double>(p.total_bytes));
  double seconds = static_cast<double>(now_ms - p.start_ms) / 1000.0;
  if (seconds > 0.5 && p.done_bytes > 0) {
    double rate = static_cast<double>(p.done_bytes) / seconds;
    line += "  " + Bytes(rate) + "/s";
    if (fraction > 0 && fraction < 1) {
      line += "  ETA " + Duration(static_cast<int64_t>(seconds * (1 - fraction) / fraction));
    }
  }
  return line;
}

void ProgressBar::Start(const std::string& title) {
  std::lock_guard lock(mutex_);
  title_ = title;
  drawn_ms_ = 0;
}

void ProgressBar::Update(const TaskProgress& progress) {
  std::lock_guard lock(mutex_);
  int64_t now = NowMs();
  bool last = progress.done_units == progress.total_units;
  if (!last && now - drawn_ms_ < kRedrawIntervalMs) return;
  drawn_ms_ = now;
  std::fprintf(out_, "\r\033[K%s", Render(title_, progress, now).c_str());
  std::fflush(out_);
  visible_ = true;
}

void ProgressBar::Finish() {
  std::lock_guard lock(mutex_);
  if (visible_) std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  visible_ = false;
}

}  // namespace strata
