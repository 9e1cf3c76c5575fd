// The strata binary: `strata run` executes scripts against a data directory, `strata shell`
// opens an interactive prompt, `strata sql` runs Doris SQL (docs/sql.md). See README.md and
// DESIGN §1.
#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <new>
#include <sstream>

#include "auth/auth.h"
#include "base/config_file.h"
#include "base/file_util.h"
#include "base/huge_pages.h"
#include "cli/key_cli.h"
#include "cli/output.h"
#include "cli/process.h"
#include "cli/progress_bar.h"
#include "cli/serve_cli.h"
#include "cli/shell.h"
#include "cli/sql_cli.h"
#include "engine/engine.h"
#include "lang/interpreter.h"

namespace strata {
namespace {

// The script interpreter on the process's session, printing values in the chosen format.
Interpreter MakeInterpreter(Process& process, const CommonOptions& options) {
  OutputFormat format = options.format == "json" ? OutputFormat::kJson : OutputFormat::kTable;
  return Interpreter(*process.session, [format](const Value& v) { PrintValue(v, format, stdout); });
}

int Run(const CommonOptions& options, const std::vector<std::string>& files,
        const std::string& code) {
  if (files.empty() == code.empty()) {
    return Fail("strata run needs script files or -e CODE (exactly one of them)");
  }
  std::vector<std::pair<std::string, std::string>> sources;  // (name, text)
  if (!code.empty()) sources.emplace_back("-e", code);
  for (const auto& file : files) {
    auto text = ReadFile(file);
    if (!text.ok()) return Fail(text.status().message());
    sources.emplace_back(file, std::move(*text));
  }
  auto process = OpenProcess(options);
  if (!process.ok()) return Fail(process.status().message());
  Interpreter interpreter = MakeInterpreter(*process, options);
  for (const auto& [name, text] : sources) {
    Status status = interpreter.RunSource(text);
    if (!status.ok()) return Fail(name + " " + status.message());
  }
  return 0;
}

int Shell(const CommonOptions& options) {
  auto process = OpenProcess(options);
  if (!process.ok()) return Fail(process.status().message());
  Interpreter interpreter = MakeInterpreter(*process, options);
  return RunShell(interpreter);
}

}  // namespace
}  // namespace strata

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// Every C++ allocation of the binary: malloc, with buffers of 4 MiB and more advised onto
// transparent huge pages (base/huge_pages.h). Measured on INSERT ... SELECT of 16 M rows:
// 3.4 s -> 1.8 s, the difference being page faults. The library's operator delete frees with
// free(), so only operator new is replaced (new[] and the nothrow forms call it). The
// sanitizer builds keep their own operator new.
void* operator new(std::size_t bytes) {
  while (true) {
    if (void* data = strata::AllocateMaybeHuge(bytes)) return data;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}
#endif

int main(int argc, char** argv) {
  // Scans allocate and free column buffers of many MB per chunk. glibc would hand each back to
  // the kernel (munmap/trim) and page-fault it in again for the next chunk, which costs more
  // than the scan itself (bench/README.md). Keep such buffers in the heap instead: serve
  // allocations up to 32 MiB (glibc's maximum) from it and trim only above 256 MiB free.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  CLI::App app{"strata — a partitioned columnar database built for backup and restore"};
  app.require_subcommand(1);
  strata::CommonOptions run_options, shell_options, sql_options;
  std::vector<std::string> files;
  std::string code;
  CLI::App* run = app.add_subcommand("run", "run script files (or -e CODE) and exit");
  strata::AddCommon(run, run_options);
  run->add_option("-e,--execute", code, "script text to run");
  run->add_option("files", files, "script files, run in order");
  CLI::App* shell = app.add_subcommand("shell", "interactive prompt with line editing");
  strata::AddCommon(shell, shell_options);
  std::vector<std::string> sql_files;
  std::string sql_code;
  CLI::App* sql = app.add_subcommand(
      "sql", "run Doris SQL statements (-e, files, or an interactive prompt) and exit");
  strata::AddCommon(sql, sql_options);
  sql->add_option("-e,--execute", sql_code, "SQL statements to run");
  sql->add_option("files", sql_files, "SQL files, run in order");
  strata::ServeOptions serve_options;
  CLI::App* serve = app.add_subcommand(
      "serve", "serve the data directory to MySQL clients until SIGTERM (docs/server.md)");
  strata::AddServeOptions(serve, serve_options);
  std::string key_path;
  CLI::App* keygen = app.add_subcommand(
      "keygen", "make a key file for encrypted backups (mode 0600; never overwrites a file)");
  keygen->add_option("file", key_path, "the key file to make")->required();
  strata::KeyOptions key_options;
  CLI::App* key = strata::AddKeyCommands(app, key_options);
  CLI11_PARSE(app, argc, argv);
  if (keygen->parsed()) return strata::KeyGen(key_path);
  if (key->parsed()) return strata::RunKeyCommand(*key, key_options);
  if (run->parsed()) return strata::Run(run_options, files, code);
  if (sql->parsed()) return strata::RunSql(sql_options, sql_files, sql_code);
  if (serve->parsed()) return strata::RunServe(serve_options);
  return strata::Shell(shell_options);
}
