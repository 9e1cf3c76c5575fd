#include "cli/sql_cli.h"

// clang-format off
#include <cstdio>
#include <editline/readline.h>
// clang-format on

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/file_util.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "cli/shell.h"
#include "jobs/job_state.h"
#include "sql/binder_types.h"

namespace strata {

namespace {

bool IsNumberType(const std::string& type) {
  return type == "TINYINT" || type == "SMALLINT" || type == "INT" || type == "BIGINT" ||
         type == "FLOAT" || type == "DOUBLE" || type == "BOOLEAN";
}

std::string CellText(const SqlCell& cell) { return cell ? MySqlText(*cell) : "NULL"; }

nlohmann::json CellJson(const SqlCell& cell) {
  if (!cell) return nullptr;
  Type type = cell->type();
  if (IsFloating(type)) {
    double v = cell->float_value();
    if (!std::isfinite(v)) return nullptr;
    // A FLOAT's shortest text (0.1, not 0.100000001); strtod never throws (denormals).
    return std::strtod(MySqlText(*cell).c_str(), nullptr);
  }
  if (IsIntegral(type)) return cell->int_value();
  return MySqlText(*cell);
}

std::string RowsInSet(size_t rows) {
  if (rows == 0) return "Empty set";
  return std::to_string(rows) + (rows == 1 ? " row in set" : " rows in set");
}

}  // namespace

std::string FormatSqlTable(const SqlResultSet& result) {
  size_t n = result.columns.size();
  std::vector<size_t> width(n);
  std::vector<std::vector<std::string>> cells;
  for (size_t c = 0; c < n; ++c) width[c] = result.columns[c].size();
  for (size_t r = 0; r < result.row_count(); ++r) {
    std::vector<std::string> texts;
    for (size_t c = 0; c < n; ++c) {
      texts.push_back(CellText(result.cell(r, c)));
      width[c] = std::max(width[c], texts.back().size());
    }
    cells.push_back(std::move(texts));
  }
  std::string rule = "+";
  for (size_t c = 0; c < n; ++c) rule += std::string(width[c] + 2, '-') + "+";
  rule += "\n";
  auto line = [&](const std::vector<std::string>& texts, bool header) {
    std::string out = "|";
    for (size_t c = 0; c < n; ++c) {
      std::string pad(width[c] - texts[c].size(), ' ');
      bool right = !header && IsNumberType(result.types[c]);
      out += " " + (right ? pad + texts[c] : texts[c] + pad) + " |";
    }
    return out + "\n";
  };
  std::string out = rule + line(result.columns, true) + rule;
  for (const auto& texts : cells) out += line(texts, false);
  if (!cells.empty()) out += rule;
  return out;
}

std::string FormatSqlJson(const SqlResultSet& result) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t r = 0; r < result.row_count(); ++r) {
    nlohmann::json cells = nlohmann::json::array();
    size_t width = result.table ? result.columns.size() : result.rows[r].size();
    for (size_t c = 0; c < width; ++c) cells.push_back(CellJson(result.cell(r, c)));
    rows.push_back(std::move(cells));
  }
  // Key order as documented: columns, types, rows.
  return "{\"columns\":" + DumpJsonForDisplay(result.columns) +
         ",\"types\":" + DumpJsonForDisplay(result.types) +
         ",\"rows\":" + DumpJsonForDisplay(rows) + "}";
}

void PrintSqlOutcome(const SqlOutcome& outcome, SqlOutputFormat format, bool interactive,
                     std::FILE* out, std::FILE* err) {
  for (const auto& warning : outcome.warnings) std::fprintf(err, "warning: %s\n", warning.c_str());
  std::fflush(err);
  std::string text;
  if (outcome.result) {
    if (format == SqlOutputFormat::kJson) {
      text = FormatSqlJson(*outcome.result) + "\n";
    } else {
      size_t rows = outcome.result->row_count();
      text = (rows == 0 ? std::string() : FormatSqlTable(*outcome.result)) + RowsInSet(rows) + "\n";
    }
  } else if (interactive && format == SqlOutputFormat::kTable) {
    text = "Query OK";
    if (outcome.affected_rows) {
      text += ", " + std::to_string(*outcome.affected_rows) +
              (*outcome.affected_rows == 1 ? " row affected" : " rows affected");
    }
    text += "\n";
  }
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

bool SqlStatementComplete(const std::string& text) {
  bool complete = false;  // a `;` seen with nothing but space and comments after it
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"' || c == '`') {
      complete = false;
      for (++i; i < text.size(); ++i) {
        if (text[i] == '\\' && c != '`') {
          ++i;
        } else if (text[i] == c) {
          if (i + 1 < text.size() && text[i + 1] == c) {
            ++i;  // a doubled quote
          } else {
            break;
          }
        }
      }
      if (i >= text.size()) return false;  // still inside the quotes
    } else if (c == '#' || (c == '-' && text.compare(i, 3, "-- ") == 0) ||
               (c == '-' && text.compare(i, 3, "--\n") == 0)) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t end = text.find("*/", i + 2);
      if (end == std::string::npos) return false;
      i = end + 1;
    } else if (c == ';') {
      complete = true;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      complete = false;
    }
  }
  return complete;
}

namespace {

// Runs `text`, printing each outcome; on the first error prints it and returns false.
bool RunText(SqlSession& sql, const std::string& text, SqlOutputFormat format, bool interactive) {
  Status status = sql.Execute(text, [&](SqlOutcome outcome, bool) {
    PrintSqlOutcome(outcome, format, interactive, stdout, stderr);
    return Status::Ok();
  });
  if (status.ok()) return true;
  std::fprintf(stderr, "error: %s\n", SqlErrorText(status).c_str());
  std::fflush(stderr);
  return false;
}

int RunSqlShell(SqlSession& sql, SqlOutputFormat format) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string history = HistoryPath(".strata_sql_history");
  using_history();
  read_history(history.c_str());
  std::printf("strata sql — statements end at ';'; Ctrl-D or quit to leave\n");
  std::string pending;
  for (;;) {
    char* line = readline(pending.empty() ? "strata> " : "     -> ");
    if (line == nullptr) break;
    std::string text(line);
    std::free(line);
    std::string trimmed(Trim(text));
    if (pending.empty() && (trimmed == "quit" || trimmed == "exit" || trimmed == "quit;" ||
                            trimmed == "exit;" || trimmed == "\\q")) {
      break;
    }
    pending += text;
    pending += "\n";
    if (!SqlStatementComplete(pending)) continue;
    std::string statement(Trim(pending));
    pending.clear();
    add_history(statement.c_str());
    RunText(sql, statement, format, /*interactive=*/true);
  }
  write_history(history.c_str());
  return 0;
}

volatile std::sig_atomic_t interrupted = 0;
void OnInterrupt(int) { interrupted = 1; }

constexpr int kJobPollMs = 100;

// Embedded jobs: BACKUP and RESTORE SNAPSHOT return once their job is queued, but this process
// is the only one running them, so before it exits it waits for every job it started (`since`
// on), drawing the running one's progress on `progress` (null: no display). Ctrl-C cancels them
// (a re-run of the statement resumes a backup). Returns false, after saying why on stderr, when
// one did not finish.
bool WaitForJobs(Process& process, int64_t since, ProgressObserver* progress) {
  auto jobs = process.instance->jobs();
  if (!jobs.ok()) return true;  // no job manager: no job was started
  auto caller = process.session->JobCallerOf();
  auto previous = std::signal(SIGINT, OnInterrupt);
  interrupted = 0;
  bool cancelled = false;
  std::string shown;  // the job whose progress is drawn
  // Returns at once when the jobs are done; otherwise wakes every poll interval to draw
  // progress and to notice Ctrl-C.
  while (!(*jobs)->WaitAllFor(std::chrono::milliseconds(kJobPollMs))) {
    if (progress == nullptr && !interrupted) continue;
    auto records = (*jobs)->List();
    if (!records.ok()) break;
    const JobRecord* running = nullptr;
    for (const auto& r : *records) {
      auto state = ParseJobState(r.state);
      if (r.start_ms < since || !state || IsFinal(*state)) continue;
      if (interrupted && !cancelled && caller.ok()) (void)(*jobs)->Cancel(r.id, *caller);
      if (*state == JobState::kRunning && running == nullptr) running = &r;
    }
    if (interrupted && !cancelled) {
      cancelled = true;
      std::fprintf(
          stderr,
          "cancelling the jobs this run started; run the statements again to resume a backup\n");
    }
    if (progress != nullptr && running != nullptr) {
      if (shown != running->id) {
        if (!shown.empty()) progress->Finish();
        shown = running->id;
        progress->Start(running->label);
      }
      progress->Update(TaskProgress{running->total_units, running->done_units, running->total_bytes,
                                    running->done_bytes, running->start_ms});
    }
  }
  if (progress != nullptr && !shown.empty()) progress->Finish();
  std::signal(SIGINT, previous);
  bool all_finished = true;
  auto records = (*jobs)->List();
  if (!records.ok()) return true;
  for (const auto& r : *records) {
    if (r.start_ms < since || r.state == JobStateName(JobState::kFinished)) continue;
    all_finished = false;
    std::fprintf(stderr, "error: job %s (%s) %s%s%s\n", r.id.c_str(), r.label.c_str(),
                 r.state.c_str(), r.error.empty() ? "" : ": ", r.error.c_str());
  }
  return all_finished;
}

}  // namespace

int RunSql(const CommonOptions& options, const std::vector<std::string>& files,
           const std::string& code) {
  std::vector<std::pair<std::string, std::string>> sources;
  if (!code.empty()) sources.emplace_back("-e", code);
  auto read = ReadSources(files);
  if (!read.ok()) return Fail(read.status().message());
  for (auto& source : *read) sources.push_back(std::move(source));
  bool interactive = sources.empty() && isatty(fileno(stdin));
  if (sources.empty() && !interactive) {
    auto input = ReadAll(STDIN_FILENO, "standard input");
    if (!input.ok()) return Fail(input.status().message());
    sources.emplace_back("stdin", std::move(*input));
  }
  auto process = OpenProcess(options);
  if (!process.ok()) return Fail(process.status().message());
  SqlSession sql(*process->session);
  SqlOutputFormat format =
      options.format == "json" ? SqlOutputFormat::kJson : SqlOutputFormat::kTable;
  const int64_t started = NowMs();
  int status = 0;
  if (interactive) {
    status = RunSqlShell(sql, format);
  } else {
    for (const auto& [name, text] : sources) {
      if (!RunText(sql, text, format, /*interactive=*/false)) {
        status = 1;
        break;
      }
    }
  }
  if (!WaitForJobs(*process, started, process->progress.get())) status = 1;
  return status;
}

}  // namespace strata
