// CsvReader: reads a delimited text file as batches of typed rows, for loadText/loadTextEx.
// The first line names the columns; column types come from the given schema or are inferred
// from a sample of rows (BOOL, INT, LONG, DOUBLE, DATE, MONTH, TIME, MINUTE, SECOND, DATETIME,
// TIMESTAMP, NANOTIMESTAMP, SYMBOL, STRING; ISO dates like 2017-08-07 and DolphinDB's
// 2017.08.07 both read as DATE). Memory is bounded by one batch. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "types/table.h"

namespace strata {

struct CsvOptions {
  char delimiter = ',';
  // Column names and types to use instead of the header/inference (same column count).
  std::optional<Schema> schema;
  size_t batch_rows_max = 1 << 20;
  size_t inference_rows = 1000;  // rows sampled to infer types
};

class CsvReader {
 public:
  // Opens `path`, reads the header and infers the schema. NotFound naming the file if it is
  // missing; InvalidArgument naming the file and line for an empty file or a bad header.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const CsvOptions& options);
  virtual ~CsvReader() = default;

  virtual const Schema& schema() const = 0;
  // The next batch of at most batch_rows_max rows, or nullopt at the end of the file. A field
  // that does not parse as its column's type is an InvalidArgument naming the file, line,
  // column and text.
  virtual Result<std::optional<Table>> NextBatch() = 0;
};

}  // namespace strata
