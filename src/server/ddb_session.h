// DdbSession: one DolphinDB API client's session on `strata serve` (DESIGN §11): a service
// Session and a script Interpreter that live as long as the connection, and the mapping of the
// protocol's requests onto them (../shared/notes/dolphindb-api-protocol.md §3–§5). `connect`
// logs in, `script` runs a script whose last statement's value is the answer, `function` calls
// a function with uploaded arguments, `variable` binds uploaded objects. `print` output,
// warnings and the progress of long calls go out as MSG blocks before the answer (API2
// requests). Knows nothing of sockets or framing: the connection hands it parsed requests and
// a sink for the reply. Thread-compatible: one request at a time.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "lang/interpreter.h"
#include "server/ddb_request.h"
#include "service/session.h"

namespace strata {

// Where a request's reply goes: MSG blocks as they happen, then the answer.
class DdbReplySink {
 public:
  virtual ~DdbReplySink() = default;
  // One "MSG\n<text>\0" block (ddb::MessageBlock), to be sent at once. May be called from a
  // worker thread of the running call (progress); calls are serialized.
  virtual Status Message(std::string block) = 0;
  // The answer, in one or more pieces: its text lines, then the object's bytes (none for no
  // object); `last` on the final piece. Nothing else comes between the pieces.
  virtual Status AnswerPiece(std::string_view bytes, bool last) = 0;
};

class DdbSession {
 public:
  // `interrupt`, set by another thread, stops the running call between bounded steps; it must
  // outlive the session.
  DdbSession(Instance& instance, const std::atomic<bool>* interrupt);
  ~DdbSession();
  DdbSession(const DdbSession&) = delete;
  DdbSession& operator=(const DdbSession&) = delete;

  // The session id the answers carry (a random positive number).
  const std::string& id() const { return id_; }
  // The logged-in user ("" for a guest).
  const std::string& user() const { return session_.user(); }

  // Whether the last request was answered with an error.
  bool last_failed() const { return last_failed_; }

  // Handles one request. Its reply goes to `sink`, except for an asynchronous request (flag 4),
  // which gets none unless it is a connect. An error in the request is answered as an error
  // text; the returned Status is the sink's (the client is gone).
  Status Handle(const ddb::RequestHeader& header, const ddb::Command& command,
                std::vector<Value> args, DdbReplySink& sink);

 private:
  class Progress;
  // The answer for `value`: no object for VOID, else the object (a table in blocks of
  // `fetch_size` rows when that is > 0); an error text when it cannot be sent. A large value
  // goes out in pieces as it is encoded, after a run that only checks it.
  Status SendValue(const Value& value, int64_t fetch_size, DdbReplySink& sink);
  Status SendError(const Status& status, DdbReplySink& sink);
  // A MSG block for the client of the running request, when it reads them.
  void Say(const std::string& text);

  Session session_;
  std::unique_ptr<Progress> progress_;
  Interpreter interpreter_;
  std::string id_;
  std::mutex sink_mutex_;
  DdbReplySink* messages_ = nullptr;  // the running request's sink, when it takes MSG blocks
  Status message_status_;             // the first failure to send a block (sink_mutex_)
  bool last_failed_ = false;
};

}  // namespace strata
