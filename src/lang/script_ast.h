// The statements of the DolphinDB-style script: what the script parser builds around the
// expression and select forms of query/ast.h, and what the interpreter runs. The query engine
// never sees them (a lambda's body reaches it only as an opaque LambdaBody). Immutable once
// built.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/ast.h"

namespace strata {

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;

enum class StmtKind : uint8_t {
  kExpr,     // expr
  kAssign,   // targets[0] = expr  (several targets: a, b = expr)
  kDef,      // def name(params) { body }
  kIf,       // if (expr) body else else_body
  kFor,      // for (targets[0] in expr) body
  kWhile,    // while (expr) body
  kDoWhile,  // do body while (expr)
  kReturn,   // return [expr]
  kBreak,
  kContinue,
  kBlock,   // { body }
  kUpdate,  // update t set c = e, ... [where ...]: `update`
};

struct Stmt {
  StmtKind kind = StmtKind::kExpr;
  int line = 0;
  ExprPtr expr;
  std::vector<std::string> targets;
  std::string name;                 // kDef
  std::vector<std::string> params;  // kDef
  std::vector<StmtPtr> body;
  std::vector<StmtPtr> else_body;
  std::shared_ptr<const UpdateQuery> update;  // kUpdate
};

struct Program {
  std::vector<StmtPtr> statements;
};

struct LambdaBody {
  std::vector<StmtPtr> statements;
};

}  // namespace strata
