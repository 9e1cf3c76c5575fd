// Schema and Table: named, typed columns of equal length. A Table is immutable once built and
// shared as TablePtr (shared_ptr<const Table>).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "types/column.h"

namespace strata {

struct Field {
  std::string name;
  Type type = Type::kVoid;
  bool operator==(const Field&) const = default;
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  // Index of the column named `name` (case-insensitive, as DolphinDB), or nullopt.
  std::optional<size_t> Find(std::string_view name) const;
  void Add(Field field) { fields_.push_back(std::move(field)); }
  bool operator==(const Schema&) const = default;

 private:
  std::vector<Field> fields_;
};

class Table {
 public:
  Table() = default;
  // Columns must match the schema's types and have equal lengths (CHECKed).
  Table(Schema schema, std::vector<ColumnPtr> columns);

  const Schema& schema() const { return schema_; }
  size_t rows() const { return rows_; }
  size_t column_count() const { return columns_.size(); }
  const ColumnPtr& column(size_t i) const { return columns_[i]; }
  const std::vector<ColumnPtr>& columns() const { return columns_; }
  // The column named `name`, or NotFound naming the column and the table's columns.
  Result<ColumnPtr> ColumnByName(std::string_view name) const;
  // Rows [begin, end) (begin <= end <= rows(), CHECKed), every column.
  Table Slice(size_t begin, size_t end) const;

 private:
  Schema schema_;
  std::vector<ColumnPtr> columns_;
  size_t rows_ = 0;
};

using TablePtr = std::shared_ptr<const Table>;

}  // namespace strata
