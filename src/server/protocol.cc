#include "server/protocol.h"

#include <cstring>

#include "server/wire.h"

namespace strata {

std::string BuildHandshake(const HandshakeV10& h) {
  WireWriter w;
  w.Int1(10).NulString(h.server_version).Int4(h.connection_id);
  w.Bytes(std::string_view(h.scramble).substr(0, 8)).Int1(0);
  w.Int2(h.capabilities & 0xffff).Int1(kCharsetUtf8GeneralCi).Int2(h.status);
  w.Int2(h.capabilities >> 16).Int1(h.scramble.size() + 1).Zeros(10);
  w.Bytes(std::string_view(h.scramble).substr(8)).Int1(0);
  w.NulString(kNativePasswordPlugin);
  return w.Take();
}

Result<HandshakeResponse> ParseHandshakeResponse(std::string_view payload) {
  WireReader r(payload);
  HandshakeResponse out;
  out.capabilities = static_cast<uint32_t>(r.Int4());
  if (!r.ok() || (out.capabilities & mysql_caps::kProtocol41) == 0) {
    return InvalidArgument("the client does not speak protocol 4.1 (CLIENT_PROTOCOL_41)");
  }
  out.max_packet = static_cast<uint32_t>(r.Int4());
  out.charset = static_cast<uint8_t>(r.Int1());
  r.Bytes(23);
  if (!r.ok()) return InvalidArgument("the handshake response is shorter than 32 bytes");
  if (r.at_end() && (out.capabilities & mysql_caps::kSsl) != 0) {
    out.ssl_request = true;
    return out;
  }
  out.user = std::string(r.NulString());
  if (out.capabilities & mysql_caps::kPluginAuthLenencData) {
    out.auth_response = std::string(r.LenencString());
  } else if (out.capabilities & mysql_caps::kSecureConnection) {
    out.auth_response = std::string(r.Bytes(r.Int1()));
  } else {
    out.auth_response = std::string(r.NulString());
  }
  if ((out.capabilities & mysql_caps::kConnectWithDb) != 0 && r.ok() && !r.at_end()) {
    std::string db(r.NulString());
    if (!db.empty()) out.database = std::move(db);
  }
  if ((out.capabilities & mysql_caps::kPluginAuth) != 0 && r.ok() && !r.at_end()) {
    out.plugin = std::string(r.NulString());
  }
  // Connection attributes (CLIENT_CONNECT_ATTRS) follow; nothing here needs them.
  if (!r.ok()) return InvalidArgument("the handshake response is malformed");
  return out;
}

std::string BuildAuthSwitch(std::string_view plugin, std::string_view scramble) {
  WireWriter w;
  w.Int1(0xfe).NulString(plugin).NulString(scramble);
  return w.Take();
}

std::string BuildOk(uint64_t affected_rows, uint16_t status, uint16_t warnings,
                    std::string_view info) {
  WireWriter w;
  w.Int1(0).LenencInt(affected_rows).LenencInt(0).Int2(status).Int2(warnings).Bytes(info);
  return w.Take();
}

std::string BuildErr(uint16_t code, std::string_view sqlstate, std::string_view message) {
  WireWriter w;
  w.Int1(0xff).Int2(code).Bytes("#").Bytes(sqlstate.substr(0, 5)).Bytes(message);
  return w.Take();
}

std::string BuildEof(uint16_t warnings, uint16_t status) {
  WireWriter w;
  w.Int1(0xfe).Int2(warnings).Int2(status);
  return w.Take();
}

bool IsErrPacket(std::string_view payload) {
  return !payload.empty() && static_cast<uint8_t>(payload[0]) == 0xff;
}

std::string BuildColumnDefinition(const ColumnSpec& c) {
  WireWriter w;
  w.LenencString("def").LenencString(c.schema).LenencString(c.table).LenencString(c.org_table);
  w.LenencString(c.name).LenencString(c.org_name).LenencInt(0x0c);
  w.Int2(c.charset).Int4(c.length).Int1(static_cast<uint8_t>(c.type)).Int2(c.flags);
  w.Int1(c.decimals).Int2(0);
  return w.Take();
}

void BuildTextRow(const std::vector<TextCell>& cells, std::string* out) {
  WireWriter w;
  for (const TextCell& cell : cells) {
    if (cell) {
      w.LenencString(*cell);
    } else {
      w.Int1(0xfb);
    }
  }
  *out = w.Take();
}

std::string BuildPrepareOk(uint32_t statement_id, uint16_t columns, uint16_t parameters) {
  WireWriter w;
  w.Int1(0).Int4(statement_id).Int2(columns).Int2(parameters).Int1(0).Int2(0);
  return w.Take();
}

bool IsMySqlIntegerType(MySqlType type) {
  switch (type) {
    case MySqlType::kTiny:
    case MySqlType::kShort:
    case MySqlType::kYear:
    case MySqlType::kLong:
    case MySqlType::kInt24:
    case MySqlType::kLongLong:
      return true;
    default:
      return false;
  }
}

namespace {

int IntegerBytes(MySqlType type) {
  switch (type) {
    case MySqlType::kTiny:
      return 1;
    case MySqlType::kShort:
    case MySqlType::kYear:
      return 2;
    case MySqlType::kLong:
    case MySqlType::kInt24:
      return 4;
    default:
      return 8;
  }
}

int64_t SignExtend(uint64_t v, int bytes, bool is_unsigned) {
  if (is_unsigned || bytes == 8) return static_cast<int64_t>(v);
  int shift = 64 - 8 * bytes;
  return static_cast<int64_t>(v << shift) >> shift;
}

// One parameter's value from the execute packet.
Status ReadParameter(WireReader& r, StatementParameter* p) {
  if (IsMySqlIntegerType(p->type)) {
    int bytes = IntegerBytes(p->type);
    p->integer = SignExtend(r.Fixed(bytes), bytes, p->is_unsigned);
  } else if (p->type == MySqlType::kFloat) {
    uint32_t bits = static_cast<uint32_t>(r.Int4());
    float f;
    std::memcpy(&f, &bits, sizeof f);
    p->real = f;
  } else if (p->type == MySqlType::kDouble) {
    uint64_t bits = r.Int8();
    std::memcpy(&p->real, &bits, sizeof p->real);
  } else if (p->type == MySqlType::kDate || p->type == MySqlType::kDateTime ||
             p->type == MySqlType::kTimestamp) {
    uint64_t length = r.Int1();
    if (length != 0 && length != 4 && length != 7 && length != 11) {
      return InvalidArgument("a DATETIME parameter has length " + std::to_string(length));
    }
    if (length >= 4) {
      p->year = static_cast<int>(r.Int2());
      p->month = static_cast<int>(r.Int1());
      p->day = static_cast<int>(r.Int1());
    }
    if (length >= 7) {
      p->hour = static_cast<int>(r.Int1());
      p->minute = static_cast<int>(r.Int1());
      p->second = static_cast<int>(r.Int1());
    }
    if (length == 11) p->microsecond = static_cast<int>(r.Int4());
  } else if (p->type == MySqlType::kTime) {
    uint64_t length = r.Int1();
    if (length != 0 && length != 8 && length != 12) {
      return InvalidArgument("a TIME parameter has length " + std::to_string(length));
    }
    if (length >= 8) {
      p->negative = r.Int1() != 0;
      p->days = static_cast<int>(r.Int4());
      p->hour = static_cast<int>(r.Int1());
      p->minute = static_cast<int>(r.Int1());
      p->second = static_cast<int>(r.Int1());
    }
    if (length == 12) p->microsecond = static_cast<int>(r.Int4());
  } else {
    p->bytes = std::string(r.LenencString());
  }
  if (!r.ok()) return InvalidArgument("COM_STMT_EXECUTE ends inside a parameter's value");
  return Status::Ok();
}

}  // namespace

Result<ExecuteRequest> ParseExecute(std::string_view payload, size_t parameter_count,
                                    std::vector<std::pair<MySqlType, bool>>* types,
                                    const std::vector<std::optional<std::string>>& long_data) {
  WireReader r(payload);
  ExecuteRequest out;
  out.statement_id = static_cast<uint32_t>(r.Int4());
  r.Int1();  // cursor flags: a result is always sent whole
  r.Int4();  // iteration count, always 1
  if (!r.ok()) return InvalidArgument("COM_STMT_EXECUTE is shorter than 9 bytes");
  if (parameter_count == 0) return out;
  std::string_view nulls = r.Bytes((parameter_count + 7) / 8);
  uint64_t bound = r.Int1();
  if (!r.ok()) return InvalidArgument("COM_STMT_EXECUTE lacks its NULL bitmap");
  if (bound != 0) {
    types->clear();
    for (size_t i = 0; i < parameter_count; ++i) {
      auto type = static_cast<MySqlType>(r.Int1());
      bool is_unsigned = (r.Int1() & 0x80) != 0;
      types->emplace_back(type, is_unsigned);
    }
    if (!r.ok()) return InvalidArgument("COM_STMT_EXECUTE ends inside its parameter types");
  } else if (types->size() != parameter_count) {
    return InvalidArgument("COM_STMT_EXECUTE binds no parameter types and none were bound before");
  }
  out.parameters.resize(parameter_count);
  for (size_t i = 0; i < parameter_count; ++i) {
    StatementParameter& p = out.parameters[i];
    p.type = (*types)[i].first;
    p.is_unsigned = (*types)[i].second;
    if (i < long_data.size() && long_data[i]) {
      p.is_null = false;
      p.type = MySqlType::kBlob;
      p.bytes = *long_data[i];
      continue;
    }
    p.is_null =
        ((static_cast<uint8_t>(nulls[i / 8]) >> (i % 8)) & 1) != 0 || p.type == MySqlType::kNull;
    if (!p.is_null) RETURN_IF_ERROR(ReadParameter(r, &p));
  }
  return out;
}

void AppendBinaryInteger(std::string* out, MySqlType type, int64_t value) {
  WireWriter w;
  w.Fixed(static_cast<uint64_t>(value), IntegerBytes(type));
  out->append(w.data());
}

void AppendBinaryDouble(std::string* out, MySqlType type, double value) {
  WireWriter w;
  if (type == MySqlType::kFloat) {
    float f = static_cast<float>(value);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    w.Int4(bits);
  } else {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    w.Int8(bits);
  }
  out->append(w.data());
}

void AppendBinaryDateTime(std::string* out, int year, int month, int day, int hour, int minute,
                          int second, int microsecond) {
  WireWriter w;
  bool has_time = hour != 0 || minute != 0 || second != 0 || microsecond != 0;
  w.Int1(microsecond != 0 ? 11 : has_time ? 7 : 4).Int2(year).Int1(month).Int1(day);
  if (has_time) w.Int1(hour).Int1(minute).Int1(second);
  if (microsecond != 0) w.Int4(microsecond);
  out->append(w.data());
}

void AppendBinaryTime(std::string* out, bool negative, int days, int hour, int minute, int second,
                      int microsecond) {
  WireWriter w;
  w.Int1(microsecond != 0 ? 12 : 8).Int1(negative ? 1 : 0).Int4(days).Int1(hour).Int1(minute);
  w.Int1(second);
  if (microsecond != 0) w.Int4(microsecond);
  out->append(w.data());
}

}  // namespace strata
