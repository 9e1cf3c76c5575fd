#include "cli/process.h"

#include <unistd.h>

#include <cstdio>

#include "auth/auth.h"
#include "base/config_file.h"
#include "base/file_util.h"

namespace strata {

namespace {

// The node configuration: --config FILE (which must exist), else <data>/strata.cfg if present.
Result<ConfigMap> LoadConfig(const CommonOptions& options) {
  if (!options.config.empty()) return ReadConfigFile(options.config);
  auto config = ReadConfigFile(options.data_dir + "/strata.cfg");
  if (!config.ok() && config.status().code() == StatusCode::kNotFound) return ConfigMap();
  return config;
}

}  // namespace

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
  if (!options.quiet && isatty(fileno(stderr))) {
    process.progress = std::make_unique<ProgressBar>(stderr);
    process.session->set_progress(process.progress.get());
  }
  if (!options.user.empty()) {
    RETURN_IF_ERROR(process.session->Login(options.user, options.password));
  }
  return process;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadSources(
    const std::vector<std::string>& files) {
  std::vector<std::pair<std::string, std::string>> sources;
  for (const auto& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    sources.emplace_back(file, std::move(text));
  }
  return sources;
}

}  // namespace strata
