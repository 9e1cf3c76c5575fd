#include "server/packet_channel.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include "server/tls.h"

namespace strata {

namespace {

constexpr size_t kReadChunkBytes = 64 << 10;
constexpr size_t kFlushBytes = 64 << 10;

}  // namespace

PacketChannel::PacketChannel(int fd, int stop_fd, size_t max_packet_bytes)
    : fd_(fd), stop_fd_(stop_fd), max_packet_bytes_(max_packet_bytes) {}

PacketChannel::~PacketChannel() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

Status PacketChannel::StartTls(SSL_CTX* context, int timeout_ms) {
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

std::string PacketChannel::cipher() const {
  return ssl_ != nullptr ? SSL_get_cipher_name(ssl_) : "";
}

Status PacketChannel::ReadExact(char* dst, size_t n, int timeout_ms, bool may_stop) {
  while (n > 0) {
    if (in_pos_ < in_.size()) {
      size_t take = std::min(n, in_.size() - in_pos_);
      std::memcpy(dst, in_.data() + in_pos_, take);
      in_pos_ += take;
      dst += take;
      n -= take;
      continue;
    }
    in_.clear();
    in_pos_ = 0;
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
    // Before read-ahead is on, read no further than asked (see StartTls).
    in_.resize(read_ahead_ ? kReadChunkBytes : n);
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
  }
  return Status::Ok();
}

Result<std::string> PacketChannel::Read(int idle_ms, int read_ms) {
  std::string payload;
  bool first = true;
  for (;;) {
    unsigned char header[4];
    RETURN_IF_ERROR(
        ReadExact(reinterpret_cast<char*>(header), 4, first ? idle_ms : read_ms, first));
    size_t length = header[0] | (header[1] << 8) | (header[2] << 16);
    if (header[3] != sequence_) {
      return FailedPrecondition("packets out of order: got sequence id " +
                                std::to_string(header[3]) + ", expected " +
                                std::to_string(sequence_));
    }
    ++sequence_;
    if (payload.size() + length > max_packet_bytes_) {
      return FailedPrecondition("Got a packet bigger than 'max_allowed_packet' bytes (" +
                                std::to_string(max_packet_bytes_) +
                                "); raise max_allowed_packet on the client and the server, "
                                "or send less in one statement");
    }
    size_t old = payload.size();
    payload.resize(old + length);
    RETURN_IF_ERROR(ReadExact(payload.data() + old, length, read_ms, false));
    first = false;
    if (length < kPacketPieceBytes) return payload;
  }
}

Status PacketChannel::Write(std::string_view payload) {
  for (;;) {
    size_t length = std::min(payload.size(), kPacketPieceBytes);
    char header[4] = {static_cast<char>(length & 0xff), static_cast<char>((length >> 8) & 0xff),
                      static_cast<char>((length >> 16) & 0xff), static_cast<char>(sequence_++)};
    out_.append(header, 4);
    out_.append(payload.data(), length);
    payload.remove_prefix(length);
    if (out_.size() >= kFlushBytes) RETURN_IF_ERROR(Flush());
    // A payload of exactly a multiple of the piece size ends with an empty piece.
    if (length < kPacketPieceBytes) return Status::Ok();
  }
}

Status PacketChannel::Flush() {
  if (ssl_ != nullptr && !out_.empty()) {
    int r = SSL_write(ssl_, out_.data(), static_cast<int>(out_.size()));
    out_.clear();
    if (r <= 0) return IoError("TLS write failed or timed out: " + OpenSslError());
    return Status::Ok();
  }
  size_t sent = 0;
  while (sent < out_.size()) {
    ssize_t n = send(fd_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      out_.clear();
      return IoError(std::string("write: ") + std::strerror(errno));
    }
    pollfd fd = {fd_, POLLOUT, 0};
    int ready = poll(&fd, 1, write_timeout_ms_);
    if (ready == 0) {
      out_.clear();
      return Unavailable("the client read nothing for " + std::to_string(write_timeout_ms_ / 1000) +
                         " s; gave up writing to it");
    }
    if (ready < 0 && errno != EINTR) {
      out_.clear();
      return IoError(std::string("poll: ") + std::strerror(errno));
    }
  }
  out_.clear();
  return Status::Ok();
}

}  // namespace strata
