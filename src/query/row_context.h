// RowContext: an EvalContext that resolves names to the columns of one table first and to its
// parent context otherwise — how select expressions see their table. Borrowed parent; needs
// external locking like its parent.
#pragma once

#include "query/eval_context.h"
#include "types/table.h"

namespace strata {

class RowContext : public EvalContext {
 public:
  RowContext(EvalContext& parent, TablePtr table) : parent_(parent), table_(std::move(table)) {}

  std::optional<Value> FindVariable(const std::string& name) const override {
    auto index = table_->schema().Find(name);
    if (index) return Value::Vector(table_->column(*index));
    return parent_.FindVariable(name);
  }
  FunctionPtr FindFunction(const std::string& name) const override {
    return parent_.FindFunction(name);
  }
  TableReader* tables() const override { return parent_.tables(); }
  NullSemantics nulls() const override { return parent_.nulls(); }
  Result<Value> MakeLambda(const Expr& lambda) override { return parent_.MakeLambda(lambda); }
  std::optional<size_t> RowCount() const override { return table_->rows(); }
  const TablePtr& table() const { return table_; }

 private:
  EvalContext& parent_;
  TablePtr table_;
};

}  // namespace strata
