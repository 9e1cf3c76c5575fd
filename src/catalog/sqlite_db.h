// A thin RAII layer over one SQLite connection: prepared statements with typed binds and
// columns, and errors as Status naming the SQL and SQLite's message. Compiled statements are
// kept per SQL text and reused (compiling was a third of a point select's catalog time), so a
// statement must not outlive its SqliteDb. Needs external locking: one thread at a time per
// SqliteDb.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace strata {

class SqliteDb;

class SqliteStatement {
 public:
  // `owner`, when set, takes the compiled statement back for reuse instead of finalizing it.
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, SqliteDb* owner = nullptr)
      : db_(db), stmt_(stmt), owner_(owner) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binds are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& BindBlob(int index, std::string_view bytes);

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Makes the statement ready to bind and run again.
  void Reset();

  int64_t ColumnInt(int index) const;
  bool ColumnIsNull(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  SqliteDb* owner_;
};

class SqliteDb {
 public:
  // Opens (creating if needed) the database file in WAL mode with synchronous=FULL.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();

  Status Exec(std::string_view sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  const std::string& path() const { return path_; }

 private:
  friend class SqliteStatement;
  // Distinct SQL texts whose compiled statements are kept; others are finalized after use.
  static constexpr size_t kCachedSqlCountMax = 128;

  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Takes back a statement that is done with (reset, bindings cleared) for its SQL text.
  void Release(sqlite3_stmt* stmt);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;  // by SQL text
};

}  // namespace strata
