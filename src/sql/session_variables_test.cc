// Session variables: defaults, SET (types, aliases, read-only, unknown names, DEFAULT, NULL),
// the lexing and parsing of @@name, and through SqlSession: @@ in SELECT, DATABASE()/USER(),
// SET NAMES, SHOW VARIABLES/WARNINGS/ERRORS, KILL, and TableColumns.
#include "sql/session_variables.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/auth.h"
#include "base/file_util.h"
#include "sql/lexer.h"
#include "sql/parser.h"
#include "sql/sql_session.h"
#include "sql/sql_session_fixture.h"

namespace strata {
namespace {

std::string TextOf(const std::optional<SqlCell>& cell) {
  if (!cell) return "<unknown>";
  if (!*cell) return "<null>";
  return (*cell)->type() == Type::kLong ? std::to_string((*cell)->int_value())
                                        : (*cell)->string_value();
}

TEST(SqlSessionVariables, MySqlDefaultsAndServerInfo) {
  SqlServerInfo info;
  info.version = "5.7.99-Test";
  info.max_allowed_packet = 1024;
  SqlSessionVariables variables(info);
  EXPECT_EQ(TextOf(variables.Find("autocommit")), "1");
  EXPECT_EQ(TextOf(variables.Find("AUTOCOMMIT")), "1");
  EXPECT_EQ(TextOf(variables.Find("character_set_client")), "utf8mb4");
  EXPECT_EQ(TextOf(variables.Find("transaction_isolation")), "REPEATABLE-READ");
  EXPECT_EQ(TextOf(variables.Find("tx_read_only")), "0");
  EXPECT_EQ(TextOf(variables.Find("max_allowed_packet")), "1024");
  EXPECT_EQ(TextOf(variables.Find("version")), "5.7.99-Test");
  EXPECT_EQ(TextOf(variables.Find("no_such_variable")), "<unknown>");
  EXPECT_EQ(variables.TypeOf("wait_timeout"), "BIGINT");
  EXPECT_EQ(variables.TypeOf("sql_mode"), "VARCHAR");
  // Every variable MySQL clients ask for on connect exists.
  for (const char* name : {"auto_increment_increment",
                           "character_set_connection",
                           "character_set_results",
                           "character_set_server",
                           "character_set_database",
                           "collation_server",
                           "collation_connection",
                           "init_connect",
                           "interactive_timeout",
                           "license",
                           "lower_case_table_names",
                           "net_buffer_length",
                           "net_write_timeout",
                           "performance_schema",
                           "query_cache_size",
                           "query_cache_type",
                           "have_query_cache",
                           "sql_mode",
                           "system_time_zone",
                           "time_zone",
                           "tx_isolation",
                           "transaction_read_only",
                           "wait_timeout",
                           "version_comment",
                           "default_storage_engine",
                           "default_tmp_storage_engine",
                           "default_authentication_plugin",
                           "authentication_policy",
                           "socket",
                           "group_concat_max_len"}) {
    EXPECT_TRUE(variables.Find(name).has_value()) << name;
  }
  info.version = "8.0.1-Other";
  variables.ApplyServerInfo(info);
  EXPECT_EQ(TextOf(variables.Find("version")), "8.0.1-Other");
}

TEST(SqlSessionVariables, SetChecksTypesAndKeepsAliasesTogether) {
  SqlSessionVariables variables;
  std::vector<std::string> warnings;
  auto text = [](const char* s) { return SqlCell(Scalar::String(Type::kString, s)); };
  ASSERT_TRUE(variables.Set("autocommit", text("OFF"), SqlVariableScope::kSession, &warnings).ok());
  EXPECT_EQ(TextOf(variables.Find("autocommit")), "0");
  ASSERT_EQ(warnings.size(), 1u);  // no transactions
  EXPECT_NE(warnings[0].find("no transactions"), std::string::npos);
  ASSERT_TRUE(
      variables.Set("autocommit", Scalar::Bool(true), SqlVariableScope::kSession, nullptr).ok());
  EXPECT_EQ(TextOf(variables.Find("autocommit")), "1");
  auto bad = variables.Set("autocommit", text("maybe"), SqlVariableScope::kSession, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("variable 'autocommit' can't be set to the value of 'maybe'"),
            std::string::npos)
      << bad.message();
  EXPECT_FALSE(variables.Set("wait_timeout", SqlCell(), SqlVariableScope::kSession, nullptr).ok());

  ASSERT_TRUE(
      variables.Set("TX_ISOLATION", text("READ-COMMITTED"), SqlVariableScope::kSession, nullptr)
          .ok());
  EXPECT_EQ(TextOf(variables.Find("transaction_isolation")), "READ-COMMITTED");
  ASSERT_TRUE(
      variables.Set("character_set_results", SqlCell(), SqlVariableScope::kSession, nullptr).ok());
  EXPECT_EQ(TextOf(variables.Find("character_set_results")), "<null>");

  auto read_only = variables.Set("version", text("9"), SqlVariableScope::kSession, nullptr);
  ASSERT_FALSE(read_only.ok());
  EXPECT_NE(read_only.message().find("'version' is a read only variable"), std::string::npos);

  warnings.clear();
  ASSERT_TRUE(
      variables
          .Set("wait_timeout", Scalar::Int(Type::kLong, 5), SqlVariableScope::kGlobal, &warnings)
          .ok());
  EXPECT_EQ(TextOf(variables.Find("wait_timeout")), "5");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("this session's value only"), std::string::npos);
  ASSERT_TRUE(variables.SetDefault("wait_timeout", SqlVariableScope::kSession, nullptr).ok());
  EXPECT_EQ(TextOf(variables.Find("wait_timeout")), "28800");

  // A name Strata does not know (a driver's DSN parameter) is kept with its value's type.
  ASSERT_TRUE(
      variables.Set("Net_Custom", Scalar::Int(Type::kLong, 7), SqlVariableScope::kSession, nullptr)
          .ok());
  EXPECT_EQ(TextOf(variables.Find("net_custom")), "7");
  EXPECT_EQ(variables.TypeOf("net_custom"), "BIGINT");
  ASSERT_TRUE(variables.Set("tls", text("skip-verify"), SqlVariableScope::kSession, nullptr).ok());
  EXPECT_EQ(TextOf(variables.Find("tls")), "skip-verify");
}

TEST(SqlSessionVariables, ShowRowsAreSortedWithOnOff) {
  SqlSessionVariables variables;
  auto rows = variables.ShowRows();
  ASSERT_FALSE(rows.empty());
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_LT(rows[i - 1].first, rows[i].first);
  for (const auto& [name, text] : rows) {
    if (name == "autocommit") {
      EXPECT_EQ(text, "ON");
    }
    if (name == "wait_timeout") {
      EXPECT_EQ(text, "28800");
    }
  }
}

TEST(SqlSessionVariables, AtAtLexesAndParsesWithScope) {
  SqlLexer lexer("@@session.tx_read_only @x");
  auto tokens = lexer.Tokenize();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 7u);  // @@ session . tx_read_only @ x end
  EXPECT_EQ((*tokens)[0].kind, SqlTokenKind::kAtAt);
  EXPECT_EQ((*tokens)[1].value, "session");
  EXPECT_EQ((*tokens)[2].kind, SqlTokenKind::kDot);
  EXPECT_EQ((*tokens)[4].kind, SqlTokenKind::kAt);

  auto parsed = ParseSql("SELECT @@SESSION.auto_increment_increment AS a, @@version_comment");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& select = std::get<SqlSelect>((*parsed)[0]);
  ASSERT_EQ(select.query.columns.size(), 2u);
  EXPECT_EQ(select.query.columns[0].expr->kind, ExprKind::kCall);
  EXPECT_EQ(select.query.columns[0].expr->name, "@@SESSION.auto_increment_increment");
  EXPECT_EQ(select.column_texts[1], "@@version_comment");

  EXPECT_FALSE(ParseSql("SELECT @@ version").ok());
  auto user_variable = ParseSql("SELECT @x");
  ASSERT_FALSE(user_variable.ok());
  EXPECT_NE(user_variable.status().message().find("user variables"), std::string::npos);
}

TEST(SqlSessionVariables, SetStatementsParse) {
  auto parsed = ParseSql(
      "SET NAMES utf8mb4 COLLATE utf8mb4_bin; SET SESSION sql_mode = 'A', @@global.x = ON, "
      "autocommit = DEFAULT; SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY; "
      "SET PASSWORD = PASSWORD('p')");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 4u);
  const auto& names = std::get<SqlSetVariables>((*parsed)[0]);
  ASSERT_EQ(names.assignments.size(), 4u);
  EXPECT_EQ(names.assignments[3].name, "collation_connection");
  const auto& set = std::get<SqlSetVariables>((*parsed)[1]);
  ASSERT_EQ(set.assignments.size(), 3u);
  EXPECT_EQ(set.assignments[0].name, "sql_mode");
  EXPECT_FALSE(set.assignments[0].global);
  EXPECT_TRUE(set.assignments[1].global);
  EXPECT_EQ(set.assignments[1].value->name, "ON");
  EXPECT_TRUE(set.assignments[2].is_default);
  const auto& transaction = std::get<SqlSetVariables>((*parsed)[2]);
  ASSERT_EQ(transaction.assignments.size(), 2u);
  EXPECT_EQ(transaction.assignments[0].name, "transaction_isolation");
  EXPECT_EQ(transaction.assignments[1].name, "transaction_read_only");
  EXPECT_TRUE(std::holds_alternative<SqlSetPassword>((*parsed)[3]));

  auto kill = ParseSql("KILL QUERY 12");
  ASSERT_TRUE(kill.ok());
  EXPECT_EQ(std::get<SqlKill>((*kill)[0]).connection_id, 12u);
  EXPECT_TRUE(std::get<SqlKill>((*kill)[0]).query_only);
}

class SqlSessionVariablesTest : public SqlSessionFixture {
 protected:
  // The one result set of `text`'s last statement.
  SqlResultSet Query(const std::string& text) {
    auto outcomes = sql_->Execute(text);
    EXPECT_TRUE(outcomes.ok()) << text << "\n" << outcomes.status().ToString();
    if (!outcomes.ok() || outcomes->empty() || !outcomes->back().result) return {};
    return *outcomes->back().result;
  }
  static std::string Cell(const SqlResultSet& r, size_t row, size_t column) {
    if (row >= r.row_count() || column >= r.columns.size()) return "<missing>";
    SqlCell cell = r.cell(row, column);
    if (!cell) return "<null>";
    return IsStringLike(cell->type()) ? cell->string_value() : std::to_string(cell->int_value());
  }
};

TEST_F(SqlSessionVariablesTest, SelectReadsVariablesAndFunctions) {
  SqlServerInfo info;
  info.connection_id = 42;
  info.client_host = "10.0.0.7";
  sql_->set_server_info(info);
  auto r = Query(
      "select @@version_comment, @@SESSION.auto_increment_increment AS aii, 1+1, "
      "connection_id(), USER(), database() limit 1");
  ASSERT_EQ(r.columns.size(), 6u);
  EXPECT_EQ(r.columns[0], "@@version_comment");
  EXPECT_EQ(r.columns[1], "aii");
  EXPECT_EQ(r.columns[2], "1+1");
  EXPECT_EQ(r.columns[3], "connection_id()");
  EXPECT_EQ(r.types[1], "BIGINT");
  EXPECT_EQ(Cell(r, 0, 0), "Strata");
  EXPECT_EQ(Cell(r, 0, 1), "1");
  EXPECT_EQ(Cell(r, 0, 2), "2");
  EXPECT_EQ(Cell(r, 0, 3), "42");
  EXPECT_EQ(Cell(r, 0, 4), std::string(kDefaultAdminName) + "@10.0.0.7");
  EXPECT_EQ(Cell(r, 0, 5), "<null>");
  Query("CREATE DATABASE shop; USE shop");
  EXPECT_EQ(Cell(Query("SELECT DATABASE(), SCHEMA()"), 0, 1), "shop");
  EXPECT_NE(Error("SELECT @@nope").find("unknown system variable 'nope'"), std::string::npos);
}

TEST_F(SqlSessionVariablesTest, SetThenReadBack) {
  Query("SET NAMES latin1; SET character_set_results = NULL, sql_mode = 'STRICT_TRANS_TABLES'");
  auto r = Query(
      "SELECT @@character_set_client, @@collation_connection, @@character_set_results, "
      "@@sql_mode");
  EXPECT_EQ(Cell(r, 0, 0), "latin1");
  EXPECT_EQ(Cell(r, 0, 1), "latin1_general_ci");
  EXPECT_EQ(Cell(r, 0, 2), "<null>");
  EXPECT_EQ(r.types[2], "VARCHAR");
  EXPECT_EQ(Cell(r, 0, 3), "STRICT_TRANS_TABLES");
  Query("SET SESSION group_concat_max_len = 1000000, @@session.wait_timeout = 10 * 6");
  r = Query("SELECT @@group_concat_max_len, @@wait_timeout");
  EXPECT_EQ(Cell(r, 0, 0), "1000000");
  EXPECT_EQ(Cell(r, 0, 1), "60");
  // A failing SET sets nothing.
  EXPECT_NE(Error("SET wait_timeout = 5, version = 'x'").find("read only"), std::string::npos);
  EXPECT_EQ(Cell(Query("SELECT @@wait_timeout"), 0, 0), "60");
}

TEST_F(SqlSessionVariablesTest, ShowVariablesWarningsAndErrors) {
  auto r = Query("SHOW VARIABLES LIKE 'lower_case%'");
  ASSERT_EQ(r.row_count(), 1u);
  EXPECT_EQ(Cell(r, 0, 0), "lower_case_table_names");
  r = Query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('time_zone', 'max_allowed_packet')");
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(Cell(r, 0, 0), "max_allowed_packet");
  EXPECT_EQ(Cell(r, 1, 1), "SYSTEM");

  r = Query("SET GLOBAL wait_timeout = 5; SHOW WARNINGS");
  ASSERT_EQ(r.row_count(), 1u);
  EXPECT_EQ(Cell(r, 0, 0), "Warning");
  EXPECT_EQ(Cell(r, 0, 1), "1105");
  // SHOW WARNINGS does not clear them.
  EXPECT_EQ(Query("SHOW WARNINGS").row_count(), 1u);
  EXPECT_EQ(Query("SELECT 1; SHOW WARNINGS").row_count(), 0u);
  Error("SELECT @@nope");
  r = Query("SHOW ERRORS");
  ASSERT_EQ(r.row_count(), 1u);
  EXPECT_EQ(Cell(r, 0, 0), "Error");
  EXPECT_NE(Cell(r, 0, 2).find("unknown system variable"), std::string::npos);
  EXPECT_EQ(Cell(Query("SHOW COUNT(*) WARNINGS"), 0, 0), "1");
}

TEST_F(SqlSessionVariablesTest, KillNeedsAFrontEnd) {
  EXPECT_NE(Error("KILL 3").find("strata serve"), std::string::npos);
  SqlServerInfo info;
  uint64_t killed = 0;
  bool query_only = false;
  info.kill = [&](uint64_t id, bool query) {
    killed = id;
    query_only = query;
    return Status::Ok();
  };
  sql_->set_server_info(info);
  Query("KILL QUERY 7");
  EXPECT_EQ(killed, 7u);
  EXPECT_TRUE(query_only);
  Query("KILL CONNECTION 8");
  EXPECT_EQ(killed, 8u);
  EXPECT_FALSE(query_only);
}

TEST_F(SqlSessionVariablesTest, TableColumnsListsColumnsAndTypes) {
  EXPECT_FALSE(sql_->TableColumns("t").ok());  // no database selected
  Query("CREATE DATABASE shop; CREATE TABLE shop.t (k INT, name VARCHAR(8), d DATE)");
  auto columns = sql_->TableColumns("shop.t");
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  EXPECT_EQ(columns->columns, (std::vector<std::string>{"k", "name", "d"}));
  EXPECT_EQ(columns->types, (std::vector<std::string>{"INT", "VARCHAR", "DATE"}));
  EXPECT_TRUE(columns->rows.empty());
  Query("USE shop");
  EXPECT_TRUE(sql_->TableColumns("t").ok());
  EXPECT_FALSE(sql_->TableColumns("nope").ok());
}

}  // namespace
}  // namespace strata
