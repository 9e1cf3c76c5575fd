#include "lang/script_parser.h"

#include <utility>

#include "base/strings.h"

namespace strata {

namespace {

// Words that start a statement and so cannot be assigned to.
bool IsStatementKeyword(const std::string& word) {
  static const char* const kKeywords[] = {"def",    "if",    "else",     "for",  "while", "do",
                                          "return", "break", "continue", "true", "false", "NULL"};
  for (const char* keyword : kKeywords) {
    if (word == keyword) return true;
  }
  return false;
}

}  // namespace

std::shared_ptr<Expr> NewExpr(ExprKind kind, int line) {
  auto expr = std::make_shared<Expr>();
  expr->kind = kind;
  expr->line = line;
  return expr;
}

std::shared_ptr<Stmt> NewStmt(StmtKind kind, int line) {
  auto stmt = std::make_shared<Stmt>();
  stmt->kind = kind;
  stmt->line = line;
  return stmt;
}

ScriptParser::ScriptParser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {
  if (tokens_.empty() || tokens_.back().kind != TokenKind::kEnd) tokens_.emplace_back();
}

// --- tokens

const Token& ScriptParser::PeekToken(size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const Token& ScriptParser::Advance() {
  const Token& token = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return token;
}

bool ScriptParser::IsWord(const Token& token, const char* word) const {
  if (token.kind != TokenKind::kIdentifier) return false;
  return sql_depth_ > 0 ? EqualsIgnoreCase(token.text, word) : token.text == word;
}

bool ScriptParser::AtWord(const char* word, size_t ahead) const {
  return IsWord(PeekToken(ahead), word);
}

Status ScriptParser::ErrorAtCurrent(const std::string& expected) const {
  return InvalidArgument("line " + std::to_string(Current().line) + ": expected " + expected +
                         ", found " + DescribeToken(Current()));
}

namespace {

// Operands and statements inside each other (parentheses, brackets, unary operators, blocks).
constexpr int kNestingMax = 256;
// The depth of an expression tree, chains of operators and calls included.
constexpr int kTreeDepthMax = 512;

}  // namespace

Status ScriptParser::CheckDepth(int extra) const {
  if (nesting_ <= kNestingMax && nesting_ + extra <= kTreeDepthMax) return Status::Ok();
  return InvalidArgument("line " + std::to_string(Current().line) +
                         ": the script nests deeper "
                         "than " +
                         std::to_string(nesting_ > kNestingMax ? kNestingMax : kTreeDepthMax) +
                         " levels; split the expression, e.g. with intermediate variables");
}

Status ScriptParser::Expect(TokenKind kind, const std::string& spelling,
                            const std::string& context) {
  if (!At(kind)) {
    return ErrorAtCurrent("'" + spelling + "'" + (context.empty() ? "" : " " + context));
  }
  Advance();
  return Status::Ok();
}

Result<std::string> ScriptParser::ExpectName(const std::string& what) {
  if (!At(TokenKind::kIdentifier) || IsStatementKeyword(Current().text)) {
    return ErrorAtCurrent(what);
  }
  return Advance().text;
}

// --- entry points

Result<Program> ScriptParser::ParseProgram() {
  Program program;
  ASSIGN_OR_RETURN(program.statements, ParseStatements(TokenKind::kEnd));
  return program;
}

Result<ExprPtr> ScriptParser::ParseSingleExpression() {
  while (At(TokenKind::kSemicolon)) Advance();
  ASSIGN_OR_RETURN(ExprPtr expr, ParseExpr());
  while (At(TokenKind::kSemicolon)) Advance();
  if (!At(TokenKind::kEnd)) return ErrorAtCurrent("the end of the expression");
  return expr;
}

// --- statements

Result<std::vector<StmtPtr>> ScriptParser::ParseStatements(TokenKind end) {
  std::vector<StmtPtr> statements;
  while (true) {
    while (At(TokenKind::kSemicolon)) Advance();
    if (At(end) || At(TokenKind::kEnd)) return statements;
    ASSIGN_OR_RETURN(StmtPtr statement, ParseStatement());
    statements.push_back(std::move(statement));
  }
}

Result<StmtPtr> ScriptParser::ParseStatement() {
  Nesting nesting(nesting_);
  RETURN_IF_ERROR(CheckDepth());
  const Token& token = Current();
  if (token.kind == TokenKind::kLBrace) {
    auto block = NewStmt(StmtKind::kBlock, token.line);
    ASSIGN_OR_RETURN(block->body, ParseBlock());
    return StmtPtr(block);
  }
  if (token.kind == TokenKind::kIdentifier) {
    const std::string& word = token.text;
    if (word == "def" && PeekToken(1).kind == TokenKind::kIdentifier) return ParseDef();
    if (word == "if") return ParseIf();
    if (word == "for") return ParseFor();
    if (word == "while") return ParseWhile();
    if (word == "do") return ParseDoWhile();
    if (word == "return") return ParseReturn();
    if (EqualsIgnoreCase(word, "update") && PeekToken(1).kind == TokenKind::kIdentifier &&
        PeekToken(2).kind == TokenKind::kIdentifier && EqualsIgnoreCase(PeekToken(2).text, "set")) {
      return ParseUpdate();
    }
    if (word == "break" || word == "continue") {
      auto stmt = NewStmt(word == "break" ? StmtKind::kBreak : StmtKind::kContinue, token.line);
      Advance();
      RETURN_IF_ERROR(ExpectStatementEnd());
      return StmtPtr(stmt);
    }
    if (word == "else") {
      return InvalidArgument("line " + std::to_string(token.line) +
                             ": 'else' without a matching 'if'");
    }
    if (AtAssignment()) return ParseAssignment();
  }
  auto stmt = NewStmt(StmtKind::kExpr, token.line);
  ASSIGN_OR_RETURN(stmt->expr, ParseExpr());
  RETURN_IF_ERROR(ExpectStatementEnd());
  return StmtPtr(stmt);
}

bool ScriptParser::AtAssignment() const {
  size_t ahead = 0;
  while (true) {
    const Token& name = PeekToken(ahead);
    if (name.kind != TokenKind::kIdentifier || IsStatementKeyword(name.text)) return false;
    TokenKind next = PeekToken(ahead + 1).kind;
    if (next == TokenKind::kComma) {
      ahead += 2;
      continue;
    }
    if (next == TokenKind::kAssign) return true;
    bool compound = next == TokenKind::kPlusAssign || next == TokenKind::kMinusAssign ||
                    next == TokenKind::kStarAssign || next == TokenKind::kSlashAssign;
    return compound && ahead == 0;
  }
}

Result<StmtPtr> ScriptParser::ParseAssignment() {
  auto stmt = NewStmt(StmtKind::kAssign, Current().line);
  stmt->targets.push_back(Advance().text);
  while (At(TokenKind::kComma)) {
    Advance();
    stmt->targets.push_back(Advance().text);
  }
  const Token& op = Advance();
  ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
  if (op.kind == TokenKind::kAssign) {
    stmt->expr = std::move(value);
  } else {
    // x += e is x = x + e.
    auto binary = NewExpr(ExprKind::kBinary, stmt->line);
    binary->binary_op = op.kind == TokenKind::kPlusAssign    ? BinaryOp::kAdd
                        : op.kind == TokenKind::kMinusAssign ? BinaryOp::kSub
                        : op.kind == TokenKind::kStarAssign  ? BinaryOp::kMul
                                                             : BinaryOp::kDiv;
    auto target = NewExpr(ExprKind::kVariable, stmt->line);
    target->name = stmt->targets[0];
    binary->children = {std::move(target), std::move(value)};
    stmt->expr = std::move(binary);
  }
  RETURN_IF_ERROR(ExpectStatementEnd());
  return StmtPtr(stmt);
}

Result<std::vector<std::string>> ScriptParser::ParseParams(const std::string& owner) {
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "(", "to open the parameters of " + owner));
  std::vector<std::string> params;
  if (At(TokenKind::kRParen)) {
    Advance();
    return params;
  }
  while (true) {
    // `mutable` lets a function modify its argument in place; values here are immutable
    // snapshots, so the qualifier has no effect and is accepted for compatibility.
    if (AtWord("mutable") && PeekToken(1).kind == TokenKind::kIdentifier) Advance();
    ASSIGN_OR_RETURN(std::string param, ExpectName("a parameter name of " + owner));
    if (At(TokenKind::kAssign)) {
      return InvalidArgument("line " + std::to_string(Current().line) +
                             ": default parameter values are not supported (parameter '" + param +
                             "' of " + owner + "); pass the value explicitly");
    }
    params.push_back(std::move(param));
    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    RETURN_IF_ERROR(Expect(TokenKind::kRParen, ")", "to close the parameters of " + owner));
    return params;
  }
}

Result<StmtPtr> ScriptParser::ParseDef() {
  auto stmt = NewStmt(StmtKind::kDef, Advance().line);
  stmt->name = Advance().text;
  std::string owner = "function '" + stmt->name + "'";
  ASSIGN_OR_RETURN(stmt->params, ParseParams(owner));
  if (At(TokenKind::kColon)) {
    int line = Advance().line;
    auto ret = NewStmt(StmtKind::kReturn, line);
    ASSIGN_OR_RETURN(ret->expr, ParseExpr());
    stmt->body.push_back(std::move(ret));
    RETURN_IF_ERROR(ExpectStatementEnd());
    return StmtPtr(stmt);
  }
  if (!At(TokenKind::kLBrace)) return ErrorAtCurrent("'{' to start the body of " + owner);
  ASSIGN_OR_RETURN(stmt->body, ParseBlock());
  return StmtPtr(stmt);
}

Result<ExprPtr> ScriptParser::ParseParenthesizedCondition(const std::string& keyword) {
  int open_line = Current().line;
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "(", "after '" + keyword + "'"));
  brackets_.push_back('(');
  ASSIGN_OR_RETURN(ExprPtr condition, ParseExpr());
  brackets_.pop_back();
  RETURN_IF_ERROR(Expect(
      TokenKind::kRParen, ")",
      "to close the condition of '" + keyword + "' opened on line " + std::to_string(open_line)));
  return condition;
}

Result<StmtPtr> ScriptParser::ParseIf() {
  auto stmt = NewStmt(StmtKind::kIf, Advance().line);
  ASSIGN_OR_RETURN(stmt->expr, ParseParenthesizedCondition("if"));
  ASSIGN_OR_RETURN(stmt->body, ParseBody());
  if (At(TokenKind::kSemicolon) && IsWord(PeekToken(1), "else")) Advance();
  if (AtWord("else")) {
    Advance();
    ASSIGN_OR_RETURN(stmt->else_body, ParseBody());
  }
  return StmtPtr(stmt);
}

Result<StmtPtr> ScriptParser::ParseFor() {
  auto stmt = NewStmt(StmtKind::kFor, Advance().line);
  int open_line = Current().line;
  RETURN_IF_ERROR(Expect(TokenKind::kLParen, "(", "after 'for'"));
  brackets_.push_back('(');
  ASSIGN_OR_RETURN(std::string target, ExpectName("a loop variable name after 'for ('"));
  stmt->targets.push_back(std::move(target));
  if (!AtWord("in")) return ErrorAtCurrent("'in' after the loop variable of 'for'");
  Advance();
  ASSIGN_OR_RETURN(stmt->expr, ParseExpr());
  brackets_.pop_back();
  RETURN_IF_ERROR(Expect(TokenKind::kRParen, ")",
                         "to close 'for (' opened on line " + std::to_string(open_line)));
  ASSIGN_OR_RETURN(stmt->body, ParseBody());
  return StmtPtr(stmt);
}

Result<StmtPtr> ScriptParser::ParseWhile() {
  auto stmt = NewStmt(StmtKind::kWhile, Advance().line);
  ASSIGN_OR_RETURN(stmt->expr, ParseParenthesizedCondition("while"));
  ASSIGN_OR_RETURN(stmt->body, ParseBody());
  return StmtPtr(stmt);
}

Result<StmtPtr> ScriptParser::ParseDoWhile() {
  auto stmt = NewStmt(StmtKind::kDoWhile, Advance().line);
  ASSIGN_OR_RETURN(stmt->body, ParseBody());
  if (At(TokenKind::kSemicolon) && IsWord(PeekToken(1), "while")) Advance();
  if (!AtWord("while")) {
    return ErrorAtCurrent("'while' after the body of 'do' on line " + std::to_string(stmt->line));
  }
  Advance();
  ASSIGN_OR_RETURN(stmt->expr, ParseParenthesizedCondition("while"));
  RETURN_IF_ERROR(ExpectStatementEnd());
  return StmtPtr(stmt);
}

Result<StmtPtr> ScriptParser::ParseReturn() {
  auto stmt = NewStmt(StmtKind::kReturn, Advance().line);
  if (!AtStatementEnd()) {
    ASSIGN_OR_RETURN(stmt->expr, ParseExpr());
  }
  RETURN_IF_ERROR(ExpectStatementEnd());
  return StmtPtr(stmt);
}

Result<std::vector<StmtPtr>> ScriptParser::ParseBlock() {
  int open_line = Current().line;
  RETURN_IF_ERROR(Expect(TokenKind::kLBrace, "{", "to open a block"));
  // Inside a block statements end at newlines again, even in a lambda inside a call's
  // parentheses or a select.
  std::string saved_brackets = std::exchange(brackets_, std::string());
  int saved_sql_depth = std::exchange(sql_depth_, 0);
  ASSIGN_OR_RETURN(std::vector<StmtPtr> body, ParseStatements(TokenKind::kRBrace));
  brackets_ = std::move(saved_brackets);
  sql_depth_ = saved_sql_depth;
  RETURN_IF_ERROR(Expect(TokenKind::kRBrace, "}",
                         "to close the block opened on line " + std::to_string(open_line)));
  return body;
}

Result<std::vector<StmtPtr>> ScriptParser::ParseBody() {
  if (At(TokenKind::kLBrace)) return ParseBlock();
  if (At(TokenKind::kEnd) || At(TokenKind::kSemicolon) || At(TokenKind::kRBrace)) {
    return ErrorAtCurrent("a statement or '{'");
  }
  std::vector<StmtPtr> body;
  ASSIGN_OR_RETURN(StmtPtr statement, ParseStatement());
  body.push_back(std::move(statement));
  return body;
}

bool ScriptParser::AtStatementEnd() const {
  return At(TokenKind::kSemicolon) || At(TokenKind::kRBrace) || At(TokenKind::kEnd) ||
         Current().newline_before || AtWord("else");
}

Status ScriptParser::ExpectStatementEnd() {
  if (AtStatementEnd()) return Status::Ok();
  if (At(TokenKind::kAssign)) {
    return InvalidArgument("line " + std::to_string(Current().line) +
                           ": only a name can be assigned (x = ...), or use == to compare");
  }
  return ErrorAtCurrent("';' or a new line after the statement");
}

}  // namespace strata
