// ScriptParser: the recursive-descent parser behind ParseProgram/ParseExpression (parser.h).
// Statements are in script_parser.cc, expressions in expression_parser.cc, select/exec in
// select_parser.cc. Newlines end a statement only outside brackets, so the parser keeps the
// stack of open brackets; `<` of metacode is one of them, which is how a `>` is told to be its
// closing bracket rather than a comparison. One instance parses one token stream; not
// thread-safe. Internal to src/lang.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "lang/lexer.h"
#include "lang/script_ast.h"

namespace strata {

class ScriptParser {
 public:
  explicit ScriptParser(std::vector<Token> tokens);

  // A whole script; InvalidArgument "line N: ..." on the first syntax error.
  Result<Program> ParseProgram();
  // Exactly one expression (optionally followed by ';'), then the end of input.
  Result<ExprPtr> ParseSingleExpression();

 private:
  // Binding strength of the binary operators, weakest first; kUnary is `-x`.
  enum Precedence : int {
    kLowest = 0,
    kOrLevel,
    kAndLevel,
    kNotLevel,
    kCompareLevel,
    kPairLevel,
    kRangeLevel,
    kAddLevel,
    kMulLevel,
    kUnaryLevel,
  };
  struct BinaryOperator {
    BinaryOp op;
    int precedence;
    int token_count;  // 2 for `not in`, `not like`, `not between`
    bool negated;     // `not in` and friends: the result is wrapped in kNot
  };

  // --- statements (script_parser.cc)
  Result<std::vector<StmtPtr>> ParseStatements(TokenKind end);
  Result<StmtPtr> ParseStatement();
  Result<StmtPtr> ParseAssignment();
  Result<StmtPtr> ParseDef();
  Result<StmtPtr> ParseIf();
  Result<StmtPtr> ParseFor();
  Result<StmtPtr> ParseWhile();
  Result<StmtPtr> ParseDoWhile();
  Result<StmtPtr> ParseReturn();
  // update t set c = e, ... [where c, ...] (select_parser.cc).
  Result<StmtPtr> ParseUpdate();
  // `{ statements }`, parsed with newlines significant again whatever encloses the block.
  Result<std::vector<StmtPtr>> ParseBlock();
  // A block, or one statement as the body of if/for/while.
  Result<std::vector<StmtPtr>> ParseBody();
  Result<std::vector<std::string>> ParseParams(const std::string& owner);
  Result<ExprPtr> ParseParenthesizedCondition(const std::string& keyword);
  bool AtAssignment() const;
  bool AtStatementEnd() const;
  Status ExpectStatementEnd();

  // --- expressions (expression_parser.cc)
  Result<ExprPtr> ParseExpr(int min_precedence = kLowest);
  Result<ExprPtr> ParsePrefix();
  Result<ExprPtr> ParsePostfix(ExprPtr expr);
  Result<ExprPtr> ParsePrimary();
  Result<ExprPtr> ParseConstant(bool negate_first);
  Result<ExprPtr> ParseParenthesized();
  Result<ExprPtr> ParseBracketed();
  Result<ExprPtr> ParseMetacode();
  Result<ExprPtr> ParseLambda();
  Result<ExprPtr> ParseBetweenBounds();
  // Arguments up to `close`, the opening token being current. `what` names the construct for
  // errors ("the call of 'f'").
  Result<std::vector<CallArg>> ParseArgs(TokenKind close, const std::string& what);
  // Elements of (...) or [...] up to `close`; an empty element is nullptr.
  Result<std::vector<ExprPtr>> ParseElements(TokenKind close, const std::string& what);
  std::optional<BinaryOperator> BinaryOperatorAtCurrent() const;
  bool CanStartOperand(const Token& token) const;
  // DolphinDB's calls without parentheses: `f x` (a function of one argument, which takes the
  // whole expression to its right) and `x f y` (any function of two, between its arguments, as
  // strong as `*`; `x <- y` is `join(x, y)`). Only a name that is no keyword of the language or
  // of select, followed on its line by a plain operand (a name, number, string or symbol), is
  // read so; `f x g y` is ambiguous without knowing which names are functions and reads as
  // `f(x) g y`... so write such chains with parentheses.
  bool IsPlainOperand(const Token& token) const;
  bool AtParenlessCall() const;  // `f x`: the current token is x, after f
  bool AtInfixFunction() const;  // `x f y`: the current token is f (or <-)

  // --- select / exec (select_parser.cc)
  Result<ExprPtr> ParseSelect();
  Status ParseSelectColumns(std::vector<SelectColumn>* columns);
  Status ParseOrderBy(SelectQuery* query);
  // [where c1, c2, ...]: the conditions, all of which must hold.
  Status ParseWhere(std::vector<ExprPtr>* where);
  Result<int64_t> ParseSqlCount(const std::string& clause);
  bool AtSqlKeyword(const char* keyword, size_t ahead = 0) const;

  // --- tokens
  const Token& Current() const { return tokens_[pos_]; }
  const Token& PeekToken(size_t ahead) const;
  const Token& Advance();
  bool At(TokenKind kind) const { return Current().kind == kind; }
  // The current token (or the one `ahead`) is the identifier `word`; case-insensitive inside
  // select/exec, where keywords and word operators may be written in capitals.
  bool AtWord(const char* word, size_t ahead = 0) const;
  bool IsWord(const Token& token, const char* word) const;
  // A newline before the current token ends the statement: no bracket is open.
  bool AtStatementBreak() const { return Current().newline_before && brackets_.empty(); }
  Status Expect(TokenKind kind, const std::string& spelling, const std::string& context);
  Status ErrorAtCurrent(const std::string& expected) const;
  Result<std::string> ExpectName(const std::string& what);
  // One more level of nesting (an operand, a statement) for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(int& depth) : depth_(depth) { ++depth_; }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    int& depth_;
  };
  // The error for a script nested past the limits below (`extra`: the links of a chain such as
  // a + b + c or f(x)(y) built at the current level).
  Status CheckDepth(int extra = 0) const;

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  // Open brackets, innermost last: '(' '[' '{' and '<' for metacode.
  std::string brackets_;
  int sql_depth_ = 0;  // > 0 inside select/exec clauses: `=` compares, keywords ignore case
  // Operands and statements being parsed inside each other. The parser, the evaluator and the
  // tree's destructor recurse as deep as the script nests, so a script nested past the limits
  // is refused rather than overflowing a thread's stack.
  int nesting_ = 0;
  // Parsing a select's from clause, whose calls (loadTable, checkBackup, ...) take named
  // arguments as anywhere in a script: `=` there names an argument rather than comparing.
  bool named_args_in_sql_ = false;
};

// Makes a fresh node; nodes are built mutable and frozen as ExprPtr/StmtPtr.
std::shared_ptr<Expr> NewExpr(ExprKind kind, int line);
std::shared_ptr<Stmt> NewStmt(StmtKind kind, int line);

}  // namespace strata
