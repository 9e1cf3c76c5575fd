#include "sql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata {
namespace {

// `text` must outlive the tokens (their text views it): a literal, or a live string.
std::vector<SqlToken> Lex(std::string_view text) {
  SqlLexer lexer(text);
  auto tokens = lexer.Tokenize();
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return tokens.ok() ? *tokens : std::vector<SqlToken>{};
}

std::string LexError(std::string_view text) {
  SqlLexer lexer(text);
  auto tokens = lexer.Tokenize();
  EXPECT_FALSE(tokens.ok()) << text;
  return tokens.ok() ? "" : tokens.status().message();
}

TEST(SqlLexer, TokensCarryLineAndColumn) {
  auto tokens = Lex("SELECT a,\n  `my table` FROM t");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].kind, SqlTokenKind::kIdentifier);
  EXPECT_EQ(tokens[0].value, "SELECT");
  EXPECT_EQ(tokens[3].kind, SqlTokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[3].value, "my table");
  EXPECT_EQ(tokens[3].line, 2);
  EXPECT_EQ(tokens[3].column, 3);
  EXPECT_EQ(tokens[6].kind, SqlTokenKind::kEnd);
}

TEST(SqlLexer, StringsUnescapeAsMySql) {
  auto tokens = Lex(R"('a\nb\t\'\"\\' "x""y" 'it''s' '50\%')");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].value, "a\nb\t'\"\\");
  EXPECT_EQ(tokens[1].value, "x\"y");
  EXPECT_EQ(tokens[2].value, "it's");
  EXPECT_EQ(tokens[3].value, "50\\%");
  EXPECT_EQ(tokens[0].kind, SqlTokenKind::kString);
}

TEST(SqlLexer, BackquoteDoubledEscapesOne) {
  auto tokens = Lex("`a``b`");
  EXPECT_EQ(tokens[0].value, "a`b");
}

TEST(SqlLexer, NonUtf8BytesInStringsAreKept) {
  std::string text = "'\xff\xfe\x80'";
  auto tokens = Lex(text);
  EXPECT_EQ(tokens[0].value, "\xff\xfe\x80");
}

TEST(SqlLexer, Numbers) {
  auto tokens = Lex("12 1.5 .5 1e5 2.5E-3 0_50 20170807");
  EXPECT_EQ(tokens[0].kind, SqlTokenKind::kInteger);
  EXPECT_EQ(tokens[1].kind, SqlTokenKind::kDecimal);
  EXPECT_EQ(tokens[2].kind, SqlTokenKind::kDecimal);
  EXPECT_EQ(tokens[3].kind, SqlTokenKind::kDecimal);
  EXPECT_EQ(tokens[4].kind, SqlTokenKind::kDecimal);
  EXPECT_EQ(tokens[5].kind, SqlTokenKind::kIdentifier);  // MySQL: digits then letters is a name
  EXPECT_EQ(tokens[6].kind, SqlTokenKind::kInteger);
}

TEST(SqlLexer, Operators) {
  auto tokens = Lex("= != <> < <= > >= + - * / % ( ) , . ; [ ] @ @@");
  std::vector<SqlTokenKind> kinds = {
      SqlTokenKind::kEq,        SqlTokenKind::kNotEq,     SqlTokenKind::kNotEq,
      SqlTokenKind::kLess,      SqlTokenKind::kLessEq,    SqlTokenKind::kGreater,
      SqlTokenKind::kGreaterEq, SqlTokenKind::kPlus,      SqlTokenKind::kMinus,
      SqlTokenKind::kStar,      SqlTokenKind::kSlash,     SqlTokenKind::kPercent,
      SqlTokenKind::kLParen,    SqlTokenKind::kRParen,    SqlTokenKind::kComma,
      SqlTokenKind::kDot,       SqlTokenKind::kSemicolon, SqlTokenKind::kLBracket,
      SqlTokenKind::kRBracket,  SqlTokenKind::kAt,        SqlTokenKind::kAtAt,
      SqlTokenKind::kEnd};
  ASSERT_EQ(tokens.size(), kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(tokens[i].kind, kinds[i]) << i;
}

TEST(SqlLexer, CommentsAreDropped) {
  auto tokens = Lex("a -- line\n# hash\nb /* block\n */ c 1--2");
  ASSERT_EQ(tokens.size(), 8u);
  EXPECT_EQ(tokens[1].value, "b");
  EXPECT_EQ(tokens[2].value, "c");
  EXPECT_EQ(tokens[2].line, 4);
  // `--` without a following space is two minus signs, as in MySQL.
  EXPECT_EQ(tokens[4].kind, SqlTokenKind::kMinus);
  EXPECT_EQ(tokens[5].kind, SqlTokenKind::kMinus);
}

TEST(SqlLexer, Errors) {
  EXPECT_EQ(LexError("SELECT 'abc"), "line 1, column 8: unterminated string: ' has no closing '");
  EXPECT_EQ(LexError("a\n  /* never closed"),
            "line 2, column 3: unterminated comment: '/*' has no closing '*/'");
  EXPECT_EQ(LexError("`open"), "line 1, column 1: unterminated quoted name: ` has no closing `");
  EXPECT_EQ(LexError("x ``"), "line 1, column 3: empty quoted name ``; a name needs a character");
  EXPECT_EQ(LexError("1.2.3"), "line 1, column 1: malformed number '1.2.3'");
  EXPECT_EQ(LexError("a { b"), "line 1, column 3: found '{'; it is not part of SQL here");
}

// NextPlainConstant reads exactly what Next would, or nothing at all.
TEST(SqlLexer, PlainConstantShortcutAgreesWithNext) {
  struct Case {
    std::string text;
    bool taken;
  };
  const Case cases[] = {
      {"1,", true},        {" -12 )", true},   {"+7,", true},
      {"1.5 ,", true},     {".5,", false},     {"'abc')", true},
      {"\"dq\",", true},   {"'',", true},      {"'it''s',", false},
      {"'a\\nb',", false}, {"'a\nb',", false}, {"1e5,", false},
      {"0_50,", false},    {"1.2.3,", false},  {"- 1,", false},
      {"12abc,", false},   {"1 2,", false},    {"NULL,", false},
      {"1;", false},       {"'open", false},   {"/* c */ 3)", true},
      {"1\n,", false},     {"-'a',", false},   {"99999999999999999999,", true},
  };
  for (const Case& c : cases) {
    SqlLexer fast(c.text);
    SqlToken token;
    bool negative = false;
    SqlTokenKind terminator = SqlTokenKind::kEnd;
    EXPECT_EQ(fast.NextPlainConstant(&token, &negative, &terminator), c.taken) << c.text;
    if (!c.taken) {
      // Nothing but space and comments was read: Next goes on as if it had not been called.
      SqlLexer slow(c.text);
      auto expected = slow.Tokenize();
      auto got = fast.Tokenize();
      ASSERT_EQ(expected.ok(), got.ok()) << c.text;
      if (!expected.ok()) continue;
      ASSERT_EQ(got->size(), expected->size()) << c.text;
      for (size_t i = 0; i < got->size(); ++i) {
        EXPECT_EQ((*got)[i].kind, (*expected)[i].kind) << c.text;
        EXPECT_EQ((*got)[i].value, (*expected)[i].value) << c.text;
      }
      continue;
    }
    auto tokens = Lex(c.text);
    size_t at = tokens[0].kind == SqlTokenKind::kMinus || tokens[0].kind == SqlTokenKind::kPlus;
    EXPECT_EQ(negative, tokens[0].kind == SqlTokenKind::kMinus) << c.text;
    EXPECT_EQ(token.kind, tokens[at].kind) << c.text;
    EXPECT_EQ(token.value, tokens[at].value) << c.text;
    EXPECT_EQ(token.column, tokens[0].column) << c.text;
    EXPECT_EQ(terminator, tokens[at + 1].kind) << c.text;
    // The terminator is read too: what follows is the end.
    auto rest = fast.Next();
    ASSERT_TRUE(rest.ok());
    EXPECT_EQ(rest->kind, SqlTokenKind::kEnd) << c.text;
  }
}

TEST(SqlLexer, DescribeToken) {
  auto tokens = Lex("\"2020-01-01\"");
  EXPECT_EQ(DescribeSqlToken(tokens[0]), "'\"2020-01-01\"'");
  EXPECT_EQ(DescribeSqlToken(tokens[1]), "end of input");
}

}  // namespace
}  // namespace strata
