// Server: `strata serve`'s listeners (DESIGN §11): the MySQL port and the DolphinDB port. It
// accepts connections on the configured address and serves each on its own thread with its
// own session (a Connection for MySQL clients, a DdbConnection for DolphinDB's); the two ports
// share max_connections, beyond which a MySQL client gets ERR 1040 and a DolphinDB client is
// closed unserved. The threads are bounded by max_connections, the background jobs by the
// instance's job manager. Stop() (async-signal-
// safe) ends the accept loop; Run() then closes idle connections, lets running statements finish
// within the grace period, stops the ones still running (as KILL does), and returns.
// Thread-compatible: Stop() may be called from any thread.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "server/served_connection.h"
#include "server/server_context.h"

namespace strata {

class TlsContext;

class Server {
 public:
  Server(Instance& instance, ServerOptions options, ServerLog& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate when configured, then binds and listens; the error names the
  // file or the address and the fix (port in use, bad host, a key that is not the cert's).
  Status Listen();
  // The ports bound (the configured ones, or the kernel's choice for port 0); the DolphinDB
  // port is -1 when it is turned off.
  int port() const { return port_; }
  int dolphindb_port() const { return ddb_port_; }
  // Accepts and serves until Stop(); then waits for the connections as described above.
  // Returns the number of connections still running a statement when the grace ran out.
  size_t Run();
  // Asks Run() to stop. Async-signal-safe.
  void Stop();
  // When Run() stopped accepting (ms since the epoch; 0 while it accepts).
  int64_t stopped_ms() const { return stopped_ms_; }

  ServerMetrics& metrics() { return metrics_; }

 private:
  // Binds and listens on `port` of the configured host.
  Status Bind(int port, const char* option, int* fd, int* bound);
  void Accept(int fd, const std::string& peer, bool dolphindb);
  Status Kill(const std::string& user, bool superuser, uint64_t id, bool query_only);

  Instance& instance_;
  const ServerOptions options_;
  ServerLog& log_;
  ServerMetrics metrics_;
  int listen_fd_ = -1;
  int ddb_listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: readable once stopping
  int port_ = 0;
  int ddb_port_ = -1;
  int64_t stopped_ms_ = 0;
  std::unique_ptr<TlsContext> tls_;
  ServerContext context_;
  std::mutex mutex_;
  std::condition_variable connection_ended_;
  // The connections KILL and the stop can reach; one leaves the map before it is destroyed.
  std::map<uint32_t, ServedConnection*> connections_;  // mutex_
  size_t serving_ = 0;    // connection threads not yet finished (mutex_)
  uint32_t next_id_ = 1;  // mutex_
};

}  // namespace strata
