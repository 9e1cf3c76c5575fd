#include "test_file.h"

#include <cstring>

namespace strata {

namespace {

constexpr const char* kSeparator = "----";
constexpr const char* kStatementError = "statement error";

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

// Reads a header line into `block`; false when it is not a known header.
bool ParseHeader(const std::string& line, Block& block) {
  if (line == "statement ok") {
    block.kind = BlockKind::kStatementOk;
  } else if (StartsWith(line, kStatementError)) {
    std::string rest = line.substr(std::strlen(kStatementError));
    if (!rest.empty() && rest[0] != ' ') return false;
    size_t start = rest.find_first_not_of(' ');
    block.kind = BlockKind::kStatementError;
    block.error_substring = start == std::string::npos ? "" : rest.substr(start);
  } else if (line == "query") {
    block.kind = BlockKind::kQuery;
  } else if (line == "shell") {
    block.kind = BlockKind::kShell;
  } else {
    return false;
  }
  return true;
}

std::optional<ParseError> CheckBlock(const Block& block) {
  if (block.script.empty()) return ParseError{block.line, "block has no script lines"};
  if (block.kind == BlockKind::kQuery && !block.expected) {
    return ParseError{block.line, "a query block needs a '----' line and the expected output"};
  }
  bool statement =
      block.kind == BlockKind::kStatementOk || block.kind == BlockKind::kStatementError;
  if (statement && block.expected) {
    return ParseError{block.line, "statement blocks take no '----' expected output"};
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(TrimRight(text.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    out += lines[i];
  }
  return out;
}

std::string KindName(BlockKind kind) {
  switch (kind) {
    case BlockKind::kStatementOk:
      return "statement ok";
    case BlockKind::kStatementError:
      return "statement error";
    case BlockKind::kQuery:
      return "query";
    case BlockKind::kShell:
      return "shell";
  }
  return "?";
}

// Comment lines (first character `#`) are dropped wherever they are; a blank line ends a block.
std::variant<std::vector<Block>, ParseError> ParseTestFile(const std::string& text) {
  std::vector<Block> blocks;
  std::optional<Block> current;
  std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i <= lines.size(); ++i) {
    const std::string line = i < lines.size() ? lines[i] : "";
    if (StartsWith(line, "#")) continue;
    if (line.empty()) {  // a blank line, or the end of the file
      if (!current) continue;
      if (auto error = CheckBlock(*current)) return *error;
      blocks.push_back(std::move(*current));
      current.reset();
      continue;
    }
    int line_number = static_cast<int>(i) + 1;
    if (!current) {
      current.emplace();
      current->line = line_number;
      if (!ParseHeader(line, *current)) {
        return ParseError{line_number,
                          "expected 'statement ok', 'statement error <substring>', "
                          "'query' or 'shell', found '" +
                              line + "'"};
      }
    } else if (current->expected) {
      current->expected->push_back(line);
    } else if (line == kSeparator) {
      current->expected.emplace();
    } else {
      current->script.push_back(line);  // leading whitespace is kept
    }
  }
  return blocks;
}

}  // namespace strata
