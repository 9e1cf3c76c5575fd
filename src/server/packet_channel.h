// PacketChannel: MySQL packets over one connected socket (a SocketStream, plain or TLS). A
// packet is a 3-byte length, a sequence id and the payload; payloads of 16 MiB - 1 bytes and more
// are split into pieces and joined again on reading. A wait for a new packet returns early, with
// Cancelled, when the server's stop descriptor becomes readable; a packet longer than the limit
// is refused before it is read. Thread-compatible: one per connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "server/socket_stream.h"

namespace strata {

inline constexpr size_t kPacketPieceBytes = 0xffffff;

class PacketChannel {
 public:
  // `fd` is owned by the caller. `stop_fd`, when >= 0, ends a wait for a new packet.
  PacketChannel(int fd, int stop_fd, size_t max_packet_bytes);
  ~PacketChannel();
  PacketChannel(const PacketChannel&) = delete;
  PacketChannel& operator=(const PacketChannel&) = delete;

  // Turns the connection into TLS (after the client's SSLRequest); see SocketStream::StartTls.
  Status StartTls(SSL_CTX* context, int timeout_ms) {
    return stream_.StartTls(context, timeout_ms);
  }
  bool tls() const { return stream_.tls(); }
  // The cipher of a TLS connection ("" without TLS).
  std::string cipher() const { return stream_.cipher(); }
  void set_read_ahead(bool on) { stream_.set_read_ahead(on); }

  // Reads one packet. `idle_ms` bounds the wait for its first byte (a client between
  // statements), `read_ms` the rest. DeadlineExceeded is Unavailable("... timed out"),
  // a closed connection IoError, a packet over the limit FailedPrecondition (the connection
  // cannot continue: its bytes are not read).
  Result<std::string> Read(int idle_ms, int read_ms);
  // Queues a packet with the next sequence id.
  Status Write(std::string_view payload);
  // Sends what is queued.
  Status Flush() { return stream_.Flush(); }

  // A new command starts a new sequence.
  void ResetSequence() { sequence_ = 0; }
  void set_max_packet_bytes(size_t bytes) { max_packet_bytes_ = bytes; }
  size_t max_packet_bytes() const { return max_packet_bytes_; }
  void set_write_timeout_ms(int ms) { stream_.set_write_timeout_ms(ms); }

 private:
  SocketStream stream_;
  size_t max_packet_bytes_;
  uint8_t sequence_ = 0;
};

}  // namespace strata
