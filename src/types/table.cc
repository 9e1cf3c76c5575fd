#include "types/table.h"

#include "base/check.h"
#include "base/strings.h"

namespace strata {

std::optional<size_t> Schema::Find(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (EqualsIgnoreCase(fields_[i].name, name)) return i;
  }
  return std::nullopt;
}

Table::Table(Schema schema, std::vector<ColumnPtr> columns)
    : schema_(std::move(schema)), columns_(std::move(columns)) {
  STRATA_CHECK(schema_.size() == columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    STRATA_CHECK(columns_[i] != nullptr);
    STRATA_CHECK(StorageOf(columns_[i]->type()) == StorageOf(schema_.field(i).type));
    if (i == 0) rows_ = columns_[i]->size();
    STRATA_CHECK(columns_[i]->size() == rows_);
  }
}

Table Table::Slice(size_t begin, size_t end) const {
  std::vector<ColumnPtr> columns;
  for (const auto& column : columns_) {
    columns.push_back(std::make_shared<const Column>(column->Slice(begin, end)));
  }
  return Table(schema_, std::move(columns));
}

Result<ColumnPtr> Table::ColumnByName(std::string_view name) const {
  auto index = schema_.Find(name);
  if (!index) {
    std::vector<std::string> names;
    for (const auto& f : schema_.fields()) names.push_back(f.name);
    return NotFound("column " + Quote(name) + " not found; the table has columns " +
                    Join(names, ", "));
  }
  return columns_[*index];
}

}  // namespace strata
