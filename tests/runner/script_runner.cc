// strata_script_test: runs one tests/script/**/*.test file through the strata binary and
// reports every block that fails (format and conventions: tests/README.md). Each block runs as
// its own process against one fresh data directory per file, so every file also exercises
// persistence across processes.
//
// Statement and query blocks run logged in as the default superuser unless their script begins
// with login(...) or logout().
//
// With --sql (tests/sql/**/*.test) statement and query blocks are SQL, run through
// `strata sql -e`; a block whose first line is `-- as NAME PASSWORD` runs as that user, one
// whose first line is `-- as nobody` logged in as nobody.
//
// Usage: strata_script_test [--sql] STRATA_BINARY FILE.test
// Exit status: 0 when every block passed, 1 when any failed, 2 on a usage, read or parse error.
// Environment: STRATA_TEST_KEEP=1 keeps the temp directory; STRATA_TEST_TIMEOUT_S sets the
// per-block timeout.
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "subprocess.h"
#include "test_file.h"

namespace strata {
namespace {

constexpr int kBlockTimeoutDefaultS = 120;
// The default superuser of a fresh data directory, as whom statement and query blocks run.
constexpr const char* kAdminUser = "admin";
constexpr const char* kAdminPassword = "123456";

// Replaces ${DATA} and ${TMP} so scripts can name files that shell blocks wrote.
std::string Substitute(std::string text, const std::string& data_dir, const std::string& tmp_dir) {
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"${DATA}", data_dir}, {"${TMP}", tmp_dir}}) {
    size_t pos = 0;
    while ((pos = text.find(key, pos)) != std::string::npos) {
      text.replace(pos, key.size(), value);
      pos += value.size();
    }
  }
  return text;
}

// `text` indented by four spaces, without trailing newlines; "(empty)" when there is nothing.
std::string Indent(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return "    (empty)";
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

// True when the block's script begins (after `//` comment lines) with login(...) or logout():
// it chooses its own user, so the runner does not log it in.
bool ChoosesItsUser(const Block& block) {
  for (const auto& line : block.script) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 2, "//") == 0) continue;
    return line.compare(start, 6, "login(") == 0 || line.compare(start, 7, "logout(") == 0;
  }
  return false;
}

// The user a SQL block chooses with a first line `-- as NAME PASSWORD` or `-- as nobody`:
// {NAME, PASSWORD}, {"", ""} for nobody, nullopt when it chooses none (then: the superuser).
std::optional<std::pair<std::string, std::string>> SqlBlockUser(const Block& block) {
  if (block.script.empty()) return std::nullopt;
  std::istringstream words(block.script.front());
  std::string dashes, as, name, password;
  words >> dashes >> as >> name >> password;
  if (dashes != "--" || as != "as" || name.empty()) return std::nullopt;
  if (name == "nobody") return std::pair<std::string, std::string>{"", ""};
  return std::pair<std::string, std::string>{name, password};
}

// Runs the blocks of one file against one data directory. Not thread-safe.
class FileRunner {
 public:
  FileRunner(std::string binary, std::string test_path, std::string data_dir, std::string tmp_dir,
             int timeout_s, bool sql)
      : sql_(sql),
        binary_(std::move(binary)),
        test_path_(std::move(test_path)),
        data_dir_(std::move(data_dir)),
        tmp_dir_(std::move(tmp_dir)),
        timeout_s_(timeout_s) {}

  // Runs one block; prints a report to stdout and returns false when it fails.
  bool Run(const Block& block) {
    std::string script = Substitute(Join(block.script), data_dir_, tmp_dir_);
    ProcessResult r;
    if (block.kind == BlockKind::kShell) {
      r = RunProcess({"bash", "-c", "set -eo pipefail\n" + script},
                     {{"STRATA", binary_}, {"DATA", data_dir_}, {"TMP", tmp_dir_}}, timeout_s_);
    } else if (sql_) {
      std::vector<std::string> argv = {binary_, "sql", "--data", data_dir_, "--format", "json"};
      auto user = SqlBlockUser(block);
      if (!user) {
        argv.insert(argv.end(), {"--user", kAdminUser, "--password", kAdminPassword});
      } else if (!user->first.empty()) {
        argv.insert(argv.end(), {"--user", user->first, "--password", user->second});
      }
      argv.push_back("--execute=" + script);
      r = RunProcess(argv, {}, timeout_s_);
    } else {
      // --execute=<script> rather than -e <script>: a script may begin with '-'.
      std::vector<std::string> argv = {binary_, "run", "--data", data_dir_, "--format", "json"};
      if (!ChoosesItsUser(block)) {
        argv.insert(argv.end(), {"--user", kAdminUser, "--password", kAdminPassword});
      }
      argv.push_back("--execute=" + script);
      r = RunProcess(argv, {}, timeout_s_);
    }
    std::string problem = Check(block, r);
    if (problem.empty()) return true;
    Report(block, script, r, problem);
    return false;
  }

 private:
  std::vector<std::string> Expected(const Block& block) const {
    std::vector<std::string> lines;
    for (const auto& line : *block.expected) lines.push_back(Substitute(line, data_dir_, tmp_dir_));
    return lines;
  }

  // What is wrong with the block's run, or "" when it passed.
  std::string Check(const Block& block, const ProcessResult& r) const {
    if (r.timed_out) return "timed out after " + std::to_string(timeout_s_) + " s";
    if (!r.signal_text.empty()) return r.signal_text;
    if (block.kind == BlockKind::kStatementError) {
      if (r.exit_code == 0) return "expected an error, but the script succeeded";
      std::string substring = Substitute(block.error_substring, data_dir_, tmp_dir_);
      if (r.err.find(substring) == std::string::npos) {
        return "stderr does not contain the expected substring '" + substring + "'";
      }
      return "";
    }
    if (r.exit_code != 0) return "exit status " + std::to_string(r.exit_code) + ", expected 0";
    if (block.expected && Lines(r.out) != Expected(block)) return "output differs";
    return "";
  }

  void ReportOutput(const Block& block, const ProcessResult& r, std::ostream& o) const {
    if (!block.expected) {
      if (!r.out.empty()) o << "  stdout:\n" << Indent(r.out) << "\n";
      return;
    }
    std::vector<std::string> expected = Expected(block);
    std::vector<std::string> actual = Lines(r.out);
    o << "  expected stdout:\n" << Indent(Join(expected)) << "\n";
    o << "  actual stdout:\n" << Indent(Join(actual)) << "\n";
    for (size_t i = 0; i < std::max(actual.size(), expected.size()); ++i) {
      std::string want = i < expected.size() ? expected[i] : "<missing>";
      std::string got = i < actual.size() ? actual[i] : "<missing>";
      if (want == got) continue;
      o << "  first difference at output line " << (i + 1) << ":\n    expected: " << want
        << "\n    actual:   " << got << "\n";
      break;
    }
  }

  void Report(const Block& block, const std::string& script, const ProcessResult& r,
              const std::string& problem) const {
    std::ostringstream o;
    o << "FAIL " << test_path_ << ":" << block.line << ": " << KindName(block.kind)
      << (block.kind == BlockKind::kStatementError ? " " + block.error_substring : "") << ": "
      << problem << "\n";
    o << "  script:\n" << Indent(script) << "\n";
    ReportOutput(block, r, o);
    o << "  exit status: " << r.exit_code << "\n";
    o << "  stderr:\n" << Indent(r.err) << "\n";
    std::cout << o.str() << std::flush;
  }

  bool sql_;
  std::string binary_;
  std::string test_path_;
  std::string data_dir_;
  std::string tmp_dir_;
  int timeout_s_;
};

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A new empty directory $TMPDIR/strata-script-XXXXXX, or nullopt (errno set).
std::optional<std::filesystem::path> MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "strata-script-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return std::nullopt;
  return std::filesystem::path(pattern);
}

int Main(int argc, char** argv) {
  bool sql = argc == 4 && std::string(argv[1]) == "--sql";
  if (argc != 3 && !sql) {
    std::cerr << "usage: strata_script_test [--sql] STRATA_BINARY FILE.test\n";
    return 2;
  }
  std::string binary = std::filesystem::absolute(argv[sql ? 2 : 1]).string();
  std::string test_path = argv[sql ? 3 : 2];
  auto text = ReadWholeFile(test_path);
  if (!text) {
    std::cerr << "error: cannot read " << test_path << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  auto parsed = ParseTestFile(*text);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    std::cerr << "error: " << test_path << " line " << error->line << ": " << error->message
              << "\n";
    return 2;
  }
  const auto& blocks = std::get<std::vector<Block>>(parsed);
  if (blocks.empty()) {
    std::cerr << "error: " << test_path << " has no blocks\n";
    return 2;
  }
  int timeout_s = kBlockTimeoutDefaultS;
  if (const char* t = std::getenv("STRATA_TEST_TIMEOUT_S")) timeout_s = std::max(1, std::atoi(t));
  auto base = MakeTempDir();
  if (!base) {
    std::cerr << "error: cannot create a temp directory: " << std::strerror(errno) << "\n";
    return 2;
  }
  std::filesystem::create_directories(*base / "tmp");

  FileRunner runner(binary, test_path, (*base / "data").string(), (*base / "tmp").string(),
                    timeout_s, sql);
  size_t failed = 0;
  auto start = std::chrono::steady_clock::now();
  for (const auto& block : blocks) {
    if (!runner.Run(block)) ++failed;
  }
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (failed == 0 && std::getenv("STRATA_TEST_KEEP") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(*base, ignored);
  } else {
    std::cout << "temp directory kept: " << base->string() << "\n";
  }
  std::cout << test_path << ": " << (blocks.size() - failed) << "/" << blocks.size()
            << " blocks passed in " << elapsed.count() << " s\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace strata

int main(int argc, char** argv) { return strata::Main(argc, argv); }
