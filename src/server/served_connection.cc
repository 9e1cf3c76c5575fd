#include "server/served_connection.h"

#include <sys/socket.h>
#include <unistd.h>

namespace strata {

ServedConnection::~ServedConnection() { close(fd_); }

std::string ServedConnection::user() const {
  std::lock_guard lock(user_mutex_);
  return user_;
}

void ServedConnection::set_user(std::string user) {
  std::lock_guard lock(user_mutex_);
  user_ = std::move(user);
}

void ServedConnection::KillQuery() {
  if (running_.load()) interrupt_.store(true);
}

void ServedConnection::Kill() {
  killed_.store(true);
  interrupt_.store(true);
  shutdown(fd_, SHUT_RDWR);
}

}  // namespace strata
