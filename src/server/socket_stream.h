// SocketStream: bytes over one connected socket, plain or TLS, for the server's protocols
// (MySQL packets, DolphinDB requests, WebSocket frames). Reads wait at most a deadline and,
// when asked, return early with Cancelled once the server's stop descriptor becomes readable;
// writes are buffered until Flush (or 64 KiB), and a client that does not read its answer
// within the write timeout is given up. Thread-compatible: one per connection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace strata {

class SocketStream {
 public:
  // `fd` is owned by the caller. `stop_fd`, when >= 0, ends a wait that may stop.
  SocketStream(int fd, int stop_fd);
  ~SocketStream();
  SocketStream(const SocketStream&) = delete;
  SocketStream& operator=(const SocketStream&) = delete;

  // Turns the connection into TLS: the handshake, then every byte goes through it. Until
  // set_read_ahead(true) the stream reads no byte past what it is asked for, so a ClientHello
  // sent right behind a request to start TLS stays unread.
  Status StartTls(SSL_CTX* context, int timeout_ms);
  bool tls() const { return ssl_ != nullptr; }
  // The cipher of a TLS connection ("" without TLS).
  std::string cipher() const;
  void set_read_ahead(bool on) { read_ahead_ = on; }
  void set_write_timeout_ms(int ms) { write_timeout_ms_ = ms; }

  // Fills `n` bytes into `dst`, waiting at most `timeout_ms` for each arrival; `may_stop`: the
  // server's stop ends the wait (a client between requests). A silent client is
  // Unavailable("... timed out"), a closed connection IoError, the stop Cancelled.
  Status ReadExact(char* dst, size_t n, int timeout_ms, bool may_stop);
  // Appends what has arrived (at least one byte) to `out`, waiting as ReadExact does.
  Status ReadSome(std::string& out, int timeout_ms, bool may_stop);
  // Whether bytes are there to read, or arrive within `timeout_ms`.
  bool WaitReadable(int timeout_ms);
  // Bytes read ahead and not yet handed out.
  size_t buffered() const { return in_.size() - in_pos_; }

  // Queues bytes; sends them once 64 KiB are queued (a piece of 64 KiB or more goes at once).
  Status Write(std::string_view bytes);
  // Sends what is queued.
  Status Flush();
  // Bytes queued and not yet flushed.
  size_t pending_bytes() const { return out_.size(); }

 private:
  // Waits for bytes and reads what arrived into in_ (which is empty); at most `limit` bytes
  // unless read-ahead is on.
  Status Fill(size_t limit, int timeout_ms, bool may_stop);
  // Sends `bytes` whole, waiting at most the write timeout for each advance.
  Status Send(std::string_view bytes);

  int fd_;
  int stop_fd_;
  int write_timeout_ms_ = 60000;
  bool read_ahead_ = false;
  SSL* ssl_ = nullptr;
  std::string in_;  // read ahead, not yet consumed from in_pos_
  size_t in_pos_ = 0;
  std::string out_;
};

}  // namespace strata
