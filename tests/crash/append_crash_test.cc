// append_crash_test: SIGKILLs `strata run` while it appends millions of rows to a COMPO
// database, then reopens the data directory and checks DESIGN §3's promise: the table is
// exactly the state before the append or exactly the state after it, tmp/ is empty, and no
// segment file is left that the data does not need.
//
// Usage: append_crash_test STRATA_BINARY [SEED] [ROUNDS]
// The seed chooses the kill delays and the resets; it is printed so a failure can be rerun
// (timing still varies from run to run). The work directory is kept when a check fails.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "append_crash_harness.h"
#include "child_process.h"
#include "fs_watch.h"

namespace strata::crash {
namespace {

constexpr int kRoundsDefault = 16;
constexpr int64_t kBaseRows = 200'000;         // the committed state a fresh database starts with
constexpr int64_t kAppendRows = 5'000'000;     // one append: ~0.2 s of segment writes
constexpr int64_t kResetRowsMax = 30'000'000;  // drop and recreate the database beyond this
constexpr double kResetProbability = 0.1;
constexpr double kRetryProbability = 0.5;  // after a lost append, retry the same rows

// Where in the append a kill landed, judged from what the killed process left behind.
enum class KillClass {
  kCompleted,
  kBeforeWrites,
  kDuringWrites,
  kBeforeCommit,
  kInsideCommit,
  kAfterCommit
};

const char* ClassName(KillClass c) {
  switch (c) {
    case KillClass::kCompleted:
      return "completed (exited before the kill)";
    case KillClass::kBeforeWrites:
      return "killed before any segment was written";
    case KillClass::kDuringWrites:
      return "killed during segment writes";
    case KillClass::kBeforeCommit:
      return "killed after the last segment, before the commit";
    case KillClass::kInsideCommit:
      return "killed inside the catalog commit (WAL being written)";
    case KillClass::kAfterCommit:
      return "killed after the commit";
  }
  return "?";
}

// Times relative to the start of the process, from an uninterrupted calibration append (only
// `exit_ms` steers the kills; the rest is printed to show where the append's time goes).
struct Timing {
  double append_start_ms = 0;  // the append statement begins
  double append_end_ms = 0;    // it has returned (segments written, committed, pruned)
  double exit_ms = 0;          // the process has exited
};

// When to kill. Events are seen through inotify, so kills land in the intended phase however
// loaded the machine is; plain delays cover everything else.
struct Trigger {
  enum class Kind {
    kTmpEvent,          // at the `count`th file created in or renamed out of tmp/
    kWalWrite,          // at the `count`th write to the catalog WAL after the last segment
    kAfterLastSegment,  // `delay_ms` after the last segment is renamed into place
    kDelay,             // `delay_ms` after the process starts
  };
  Kind kind = Kind::kDelay;
  int count = 0;
  double delay_ms = 0;

  std::string Describe() const {
    char text[64];
    switch (kind) {
      case Kind::kTmpEvent:
        std::snprintf(text, sizeof(text), "tmp/ event #%d", count);
        break;
      case Kind::kWalWrite:
        std::snprintf(text, sizeof(text), "WAL write #%d after segments", count);
        break;
      case Kind::kAfterLastSegment:
        std::snprintf(text, sizeof(text), "last segment + %.1f ms", delay_ms);
        break;
      case Kind::kDelay:
        std::snprintf(text, sizeof(text), "start + %.0f ms", delay_ms);
        break;
    }
    return text;
  }
};

// A third of the kills aim at the segment writes, a third at the commit, a third anywhere
// from data generation to just after the process would have exited.
Trigger PickTrigger(std::mt19937_64& rng, size_t segments_per_append, const Timing& t) {
  auto uniform_int = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  int tmp_events = 2 * static_cast<int>(segments_per_append);  // a create and a rename each
  switch (rng() % 3) {
    case 0:
      return Trigger{.kind = Trigger::Kind::kTmpEvent, .count = uniform_int(1, tmp_events)};
    case 1:
      if (rng() % 2 == 0)
        return Trigger{.kind = Trigger::Kind::kWalWrite, .count = uniform_int(1, 8)};
      return Trigger{.kind = Trigger::Kind::kAfterLastSegment, .delay_ms = uniform(0, 10)};
    default:
      return Trigger{.kind = Trigger::Kind::kDelay, .delay_ms = uniform(0, 1.15 * t.exit_ms)};
  }
}

struct RoundRecord {
  int round = 0;
  int64_t variant = 0;
  bool retry = false;
  Trigger trigger;
  double killed_at_ms = 0;
  size_t wal_writes_seen = 0;  // after the last segment, before the kill
  size_t tmp_files_at_kill = 0;
  size_t new_segments_at_kill = 0;
  bool became_new = false;
  KillClass kill_class = KillClass::kCompleted;
};

class AppendCrashTest {
 public:
  AppendCrashTest(Harness& harness, uint64_t seed) : h_(harness), rng_(seed) {}

  int Run(int rounds) {
    Reset(/*fresh_directory=*/true);
    Calibrate();
    for (int round = 1; round <= rounds; ++round) {
      if (total_rows_ > kResetRowsMax || Chance(kResetProbability)) Reset(false);
      RunRound(round);
    }
    PrintSummary();
    return 0;
  }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // A committed starting state: a fresh directory, or the database dropped and recreated in
  // the existing one (which must remove every segment file of the dropped data).
  void Reset(bool fresh_directory) {
    if (fresh_directory) std::filesystem::remove_all(h_.data_dir());
    h_.RunScript(SetupScript(kBaseRows, fresh_directory), "setup");
    state_ = State{};
    AddVariant(state_, kBaseRows, 0);
    total_rows_ = kBaseRows;
    h_.CheckState(h_.Observe("after setup"), state_, "after setup");
    h_.CheckTmpEmpty("after setup");
    auto files = h_.SegmentFiles();
    if (fresh_directory) {
      base_files_ = files.size();
    } else if (files.size() != base_files_) {
      h_.Fail("after dropDatabase and recreating, " + std::to_string(files.size()) +
              " segment files remain but the base data needs " + std::to_string(base_files_) +
              ": dropped data's segments were not removed");
    }
    committed_appends_ = 0;
    std::printf("reset (%s): %lld base rows, %zu segment files\n",
                fresh_directory ? "fresh directory" : "dropDatabase in the existing directory",
                static_cast<long long>(kBaseRows), files.size());
  }

  // One uninterrupted append: how long its phases take and how many segment files it adds.
  void Calibrate() {
    auto before = h_.SegmentFiles();
    int64_t variant = next_variant_++;
    auto spawn_epoch_ms = EpochMs();
    ChildProcess child(h_.StrataArgs(AppendScript(kAppendRows, variant)), h_.Log("cal.out"),
                       h_.Log("cal.err"));
    ChildExit e = child.Wait();
    double exit_ms = MsSince(child.started());
    if (e.signaled || e.code != 0) h_.Fail("calibration append failed: " + h_.Tail("cal.err"));
    auto stamps = ParseEpochLines(ReadText(h_.Log("cal.out")));
    if (stamps.size() != 2) h_.Fail("calibration append printed no timestamps");
    timing_ = Timing{.append_start_ms = double(stamps[0] - spawn_epoch_ms),
                     .append_end_ms = double(stamps[1] - spawn_epoch_ms),
                     .exit_ms = exit_ms};
    AddVariant(state_, kAppendRows, variant);
    total_rows_ += kAppendRows;
    h_.CheckState(h_.Observe("after calibration"), state_, "after the calibration append");
    auto after = h_.SegmentFiles();
    segments_per_append_ = after.size() - before.size();
    committed_appends_ = 1;
    std::printf(
        "calibration: append of %lld rows starts at %.0f ms, returns at %.0f ms, process exits at "
        "%.0f ms; it adds %zu segment files\n",
        static_cast<long long>(kAppendRows), timing_.append_start_ms, timing_.append_end_ms,
        timing_.exit_ms, segments_per_append_);
    if (segments_per_append_ == 0) h_.Fail("the calibration append added no segment files");
  }

  void RunRound(int round) {
    RoundRecord rec{.round = round};
    rec.retry = last_lost_variant_ >= 0 && Chance(kRetryProbability);
    rec.variant = rec.retry ? last_lost_variant_ : next_variant_++;
    State before = state_;
    State after = state_;
    AddVariant(after, kAppendRows, rec.variant);
    auto files_before = h_.SegmentFiles();
    rec.trigger = PickTrigger(rng_, segments_per_append_, timing_);

    std::string tag = "r" + std::to_string(round);
    bool killed = KillAtTrigger(AppendScript(kAppendRows, rec.variant), tag, rec);
    // What the dead process left, before anything reopens the directory.
    rec.tmp_files_at_kill = h_.TmpFiles().size();
    for (const auto& f : h_.SegmentFiles()) rec.new_segments_at_kill += !files_before.count(f);

    std::string when = "round " + std::to_string(round) + " (variant " +
                       std::to_string(rec.variant) + ", kill at " + rec.trigger.Describe() + ")";
    Observed seen = h_.Observe(tag + ".verify");
    rec.became_new = h_.MatchesOneOf(seen, before, after, when);
    if (!killed && !rec.became_new) h_.Fail(when + ": the append exited 0 but is not visible");
    h_.CheckTmpEmpty(when + " after reopening");
    CheckSegments(files_before, rec.became_new, when);

    rec.kill_class = Classify(killed, rec);
    if (rec.became_new) {
      state_ = after;
      total_rows_ += kAppendRows;
      ++committed_appends_;
      last_lost_variant_ = -1;
    } else {
      last_lost_variant_ = rec.variant;
    }
    std::printf(
        "round %2d: variant %2lld%s kill at %-28s (ended %6.1f ms) | left %zu tmp, %2zu/%zu new "
        "segments | state %s | %s\n",
        round, static_cast<long long>(rec.variant), rec.retry ? " (retry)" : "        ",
        rec.trigger.Describe().c_str(), rec.killed_at_ms, rec.tmp_files_at_kill,
        rec.new_segments_at_kill, segments_per_append_, rec.became_new ? "AFTER " : "BEFORE",
        ClassName(rec.kill_class));
    std::fflush(stdout);
    records_.push_back(rec);
  }

  // Runs `code` and SIGKILLs it when `rec.trigger` fires. Returns whether the kill ended it
  // (false: it exited first, which must have been a success).
  bool KillAtTrigger(const std::string& code, const std::string& tag, RoundRecord& rec) {
    using Clock = std::chrono::steady_clock;
    const Trigger& trigger = rec.trigger;
    FsWatch watch;
    const int tmp_watch = watch.Add(h_.data_dir() + "/tmp");
    const int data_watch = watch.Add(h_.data_dir());
    ChildProcess child(h_.StrataArgs(code), h_.Log(tag + ".out"), h_.Log(tag + ".err"));
    std::optional<Clock::time_point> deadline;
    auto after_ms = [](Clock::time_point t, double ms) {
      return t + std::chrono::microseconds(static_cast<int64_t>(ms * 1000));
    };
    if (trigger.kind == Trigger::Kind::kDelay)
      deadline = after_ms(child.started(), trigger.delay_ms);
    int tmp_events = 0;
    size_t moves = 0;
    bool fire = false;
    while (!fire && !child.Poll()) {
      int timeout_ms = 5;
      if (deadline) {
        double left = std::chrono::duration<double, std::milli>(*deadline - Clock::now()).count();
        timeout_ms = std::clamp(static_cast<int>(left), 0, 5);
      }
      for (const FsEvent& e : watch.Next(timeout_ms)) {
        if (e.watch == tmp_watch && e.kind != FsEvent::Kind::kModified) {
          ++tmp_events;
          if (e.kind == FsEvent::Kind::kMovedOut && ++moves == segments_per_append_ &&
              trigger.kind == Trigger::Kind::kAfterLastSegment) {
            deadline = after_ms(Clock::now(), trigger.delay_ms);
          }
          if (trigger.kind == Trigger::Kind::kTmpEvent && tmp_events == trigger.count) fire = true;
        } else if (e.watch == data_watch && e.kind == FsEvent::Kind::kModified &&
                   e.name == "catalog.sqlite-wal" && moves >= segments_per_append_) {
          ++rec.wal_writes_seen;
          if (trigger.kind == Trigger::Kind::kWalWrite &&
              rec.wal_writes_seen == static_cast<size_t>(trigger.count)) {
            fire = true;
          }
        }
        if (fire) break;
      }
      if (deadline && Clock::now() >= *deadline) fire = true;
    }
    bool killed = false;
    ChildExit e = child.Kill(&killed);
    rec.killed_at_ms = MsSince(child.started());
    if (!killed && (e.signaled || e.code != 0)) {
      h_.Fail("round " + std::to_string(rec.round) +
              ": the append failed by itself: " + h_.Tail(tag + ".err"));
    }
    return killed;
  }

  // After the reopen: the files are the old ones plus, when the append is visible, exactly one
  // append's worth; a second open changes nothing (the first swept every orphan).
  void CheckSegments(const std::set<std::string>& before, bool became_new,
                     const std::string& when) {
    auto now = h_.SegmentFiles();
    for (const auto& f : before) {
      if (!now.count(f)) h_.Fail(when + ": segment file " + f + " of committed data vanished");
    }
    size_t want = before.size() + (became_new ? segments_per_append_ : 0);
    if (now.size() != want) {
      h_.Fail(when + ": " + std::to_string(now.size()) + " segment files after reopening, want " +
              std::to_string(want) + " (" + std::to_string(now.size() - before.size()) +
              " new; orphans of the killed append were not swept?)");
    }
    size_t expected_total =
        base_files_ + segments_per_append_ * (committed_appends_ + (became_new ? 1 : 0));
    if (now.size() != expected_total) {
      h_.Fail(when + ": " + std::to_string(now.size()) + " segment files, but base data plus " +
              "the committed appends need " + std::to_string(expected_total));
    }
    h_.RunScript("1", "reopen");
    if (h_.SegmentFiles() != now) h_.Fail(when + ": a second open changed the segment files");
    h_.CheckTmpEmpty(when + " after a second open");
  }

  KillClass Classify(bool killed, const RoundRecord& rec) const {
    if (!killed) return KillClass::kCompleted;
    if (rec.became_new) return KillClass::kAfterCommit;
    if (rec.tmp_files_at_kill == 0 && rec.new_segments_at_kill == 0) {
      return KillClass::kBeforeWrites;
    }
    if (rec.tmp_files_at_kill == 0 && rec.new_segments_at_kill == segments_per_append_) {
      return rec.wal_writes_seen > 0 ? KillClass::kInsideCommit : KillClass::kBeforeCommit;
    }
    return KillClass::kDuringWrites;
  }

  void PrintSummary() const {
    std::map<KillClass, int> counts;
    for (const auto& r : records_) ++counts[r.kill_class];
    std::printf("\nsummary: %zu rounds, every reopen saw exactly the state before or after\n",
                records_.size());
    for (const auto& [c, n] : counts) std::printf("  %2d  %s\n", n, ClassName(c));
  }

  Harness& h_;
  std::mt19937_64 rng_;
  Timing timing_;
  State state_;
  int64_t total_rows_ = 0;
  int64_t next_variant_ = 1;  // 0 is the base data
  int64_t last_lost_variant_ = -1;
  size_t base_files_ = 0;
  size_t segments_per_append_ = 0;
  size_t committed_appends_ = 0;  // since the last reset
  std::vector<RoundRecord> records_;
};

}  // namespace
}  // namespace strata::crash

int main(int argc, char** argv) {
  using namespace strata::crash;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s STRATA_BINARY [SEED] [ROUNDS]\n", argv[0]);
    return 2;
  }
  uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10)
                           : uint64_t(std::chrono::system_clock::now().time_since_epoch().count());
  int rounds = argc > 3 ? std::atoi(argv[3]) : kRoundsDefault;
  std::printf("append_crash_test seed %llu (rerun: %s %s %llu %d)\n",
              static_cast<unsigned long long>(seed), argv[0], argv[1],
              static_cast<unsigned long long>(seed), rounds);
  Harness harness(argv[1]);
  std::printf("work directory %s\n", harness.work_dir().c_str());
  int rc = AppendCrashTest(harness, seed).Run(rounds);
  harness.RemoveWorkDir();
  return rc;
}
