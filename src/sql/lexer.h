// Lexer for the Doris/MySQL SQL dialect: source text → tokens with 1-based line and column.
// Keywords are not reserved here: every word is a kIdentifier and the parser decides, case-
// insensitively, whether it reads as a keyword. Backquoted identifiers and strings are
// unescaped; bytes that are not UTF-8 inside them are kept as they are. Comments are dropped.
// The names carry an Sql prefix because the script front end (lang) has its own Token/Lexer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata {

enum class SqlTokenKind : uint8_t {
  kEnd,               // end of input (always the last token)
  kIdentifier,        // a word: name or keyword; `value` is the word
  kQuotedIdentifier,  // `name`: `value` is the name, never a keyword
  kString,            // '...' or "...": `value` is the unescaped content
  kInteger,           // 123: `value` is the digits
  kDecimal,           // 1.5, .5, 1e5, 2.5E-3: `value` is the text
  kEq,                // =
  kNotEq,             // != or <>
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kLParen,
  kRParen,
  kComma,
  kDot,
  kSemicolon,
  kLBracket,
  kRBracket,
  kAt,    // @ (user variables, 'user'@'host')
  kAtAt,  // @@ (system variables)
};

struct SqlToken {
  SqlTokenKind kind = SqlTokenKind::kEnd;
  int line = 1;           // 1-based line of the token's first byte
  int column = 1;         // 1-based byte column of the token's first byte
  std::string_view text;  // the source text as written (quotes included), in the source
  std::string value;      // see SqlTokenKind
};

// How a token reads in an error message: "'TABL'", "'\"2020-01-01\"'", "end of input". Long
// tokens are cut to kDescribedTokenBytesMax bytes followed by "...".
std::string DescribeSqlToken(const SqlToken& token);
inline constexpr size_t kDescribedTokenBytesMax = 40;

// Splits SQL text into tokens, all at once or one by one. Holds only the text it reads (not
// owned); not thread-safe.
class SqlLexer {
 public:
  explicit SqlLexer(std::string_view source) : source_(source) {}

  // All tokens, ending with a kEnd token. InvalidArgument "line L, column C: ..." for an
  // unterminated string, backquoted name or block comment (at its start), an empty backquoted
  // name, a malformed number, or a character that is not part of the dialect.
  Result<std::vector<SqlToken>> Tokenize();
  // The next token (kEnd, again and again, at the end of the source); the same errors.
  Result<SqlToken> Next();
  // The bulk-insert shortcut: if what follows is one constant alone in a VALUES cell (a
  // number, maybe after '-' or '+', or a quoted string without escapes or line breaks, then
  // ',' or ')'), reads it and its terminator and returns true: `token` gets the constant as
  // Next would give it (kInteger, kDecimal or kString), `negative` its sign, `terminator` kComma
  // or kRParen. Otherwise reads nothing but spaces and comments and returns false.
  bool NextPlainConstant(SqlToken* token, bool* negative, SqlTokenKind* terminator);

 private:
  Status SkipSpaceAndComments();
  bool AtLineComment() const;
  Status LexQuoted(SqlToken* token);
  Status LexNumber(SqlToken* token);
  void LexWord(SqlToken* token);
  Status LexOperator(SqlToken* token);

  char Peek(size_t ahead = 0) const;
  void Advance(size_t count = 1);
  Status ErrorAt(int line, int column, const std::string& what) const;

  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;                        // offset of the current line's first byte
  SqlTokenKind last_kind_ = SqlTokenKind::kEnd;  // the kind of the token Next gave last
};

}  // namespace strata
