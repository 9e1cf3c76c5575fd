// INSERT INTO t [(cols)] VALUES ... | SELECT ...: the written values become columns of the
// table's types, the columns not written get their DEFAULT or NULL, and the rows go to the
// table in one Append (all of them or, on any error, none). VALUES rows come either parsed
// (SqlInsert::rows) or straight from the parser, row by row, so a statement of 100,000 rows
// never exists as expression trees or tokens.
#include <algorithm>
#include <chrono>
#include <functional>

#include "base/strings.h"
#include "query/evaluator.h"
#include "sql/binder_table.h"
#include "sql/binder_types.h"
#include "sql/sql_parser.h"
#include "sql/sql_select_internal.h"
#include "sql/sql_session.h"
#include "sql/table_store.h"

namespace strata {

namespace {

// Rows of INSERT ... VALUES read between two checks for KILL QUERY.
constexpr size_t kRowsBetweenInterruptChecks = 16384;

std::string RowText(size_t row) { return "row " + std::to_string(row + 1); }

// The columns of `targets`, built from VALUES cells as they come.
class ValueRowsBuilder final : public SqlValueSink {
 public:
  // `substitute` puts the session's values (@@name, DATABASE(), ...) into an expression.
  ValueRowsBuilder(Session& session, std::vector<const SqlColumnSpec*> targets,
                   std::function<Result<ExprPtr>(const ExprPtr&)> substitute)
      : context_(session), targets_(std::move(targets)), substitute_(std::move(substitute)) {
    for (const SqlColumnSpec* spec : targets_) columns_.emplace_back(spec->type.type);
  }

  Status Cell(const SqlValueCell& cell) override {
    if (cell.index >= targets_.size()) return Status::Ok();  // RowEnd reports the count
    const SqlColumnSpec& spec = *targets_[cell.index];
    const Value* value = &cell.literal;
    Value evaluated;
    if (cell.expr && cell.expr->kind == ExprKind::kLiteral) {
      value = &cell.expr->literal;
    } else if (cell.expr) {
      ASSIGN_OR_RETURN(ExprPtr substituted, substitute_(cell.expr));
      ASSIGN_OR_RETURN(ExprPtr rewritten, RewriteSqlExpr(substituted, no_columns_));
      auto result = Evaluate(*rewritten, context_);
      if (!result.ok()) return result.status().WithContext(RowText(cell.row));
      evaluated = std::move(*result);
      value = &evaluated;
    }
    auto converted = ConvertToColumn(*value, spec.type, spec.name);
    if (!converted.ok()) {
      return InvalidArgument(RowText(cell.row) + ", " + converted.status().message());
    }
    if (IsStringLike(spec.type.type) && converted->is_null() && !spec.nullable &&
        value->is_scalar() && !value->scalar().is_null()) {
      return InvalidArgument(RowText(cell.row) + ": column " + Quote(spec.name) +
                             " is NOT NULL, and Strata stores the empty string '' as NULL");
    }
    columns_[cell.index].Append(*converted);
    return Status::Ok();
  }

  Status RowEnd(size_t row, size_t width) override {
    if (width != targets_.size()) {
      return InvalidArgument(RowText(row) + " has " + std::to_string(width) + " values for " +
                             std::to_string(targets_.size()) + " columns");
    }
    rows_ = row + 1;
    // A long INSERT stops between rows when asked (KILL QUERY); nothing is written yet.
    if (rows_ % kRowsBetweenInterruptChecks == 0) return context_.CheckInterrupted();
    return Status::Ok();
  }

  size_t rows() const { return rows_; }
  std::vector<ColumnPtr> Finish() {
    std::vector<ColumnPtr> out;
    for (auto& column : columns_) out.push_back(std::make_shared<const Column>(std::move(column)));
    return out;
  }

 private:
  SqlEvalContext context_;
  SqlColumnScope no_columns_;
  std::vector<const SqlColumnSpec*> targets_;
  std::function<Result<ExprPtr>(const ExprPtr&)> substitute_;
  std::vector<Column> columns_;
  size_t rows_ = 0;
};

// For an append refused because a row fits no named partition: the first such row of `rows`
// and the partitions, in SQL's words ("row 2: value '2020-06-01' of column 'k1' fits no
// partition of table 't' (PARTITION `p1` VALUES LESS THAN ('2020-02-01'), ...)"), or nullopt
// when no row is found (the refusal came from elsewhere).
std::optional<std::string> RowFittingNoPartition(const SqlTableHandle& table,
                                                 const std::string& name, const Table& rows) {
  const SqlTableDefinition& d = table.definition;
  if (!table.made_by_sql || !d.partition_kind) return std::nullopt;
  auto column = rows.ColumnByName(d.partition_column);
  if (!column.ok()) return std::nullopt;
  const std::vector<SqlBoundPartition> partitions = NamedPartitionsOfScheme(*table.scheme);
  auto fits = [&](const Scalar& v) {
    for (const auto& p : partitions) {
      if (p.type == PartitionType::kList) {
        if (std::find(p.values.begin(), p.values.end(), v) != p.values.end()) return true;
      } else if ((!p.low || !(v < *p.low)) && (!p.high || v < *p.high)) {
        return true;
      }
    }
    return false;
  };
  constexpr size_t kPartitionsShownMax = 5;
  for (size_t r = 0; r < (*column)->size(); ++r) {
    Scalar v = (*column)->Get(r);
    if (v.is_null() || fits(v)) continue;
    std::string shown;
    for (size_t i = 0; i < partitions.size() && i < kPartitionsShownMax; ++i) {
      shown += (i ? ", " : "") + PartitionDefText(partitions[i]);
    }
    if (partitions.size() > kPartitionsShownMax) shown += ", ...";
    return RowText(r) + ": value " + SqlLiteralText(v) + " of column " + Quote(d.partition_column) +
           " fits no partition of table " + Quote(name) + " (" + shown + "); ALTER TABLE " + name +
           " ADD PARTITION makes room for it";
  }
  return std::nullopt;
}

// The value a column not written gets: its DEFAULT, else NULL.
Result<Scalar> DefaultOf(const SqlColumnSpec& spec) {
  if (spec.default_kind == SqlDefaultKind::kLiteral) {
    return ConvertToColumn(Value(Scalar::String(Type::kString, spec.default_text)), spec.type,
                           spec.name);
  }
  if (spec.default_kind == SqlDefaultKind::kCurrentTimestamp) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
    return spec.type.type == Type::kDateTime ? Scalar::Int(Type::kDateTime, seconds)
                                             : Scalar::Int(Type::kTimestamp, seconds * 1000);
  }
  return Scalar::Null(spec.type.type);
}

}  // namespace

Result<SqlOutcome> SqlSession::Run(const SqlInsert& s) { return RunInsert(s, nullptr); }

Result<SqlOutcome> SqlSession::RunInsert(const SqlInsert& s, SqlParser* values) {
  ASSIGN_OR_RETURN(std::string db, DatabaseOf(s.table));
  const std::string table_text = s.table.db ? *s.table.db + "." + s.table.table : s.table.table;
  ASSIGN_OR_RETURN(SqlTableHandle table, OpenSqlTable(session_.databases(), db, s.table.table));
  const SqlTableDefinition& d = table.definition;
  // target[i]: the table column the i-th written value goes to.
  std::vector<size_t> target;
  if (s.columns.empty()) {
    for (size_t i = 0; i < d.columns.size(); ++i) target.push_back(i);
  } else {
    for (const auto& name : s.columns) {
      auto it = std::find_if(d.columns.begin(), d.columns.end(), [&](const SqlColumnSpec& c) {
        return ToLower(c.name) == ToLower(name);
      });
      if (it == d.columns.end()) {
        return InvalidArgument("table " + Quote(s.table.table) + " has no column " + Quote(name));
      }
      size_t index = static_cast<size_t>(it - d.columns.begin());
      if (std::find(target.begin(), target.end(), index) != target.end()) {
        return InvalidArgument("column " + Quote(name) + " is named twice");
      }
      target.push_back(index);
    }
  }
  // The written columns, converted to the table's types: given[i] goes to column target[i].
  std::vector<ColumnPtr> given(target.size());
  size_t row_count = 0;
  if (s.select) {
    ASSIGN_OR_RETURN(TablePtr selected, SelectTable(*s.select));
    if (selected->column_count() != target.size()) {
      return InvalidArgument("the SELECT gives " + std::to_string(selected->column_count()) +
                             " columns for " + std::to_string(target.size()) +
                             " columns of table " + Quote(s.table.table));
    }
    row_count = selected->rows();
    for (size_t i = 0; i < target.size(); ++i) {
      const SqlColumnSpec& spec = d.columns[target[i]];
      ASSIGN_OR_RETURN(given[i], ConvertColumnToColumn(selected->column(i), spec.type, spec.name));
    }
  } else {
    std::vector<const SqlColumnSpec*> specs;
    for (size_t column : target) specs.push_back(&d.columns[column]);
    ValueRowsBuilder builder(session_, std::move(specs),
                             [this](const ExprPtr& e) { return SubstituteSessionValues(e); });
    if (values) {
      RETURN_IF_ERROR(values->ReadValueRows(&builder));
    } else {
      for (size_t r = 0; r < s.rows.size(); ++r) {
        for (size_t i = 0; i < s.rows[r].size(); ++i) {
          RETURN_IF_ERROR(builder.Cell(SqlValueCell{.row = r, .index = i, .expr = s.rows[r][i]}));
        }
        RETURN_IF_ERROR(builder.RowEnd(r, s.rows[r].size()));
      }
    }
    row_count = builder.rows();
    given = builder.Finish();
  }
  // Columns of the table's schema; missing ones get their DEFAULT or NULL.
  std::vector<ColumnPtr> columns;
  std::vector<int> written(d.columns.size(), -1);
  for (size_t i = 0; i < target.size(); ++i) written[target[i]] = static_cast<int>(i);
  for (size_t c = 0; c < d.columns.size(); ++c) {
    const SqlColumnSpec& spec = d.columns[c];
    if (written[c] >= 0) {
      const Column& column = *given[static_cast<size_t>(written[c])];
      if (!spec.nullable) {
        for (size_t r = 0; r < column.size(); ++r) {
          if (column.IsNull(r)) {
            return InvalidArgument(
                RowText(r) + ": column " + Quote(spec.name) + " is NOT NULL and gets NULL" +
                (IsStringLike(spec.type.type)
                     ? std::string(" (Strata stores the empty string '' as NULL)")
                     : std::string()));
          }
        }
      }
      columns.push_back(given[static_cast<size_t>(written[c])]);
      continue;
    }
    ASSIGN_OR_RETURN(Scalar value, DefaultOf(spec));
    if (value.is_null() && !spec.nullable && row_count > 0) {
      return InvalidArgument("row 1: column " + Quote(spec.name) +
                             " is NOT NULL and has no DEFAULT; give it a value");
    }
    Column filled(spec.type.type);
    filled.Reserve(row_count);
    for (size_t r = 0; r < row_count; ++r) filled.Append(value);
    columns.push_back(std::make_shared<const Column>(std::move(filled)));
  }
  Table rows_table(d.ToSchema(), std::move(columns));
  SqlOutcome outcome;
  if (rows_table.rows() == 0) {
    outcome.affected_rows = 0;
    return outcome;
  }
  auto appended = session_.databases().Append(db, s.table.table, rows_table);
  if (!appended.ok()) {
    if (appended.status().remedy().kind == RemedyKind::kAddPartition) {
      if (auto row = RowFittingNoPartition(table, s.table.table, rows_table)) {
        return InvalidArgument("INSERT INTO " + table_text + " wrote nothing: " + *row);
      }
    }
    return appended.status().WithContext("INSERT INTO " + table_text + " wrote nothing");
  }
  outcome.affected_rows = *appended;
  return outcome;
}

}  // namespace strata
