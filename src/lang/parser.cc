#include "lang/parser.h"

#include <utility>

#include "lang/lexer.h"
#include "lang/script_parser.h"

namespace strata {

Result<Program> ParseProgram(std::string_view source) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(source).Tokenize());
  return ScriptParser(std::move(tokens)).ParseProgram();
}

Result<ExprPtr> ParseExpression(std::string_view source) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(source).Tokenize());
  return ScriptParser(std::move(tokens)).ParseSingleExpression();
}

}  // namespace strata
