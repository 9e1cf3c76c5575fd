// PacketChannel: MySQL packets over one connected socket, plain or TLS. A packet is a 3-byte
// length, a sequence id and the payload; payloads of 16 MiB - 1 bytes and more are split into
// pieces and joined again on reading. Reads wait at most a deadline and return early, with
// Cancelled, when the server's stop descriptor becomes readable; a packet longer than the limit is
// refused before it is read. Writes are buffered until Flush (or 64 KiB), and a client that does
// not read its answer within the write timeout is given up. Thread-compatible: one per connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace strata {

inline constexpr size_t kPacketPieceBytes = 0xffffff;

class PacketChannel {
 public:
  // `fd` is owned by the caller. `stop_fd`, when >= 0, ends a wait for a new packet.
  PacketChannel(int fd, int stop_fd, size_t max_packet_bytes);
  ~PacketChannel();
  PacketChannel(const PacketChannel&) = delete;
  PacketChannel& operator=(const PacketChannel&) = delete;

  // Turns the connection into TLS (after the client's SSLRequest): the TLS handshake, then
  // every packet goes through it. Until set_read_ahead(true) the channel reads no byte past
  // the packet asked for, so a ClientHello sent right behind the SSLRequest stays unread.
  Status StartTls(SSL_CTX* context, int timeout_ms);
  bool tls() const { return ssl_ != nullptr; }
  // The cipher of a TLS connection ("" without TLS).
  std::string cipher() const;
  void set_read_ahead(bool on) { read_ahead_ = on; }

  // Reads one packet. `idle_ms` bounds the wait for its first byte (a client between
  // statements), `read_ms` the rest. DeadlineExceeded is Unavailable("... timed out"),
  // a closed connection IoError, a packet over the limit FailedPrecondition (the connection
  // cannot continue: its bytes are not read).
  Result<std::string> Read(int idle_ms, int read_ms);
  // Queues a packet with the next sequence id.
  Status Write(std::string_view payload);
  // Sends what is queued.
  Status Flush();

  // A new command starts a new sequence.
  void ResetSequence() { sequence_ = 0; }
  void set_max_packet_bytes(size_t bytes) { max_packet_bytes_ = bytes; }
  size_t max_packet_bytes() const { return max_packet_bytes_; }
  void set_write_timeout_ms(int ms) { write_timeout_ms_ = ms; }
  // Bytes queued and not yet flushed.
  size_t pending_bytes() const { return out_.size(); }

 private:
  // Fills `n` bytes into `dst`, waiting at most `timeout_ms` for each arrival.
  Status ReadExact(char* dst, size_t n, int timeout_ms, bool may_stop);

  int fd_;
  int stop_fd_;
  size_t max_packet_bytes_;
  int write_timeout_ms_ = 60000;
  bool read_ahead_ = false;
  SSL* ssl_ = nullptr;
  uint8_t sequence_ = 0;
  std::string in_;  // read ahead, not yet consumed
  size_t in_pos_ = 0;
  std::string out_;
};

}  // namespace strata
