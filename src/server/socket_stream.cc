#include "server/socket_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/tls.h"

namespace strata {

namespace {

constexpr size_t kReadChunkBytes = 64 << 10;
constexpr size_t kFlushBytes = 64 << 10;

}  // namespace

SocketStream::SocketStream(int fd, int stop_fd) : fd_(fd), stop_fd_(stop_fd) {}

SocketStream::~SocketStream() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

Status SocketStream::StartTls(SSL_CTX* context, int timeout_ms) {
  // TLS reads and writes block on the socket, bounded by its timeouts.
  timeval read_timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  timeval write_timeout{write_timeout_ms_ / 1000, (write_timeout_ms_ % 1000) * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &read_timeout, sizeof read_timeout);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &write_timeout, sizeof write_timeout);
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    return Internal("cannot start TLS: " + OpenSslError());
  }
  if (SSL_accept(ssl_) != 1) return IoError("TLS handshake failed: " + OpenSslError());
  return Status::Ok();
}

std::string SocketStream::cipher() const {
  return ssl_ != nullptr ? SSL_get_cipher_name(ssl_) : "";
}

Status SocketStream::Fill(size_t limit, int timeout_ms, bool may_stop) {
  in_.clear();
  in_pos_ = 0;
  for (;;) {
    if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      int count = (may_stop && stop_fd_ >= 0) ? 2 : 1;
      int ready = poll(fds, count, timeout_ms);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return IoError(std::string("poll: ") + std::strerror(errno));
      }
      if (ready == 0) {
        return Unavailable("the client sent nothing for " + std::to_string(timeout_ms / 1000) +
                           " s; timed out");
      }
      if (count == 2 && (fds[1].revents & POLLIN) != 0) {
        return Cancelled("the server is shutting down");
      }
    }
    in_.resize(read_ahead_ ? kReadChunkBytes : std::min(limit, kReadChunkBytes));
    ssize_t got;
    if (ssl_ != nullptr) {
      int r = SSL_read(ssl_, in_.data(), static_cast<int>(in_.size()));
      if (r <= 0) {
        in_.clear();
        int error = SSL_get_error(ssl_, r);
        unsigned long reason = ERR_GET_REASON(ERR_peek_error());
        if (error == SSL_ERROR_ZERO_RETURN || reason == SSL_R_UNEXPECTED_EOF_WHILE_READING ||
            (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0)) {
          ERR_clear_error();
          return IoError("the client closed the connection");
        }
        return IoError("TLS read failed or timed out: " + OpenSslError());
      }
      got = r;
    } else {
      got = recv(fd_, in_.data(), in_.size(), 0);
    }
    if (got < 0) {
      in_.clear();
      if (errno == EINTR || errno == EAGAIN) continue;
      return IoError(std::string("read: ") + std::strerror(errno));
    }
    in_.resize(static_cast<size_t>(got));
    if (got == 0) return IoError("the client closed the connection");
    return Status::Ok();
  }
}

Status SocketStream::ReadExact(char* dst, size_t n, int timeout_ms, bool may_stop) {
  while (n > 0) {
    if (in_pos_ == in_.size()) RETURN_IF_ERROR(Fill(n, timeout_ms, may_stop));
    size_t take = std::min(n, in_.size() - in_pos_);
    std::memcpy(dst, in_.data() + in_pos_, take);
    in_pos_ += take;
    dst += take;
    n -= take;
  }
  return Status::Ok();
}

Status SocketStream::ReadSome(std::string& out, int timeout_ms, bool may_stop) {
  if (in_pos_ == in_.size()) RETURN_IF_ERROR(Fill(kReadChunkBytes, timeout_ms, may_stop));
  out.append(in_, in_pos_, std::string::npos);
  in_pos_ = in_.size();
  return Status::Ok();
}

bool SocketStream::WaitReadable(int timeout_ms) {
  if (buffered() > 0 || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
  pollfd fd = {fd_, POLLIN, 0};
  return poll(&fd, 1, timeout_ms) > 0;
}

Status SocketStream::Write(std::string_view bytes) {
  if (bytes.size() >= kFlushBytes) {
    // A large piece goes out from where it is, after what is queued, without a copy.
    RETURN_IF_ERROR(Flush());
    return Send(bytes);
  }
  out_.append(bytes);
  return out_.size() >= kFlushBytes ? Flush() : Status::Ok();
}

Status SocketStream::Flush() {
  Status sent = Send(out_);
  out_.clear();
  return sent;
}

Status SocketStream::Send(std::string_view bytes) {
  if (ssl_ != nullptr) {
    while (!bytes.empty()) {
      int piece = static_cast<int>(std::min<size_t>(bytes.size(), 1 << 30));
      int r = SSL_write(ssl_, bytes.data(), piece);
      if (r <= 0) return IoError("TLS write failed or timed out: " + OpenSslError());
      bytes.remove_prefix(static_cast<size_t>(r));
    }
    return Status::Ok();
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return IoError(std::string("write: ") + std::strerror(errno));
    }
    pollfd fd = {fd_, POLLOUT, 0};
    int ready = poll(&fd, 1, write_timeout_ms_);
    if (ready == 0) {
      return Unavailable("the client read nothing for " + std::to_string(write_timeout_ms_ / 1000) +
                         " s; gave up writing to it");
    }
    if (ready < 0 && errno != EINTR) return IoError(std::string("poll: ") + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace strata
