// WebSocket against RFC 6455's own examples, the upgrade DolphinDB's JavaScript client sends
// (../shared/notes/dolphindb-api-protocol.md §2.2), and frames a client may not send.
#include "server/websocket.h"

#include <gtest/gtest.h>

namespace strata::ws {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// A client frame: masked with `mask`.
std::string ClientFrame(uint8_t first, std::string_view payload, const char mask[4]) {
  std::string out;
  out.push_back(static_cast<char>(first));
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xff));
  }
  out.append(mask, 4);
  for (size_t i = 0; i < payload.size(); ++i) out.push_back(payload[i] ^ mask[i % 4]);
  return out;
}

TEST(WebSocketTest, AcceptsTheJavaScriptClientsUpgrade) {
  // RFC 6455 §1.3's key and accept value; the headers the dolphindb client (ws@8) sends.
  std::string head =
      "GET / HTTP/1.1\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
      "dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Connection: Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
      "Sec-WebSocket-Protocol: python\r\nHost: 127.0.0.1:8848\r\n";
  auto answer = AcceptUpgrade(head);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            "Sec-WebSocket-Protocol: python\r\n\r\n");
  EXPECT_EQ(answer->find("Extensions"), std::string::npos) << "no compression offered back";

  auto plain_http = AcceptUpgrade("GET /metrics HTTP/1.1\r\nHost: x\r\n");
  ASSERT_FALSE(plain_http.ok());
  EXPECT_NE(plain_http.status().message().find("DolphinDB"), std::string::npos);
  EXPECT_FALSE(AcceptUpgrade("POST / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: a\r\n")
                   .ok());
  EXPECT_FALSE(AcceptUpgrade("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: a\r\n")
                   .ok());
  std::string error = HttpError(400, "Bad Request", "not here");
  EXPECT_EQ(error.substr(0, 24), "HTTP/1.1 400 Bad Request");
  EXPECT_NE(error.find("Content-Length: 9\r\n"), std::string::npos);
}

TEST(WebSocketTest, ReadsMaskedFramesAndWritesUnmaskedOnes) {
  // RFC 6455 §5.7: a masked "Hello", and the unmasked one a server sends.
  std::string masked = Bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  size_t pos = 0;
  auto hello = ReadFrame(masked, &pos, 1 << 20);
  ASSERT_TRUE(hello.ok() && *hello) << hello.status().ToString();
  EXPECT_EQ((*hello)->payload, "Hello");
  EXPECT_EQ((*hello)->opcode, kText);
  EXPECT_EQ(pos, masked.size());
  EXPECT_EQ(EncodeFrame(kText, "Hello"), Bytes({0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}));
  // 16- and 64-bit lengths.
  EXPECT_EQ(EncodeFrame(kBinary, std::string(300, 'x')).substr(0, 4), Bytes({0x82, 126, 1, 44}));
  EXPECT_EQ(EncodeFrame(kBinary, std::string(70000, 'x')).substr(0, 10),
            Bytes({0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70}));
  const char mask[4] = {1, 2, 3, 4};
  std::string big(300, 'y');
  std::string frame = ClientFrame(0x82, big, mask);
  // Every cut of a frame asks for more and leaves the position.
  for (size_t cut = 0; cut < frame.size(); ++cut) {
    size_t at = 0;
    auto partial = ReadFrame(std::string_view(frame).substr(0, cut), &at, 1 << 20);
    ASSERT_TRUE(partial.ok()) << cut;
    EXPECT_FALSE(partial->has_value()) << cut;
    EXPECT_EQ(at, 0u);
  }
  pos = 0;
  auto whole = ReadFrame(frame, &pos, 1 << 20);
  ASSERT_TRUE(whole.ok() && *whole);
  EXPECT_EQ((*whole)->payload, big);
}

TEST(WebSocketTest, RefusesFramesAClientMayNotSend) {
  const char mask[4] = {9, 8, 7, 6};
  size_t pos = 0;
  EXPECT_FALSE(ReadFrame(Bytes({0x82, 0x01, 'x'}), &pos, 100).ok()) << "unmasked";
  EXPECT_FALSE(ReadFrame(ClientFrame(0xc2, "x", mask), &pos, 100).ok()) << "reserved bit";
  EXPECT_FALSE(ReadFrame(ClientFrame(0x83, "x", mask), &pos, 100).ok()) << "opcode 3";
  EXPECT_FALSE(ReadFrame(ClientFrame(0x09, "x", mask), &pos, 100).ok()) << "fragmented ping";
  EXPECT_FALSE(ReadFrame(ClientFrame(0x89, std::string(126, 'p'), mask), &pos, 1000).ok());
  auto long_frame = ReadFrame(ClientFrame(0x82, std::string(200, 'z'), mask), &pos, 100);
  ASSERT_FALSE(long_frame.ok());
  EXPECT_EQ(long_frame.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(long_frame.status().message().find("limit"), std::string::npos);
  EXPECT_EQ(pos, 0u);
}

TEST(WebSocketTest, AssemblesFragmentedMessages) {
  MessageAssembler assembler(10);
  auto first = assembler.Add(Frame{false, kBinary, "abc"});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());
  auto last = assembler.Add(Frame{true, kContinuation, "def"});
  ASSERT_TRUE(last.ok() && *last);
  EXPECT_EQ(**last, "abcdef");
  auto single = assembler.Add(Frame{true, kBinary, "x"});
  ASSERT_TRUE(single.ok() && *single);
  EXPECT_EQ(**single, "x");
  EXPECT_FALSE(assembler.Add(Frame{true, kContinuation, "y"}).ok()) << "no message open";
  ASSERT_TRUE(assembler.Add(Frame{false, kBinary, "12345"}).ok());
  EXPECT_FALSE(assembler.Add(Frame{false, kBinary, "z"}).ok()) << "a new message mid-way";
  MessageAssembler small(4);
  EXPECT_FALSE(small.Add(Frame{true, kBinary, "12345"}).ok()) << "past the limit";
}

}  // namespace
}  // namespace strata::ws
