#include "server/protocol.h"

#include <gtest/gtest.h>

#include <random>

#include "server/error_mapping.h"
#include "server/result_encoding.h"
#include "server/wire.h"

namespace strata {
namespace {

TEST(WireTest, LengthEncodedIntegersRoundTrip) {
  for (uint64_t v : {0ull, 250ull, 251ull, 65535ull, 65536ull, 16777215ull, 16777216ull, ~0ull}) {
    WireWriter w;
    w.LenencInt(v);
    WireReader r(w.data());
    EXPECT_EQ(r.LenencInt(), v);
    EXPECT_TRUE(r.ok() && r.at_end()) << v;
  }
  WireReader null_marker(std::string_view("\xfb", 1));
  EXPECT_EQ(null_marker.LenencInt(), std::nullopt);
  EXPECT_TRUE(null_marker.ok());
}

TEST(WireTest, ShortInputFailsAndStaysFailed) {
  WireReader r(std::string_view("\x05\x00", 2));
  EXPECT_EQ(r.Int4(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.Int1(), 0u);
  EXPECT_EQ(r.LenencString(), "");
  EXPECT_FALSE(r.ok());
  WireReader string_too_long(
      std::string_view("\x09"
                       "abc",
                       4));
  EXPECT_EQ(string_too_long.LenencString(), "");
  EXPECT_FALSE(string_too_long.ok());
}

// The handshake's layout as MySQL documents it (protocol 10, version, id, scramble in two
// parts, capabilities split, the plugin name).
TEST(ProtocolTest, HandshakeLayout) {
  HandshakeV10 h;
  h.server_version = "5.7.99-Strata";
  h.connection_id = 7;
  h.scramble = "ABCDEFGHIJKLMNOPQRST";
  h.capabilities = mysql_caps::kProtocol41 | mysql_caps::kPluginAuth;
  std::string payload = BuildHandshake(h);
  WireReader r(payload);
  EXPECT_EQ(r.Int1(), 10u);
  EXPECT_EQ(r.NulString(), "5.7.99-Strata");
  EXPECT_EQ(r.Int4(), 7u);
  EXPECT_EQ(r.Bytes(8), "ABCDEFGH");
  EXPECT_EQ(r.Int1(), 0u);
  uint32_t caps = static_cast<uint32_t>(r.Int2());
  EXPECT_EQ(r.Int1(), kCharsetUtf8GeneralCi);
  EXPECT_EQ(r.Int2(), 0u);
  caps |= static_cast<uint32_t>(r.Int2()) << 16;
  EXPECT_EQ(caps, h.capabilities);
  EXPECT_EQ(r.Int1(), 21u);
  r.Bytes(10);
  EXPECT_EQ(r.NulString(), "IJKLMNOPQRST");
  EXPECT_EQ(r.NulString(), "mysql_native_password");
  EXPECT_TRUE(r.ok() && r.at_end());
}

std::string Response(uint32_t caps, std::string_view user, std::string_view auth,
                     std::string_view db, std::string_view plugin) {
  WireWriter w;
  w.Int4(caps).Int4(1 << 24).Int1(45).Zeros(23).NulString(user);
  if (caps & mysql_caps::kPluginAuthLenencData) {
    w.LenencString(auth);
  } else {
    w.Int1(auth.size()).Bytes(auth);
  }
  if (caps & mysql_caps::kConnectWithDb) w.NulString(db);
  if (caps & mysql_caps::kPluginAuth) w.NulString(plugin);
  return w.Take();
}

TEST(ProtocolTest, ParsesHandshakeResponses) {
  uint32_t caps = mysql_caps::kProtocol41 | mysql_caps::kSecureConnection |
                  mysql_caps::kPluginAuth | mysql_caps::kConnectWithDb;
  auto r = ParseHandshakeResponse(
      Response(caps, "admin", std::string(20, 'x'), "shop", "caching_sha2_password"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->user, "admin");
  EXPECT_EQ(r->auth_response, std::string(20, 'x'));
  EXPECT_EQ(r->database, "shop");
  EXPECT_EQ(r->plugin, "caching_sha2_password");
  EXPECT_FALSE(r->ssl_request);

  auto lenenc = ParseHandshakeResponse(
      Response(caps | mysql_caps::kPluginAuthLenencData, "u", "pw", "", "mysql_native_password"));
  ASSERT_TRUE(lenenc.ok());
  EXPECT_EQ(lenenc->auth_response, "pw");
  EXPECT_EQ(lenenc->database, std::nullopt);

  std::string ssl = Response(caps | mysql_caps::kSsl, "", "", "", "").substr(0, 32);
  auto ssl_request = ParseHandshakeResponse(ssl);
  ASSERT_TRUE(ssl_request.ok());
  EXPECT_TRUE(ssl_request->ssl_request);

  EXPECT_FALSE(
      ParseHandshakeResponse(Response(caps & ~mysql_caps::kProtocol41, "u", "", "", "")).ok());
  EXPECT_FALSE(ParseHandshakeResponse(Response(caps, "u", "", "", "").substr(0, 20)).ok());
}

TEST(ProtocolTest, OkErrEof) {
  EXPECT_EQ(BuildOk(3, 2, 1), std::string("\x00\x03\x00\x02\x00\x01\x00", 7));
  std::string err = BuildErr(1146, "42S02", "table 't' does not exist");
  EXPECT_TRUE(IsErrPacket(err));
  EXPECT_EQ(err.substr(0, 9), std::string("\xff\x7a\x04#42S02", 9));
  EXPECT_EQ(BuildEof(0, 8), std::string("\xfe\x00\x00\x08\x00", 5));
}

TEST(ProtocolTest, TextRowsCarryNulls) {
  std::string row;
  BuildTextRow({std::string("ab"), std::nullopt, std::string()}, &row);
  EXPECT_EQ(row, std::string("\x02"
                             "ab\xfb\x00",
                             5));
}

// COM_STMT_EXECUTE with three parameters: an INT, a NULL and a string; then a second execute
// that binds no new types reuses them.
TEST(ProtocolTest, ParsesExecute) {
  WireWriter w;
  w.Int4(9).Int1(0).Int4(1).Int1(0b010).Int1(1);
  w.Int1(static_cast<uint8_t>(MySqlType::kLong)).Int1(0);
  w.Int1(static_cast<uint8_t>(MySqlType::kVarString)).Int1(0);
  w.Int1(static_cast<uint8_t>(MySqlType::kVarString)).Int1(0);
  w.Int4(static_cast<uint32_t>(-5)).LenencString("x'; DROP DATABASE d; --");
  std::vector<std::pair<MySqlType, bool>> types;
  auto request = ParseExecute(w.data(), 3, &types, {});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->statement_id, 9u);
  ASSERT_EQ(request->parameters.size(), 3u);
  EXPECT_EQ(request->parameters[0].integer, -5);
  EXPECT_TRUE(request->parameters[1].is_null);
  EXPECT_EQ(request->parameters[2].bytes, "x'; DROP DATABASE d; --");

  WireWriter again;
  again.Int4(9).Int1(0).Int4(1).Int1(0b111).Int1(0);
  auto reused = ParseExecute(again.data(), 3, &types, {});
  ASSERT_TRUE(reused.ok()) << reused.status().ToString();
  EXPECT_TRUE(reused->parameters[0].is_null);

  std::vector<std::pair<MySqlType, bool>> none;
  EXPECT_FALSE(ParseExecute(again.data(), 3, &none, {}).ok());
  EXPECT_FALSE(ParseExecute(w.data().substr(0, w.data().size() - 3), 3, &types, {}).ok());
}

TEST(ResultEncodingTest, BinaryRowsFollowTheColumnTypes) {
  std::vector<ColumnSpec> columns = {ColumnSpecFor("i", "INT"), ColumnSpecFor("s", "VARCHAR"),
                                     ColumnSpecFor("d", "DATE"), ColumnSpecFor("n", "BIGINT")};
  std::string row;
  BuildBinaryRow(columns,
                 {Scalar::Int(Type::kInt, 7), Scalar::String(Type::kString, "ab"),
                  Scalar::Int(Type::kDate, 18262), std::nullopt},
                 &row);
  // header 0, bitmap (4 + 2 bits: one byte) with column 3 (bit 5) set, INT 7, "ab",
  // DATE 2020-01-01 as length 4 + year 2020 + month 1 + day 1.
  EXPECT_EQ(row, std::string("\x00\x20\x07\x00\x00\x00\x02"
                             "ab\x04\xe4\x07\x01\x01",
                             14));
  // A string of 300 bytes takes a 3-byte length (0xFC + 2 bytes).
  BuildBinaryRow({ColumnSpecFor("s", "VARCHAR")},
                 {Scalar::String(Type::kString, std::string(300, 'x'))}, &row);
  EXPECT_EQ(row, std::string("\x00\x00\xfc\x2c\x01", 5) + std::string(300, 'x'));
  EXPECT_EQ(TextOfCell(Scalar::String(Type::kString, "")), "");
  EXPECT_EQ(TextOfCell(std::nullopt), std::nullopt);
  EXPECT_EQ(TextOfCell(Scalar::Null(Type::kInt)), std::nullopt);
}

TEST(ResultEncodingTest, ParametersBecomeCells) {
  StatementParameter date;
  date.is_null = false;
  date.type = MySqlType::kDate;
  date.year = 2020;
  date.month = 1;
  date.day = 1;
  EXPECT_EQ(**CellOfParameter(date), Scalar::Int(Type::kDate, 18262));
  date.month = 13;
  EXPECT_FALSE(CellOfParameter(date).ok());
  StatementParameter big;
  big.is_null = false;
  big.type = MySqlType::kLongLong;
  big.is_unsigned = true;
  big.integer = -1;
  EXPECT_FALSE(CellOfParameter(big).ok());
}

TEST(ErrorMappingTest, CodesClientsKnow) {
  EXPECT_EQ(MySqlErrorFor(InvalidArgument("line 1, column 8: found 'x'")).code, 1064);
  EXPECT_EQ(MySqlErrorFor(NotFound("database 'x' does not exist")).code, 1049);
  EXPECT_EQ(MySqlErrorFor(NotFound("table 't' does not exist in database 'd'")).code, 1146);
  EXPECT_EQ(MySqlErrorFor(PermissionDenied("login failed for user 'u'")).code, 1045);
  EXPECT_EQ(MySqlErrorFor(InvalidArgument("row 1, column 'v': cannot store 'abc' in a VARCHAR(2) "
                                          "column: it is 3 bytes long, longer than 2"))
                .code,
            1406);
  EXPECT_EQ(MySqlErrorFor(IoError("disk full")).code, 1105);
  EXPECT_STREQ(MySqlErrorFor(IoError("disk full")).sqlstate, "HY000");
}

// Random and truncated payloads never crash the parsers (seeded).
TEST(ProtocolTest, RandomPayloadsAreRefusedCleanly) {
  std::mt19937 random(14);
  uint32_t caps = mysql_caps::kProtocol41 | mysql_caps::kSecureConnection |
                  mysql_caps::kPluginAuth | mysql_caps::kConnectWithDb | mysql_caps::kConnectAttrs;
  std::string valid = Response(caps, "admin", std::string(20, 'x'), "shop", "p");
  for (int i = 0; i < 20000; ++i) {
    std::string payload;
    if (i % 2 == 0) {
      payload = valid.substr(0, random() % (valid.size() + 1));
      if (!payload.empty()) payload[random() % payload.size()] = static_cast<char>(random());
    } else {
      payload.resize(random() % 64);
      for (char& c : payload) c = static_cast<char>(random());
    }
    (void)ParseHandshakeResponse(payload);
    std::vector<std::pair<MySqlType, bool>> types;
    (void)ParseExecute(payload, random() % 5, &types, {});
  }
}

}  // namespace
}  // namespace strata
