// SqlPrepared: one statement with `?` placeholders, as COM_STMT_PREPARE / COM_STMT_EXECUTE of
// the MySQL protocol hand it over. Binding puts each value into the text as a SQL literal
// (quoted and escaped, so a value never becomes SQL), ready for SqlSession::Execute; the
// placeholders are found once, outside strings, quoted names and comments. Immutable once
// parsed; thread-safe to share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/result_set.h"

namespace strata {

class SqlPrepared {
 public:
  // Finds the `?` placeholders of one statement (not inside strings, quoted names or
  // comments). InvalidArgument for more than one statement (MySQL prepares one), an empty one,
  // or an unterminated string, quoted name or comment, naming its byte offset.
  static Result<SqlPrepared> Parse(std::string_view text);

  size_t parameter_count() const { return placeholders_.size(); }

  // The statement text with each placeholder replaced by the literal of its value: strings
  // quoted with ' ' and \ escaped, NULL as NULL, booleans TRUE/FALSE, numbers as digits (a
  // DOUBLE always with a '.' or exponent), dates and times quoted in ISO form. InvalidArgument
  // when the number of values is not parameter_count(), or a DOUBLE is NaN or infinite.
  Result<std::string> Bind(const std::vector<SqlCell>& parameters) const;

 private:
  std::string text_;
  std::vector<size_t> placeholders_;  // byte offsets of the '?'s in text_
};

// A value as a SQL literal that reads back as the same value (see SqlPrepared::Bind).
Result<std::string> SqlParameterLiteral(const SqlCell& value);

}  // namespace strata
