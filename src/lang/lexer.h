// Lexer for the DolphinDB-style script: source text → tokens. Numbers and temporal literals
// (2017.08.07, 13:30m, 2017.08.07T10:00:00.000, ...) become typed scalars here, strings are
// unescaped, and backquoted symbols (`date`ID) become one token holding their names. Comments
// are dropped; newlines are not tokens but flags on the following token, because whether a
// newline ends a statement depends on the bracket nesting the parser tracks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/scalar.h"

namespace strata {

enum class TokenKind : uint8_t {
  kEnd,         // end of input (always the last token)
  kIdentifier,  // name, keyword or word operator; may end in '!' (append!)
  kNumber,      // numeric or temporal constant: `value`
  kString,      // "..." or '...': `text` is the unescaped content
  kSymbol,      // `a or `a`b: `symbols` holds the names
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kAssign,  // =
  kEqEq,    // ==
  kNotEq,   // != or <>
  kLess,
  kLeftArrow,  // <- (join)
  kLessEq,
  kGreater,
  kGreaterEq,
  kAndAnd,
  kOrOr,
  kBang,
  kPlusAssign,
  kMinusAssign,
  kStarAssign,
  kSlashAssign,  // += -= *= /=
  kColon,
  kDotDot,
  kDot,
  kComma,
  kSemicolon,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  int line = 1;                      // 1-based line of the token's first character
  bool newline_before = false;       // a line break (or a comment spanning one) precedes the token
  std::string text;                  // the source text; the unescaped content for kString
  Scalar value;                      // kNumber
  std::vector<std::string> symbols;  // kSymbol
};

// How a token reads in an error message: "'foo'", "'('", "end of input".
std::string DescribeToken(const Token& token);

// Splits one script into tokens. Stateless apart from the source it reads; not thread-safe.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  // All tokens, ending with a kEnd token. InvalidArgument "line N: ..." naming the offending
  // text for an unknown character, an unterminated string or comment, or a malformed number
  // or temporal literal.
  Result<std::vector<Token>> Tokenize();

 private:
  // Skips spaces, tabs, newlines and comments, recording newlines in `newline_seen`.
  Status SkipSpaceAndComments(bool* newline_seen);
  Status LexNumber(Token* token);
  // A temporal literal starting at pos_ ("2017.08.07", "13:30m", ...); false if the text there
  // does not have a temporal shape, leaving pos_ unchanged.
  Result<bool> LexTemporal(Token* token);
  Status LexString(Token* token);
  Status LexSymbol(Token* token);
  void LexIdentifier(Token* token);
  Status LexOperator(Token* token);

  char Peek(size_t ahead = 0) const;
  size_t CountDigits(size_t at) const;
  Status Error(const std::string& what) const;

  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace strata
