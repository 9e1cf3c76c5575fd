// The interactive shell: line editing and history through libedit, multi-line statements
// (input continues while brackets are open), errors printed without leaving the shell.
#pragma once

#include "cli/output.h"
#include "lang/interpreter.h"

namespace strata {

// ~/<file>: where a prompt keeps its line history.
std::string HistoryPath(const char* file);

// Runs until end of input (Ctrl-D) or `quit`; returns the process exit status.
int RunShell(Interpreter& interpreter);

}  // namespace strata
