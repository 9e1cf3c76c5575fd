// Helpers shared by the parser tests: parse one statement of a known kind, or an error.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "sql/parser.h"

namespace strata {

// Parses `text`, which must hold exactly one statement of kind T; a default T on failure.
template <typename T>
T ParseOne(const std::string& text) {
  auto statements = ParseSql(text);
  EXPECT_TRUE(statements.ok()) << text << "\n" << statements.status().ToString();
  if (!statements.ok()) return T{};
  EXPECT_EQ(statements->size(), 1u) << text;
  if (statements->size() != 1) return T{};
  const T* statement = std::get_if<T>(&statements->front());
  EXPECT_NE(statement, nullptr) << text << ": another statement kind";
  return statement ? *statement : T{};
}

// The message of the error `text` must give.
inline std::string ParseError(const std::string& text) {
  auto statements = ParseSql(text);
  EXPECT_FALSE(statements.ok()) << text;
  return statements.ok() ? std::string() : statements.status().message();
}

}  // namespace strata
