#include "server/server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "base/utc_time.h"
#include "server/connection.h"
#include "server/ddb_connection.h"
#include "server/error_mapping.h"
#include "server/protocol.h"
#include "server/tls.h"

namespace strata {

namespace {

std::string PeerName(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    port = ntohs(in6->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

// Sends one ERR packet (sequence 0) on a connection that is then closed unserved.
void RefuseConnection(int fd, const MySqlError& error, const std::string& message) {
  std::string payload = BuildErr(error.code, error.sqlstate, message);
  std::string packet = {static_cast<char>(payload.size() & 0xff),
                        static_cast<char>((payload.size() >> 8) & 0xff),
                        static_cast<char>((payload.size() >> 16) & 0xff), 0};
  packet += payload;
  (void)send(fd, packet.data(), packet.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  close(fd);
}

}  // namespace

void ServerLog::Write(const std::string& line) {
  std::string text = FormatUtcMs(NowMs()).substr(0, 19) + "Z " + line + "\n";
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

Server::Server(Instance& instance, ServerOptions options, ServerLog& log)
    : instance_(instance),
      options_(std::move(options)),
      log_(log),
      stop_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      context_{instance_,
               options_,
               log_,
               metrics_,
               stop_fd_,
               [this](const std::string& user, bool superuser, uint64_t id, bool query_only) {
                 return Kill(user, superuser, id, query_only);
               }} {
  metrics_.started_ms.store(NowMs());
}

Server::~Server() {
  if (listen_fd_ >= 0) close(listen_fd_);
  if (ddb_listen_fd_ >= 0) close(ddb_listen_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
}

Status Server::Listen() {
  if (stop_fd_ < 0) return IoError(std::string("eventfd: ") + std::strerror(errno));
  if (options_.tls_cert.empty() != options_.tls_key.empty()) {
    return InvalidArgument("--tls-cert and --tls-key go together: give both, or neither");
  }
  if (options_.require_secure_transport && options_.tls_cert.empty()) {
    return InvalidArgument("--require-secure-transport needs TLS: give --tls-cert and --tls-key");
  }
  if (!options_.tls_cert.empty()) {
    ASSIGN_OR_RETURN(tls_, TlsContext::Load(options_.tls_cert, options_.tls_key));
    context_.tls = tls_->get();
  }
  RETURN_IF_ERROR(Bind(options_.port, "--port", &listen_fd_, &port_));
  if (options_.dolphindb_port >= 0) {
    RETURN_IF_ERROR(Bind(options_.dolphindb_port, "--dolphindb-port", &ddb_listen_fd_, &ddb_port_));
  }
  return Status::Ok();
}

Status Server::Bind(int port_number, const char* option, int* listen_fd, int* bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(port_number);
  std::string where = options_.host + ":" + port;
  if (int rc = getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return InvalidArgument("cannot listen on " + where + ": " + gai_strerror(rc) +
                           "; give --host an address of this machine, such as 127.0.0.1");
  }
  Status status = IoError("cannot listen on " + where + ": no address");
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 128) == 0) {
      *listen_fd = fd;
      sockaddr_storage bound{};
      socklen_t length = sizeof bound;
      getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
      std::string name = PeerName(bound);
      *bound_port = std::stoi(name.substr(name.rfind(':') + 1));
      status = Status::Ok();
      break;
    }
    int error = errno;
    close(fd);
    status = IoError("cannot listen on " + where + ": " + std::strerror(error) +
                     (error == EADDRINUSE ? std::string("; another process uses the port: stop "
                                                        "it or choose another with ") +
                                                option
                                          : ""));
  }
  freeaddrinfo(found);
  return status;
}

void Server::Stop() {
  uint64_t one = 1;
  ssize_t ignored = write(stop_fd_, &one, sizeof one);
  (void)ignored;
}

size_t Server::Run() {
  log_.Write(
      "strata serve: MySQL protocol on " + options_.host + ":" + std::to_string(port_) + " (" +
      options_.version +
      (tls_ ? options_.require_secure_transport ? ", TLS required" : ", TLS offered" : ", no TLS") +
      ")");
  if (ddb_listen_fd_ >= 0) {
    log_.Write("strata serve: DolphinDB protocol on " + options_.host + ":" +
               std::to_string(ddb_port_) + " (WebSocket and API/API2)");
  }
  for (;;) {
    // An unused descriptor (-1) is ignored by poll.
    pollfd fds[3] = {{stop_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}, {ddb_listen_fd_, POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      log_.Write(std::string("poll failed: ") + std::strerror(errno));
      break;
    }
    if (fds[0].revents & POLLIN) break;
    for (int i = 1; i < 3; ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      int fd = accept4(fds[i].fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
          log_.Write(std::string("accept failed: ") + std::strerror(errno));
          // Out of descriptors: wait a little rather than spin.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        continue;
      }
      Accept(fd, PeerName(peer), /*dolphindb=*/i == 2);
    }
  }
  for (int* fd : {&listen_fd_, &ddb_listen_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  stopped_ms_ = NowMs();
  std::unique_lock lock(mutex_);
  log_.Write("stopping: no new connections; " + std::to_string(serving_) +
             " open connection(s) close after their running statement");
  connection_ended_.wait_for(lock, std::chrono::seconds(options_.shutdown_grace_s),
                             [&] { return serving_ == 0; });
  if (serving_ > 0) {
    // Stop what still runs; a statement ends at its next check, within moments.
    log_.Write("grace period over: stopping the statements of " + std::to_string(serving_) +
               " connection(s)");
    for (auto& [id, connection] : connections_) connection->Kill();
    connection_ended_.wait_for(lock, std::chrono::seconds(10), [&] { return serving_ == 0; });
  }
  return serving_;
}

void Server::Accept(int fd, const std::string& peer, bool dolphindb) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::unique_lock lock(mutex_);
  if (serving_ >= options_.max_connections) {
    lock.unlock();
    metrics_.connections_refused.fetch_add(1, std::memory_order_relaxed);
    log_.Write(std::string(dolphindb ? "DolphinDB connection" : "connection") + " from " + peer +
               " refused: too many connections (" + std::to_string(options_.max_connections) +
               ", strata serve --max-connections)");
    if (dolphindb) {
      close(fd);  // before its first request, the client's protocol is not known
      return;
    }
    RefuseConnection(fd, kTooManyConnections,
                     "Too many connections: the server takes " +
                         std::to_string(options_.max_connections) +
                         " at once (strata serve --max-connections); close idle ones or retry");
    return;
  }
  uint32_t id = next_id_++;
  std::unique_ptr<ServedConnection> connection;
  if (dolphindb) {
    connection = std::make_unique<DdbConnection>(context_, fd, id, peer);
  } else {
    connection = std::make_unique<Connection>(context_, fd, id, peer);
  }
  connections_[id] = connection.get();
  ++serving_;
  metrics_.connections_total.fetch_add(1, std::memory_order_relaxed);
  metrics_.connections_open.fetch_add(1, std::memory_order_relaxed);
  lock.unlock();
  std::thread([this, connection = std::move(connection)]() mutable {
    connection->Serve();
    {
      // Out of reach of KILL and of the stop before it is destroyed, outside the lock.
      std::lock_guard guard(mutex_);
      connections_.erase(connection->id());
    }
    connection.reset();
    metrics_.connections_open.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard guard(mutex_);
    --serving_;
    connection_ended_.notify_all();
  }).detach();
}

Status Server::Kill(const std::string& user, bool superuser, uint64_t id, bool query_only) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(static_cast<uint32_t>(id));
  if (it == connections_.end()) {
    return NotFound("Unknown thread id: " + std::to_string(id) +
                    " (no open connection has it; SELECT CONNECTION_ID() shows yours)");
  }
  if (!superuser && it->second->user() != user) {
    return PermissionDenied("You are not owner of thread " + std::to_string(id) +
                            ": only its user or a superuser may kill it");
  }
  if (query_only) {
    it->second->KillQuery();
    log_.Write("query of connection " + std::to_string(id) + " killed by " + user);
    return Status::Ok();
  }
  it->second->Kill();
  log_.Write("connection " + std::to_string(id) + " killed by " + user);
  return Status::Ok();
}

}  // namespace strata
