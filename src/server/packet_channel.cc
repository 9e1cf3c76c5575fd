#include "server/packet_channel.h"

#include <algorithm>

namespace strata {

PacketChannel::PacketChannel(int fd, int stop_fd, size_t max_packet_bytes)
    : stream_(fd, stop_fd), max_packet_bytes_(max_packet_bytes) {}

PacketChannel::~PacketChannel() = default;

Result<std::string> PacketChannel::Read(int idle_ms, int read_ms) {
  std::string payload;
  bool first = true;
  for (;;) {
    unsigned char header[4];
    RETURN_IF_ERROR(
        stream_.ReadExact(reinterpret_cast<char*>(header), 4, first ? idle_ms : read_ms, first));
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
    RETURN_IF_ERROR(stream_.ReadExact(payload.data() + old, length, read_ms, false));
    first = false;
    if (length < kPacketPieceBytes) return payload;
  }
}

Status PacketChannel::Write(std::string_view payload) {
  for (;;) {
    size_t length = std::min(payload.size(), kPacketPieceBytes);
    char header[4] = {static_cast<char>(length & 0xff), static_cast<char>((length >> 8) & 0xff),
                      static_cast<char>((length >> 16) & 0xff), static_cast<char>(sequence_++)};
    RETURN_IF_ERROR(stream_.Write(std::string_view(header, 4)));
    RETURN_IF_ERROR(stream_.Write(payload.substr(0, length)));
    payload.remove_prefix(length);
    // A payload of exactly a multiple of the piece size ends with an empty piece.
    if (length < kPacketPieceBytes) return Status::Ok();
  }
}

}  // namespace strata
