// SqlPrepared: placeholders outside strings, names and comments; one statement only; values
// bound as literals that read back as themselves, never as SQL (injection attempts stay one
// string literal).
#include "sql/prepared.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sql/parser.h"

namespace strata {
namespace {

SqlCell Text(std::string s) { return Scalar::String(Type::kString, std::move(s)); }
SqlCell Long(int64_t n) { return Scalar::Int(Type::kLong, n); }

std::string Bound(std::string_view text, const std::vector<SqlCell>& values) {
  auto prepared = SqlPrepared::Parse(text);
  EXPECT_TRUE(prepared.ok()) << prepared.status().ToString();
  if (!prepared.ok()) return "";
  auto bound = prepared->Bind(values);
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  return bound.ok() ? *bound : "";
}

TEST(SqlPrepared, FindsPlaceholdersOutsideStringsNamesAndComments) {
  auto p = SqlPrepared::Parse(
      "SELECT '?', \"a?\\\"?\", `c?` /* ? */ FROM t -- ?\n WHERE a = ? # ?\n AND b = ?;");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->parameter_count(), 2u);
  EXPECT_EQ(Bound("SELECT 'it''s ?', ? -- ?\n", {Long(1)}), "SELECT 'it''s ?', 1 -- ?\n");
  EXPECT_EQ(SqlPrepared::Parse("SELECT 1")->parameter_count(), 0u);
}

TEST(SqlPrepared, RefusesSeveralStatementsAndBrokenText) {
  auto two = SqlPrepared::Parse("SELECT ?; DROP DATABASE d");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("one statement"), std::string::npos);
  EXPECT_TRUE(SqlPrepared::Parse("SELECT ?;  -- done\n").ok());
  EXPECT_FALSE(SqlPrepared::Parse("").ok());
  EXPECT_FALSE(SqlPrepared::Parse(" ; ").ok());
  EXPECT_FALSE(SqlPrepared::Parse("SELECT 'open").ok());
  EXPECT_FALSE(SqlPrepared::Parse("SELECT `open").ok());
  EXPECT_FALSE(SqlPrepared::Parse("SELECT 1 /* open").ok());
}

TEST(SqlPrepared, WrongParameterCountIsAnError) {
  auto p = SqlPrepared::Parse("SELECT ?, ?");
  ASSERT_TRUE(p.ok());
  auto bound = p->Bind({Long(1)});
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("has 2 parameter(s)"), std::string::npos);
  EXPECT_NE(bound.status().message().find("1 value(s)"), std::string::npos);
  EXPECT_FALSE(p->Bind({Long(1), Long(2), Long(3)}).ok());
}

TEST(SqlPrepared, ValuesBecomeLiterals) {
  EXPECT_EQ(Bound("SELECT ?, ?, ?, ?, ?",
                  {SqlCell(), Scalar::Bool(true), Long(-5), Scalar::Float(Type::kDouble, 2.0),
                   Scalar::Float(Type::kDouble, 0.1)}),
            "SELECT NULL, TRUE,  -5, 2.0, 0.1");
  // `1-?` with -5 must not become the comment `1--5`.
  EXPECT_EQ(Bound("SELECT 1-?", {Long(-5)}), "SELECT 1- -5");
  EXPECT_EQ(Bound("SELECT ?", {Scalar::Int(Type::kDate, 18266)}), "SELECT '2020-01-05'");
  EXPECT_EQ(Bound("SELECT ?", {Scalar::Int(Type::kTimestamp, 1578218400000)}),
            "SELECT '2020-01-05 10:00:00'");
  EXPECT_EQ(Bound("SELECT ?", {Text(std::string("a\0b", 3))}), "SELECT 'a\\0b'");
  auto p = SqlPrepared::Parse("SELECT ?");
  EXPECT_FALSE(p->Bind({Scalar::Float(Type::kDouble, HUGE_VAL)}).ok());
}

TEST(SqlPrepared, InjectionAttemptsStayOneStringLiteral) {
  for (const std::string value :
       {"x'; DROP DATABASE d; --", "x\\'; DROP DATABASE d; --", "x\\", "'", "\\", "a''b",
        "x\"; DROP DATABASE d; --", "?", "/*", "--\n; DROP DATABASE d"}) {
    std::string text = Bound("SELECT ? AS v", {Text(value)});
    auto statements = ParseSql(text);
    ASSERT_TRUE(statements.ok()) << text << "\n" << statements.status().ToString();
    ASSERT_EQ(statements->size(), 1u) << text;
    const auto& select = std::get<SqlSelect>((*statements)[0]);
    ASSERT_EQ(select.query.columns.size(), 1u) << text;
    const Expr& e = *select.query.columns[0].expr;
    ASSERT_EQ(e.kind, ExprKind::kLiteral) << text;
    EXPECT_EQ(e.literal.scalar().string_value(), value) << text;
  }
}

}  // namespace
}  // namespace strata
