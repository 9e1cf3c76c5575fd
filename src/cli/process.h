// What `strata run`, `strata shell` and `strata sql` share: the common options, and opening a
// data directory as the process's one Instance with one Session (DESIGN §11), logged in when
// --user is given (otherwise nobody is logged in, and database calls say how to log in).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "base/status.h"
#include "cli/progress_bar.h"
#include "engine/engine.h"
#include "service/instance.h"
#include "service/session.h"

namespace strata {

struct CommonOptions {
  std::string data_dir = "./strata-data";
  std::string format = "table";
  std::string user;
  std::string password;
  std::string config;  // --config FILE; default: strata.cfg in the data directory, if present
  bool quiet = false;
};

// --data, --format, --user, --password, --config, --quiet.
void AddCommon(CLI::App* command, CommonOptions& options);

// Prints "error: <message>" to stderr; returns the exit status 1.
int Fail(const std::string& message);

// An open data directory: the process's one Instance on it and its Session. Members are
// destroyed bottom up: the session first, then the instance (which runs and waits for the
// background jobs), then the engine. A front end (interpreter, SQL session) built on the
// session must be destroyed before it.
struct Process {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Instance> instance;
  std::unique_ptr<ProgressBar> progress;
  std::unique_ptr<Session> session;
};

// Opens the engine, creates the default superuser if needed, and logs in when asked.
Result<Process> OpenProcess(const CommonOptions& options);

// Reads every file; on failure the error names the file.
Result<std::vector<std::pair<std::string, std::string>>> ReadSources(
    const std::vector<std::string>& files);

}  // namespace strata
