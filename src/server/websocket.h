// The server side of WebSocket (RFC 6455) as DolphinDB's JavaScript client uses it
// (../shared/notes/dolphindb-api-protocol.md §2.2): the HTTP upgrade, and frames — masked from
// the client, unmasked from the server, 7/16/64-bit lengths, fragments, ping, close. No
// extensions (none is offered back, so the client compresses nothing). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strata::ws {

enum Opcode : uint8_t {
  kContinuation = 0,
  kText = 1,
  kBinary = 2,
  kClose = 8,
  kPing = 9,
  kPong = 10,
};

// The answer to an upgrade request's head (its lines up to the blank one): "101 Switching
// Protocols" with the accept key, echoing the subprotocol the client asked for. InvalidArgument
// naming the missing or wrong header (the caller answers 400 with the message).
Result<std::string> AcceptUpgrade(std::string_view request_head);

// An HTTP error answer with a one-line text body, for a request that is no upgrade.
std::string HttpError(int status, std::string_view reason, std::string_view text);

struct Frame {
  bool fin = true;
  uint8_t opcode = kBinary;
  std::string payload;  // unmasked
};

// The frame at `*pos` of `in`, advancing `*pos` past it; nullopt (`*pos` unchanged) when `in`
// ends before it does. InvalidArgument for a frame a client may not send: unmasked, with
// reserved bits, an unknown opcode, a control frame longer than 125 bytes or fragmented;
// FailedPrecondition for a payload longer than `max_payload`.
Result<std::optional<Frame>> ReadFrame(std::string_view in, size_t* pos, size_t max_payload);

// A whole unmasked frame from the server (FIN set).
std::string EncodeFrame(uint8_t opcode, std::string_view payload);
// The head of a frame from the server whose payload is `length` bytes (the payload follows it
// as it is); `fin` false for a fragment that more of the message follows.
std::string FrameHeader(uint8_t opcode, uint64_t length, bool fin = true);

// Joins a message's frames: data frames start it (text or binary), continuations extend it,
// the FIN bit ends it. Control frames may come between fragments and are handed out at once.
class MessageAssembler {
 public:
  explicit MessageAssembler(size_t max_message) : max_message_(max_message) {}
  // Adds a data or continuation frame; the whole message once its last frame came. Control
  // frames are not for this class. InvalidArgument for a continuation without a start or a new
  // message before the last ended; FailedPrecondition for a message past the limit.
  Result<std::optional<std::string>> Add(Frame frame);

 private:
  size_t max_message_;
  bool open_ = false;
  std::string message_;
};

}  // namespace strata::ws
