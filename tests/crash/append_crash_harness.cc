#include "append_crash_harness.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "child_process.h"

namespace strata::crash {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDates[5] = {"20170807", "20170808", "20170809", "20170810", "20170811"};

std::string PathOf(int date_index, bool low_id) {
  return std::string("/") + kDates[date_index] + (low_id ? "/0_50" : "/50_100");
}

// The script text that builds table `t` of AddVariant's variant.
std::string DataScript(int64_t rows, int64_t variant) {
  return "n = " + std::to_string(rows) + "\nv = " + std::to_string(variant) +
         "\ni = til(n)\n"
         "ID = int((i * 7) % 100)\n"
         "date = 2017.08.07 + (i % 5)\n"
         "x = double((i * 2654435761 + v * 7919) % 1000003)\n"
         "t = table(ID, date, x)\n";
}

std::string DescribeState(const State& s) {
  std::string out;
  for (const auto& [path, cell] : s) {
    out += "    " + path + " rows " + std::to_string(cell.rows) + " sum " +
           std::to_string(cell.sum) + "\n";
  }
  return out.empty() ? "    (empty)\n" : out;
}

State RowsOnly(const State& s) {
  State out;
  for (const auto& [path, cell] : s) out[path] = Cell{.rows = cell.rows};
  return out;
}

// "2017.08.07" -> "20170807".
std::string CompactDate(const std::string& dotted) {
  std::string out;
  for (char c : dotted) {
    if (c != '.') out += c;
  }
  return out;
}

}  // namespace

void AddVariant(State& state, int64_t rows, int64_t variant) {
  Cell cells[5][2];
  for (int64_t i = 0; i < rows; ++i) {
    int64_t id = (i * 7) % 100;
    int64_t x = (i * 2654435761LL + variant * 7919) % 1000003;
    Cell& c = cells[i % 5][id < 50 ? 0 : 1];
    c.rows += 1;
    c.sum += x;
  }
  for (int d = 0; d < 5; ++d) {
    for (int low = 0; low < 2; ++low) {
      const Cell& c = cells[d][low];
      if (c.rows == 0) continue;
      Cell& s = state[PathOf(d, low == 0)];
      s.rows += c.rows;
      s.sum += c.sum;
    }
  }
}

std::string SetupScript(int64_t rows, bool fresh_directory) {
  return std::string(fresh_directory ? "" : "dropDatabase(\"dfs://crashDB\")\n") +
         DataScript(rows, 0) +
         "dbDate = database(, VALUE, 2017.08.07..2017.08.11)\n"
         "dbID = database(, RANGE, 0 50 100)\n"
         "db = database(\"dfs://crashDB\", COMPO, [dbDate, dbID])\n"
         "pt = db.createPartitionedTable(t, `pt, `date`ID)\n"
         "pt.append!(t)\n";
}

std::string AppendScript(int64_t rows, int64_t variant) {
  return DataScript(rows, variant) +
         "pt = loadTable(\"dfs://crashDB\", `pt)\n"
         "print(long(now()))\n"
         "pt.append!(t)\n"
         "print(long(now()))\n";
}

int64_t EpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<int64_t> ParseEpochLines(const std::string& text) {
  std::vector<int64_t> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.find_first_not_of("0123456789") != std::string::npos) continue;
    out.push_back(std::stoll(line));
  }
  return out;
}

Harness::Harness(std::string strata_binary) : strata_(std::move(strata_binary)) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/strata_append_crash_XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    std::fprintf(stderr, "FATAL: cannot create a work directory from %s\n", pattern.c_str());
    std::exit(2);
  }
  work_dir_ = buffer.data();
  data_dir_ = work_dir_ + "/data";
}

std::string Harness::Tail(const std::string& name) const {
  std::string text = ReadText(Log(name));
  if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
  return text.empty() ? "(no output)" : text;
}

std::vector<std::string> Harness::StrataArgs(const std::string& code) const {
  // Logged in as the default superuser: every database function needs a user with access.
  return {strata_,      "run",    "--data",   data_dir_, "--user", "admin",
          "--password", "123456", "--format", "json",    "-e",     code};
}

std::string Harness::RunScript(const std::string& code, const std::string& tag) {
  ChildExit e = RunToCompletion(StrataArgs(code), Log(tag + ".out"), Log(tag + ".err"));
  if (e.signaled || e.code != 0) {
    Fail("strata run (" + tag + ") " + (e.signaled ? "died of signal " : "exited with ") +
         std::to_string(e.code) + ": " + Tail(tag + ".err"));
  }
  return ReadText(Log(tag + ".out"));
}

Observed Harness::Observe(const std::string& tag, const std::string& db) {
  std::string out =
      RunScript("pt = loadTable(\"" + db +
                    "\", `pt)\n"
                    "select path, rows from getChunksMeta(\"" +
                    db +
                    "\", \"pt\")\n"
                    "select count(*) as c, sum(x) as s from pt where ID < 50 group by date\n"
                    "select count(*) as c, sum(x) as s from pt where ID >= 50 group by date\n",
                tag);
  std::vector<nlohmann::json> results;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '{') results.push_back(nlohmann::json::parse(line));
  }
  if (results.size() != 3) Fail("unexpected output of the verification query:\n" + out);
  Observed seen;
  for (const auto& row : results[0]["rows"]) {
    int64_t rows = row[1].get<int64_t>();
    if (rows > 0) seen.meta[row[0].get<std::string>()].rows = rows;
  }
  for (int k = 1; k <= 2; ++k) {
    for (const auto& row : results[k]["rows"]) {
      double sum = row[2].get<double>();
      std::string path =
          "/" + CompactDate(row[0].get<std::string>()) + (k == 1 ? "/0_50" : "/50_100");
      seen.data[path] = Cell{.rows = row[1].get<int64_t>(), .sum = static_cast<int64_t>(sum)};
      if (static_cast<double>(static_cast<int64_t>(sum)) != sum) {
        Fail("sum(x) of " + path + " is " + row[2].dump() + ", not an integer");
      }
    }
  }
  return seen;
}

void Harness::CheckState(const Observed& seen, const State& want, const std::string& when) {
  if (seen.data != want || seen.meta != RowsOnly(want)) {
    Fail(when + ": the table is not the expected state\n  expected:\n" + DescribeState(want) +
         "  query saw:\n" + DescribeState(seen.data) + "  getChunksMeta saw:\n" +
         DescribeState(seen.meta));
  }
}

bool Harness::MatchesOneOf(const Observed& seen, const State& before, const State& after,
                           const std::string& when) {
  bool meta_before = seen.meta == RowsOnly(before);
  bool meta_after = seen.meta == RowsOnly(after);
  if (seen.data == before && meta_before) return false;
  if (seen.data == after && meta_after) return true;
  Fail(when +
       ": the table is neither the state before the append nor the state after it\n"
       "  before:\n" +
       DescribeState(before) + "  after:\n" + DescribeState(after) + "  query saw:\n" +
       DescribeState(seen.data) + "  getChunksMeta saw:\n" + DescribeState(seen.meta));
}

std::set<std::string> Harness::SegmentFiles() const {
  std::set<std::string> out;
  fs::path root = fs::path(data_dir_) / "segments";
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) out.insert(fs::relative(entry.path(), root).string());
  }
  return out;
}

std::vector<std::string> Harness::TmpFiles() const {
  std::vector<std::string> out;
  fs::path root = fs::path(data_dir_) / "tmp";
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::directory_iterator(root)) {
    out.push_back(entry.path().filename().string());
  }
  return out;
}

void Harness::CheckTmpEmpty(const std::string& when) {
  auto files = TmpFiles();
  if (!files.empty()) {
    Fail(when + ": tmp/ holds " + std::to_string(files.size()) + " entries (first: " + files[0] +
         "), want it empty after an open");
  }
}

void Harness::Fail(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "FAIL: %s\nwork directory kept: %s\n", message.c_str(), work_dir_.c_str());
  std::exit(1);
}

void Harness::RemoveWorkDir() {
  std::error_code ignored;
  fs::remove_all(work_dir_, ignored);
}

}  // namespace strata::crash
