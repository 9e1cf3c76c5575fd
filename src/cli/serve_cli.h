// `strata serve`: the data directory served to MySQL clients (docs/server.md). Opens the
// directory as the process's one Instance (the data directory lock refuses a second process),
// listens on --host:--port (MySQL) and --http-port (monitoring), logs one line per event on stderr,
// and on SIGTERM or SIGINT stops accepting, lets running statements finish within the grace period
// and exits 0; background jobs still running then are left for the next start to find interrupted
// and resumable.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/process.h"
#include "server/server_context.h"

namespace strata {

struct ServeOptions {
  CommonOptions common;
  ServerOptions server;
  int http_port = 8030;  // GET /metrics, GET /api/jobs
};

// The options of `strata serve` on `command`.
void AddServeOptions(CLI::App* command, ServeOptions& options);

// The `strata serve` command; returns the exit status.
int RunServe(const ServeOptions& options);

}  // namespace strata
