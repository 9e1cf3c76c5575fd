#include "server/ddb_session.h"

#include <cstring>
#include <iomanip>
#include <sstream>

#include "base/crypto.h"
#include "base/utc_time.h"
#include "server/ddb_codec.h"
#include "types/format.h"

namespace strata {

namespace {

constexpr int64_t kProgressEveryMs = 1000;
// Answers of this many cells and more go out in pieces of kPieceBytes.
constexpr size_t kPiecesFromCells = 1 << 16;
constexpr size_t kPieceBytes = 1 << 20;

// A random positive decimal number below 2^62: the session id the clients send back.
std::string NewSessionId() {
  uint64_t random = static_cast<uint64_t>(NowMs());
  if (Result<std::string> bytes = RandomBytes(sizeof random); bytes.ok()) {
    std::memcpy(&random, bytes->data(), sizeof random);
  }
  return std::to_string((random >> 2) | 1);
}

std::string MiB(int64_t bytes) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1 << 20) << " MiB";
  return text.str();
}

std::string ProgressLine(const std::string& title, const TaskProgress& p) {
  std::string line = title + ": " + std::to_string(p.done_units) + " of " +
                     std::to_string(p.total_units) + " partitions";
  if (p.total_bytes > 0) {
    line += ", " + MiB(p.done_bytes) + " of " + MiB(p.total_bytes);
  }
  return line;
}

}  // namespace

// The progress of a long call (a backup, a restore) as MSG lines: one when it starts, then at
// most one a second.
class DdbSession::Progress : public ProgressObserver {
 public:
  explicit Progress(DdbSession& session) : session_(session) {}
  void Start(const std::string& title) override {
    title_ = title;
    said_ms_ = NowMs();
    session_.Say(title + ": started");
  }
  void Update(const TaskProgress& progress) override {
    int64_t now = NowMs();
    if (now - said_ms_ < kProgressEveryMs) return;
    said_ms_ = now;
    session_.Say(ProgressLine(title_, progress));
  }
  void Finish() override {}

 private:
  DdbSession& session_;
  std::string title_;
  int64_t said_ms_ = 0;
};

DdbSession::DdbSession(Instance& instance, const std::atomic<bool>* interrupt)
    : session_(instance),
      progress_(std::make_unique<Progress>(*this)),
      interpreter_(session_, [this](const Value& value) { Say(FormatValueText(value)); }),
      id_(NewSessionId()) {
  session_.set_interrupt_flag(interrupt);
  session_.set_progress(progress_.get());
  session_.set_warning_sink([this](const std::string& text) { Say("warning: " + text); });
}

DdbSession::~DdbSession() = default;

void DdbSession::Say(const std::string& text) {
  std::lock_guard lock(sink_mutex_);
  if (messages_ == nullptr || !message_status_.ok()) return;
  message_status_ = messages_->Message(ddb::MessageBlock(text));
}

Status DdbSession::Handle(const ddb::RequestHeader& header, const ddb::Command& command,
                          std::vector<Value> args, DdbReplySink& sink) {
  using ddb::CommandKind;
  const bool answered = !header.asynchronous() || command.kind == CommandKind::kConnect;
  {
    std::lock_guard lock(sink_mutex_);
    messages_ = (answered && header.api2) ? &sink : nullptr;
    message_status_ = Status::Ok();
  }
  Result<Value> outcome = Value();
  switch (command.kind) {
    case CommandKind::kConnect:
      if (command.user) {
        outcome = interpreter_.CallFunction("login",
                                            {Value(Scalar::String(Type::kString, *command.user)),
                                             Value(Scalar::String(Type::kString, command.password)),
                                             Value(Scalar::Bool(command.encrypted))});
        // A login answers BOOL true, which the C++ and Python clients read.
        if (outcome.ok()) outcome = Value(Scalar::Bool(true));
      }
      break;
    case CommandKind::kScript:
      outcome = interpreter_.Answer(command.script);
      break;
    case CommandKind::kFunction:
      outcome = interpreter_.CallFunction(command.function, std::move(args));
      break;
    case CommandKind::kVariable:
      for (size_t i = 0; i < args.size() && i < command.names.size(); ++i) {
        interpreter_.SetVariable(command.names[i], std::move(args[i]));
      }
      break;
  }
  Status said;
  {
    std::lock_guard lock(sink_mutex_);
    messages_ = nullptr;
    said = message_status_;
  }
  last_failed_ = !outcome.ok();
  RETURN_IF_ERROR(said);
  if (!answered) return Status::Ok();
  if (!outcome.ok()) return SendError(outcome.status(), sink);
  return SendValue(*outcome, header.fetch_size, sink);
}

Status DdbSession::SendValue(const Value& value, int64_t fetch_size, DdbReplySink& sink) {
  if (value.is_void()) return sink.AnswerPiece(ddb::OkAnswer(id_, 0), /*last=*/true);
  auto encode = [&](std::string& out, const ddb::Pieces& pieces) {
    if (fetch_size > 0 && value.is_table()) {
      return ddb::EncodeTableBlocks(*value.table(), static_cast<size_t>(fetch_size), out, pieces);
    }
    return pieces.send ? ddb::EncodeObject(value, out, pieces) : ddb::EncodeObject(value, out);
  };
  std::string out = ddb::OkAnswer(id_, 1);
  const size_t cells =
      value.is_table() ? value.table()->rows() * value.table()->column_count() : value.size();
  if (cells < kPiecesFromCells) {
    if (Status encoded = encode(out, {}); !encoded.ok()) return SendError(encoded, sink);
    return sink.AnswerPiece(out, /*last=*/true);
  }
  // A large value: first a run that keeps nothing, so that an answer that starts also ends
  // well; then the answer a piece at a time, the value's copy never whole in memory.
  std::string scratch;
  ddb::Pieces check{kPieceBytes, [](std::string& piece) {
                      piece.clear();
                      return Status::Ok();
                    }};
  if (Status sendable = encode(scratch, check); !sendable.ok()) return SendError(sendable, sink);
  ddb::Pieces send{kPieceBytes, [&sink](std::string& piece) {
                     Status sent = sink.AnswerPiece(piece, /*last=*/false);
                     piece.clear();
                     return sent;
                   }};
  RETURN_IF_ERROR(encode(out, send));
  return sink.AnswerPiece(out, /*last=*/true);
}

Status DdbSession::SendError(const Status& status, DdbReplySink& sink) {
  return sink.AnswerPiece(ddb::ErrorAnswer(id_, status.message()), /*last=*/true);
}

}  // namespace strata
