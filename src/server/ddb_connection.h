// DdbConnection: one client of `strata serve`'s DolphinDB port (DESIGN §11;
// ../shared/notes/dolphindb-api-protocol.md §2). The first bytes tell the transport: "GET " is
// an HTTP request, answered with the WebSocket upgrade (the JavaScript API and the web tools)
// or with 400; "API " / "API2" is the plain-TCP protocol of the C++, Java and Python APIs.
// Either way the connection reads one request at a time — the header line, the command and
// its argument objects — hands it to its DdbSession, and writes the reply: over WebSocket each
// MSG block and the answer is its own binary message; over TCP they follow each other on the
// stream. A malformed request is answered with an error text; over WebSocket the connection
// goes on (the message ends where its frame says), over TCP it closes (the stream is out of
// step). Limits: the request size (--max-allowed-packet), the idle timeout between requests,
// the read timeout inside one.
#pragma once

#include <memory>
#include <string>

#include "server/ddb_request.h"
#include "server/ddb_session.h"
#include "server/served_connection.h"
#include "server/server_context.h"
#include "server/socket_stream.h"

namespace strata {

class DdbConnection : public ServedConnection {
 public:
  // `fd` is a connected socket the connection owns (closed by the destructor).
  DdbConnection(ServerContext& context, int fd, uint32_t id, std::string peer);
  ~DdbConnection() override;

  void Serve() override;

 private:
  class WebSocketSink;
  class TcpSink;

  // After "GET ": the rest of the HTTP head, then the upgrade and the messages.
  Status ServeWebSocket(std::string in);
  // After "API": requests one after another on the stream.
  Status ServeTcp(std::string in);
  // One request whose bytes are all in `request` (a WebSocket message): parsed and handled.
  // A malformed one is answered with an error text; the Status is the transport's.
  Status HandleMessage(std::string_view request, DdbReplySink& sink);
  // Handles a parsed request: the session runs it; the counters and the log see it.
  Status Run(const ddb::RequestHeader& header, const ddb::Command& command, std::vector<Value> args,
             DdbReplySink& sink);
  // Reads more of the stream onto `in`: the first read of a request waits the idle timeout and
  // ends at the server's stop, later ones the read timeout. Refuses a request grown past the
  // limit.
  Status ReadMore(std::string& in, bool first);
  void Log(const std::string& text) const;

  ServerContext& context_;
  SocketStream stream_;
  std::unique_ptr<DdbSession> session_;
};

}  // namespace strata
