#include "sql/prepared.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "sql/binder_types.h"

namespace strata {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

Status Unterminated(const char* what, size_t at) {
  return InvalidArgument("unterminated " + std::string(what) + " at byte " + std::to_string(at) +
                         " of the prepared statement");
}

}  // namespace

Result<SqlPrepared> SqlPrepared::Parse(std::string_view text) {
  SqlPrepared prepared;
  prepared.text_ = std::string(text);
  bool ended = false;  // a ';' was read: only spaces and comments may follow
  bool any = false;    // the statement has a token
  size_t n = text.size();
  auto more = [&](size_t at) -> Status {
    if (ended) {
      return InvalidArgument(
          "a prepared statement is one statement; found another after the ';' "
          "at byte " +
          std::to_string(at) + " (prepare each statement on its own)");
    }
    any = true;
    return Status::Ok();
  };
  for (size_t i = 0; i < n; ++i) {
    char c = text[i];
    char next = i + 1 < n ? text[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      RETURN_IF_ERROR(more(i));
      size_t start = i;
      for (++i;; ++i) {
        if (i >= n) return Unterminated(c == '`' ? "quoted name" : "string", start);
        if (text[i] == '\\' && c != '`') {
          ++i;  // the escaped byte, whatever it is
        } else if (text[i] == c) {
          if (i + 1 < n && text[i + 1] == c) {
            ++i;  // a doubled quote
          } else {
            break;
          }
        }
      }
    } else if (c == '#' || (c == '-' && next == '-' && (i + 2 >= n || IsSpace(text[i + 2])))) {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '/' && next == '*') {
      size_t start = i;
      i += 2;
      while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) ++i;
      if (i + 1 >= n) return Unterminated("comment", start);
      ++i;
    } else if (c == ';') {
      ended = true;
    } else if (!IsSpace(c)) {
      RETURN_IF_ERROR(more(i));
      if (c == '?') prepared.placeholders_.push_back(i);
    }
  }
  if (!any) return InvalidArgument("a prepared statement needs a statement; the text is empty");
  return prepared;
}

Result<std::string> SqlParameterLiteral(const SqlCell& value) {
  if (!value || value->type() == Type::kVoid || value->is_null()) return std::string("NULL");
  const Scalar& v = *value;
  Type type = v.type();
  if (type == Type::kBool) return std::string(v.int_value() ? "TRUE" : "FALSE");
  if (IsIntegral(type)) {
    // A space before a minus sign, so `1-?` never becomes the comment `1--5`.
    std::string digits = std::to_string(v.int_value());
    return v.int_value() < 0 ? " " + digits : digits;
  }
  if (IsFloating(type)) {
    double d = v.float_value();
    if (!std::isfinite(d)) {
      return InvalidArgument("a parameter is " + std::string(std::isnan(d) ? "NaN" : "infinite") +
                             ", which SQL cannot write; send NULL or a finite number");
    }
    char buffer[64];
    auto [end, error] = type == Type::kFloat
                            ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(d))
                            : std::to_chars(buffer, buffer + sizeof buffer, d);
    if (error != std::errc()) return Internal("cannot print a DOUBLE parameter");
    std::string text(buffer, end);
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";  // stays a DOUBLE
    return d < 0 ? " " + text : text;
  }
  // Strings, dates and times: quoted; ' doubled, \ and NUL escaped.
  std::string text = IsStringLike(type) ? v.string_value() : MySqlText(v);
  std::string out = "'";
  out.reserve(text.size() + 2);
  for (char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\0') {
      out += "\\0";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<std::string> SqlPrepared::Bind(const std::vector<SqlCell>& parameters) const {
  if (parameters.size() != placeholders_.size()) {
    return InvalidArgument("the prepared statement has " + std::to_string(placeholders_.size()) +
                           " parameter(s) ('?'), but " + std::to_string(parameters.size()) +
                           " value(s) were given");
  }
  std::string out;
  out.reserve(text_.size() + parameters.size() * 8);
  size_t from = 0;
  for (size_t i = 0; i < parameters.size(); ++i) {
    out.append(text_, from, placeholders_[i] - from);
    auto literal = SqlParameterLiteral(parameters[i]);
    if (!literal.ok()) {
      return literal.status().WithContext("parameter " + std::to_string(i + 1));
    }
    out += *literal;
    from = placeholders_[i] + 1;
  }
  out.append(text_, from, std::string::npos);
  return out;
}

}  // namespace strata
