#include "server/websocket.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <vector>

#include "base/strings.h"

namespace strata::ws {

namespace {

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr size_t kMaxControlPayload = 125;

// The value of header `name` (case-insensitive) in the request head, trimmed; none if absent.
std::optional<std::string> Header(std::string_view head, std::string_view name) {
  for (const auto& line : Split(head, '\n')) {
    std::string_view text = Trim(line);
    size_t colon = text.find(':');
    if (colon == std::string_view::npos) continue;
    if (EqualsIgnoreCase(Trim(text.substr(0, colon)), name)) {
      return std::string(Trim(text.substr(colon + 1)));
    }
  }
  return std::nullopt;
}

// Whether the comma-separated header value holds `token` (case-insensitive).
bool HasToken(const std::optional<std::string>& value, std::string_view token) {
  if (!value) return false;
  for (const auto& part : Split(*value, ',')) {
    if (EqualsIgnoreCase(Trim(part), token)) return true;
  }
  return false;
}

std::string AcceptKey(std::string_view key) {
  std::string text = std::string(key) + std::string(kAcceptGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
}

}  // namespace

Result<std::string> AcceptUpgrade(std::string_view request_head) {
  std::string_view request_line = request_head.substr(0, request_head.find('\n'));
  if (request_line.substr(0, 4) != "GET ") {
    return InvalidArgument("only GET upgrades to WebSocket, got " +
                           Quote(Trim(request_line).substr(0, 40)));
  }
  if (!HasToken(Header(request_head, "Upgrade"), "websocket") ||
      !HasToken(Header(request_head, "Connection"), "Upgrade")) {
    return InvalidArgument(
        "this port speaks DolphinDB's client protocol: WebSocket (an HTTP upgrade) or API/API2 "
        "requests; a plain HTTP request is not served here");
  }
  if (Header(request_head, "Sec-WebSocket-Version").value_or("") != "13") {
    return InvalidArgument("WebSocket version 13 is the one supported");
  }
  auto key = Header(request_head, "Sec-WebSocket-Key");
  if (!key || key->empty()) return InvalidArgument("the upgrade request has no Sec-WebSocket-Key");
  std::string answer =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: " +
      AcceptKey(*key) + "\r\n";
  // The client aborts unless the protocol it asked for (the first) comes back.
  if (auto protocols = Header(request_head, "Sec-WebSocket-Protocol")) {
    std::string first(Trim(Split(*protocols, ',').front()));
    if (!first.empty()) answer += "Sec-WebSocket-Protocol: " + first + "\r\n";
  }
  return answer + "\r\n";
}

std::string HttpError(int status, std::string_view reason, std::string_view text) {
  std::string body = std::string(text) + "\n";
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

Result<std::optional<Frame>> ReadFrame(std::string_view in, size_t* pos, size_t max_payload) {
  size_t at = *pos;
  auto available = [&](size_t n) { return in.size() - at >= n; };
  if (!available(2)) return std::optional<Frame>();
  const auto b0 = static_cast<uint8_t>(in[at]);
  const auto b1 = static_cast<uint8_t>(in[at + 1]);
  at += 2;
  Frame frame;
  frame.fin = (b0 & 0x80) != 0;
  frame.opcode = b0 & 0x0f;
  if ((b0 & 0x70) != 0) return InvalidArgument("a WebSocket frame with reserved bits set");
  const bool control = frame.opcode >= kClose;
  if (frame.opcode != kContinuation && frame.opcode != kText && frame.opcode != kBinary &&
      frame.opcode != kClose && frame.opcode != kPing && frame.opcode != kPong) {
    return InvalidArgument("a WebSocket frame of unknown opcode " + std::to_string(frame.opcode));
  }
  if ((b1 & 0x80) == 0) return InvalidArgument("an unmasked WebSocket frame from a client");
  uint64_t length = b1 & 0x7f;
  if (length == 126 || length == 127) {
    const size_t bytes = length == 126 ? 2 : 8;
    if (!available(bytes)) return std::optional<Frame>();
    length = 0;
    for (size_t i = 0; i < bytes; ++i) length = (length << 8) | static_cast<uint8_t>(in[at + i]);
    at += bytes;
  }
  if (control && (length > kMaxControlPayload || !frame.fin)) {
    return InvalidArgument("a WebSocket control frame that is fragmented or longer than 125 bytes");
  }
  if (length > max_payload) {
    return FailedPrecondition("a WebSocket frame of " + std::to_string(length) +
                              " bytes is longer than the limit of " + std::to_string(max_payload));
  }
  if (!available(4)) return std::optional<Frame>();
  char mask[4];
  std::memcpy(mask, in.data() + at, 4);
  at += 4;
  if (!available(static_cast<size_t>(length))) return std::optional<Frame>();
  frame.payload.assign(in.data() + at, static_cast<size_t>(length));
  for (size_t i = 0; i < frame.payload.size(); ++i) frame.payload[i] ^= mask[i % 4];
  *pos = at + static_cast<size_t>(length);
  return std::optional<Frame>(std::move(frame));
}

std::string EncodeFrame(uint8_t opcode, std::string_view payload) {
  std::string out = FrameHeader(opcode, payload.size());
  out.append(payload);
  return out;
}

std::string FrameHeader(uint8_t opcode, uint64_t length, bool fin) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (opcode & 0x0f)));
  if (length < 126) {
    out.push_back(static_cast<char>(length));
  } else if (length <= 0xffff) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(length & 0xff));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((length >> shift) & 0xff));
    }
  }
  return out;
}

Result<std::optional<std::string>> MessageAssembler::Add(Frame frame) {
  if (frame.opcode == kContinuation) {
    if (!open_) return InvalidArgument("a WebSocket continuation frame without a message");
  } else {
    if (open_) return InvalidArgument("a new WebSocket message before the last one ended");
    open_ = true;
    message_.clear();
  }
  if (message_.size() + frame.payload.size() > max_message_) {
    return FailedPrecondition("a WebSocket message longer than the limit of " +
                              std::to_string(max_message_) + " bytes");
  }
  message_ += frame.payload;
  if (!frame.fin) return std::optional<std::string>();
  open_ = false;
  return std::optional<std::string>(std::move(message_));
}

}  // namespace strata::ws
