#include "server/connection.h"

#include <openssl/rand.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/utc_time.h"
#include "server/error_mapping.h"
#include "server/result_encoding.h"
#include "server/wire.h"
#include "sql/ast.h"

namespace strata {

namespace {

constexpr uint32_t kServerCapabilities =
    mysql_caps::kLongPassword | mysql_caps::kFoundRows | mysql_caps::kLongFlag |
    mysql_caps::kConnectWithDb | mysql_caps::kProtocol41 | mysql_caps::kTransactions |
    mysql_caps::kSecureConnection | mysql_caps::kMultiStatements | mysql_caps::kMultiResults |
    mysql_caps::kPsMultiResults | mysql_caps::kPluginAuth | mysql_caps::kConnectAttrs |
    mysql_caps::kPluginAuthLenencData;

// 20 random printable bytes (never NUL: the handshake carries them NUL-terminated).
Result<std::string> NewScramble() {
  std::string scramble(kScrambleBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(scramble.data()),
                 static_cast<int>(scramble.size())) != 1) {
    return Internal("the system's random source failed; no login can be checked safely");
  }
  for (char& c : scramble) c = static_cast<char>(0x21 + static_cast<uint8_t>(c) % 94);
  return scramble;
}

}  // namespace

Connection::Connection(ServerContext& context, int fd, uint32_t id, std::string peer)
    : ServedConnection(fd, id, std::move(peer)),
      context_(context),
      channel_(fd, context.stop_fd, context.options.max_allowed_packet),
      session_(std::make_unique<Session>(context.instance)),
      sql_(std::make_unique<SqlSession>(*session_)) {
  channel_.set_write_timeout_ms(context.options.write_timeout_s * 1000);
  session_->set_warning_sink([](const std::string&) {});  // warnings travel in the protocol
  session_->set_interrupt_flag(&interrupt_);
  sql_->set_stream_results(true);  // a SELECT's rows go out as they are read
}

Connection::~Connection() {
  sql_.reset();
  session_.reset();
}

void Connection::Serve() {
  Status login = Login();
  Flush();  // the OK, or the error that says why not
  if (!login.ok()) {
    context_.log.Write("connection " + std::to_string(id_) + " from " + peer_ +
                       " refused: " + login.message());
    return;
  }
  channel_.set_read_ahead(true);
  context_.log.Write("connection " + std::to_string(id_) + " from " + peer_ + " logged in as " +
                     session_->user() +
                     (channel_.tls() ? " over TLS (" + channel_.cipher() + ")" : ""));
  while (!broken_ && !killed_.load()) {
    channel_.ResetSequence();
    Result<std::string> packet = channel_.Read(context_.options.idle_timeout_s * 1000,
                                               context_.options.read_timeout_s * 1000);
    if (!packet.ok()) {
      const Status& why = packet.status();
      if (why.code() != StatusCode::kIoError || !killed_.load()) {
        context_.log.Write("connection " + std::to_string(id_) + " closed: " + why.message());
      }
      // Say why before closing, when the client can still read it.
      if (why.code() == StatusCode::kFailedPrecondition) {
        bool too_big = why.message().rfind("Got a packet bigger", 0) == 0;
        SendError(too_big ? kPacketTooLarge.code : uint16_t{1105}, "08S01", why.message());
        Flush();
        DrainInput();
      } else if (why.code() == StatusCode::kCancelled) {
        SendError(kServerShutdown.code, kServerShutdown.sqlstate,
                  "the server is shutting down; reconnect when it is back");
        Flush();
      }
      break;
    }
    interrupt_.store(false);
    running_.store(true);
    bool go_on = Dispatch(*packet);
    running_.store(false);
    interrupt_.store(false);
    if (!go_on) break;
  }
  if (killed_.load()) context_.log.Write("connection " + std::to_string(id_) + " killed");
}

void Connection::DrainInput() {
  constexpr int64_t kDrainMs = 2000;
  constexpr size_t kDrainBytesMax = size_t{64} << 20;
  shutdown(fd_, SHUT_WR);
  int64_t deadline = NowMs() + kDrainMs;
  size_t drained = 0;
  char buffer[64 << 10];
  while (drained < kDrainBytesMax) {
    int64_t left = deadline - NowMs();
    pollfd fd = {fd_, POLLIN, 0};
    if (left <= 0 || poll(&fd, 1, static_cast<int>(left)) <= 0) return;
    ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return;
    drained += static_cast<size_t>(got);
  }
}

Status Connection::Login() {
  HandshakeV10 hello;
  hello.server_version = context_.options.version;
  hello.connection_id = id_;
  ASSIGN_OR_RETURN(hello.scramble, NewScramble());
  hello.capabilities = kServerCapabilities | (context_.tls ? mysql_caps::kSsl : 0);
  RETURN_IF_ERROR(channel_.Write(BuildHandshake(hello)));
  RETURN_IF_ERROR(channel_.Flush());
  int timeout_ms = context_.options.read_timeout_s * 1000;
  ASSIGN_OR_RETURN(std::string payload, channel_.Read(timeout_ms, timeout_ms));
  Result<HandshakeResponse> response = ParseHandshakeResponse(payload);
  if (!response.ok()) {
    SendError(kAccessDenied.code, "08S01", "bad handshake: " + response.status().message());
    return response.status();
  }
  if (response->ssl_request) {
    if (context_.tls == nullptr) {
      Status no_tls = FailedPrecondition(
          "this server was started without --tls-cert; connect "
          "without TLS (mysql --ssl=0) or restart it with TLS");
      SendError(1105, "08S01", no_tls.message());
      return no_tls;
    }
    RETURN_IF_ERROR(channel_.StartTls(context_.tls, timeout_ms));
    ASSIGN_OR_RETURN(payload, channel_.Read(timeout_ms, timeout_ms));
    response = ParseHandshakeResponse(payload);
    if (!response.ok() || response->ssl_request) {
      SendError(kAccessDenied.code, "08S01", "bad handshake after TLS started");
      return InvalidArgument("bad handshake after TLS started");
    }
  } else if (context_.options.require_secure_transport) {
    Status insecure = PermissionDenied(
        "Connections using insecure transport are prohibited while "
        "--require-secure-transport is on; connect with TLS (mysql --ssl, ssl= in drivers)");
    SendError(3159, "HY000", insecure.message());
    return insecure;
  }
  client_capabilities_ = response->capabilities;
  std::string answer = response->auth_response;
  if (!response->plugin.empty() && response->plugin != kNativePasswordPlugin) {
    // The client answered for another plugin (caching_sha2_password, ...): ask again.
    RETURN_IF_ERROR(channel_.Write(BuildAuthSwitch(kNativePasswordPlugin, hello.scramble)));
    RETURN_IF_ERROR(channel_.Flush());
    ASSIGN_OR_RETURN(answer, channel_.Read(timeout_ms, timeout_ms));
  }
  Status status = session_->LoginNative(response->user, hello.scramble, answer);
  if (!status.ok()) {
    context_.metrics.login_failures.fetch_add(1, std::memory_order_relaxed);
    // MySQL's words, so tools that match them work: "Access denied for user 'u'@'host'".
    std::string host = peer_.substr(0, peer_.rfind(':'));
    SendError(kAccessDenied.code, kAccessDenied.sqlstate,
              "Access denied for user '" + response->user + "'@'" + host + "' (using password: " +
                  (answer.empty() ? "NO" : "YES") + "): " + status.message());
    return status;
  }
  set_user(session_->user());
  SqlServerInfo info;
  info.connection_id = id_;
  info.version = context_.options.version;
  info.client_host = peer_.substr(0, peer_.rfind(':'));
  info.max_allowed_packet = static_cast<int64_t>(context_.options.max_allowed_packet);
  info.kill = [this](uint64_t id, bool query_only) {
    Result<bool> superuser = session_->IsSuperuser();
    return context_.kill(session_->user(), superuser.ok() && *superuser, id, query_only);
  };
  sql_->set_server_info(std::move(info));
  if (response->database) {
    Result<SqlOutcome> use = sql_->ExecuteStatement(Statement(SqlUse{{}, *response->database}));
    if (!use.ok()) {
      SendError(use.status());
      return use.status();
    }
  }
  SendOk();
  return Status::Ok();
}

bool Connection::Dispatch(const std::string& packet) {
  if (packet.empty()) {
    SendError(kUnknownCommand.code, kUnknownCommand.sqlstate, "empty command packet");
    Flush();
    return !broken_;
  }
  auto command = static_cast<MySqlCommand>(static_cast<uint8_t>(packet[0]));
  std::string_view body = std::string_view(packet).substr(1);
  switch (command) {
    case MySqlCommand::kQuit:
      return false;
    case MySqlCommand::kQuery:
      RunQuery(body);
      break;
    case MySqlCommand::kInitDb:
      InitDb(body);
      break;
    case MySqlCommand::kPing:
      SendOk();
      break;
    case MySqlCommand::kFieldList:
      FieldList(body);
      break;
    case MySqlCommand::kStmtPrepare:
      StmtPrepare(body);
      break;
    case MySqlCommand::kStmtExecute:
      StmtExecute(body);
      break;
    case MySqlCommand::kStmtSendLongData:
      StmtSendLongData(body);
      return !broken_;  // no answer
    case MySqlCommand::kStmtClose:
      if (body.size() >= 4) prepared_.erase(static_cast<uint32_t>(WireReader(body).Int4()));
      return !broken_;  // no answer
    case MySqlCommand::kStmtReset:
      StmtReset(body);
      break;
    case MySqlCommand::kStatistics:
      Statistics();
      break;
    case MySqlCommand::kSetOption:
      // Multi-statements on or off: this server takes several statements either way.
      if (!channel_.Write(BuildEof(0, Status16(false))).ok()) broken_ = true;
      break;
    case MySqlCommand::kProcessKill: {
      WireReader r(body);
      uint64_t target = r.Int4();
      Result<bool> superuser = session_->IsSuperuser();
      Status killed =
          r.ok() ? context_.kill(session_->user(), superuser.ok() && *superuser, target, false)
                 : InvalidArgument("COM_PROCESS_KILL needs a connection id");
      if (killed.ok()) {
        SendOk();
      } else {
        SendError(killed);
      }
      break;
    }
    default:
      SendError(kUnknownCommand.code, kUnknownCommand.sqlstate,
                "command " + std::to_string(static_cast<int>(command)) +
                    " is not supported by this server");
      break;
  }
  Flush();
  return !broken_;
}

void Connection::RunQuery(std::string_view text) {
  context_.metrics.statements_total.fetch_add(1, std::memory_order_relaxed);
  bool any = false;
  bool answered = false;  // the error that stopped the query has gone to the client
  Status status = sql_->Execute(text, [&](SqlOutcome outcome, bool last) {
    // Each result goes out as soon as its statement is done, flagged "more follow" unless it
    // is the last; a failure while sending it stops the statements after it.
    any = true;
    Status sent = SendOutcome(outcome, /*more=*/!last, /*binary=*/false);
    answered = !sent.ok();
    return sent;
  });
  if (!status.ok()) {
    if (!answered) SendError(status);
  } else if (!any) {  // no statement at all
    SendError(kEmptyQuery.code, kEmptyQuery.sqlstate, "Query was empty");
  }
}

void Connection::InitDb(std::string_view db) {
  Result<SqlOutcome> use = sql_->ExecuteStatement(Statement(SqlUse{{}, std::string(db)}));
  if (use.ok()) {
    SendOk();
  } else {
    SendError(use.status());
  }
}

void Connection::Statistics() {
  int64_t uptime_s = (NowMs() - context_.metrics.started_ms.load()) / 1000;
  uint64_t questions = context_.metrics.statements_total.load();
  std::string text = "Uptime: " + std::to_string(uptime_s) +
                     "  Threads: " + std::to_string(context_.metrics.connections_open.load()) +
                     "  Questions: " + std::to_string(questions) +
                     "  Slow queries: 0  Opens: 0  Flush tables: 0  Open tables: 0  "
                     "Queries per second avg: " +
                     std::to_string(uptime_s > 0 ? static_cast<double>(questions) / uptime_s : 0.0);
  if (!channel_.Write(text).ok()) broken_ = true;
}

uint16_t Connection::Status16(bool more) const {
  return more ? mysql_status::kMoreResultsExist : 0;
}

Status Connection::SendOutcome(const SqlOutcome& outcome, bool more, bool binary) {
  auto warnings = static_cast<uint16_t>(std::min<size_t>(outcome.warnings.size(), 0xffff));
  if (!outcome.result) {
    Status written =
        channel_.Write(BuildOk(outcome.affected_rows.value_or(0), Status16(more), warnings));
    if (!written.ok()) broken_ = true;
    return written;
  }
  const SqlResultSet& result = *outcome.result;
  WireWriter count;
  count.LenencInt(result.columns.size());
  Status written = channel_.Write(count.data());
  std::vector<ColumnSpec> specs;
  for (size_t i = 0; i < result.columns.size() && written.ok(); ++i) {
    specs.push_back(ColumnSpecFor(result.columns[i], result.types[i]));
    written = channel_.Write(BuildColumnDefinition(specs.back()));
  }
  if (written.ok()) written = channel_.Write(BuildEof(0, Status16(more)));
  if (written.ok()) written = SendRows(result, specs, binary);
  SqlResultSet batch;
  while (written.ok() && result.more_rows) {
    Result<TablePtr> next = result.more_rows();
    if (!next.ok()) {
      sql_->NoteStreamError(next.status());  // for SHOW ERRORS
      SendError(next.status());              // ends the result set; the client reads no more of it
      return next.status();
    }
    if (*next == nullptr) break;
    batch.table = std::move(*next);
    written = SendRows(batch, specs, binary);
  }
  if (written.ok()) written = channel_.Write(BuildEof(warnings, Status16(more)));
  if (!written.ok()) broken_ = true;
  return written;
}

Status Connection::SendRows(const SqlResultSet& rows, const std::vector<ColumnSpec>& specs,
                            bool binary) {
  std::string row;
  std::vector<TextCell> cells;
  std::vector<SqlCell> row_cells(specs.size());
  for (size_t r = 0; r < rows.row_count(); ++r) {
    for (size_t c = 0; c < specs.size(); ++c) row_cells[c] = rows.cell(r, c);
    if (binary) {
      BuildBinaryRow(specs, row_cells, &row);
    } else {
      cells.clear();
      for (const SqlCell& cell : row_cells) cells.push_back(TextOfCell(cell));
      BuildTextRow(cells, &row);
    }
    RETURN_IF_ERROR(channel_.Write(row));
  }
  return Status::Ok();
}

void Connection::SendError(const Status& status) {
  context_.metrics.statement_errors.fetch_add(1, std::memory_order_relaxed);
  MySqlError error = MySqlErrorFor(status);
  std::string message = SqlErrorText(status);
  context_.log.Write("connection " + std::to_string(id_) + " (" + session_->user() + ") error " +
                     std::to_string(error.code) + ": " + message);
  SendError(error.code, error.sqlstate, message);
}

void Connection::SendError(uint16_t code, const char* sqlstate, const std::string& message) {
  if (!channel_.Write(BuildErr(code, sqlstate, message)).ok()) broken_ = true;
}

void Connection::SendOk(uint64_t affected_rows, uint16_t warnings) {
  if (!channel_.Write(BuildOk(affected_rows, Status16(false), warnings)).ok()) broken_ = true;
}

void Connection::Flush() {
  if (!channel_.Flush().ok()) broken_ = true;
}

}  // namespace strata
