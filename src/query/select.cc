#include "query/select.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <unordered_map>

#include "base/strings.h"
#include "engine/engine.h"
#include "query/aggregate.h"
#include "query/dfs_table.h"
#include "query/evaluator.h"
#include "query/operators.h"
#include "query/pruning.h"
#include "query/row_context.h"
#include "query/select_internal.h"
#include "types/cast.h"
#include "types/format.h"

namespace strata {

namespace {

bool IsAggregateCall(const Expr& expr, const EvalContext& context) {
  if (expr.kind != ExprKind::kCall || expr.name.empty() || expr.partial) return false;
  FunctionPtr f = context.FindFunction(expr.name);
  return f && f->is_aggregate();
}

bool ContainsAggregate(const Expr& expr, const EvalContext& context) {
  if (IsAggregateCall(expr, context)) return true;
  for (const auto& c : expr.children) {
    if (c && ContainsAggregate(*c, context)) return true;
  }
  for (const auto& a : expr.args) {
    if (a.value && ContainsAggregate(*a.value, context)) return true;
  }
  return false;
}

// Table rows at `indices`, all columns.
TablePtr GatherTable(const Table& table, const std::vector<uint32_t>& indices) {
  std::vector<ColumnPtr> columns;
  for (const auto& c : table.columns()) {
    columns.push_back(std::make_shared<const Column>(c->Gather(indices)));
  }
  return std::make_shared<const Table>(table.schema(), std::move(columns));
}

Result<std::vector<uint32_t>> WhereIndices(const std::vector<ExprPtr>& where, const TablePtr& table,
                                           EvalContext& context) {
  std::vector<uint8_t> keep(table->rows(), 1);
  RowContext rows(context, table);
  for (const auto& condition : where) {
    ASSIGN_OR_RETURN(Value v, Evaluate(*condition, rows));
    ASSIGN_OR_RETURN(auto mask, ToMask(v, table->rows()));
    for (size_t i = 0; i < keep.size(); ++i) keep[i] &= mask[i];
  }
  std::vector<uint32_t> indices;
  for (uint32_t i = 0; i < keep.size(); ++i) {
    if (keep[i]) indices.push_back(i);
  }
  return indices;
}

// Broadcasts `v` to a column of `rows` rows.
Result<ColumnPtr> AsColumn(const Value& v, size_t rows, const std::string& name) {
  if (v.is_scalar()) {
    Column c(v.is_void() ? Type::kDouble : v.type());
    c.Reserve(rows);
    for (size_t i = 0; i < rows; ++i) c.Append(v.scalar());
    return std::make_shared<const Column>(std::move(c));
  }
  if ((v.is_vector() || v.is_pair()) && v.size() == rows) return v.column();
  return InvalidArgument("select column " + Quote(name) + " gives a " + v.Describe() + " of " +
                         std::to_string(v.size()) + " values for " + std::to_string(rows) +
                         " rows");
}

struct OutputColumn {
  std::string name;
  ExprPtr expr;  // nullptr for a `*` expansion (then source_index is set)
  size_t source_index = 0;
};

std::vector<OutputColumn> ExpandColumns(const SelectQuery& query, const Schema& schema) {
  std::vector<OutputColumn> out;
  for (size_t i = 0; i < query.columns.size(); ++i) {
    const auto& c = query.columns[i];
    if (c.expr->kind == ExprKind::kStar) {
      for (size_t s = 0; s < schema.size(); ++s) out.push_back({schema.field(s).name, nullptr, s});
      continue;
    }
    out.push_back({c.alias.empty() ? ColumnNameFor(*c.expr, i + 1) : c.alias, c.expr, 0});
  }
  return out;
}

// One column of `values`, typed by their common type (numbers widen to the widest; NULLs take
// the others' type). InvalidArgument naming the column when the types do not mix.
Result<Column> ColumnOfScalars(const std::vector<Scalar>& values, const std::string& name) {
  Type type = Type::kVoid;
  for (const auto& v : values) {
    Type t = v.type();
    if (t == Type::kVoid || t == type) continue;
    if (type == Type::kVoid) {
      type = t;
    } else if (NumericRank(type) >= 0 && NumericRank(t) >= 0) {
      type = NumericRank(t) > NumericRank(type) ? t : type;
    } else if (IsStringLike(type) && IsStringLike(t)) {
      type = Type::kString;
    } else {
      return InvalidArgument("select column " + Quote(name) + " gives " + TypeName(type) +
                             " for one group and " + TypeName(t) + " for another");
    }
  }
  Column out(type == Type::kVoid ? Type::kDouble : type);
  for (const auto& v : values) {
    ASSIGN_OR_RETURN(Scalar converted, CastScalar(v, out.type()));
    out.Append(converted);
  }
  return out;
}

// Group ids for the rows of `keys` (one column per group-by expression); fills `first_row` with
// the first row of each group, groups numbered in order of first appearance.
std::vector<uint32_t> GroupRows(const std::vector<ColumnPtr>& keys, size_t rows,
                                std::vector<uint32_t>* first_row) {
  std::vector<uint32_t> group_of_row(rows);
  if (keys.size() == 1 && StorageOf(keys[0]->type()) != Storage::kString &&
      !IsFloating(keys[0]->type())) {
    std::unordered_map<int64_t, uint32_t> ids;
    const Column& k = *keys[0];
    for (uint32_t r = 0; r < rows; ++r) {
      int64_t key = k.Get(r).int_value();
      auto [it, inserted] = ids.emplace(key, static_cast<uint32_t>(ids.size()));
      if (inserted) first_row->push_back(r);
      group_of_row[r] = it->second;
    }
    return group_of_row;
  }
  // Keys made of the raw values: fixed-width bytes for numbers (-0.0 as 0.0), strings with a
  // length prefix, so distinct tuples never share a key.
  std::unordered_map<std::string, uint32_t> ids;
  std::string key;
  for (uint32_t r = 0; r < rows; ++r) {
    key.clear();
    for (const auto& k : keys) {
      std::visit(
          [&](const auto& values) {
            using T = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (std::is_same_v<T, std::string>) {
              uint64_t size = values[r].size();
              key.append(reinterpret_cast<const char*>(&size), sizeof size);
              key.append(values[r]);
            } else {
              T v = values[r];
              if constexpr (std::is_floating_point_v<T>) {
                if (v == 0) v = 0;  // -0.0 and 0.0 are one group
              }
              key.append(reinterpret_cast<const char*>(&v), sizeof v);
            }
          },
          k->data());
    }
    auto [it, inserted] = ids.emplace(key, static_cast<uint32_t>(ids.size()));
    if (inserted) first_row->push_back(r);
    group_of_row[r] = it->second;
  }
  return group_of_row;
}

Result<TablePtr> GroupedSelect(const SelectQuery& query, const TablePtr& table,
                               EvalContext& context) {
  RowContext rows(context, table);
  std::vector<ColumnPtr> keys;
  Schema schema;
  std::vector<ColumnPtr> columns;
  for (size_t i = 0; i < query.group_by.size(); ++i) {
    const auto& g = query.group_by[i];
    ASSIGN_OR_RETURN(Value v, Evaluate(*g.expr, rows));
    std::string name = g.alias.empty() ? ColumnNameFor(*g.expr, i + 1) : g.alias;
    ASSIGN_OR_RETURN(ColumnPtr key, AsColumn(v, table->rows(), name));
    keys.push_back(key);
  }
  std::vector<uint32_t> first_row;
  std::vector<uint32_t> group_of_row = GroupRows(keys, table->rows(), &first_row);
  size_t groups = first_row.size();
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto& g = query.group_by[i];
    schema.Add({g.alias.empty() ? ColumnNameFor(*g.expr, i + 1) : g.alias, keys[i]->type()});
    columns.push_back(std::make_shared<const Column>(keys[i]->Gather(first_row)));
  }
  std::vector<std::vector<uint32_t>> members;  // built lazily for the generic path
  for (const auto& out : ExpandColumns(query, table->schema())) {
    if (!out.expr) return InvalidArgument("select * cannot be combined with group by");
    if (schema.Find(out.name)) continue;  // a group key selected again
    const Expr& e = *out.expr;
    auto kind = IsAggregateCall(e, context) ? AggregateFromName(e.name) : std::nullopt;
    if (kind && e.args.size() == 1 && e.args[0].value) {
      Column result(Type::kLong);
      if (e.args[0].value->kind == ExprKind::kStar) {
        std::vector<int64_t> counts(groups, 0);
        for (uint32_t g : group_of_row) ++counts[g];
        result = Column(Type::kLong, std::move(counts));
      } else {
        ASSIGN_OR_RETURN(Value arg, Evaluate(*e.args[0].value, rows));
        ASSIGN_OR_RETURN(ColumnPtr argc, AsColumn(arg, table->rows(), out.name));
        ASSIGN_OR_RETURN(result, AggregateGrouped(*kind, *argc, group_of_row, groups));
      }
      schema.Add({out.name, result.type()});
      columns.push_back(std::make_shared<const Column>(std::move(result)));
      continue;
    }
    // Generic: evaluate the expression on each group's rows.
    if (members.empty()) {
      members.resize(groups);
      for (uint32_t r = 0; r < group_of_row.size(); ++r) members[group_of_row[r]].push_back(r);
    }
    std::vector<Scalar> per_group;
    for (size_t g = 0; g < groups; ++g) {
      RowContext group_rows(context, GatherTable(*table, members[g]));
      ASSIGN_OR_RETURN(Value v, Evaluate(e, group_rows));
      if (!v.is_scalar()) {
        return InvalidArgument("select column " + Quote(out.name) +
                               " must give one value per group; use an aggregate such as sum");
      }
      per_group.push_back(v.scalar());
    }
    ASSIGN_OR_RETURN(Column result, ColumnOfScalars(per_group, out.name));
    schema.Add({out.name, result.type()});
    columns.push_back(std::make_shared<const Column>(std::move(result)));
  }
  return std::make_shared<const Table>(std::move(schema), std::move(columns));
}

Result<TablePtr> ProjectSelect(const SelectQuery& query, const TablePtr& table,
                               EvalContext& context, bool aggregate) {
  RowContext rows(context, table);
  auto outputs = ExpandColumns(query, table->schema());
  std::vector<Value> values;
  std::optional<size_t> vector_rows;  // the length shared by every vector result, if any
  bool lengths_agree = true;
  for (const auto& out : outputs) {
    Value v;
    if (!out.expr) {
      v = Value::Vector(table->column(out.source_index));
    } else {
      ASSIGN_OR_RETURN(v, Evaluate(*out.expr, rows));
    }
    if (v.is_vector() || v.is_pair()) {
      if (vector_rows && *vector_rows != v.size()) lengths_agree = false;
      vector_rows = v.size();
    }
    values.push_back(std::move(v));
  }
  size_t out_rows = aggregate ? 1 : table->rows();
  if (!aggregate && vector_rows && lengths_agree) out_rows = *vector_rows;
  Schema schema;
  std::vector<ColumnPtr> columns;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (aggregate && !values[i].is_scalar()) {
      return InvalidArgument("select mixes aggregates with column " + Quote(outputs[i].name) +
                             ", which has one value per row; group by it or aggregate it");
    }
    ASSIGN_OR_RETURN(ColumnPtr column, AsColumn(values[i], out_rows, outputs[i].name));
    schema.Add({outputs[i].name, column->type()});
    columns.push_back(std::move(column));
  }
  return std::make_shared<const Table>(std::move(schema), std::move(columns));
}

Result<std::vector<uint32_t>> SortOrder(const std::vector<OrderKey>& keys, const TablePtr& table,
                                        EvalContext& context) {
  RowContext rows(context, table);
  std::vector<ColumnPtr> columns;
  for (const auto& k : keys) {
    ASSIGN_OR_RETURN(Value v, Evaluate(*k.expr, rows));
    ASSIGN_OR_RETURN(ColumnPtr c, AsColumn(v, table->rows(), "order by"));
    columns.push_back(c);
  }
  std::vector<uint32_t> order(table->rows());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < columns.size(); ++k) {
      Scalar x = columns[k]->Get(a), y = columns[k]->Get(b);
      if (x == y) continue;
      return keys[k].descending ? y < x : x < y;
    }
    return false;
  });
  return order;
}

Result<TablePtr> Limit(const TablePtr& table, const SelectQuery& query) {
  std::optional<int64_t> count = query.top ? query.top : query.limit;
  if ((count && *count < 0) || query.offset.value_or(0) < 0) {
    return InvalidArgument(
        "limit and top take non-negative counts (a negative limit needs "
        "context by, which Strata does not support)");
  }
  int64_t offset = query.offset.value_or(0);
  if (!count && offset == 0) return table;
  size_t begin = std::min<size_t>(table->rows(), static_cast<size_t>(std::max<int64_t>(0, offset)));
  size_t end = table->rows();
  if (count) end = std::min(end, begin + static_cast<size_t>(std::max<int64_t>(0, *count)));
  if (begin == 0 && end == table->rows()) return table;
  std::vector<uint32_t> indices;
  for (size_t i = begin; i < end; ++i) indices.push_back(static_cast<uint32_t>(i));
  return GatherTable(*table, indices);
}

Result<Value> Finish(const SelectQuery& query, TablePtr result, bool aggregate) {
  if (query.kind == SelectQuery::Kind::kSelect) return Value::MakeTable(std::move(result));
  if (result->column_count() == 1) {
    if (aggregate && result->rows() == 1) return Value(result->column(0)->Get(0));
    return Value::Vector(result->column(0));
  }
  return Value::MakeTable(std::move(result));
}

}  // namespace

Result<TablePtr> FilterRows(const std::vector<ExprPtr>& where, const TablePtr& table,
                            EvalContext& context) {
  if (where.empty()) return table;
  ASSIGN_OR_RETURN(auto indices, WhereIndices(where, table, context));
  if (indices.size() == table->rows()) return table;
  return GatherTable(*table, indices);
}

Result<Value> SelectOnTable(const SelectQuery& query, TablePtr table, EvalContext& context,
                            bool where_done) {
  if (!where_done) {
    ASSIGN_OR_RETURN(table, FilterRows(query.where, table, context));
  }
  bool aggregate = !query.group_by.empty();
  for (const auto& c : query.columns) aggregate = aggregate || ContainsAggregate(*c.expr, context);
  TablePtr result;
  if (!query.group_by.empty()) {
    ASSIGN_OR_RETURN(result, GroupedSelect(query, table, context));
  } else if (aggregate) {
    ASSIGN_OR_RETURN(result, ProjectSelect(query, table, context, /*aggregate=*/true));
  } else {
    if (!query.order_by.empty()) {
      ASSIGN_OR_RETURN(auto order, SortOrder(query.order_by, table, context));
      table = GatherTable(*table, order);
    }
    ASSIGN_OR_RETURN(result, ProjectSelect(query, table, context, /*aggregate=*/false));
  }
  if (aggregate && !query.order_by.empty()) {
    ASSIGN_OR_RETURN(auto order, SortOrder(query.order_by, result, context));
    result = GatherTable(*result, order);
  }
  ASSIGN_OR_RETURN(result, Limit(result, query));
  return Finish(query, std::move(result), aggregate);
}

Result<TablePtr> UpdateTable(const UpdateQuery& update, const TablePtr& table, EvalContext& context,
                             size_t* selected_rows) {
  std::vector<uint8_t> selected(table->rows(), update.where.empty() ? 1 : 0);
  if (selected_rows != nullptr) *selected_rows = update.where.empty() ? table->rows() : 0;
  if (!update.where.empty()) {
    ASSIGN_OR_RETURN(auto indices, WhereIndices(update.where, table, context));
    for (uint32_t i : indices) selected[i] = 1;
    if (selected_rows != nullptr) *selected_rows = indices.size();
  }
  RowContext rows(context, table);
  Schema schema = table->schema();
  std::vector<ColumnPtr> columns = table->columns();
  for (const auto& assignment : update.assignments) {
    const std::string& name = assignment.alias;
    ASSIGN_OR_RETURN(Value value, Evaluate(*assignment.expr, rows));
    if (!value.is_scalar() &&
        !((value.is_vector() || value.is_pair()) && value.size() == table->rows())) {
      return InvalidArgument("update sets " + Quote(name) + " to a " + value.Describe() +
                             "; it takes one value or one per row (" +
                             std::to_string(table->rows()) + ")");
    }
    std::optional<size_t> index = schema.Find(name);
    Type type = index ? schema.field(*index).type : value.is_void() ? Type::kDouble : value.type();
    Column out(type);
    out.Reserve(table->rows());
    for (size_t r = 0; r < table->rows(); ++r) {
      if (!selected[r]) {
        if (index) {
          out.Append(columns[*index]->Get(r));
        } else {
          out.AppendNull();
        }
        continue;
      }
      Scalar v = value.is_scalar() ? value.scalar() : value.column()->Get(r);
      if (v.is_null()) {
        out.AppendNull();
        continue;
      }
      Result<Scalar> cast = CastScalar(v, type);
      if (!cast.ok()) {
        return InvalidArgument("update cannot store " + FormatScalar(v) + " in column " +
                               Quote(name) + " of type " + TypeName(type) +
                               " (update never changes a column's type)");
      }
      out.Append(*cast);
    }
    auto column = std::make_shared<const Column>(std::move(out));
    if (index) {
      columns[*index] = std::move(column);
    } else {
      schema.Add({name, type});
      columns.push_back(std::move(column));
    }
  }
  return std::make_shared<const Table>(std::move(schema), std::move(columns));
}

Result<Value> ExecuteSelectOn(const SelectQuery& query, TablePtr table, EvalContext& context) {
  return SelectOnTable(query, std::move(table), context, /*where_done=*/false);
}

Result<Value> ExecuteSelect(const SelectQuery& query, EvalContext& context) {
  if (!query.from) return InvalidArgument("select needs a from clause");
  ASSIGN_OR_RETURN(Value source, Evaluate(*query.from, context));
  if (source.is_table()) return SelectOnTable(query, source.table(), context, false);
  if (const DfsTableObject* dfs = AsDfsTable(source)) {
    return SelectOnDfsTable(query, *dfs, context);
  }
  return InvalidArgument("select reads from a table, got a " + source.Describe());
}

}  // namespace strata
