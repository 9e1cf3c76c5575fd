// The expression and select forms the query engine evaluates: expressions (including
// select/exec queries and metacode) and queries. A front end's parser builds them (the script's
// in src/lang); statements belong to the front end (lang/script_ast.h), and a lambda's body is
// opaque here: the query engine only hands it back to EvalContext::MakeLambda. Nodes are
// immutable once built and shared as shared_ptr<const ...>, so metacode values can hold a query
// without copying it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "types/value.h"

namespace strata {

struct Expr;
struct SelectQuery;
// The statements of a lambda, defined by the front end that parsed it (lang/script_ast.h).
struct LambdaBody;
using ExprPtr = std::shared_ptr<const Expr>;

enum class ExprKind : uint8_t {
  kLiteral,   // literal: a constant (number, string, symbol, temporal, bool, NULL, or a
              // constant vector such as `0 50 100` or `date`ID)
  kVariable,  // name
  kStar,      // `*` in a select list or in count(*)
  kCall,      // name(args) or callee(args); `partial` for f{args}
  kBinary,    // binary_op, children[0], children[1]
  kUnary,     // unary_op, children[0]
  kVector,    // [e1, e2, ...]: children (never empty elements)
  kTuple,     // (e1, , e3): children, an empty element is nullptr; `(e)` alone is not a tuple
  kSelect,    // select / exec query
  kMetacode,  // <expr>: children[0]
  kIndex,     // children[0][children[1]]
  kMember,    // children[0].name (column access, e.g. t.x)
  kLambda,    // def(params){body} or def(params): expr  — params, body
};

enum class BinaryOp : uint8_t {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,       // `and` / `&&`, `or` / `||`
  kRange,    // a..b
  kPair,     // a:b
  kIn,       // x in y
  kBetween,  // x between a:b  (SQL `x between a and b` parses to the same with a kPair rhs)
  kLike,     // x like "pat%"
};

enum class UnaryOp : uint8_t { kNeg, kNot };

// One argument of a call. `name` is set for named arguments (`force=true`); `value` is nullptr
// for an empty positional argument, as in database(, VALUE, ...); `alias` for `x as name`.
struct CallArg {
  std::string name;
  ExprPtr value;
  std::string alias;  // `expr as alias`, which names a column in table(...)
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  int line = 0;  // 1-based source line where the expression starts

  Value literal;     // kLiteral
  std::string name;  // kVariable; kCall with a named callee; kMember's member name
  BinaryOp binary_op = BinaryOp::kAdd;
  UnaryOp unary_op = UnaryOp::kNeg;
  std::vector<ExprPtr> children;
  // kCall: `callee` is set when the function is itself an expression (e.g. f{1}(2));
  // otherwise `name` names it. Method-call syntax obj.f(a) is parsed as f(obj, a).
  ExprPtr callee;
  std::vector<CallArg> args;
  bool partial = false;                       // kCall written with braces: f{a, b}
  std::shared_ptr<const SelectQuery> select;  // kSelect
  // kLambda
  std::vector<std::string> params;
  std::shared_ptr<const LambdaBody> body;  // a `def(x): expr` lambda has one kReturn statement
};

struct SelectColumn {
  ExprPtr expr;       // may be kStar
  std::string alias;  // from `expr as alias`; empty if none
};

// update t set c1 = e1, c2 = e2 [where c, ...]: DolphinDB's SQL update. Each assignment is a
// column (alias) and its new value, evaluated on the table as it was before the statement.
struct UpdateQuery {
  ExprPtr table;
  std::vector<SelectColumn> assignments;  // alias: the column; expr: its value
  std::vector<ExprPtr> where;
};

struct OrderKey {
  ExprPtr expr;
  bool descending = false;
};

struct SelectQuery {
  enum class Kind : uint8_t { kSelect, kExec };
  Kind kind = Kind::kSelect;
  std::optional<int64_t> top;  // select top N ...
  std::vector<SelectColumn> columns;
  ExprPtr from;
  std::vector<ExprPtr> where;          // comma-separated conditions, all must hold
  std::vector<SelectColumn> group_by;  // `group by a, b` (aliases allowed)
  std::vector<OrderKey> order_by;
  std::optional<int64_t> limit;   // limit N
  std::optional<int64_t> offset;  // limit OFFSET, N
};

}  // namespace strata
