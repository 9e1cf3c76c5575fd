// Handles that scripts hold: a partitioned (or dimension) table of a database, as returned by
// loadTable/createPartitionedTable, and metacode (<select ...>). Immutable.
#pragma once

#include <string>

#include "query/ast.h"
#include "types/value.h"

namespace strata {

class DfsTableObject : public Object {
 public:
  DfsTableObject(std::string db_name, std::string table_name)
      : db_name_(std::move(db_name)), table_name_(std::move(table_name)) {}
  const std::string& db_name() const { return db_name_; }
  const std::string& table_name() const { return table_name_; }
  std::string KindName() const override { return "table handle"; }
  std::string ToString() const override {
    return "table '" + table_name_ + "' of database '" + db_name_ + "'";
  }

 private:
  std::string db_name_;
  std::string table_name_;
};

class MetacodeObject : public Object {
 public:
  explicit MetacodeObject(ExprPtr expr) : expr_(std::move(expr)) {}
  const ExprPtr& expr() const { return expr_; }
  std::string KindName() const override { return "metacode"; }
  std::string ToString() const override { return "<metacode>"; }

 private:
  ExprPtr expr_;
};

// The DfsTableObject inside `value`, or nullptr.
inline const DfsTableObject* AsDfsTable(const Value& value) {
  return value.is_object() ? dynamic_cast<const DfsTableObject*>(value.object().get()) : nullptr;
}

}  // namespace strata
