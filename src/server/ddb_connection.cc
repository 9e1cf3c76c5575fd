#include "server/ddb_connection.h"

#include <algorithm>
#include <optional>

#include "server/ddb_codec.h"
#include "server/websocket.h"

namespace strata {

namespace {

constexpr size_t kHttpHeadMax = 16 << 10;
constexpr size_t kHeaderLineMax = 4 << 10;
constexpr size_t kArgumentsMax = 1024;  // objects of one function or variable request
// Over TCP a cut argument is parsed again once the bytes after its start have doubled, or when
// the client has sent nothing more for this long (it waits for the answer): O(log n) parses of
// a large upload, and a small request split in two is not held up for long.
constexpr int kArgumentPauseMs = 5;

// WebSocket close codes (RFC 6455 §7.4.1).
constexpr uint16_t kCloseGoingAway = 1001;
constexpr uint16_t kCloseProtocolError = 1002;
constexpr uint16_t kCloseTooBig = 1009;

std::string ClosePayload(uint16_t code, std::string_view reason) {
  std::string payload = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
  payload.append(reason.substr(0, 120));  // a control frame holds at most 125 bytes
  return payload;
}

// A frame or message past the size limit, or one a client may not send.
uint16_t CloseCode(const Status& why) {
  return why.code() == StatusCode::kFailedPrecondition ? kCloseTooBig : kCloseProtocolError;
}

bool IsApi(std::string_view start) {
  return start.substr(0, 4) == "API " || start.substr(0, 4) == "API2";
}

}  // namespace

// Over WebSocket, each MSG block and the answer is one binary message; an answer in pieces is
// one message of several frames (a binary frame, then continuations, the last with FIN).
class DdbConnection::WebSocketSink : public DdbReplySink {
 public:
  explicit WebSocketSink(SocketStream& stream) : stream_(stream) {}
  Status Message(std::string block) override {
    RETURN_IF_ERROR(stream_.Write(ws::EncodeFrame(ws::kBinary, block)));
    return stream_.Flush();
  }
  Status AnswerPiece(std::string_view bytes, bool last) override {
    uint8_t opcode = continuing_ ? ws::kContinuation : ws::kBinary;
    continuing_ = !last;
    RETURN_IF_ERROR(stream_.Write(ws::FrameHeader(opcode, bytes.size(), /*fin=*/last)));
    RETURN_IF_ERROR(stream_.Write(bytes));
    return last ? stream_.Flush() : Status::Ok();
  }

 private:
  SocketStream& stream_;
  bool continuing_ = false;  // inside an answer of several frames
};

// Over TCP, the blocks and the answer follow each other on the stream.
class DdbConnection::TcpSink : public DdbReplySink {
 public:
  explicit TcpSink(SocketStream& stream) : stream_(stream) {}
  Status Message(std::string block) override {
    RETURN_IF_ERROR(stream_.Write(block));
    return stream_.Flush();
  }
  Status AnswerPiece(std::string_view bytes, bool last) override {
    RETURN_IF_ERROR(stream_.Write(bytes));
    return last ? stream_.Flush() : Status::Ok();
  }

 private:
  SocketStream& stream_;
};

DdbConnection::DdbConnection(ServerContext& context, int fd, uint32_t id, std::string peer)
    : ServedConnection(fd, id, std::move(peer)),
      context_(context),
      stream_(fd, context.stop_fd),
      session_(std::make_unique<DdbSession>(context.instance, &interrupt_)) {
  stream_.set_write_timeout_ms(context.options.write_timeout_s * 1000);
}

DdbConnection::~DdbConnection() = default;

void DdbConnection::Log(const std::string& text) const {
  context_.log.Write("DolphinDB connection " + std::to_string(id_) + " from " + peer_ + ": " +
                     text);
}

void DdbConnection::Serve() {
  std::string in;
  Status status;
  while (in.size() < 4 && status.ok()) {
    status = stream_.ReadSome(in, context_.options.read_timeout_s * 1000, /*may_stop=*/true);
  }
  if (status.ok()) {
    if (in.compare(0, 4, "GET ") == 0) {
      status = ServeWebSocket(std::move(in));
    } else if (IsApi(in)) {
      status = ServeTcp(std::move(in));
    } else {
      (void)stream_.Write(
          ws::HttpError(400, "Bad Request",
                        "this is Strata's DolphinDB port: it speaks DolphinDB's client protocol "
                        "(API/API2 requests, or WebSocket); MySQL clients use --port"));
      (void)stream_.Flush();
      status = InvalidArgument("neither an HTTP request nor an API request");
    }
  }
  if (killed_.load()) {
    Log("killed");
  } else if (!status.ok()) {
    Log("closed: " + status.message());
  }
}

Status DdbConnection::ReadMore(std::string& in, bool first) {
  if (in.size() > context_.options.max_allowed_packet + kHeaderLineMax) {
    return FailedPrecondition("the request is larger than --max-allowed-packet (" +
                              std::to_string(context_.options.max_allowed_packet) + " bytes)");
  }
  int timeout_s = first ? context_.options.idle_timeout_s : context_.options.read_timeout_s;
  return stream_.ReadSome(in, timeout_s * 1000, /*may_stop=*/first);
}

Status DdbConnection::Run(const ddb::RequestHeader& header, const ddb::Command& command,
                          std::vector<Value> args, DdbReplySink& sink) {
  context_.metrics.statements_total.fetch_add(1, std::memory_order_relaxed);
  // A login, inside connect (the JavaScript API) or as a function (the C++, Java and Python
  // APIs): the user it names, for the log.
  std::optional<std::string> login;
  if (command.kind == ddb::CommandKind::kConnect && command.user) login = *command.user;
  if (command.kind == ddb::CommandKind::kFunction && command.function == "login") {
    login = !args.empty() && args[0].is_scalar() && IsStringLike(args[0].type())
                ? args[0].scalar().string_value()
                : "?";
  }
  interrupt_.store(false);
  running_.store(true);
  Status sent = session_->Handle(header, command, std::move(args), sink);
  running_.store(false);
  interrupt_.store(false);
  if (session_->last_failed()) {
    context_.metrics.statement_errors.fetch_add(1, std::memory_order_relaxed);
  }
  if (login) {
    if (session_->last_failed()) {
      context_.metrics.login_failures.fetch_add(1, std::memory_order_relaxed);
      Log("login as " + *login + " refused");
    } else {
      Log("logged in as " + session_->user());
    }
  }
  set_user(session_->user());
  return sent;
}

Status DdbConnection::HandleMessage(std::string_view request, DdbReplySink& sink) {
  auto refuse = [&](const Status& why) {
    context_.metrics.statement_errors.fetch_add(1, std::memory_order_relaxed);
    return sink.AnswerPiece(ddb::ErrorAnswer(session_->id(), why.message()), /*last=*/true);
  };
  size_t line_end = request.find('\n');
  if (line_end == std::string_view::npos) {
    return refuse(InvalidArgument("a request starts with a header line ended by LF"));
  }
  Result<ddb::RequestHeader> header =
      ddb::ParseHeaderLine(request.substr(0, line_end), context_.options.max_allowed_packet);
  if (!header.ok()) return refuse(header.status());
  size_t command_end = line_end + 1 + header->length;
  if (command_end > request.size()) {
    return refuse(InvalidArgument("the request is shorter than its header line says (" +
                                  std::to_string(header->length) + " bytes of command)"));
  }
  Result<ddb::Command> command =
      ddb::ParseCommand(request.substr(line_end + 1, header->length), kArgumentsMax);
  if (!command.ok()) return refuse(command.status());
  ddb::ObjectReader reader;
  std::vector<Value> args;
  size_t pos = command_end;
  for (size_t i = 0; i < command->object_count; ++i) {
    Result<std::optional<Value>> object = reader.Read(request, &pos);
    if (!object.ok()) return refuse(object.status());
    if (!object->has_value()) {
      return refuse(InvalidArgument("the request ends inside its argument " +
                                    std::to_string(i + 1) + " of " +
                                    std::to_string(command->object_count)));
    }
    args.push_back(std::move(**object));
  }
  if (pos != request.size()) {
    return refuse(InvalidArgument(std::to_string(request.size() - pos) +
                                  " bytes follow the request's last argument"));
  }
  return Run(*header, *command, std::move(args), sink);
}

Status DdbConnection::ServeWebSocket(std::string in) {
  size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
    if (in.size() > kHttpHeadMax) {
      (void)stream_.Write(ws::HttpError(431, "Request Header Fields Too Large",
                                        "the HTTP request head is over 16 KiB"));
      (void)stream_.Flush();
      return InvalidArgument("an HTTP request head over 16 KiB");
    }
    RETURN_IF_ERROR(stream_.ReadSome(in, context_.options.read_timeout_s * 1000, false));
  }
  Result<std::string> upgrade = ws::AcceptUpgrade(std::string_view(in).substr(0, head_end + 4));
  if (!upgrade.ok()) {
    (void)stream_.Write(ws::HttpError(400, "Bad Request", upgrade.status().message()));
    (void)stream_.Flush();
    return upgrade.status();
  }
  RETURN_IF_ERROR(stream_.Write(*upgrade));
  RETURN_IF_ERROR(stream_.Flush());
  in.erase(0, head_end + 4);

  const size_t max_message = context_.options.max_allowed_packet;
  WebSocketSink sink(stream_);
  ws::MessageAssembler assembler(max_message);
  bool in_message = false;
  auto close_with = [&](uint16_t code, Status why) {
    if (code == kCloseTooBig) {
      why = Status(why.code(), why.message() + "; send less, or raise --max-allowed-packet");
    }
    (void)stream_.Write(ws::EncodeFrame(ws::kClose, ClosePayload(code, why.message())));
    (void)stream_.Flush();
    return why;
  };
  size_t pos = 0;
  while (!killed_.load()) {
    Result<std::optional<ws::Frame>> frame = ws::ReadFrame(in, &pos, max_message);
    if (!frame.ok()) return close_with(CloseCode(frame.status()), frame.status());
    if (!frame->has_value()) {
      in.erase(0, pos);
      pos = 0;
      Status read = ReadMore(in, /*first=*/in.empty() && !in_message);
      if (read.code() == StatusCode::kCancelled) return close_with(kCloseGoingAway, read);
      RETURN_IF_ERROR(read);
      continue;
    }
    ws::Frame& f = **frame;
    switch (f.opcode) {
      case ws::kClose:
        (void)stream_.Write(ws::EncodeFrame(ws::kClose, f.payload.substr(0, 2)));
        (void)stream_.Flush();
        return Status::Ok();
      case ws::kPing:
        RETURN_IF_ERROR(stream_.Write(ws::EncodeFrame(ws::kPong, f.payload)));
        RETURN_IF_ERROR(stream_.Flush());
        continue;
      case ws::kPong:
        continue;
      default:
        break;
    }
    Result<std::optional<std::string>> message = assembler.Add(std::move(f));
    if (!message.ok()) return close_with(CloseCode(message.status()), message.status());
    in_message = !message->has_value();
    if (in_message) continue;
    // The bytes before `pos` are no longer needed; a large upload should not stay twice.
    in.erase(0, pos);
    pos = 0;
    RETURN_IF_ERROR(HandleMessage(**message, sink));
  }
  return Status::Ok();
}

Status DdbConnection::ServeTcp(std::string in) {
  TcpSink sink(stream_);
  auto refuse = [&](const Status& why) {
    // The stream is out of step: say why, then close.
    context_.metrics.statement_errors.fetch_add(1, std::memory_order_relaxed);
    (void)sink.AnswerPiece(ddb::ErrorAnswer(session_->id(), why.message()), /*last=*/true);
    return why;
  };
  while (!killed_.load()) {
    size_t line_end;
    while ((line_end = in.find('\n')) == std::string::npos) {
      if (in.size() > kHeaderLineMax) {
        return refuse(InvalidArgument("a request header line over 4 KiB"));
      }
      Status read = ReadMore(in, /*first=*/in.empty());
      if (read.code() == StatusCode::kCancelled && in.empty()) return Status::Ok();
      RETURN_IF_ERROR(read);
    }
    Result<ddb::RequestHeader> header = ddb::ParseHeaderLine(
        std::string_view(in).substr(0, line_end), context_.options.max_allowed_packet);
    if (!header.ok()) return refuse(header.status());
    size_t command_end = line_end + 1 + header->length;
    while (in.size() < command_end) RETURN_IF_ERROR(ReadMore(in, false));
    Result<ddb::Command> command =
        ddb::ParseCommand(std::string_view(in).substr(line_end + 1, header->length), kArgumentsMax);
    if (!command.ok()) return refuse(command.status());
    ddb::ObjectReader reader;
    std::vector<Value> args;
    size_t pos = command_end;
    while (args.size() < command->object_count) {
      size_t start = pos;
      Result<std::optional<Value>> object = reader.Read(in, &pos);
      if (!object.ok()) return refuse(object.status());
      if (object->has_value()) {
        args.push_back(std::move(**object));
        continue;
      }
      // Cut: read on until the bytes after its start have doubled or the client pauses.
      size_t want = in.size() + std::max<size_t>(in.size() - start, 64 << 10);
      do {
        if (in.size() - command_end > context_.options.max_allowed_packet) {
          return refuse(FailedPrecondition("the request is larger than --max-allowed-packet (" +
                                           std::to_string(context_.options.max_allowed_packet) +
                                           " bytes)"));
        }
        RETURN_IF_ERROR(ReadMore(in, false));
      } while (in.size() < want && stream_.WaitReadable(kArgumentPauseMs));
    }
    Status ran = Run(*header, *command, std::move(args), sink);
    in.erase(0, pos);
    RETURN_IF_ERROR(ran);
  }
  return Status::Ok();
}

}  // namespace strata
