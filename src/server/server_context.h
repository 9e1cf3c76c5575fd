// What every connection of one `strata serve` shares: the instance, the options, the event log,
// the counters /metrics exports, and the way to reach other connections (KILL).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "base/status.h"
#include "service/instance.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace strata {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 9030;
  size_t max_connections = 512;
  size_t max_allowed_packet = 64 << 20;  // the largest packet (DolphinDB: request) a client sends
  int idle_timeout_s = 28800;            // wait_timeout: a client silent between statements
  int read_timeout_s = 30;               // net_read_timeout: inside a packet
  int write_timeout_s = 60;              // net_write_timeout: a client not reading its answer
  int shutdown_grace_s = 30;             // running statements may finish within this
  std::string version = "5.7.99-Strata";
  int dolphindb_port = 8848;  // DolphinDB's client protocol (WebSocket and TCP); -1: none
  std::string tls_cert;       // PEM files; both or neither
  std::string tls_key;
  bool require_secure_transport = false;  // refuse connections without TLS
};

// One line per event on stderr (start, connect, login failure, statement error, job state):
// "2026-12-06T01:02:03Z <text>". Never given a password or a statement's text. Thread-safe.
class ServerLog {
 public:
  void Write(const std::string& line);

 private:
  std::mutex mutex_;
};

// Counters since the server started. Thread-safe (relaxed atomics).
struct ServerMetrics {
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> connections_refused{0};
  std::atomic<uint64_t> login_failures{0};
  std::atomic<uint64_t> statements_total{0};
  std::atomic<uint64_t> statement_errors{0};
  std::atomic<int64_t> started_ms{0};
};

// Ends connection `id` (KILL CONNECTION) or its running statement (KILL QUERY) on behalf of
// `user`, who must own it or be a superuser.
using KillFunction =
    std::function<Status(const std::string& user, bool superuser, uint64_t id, bool query_only)>;

struct ServerContext {
  Instance& instance;
  const ServerOptions& options;
  ServerLog& log;
  ServerMetrics& metrics;
  int stop_fd;  // readable once the server is stopping
  KillFunction kill;
  SSL_CTX* tls = nullptr;  // null: the server offers no TLS
};

}  // namespace strata
