#include "cli/shell.h"

// clang-format off
#include <cstdio>
#include <editline/readline.h>
// clang-format on

#include <cstdlib>
#include <string>

#include "base/strings.h"

namespace strata {

std::string HistoryPath(const char* file) {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/" + file;
}

namespace {

// Net count of open brackets, ignoring those inside strings and comments; > 0 means the
// statement continues on the next line.
int OpenBrackets(const std::string& text) {
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'')
      quote = c;
    else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '(' || c == '[' || c == '{')
      ++depth;
    else if (c == ')' || c == ']' || c == '}')
      --depth;
  }
  return depth;
}

}  // namespace

int RunShell(Interpreter& interpreter) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // results appear as soon as they are printed
  std::string history = HistoryPath(".strata_history");
  using_history();
  read_history(history.c_str());
  std::printf("strata shell — statements end at a newline; Ctrl-D or quit to leave\n");
  std::string pending;
  for (;;) {
    char* line = readline(pending.empty() ? "> " : "... ");
    if (line == nullptr) break;
    std::string text(line);
    std::free(line);
    if (pending.empty() && (Trim(text) == "quit" || Trim(text) == "exit")) break;
    pending += text;
    pending += "\n";
    if (OpenBrackets(pending) > 0) continue;
    std::string statement = std::string(Trim(pending));
    pending.clear();
    if (statement.empty()) continue;
    add_history(statement.c_str());
    Status status = interpreter.RunSource(statement);
    if (!status.ok()) std::fprintf(stderr, "error: %s\n", status.message().c_str());
  }
  write_history(history.c_str());
  return 0;
}

}  // namespace strata
