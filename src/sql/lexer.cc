#include "sql/lexer.h"

#include <utility>

namespace strata {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes of a bare word: ASCII letters, digits, '_', '$', and every non-ASCII byte, so UTF-8
// names pass through whole (MySQL's unquoted identifier characters).
bool IsWordByte(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '$' ||
         byte >= 0x80;
}

// MySQL's backslash escapes inside strings; any other escaped byte stands for itself, except
// that \% and \_ keep their backslash (LIKE patterns need it).
std::string Unescape(char c) {
  switch (c) {
    case 'n':
      return "\n";
    case 't':
      return "\t";
    case 'r':
      return "\r";
    case 'b':
      return "\b";
    case '0':
      return std::string(1, '\0');
    case 'Z':
      return "\x1a";
    case '%':
      return "\\%";
    case '_':
      return "\\_";
    default:
      return std::string(1, c);
  }
}

}  // namespace

std::string DescribeSqlToken(const SqlToken& token) {
  if (token.kind == SqlTokenKind::kEnd) return "end of input";
  if (token.text.size() > kDescribedTokenBytesMax) {
    return "'" + std::string(token.text.substr(0, kDescribedTokenBytesMax)) + "...'";
  }
  return "'" + std::string(token.text) + "'";
}

char SqlLexer::Peek(size_t ahead) const {
  return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
}

void SqlLexer::Advance(size_t count) {
  for (size_t i = 0; i < count && pos_ < source_.size(); ++i) {
    if (source_[pos_++] == '\n') {
      ++line_;
      line_start_ = pos_;
    }
  }
}

Status SqlLexer::ErrorAt(int line, int column, const std::string& what) const {
  return InvalidArgument("line " + std::to_string(line) + ", column " + std::to_string(column) +
                         ": " + what);
}

Result<std::vector<SqlToken>> SqlLexer::Tokenize() {
  std::vector<SqlToken> tokens;
  while (true) {
    ASSIGN_OR_RETURN(SqlToken token, Next());
    bool end = token.kind == SqlTokenKind::kEnd;
    tokens.push_back(std::move(token));
    if (end) return tokens;
  }
}

Result<SqlToken> SqlLexer::Next() {
  RETURN_IF_ERROR(SkipSpaceAndComments());
  SqlToken token;
  token.line = line_;
  token.column = static_cast<int>(pos_ - line_start_) + 1;
  size_t start = pos_;
  if (pos_ >= source_.size()) return token;
  char c = Peek();
  bool after_name =
      last_kind_ == SqlTokenKind::kIdentifier || last_kind_ == SqlTokenKind::kQuotedIdentifier;
  if (c == '\'' || c == '"' || c == '`') {
    RETURN_IF_ERROR(LexQuoted(&token));
  } else if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)) && !after_name)) {
    RETURN_IF_ERROR(LexNumber(&token));
  } else if (IsWordByte(c)) {
    LexWord(&token);
  } else {
    RETURN_IF_ERROR(LexOperator(&token));
  }
  token.text = source_.substr(start, pos_ - start);
  last_kind_ = token.kind;
  return token;
}

bool SqlLexer::NextPlainConstant(SqlToken* token, bool* negative, SqlTokenKind* terminator) {
  if (!SkipSpaceAndComments().ok()) return false;  // Next reports it
  size_t at = pos_;
  auto byte = [&](size_t i) { return i < source_.size() ? source_[i] : '\0'; };
  *negative = byte(at) == '-';
  if (byte(at) == '-' || byte(at) == '+') ++at;
  size_t begin = at;  // of the value
  size_t end = at;    // of the value
  SqlTokenKind kind;
  char first = byte(at);
  if (IsDigit(first)) {
    kind = SqlTokenKind::kInteger;
    while (IsDigit(byte(end))) ++end;
    if (byte(end) == '.') {
      kind = SqlTokenKind::kDecimal;
      ++end;
      while (IsDigit(byte(end))) ++end;
    }
    if (IsWordByte(byte(end)) || byte(end) == '.') return false;  // exponent, name, bad number
    at = end;
  } else if ((first == '\'' || first == '"') && at == pos_) {
    kind = SqlTokenKind::kString;
    begin = end = at + 1;
    while (end < source_.size() && source_[end] != first && source_[end] != '\\' &&
           source_[end] != '\n') {
      ++end;
    }
    if (byte(end) != first || byte(end + 1) == first) return false;  // escapes, doubled quote
    at = end + 1;
  } else {
    return false;
  }
  const size_t constant_end = at;
  while (byte(at) == ' ' || byte(at) == '\t') ++at;
  char next = byte(at);
  if (next != ',' && next != ')') return false;
  token->kind = kind;
  token->line = line_;
  token->column = static_cast<int>(pos_ - line_start_) + 1;
  token->text = source_.substr(pos_, constant_end - pos_);
  token->value.assign(source_.data() + begin, end - begin);
  *terminator = next == ',' ? SqlTokenKind::kComma : SqlTokenKind::kRParen;
  last_kind_ = *terminator;
  pos_ = at + 1;  // no line break was crossed
  return true;
}

bool SqlLexer::AtLineComment() const {
  if (Peek() == '#') return true;
  // MySQL: "--" starts a comment only when a space, control character or the end follows, so
  // `1--2` is still 1 - (-2).
  if (Peek() != '-' || Peek(1) != '-') return false;
  char next = Peek(2);
  return next == '\0' || next == ' ' || next == '\t' || next == '\n' || next == '\r';
}

Status SqlLexer::SkipSpaceAndComments() {
  while (pos_ < source_.size()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      Advance();
    } else if (AtLineComment()) {
      while (pos_ < source_.size() && Peek() != '\n') Advance();
    } else if (c == '/' && Peek(1) == '*') {
      int line = line_;
      int column = static_cast<int>(pos_ - line_start_) + 1;
      Advance(2);
      while (pos_ < source_.size() && !(Peek() == '*' && Peek(1) == '/')) Advance();
      if (pos_ >= source_.size()) {
        return ErrorAt(line, column, "unterminated comment: '/*' has no closing '*/'");
      }
      Advance(2);
    } else {
      break;
    }
  }
  return Status::Ok();
}

Status SqlLexer::LexQuoted(SqlToken* token) {
  char quote = Peek();
  bool is_name = quote == '`';
  Advance();
  while (true) {
    if (pos_ >= source_.size()) {
      std::string what =
          is_name ? "unterminated quoted name: ` has no closing `"
                  : std::string("unterminated string: ") + quote + " has no closing " + quote;
      return ErrorAt(token->line, token->column, what);
    }
    char c = Peek();
    if (c == quote) {
      if (Peek(1) == quote) {  // a doubled quote stands for one
        token->value += quote;
        Advance(2);
        continue;
      }
      Advance();
      break;
    }
    if (c == '\\' && !is_name && pos_ + 1 < source_.size()) {
      token->value += Unescape(Peek(1));
      Advance(2);
      continue;
    }
    // A run of plain bytes at once (no quote, backslash or line break in it).
    size_t end = pos_ + 1;
    while (end < source_.size() && source_[end] != quote && source_[end] != '\\' &&
           source_[end] != '\n') {
      ++end;
    }
    token->value.append(source_.substr(pos_, end - pos_));
    Advance(end - pos_);
  }
  if (is_name) {
    if (token->value.empty()) {
      return ErrorAt(token->line, token->column, "empty quoted name ``; a name needs a character");
    }
    token->kind = SqlTokenKind::kQuotedIdentifier;
  } else {
    token->kind = SqlTokenKind::kString;
  }
  return Status::Ok();
}

Status SqlLexer::LexNumber(SqlToken* token) {
  size_t start = pos_;
  size_t end = pos_;
  auto at = [&](size_t i) { return i < source_.size() ? source_[i] : '\0'; };
  while (IsDigit(at(end))) ++end;
  bool decimal = false;
  // A run of digits followed by word bytes is a name, as in MySQL (`0_50`), unless the word
  // bytes are an exponent (1e5).
  auto exponent_end = [&](size_t i) -> size_t {
    if (at(i) != 'e' && at(i) != 'E') return 0;
    size_t j = i + 1;
    if (at(j) == '+' || at(j) == '-') ++j;
    if (!IsDigit(at(j))) return 0;
    while (IsDigit(at(j))) ++j;
    return j;
  };
  if (end > start && at(end) != '.' && IsWordByte(at(end))) {
    size_t e = exponent_end(end);
    if (e == 0 || IsWordByte(at(e))) {
      LexWord(token);
      return Status::Ok();
    }
  }
  if (at(end) == '.') {
    decimal = true;
    ++end;
    while (IsDigit(at(end))) ++end;
  }
  if (size_t e = exponent_end(end); e != 0) {
    decimal = true;
    end = e;
  }
  if (IsWordByte(at(end)) || at(end) == '.') {
    size_t bad_end = end;
    while (IsWordByte(at(bad_end)) || at(bad_end) == '.') ++bad_end;
    return ErrorAt(
        token->line, token->column,
        "malformed number '" + std::string(source_.substr(start, bad_end - start)) + "'");
  }
  token->kind = decimal ? SqlTokenKind::kDecimal : SqlTokenKind::kInteger;
  token->value = std::string(source_.substr(start, end - start));
  Advance(end - start);
  return Status::Ok();
}

void SqlLexer::LexWord(SqlToken* token) {
  size_t start = pos_;
  while (pos_ < source_.size() && IsWordByte(Peek())) Advance();
  token->kind = SqlTokenKind::kIdentifier;
  token->value = std::string(source_.substr(start, pos_ - start));
}

Status SqlLexer::LexOperator(SqlToken* token) {
  auto two = [&](char second, SqlTokenKind both, SqlTokenKind one) {
    bool pair = Peek(1) == second;
    token->kind = pair ? both : one;
    Advance(pair ? 2 : 1);
    return Status::Ok();
  };
  auto one = [&](SqlTokenKind kind) {
    token->kind = kind;
    Advance();
    return Status::Ok();
  };
  switch (Peek()) {
    case '!':
      if (Peek(1) == '=') return two('=', SqlTokenKind::kNotEq, SqlTokenKind::kNotEq);
      break;
    case '<':
      if (Peek(1) == '>') return two('>', SqlTokenKind::kNotEq, SqlTokenKind::kLess);
      return two('=', SqlTokenKind::kLessEq, SqlTokenKind::kLess);
    case '>':
      return two('=', SqlTokenKind::kGreaterEq, SqlTokenKind::kGreater);
    case '@':
      return two('@', SqlTokenKind::kAtAt, SqlTokenKind::kAt);
    case '=':
      return one(SqlTokenKind::kEq);
    case '+':
      return one(SqlTokenKind::kPlus);
    case '-':
      return one(SqlTokenKind::kMinus);
    case '*':
      return one(SqlTokenKind::kStar);
    case '/':
      return one(SqlTokenKind::kSlash);
    case '%':
      return one(SqlTokenKind::kPercent);
    case '(':
      return one(SqlTokenKind::kLParen);
    case ')':
      return one(SqlTokenKind::kRParen);
    case ',':
      return one(SqlTokenKind::kComma);
    case '.':
      return one(SqlTokenKind::kDot);
    case ';':
      return one(SqlTokenKind::kSemicolon);
    case '[':
      return one(SqlTokenKind::kLBracket);
    case ']':
      return one(SqlTokenKind::kRBracket);
    default:
      break;
  }
  auto byte = static_cast<unsigned char>(Peek());
  std::string shown = byte >= 0x20 && byte < 0x7f
                          ? "'" + std::string(1, Peek()) + "'"
                          : "byte 0x" + std::string(1, "0123456789abcdef"[byte >> 4]) +
                                std::string(1, "0123456789abcdef"[byte & 15]);
  return ErrorAt(token->line, token->column, "found " + shown + "; it is not part of SQL here");
}

}  // namespace strata
