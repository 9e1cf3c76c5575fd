// What one SQL statement gives back: a result set (SELECT, SHOW, DESC) or nothing (DDL, DML,
// user statements), the rows it changed, and warnings. Cells are typed Scalars or NULL, so a
// front end prints them in its own form (cli: mysql's boxed table or one JSON document; the
// server: MySQL text or binary rows). Plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "types/scalar.h"
#include "types/table.h"

namespace strata {

// One cell: nullopt is SQL NULL. A present Scalar is a value even when Strata's storage would
// read it as NULL (an empty string in a SHOW column is '').
using SqlCell = std::optional<Scalar>;

struct SqlResultSet {
  std::vector<std::string> columns;
  std::vector<std::string> types;          // as MySQL names them: INT, BIGINT, VARCHAR, DATE, ...
  std::vector<std::vector<SqlCell>> rows;  // the cells, unless `table` holds them
  // A SELECT's rows column by column, in place of `rows` (then empty): a million-row result
  // is its columns, and a cell is made only when read.
  TablePtr table;
  // A SELECT read a segment at a time (SqlSession::set_stream_results): `table` holds the first
  // rows, and each call gives the next rows with the same columns, nullptr after the last.
  // row_count() and cell() see only `table`. Empty when the result set is whole.
  std::function<Result<TablePtr>()> more_rows;

  size_t row_count() const { return table ? table->rows() : rows.size(); }
  // Row `row`, column `column`; NULL for a value Strata stores as NULL, and past a short row.
  SqlCell cell(size_t row, size_t column) const {
    if (!table) return column < rows[row].size() ? rows[row][column] : SqlCell();
    Scalar value = table->column(column)->Get(row);
    return value.is_null() ? SqlCell() : SqlCell(std::move(value));
  }
};

struct SqlOutcome {
  std::optional<SqlResultSet> result;     // none: the statement returns no rows
  std::optional<uint64_t> affected_rows;  // INSERT, TRUNCATE: rows written or removed
  std::vector<std::string> warnings;
};

}  // namespace strata
