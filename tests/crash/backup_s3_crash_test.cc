// Backup and restore crash test on s3:// (issue 4): a real `strata` process runs a large
// copy-files backup (parallel=true, 100 partitions, 400 objects) into
// s3://strata-test/crash-s3/<unique>/ on the local S3 server and is killed with SIGKILL at seeded
// random moments; the same call is re-run each time, resuming from the journal. At the end
// checkBackup must be clean, a restoreDB into a fresh data directory must equal the source
// partition for partition (rows and sum(x)), and the final run must have had fewer partitions
// left to copy than the database has (getBackupStatus' totalPartitions of that job), i.e. the
// killed runs' work was kept. Then restores from S3 are killed mid-way: the target table is
// entirely its old state or entirely the backup's, and re-running the call completes it.
//
// When to kill. The local test kills at the Nth object file; an S3 upload leaves no file the
// test can watch (the server's on-disk layout is Swift's business, and polling it would tie the
// test to one server and add load to a 2-core machine). So the test times one uninterrupted
// backup of the same data to another prefix (the calibration, T ms including process start)
// and kills each run at a seeded random fraction of T: alternately an early one, 3-15% (process
// start, opening the repository and the journal, the first uploads), and one in the middle of
// the uploads, 15-40%, so that whatever the seed, half the kills come after journal parts were
// written. A run that finishes before its kill, or is killed after writing its manifest (the
// test looks for a snapshot after every kill), leaves a finished backup: the prefix starts over
// and later fractions shrink. The test needs KILLS kills of unfinished backups on the prefix the
// final run resumes. Restores stage the segments they fetch in the local data directory's tmp/,
// so those are killed at their Nth staged file (inotify), as in backup_crash_test.
//
// Runs under tests/s3/with_env.sh (the CTest fixture's server and keys as AWS_* variables, which
// strata reads); refuses to run unless the endpoint is http://127.0.0.1:PORT.
//
// Usage: backup_s3_crash_test STRATA_BINARY [SEED] [KILLS]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "append_crash_harness.h"
#include "child_process.h"
#include "fs_watch.h"

namespace strata::crash {
namespace {

// 20 dates x 5 ID ranges = 100 partitions; 4 appends of 1.2 M rows give each partition 4
// segments of 12,000 rows (~55 KB): 400 objects, 23 MB.
constexpr int64_t kDays = 20;
constexpr int64_t kIdRangeWidth = 20;
constexpr int64_t kPartitions = kDays * (100 / kIdRangeWidth);
constexpr int64_t kRowsPerAppend = 1200000;
constexpr int64_t kAppends = 4;
constexpr int kBackupKillsDefault = 8;
constexpr double kKillFractionMin = 0.03;
constexpr double kKillFractionMid = 0.15;
constexpr double kKillFractionMax = 0.40;
constexpr double kKillFractionShrink = 0.7;  // after a run finished before its kill
constexpr int kRestoreKills = 4;
constexpr int kEventTimeoutMs = 60000;
constexpr const char* kBucket = "strata-test";  // tests/s3/fixture.sh creates it
constexpr const char* kDb = "dfs://s3crash";
constexpr const char* kLogin = "login(\"admin\", \"123456\")\n";
// Partitions the restore rounds drop and get back: two dates, 40 segments to fetch.
constexpr const char* kDroppedDates[] = {"20170809", "20170815"};

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string PathOf(int64_t day, int64_t id_low) {
  std::string day_of_month = std::to_string(7 + day);  // August 7 to 26
  if (day_of_month.size() == 1) day_of_month = "0" + day_of_month;
  return "/201708" + day_of_month + "/" + std::to_string(id_low) + "_" +
         std::to_string(id_low + kIdRangeWidth);
}

// Variant v of the data: row i has date 2017.08.07 + i % 20, ID (7i) % 100 and
// x = (2654435761 i + 7919 v) % 1000003 (integers, so sums are exact).
std::string DataScript(int64_t variant) {
  return "i = til(" + std::to_string(kRowsPerAppend) +
         ")\n"
         "t = table(int((i * 7) % 100) as ID, 2017.08.07 + (i % " +
         std::to_string(kDays) + ") as date, double((i * 2654435761 + " + std::to_string(variant) +
         " * 7919) % 1000003) as x)\n";
}

// The same rows, counted here.
void AddVariant(State& state, int64_t variant) {
  std::vector<Cell> cells(kPartitions);
  for (int64_t i = 0; i < kRowsPerAppend; ++i) {
    int64_t id = (i * 7) % 100;
    Cell& c = cells[(i % kDays) * (100 / kIdRangeWidth) + id / kIdRangeWidth];
    c.rows += 1;
    c.sum += (i * 2654435761LL + variant * 7919) % 1000003;
  }
  for (int64_t p = 0; p < kPartitions; ++p) {
    Cell& s = state[PathOf(p / (100 / kIdRangeWidth), (p % (100 / kIdRangeWidth)) * kIdRangeWidth)];
    s.rows += cells[p].rows;
    s.sum += cells[p].sum;
  }
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  return out;
}

// Rows per partition from the catalog and rows and sum(x) from a query over the data, of `db`
// in `h`'s data directory.
Observed Observe(Harness& h, const std::string& tag, const std::string& db = kDb) {
  std::string out = h.RunScript(
      "pt = loadTable(" + Quoted(db) + ", `pt)\nselect path, rows from getChunksMeta(" +
          Quoted(db) + ", \"pt\")\nselect count(*) as c, sum(x) as s from pt group by date, ID / " +
          std::to_string(kIdRangeWidth) + "\n",
      tag);
  auto results = JsonLines(out);
  if (results.size() != 2 || !results[0].is_object() || !results[1].is_object()) {
    h.Fail("unexpected output of the verification query:\n" + out);
  }
  Observed seen;
  for (const auto& row : results[0]["rows"]) {
    if (row[1].get<int64_t>() > 0)
      seen.meta[row[0].get<std::string>()].rows = row[1].get<int64_t>();
  }
  for (const auto& row : results[1]["rows"]) {     // date, ID range, count, sum
    std::string date = row[0].get<std::string>();  // "2017.08.07"
    int64_t day = std::stoll(date.substr(8)) - 7;
    int64_t range = static_cast<int64_t>(std::floor(row[1].get<double>()));
    double sum = row[3].get<double>();
    if (std::floor(sum) != sum) h.Fail("sum(x) of " + date + " is " + row[3].dump());
    seen.data[PathOf(day, range * kIdRangeWidth)] =
        Cell{.rows = row[2].get<int64_t>(), .sum = static_cast<int64_t>(sum)};
  }
  return seen;
}

// Tests talk to the local server only: strata takes its endpoint from AWS_ENDPOINT_URL_S3 or
// AWS_ENDPOINT_URL (and would default to AWS without one), so both must be loopback or unset,
// and one must be set.
// "http://127.0.0.1:PORT" with an optional trailing '/'. (Not std::regex: GCC 12 warns inside
// it under the sanitizer build, and the check is this simple.)
bool IsLoopbackUrl(std::string_view url) {
  constexpr std::string_view kPrefix = "http://127.0.0.1:";
  if (!url.starts_with(kPrefix)) return false;
  std::string_view port = url.substr(kPrefix.size());
  if (port.ends_with('/')) port.remove_suffix(1);
  return !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string_view::npos;
}

void RequireLoopbackEndpoint() {
  bool any = false;
  for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    any = true;
    if (!IsLoopbackUrl(value)) {
      std::fprintf(stderr, "FATAL: %s is '%s'; this test runs only against http://127.0.0.1:PORT\n",
                   name, value);
      std::exit(2);
    }
  }
  if (!any || std::getenv("AWS_ACCESS_KEY_ID") == nullptr) {
    std::fprintf(stderr,
                 "FATAL: no local S3 server: run through tests/s3/with_env.sh ENVFILE (ctest "
                 "starts it: ctest -R 'crash.backup_s3')\n");
    std::exit(2);
  }
}

class BackupS3CrashTest {
 public:
  BackupS3CrashTest(Harness& harness, Harness& fresh, uint64_t seed)
      : h_(harness), fresh_(fresh), random_(seed) {
    base_ = std::string("s3://") + kBucket + "/crash-s3/" +
            std::filesystem::path(h_.work_dir()).filename().string() + "-" + std::to_string(seed);
  }

  int Run(int backup_kills) {
    auto start = std::chrono::steady_clock::now();
    Setup();
    double calibration_ms = Calibrate();
    int kills = KillBackups(backup_kills, calibration_ms);
    FinalBackup();
    kills += VerifyBackup();
    kills += KillRestores();
    std::printf("backup_s3_crash_test: %d SIGKILLs in %.1f s, every state consistent\n", kills,
                MsSince(start) / 1000);
    return 0;
  }

 private:
  std::string BackupCall(const std::string& repo) const {
    return std::string(kLogin) + "backup(" + Quoted(repo) + ", " + Quoted(kDb) +
           ", parallel=true)\n";
  }

  void Setup() {
    std::string script = "dbDate = database(, VALUE, 2017.08.07 + til(" + std::to_string(kDays) +
                         "))\ndbID = database(, RANGE, 0 20 40 60 80 100)\ndb = database(" +
                         Quoted(kDb) + ", COMPO, [dbDate, dbID])\n";
    for (int64_t v = 0; v < kAppends; ++v) {
      script += DataScript(v);
      script += v == 0 ? "pt = db.createPartitionedTable(t, `pt, `date`ID)\n" : "";
      script += "pt.append!(t)\n";
      AddVariant(source_, v);
    }
    h_.RunScript(script, "setup");
    h_.CheckState(Observe(h_, "setup-observe"), source_, "after setup");
  }

  // One uninterrupted backup of the same data to another prefix: how long a whole run takes.
  double Calibrate() {
    auto start = std::chrono::steady_clock::now();
    std::string out = h_.RunScript(BackupCall(base_ + "/calibration"), "calibration");
    double ms = MsSince(start);
    if (out != std::to_string(kPartitions) + "\n") {
      h_.Fail("the calibration backup stored " + out + " partitions, want " +
              std::to_string(kPartitions));
    }
    std::printf("  calibration: an uninterrupted backup to %s/calibration took %.0f ms\n",
                base_.c_str(), ms);
    return ms;
  }

  // Runs `code`; kills it `delay_ms` after its start unless it ends first. Returns true if the
  // kill happened; fails the test if it ended by itself with an error.
  bool RunAndKillAfter(const std::string& code, double delay_ms, const std::string& tag) {
    ChildProcess child(h_.StrataArgs(code), h_.Log(tag + ".out"), h_.Log(tag + ".err"));
    while (MsSince(child.started()) < delay_ms && !child.Poll()) usleep(2000);
    return KillChild(child, h_, tag);
  }

  // Starts `code` in `h`'s data directory and kills it when the `n`th file appears in its tmp/
  // (or when it ends first). Returns true if the kill happened.
  bool RunAndKillAtStaged(Harness& h, const std::string& code, int n, const std::string& tag) {
    FsWatch watch;
    std::filesystem::create_directories(h.data_dir() + "/tmp");
    watch.Add(h.data_dir() + "/tmp");
    ChildProcess child(h.StrataArgs(code), h.Log(tag + ".out"), h.Log(tag + ".err"));
    int seen = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kEventTimeoutMs);
    while (seen < n && std::chrono::steady_clock::now() < deadline && !child.Poll()) {
      for (const auto& event : watch.Next(20)) {
        if (event.kind == FsEvent::Kind::kCreated) ++seen;
      }
    }
    return KillChild(child, h, tag);
  }

  static bool KillChild(ChildProcess& child, Harness& h, const std::string& tag) {
    bool killed = false;
    ChildExit exit = child.Kill(&killed);
    if (!killed && (exit.signaled || exit.code != 0)) {
      h.Fail(tag + " failed by itself: " + h.Tail(tag + ".err"));
    }
    return killed;
  }

  // Snapshots of the database in `repo`; 0 while the prefix holds no repository or no snapshot.
  int64_t SnapshotCount(const std::string& repo, const std::string& tag) {
    ChildExit e = RunToCompletion(
        h_.StrataArgs(std::string(kLogin) + "exec count(*) from getBackupSnapshots(" +
                      Quoted(repo) + ", " + Quoted(kDb) + ")\n"),
        h_.Log(tag + ".out"), h_.Log(tag + ".err"));
    if (!e.signaled && e.code == 0) return std::stoll(ReadText(h_.Log(tag + ".out")));
    if (ReadText(h_.Log(tag + ".err")).find("holds no backup") != std::string::npos) return 0;
    h_.Fail("getBackupSnapshots of " + repo + " failed: " + h_.Tail(tag + ".err"));
  }

  // Kills runs of the same backup call until `wanted` kills interrupt unfinished backups of the
  // prefix the final run will resume.
  int KillBackups(int wanted, double calibration_ms) {
    int prefix_number = 0;
    repo_ = base_ + "/bak-0";
    double scale = 1;
    int kills = 0;
    kills_on_prefix_ = 0;
    for (int round = 0; kills_on_prefix_ < wanted && round < 4 * wanted; ++round) {
      bool early = round % 2 == 0;
      double fraction = scale * std::uniform_real_distribution<double>(
                                    early ? kKillFractionMin : kKillFractionMid,
                                    early ? kKillFractionMid : kKillFractionMax)(random_);
      std::string tag = "backup-" + std::to_string(round);
      bool killed = RunAndKillAfter(BackupCall(repo_), fraction * calibration_ms, tag);
      kills += killed ? 1 : 0;
      if (killed && SnapshotCount(repo_, tag + "-snapshots") == 0) {
        ++kills_on_prefix_;
        std::printf("  backup killed at %.0f ms (%.2f of the calibration; round %d)\n",
                    fraction * calibration_ms, fraction, round);
        continue;
      }
      // It finished (maybe killed after its manifest): later rounds would find nothing to do.
      // Start over on a new prefix with shorter delays.
      repo_ = base_ + "/bak-" + std::to_string(++prefix_number);
      scale *= kKillFractionShrink;
      kills_on_prefix_ = 0;
      std::printf("  backup %s before its kill at %.0f ms (round %d): starting over at %s\n",
                  killed ? "wrote its manifest" : "finished", fraction * calibration_ms, round,
                  repo_.c_str());
    }
    if (kills_on_prefix_ < wanted) {
      h_.Fail("only " + std::to_string(kills_on_prefix_) + " of " + std::to_string(wanted) +
              " kills hit an unfinished backup of one prefix");
    }
    return kills;
  }

  // The same call to completion: it must resume, i.e. have fewer partitions left to copy than
  // the database has, and still report every partition as stored by the call.
  void FinalBackup() {
    auto start = std::chrono::steady_clock::now();
    std::string out = h_.RunScript(BackupCall(repo_), "backup-final");
    double ms = MsSince(start);
    if (out != std::to_string(kPartitions) + "\n") {
      h_.Fail("the final run of the resumed backup reports " + out + " partitions, want " +
              std::to_string(kPartitions));
    }
    auto status = JsonLines(h_.RunScript(
        std::string(kLogin) +
            "select top 1 totalPartitions, completed from getBackupStatus() order by startTime "
            "desc\n",
        "final-status"));
    if (status.size() != 1 || status[0]["rows"].size() != 1 || status[0]["rows"][0][1] != true) {
      h_.Fail("getBackupStatus does not show the final run as completed");
    }
    int64_t left = status[0]["rows"][0][0].get<int64_t>();
    std::printf(
        "  final run of the same call: %.0f ms, copied %lld of %lld partitions after %d "
        "kills on %s\n",
        ms, static_cast<long long>(left), static_cast<long long>(kPartitions), kills_on_prefix_,
        repo_.c_str());
    if (int64_t snapshots = SnapshotCount(repo_, "final-snapshots"); snapshots != 1) {
      h_.Fail(repo_ + " holds " + std::to_string(snapshots) + " snapshots, want the final run's");
    }
    if (left >= kPartitions) {
      h_.Fail("the final run copied all " + std::to_string(left) + " partitions: the " +
              std::to_string(kills_on_prefix_) + " killed runs saved no work (journal not found?)");
    }
  }

  // checkBackup is clean, and a restoreDB into an empty data directory — killed once at a
  // seeded staged file, then re-run — equals the source. Returns the kills.
  int VerifyBackup() {
    std::string out = h_.RunScript(std::string(kLogin) + "exec count(*) from checkBackup(" +
                                       Quoted(repo_) + ", " + Quoted(kDb) + ")\n",
                                   "check");
    if (out != "0\n") h_.Fail("checkBackup after the killed backups reports damage: " + out);
    std::string restore_db =
        std::string(kLogin) + "restoreDB(" + Quoted(repo_) + ", " + Quoted(kDb) + ")\n";
    int n = std::uniform_int_distribution<int>(1, kAppends * kPartitions / 2)(random_);
    bool killed = RunAndKillAtStaged(fresh_, restore_db, n, "restoredb-killed");
    std::string exists =
        fresh_.RunScript("existsDatabase(" + Quoted(kDb) + ")\n", "restoredb-killed-exists");
    if (exists == "true\n") {
      fresh_.CheckState(
          Observe(fresh_, "restoredb-killed-observe"), source_,
          "a restoreDB into an empty directory killed at staged file " + std::to_string(n));
    } else if (exists != "false\n") {
      fresh_.Fail("existsDatabase printed " + exists);
    }
    fresh_.CheckTmpEmpty("after the killed restoreDB");
    std::printf("  restoreDB into an empty directory %s at staged file %d: database %s\n",
                killed ? "killed" : "finished", n, exists == "true\n" ? "complete" : "absent");
    fresh_.RunScript(restore_db, "restoredb");
    fresh_.CheckState(Observe(fresh_, "restoredb-observe"), source_,
                      "a fresh data directory restored from the resumed S3 backup");
    return killed ? 1 : 0;
  }

  // Restores killed mid-way: the table loses the partitions of two dates and gets them back
  // from S3 with force=true (every partition rewritten; the segments the directory still holds
  // are not fetched again); a kill leaves the old state or the new.
  int KillRestores() {
    State damaged = source_;
    std::string drop_paths;
    for (const char* date : kDroppedDates) {
      for (int64_t low = 0; low < 100; low += kIdRangeWidth) {
        std::string path = PathOf(std::stoll(std::string(date).substr(6)) - 7, low);
        damaged.erase(path);
        drop_paths += (drop_paths.empty() ? "" : ", ") + Quoted(path);
      }
    }
    const std::string restore = std::string(kLogin) + "restore(" + Quoted(repo_) + ", " +
                                Quoted(kDb) + ", \"pt\", \"%\", true)\n";
    int kills = 0;
    for (int round = 0; round < kRestoreKills; ++round) {
      std::string r = std::to_string(round);
      h_.RunScript("dropPartition(database(" + Quoted(kDb) + "), [" + drop_paths + "], \"pt\")\n",
                   "drop-" + r);
      h_.CheckState(Observe(h_, "before-restore-" + r), damaged, "before restore " + r);
      // 2 dates x 5 ranges x 4 segments = 40 files to stage; some rounds finish.
      int n = std::uniform_int_distribution<int>(1, 45)(random_);
      bool killed = RunAndKillAtStaged(h_, restore, n, "restore-" + r);
      kills += killed ? 1 : 0;
      bool restored = h_.MatchesOneOf(Observe(h_, "after-restore-" + r), damaged, source_,
                                      "after restore " + r);
      std::printf("  restore %s at staged file %d: table %s\n", killed ? "killed" : "finished", n,
                  restored ? "restored" : "unchanged");
      h_.CheckTmpEmpty("after restore " + r);
      if (!restored) h_.RunScript(restore, "restore-rerun-" + r);
      h_.CheckState(Observe(h_, "restored-" + r), source_, "after re-running restore " + r);
    }
    return kills;
  }

  Harness& h_;
  Harness& fresh_;  // an empty data directory for the disaster-recovery restore
  std::mt19937_64 random_;
  State source_;
  std::string base_;  // s3://bucket/crash-s3/<unique>
  std::string repo_;  // the prefix the final run resumes
  int kills_on_prefix_ = 0;
};

}  // namespace
}  // namespace strata::crash

int main(int argc, char** argv) {
  using namespace strata::crash;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s STRATA_BINARY [SEED] [KILLS]\n", argv[0]);
    return 2;
  }
  RequireLoopbackEndpoint();
  uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10)
                           : uint64_t(std::chrono::system_clock::now().time_since_epoch().count());
  int kills = argc > 3 ? std::atoi(argv[3]) : kBackupKillsDefault;
  std::printf("backup_s3_crash_test seed %llu (rerun: %s %s %llu %d)\n",
              static_cast<unsigned long long>(seed), argv[0], argv[1],
              static_cast<unsigned long long>(seed), kills);
  Harness harness(argv[1]);
  Harness fresh(argv[1]);
  std::printf("work directories %s and %s\n", harness.work_dir().c_str(), fresh.work_dir().c_str());
  int rc = BackupS3CrashTest(harness, fresh, seed).Run(kills);
  harness.RemoveWorkDir();
  fresh.RemoveWorkDir();
  return rc;
}
