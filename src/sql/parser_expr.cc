// SQL expressions into the query engine's Expr (query/ast.h), with MySQL's precedence, lowest
// first: OR, AND, NOT, comparison / IS / IN / BETWEEN / LIKE, + -, * / % DIV MOD, unary - +.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <utility>

#include "base/strings.h"
#include "sql/sql_parser.h"

namespace strata {

namespace {

// Undoes one EnterNesting when the parsing function it guards returns.
class NestingGuard {
 public:
  explicit NestingGuard(int* depth) : depth_(depth) {}
  ~NestingGuard() { --*depth_; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

 private:
  int* depth_;
};

std::shared_ptr<Expr> NewExpr(ExprKind kind, int line) {
  auto expr = std::make_shared<Expr>();
  expr->kind = kind;
  expr->line = line;
  return expr;
}

ExprPtr Literal(Value value, int line) {
  auto expr = NewExpr(ExprKind::kLiteral, line);
  expr->literal = std::move(value);
  return expr;
}

ExprPtr Binary(BinaryOp op, ExprPtr left, ExprPtr right, int line) {
  auto expr = NewExpr(ExprKind::kBinary, line);
  expr->binary_op = op;
  expr->children = {std::move(left), std::move(right)};
  return expr;
}

ExprPtr Not(ExprPtr operand, int line) {
  auto expr = NewExpr(ExprKind::kUnary, line);
  expr->unary_op = UnaryOp::kNot;
  expr->children = {std::move(operand)};
  return expr;
}

ExprPtr Call(std::string name, std::vector<ExprPtr> args, int line) {
  auto expr = NewExpr(ExprKind::kCall, line);
  expr->name = std::move(name);
  for (ExprPtr& arg : args) expr->args.push_back(CallArg{.name = "", .value = std::move(arg)});
  return expr;
}

struct Comparison {
  SqlTokenKind token;
  BinaryOp op;
};
constexpr Comparison kComparisons[] = {
    {SqlTokenKind::kEq, BinaryOp::kEq},      {SqlTokenKind::kNotEq, BinaryOp::kNe},
    {SqlTokenKind::kLess, BinaryOp::kLt},    {SqlTokenKind::kLessEq, BinaryOp::kLe},
    {SqlTokenKind::kGreater, BinaryOp::kGt}, {SqlTokenKind::kGreaterEq, BinaryOp::kGe},
};

}  // namespace

Status SqlParser::EnterNesting() {
  if (depth_ >= kSqlExprDepthMax) {
    return ErrorAtCurrent("an expression nested at most " + std::to_string(kSqlExprDepthMax) +
                          " levels deep");
  }
  ++depth_;
  return Status::Ok();
}

Result<ExprPtr> SqlParser::ParseExpr() {
  RETURN_IF_ERROR(EnterNesting());
  NestingGuard guard(&depth_);
  return ParseLogical("OR", BinaryOp::kOr, &SqlParser::ParseAnd);
}

Result<ExprPtr> SqlParser::ParseAnd() {
  return ParseLogical("AND", BinaryOp::kAnd, &SqlParser::ParseNot);
}

Result<ExprPtr> SqlParser::ParseLogical(const char* keyword, BinaryOp op,
                                        Result<ExprPtr> (SqlParser::*operand)()) {
  ASSIGN_OR_RETURN(ExprPtr left, (this->*operand)());
  while (AtKeyword(keyword)) {
    int line = Advance().line;
    ASSIGN_OR_RETURN(ExprPtr right, (this->*operand)());
    left = Binary(op, std::move(left), std::move(right), line);
  }
  return left;
}

Result<ExprPtr> SqlParser::ParseNot() {
  if (!AtKeyword("NOT")) return ParsePredicate();
  int line = Advance().line;
  RETURN_IF_ERROR(EnterNesting());
  NestingGuard guard(&depth_);
  ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
  return Not(std::move(operand), line);
}

Result<ExprPtr> SqlParser::ParsePredicate() {
  ASSIGN_OR_RETURN(ExprPtr left, ParseAdditive());
  while (true) {
    int line = Peek().line;
    bool compared = false;
    for (const Comparison& comparison : kComparisons) {
      if (!Accept(comparison.token)) continue;
      ASSIGN_OR_RETURN(ExprPtr right, ParseAdditive());
      left = Binary(comparison.op, std::move(left), std::move(right), line);
      compared = true;
      break;
    }
    if (compared) continue;
    if (AcceptKeyword("IS")) {
      bool negated = AcceptKeyword("NOT");
      RETURN_IF_ERROR(
          ExpectKeyword("NULL", negated ? "NULL after IS NOT" : "NULL or NOT after IS"));
      left = Call("isNull", {std::move(left)}, line);
      if (negated) left = Not(std::move(left), line);
      continue;
    }
    bool negated =
        AtKeyword("NOT") && (AtKeyword("IN", 1) || AtKeyword("BETWEEN", 1) || AtKeyword("LIKE", 1));
    if (negated) Advance();
    if (AcceptKeyword("IN")) {
      RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and a list of values after IN"));
      auto list = NewExpr(ExprKind::kVector, line);
      do {
        ASSIGN_OR_RETURN(ExprPtr element, ParseExpr());
        list->children.push_back(std::move(element));
      } while (Accept(SqlTokenKind::kComma));
      RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' in the list after IN"));
      left = Binary(BinaryOp::kIn, std::move(left), std::move(list), line);
    } else if (AcceptKeyword("BETWEEN")) {
      ASSIGN_OR_RETURN(ExprPtr low, ParseAdditive());
      RETURN_IF_ERROR(ExpectKeyword("AND", "AND between the bounds of BETWEEN"));
      ASSIGN_OR_RETURN(ExprPtr high, ParseAdditive());
      ExprPtr bounds = Binary(BinaryOp::kPair, std::move(low), std::move(high), line);
      left = Binary(BinaryOp::kBetween, std::move(left), std::move(bounds), line);
    } else if (AcceptKeyword("LIKE")) {
      ASSIGN_OR_RETURN(ExprPtr pattern, ParseAdditive());
      left = Binary(BinaryOp::kLike, std::move(left), std::move(pattern), line);
    } else {
      return left;
    }
    if (negated) left = Not(std::move(left), line);
  }
}

Result<ExprPtr> SqlParser::ParseAdditive() {
  ASSIGN_OR_RETURN(ExprPtr left, ParseMultiplicative());
  while (At(SqlTokenKind::kPlus) || At(SqlTokenKind::kMinus)) {
    const SqlToken& op = Advance();
    BinaryOp binary = op.kind == SqlTokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSub;
    ASSIGN_OR_RETURN(ExprPtr right, ParseMultiplicative());
    left = Binary(binary, std::move(left), std::move(right), op.line);
  }
  return left;
}

Result<ExprPtr> SqlParser::ParseMultiplicative() {
  ASSIGN_OR_RETURN(ExprPtr left, ParseUnary());
  while (true) {
    BinaryOp op;
    if (At(SqlTokenKind::kStar)) {
      op = BinaryOp::kMul;
    } else if (At(SqlTokenKind::kSlash) || AtKeyword("DIV")) {
      op = BinaryOp::kDiv;
    } else if (At(SqlTokenKind::kPercent) || AtKeyword("MOD")) {
      op = BinaryOp::kMod;
    } else {
      return left;
    }
    int line = Advance().line;
    ASSIGN_OR_RETURN(ExprPtr right, ParseUnary());
    left = Binary(op, std::move(left), std::move(right), line);
  }
}

Result<ExprPtr> SqlParser::ParseUnary() {
  if (!At(SqlTokenKind::kMinus) && !At(SqlTokenKind::kPlus)) return ParsePrimary();
  const SqlToken& sign = Advance();
  bool negative = sign.kind == SqlTokenKind::kMinus;
  if (At(SqlTokenKind::kInteger) || At(SqlTokenKind::kDecimal)) {
    ASSIGN_OR_RETURN(Value value, NumberValue(Peek(), negative));
    Advance();
    return Literal(std::move(value), sign.line);
  }
  RETURN_IF_ERROR(EnterNesting());
  NestingGuard guard(&depth_);
  ASSIGN_OR_RETURN(ExprPtr operand, ParseUnary());
  if (!negative) return operand;
  auto expr = NewExpr(ExprKind::kUnary, sign.line);
  expr->unary_op = UnaryOp::kNeg;
  expr->children = {std::move(operand)};
  return ExprPtr(std::move(expr));
}

Result<Value> SqlParser::NumberValue(const SqlToken& token, bool negative) const {
  if (token.kind == SqlTokenKind::kDecimal) {
    // The lexer guarantees digits, maybe a '.', maybe an exponent, which from_chars reads
    // fast; strtod gives what is out of its range (infinity, or 0 for tiny numbers).
    double v = 0;
    auto [end, error] =
        std::from_chars(token.value.data(), token.value.data() + token.value.size(), v);
    if (error != std::errc()) v = std::strtod(token.value.c_str(), nullptr);
    // The lowest DOUBLE is Strata's NULL of DOUBLE (DolphinDB's), so it cannot be a value.
    if (negative && v == std::numeric_limits<double>::max()) {
      return InvalidArgument("line " + std::to_string(token.line) + ", column " +
                             std::to_string(token.column) +
                             ": -1.7976931348623157e308 is the lowest DOUBLE, which Strata keeps "
                             "for NULL; write NULL, or a number above it");
    }
    if (!std::isfinite(v)) {
      return InvalidArgument(
          "line " + std::to_string(token.line) + ", column " + std::to_string(token.column) +
          ": found " + DescribeSqlToken(token) +
          "; expected a number within DOUBLE's range (at most 1.7976931348623157e308 "
          "in magnitude)");
    }
    return Value(Scalar::Float(Type::kDouble, negative ? -v : v));
  }
  // Digits only (the lexer guarantees it); accumulate as unsigned to reach INT64_MIN.
  uint64_t magnitude = 0;
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (char c : token.value) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) {
      return InvalidArgument("line " + std::to_string(token.line) + ", column " +
                             std::to_string(token.column) + ": found " + DescribeSqlToken(token) +
                             "; expected an integer within BIGINT's range");
    }
    magnitude = magnitude * 10 + digit;
  }
  int64_t v = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return Value(Scalar::Int(Type::kLong, v));
}

Result<Value> SqlParser::ParseLiteralValue(const std::string& what) {
  bool negative = At(SqlTokenKind::kMinus);
  bool signed_number = (negative || At(SqlTokenKind::kPlus)) &&
                       (At(SqlTokenKind::kInteger, 1) || At(SqlTokenKind::kDecimal, 1));
  if (signed_number) Advance();
  if (At(SqlTokenKind::kInteger) || At(SqlTokenKind::kDecimal)) {
    ASSIGN_OR_RETURN(Value value, NumberValue(Peek(), negative && signed_number));
    Advance();
    return value;
  }
  if (At(SqlTokenKind::kString)) return Value(Scalar::String(Type::kString, Advance().value));
  if (AcceptKeyword("NULL")) return Value();
  if (AcceptKeyword("TRUE")) return Value(Scalar::Bool(true));
  if (AcceptKeyword("FALSE")) return Value(Scalar::Bool(false));
  return ErrorAtCurrent(what);
}

Result<ExprPtr> SqlParser::ParsePrimary() {
  const SqlToken& token = Peek();
  switch (token.kind) {
    case SqlTokenKind::kInteger:
    case SqlTokenKind::kDecimal:
    case SqlTokenKind::kString: {
      ASSIGN_OR_RETURN(Value value, ParseLiteralValue("a literal"));
      return Literal(std::move(value), token.line);
    }
    case SqlTokenKind::kLParen: {
      Advance();
      if (AtKeyword("SELECT"))
        return ErrorAtCurrent("an expression (subqueries are not supported)");
      ASSIGN_OR_RETURN(ExprPtr inner, ParseExpr());
      RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "')' to close the '(' at line " +
                                                        std::to_string(token.line) + ", column " +
                                                        std::to_string(token.column)));
      return inner;
    }
    case SqlTokenKind::kIdentifier:
      if (AtKeyword("NULL") || AtKeyword("TRUE") || AtKeyword("FALSE")) {
        ASSIGN_OR_RETURN(Value value, ParseLiteralValue("a literal"));
        return Literal(std::move(value), token.line);
      }
      // IF(c, a, b) and DATABASE() are the reserved words that name functions.
      if (At(SqlTokenKind::kLParen, 1) &&
          (!IsReservedSqlWord(token.value) || AtKeyword("IF") || AtKeyword("DATABASE"))) {
        return ParseCall(token);
      }
      return ParseNameExpr();
    case SqlTokenKind::kQuotedIdentifier:
      return ParseNameExpr();
    case SqlTokenKind::kAtAt:
      return ParseSystemVariable();
    case SqlTokenKind::kAt:
      return ErrorAtCurrent(
          "an expression (user variables such as @x are not supported; system variables are "
          "read as @@name)");
    default:
      return ErrorAtCurrent("an expression");
  }
}

Result<ExprPtr> SqlParser::ParseNameExpr() {
  int line = Peek().line;
  ASSIGN_OR_RETURN(std::string name, ParseName("an expression"));
  auto variable = NewExpr(ExprKind::kVariable, line);
  variable->name = std::move(name);
  ExprPtr expr = std::move(variable);
  // db.t.col at most: two dots.
  for (int dots = 0; dots < 2 && Accept(SqlTokenKind::kDot); ++dots) {
    auto member = NewExpr(ExprKind::kMember, line);
    ASSIGN_OR_RETURN(member->name, ParseName("a column name after '.'"));
    member->children = {std::move(expr)};
    expr = std::move(member);
  }
  return expr;
}

Result<ExprPtr> SqlParser::ParseCall(const SqlToken& name_token) {
  Advance();  // the name
  Advance();  // (
  std::vector<ExprPtr> args;
  if (EqualsIgnoreCase(name_token.value, "COUNT") && At(SqlTokenKind::kStar)) {
    args.push_back(NewExpr(ExprKind::kStar, Advance().line));
  } else if (AtKeyword("DISTINCT")) {
    return ErrorAtCurrent("an argument (DISTINCT in calls is not supported yet)");
  } else if (!At(SqlTokenKind::kRParen)) {
    do {
      ASSIGN_OR_RETURN(ExprPtr arg, ParseExpr());
      args.push_back(std::move(arg));
    } while (Accept(SqlTokenKind::kComma));
  }
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen,
                         "',' or ')' in the arguments of " + name_token.value + "(...)"));
  return Call(name_token.value, std::move(args), name_token.line);
}

}  // namespace strata
