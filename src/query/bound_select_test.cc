// BoundSelect: binding resolves names once, each dialect's NULL semantics, and evaluation on
// many threads at once with no shared context.
#include "query/bound_select.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "types/format.h"

namespace strata {
namespace {

ExprPtr Var(const std::string& name) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kVariable;
  e->name = name;
  return e;
}
ExprPtr Lit(Value v) {
  auto e = std::make_shared<Expr>();
  e->literal = std::move(v);
  return e;
}
ExprPtr Bin(BinaryOp op, ExprPtr a, ExprPtr b) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kBinary;
  e->binary_op = op;
  e->children = {std::move(a), std::move(b)};
  return e;
}
ExprPtr Call(const std::string& name, std::vector<ExprPtr> args) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->name = name;
  for (auto& a : args) e->args.push_back({"", std::move(a), ""});
  return e;
}
ExprPtr Not(ExprPtr operand) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kUnary;
  e->unary_op = UnaryOp::kNot;
  e->children = {std::move(operand)};
  return e;
}
Value Int(int64_t v) { return Value(Scalar::Int(Type::kInt, v)); }

// `select * where <condition>`
SelectQuery SelectWhere(ExprPtr condition) {
  SelectQuery q;
  auto star = std::make_shared<Expr>();
  star->kind = ExprKind::kStar;
  q.columns.push_back({star, ""});
  q.where.push_back(std::move(condition));
  return q;
}

// A session's variables, as the interpreter would show them.
class Variables : public EvalContext {
 public:
  std::map<std::string, Value> values;
  std::optional<Value> FindVariable(const std::string& name) const override {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  FunctionPtr FindFunction(const std::string& name) const override {
    return CoreFunctions().Find(name);
  }
  TableReader* tables() const override { return nullptr; }
  Result<Value> MakeLambda(const Expr&) override { return Unimplemented("no lambdas here"); }
};

// x = [1, NULL, 3]
TablePtr WithNull() {
  return std::make_shared<const Table>(Schema({{"x", Type::kInt}}),
                                       std::vector<ColumnPtr>{std::make_shared<const Column>(Column(
                                           Type::kInt, std::vector<int32_t>{1, kNullInt32, 3}))});
}

size_t RowsOf(const Result<Value>& result) {
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() && result->is_table() ? result->table()->rows() : SIZE_MAX;
}

// DolphinDB orders NULL below every value, so `x < 2` holds for 1 and NULL (2 rows); SQL calls
// `NULL < 2` unknown, so only 1 passes.
TEST(BoundSelectTest, WhereXLessThanTwoKeepsTheNullRowOnlyInTheScriptDialect) {
  Variables session;
  SelectQuery query = SelectWhere(Bin(BinaryOp::kLt, Var("x"), Lit(Int(2))));
  auto script =
      BoundSelect::Bind(query, WithNull()->schema(), "t", session, NullSemantics::kDolphinDb);
  auto sql = BoundSelect::Bind(query, WithNull()->schema(), "t", session, NullSemantics::kSql);
  ASSERT_TRUE(script.ok() && sql.ok());
  EXPECT_EQ(RowsOf((*script)->Apply(WithNull())), 2u);
  EXPECT_EQ(RowsOf((*sql)->Apply(WithNull())), 1u);
  // `x != 1` in SQL excludes NULL too; in DolphinDB NULL != 1 holds.
  SelectQuery ne = SelectWhere(Bin(BinaryOp::kNe, Var("x"), Lit(Int(1))));
  EXPECT_EQ(RowsOf((*BoundSelect::Bind(ne, WithNull()->schema(), "t", session, NullSemantics::kSql))
                       ->Apply(WithNull())),
            1u);
  EXPECT_EQ(
      RowsOf((*BoundSelect::Bind(ne, WithNull()->schema(), "t", session, NullSemantics::kDolphinDb))
                 ->Apply(WithNull())),
      2u);
}

// SQL's and/or/not are three-valued: an unknown operand stays unknown unless the other side
// decides (false and ..., true or ...), and not unknown is unknown, so the NULL row never
// reappears through a negation. The script dialect treats the NULL comparison as a value.
TEST(BoundSelectTest, SqlLogicIsThreeValued) {
  Variables session;
  auto rows = [&](ExprPtr condition, NullSemantics nulls) {
    return RowsOf((*BoundSelect::Bind(SelectWhere(std::move(condition)), WithNull()->schema(), "t",
                                      session, nulls))
                      ->Apply(WithNull()));
  };
  auto x = [] { return Var("x"); };
  // not (x > 2): 1 passes; NULL is unknown in SQL but `NULL > 2` is false in DolphinDB.
  EXPECT_EQ(rows(Not(Bin(BinaryOp::kGt, x(), Lit(Int(2)))), NullSemantics::kSql), 1u);
  EXPECT_EQ(rows(Not(Bin(BinaryOp::kGt, x(), Lit(Int(2)))), NullSemantics::kDolphinDb), 2u);
  // x > 5 or x < 2: 1 passes; NULL is unknown or unknown.
  auto either = [&] {
    return Bin(BinaryOp::kOr, Bin(BinaryOp::kGt, x(), Lit(Int(5))),
               Bin(BinaryOp::kLt, x(), Lit(Int(2))));
  };
  EXPECT_EQ(rows(either(), NullSemantics::kSql), 1u);
  EXPECT_EQ(rows(either(), NullSemantics::kDolphinDb), 2u);  // NULL < 2 in DolphinDB
  // not (x > 2 and x < 100): 1 passes (false and true); NULL stays unknown; 3 fails.
  auto both = [&] {
    return Not(Bin(BinaryOp::kAnd, Bin(BinaryOp::kGt, x(), Lit(Int(2))),
                   Bin(BinaryOp::kLt, x(), Lit(Int(100)))));
  };
  EXPECT_EQ(rows(both(), NullSemantics::kSql), 1u);
  EXPECT_EQ(rows(both(), NullSemantics::kDolphinDb), 2u);
  // Decided sides: unknown or true is true, unknown and false is false.
  auto or_true = [&] {
    return Bin(BinaryOp::kOr, Bin(BinaryOp::kGt, x(), Lit(Int(2))), Lit(Value(Scalar::Bool(true))));
  };
  EXPECT_EQ(rows(or_true(), NullSemantics::kSql), 3u);
  auto not_and_false = [&] {
    return Not(
        Bin(BinaryOp::kAnd, Bin(BinaryOp::kGt, x(), Lit(Int(2))), Lit(Value(Scalar::Bool(false)))));
  };
  EXPECT_EQ(rows(not_and_false(), NullSemantics::kSql), 3u);
  // not (x in [3]): a NULL tested value is unknown.
  auto not_in = [&] {
    return Not(
        Bin(BinaryOp::kIn, x(), Lit(Value::Vector(Column(Type::kInt, std::vector<int32_t>{3})))));
  };
  EXPECT_EQ(rows(not_in(), NullSemantics::kSql), 1u);
  EXPECT_EQ(rows(not_in(), NullSemantics::kDolphinDb), 2u);
}

TEST(BoundSelectTest, VariablesBecomeConstantsAndUnknownNamesAreRefused) {
  Variables session;
  session.values["limit"] = Int(2);
  // x < limit + 1: the right side reads no column and is folded to the literal 3.
  SelectQuery query =
      SelectWhere(Bin(BinaryOp::kLt, Var("x"), Bin(BinaryOp::kAdd, Var("limit"), Lit(Int(1)))));
  auto bound =
      BoundSelect::Bind(query, WithNull()->schema(), "t", session, NullSemantics::kDolphinDb);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  const Expr& right = *(*bound)->query().where[0]->children[1];
  ASSERT_EQ(right.kind, ExprKind::kLiteral);
  EXPECT_EQ(FormatValueText(right.literal), "3");
  session.values["limit"] = Int(100);                  // later changes do not reach a bound query
  EXPECT_EQ(RowsOf((*bound)->Apply(WithNull())), 2u);  // 1 and NULL; 3 < 3 fails

  auto unknown = BoundSelect::Bind(SelectWhere(Bin(BinaryOp::kLt, Var("y"), Lit(Int(2)))),
                                   WithNull()->schema(), "t", session, NullSemantics::kSql);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'y' is neither a column of table 't'"),
            std::string::npos)
      << unknown.status().message();
  auto user_function = BoundSelect::Bind(SelectWhere(Call("myFilter", {Var("x")})),
                                         WithNull()->schema(), "t", session, NullSemantics::kSql);
  ASSERT_FALSE(user_function.ok());
  EXPECT_NE(user_function.status().message().find("'myFilter' is not a built-in function"),
            std::string::npos)
      << user_function.status().message();
}

// Eight threads apply one bound query to their own tables at once; each gets its own answer.
TEST(BoundSelectTest, OneBoundQueryRunsOnManyThreadsAtOnce) {
  Variables session;
  SelectQuery query = SelectWhere(Bin(BinaryOp::kGe, Call("abs", {Var("x")}), Lit(Int(50))));
  auto bound =
      BoundSelect::Bind(query, Schema({{"x", Type::kInt}}), "t", session, NullSemantics::kSql);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  std::vector<std::thread> threads;
  std::vector<size_t> wrong(8, 0);
  for (size_t t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        // -n..n-1 with n = 10 * (t + 1) + round: |x| >= 50 holds for -n..-50 (n - 49 values)
        // and 50..n-1 (n - 50 values).
        int32_t n = static_cast<int32_t>(10 * (t + 1) + round);
        std::vector<int32_t> values;
        for (int32_t v = -n; v < n; ++v) values.push_back(v);
        auto table = std::make_shared<const Table>(
            Schema({{"x", Type::kInt}}), std::vector<ColumnPtr>{std::make_shared<const Column>(
                                             Column(Type::kInt, std::move(values)))});
        auto result = (*bound)->Apply(table);
        size_t expected = n >= 50 ? static_cast<size_t>(2 * n - 99) : 0;
        if (!result.ok() || result->table()->rows() != expected) {
          if (wrong[t]++ == 0 && !result.ok()) ADD_FAILURE() << result.status().ToString();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t t = 0; t < wrong.size(); ++t) EXPECT_EQ(wrong[t], 0u) << "thread " << t;
}

}  // namespace
}  // namespace strata
