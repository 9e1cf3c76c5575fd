#include "query/pruning.h"

#include "base/strings.h"
#include "query/evaluator.h"

namespace strata {

namespace {

bool ReferencesColumns(const Expr& expr, const Schema& schema) {
  if (expr.kind == ExprKind::kVariable) return schema.Find(expr.name).has_value();
  if (expr.kind == ExprKind::kStar || expr.kind == ExprKind::kSelect) return true;
  for (const auto& c : expr.children) {
    if (c && ReferencesColumns(*c, schema)) return true;
  }
  for (const auto& a : expr.args) {
    if (a.value && ReferencesColumns(*a.value, schema)) return true;
  }
  return false;
}

std::optional<size_t> LevelOf(const Expr& expr, const std::vector<std::string>& columns) {
  if (expr.kind != ExprKind::kVariable) return std::nullopt;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (EqualsIgnoreCase(columns[i], expr.name)) return i;
  }
  return std::nullopt;
}

std::optional<LevelPredicate::Op> CompareOp(BinaryOp op, bool flipped) {
  switch (op) {
    case BinaryOp::kEq:
      return LevelPredicate::Op::kEq;
    case BinaryOp::kNe:
      return LevelPredicate::Op::kNe;
    case BinaryOp::kLt:
      return flipped ? LevelPredicate::Op::kGt : LevelPredicate::Op::kLt;
    case BinaryOp::kLe:
      return flipped ? LevelPredicate::Op::kGe : LevelPredicate::Op::kLe;
    case BinaryOp::kGt:
      return flipped ? LevelPredicate::Op::kLt : LevelPredicate::Op::kGt;
    case BinaryOp::kGe:
      return flipped ? LevelPredicate::Op::kLe : LevelPredicate::Op::kGe;
    default:
      return std::nullopt;
  }
}

// The scalars of a constant value (scalar, vector, pair or tuple of scalars).
std::optional<std::vector<Scalar>> ScalarsOf(const Value& v) {
  std::vector<Scalar> out;
  if (v.is_scalar()) {
    out.push_back(v.scalar());
  } else if (v.is_vector() || v.is_pair()) {
    for (size_t i = 0; i < v.size(); ++i) out.push_back(v.column()->Get(i));
  } else if (v.is_tuple()) {
    for (const auto& e : v.tuple()) {
      if (!e.is_scalar()) return std::nullopt;
      out.push_back(e.scalar());
    }
  } else {
    return std::nullopt;
  }
  return out;
}

void Extract(const Expr& cond, const std::vector<std::string>& columns, const Schema& schema,
             EvalContext& context, size_t where_index, bool whole,
             std::vector<PrunePredicate>* out) {
  if (cond.kind != ExprKind::kBinary) return;
  if (cond.binary_op == BinaryOp::kAnd) {
    Extract(*cond.children[0], columns, schema, context, where_index, false, out);
    Extract(*cond.children[1], columns, schema, context, where_index, false, out);
    return;
  }
  const Expr& left = *cond.children[0];
  const Expr& right = *cond.children[1];
  bool flipped = false;
  auto level = LevelOf(left, columns);
  const Expr* constant = &right;
  if (!level && CompareOp(cond.binary_op, false)) {
    level = LevelOf(right, columns);
    constant = &left;
    flipped = true;
  }
  if (!level || ReferencesColumns(*constant, schema)) return;
  auto value = Evaluate(*constant, context);
  if (!value.ok()) return;
  auto scalars = ScalarsOf(*value);
  if (!scalars || scalars->empty()) return;
  LevelPredicate predicate;
  if (auto op = CompareOp(cond.binary_op, flipped)) {
    if (!value->is_scalar()) return;
    predicate.op = *op;
  } else if (cond.binary_op == BinaryOp::kIn && !flipped) {
    predicate.op = LevelPredicate::Op::kIn;
  } else if (cond.binary_op == BinaryOp::kBetween && !flipped && scalars->size() == 2) {
    predicate.op = LevelPredicate::Op::kBetween;
  } else {
    return;
  }
  predicate.values = std::move(*scalars);
  out->push_back({*level, std::move(predicate), where_index, whole});
}

}  // namespace

std::vector<PrunePredicate> ExtractPrunePredicates(
    const std::vector<ExprPtr>& where, const std::vector<std::string>& partition_columns,
    const Schema& schema, EvalContext& context) {
  std::vector<PrunePredicate> out;
  for (size_t i = 0; i < where.size(); ++i) {
    Extract(*where[i], partition_columns, schema, context, i, true, &out);
  }
  return out;
}

}  // namespace strata
