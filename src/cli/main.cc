// The strata binary: `strata run` executes scripts against a data directory, `strata shell`
// opens an interactive prompt. See README.md and DESIGN §1.
#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "auth/auth.h"
#include "base/config_file.h"
#include "base/file_util.h"
#include "cli/output.h"
#include "cli/progress_bar.h"
#include "cli/shell.h"
#include "engine/engine.h"
#include "lang/interpreter.h"

namespace strata {
namespace {

struct CommonOptions {
  std::string data_dir = "./strata-data";
  std::string format = "table";
  std::string user;
  std::string password;
  std::string config;  // --config FILE; default: strata.cfg in the data directory, if present
  bool quiet = false;
};

void AddCommon(CLI::App* command, CommonOptions& options) {
  command->add_option("--data", options.data_dir, "data directory (created if missing)")
      ->capture_default_str();
  command->add_option("--format", options.format, "output format: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command->add_option("--user", options.user, "log in as this user before running");
  command->add_option("--password", options.password, "password for --user");
  command->add_option("--config", options.config,
                      "node configuration file (default: strata.cfg in the data directory)");
  command->add_flag("--quiet", options.quiet, "draw no progress bars");
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

// An open data directory: the process's one Instance on it, and the script run's Session.
// Members are destroyed bottom up: the interpreter and session first, then the instance (which
// runs and waits for the background jobs), then the engine.
struct Process {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Instance> instance;
  std::unique_ptr<ProgressBar> progress;
  std::unique_ptr<Session> session;
  std::unique_ptr<Interpreter> interpreter;
};

// The node configuration: --config FILE (which must exist), else <data>/strata.cfg if present.
Result<ConfigMap> LoadConfig(const CommonOptions& options) {
  if (!options.config.empty()) return ReadConfigFile(options.config);
  auto config = ReadConfigFile(options.data_dir + "/strata.cfg");
  if (!config.ok() && config.status().code() == StatusCode::kNotFound) return ConfigMap();
  return config;
}

// Opens the engine, creates the default superuser if needed, and logs in when asked. On
// failure returns the error message.
Result<Process> OpenProcess(const CommonOptions& options) {
  Process process;
  ASSIGN_OR_RETURN(ConfigMap config, LoadConfig(options));
  ASSIGN_OR_RETURN(process.engine, Engine::Open(options.data_dir));
  RETURN_IF_ERROR(EnsureDefaultAdmin(process.engine->catalog()));
  InstanceSettings settings;
  if (auto dir = config.find("scriptFileDir"); dir != config.end()) {
    settings.script_file_dir = dir->second;
  }
  settings.store = StoreSettings(std::move(config));
  process.instance = Instance::Open(process.engine.get(), std::move(settings));
  process.session = std::make_unique<Session>(*process.instance);
  OutputFormat format = options.format == "json" ? OutputFormat::kJson : OutputFormat::kTable;
  process.interpreter = std::make_unique<Interpreter>(
      *process.session, [format](const Value& v) { PrintValue(v, format, stdout); });
  if (!options.quiet && isatty(fileno(stderr))) {
    process.progress = std::make_unique<ProgressBar>(stderr);
    process.session->set_progress(process.progress.get());
  }
  if (!options.user.empty()) {
    RETURN_IF_ERROR(process.session->Login(options.user, options.password));
  }
  return process;
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
  for (const auto& [name, text] : sources) {
    Status status = process->interpreter->RunSource(text);
    if (!status.ok()) return Fail(name + " " + status.message());
  }
  return 0;
}

int Shell(const CommonOptions& options) {
  auto process = OpenProcess(options);
  if (!process.ok()) return Fail(process.status().message());
  return RunShell(*process->interpreter);
}

}  // namespace
}  // namespace strata

int main(int argc, char** argv) {
  // Scans allocate and free column buffers of many MB per chunk. glibc would hand each back to
  // the kernel (munmap/trim) and page-fault it in again for the next chunk, which costs more
  // than the scan itself (bench/README.md). Keep such buffers in the heap instead: serve
  // allocations up to 32 MiB (glibc's maximum) from it and trim only above 256 MiB free.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  CLI::App app{"strata — a partitioned columnar database built for backup and restore"};
  app.require_subcommand(1);
  strata::CommonOptions run_options, shell_options;
  std::vector<std::string> files;
  std::string code;
  CLI::App* run = app.add_subcommand("run", "run script files (or -e CODE) and exit");
  strata::AddCommon(run, run_options);
  run->add_option("-e,--execute", code, "script text to run");
  run->add_option("files", files, "script files, run in order");
  CLI::App* shell = app.add_subcommand("shell", "interactive prompt with line editing");
  strata::AddCommon(shell, shell_options);
  CLI11_PARSE(app, argc, argv);
  if (run->parsed()) return strata::Run(run_options, files, code);
  return strata::Shell(shell_options);
}
