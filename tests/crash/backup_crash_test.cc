// Backup and restore crash test: a real `strata` process runs a large copy-files backup and is
// killed with SIGKILL at seeded random moments (its Nth object file written, or its Nth file
// renamed into place while a batch is published); the same call is re-run each time, resuming
// from the journal. At the end checkBackup must be clean and a restore into a fresh database
// must equal the source partition for partition (rows and sum(x)). Then restores are killed the
// same way (their Nth segment staged or published in the data directory): the target table
// must be entirely its old state or entirely the backup's. With --encrypted every call names a
// key file made by `strata keygen` (keyPath), so the repository is encrypted throughout.
//
// Usage: backup_crash_test STRATA_BINARY [SEED] [KILLS] [--encrypted]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "append_crash_harness.h"
#include "child_process.h"
#include "fs_watch.h"

namespace strata::crash {
namespace {

constexpr int64_t kRowsPerAppend = 100000;
constexpr int64_t kAppends = 12;  // 12 segments in each of the 10 partitions: 120 objects
constexpr int kBackupKillsDefault = 8;
constexpr int kRestoreKills = 5;
constexpr int kEventTimeoutMs = 60000;

const char* kLogin = "login(\"admin\", \"123456\")\n";

class BackupCrashTest {
 public:
  BackupCrashTest(Harness& harness, uint64_t seed, bool encrypted)
      : h_(harness), random_(seed), encrypted_(encrypted) {}

  int Run(int backup_kills) {
    if (encrypted_) MakeKey();
    Setup();
    int kills = KillBackups(backup_kills);
    VerifyBackup();
    kills += KillRestores();
    std::printf("backup_crash_test: %d SIGKILLs, every state consistent\n", kills);
    return 0;
  }

 private:
  void MakeKey() {
    const std::string path = h_.work_dir() + "/backup.key";
    ChildExit made = RunToCompletion({h_.StrataArgs("")[0], "keygen", path}, h_.Log("keygen.out"),
                                     h_.Log("keygen.err"));
    if (made.signaled || made.code != 0) h_.Fail("strata keygen failed: " + h_.Tail("keygen.err"));
    key_arg_ = ", keyPath=\"" + path + "\"";
  }

  std::string BackupCall(const std::string& dir) const {
    return std::string(kLogin) + "backup(\"" + dir + "\", \"dfs://crashDB\", parallel=true" +
           key_arg_ + ")\n";
  }

  void Setup() {
    std::string script = SetupScript(kRowsPerAppend, /*fresh_directory=*/true);
    for (int64_t v = 1; v < kAppends; ++v) script += AppendScript(kRowsPerAppend, v);
    h_.RunScript(script, "setup");
    for (int64_t v = 0; v < kAppends; ++v) AddVariant(source_, kRowsPerAppend, v);
    h_.CheckState(h_.Observe("setup-observe"), source_, "after setup");
  }

  // Where in a write a kill lands. Objects and staged segments are written to a temporary
  // directory without fsync, then published in batches: one syncfs, the renames out of the
  // temporary directory, a second syncfs, and only then the journal part or commit that names
  // them. Counting created files kills while a batch is written; counting renames out kills
  // in the middle of a publish, with part of the batch under final names and nothing yet
  // referencing it.
  enum class KillAt { kWrite, kPublish };
  KillAt PickKillPoint() {
    return std::bernoulli_distribution(0.5)(random_) ? KillAt::kPublish : KillAt::kWrite;
  }
  static const char* Describe(KillAt at) {
    return at == KillAt::kWrite ? "file written" : "file published";
  }

  // Starts `code` and kills it at the `n`th event of kind `at` in `watch_dir` (unless it ends
  // first). Returns true if the kill happened.
  bool RunAndKill(const std::string& code, const std::string& watch_dir, int n, KillAt at,
                  const std::string& tag) {
    const FsEvent::Kind counted =
        at == KillAt::kWrite ? FsEvent::Kind::kCreated : FsEvent::Kind::kMovedOut;
    FsWatch watch;
    std::filesystem::create_directories(watch_dir);
    watch.Add(watch_dir);
    ChildProcess child(h_.StrataArgs(code), h_.Log(tag + ".out"), h_.Log(tag + ".err"));
    int seen = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kEventTimeoutMs);
    while (seen < n && std::chrono::steady_clock::now() < deadline) {
      if (child.Poll()) break;
      for (const auto& event : watch.Next(50)) {
        if (event.kind == counted) ++seen;
      }
    }
    bool killed = false;
    ChildExit exit = child.Kill(&killed);
    if (!killed && (exit.signaled || exit.code != 0)) {
      h_.Fail(tag + " failed by itself: " + h_.Tail(tag + ".err"));
    }
    return killed;
  }

  int KillBackups(int wanted) {
    const std::string repo = h_.work_dir() + "/bak";
    int kills = 0;
    for (int round = 0; kills < wanted && round < 4 * wanted; ++round) {
      // Objects and journal parts are written to <repo>/.tmp first.
      int n = std::uniform_int_distribution<int>(1, 40)(random_);
      KillAt at = PickKillPoint();
      std::string tag = "backup-" + std::to_string(round);
      if (RunAndKill(BackupCall(repo), repo + "/.tmp", n, at, tag)) {
        ++kills;
        std::printf("  backup killed at %s %d (round %d)\n", Describe(at), n, round);
      } else {
        // It finished before the kill: start over with a new directory so later rounds still
        // interrupt a backup that has work left.
        std::filesystem::remove_all(repo);
      }
    }
    // The same call, to completion: it resumes where the killed runs stopped.
    std::string out = h_.RunScript(BackupCall(repo), "backup-final");
    std::printf("  final run of the same call stored %s", out.c_str());
    return kills;
  }

  void VerifyBackup() {
    const std::string repo = h_.work_dir() + "/bak";
    std::string out =
        h_.RunScript(std::string(kLogin) + "checked = checkBackup(\"" + repo +
                         "\", \"dfs://crashDB\"" + key_arg_ + ")\nexec count(*) from checked\n",
                     "check");
    if (out != "0\n") h_.Fail("checkBackup after the killed backups reports damage: " + out);
    h_.RunScript(std::string(kLogin) + "restoreDB(\"" + repo +
                     "\", \"dfs://crashDB\", \"dfs://copyDB\"" + key_arg_ + ")\n",
                 "restore-copy");
    h_.CheckState(h_.Observe("copy-observe", "dfs://copyDB"), source_,
                  "a fresh database restored from the resumed backup");
  }

  // Restores killed mid-way: dfs://crashDB loses two partitions and gets them back from the
  // backup, force=true rewriting every partition; a kill leaves the old state or the new.
  int KillRestores() {
    const std::string repo = h_.work_dir() + "/bak";
    State damaged = source_;
    damaged.erase("/20170807/0_50");
    damaged.erase("/20170809/50_100");
    int kills = 0;
    for (int round = 0; round < kRestoreKills; ++round) {
      h_.RunScript(
          "db = database(\"dfs://crashDB\")\n"
          "dropPartition(db, [\"/20170807/0_50\", \"/20170809/50_100\"], \"pt\")\n",
          "drop-" + std::to_string(round));
      // Make the restore stage new segment files: remove the copy, whose segments it shares.
      h_.RunScript("if (existsDatabase(\"dfs://copyDB\")) dropDatabase(\"dfs://copyDB\")\n",
                   "dropcopy-" + std::to_string(round));
      h_.CheckState(h_.Observe("before-restore-" + std::to_string(round)), damaged,
                    "before restore " + std::to_string(round));
      int n = std::uniform_int_distribution<int>(1, 30)(random_);
      KillAt at = PickKillPoint();
      std::string tag = "restore-" + std::to_string(round);
      bool killed = RunAndKill(std::string(kLogin) + "restore(\"" + repo +
                                   "\", \"dfs://crashDB\", \"pt\", \"%\", true" + key_arg_ + ")\n",
                               h_.data_dir() + "/tmp", n, at, tag);
      kills += killed ? 1 : 0;
      bool restored = h_.MatchesOneOf(h_.Observe("after-restore-" + std::to_string(round)), damaged,
                                      source_, "after restore " + std::to_string(round));
      std::printf("  restore %s at segment %s %d: table %s\n", killed ? "killed" : "finished",
                  Describe(at), n, restored ? "restored" : "unchanged");
      h_.CheckTmpEmpty("after restore " + std::to_string(round));
      if (!restored) {
        h_.RunScript(std::string(kLogin) + "restore(\"" + repo +
                         "\", \"dfs://crashDB\", \"pt\", \"%\"" + key_arg_ + ")\n",
                     "restore-rerun-" + std::to_string(round));
      }
      h_.CheckState(h_.Observe("restored-" + std::to_string(round)), source_,
                    "after re-running restore " + std::to_string(round));
    }
    return kills;
  }

  Harness& h_;
  std::mt19937_64 random_;
  const bool encrypted_;
  std::string key_arg_;  // ", keyPath=..." when encrypted
  State source_;
};

}  // namespace
}  // namespace strata::crash

int main(int argc, char** argv) {
  using namespace strata::crash;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s STRATA_BINARY [SEED] [KILLS] [--encrypted]\n", argv[0]);
    return 2;
  }
  uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10)
                           : uint64_t(std::chrono::system_clock::now().time_since_epoch().count());
  int kills = argc > 3 ? std::atoi(argv[3]) : kBackupKillsDefault;
  const bool encrypted = argc > 4 && std::string(argv[4]) == "--encrypted";
  std::printf("backup_crash_test seed %llu (rerun: %s %s %llu %d%s)\n",
              static_cast<unsigned long long>(seed), argv[0], argv[1],
              static_cast<unsigned long long>(seed), kills, encrypted ? " --encrypted" : "");
  Harness harness(argv[1]);
  std::printf("work directory %s\n", harness.work_dir().c_str());
  int rc = BackupCrashTest(harness, seed, encrypted).Run(kills);
  harness.RemoveWorkDir();
  return rc;
}
