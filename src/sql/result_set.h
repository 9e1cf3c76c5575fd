// What one SQL statement gives back: a result set (SELECT, SHOW, DESC) or nothing (DDL, DML,
// user statements), the rows it changed, and warnings. Cells are typed Scalars or NULL, so a
// front end prints them in its own form (cli: mysql's boxed table or one JSON document; the
// MySQL protocol later). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "types/scalar.h"

namespace strata {

// One cell: nullopt is SQL NULL. A present Scalar is a value even when Strata's storage would
// read it as NULL (an empty string in a SHOW column is '').
using SqlCell = std::optional<Scalar>;

struct SqlResultSet {
  std::vector<std::string> columns;
  std::vector<std::string> types;  // as MySQL names them: INT, BIGINT, VARCHAR, DATE, ...
  std::vector<std::vector<SqlCell>> rows;
};

struct SqlOutcome {
  std::optional<SqlResultSet> result;     // none: the statement returns no rows
  std::optional<uint64_t> affected_rows;  // INSERT, TRUNCATE: rows written or removed
  std::vector<std::string> warnings;
};

}  // namespace strata
