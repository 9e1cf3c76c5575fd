#include "lang/ast_printer.h"

#include <charconv>

#include "base/strings.h"
#include "types/format.h"
#include "types/temporal.h"

namespace strata {

namespace {

std::string QuoteString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

template <typename T>
std::string FloatingToString(T v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, ec == std::errc() ? end : buf);
  if (text.find_first_of(".enai") == std::string::npos) text += ".0";
  return text;
}

std::string ScalarToString(const Scalar& s) {
  Type type = s.type();
  if (type == Type::kVoid) return "NULL";
  if (IsStringLike(type)) return QuoteString(s.string_value());
  if (s.is_null()) return "NULL";
  if (type == Type::kBool) return s.int_value() != 0 ? "true" : "false";
  if (IsTemporal(type)) return FormatTemporal(type, s.int_value());
  if (type == Type::kFloat) return FloatingToString(static_cast<float>(s.float_value())) + "f";
  if (type == Type::kDouble) return FloatingToString(s.float_value());
  std::string text = std::to_string(s.int_value());
  if (type == Type::kChar) text += "c";
  if (type == Type::kShort) text += "h";
  if (type == Type::kLong) text += "l";
  return text;
}

bool IsPlainName(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string VectorToString(const Column& column) {
  std::vector<std::string> parts;
  bool symbols = IsStringLike(column.type());
  for (size_t i = 0; i < column.size(); ++i) {
    Scalar s = column.Get(i);
    symbols = symbols && IsPlainName(s.string_value());
    parts.push_back(ScalarToString(s));
  }
  if (column.empty()) return "[]";
  if (symbols) {
    std::string out;
    for (size_t i = 0; i < column.size(); ++i) out += "`" + column.Get(i).string_value();
    return out;
  }
  if (IsStringLike(column.type())) return "[" + Join(parts, ", ") + "]";
  return Join(parts, " ");
}

const char* BinaryOpSpelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return " + ";
    case BinaryOp::kSub:
      return " - ";
    case BinaryOp::kMul:
      return " * ";
    case BinaryOp::kDiv:
      return " / ";
    case BinaryOp::kMod:
      return " % ";
    case BinaryOp::kEq:
      return " == ";
    case BinaryOp::kNe:
      return " != ";
    case BinaryOp::kLt:
      return " < ";
    case BinaryOp::kLe:
      return " <= ";
    case BinaryOp::kGt:
      return " > ";
    case BinaryOp::kGe:
      return " >= ";
    case BinaryOp::kAnd:
      return " and ";
    case BinaryOp::kOr:
      return " or ";
    case BinaryOp::kRange:
      return "..";
    case BinaryOp::kPair:
      return ":";
    case BinaryOp::kIn:
      return " in ";
    case BinaryOp::kBetween:
      return " between ";
    case BinaryOp::kLike:
      return " like ";
  }
  return " ? ";
}

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::vector<std::string> parts;
  for (const ExprPtr& e : exprs) parts.push_back(ToString(e));
  return Join(parts, ", ");
}

std::string BodyToString(const std::vector<StmtPtr>& body) {
  if (body.empty()) return "{ }";
  std::vector<std::string> parts;
  for (const StmtPtr& s : body) parts.push_back(ToString(s));
  return "{ " + Join(parts, "; ") + " }";
}

std::string ColumnsToString(const std::vector<SelectColumn>& columns) {
  std::vector<std::string> parts;
  for (const SelectColumn& c : columns) {
    parts.push_back(ToString(c.expr) + (c.alias.empty() ? "" : " as " + c.alias));
  }
  return Join(parts, ", ");
}

std::string SelectToString(const SelectQuery& q) {
  std::string out = q.kind == SelectQuery::Kind::kExec ? "exec " : "select ";
  if (q.top) out += "top " + std::to_string(*q.top) + " ";
  out += ColumnsToString(q.columns) + " from " + ToString(q.from);
  if (!q.where.empty()) out += " where " + JoinExprs(q.where);
  if (!q.group_by.empty()) out += " group by " + ColumnsToString(q.group_by);
  if (!q.order_by.empty()) {
    std::vector<std::string> keys;
    for (const OrderKey& k : q.order_by)
      keys.push_back(ToString(k.expr) + (k.descending ? " desc" : ""));
    out += " order by " + Join(keys, ", ");
  }
  if (q.limit) {
    out += " limit ";
    if (q.offset) out += std::to_string(*q.offset) + ", ";
    out += std::to_string(*q.limit);
  }
  return out;
}

std::string CallToString(const Expr& e) {
  std::string head = e.callee ? ToString(e.callee) : e.name;
  std::vector<std::string> parts;
  for (const CallArg& arg : e.args) {
    parts.push_back((arg.name.empty() ? "" : arg.name + "=") + ToString(arg.value));
  }
  return e.partial ? head + "{" + Join(parts, ", ") + "}" : head + "(" + Join(parts, ", ") + ")";
}

}  // namespace

std::string DefinitionToString(const std::string& name, const std::vector<std::string>& params,
                               const std::vector<StmtPtr>& body) {
  return "def" + (name.empty() ? "" : " " + name) + "(" + Join(params, ", ") + ") " +
         BodyToString(body);
}

std::string LiteralToString(const Value& value) {
  if (value.is_scalar()) return ScalarToString(value.scalar());
  if (value.is_vector()) return VectorToString(*value.column());
  return FormatValueText(value);
}

std::string ToString(const ExprPtr& expr) {
  if (expr == nullptr) return "";
  const Expr& e = *expr;
  switch (e.kind) {
    case ExprKind::kLiteral:
      return LiteralToString(e.literal);
    case ExprKind::kVariable:
      return e.name;
    case ExprKind::kStar:
      return "*";
    case ExprKind::kCall:
      return CallToString(e);
    case ExprKind::kBinary:
      return "(" + ToString(e.children[0]) + BinaryOpSpelling(e.binary_op) +
             ToString(e.children[1]) + ")";
    case ExprKind::kUnary: {
      if (e.unary_op == UnaryOp::kNot) return "(not " + ToString(e.children[0]) + ")";
      // -(5) stays a negation; -5 would read back as a negative constant.
      bool literal = e.children[0]->kind == ExprKind::kLiteral;
      return literal ? "(-(" + ToString(e.children[0]) + "))"
                     : "(-" + ToString(e.children[0]) + ")";
    }
    case ExprKind::kVector:
      return "[" + JoinExprs(e.children) + "]";
    case ExprKind::kTuple:
      return "(" + JoinExprs(e.children) + (e.children.size() == 1 ? ",)" : ")");
    case ExprKind::kSelect:
      return SelectToString(*e.select);
    case ExprKind::kMetacode:
      return "<" + ToString(e.children[0]) + ">";
    case ExprKind::kIndex:
      return ToString(e.children[0]) + "[" + ToString(e.children[1]) + "]";
    case ExprKind::kMember:
      return ToString(e.children[0]) + "." + e.name;
    case ExprKind::kLambda:
      return DefinitionToString("", e.params, e.body->statements);
  }
  return "?";
}

std::string ToString(const StmtPtr& stmt) {
  const Stmt& s = *stmt;
  switch (s.kind) {
    case StmtKind::kExpr:
      return ToString(s.expr);
    case StmtKind::kAssign:
      return Join(s.targets, ", ") + " = " + ToString(s.expr);
    case StmtKind::kDef:
      return DefinitionToString(s.name, s.params, s.body);
    case StmtKind::kIf: {
      std::string out = "if (" + ToString(s.expr) + ") " + BodyToString(s.body);
      if (!s.else_body.empty()) out += " else " + BodyToString(s.else_body);
      return out;
    }
    case StmtKind::kFor:
      return "for (" + s.targets[0] + " in " + ToString(s.expr) + ") " + BodyToString(s.body);
    case StmtKind::kWhile:
      return "while (" + ToString(s.expr) + ") " + BodyToString(s.body);
    case StmtKind::kDoWhile:
      return "do " + BodyToString(s.body) + " while (" + ToString(s.expr) + ")";
    case StmtKind::kReturn:
      return s.expr ? "return " + ToString(s.expr) : "return";
    case StmtKind::kBreak:
      return "break";
    case StmtKind::kContinue:
      return "continue";
    case StmtKind::kBlock:
      return BodyToString(s.body);
    case StmtKind::kUpdate: {
      std::vector<std::string> sets, where;
      for (const auto& a : s.update->assignments)
        sets.push_back(a.alias + " = " + ToString(a.expr));
      for (const auto& w : s.update->where) where.push_back(ToString(w));
      return "update " + ToString(s.update->table) + " set " + Join(sets, ", ") +
             (where.empty() ? "" : " where " + Join(where, ", "));
    }
  }
  return "?";
}

std::string ToString(const Program& program) {
  std::vector<std::string> lines;
  for (const StmtPtr& s : program.statements) lines.push_back(ToString(s));
  return Join(lines, "\n");
}

}  // namespace strata
