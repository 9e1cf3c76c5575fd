// `strata sql`: Doris SQL against a data directory (docs/sql.md). With -e and/or files it runs
// the statements in order and stops at the first error (exit status 1, `error: ...` on stderr,
// like `mysql -e`); with neither it reads standard input when it is not a terminal, else opens
// an interactive prompt where a statement ends at `;`. Result sets print as mysql's boxed
// table or as one JSON document per line; warnings go to stderr as `warning: ...`.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "cli/process.h"
#include "sql/result_set.h"
#include "sql/sql_session.h"

namespace strata {

enum class SqlOutputFormat : uint8_t { kTable, kJson };

// Prints one statement's outcome to `out` (warnings to `err`). `interactive`: also "Query OK"
// lines for statements without a result, as the mysql client does at its prompt.
void PrintSqlOutcome(const SqlOutcome& outcome, SqlOutputFormat format, bool interactive,
                     std::FILE* out, std::FILE* err);
// A result set as mysql's boxed table (without the "N rows in set" line).
std::string FormatSqlTable(const SqlResultSet& result);
// A result set as {"columns":[...],"types":[...],"rows":[[...],...]}, one line.
std::string FormatSqlJson(const SqlResultSet& result);

// The `strata sql` command; returns the exit status.
int RunSql(const CommonOptions& options, const std::vector<std::string>& files,
           const std::string& code);

// True when `text` ends with a complete statement: its last `;` outside quotes and comments is
// followed by nothing but whitespace and comments.
bool SqlStatementComplete(const std::string& text);

}  // namespace strata
