#include "lang/lexer.h"

#include <charconv>
#include <limits>

#include "types/temporal.h"

namespace strata {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

struct OperatorSpelling {
  const char* text;
  TokenKind kind;
};

// Longest spellings first so that "==" wins over "=".
constexpr OperatorSpelling kOperators[] = {
    {"==", TokenKind::kEqEq},       {"!=", TokenKind::kNotEq},
    {"<>", TokenKind::kNotEq},      {"<=", TokenKind::kLessEq},
    {"<-", TokenKind::kLeftArrow},  {">=", TokenKind::kGreaterEq},
    {"&&", TokenKind::kAndAnd},     {"||", TokenKind::kOrOr},
    {"+=", TokenKind::kPlusAssign}, {"-=", TokenKind::kMinusAssign},
    {"*=", TokenKind::kStarAssign}, {"/=", TokenKind::kSlashAssign},
    {"..", TokenKind::kDotDot},     {"+", TokenKind::kPlus},
    {"-", TokenKind::kMinus},       {"*", TokenKind::kStar},
    {"/", TokenKind::kSlash},       {"%", TokenKind::kPercent},
    {"=", TokenKind::kAssign},      {"<", TokenKind::kLess},
    {">", TokenKind::kGreater},     {"!", TokenKind::kBang},
    {":", TokenKind::kColon},       {".", TokenKind::kDot},
    {",", TokenKind::kComma},       {";", TokenKind::kSemicolon},
    {"(", TokenKind::kLParen},      {")", TokenKind::kRParen},
    {"[", TokenKind::kLBracket},    {"]", TokenKind::kRBracket},
    {"{", TokenKind::kLBrace},      {"}", TokenKind::kRBrace},
};

}  // namespace

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kString: {
      std::string shown = token.text.size() > 30 ? token.text.substr(0, 30) + "..." : token.text;
      return "string \"" + shown + "\"";
    }
    default:
      return "'" + token.text + "'";
  }
}

char Lexer::Peek(size_t ahead) const {
  size_t at = pos_ + ahead;
  return at < source_.size() ? source_[at] : '\0';
}

size_t Lexer::CountDigits(size_t at) const {
  size_t n = 0;
  while (at + n < source_.size() && IsDigit(source_[at + n])) ++n;
  return n;
}

Status Lexer::Error(const std::string& what) const {
  return InvalidArgument("line " + std::to_string(line_) + ": " + what);
}

Result<std::vector<Token>> Lexer::Tokenize() {
  std::vector<Token> tokens;
  while (true) {
    bool newline_seen = false;
    RETURN_IF_ERROR(SkipSpaceAndComments(&newline_seen));
    Token token;
    token.line = line_;
    token.newline_before = newline_seen;
    if (pos_ >= source_.size()) {
      tokens.push_back(std::move(token));
      return tokens;
    }
    char c = Peek();
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      RETURN_IF_ERROR(LexNumber(&token));
    } else if (c == '"' || c == '\'') {
      RETURN_IF_ERROR(LexString(&token));
    } else if (c == '`') {
      RETURN_IF_ERROR(LexSymbol(&token));
    } else if (IsIdentStart(c)) {
      LexIdentifier(&token);
    } else {
      RETURN_IF_ERROR(LexOperator(&token));
    }
    tokens.push_back(std::move(token));
  }
}

Status Lexer::SkipSpaceAndComments(bool* newline_seen) {
  while (pos_ < source_.size()) {
    char c = Peek();
    if (c == '\n') {
      *newline_seen = true;
      ++line_;
      ++pos_;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos_;
    } else if (c == '/' && Peek(1) == '/') {
      while (pos_ < source_.size() && Peek() != '\n') ++pos_;
    } else if (c == '/' && Peek(1) == '*') {
      int start_line = line_;
      pos_ += 2;
      while (pos_ < source_.size() && !(Peek() == '*' && Peek(1) == '/')) {
        if (Peek() == '\n') {
          *newline_seen = true;
          ++line_;
        }
        ++pos_;
      }
      if (pos_ >= source_.size()) {
        return InvalidArgument("line " + std::to_string(start_line) +
                               ": comment '/*' is never closed; add '*/'");
      }
      pos_ += 2;
    } else {
      break;
    }
  }
  return Status::Ok();
}

// Recognizes the shapes DDDD.DD.DD[THH:MM[:SS[.f+]]], DDDD.DDM, HH:MMm and HH:MM:SS[.f+]; the
// digits themselves are validated by ParseTemporal. HH:MM alone stays an INT pair (13:30).
Result<bool> Lexer::LexTemporal(Token* token) {
  // Length of HH:MM:SS[.f+] (seconds required) or HH:MM (if !need_seconds) at `at`, or 0.
  auto time_of_day = [&](size_t at, bool need_seconds) -> size_t {
    auto at_char = [&](size_t i) { return i < source_.size() ? source_[i] : '\0'; };
    if (CountDigits(at) != 2 || at_char(at + 2) != ':' || CountDigits(at + 3) != 2) return 0;
    size_t n = 5;
    if (at_char(at + n) != ':' || CountDigits(at + n + 1) != 2) return need_seconds ? 0 : n;
    n += 3;
    if (at_char(at + n) == '.' && IsDigit(at_char(at + n + 1))) n += 1 + CountDigits(at + n + 1);
    return n;
  };
  size_t digits = CountDigits(pos_);
  size_t length = 0;
  if (digits == 4 && Peek(4) == '.' && CountDigits(pos_ + 5) == 2) {
    if (Peek(7) == 'M' && !IsIdentChar(Peek(8))) {
      length = 8;
    } else if (Peek(7) == '.' && CountDigits(pos_ + 8) == 2) {
      length = 10;
      if (Peek(10) == 'T') {
        size_t time_length = time_of_day(pos_ + 11, /*need_seconds=*/false);
        if (time_length > 0) length = 11 + time_length;
      }
    }
  } else if (digits == 2 && Peek(2) == ':') {
    if (CountDigits(pos_ + 3) == 2 && Peek(5) == 'm' && !IsIdentChar(Peek(6))) {
      length = 6;
    } else {
      length = time_of_day(pos_, /*need_seconds=*/true);
    }
  }
  if (length == 0) return false;
  std::string_view text = source_.substr(pos_, length);
  std::optional<Scalar> value = ParseTemporal(text);
  if (!value) {
    return Error("invalid temporal literal '" + std::string(text) +
                 "'; check the month, day and time fields");
  }
  pos_ += length;
  if (IsIdentChar(Peek())) {
    return Error("unexpected '" + std::string(1, Peek()) + "' after temporal literal '" +
                 std::string(text) + "'");
  }
  token->kind = TokenKind::kNumber;
  token->text = std::string(text);
  token->value = *value;
  return true;
}

Status Lexer::LexNumber(Token* token) {
  ASSIGN_OR_RETURN(bool temporal, LexTemporal(token));
  if (temporal) return Status::Ok();
  size_t start = pos_;
  bool is_floating = false;
  pos_ += CountDigits(pos_);
  if (Peek() == '.' && Peek(1) != '.' && (IsDigit(Peek(1)) || !IsIdentStart(Peek(1)))) {
    is_floating = true;
    ++pos_;
    pos_ += CountDigits(pos_);
  }
  if ((Peek() == 'e' || Peek() == 'E') &&
      (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
    is_floating = true;
    pos_ += 2;
    pos_ += CountDigits(pos_);
  }
  std::string digits(source_.substr(start, pos_ - start));
  char suffix = '\0';
  if ((Peek() == 'l' || Peek() == 'h' || Peek() == 'c' || Peek() == 'f') && !IsIdentChar(Peek(1))) {
    suffix = Peek();
    ++pos_;
  }
  token->kind = TokenKind::kNumber;
  token->text = std::string(source_.substr(start, pos_ - start));
  if (IsIdentChar(Peek()) || (is_floating && suffix != '\0' && suffix != 'f')) {
    while (IsIdentChar(Peek())) ++pos_;
    return Error("invalid number '" + std::string(source_.substr(start, pos_ - start)) +
                 "'; numbers take the suffixes l (LONG), h (SHORT), c (CHAR) or f (FLOAT)");
  }
  if (is_floating || suffix == 'f') {
    double v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      return Error("invalid number '" + token->text + "'");
    }
    token->value = Scalar::Float(suffix == 'f' ? Type::kFloat : Type::kDouble, v);
    return Status::Ok();
  }
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return Error("integer literal '" + token->text + "' is out of the LONG range; write it as " +
                 "a DOUBLE (e.g. " + digits + ".0)");
  }
  Type type = v <= std::numeric_limits<int32_t>::max() ? Type::kInt : Type::kLong;
  int64_t max = std::numeric_limits<int64_t>::max();
  if (suffix == 'l') type = Type::kLong;
  if (suffix == 'h') type = Type::kShort, max = std::numeric_limits<int16_t>::max();
  if (suffix == 'c') type = Type::kChar, max = std::numeric_limits<int8_t>::max();
  if (v > max) {
    return Error("literal '" + token->text + "' is out of the " + TypeName(type) + " range");
  }
  token->value = Scalar::Int(type, v);
  return Status::Ok();
}

Status Lexer::LexString(Token* token) {
  char quote = Peek();
  int start_line = line_;
  ++pos_;
  std::string text;
  while (pos_ < source_.size() && Peek() != quote) {
    char c = Peek();
    if (c == '\n') ++line_;
    if (c == '\\' && pos_ + 1 < source_.size()) {
      char e = Peek(1);
      switch (e) {
        case 'n':
          text += '\n';
          break;
        case 't':
          text += '\t';
          break;
        case 'r':
          text += '\r';
          break;
        case '0':
          text += '\0';
          break;
        default:
          text += e;
          break;  // \\ \" \' and any other escaped character
      }
      if (e == '\n') ++line_;
      pos_ += 2;
      continue;
    }
    text += c;
    ++pos_;
  }
  if (pos_ >= source_.size()) {
    return InvalidArgument("line " + std::to_string(start_line) + ": string starting with " +
                           std::string(1, quote) + " is never closed; add the closing " +
                           std::string(1, quote));
  }
  ++pos_;
  token->kind = TokenKind::kString;
  token->text = std::move(text);
  return Status::Ok();
}

Status Lexer::LexSymbol(Token* token) {
  size_t start = pos_;
  while (Peek() == '`') {
    ++pos_;
    size_t name_start = pos_;
    while (IsIdentChar(Peek())) ++pos_;
    if (pos_ == name_start) {
      return Error("expected a name after '`' (a symbol such as `pt)");
    }
    token->symbols.emplace_back(source_.substr(name_start, pos_ - name_start));
  }
  token->kind = TokenKind::kSymbol;
  token->text = std::string(source_.substr(start, pos_ - start));
  return Status::Ok();
}

void Lexer::LexIdentifier(Token* token) {
  size_t start = pos_;
  while (IsIdentChar(Peek())) ++pos_;
  // append!, dropPartition! ...; but not the `!` of `a!=b`.
  if (Peek() == '!' && Peek(1) != '=') ++pos_;
  token->kind = TokenKind::kIdentifier;
  token->text = std::string(source_.substr(start, pos_ - start));
}

Status Lexer::LexOperator(Token* token) {
  for (const OperatorSpelling& op : kOperators) {
    std::string_view spelling(op.text);
    if (source_.substr(pos_, spelling.size()) == spelling) {
      token->kind = op.kind;
      token->text = std::string(spelling);
      pos_ += spelling.size();
      return Status::Ok();
    }
  }
  char c = Peek();
  std::string hint;
  if (c == '&') hint = "; use '&&' or 'and'";
  if (c == '|') hint = "; use '||' or 'or'";
  return Error("unexpected character '" + std::string(1, c) + "'" + hint);
}

}  // namespace strata
