// Connection: one MySQL client of `strata serve` (DESIGN §11). It greets the client (handshake
// v10), checks its mysql_native_password answer (switching a client that offers another plugin
// over to it), then reads commands until the client quits, the connection breaks, times out or
// is killed, or the server stops: COM_QUERY (several statements in one), COM_INIT_DB, COM_PING,
// COM_FIELD_LIST, COM_STATISTICS, COM_PROCESS_KILL, COM_SET_OPTION, COM_STMT_PREPARE/EXECUTE/
// SEND_LONG_DATA/RESET/CLOSE (binary rows) and COM_QUIT; other commands get ERR 1047.
// Statements go to its own SqlSession on a service Session; the connection holds no SQL or backup
// logic. A statement runs to its end even if the client goes away, so nothing is left half-done.
// Serve() runs on the connection's own thread; Kill() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/packet_channel.h"
#include "server/protocol.h"
#include "server/served_connection.h"
#include "server/server_context.h"
#include "service/session.h"
#include "sql/prepared.h"
#include "sql/sql_session.h"

namespace strata {

class Connection : public ServedConnection {
 public:
  // `fd` is a connected socket the connection owns (closed by the destructor).
  Connection(ServerContext& context, int fd, uint32_t id, std::string peer);
  ~Connection() override;

  void Serve() override;

 private:
  // A prepared statement: its text with placeholders, the parameter types the client bound
  // last, and values sent with COM_STMT_SEND_LONG_DATA for the next execute.
  struct Prepared {
    SqlPrepared statement;
    std::vector<std::pair<MySqlType, bool>> types;
    std::vector<std::optional<std::string>> long_data;
  };

  // Greets and authenticates; on failure the client has been told why.
  Status Login();
  // Handles one command; false when the connection should close.
  bool Dispatch(const std::string& packet);
  void RunQuery(std::string_view text);
  void InitDb(std::string_view db);
  void FieldList(std::string_view payload);
  void Statistics();
  void StmtPrepare(std::string_view text);
  void StmtExecute(std::string_view payload);
  void StmtSendLongData(std::string_view payload);
  void StmtReset(std::string_view payload);
  // The prepared statement a COM_STMT_* payload names, or null after an ERR saying so.
  Prepared* FindPrepared(std::string_view payload, const char* command);

  // Sends one statement's outcome: an OK, or a result set (text or binary rows), reading a
  // streamed SELECT's rows batch by batch as it writes them. `more`: more results of the same
  // query follow. An error when the outcome did not all go: the connection broke (broken_), or
  // the rows could not be read and an ERR packet ended the result set in place of its EOF.
  Status SendOutcome(const SqlOutcome& outcome, bool more, bool binary);
  // The rows of one batch of a result set.
  Status SendRows(const SqlResultSet& rows, const std::vector<ColumnSpec>& specs, bool binary);
  void SendError(const Status& status);
  void SendError(uint16_t code, const char* sqlstate, const std::string& message);
  void SendOk(uint64_t affected_rows = 0, uint16_t warnings = 0);
  uint16_t Status16(bool more) const;
  // Writes what is queued; a client gone is noted and ends the command loop.
  void Flush();
  // Before closing on a packet that is too big: reads and drops what the client still sends
  // (at most 64 MiB, for at most 2 s), so it finishes sending and reads the error instead of
  // meeting a reset connection.
  void DrainInput();

  ServerContext& context_;
  PacketChannel channel_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<SqlSession> sql_;
  uint32_t client_capabilities_ = 0;
  std::map<uint32_t, std::unique_ptr<Prepared>> prepared_;
  uint32_t next_statement_id_ = 1;
  bool broken_ = false;  // the client is gone or the stream is out of step: close
};

}  // namespace strata
