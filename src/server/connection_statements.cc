// Connection: COM_FIELD_LIST and the prepared-statement commands (COM_STMT_*). A prepared
// statement is parsed once for its placeholders (SqlPrepared); each execute binds the
// client's typed values into it as literals and runs it like a query, answering with binary
// rows.
#include "server/connection.h"
#include "server/error_mapping.h"
#include "server/result_encoding.h"
#include "server/wire.h"

namespace strata {

namespace {

// Statements one connection may keep prepared (MySQL's max_prepared_stmt_count is per server).
constexpr size_t kPreparedCountMax = 1024;

}  // namespace

void Connection::FieldList(std::string_view payload) {
  WireReader r(payload);
  std::string table(r.NulString());
  if (!r.ok()) table = std::string(payload);
  Result<SqlResultSet> columns = sql_->TableColumns(table);
  if (!columns.ok()) {
    SendError(columns.status());
    return;
  }
  for (size_t i = 0; i < columns->columns.size(); ++i) {
    ColumnSpec spec = ColumnSpecFor(columns->columns[i], columns->types[i]);
    spec.table = spec.org_table = table;
    if (!channel_.Write(BuildColumnDefinition(spec)).ok()) broken_ = true;
  }
  if (!channel_.Write(BuildEof(0, Status16(false))).ok()) broken_ = true;
}

void Connection::StmtPrepare(std::string_view text) {
  if (prepared_.size() >= kPreparedCountMax) {
    SendError(1461, "42000",
              "Can't create more than " + std::to_string(kPreparedCountMax) +
                  " prepared statements on one connection; close some (COM_STMT_CLOSE)");
    return;
  }
  Result<SqlPrepared> parsed = SqlPrepared::Parse(text);
  if (!parsed.ok()) {
    SendError(parsed.status());
    return;
  }
  size_t parameters = parsed->parameter_count();
  if (parameters > 0xffff) {
    SendError(1390, "HY000", "a prepared statement takes at most 65535 placeholders");
    return;
  }
  uint32_t id = next_statement_id_++;
  auto prepared = std::make_unique<Prepared>(Prepared{std::move(*parsed), {}, {}});
  prepared->long_data.resize(parameters);
  prepared_[id] = std::move(prepared);
  if (!channel_.Write(BuildPrepareOk(id, 0, static_cast<uint16_t>(parameters))).ok()) {
    broken_ = true;
  }
  if (parameters == 0) return;
  ColumnSpec placeholder;
  placeholder.name = "?";
  placeholder.charset = kCharsetBinary;
  for (size_t i = 0; i < parameters; ++i) {
    if (!channel_.Write(BuildColumnDefinition(placeholder)).ok()) broken_ = true;
  }
  if (!channel_.Write(BuildEof(0, Status16(false))).ok()) broken_ = true;
}

Connection::Prepared* Connection::FindPrepared(std::string_view payload, const char* command) {
  WireReader r(payload);
  uint32_t id = static_cast<uint32_t>(r.Int4());
  auto it = r.ok() ? prepared_.find(id) : prepared_.end();
  if (it == prepared_.end()) {
    SendError(kUnknownStatement.code, kUnknownStatement.sqlstate,
              std::string("Unknown prepared statement handler (") + std::to_string(id) +
                  ") given to " + command + "; prepare it first");
    return nullptr;
  }
  return it->second.get();
}

void Connection::StmtExecute(std::string_view payload) {
  context_.metrics.statements_total.fetch_add(1, std::memory_order_relaxed);
  Prepared* prepared = FindPrepared(payload, "mysqld_stmt_execute");
  if (prepared == nullptr) return;
  Result<ExecuteRequest> request = ParseExecute(payload, prepared->statement.parameter_count(),
                                                &prepared->types, prepared->long_data);
  for (auto& data : prepared->long_data) data.reset();
  if (!request.ok()) {
    SendError(kWrongArguments.code, kWrongArguments.sqlstate,
              "Incorrect arguments to mysqld_stmt_execute: " + request.status().message());
    return;
  }
  std::vector<SqlCell> cells;
  for (const StatementParameter& parameter : request->parameters) {
    Result<SqlCell> cell = CellOfParameter(parameter);
    if (!cell.ok()) {
      SendError(cell.status());
      return;
    }
    cells.push_back(std::move(*cell));
  }
  Result<std::string> text = prepared->statement.Bind(cells);
  if (!text.ok()) {
    SendError(text.status());
    return;
  }
  std::optional<SqlOutcome> result;
  Status status = sql_->Execute(*text, [&](SqlOutcome outcome, bool) {
    result = std::move(outcome);
    return Status::Ok();
  });
  if (!status.ok()) {
    SendError(status);
  } else if (result) {
    (void)SendOutcome(*result, /*more=*/false, /*binary=*/true);  // sends its own error
  } else {
    SendOk();
  }
}

void Connection::StmtSendLongData(std::string_view payload) {
  WireReader r(payload);
  uint32_t id = static_cast<uint32_t>(r.Int4());
  uint64_t parameter = r.Int2();
  std::string_view data = r.Rest();
  auto it = r.ok() ? prepared_.find(id) : prepared_.end();
  // No answer is sent for this command; a bad one shows at the next execute.
  if (it == prepared_.end() || parameter >= it->second->long_data.size()) return;
  auto& slot = it->second->long_data[parameter];
  if (!slot) slot.emplace();
  if (slot->size() + data.size() > channel_.max_packet_bytes()) {
    slot.reset();
    return;
  }
  slot->append(data);
}

void Connection::StmtReset(std::string_view payload) {
  Prepared* prepared = FindPrepared(payload, "mysqld_stmt_reset");
  if (prepared == nullptr) return;
  for (auto& data : prepared->long_data) data.reset();
  SendOk();
}

}  // namespace strata
