// Server: `strata serve`'s MySQL listener (DESIGN §11). It accepts connections on the
// configured address, answers a client beyond max_connections with ERR 1040, and serves each
// connection on its own thread (a Connection with its own session); the threads are bounded by
// max_connections, the background jobs by the instance's job manager. Stop() (async-signal-
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
#include "server/server_context.h"

namespace strata {

class Connection;
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
  // The port bound (the configured one, or the kernel's choice for port 0).
  int port() const { return port_; }
  // Accepts and serves until Stop(); then waits for the connections as described above.
  // Returns the number of connections still running a statement when the grace ran out.
  size_t Run();
  // Asks Run() to stop. Async-signal-safe.
  void Stop();
  // When Run() stopped accepting (ms since the epoch; 0 while it accepts).
  int64_t stopped_ms() const { return stopped_ms_; }

  ServerMetrics& metrics() { return metrics_; }

 private:
  void Accept(int fd, const std::string& peer);
  Status Kill(const std::string& user, bool superuser, uint64_t id, bool query_only);

  Instance& instance_;
  const ServerOptions options_;
  ServerLog& log_;
  ServerMetrics metrics_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: readable once stopping
  int port_ = 0;
  int64_t stopped_ms_ = 0;
  std::unique_ptr<TlsContext> tls_;
  ServerContext context_;
  std::mutex mutex_;
  std::condition_variable connection_ended_;
  // The connections KILL and the stop can reach; one leaves the map before it is destroyed.
  std::map<uint32_t, Connection*> connections_;  // mutex_
  size_t serving_ = 0;                           // connection threads not yet finished (mutex_)
  uint32_t next_id_ = 1;                         // mutex_
};

}  // namespace strata
