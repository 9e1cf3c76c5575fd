// The pieces of append_crash_test that know strata: the deterministic data each append writes
// (and the per-partition counts and sums it must produce, computed here independently), the
// scripts, and a Harness that runs `strata run` on one data directory and inspects what it left.
// Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace strata::crash {

// Rows and sum(x) of one partition. x holds integers, so sums are exact.
struct Cell {
  int64_t rows = 0;
  int64_t sum = 0;
  bool operator==(const Cell&) const = default;
};
// By partition path ("/20170807/0_50"); partitions without rows are absent.
using State = std::map<std::string, Cell>;

// What a reopened directory shows: the catalog's row counts (getChunksMeta; sums left 0) and
// what a query over the data returns.
struct Observed {
  State meta;
  State data;
};

// Adds the rows of data variant `variant` with `rows` rows (the table AppendScript builds) to
// `state`: row i has date 2017.08.07 + i%5, ID (7i)%100, x (2654435761 i + 7919 variant) %
// 1000003. Every variant fills the ten partitions equally; only x differs.
void AddVariant(State& state, int64_t rows, int64_t variant);

// Creates dfs://crashDB (dropping it first unless `fresh_directory`) and appends variant 0.
std::string SetupScript(int64_t rows, bool fresh_directory);
// Appends variant `variant`, printing the epoch ms before and after the append statement.
std::string AppendScript(int64_t rows, int64_t variant);

int64_t EpochMs();
double MsSince(std::chrono::steady_clock::time_point start);
std::string ReadText(const std::string& path);
// The lines of `text` that are plain integers.
std::vector<int64_t> ParseEpochLines(const std::string& text);

class Harness {
 public:
  // Makes a fresh work directory under $TMPDIR (or /tmp) holding the data dir and the logs.
  explicit Harness(std::string strata_binary);

  const std::string& work_dir() const { return work_dir_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string Log(const std::string& name) const { return work_dir_ + "/" + name; }
  // The last lines of log `name`, for failure messages.
  std::string Tail(const std::string& name) const;
  std::vector<std::string> StrataArgs(const std::string& code) const;

  // Runs `code` to completion (logs named `tag`); fails the test unless it exits 0.
  std::string RunScript(const std::string& code, const std::string& tag);
  // Reopens the directory with a new process and reads the rows and sums of the partitions of
  // table pt of `db`.
  Observed Observe(const std::string& tag, const std::string& db = "dfs://crashDB");
  // Fails unless both views of `seen` equal `want`.
  void CheckState(const Observed& seen, const State& want, const std::string& when);
  // True if `seen` is exactly `after`, false if exactly `before`; fails the test otherwise.
  bool MatchesOneOf(const Observed& seen, const State& before, const State& after,
                    const std::string& when);

  // Relative paths of the files under segments/ and tmp/.
  std::set<std::string> SegmentFiles() const;
  std::vector<std::string> TmpFiles() const;
  void CheckTmpEmpty(const std::string& when);

  // Prints `message`, keeps the work directory for inspection, and exits 1.
  [[noreturn]] void Fail(const std::string& message);
  void RemoveWorkDir();

 private:
  std::string strata_;
  std::string work_dir_;
  std::string data_dir_;
};

}  // namespace strata::crash
