// Expressions: precedence climbing over the binary operators, then prefix operators, postfix
// operators (call, index, member, method call, partial application) and primaries.
#include <utility>

#include "base/strings.h"
#include "lang/script_parser.h"
#include "types/column.h"

namespace strata {

namespace {

// The type of a constant vector made of `values`, or an error naming the clash.
Result<Type> CommonConstantType(const std::vector<Scalar>& values, int line) {
  Type common = Type::kVoid;
  for (const Scalar& value : values) {
    Type type = value.type();
    if (type == Type::kVoid) continue;  // NULL takes the others' type
    if (common == Type::kVoid) common = type;
    if (type == common) continue;
    if (NumericRank(type) >= 0 && NumericRank(common) >= 0) {
      if (NumericRank(type) > NumericRank(common)) common = type;
      continue;
    }
    return InvalidArgument("line " + std::to_string(line) + ": cannot mix " + TypeName(common) +
                           " and " + TypeName(type) +
                           " in the constant vector; separate the values with commas in [...] "
                           "or convert them to one type");
  }
  return common == Type::kVoid ? Type::kInt : common;
}

Scalar ConvertConstant(const Scalar& value, Type type) {
  if (value.type() == type) return value;
  if (value.type() == Type::kVoid) return Scalar::Null(type);
  if (IsFloating(type)) return Scalar::Float(type, value.ToDouble());
  return Scalar::Int(type, value.int_value());
}

}  // namespace

std::optional<ScriptParser::BinaryOperator> ScriptParser::BinaryOperatorAtCurrent() const {
  const Token& token = Current();
  switch (token.kind) {
    case TokenKind::kOrOr:
      return BinaryOperator{BinaryOp::kOr, kOrLevel, 1, false};
    case TokenKind::kAndAnd:
      return BinaryOperator{BinaryOp::kAnd, kAndLevel, 1, false};
    case TokenKind::kEqEq:
      return BinaryOperator{BinaryOp::kEq, kCompareLevel, 1, false};
    case TokenKind::kNotEq:
      return BinaryOperator{BinaryOp::kNe, kCompareLevel, 1, false};
    case TokenKind::kLess:
      return BinaryOperator{BinaryOp::kLt, kCompareLevel, 1, false};
    case TokenKind::kLessEq:
      return BinaryOperator{BinaryOp::kLe, kCompareLevel, 1, false};
    case TokenKind::kGreaterEq:
      return BinaryOperator{BinaryOp::kGe, kCompareLevel, 1, false};
    case TokenKind::kGreater:
      // Directly inside metacode, a `>` not followed by an operand on the same line closes
      // it: <select * from t where date>2017.08.10>, true
      if (!brackets_.empty() && brackets_.back() == '<' &&
          (PeekToken(1).newline_before || !CanStartOperand(PeekToken(1)))) {
        return std::nullopt;
      }
      return BinaryOperator{BinaryOp::kGt, kCompareLevel, 1, false};
    case TokenKind::kAssign:
      if (sql_depth_ == 0) return std::nullopt;  // assignment, handled by the statement
      return BinaryOperator{BinaryOp::kEq, kCompareLevel, 1, false};
    case TokenKind::kColon:
      return BinaryOperator{BinaryOp::kPair, kPairLevel, 1, false};
    case TokenKind::kDotDot:
      return BinaryOperator{BinaryOp::kRange, kRangeLevel, 1, false};
    case TokenKind::kPlus:
      return BinaryOperator{BinaryOp::kAdd, kAddLevel, 1, false};
    case TokenKind::kMinus:
      return BinaryOperator{BinaryOp::kSub, kAddLevel, 1, false};
    case TokenKind::kStar:
      return BinaryOperator{BinaryOp::kMul, kMulLevel, 1, false};
    case TokenKind::kSlash:
      return BinaryOperator{BinaryOp::kDiv, kMulLevel, 1, false};
    case TokenKind::kPercent:
      return BinaryOperator{BinaryOp::kMod, kMulLevel, 1, false};
    case TokenKind::kIdentifier:
      break;
    default:
      return std::nullopt;
  }
  if (IsWord(token, "or")) return BinaryOperator{BinaryOp::kOr, kOrLevel, 1, false};
  if (IsWord(token, "and")) return BinaryOperator{BinaryOp::kAnd, kAndLevel, 1, false};
  bool negated = IsWord(token, "not");
  const Token& word = negated ? PeekToken(1) : token;
  int count = negated ? 2 : 1;
  if (IsWord(word, "in")) return BinaryOperator{BinaryOp::kIn, kCompareLevel, count, negated};
  if (IsWord(word, "like")) return BinaryOperator{BinaryOp::kLike, kCompareLevel, count, negated};
  if (IsWord(word, "between")) {
    return BinaryOperator{BinaryOp::kBetween, kCompareLevel, count, negated};
  }
  return std::nullopt;
}

bool ScriptParser::CanStartOperand(const Token& token) const {
  switch (token.kind) {
    case TokenKind::kNumber:
    case TokenKind::kString:
    case TokenKind::kSymbol:
    case TokenKind::kLParen:
    case TokenKind::kLBracket:
    case TokenKind::kMinus:
    case TokenKind::kBang:
    case TokenKind::kLess:
      return true;
    case TokenKind::kIdentifier:
      for (const char* word : {"and", "or", "in", "like", "between"}) {
        if (IsWord(token, word)) return false;
      }
      return true;
    default:
      return false;
  }
}

bool ScriptParser::IsPlainOperand(const Token& token) const {
  static const char* const kReserved[] = {
      "as",     "from",  "where", "by",       "group",   "order",   "limit",  "asc",     "desc",
      "and",    "or",    "not",   "in",       "like",    "between", "top",    "context", "csort",
      "having", "map",   "pivot", "cgroup",   "def",     "return",  "if",     "else",    "for",
      "do",     "while", "break", "continue", "select",  "exec",    "update", "set",     "delete",
      "is",     "true",  "false", "NULL",     "mutable", "on",      "into",   "values"};
  if (token.newline_before) return false;
  switch (token.kind) {
    case TokenKind::kNumber:
    case TokenKind::kString:
    case TokenKind::kSymbol:
      return true;
    case TokenKind::kIdentifier:
      for (const char* word : kReserved) {
        if (EqualsIgnoreCase(token.text, word)) return false;
      }
      return true;
    default:
      return false;
  }
}

bool ScriptParser::AtParenlessCall() const {
  // f x, f "s", f 1 2 3; not x f y (then f is the infix function).
  return IsPlainOperand(Current()) &&
         !(Current().kind == TokenKind::kIdentifier && IsPlainOperand(PeekToken(1)));
}

bool ScriptParser::AtInfixFunction() const {
  if (At(TokenKind::kLeftArrow)) return true;
  return Current().kind == TokenKind::kIdentifier && IsPlainOperand(Current()) &&
         IsPlainOperand(PeekToken(1));
}

Result<ExprPtr> ScriptParser::ParseExpr(int min_precedence) {
  ASSIGN_OR_RETURN(ExprPtr lhs, ParsePrefix());
  for (int chain = 1; !AtStatementBreak(); ++chain) {
    RETURN_IF_ERROR(CheckDepth(chain));
    if (AtInfixFunction()) {
      if (kMulLevel < min_precedence) break;
      const Token& word = Advance();
      auto call = NewExpr(ExprKind::kCall, lhs->line);
      call->name = word.kind == TokenKind::kLeftArrow ? "join" : word.text;
      ASSIGN_OR_RETURN(ExprPtr rhs, ParseExpr(kMulLevel + 1));
      call->args = {CallArg{"", std::move(lhs), ""}, CallArg{"", std::move(rhs), ""}};
      lhs = std::move(call);
      continue;
    }
    std::optional<BinaryOperator> op = BinaryOperatorAtCurrent();
    if (!op || op->precedence < min_precedence) break;
    int line = lhs->line;
    for (int i = 0; i < op->token_count; ++i) Advance();
    ExprPtr rhs;
    if (op->op == BinaryOp::kBetween) {
      ASSIGN_OR_RETURN(rhs, ParseBetweenBounds());
    } else if (op->op == BinaryOp::kPair && At(TokenKind::kRBracket) && !brackets_.empty() &&
               brackets_.back() == '[') {
      rhs = NewExpr(ExprKind::kLiteral, line);  // x[a:]: a slice open at its end (NULL)
    } else {
      ASSIGN_OR_RETURN(rhs, ParseExpr(op->precedence + 1));
    }
    auto binary = NewExpr(ExprKind::kBinary, line);
    binary->binary_op = op->op;
    binary->children = {std::move(lhs), std::move(rhs)};
    lhs = std::move(binary);
    if (op->negated) {
      auto negation = NewExpr(ExprKind::kUnary, line);
      negation->unary_op = UnaryOp::kNot;
      negation->children = {std::move(lhs)};
      lhs = std::move(negation);
    }
  }
  return lhs;
}

// `x between a and b` (SQL) or `x between a:b`; both give the pair a:b.
Result<ExprPtr> ScriptParser::ParseBetweenBounds() {
  ASSIGN_OR_RETURN(ExprPtr low, ParseExpr(kPairLevel));
  if (low->kind == ExprKind::kBinary && low->binary_op == BinaryOp::kPair) return low;
  if (!AtWord("and")) return ErrorAtCurrent("'and' between the bounds of 'between'");
  Advance();
  ASSIGN_OR_RETURN(ExprPtr high, ParseExpr(kPairLevel + 1));
  auto pair = NewExpr(ExprKind::kBinary, low->line);
  pair->binary_op = BinaryOp::kPair;
  pair->children = {std::move(low), std::move(high)};
  return ExprPtr(pair);
}

Result<ExprPtr> ScriptParser::ParsePrefix() {
  Nesting nesting(nesting_);
  RETURN_IF_ERROR(CheckDepth());
  const Token& token = Current();
  int line = token.line;
  if (token.kind == TokenKind::kMinus) {
    Advance();
    // -1 2 3 is the vector [-1, 2, 3], not -(1 2 3).
    if (At(TokenKind::kNumber) && IsNumeric(Current().value.type())) {
      ASSIGN_OR_RETURN(ExprPtr constant, ParseConstant(/*negate_first=*/true));
      return ParsePostfix(std::move(constant));
    }
    ASSIGN_OR_RETURN(ExprPtr operand, ParsePrefix());
    auto negation = NewExpr(ExprKind::kUnary, line);
    negation->unary_op = UnaryOp::kNeg;
    negation->children = {std::move(operand)};
    return ExprPtr(negation);
  }
  if (token.kind == TokenKind::kBang || IsWord(token, "not")) {
    Advance();
    ASSIGN_OR_RETURN(ExprPtr operand, ParseExpr(kCompareLevel));
    auto negation = NewExpr(ExprKind::kUnary, line);
    negation->unary_op = UnaryOp::kNot;
    negation->children = {std::move(operand)};
    return ExprPtr(negation);
  }
  ASSIGN_OR_RETURN(ExprPtr primary, ParsePrimary());
  return ParsePostfix(std::move(primary));
}

Result<ExprPtr> ScriptParser::ParsePostfix(ExprPtr expr) {
  for (int chain = 1; !AtStatementBreak(); ++chain) {
    RETURN_IF_ERROR(CheckDepth(chain));
    const Token& token = Current();
    if (expr->kind == ExprKind::kVariable && AtParenlessCall()) {
      // print x: the call of print with the expression to its right.
      auto call = NewExpr(ExprKind::kCall, expr->line);
      call->name = expr->name;
      ASSIGN_OR_RETURN(ExprPtr argument, ParseExpr());
      call->args = {CallArg{"", std::move(argument), ""}};
      return ExprPtr(call);
    }
    if (token.kind == TokenKind::kLParen) {
      auto call = NewExpr(ExprKind::kCall, expr->line);
      std::string what = "the call";
      if (expr->kind == ExprKind::kVariable) {
        call->name = expr->name;
        what += " of '" + expr->name + "'";
      } else {
        call->callee = expr;
      }
      ASSIGN_OR_RETURN(call->args, ParseArgs(TokenKind::kRParen, what));
      expr = std::move(call);
    } else if (token.kind == TokenKind::kLBrace &&
               (expr->kind == ExprKind::kVariable || expr->kind == ExprKind::kLambda)) {
      auto call = NewExpr(ExprKind::kCall, expr->line);
      call->partial = true;
      std::string what = "the partial application";
      if (expr->kind == ExprKind::kVariable) {
        call->name = expr->name;
        what += " of '" + expr->name + "'";
      } else {
        call->callee = expr;
      }
      ASSIGN_OR_RETURN(call->args, ParseArgs(TokenKind::kRBrace, what));
      expr = std::move(call);
    } else if (token.kind == TokenKind::kLBracket) {
      int open_line = Advance().line;
      brackets_.push_back('[');
      ExprPtr index;
      if (At(TokenKind::kColon)) {  // x[:b], x[:]: a slice open at its start (NULL)
        int line = Advance().line;
        auto pair = NewExpr(ExprKind::kBinary, line);
        pair->binary_op = BinaryOp::kPair;
        ExprPtr high = NewExpr(ExprKind::kLiteral, line);
        if (!At(TokenKind::kRBracket)) {
          ASSIGN_OR_RETURN(high, ParseExpr(kPairLevel + 1));
        }
        pair->children = {NewExpr(ExprKind::kLiteral, line), std::move(high)};
        index = std::move(pair);
      } else {
        ASSIGN_OR_RETURN(index, ParseExpr());
      }
      brackets_.pop_back();
      RETURN_IF_ERROR(Expect(TokenKind::kRBracket, "]",
                             "to close the index opened on line " + std::to_string(open_line)));
      auto indexed = NewExpr(ExprKind::kIndex, expr->line);
      indexed->children = {std::move(expr), std::move(index)};
      expr = std::move(indexed);
    } else if (token.kind == TokenKind::kDot) {
      Advance();
      if (!At(TokenKind::kIdentifier)) return ErrorAtCurrent("a member or method name after '.'");
      std::string name = Advance().text;
      if (At(TokenKind::kLParen) && !Current().newline_before) {
        // obj.f(a, b) is f(obj, a, b).
        auto call = NewExpr(ExprKind::kCall, expr->line);
        call->name = name;
        ASSIGN_OR_RETURN(std::vector<CallArg> args,
                         ParseArgs(TokenKind::kRParen, "the call of '" + name + "'"));
        call->args.push_back(CallArg{"", std::move(expr)});
        for (CallArg& arg : args) call->args.push_back(std::move(arg));
        expr = std::move(call);
      } else {
        auto member = NewExpr(ExprKind::kMember, expr->line);
        member->name = std::move(name);
        member->children = {std::move(expr)};
        expr = std::move(member);
      }
    } else {
      break;
    }
  }
  return expr;
}

Result<std::vector<CallArg>> ScriptParser::ParseArgs(TokenKind close, const std::string& what) {
  const char* close_spelling = close == TokenKind::kRParen ? ")" : "}";
  int open_line = Advance().line;
  brackets_.push_back(close == TokenKind::kRParen ? '(' : '{');
  std::vector<CallArg> args;
  if (At(close)) {
    Advance();
    brackets_.pop_back();
    return args;
  }
  while (true) {
    CallArg arg;
    if (At(TokenKind::kComma) || At(close)) {
      // an empty argument: f(, b)
    } else if (At(TokenKind::kIdentifier) && PeekToken(1).kind == TokenKind::kAssign &&
               (sql_depth_ == 0 || named_args_in_sql_)) {
      arg.name = Advance().text;
      Advance();
      ASSIGN_OR_RETURN(arg.value, ParseExpr());
    } else {
      ASSIGN_OR_RETURN(arg.value, ParseExpr());
      if (At(TokenKind::kIdentifier) && EqualsIgnoreCase(Current().text, "as") &&
          PeekToken(1).kind == TokenKind::kIdentifier) {
        Advance();
        arg.alias = Advance().text;
      }
    }
    args.push_back(std::move(arg));
    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    if (!At(close)) {
      return ErrorAtCurrent("',' or '" + std::string(close_spelling) + "' to close " + what +
                            " opened on line " + std::to_string(open_line));
    }
    Advance();
    brackets_.pop_back();
    return args;
  }
}

Result<std::vector<ExprPtr>> ScriptParser::ParseElements(TokenKind close, const std::string& what) {
  const char* close_spelling = close == TokenKind::kRParen ? ")" : "]";
  int open_line = Advance().line;
  brackets_.push_back(close == TokenKind::kRParen ? '(' : '[');
  std::vector<ExprPtr> elements;
  if (At(close)) {
    Advance();
    brackets_.pop_back();
    return elements;
  }
  while (true) {
    ExprPtr element;
    if (!At(TokenKind::kComma) && !At(close)) {
      ASSIGN_OR_RETURN(element, ParseExpr());
    }
    elements.push_back(std::move(element));
    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    if (!At(close)) {
      return ErrorAtCurrent("',' or '" + std::string(close_spelling) + "' to close " + what +
                            " opened on line " + std::to_string(open_line));
    }
    Advance();
    brackets_.pop_back();
    return elements;
  }
}

Result<ExprPtr> ScriptParser::ParsePrimary() {
  const Token& token = Current();
  int line = token.line;
  switch (token.kind) {
    case TokenKind::kNumber:
      return ParseConstant(/*negate_first=*/false);
    case TokenKind::kString: {
      auto literal = NewExpr(ExprKind::kLiteral, line);
      literal->literal = Scalar::String(Type::kString, Advance().text);
      return ExprPtr(literal);
    }
    case TokenKind::kSymbol: {
      auto literal = NewExpr(ExprKind::kLiteral, line);
      const Token& symbol = Advance();
      if (symbol.symbols.size() == 1) {
        literal->literal = Scalar::String(Type::kString, symbol.symbols[0]);
      } else {
        Column column(Type::kString);
        for (const std::string& name : symbol.symbols) {
          column.Append(Scalar::String(Type::kString, name));
        }
        literal->literal = Value::Vector(std::move(column));
      }
      return ExprPtr(literal);
    }
    case TokenKind::kLParen:
      return ParseParenthesized();
    case TokenKind::kLBracket:
      return ParseBracketed();
    case TokenKind::kLess:
      return ParseMetacode();
    case TokenKind::kStar:
      if (sql_depth_ > 0) {
        Advance();
        return ExprPtr(NewExpr(ExprKind::kStar, line));
      }
      break;
    case TokenKind::kIdentifier: {
      const std::string& word = token.text;
      if (word == "true" || word == "false") {
        auto literal = NewExpr(ExprKind::kLiteral, line);
        literal->literal = Scalar::Bool(word == "true");
        Advance();
        return ExprPtr(literal);
      }
      if (word == "NULL") {
        Advance();
        return ExprPtr(NewExpr(ExprKind::kLiteral, line));
      }
      if (EqualsIgnoreCase(word, "select") || EqualsIgnoreCase(word, "exec")) {
        return ParseSelect();
      }
      if (word == "def") return ParseLambda();
      auto variable = NewExpr(ExprKind::kVariable, line);
      variable->name = Advance().text;
      return ExprPtr(variable);
    }
    default:
      break;
  }
  return ErrorAtCurrent("an expression");
}

// One constant, or several separated only by spaces on one line (0 50 100) as one vector;
// `negate_first` when a `-` preceded the first.
Result<ExprPtr> ScriptParser::ParseConstant(bool negate_first) {
  int line = Current().line;
  std::vector<Scalar> values{Advance().value};
  if (negate_first) {
    const Scalar& v = values[0];
    values[0] = IsFloating(v.type()) ? Scalar::Float(v.type(), -v.float_value())
                                     : Scalar::Int(v.type(), -v.int_value());
  }
  while (!Current().newline_before &&
         (At(TokenKind::kNumber) || (At(TokenKind::kIdentifier) && Current().text == "NULL"))) {
    values.push_back(At(TokenKind::kNumber) ? Advance().value : (Advance(), Scalar()));
  }
  auto literal = NewExpr(ExprKind::kLiteral, line);
  if (values.size() == 1) {
    literal->literal = values[0];
    return ExprPtr(literal);
  }
  ASSIGN_OR_RETURN(Type type, CommonConstantType(values, line));
  Column column(type);
  column.Reserve(values.size());
  for (const Scalar& value : values) column.Append(ConvertConstant(value, type));
  literal->literal = Value::Vector(std::move(column));
  return ExprPtr(literal);
}

// (e) is grouping; (a, b), (, b), (a, ) and () are tuples.
Result<ExprPtr> ScriptParser::ParseParenthesized() {
  int line = Current().line;
  ASSIGN_OR_RETURN(std::vector<ExprPtr> elements, ParseElements(TokenKind::kRParen, "the '('"));
  if (elements.size() == 1 && elements[0] != nullptr) return elements[0];
  auto tuple = NewExpr(ExprKind::kTuple, line);
  tuple->children = std::move(elements);
  return ExprPtr(tuple);
}

// [a, b] is a vector; with an empty element ([, [0]]) it can only be a tuple.
Result<ExprPtr> ScriptParser::ParseBracketed() {
  int line = Current().line;
  ASSIGN_OR_RETURN(std::vector<ExprPtr> elements,
                   ParseElements(TokenKind::kRBracket, "the vector '['"));
  bool has_empty = false;
  for (const ExprPtr& element : elements) has_empty = has_empty || element == nullptr;
  auto vector = NewExpr(has_empty ? ExprKind::kTuple : ExprKind::kVector, line);
  vector->children = std::move(elements);
  return ExprPtr(vector);
}

Result<ExprPtr> ScriptParser::ParseMetacode() {
  int line = Advance().line;
  brackets_.push_back('<');
  ASSIGN_OR_RETURN(ExprPtr body, ParseExpr());
  brackets_.pop_back();
  RETURN_IF_ERROR(Expect(TokenKind::kGreater, ">",
                         "to close the metacode '<' opened on line " + std::to_string(line)));
  auto metacode = NewExpr(ExprKind::kMetacode, line);
  metacode->children = {std::move(body)};
  return ExprPtr(metacode);
}

// def(x, y) { body } or def(x): expr
Result<ExprPtr> ScriptParser::ParseLambda() {
  auto lambda = NewExpr(ExprKind::kLambda, Advance().line);
  ASSIGN_OR_RETURN(lambda->params, ParseParams("the anonymous function"));
  if (At(TokenKind::kColon)) {
    int line = Advance().line;
    auto ret = NewStmt(StmtKind::kReturn, line);
    ASSIGN_OR_RETURN(ret->expr, ParseExpr());
    lambda->body = std::make_shared<const LambdaBody>(LambdaBody{{std::move(ret)}});
    return ExprPtr(lambda);
  }
  if (!At(TokenKind::kLBrace)) {
    return ErrorAtCurrent("'{' or ':' to start the body of the anonymous function");
  }
  ASSIGN_OR_RETURN(std::vector<StmtPtr> block, ParseBlock());
  lambda->body = std::make_shared<const LambdaBody>(LambdaBody{std::move(block)});
  return ExprPtr(lambda);
}

}  // namespace strata
