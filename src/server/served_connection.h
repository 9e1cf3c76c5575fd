// ServedConnection: what every client connection of `strata serve` has, whichever its protocol
// (a MySQL Connection, a DolphinDB DdbConnection): the socket it owns, its id and peer, the
// flags KILL and the stop set from other threads, and a copy of its user for them. The server
// serves each on its own thread and reaches it through this class. Serve() runs on the
// connection's thread; user(), Kill() and KillQuery() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace strata {

class ServedConnection {
 public:
  // `fd` is a connected socket the connection owns (closed by the destructor).
  ServedConnection(int fd, uint32_t id, std::string peer)
      : fd_(fd), id_(id), peer_(std::move(peer)) {}
  virtual ~ServedConnection();
  ServedConnection(const ServedConnection&) = delete;
  ServedConnection& operator=(const ServedConnection&) = delete;

  // Serves the client until it leaves, the connection breaks, times out or is killed, or the
  // server stops.
  virtual void Serve() = 0;

  uint32_t id() const { return id_; }
  // The logged-in user ("" before login).
  std::string user() const;
  // Ends the connection: a running statement stops as KillQuery stops it, then it closes.
  void Kill();
  // Stops the statement running now, if any, between two bounded steps, having written
  // nothing; the connection stays.
  void KillQuery();

 protected:
  // For the threads that ask user().
  void set_user(std::string user);

  const int fd_;
  const uint32_t id_;
  const std::string peer_;
  std::atomic<bool> killed_{false};
  std::atomic<bool> running_{false};    // a statement or request is being handled
  std::atomic<bool> interrupt_{false};  // the session's interrupt flag (KILL QUERY)

 private:
  mutable std::mutex user_mutex_;
  std::string user_;  // user_mutex_
};

}  // namespace strata
