// A parsed tests/script/**/*.test file: blocks of `statement ok`, `statement error <text>`,
// `query` and `shell`, with their script lines and expected output (format: tests/README.md).
// Plain values; no I/O.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace strata {

enum class BlockKind { kStatementOk, kStatementError, kQuery, kShell };

// One block: a header line, script lines, and optionally `----` and the expected stdout.
struct Block {
  BlockKind kind = BlockKind::kStatementOk;
  int line = 0;                 // 1-based line of the header in the file
  std::string error_substring;  // kStatementError only; empty matches any error
  std::vector<std::string> script;
  std::optional<std::vector<std::string>> expected;  // the lines after `----`
};

struct ParseError {
  int line = 0;  // 1-based
  std::string message;
};

// Splits a file's text into blocks, or says which line is malformed.
std::variant<std::vector<Block>, ParseError> ParseTestFile(const std::string& text);

// "statement ok", "statement error", "query" or "shell".
std::string KindName(BlockKind kind);

// The lines of `text` split at '\n' (a final line without '\n' counts), trailing whitespace
// removed.
std::vector<std::string> Lines(const std::string& text);

// `lines` joined with '\n'.
std::string Join(const std::vector<std::string>& lines);

}  // namespace strata
