#include "lang/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "lang/ast_printer.h"
#include "lang/lexer.h"
#include "types/temporal.h"

namespace strata {
namespace {

// Parses a script and prints it back (one statement per line), checking on the way that the
// printed form parses to the same tree. Errors come back as "ERROR: <message>".
std::string Script(std::string_view source) {
  Result<Program> program = ParseProgram(source);
  if (!program.ok()) return "ERROR: " + program.status().message();
  std::string printed = ToString(*program);
  Result<Program> again = ParseProgram(printed);
  EXPECT_TRUE(again.ok()) << printed << "\n" << again.status().ToString();
  if (again.ok()) {
    EXPECT_EQ(ToString(*again), printed) << "round trip of " << source;
  }
  return printed;
}

std::string Expression(std::string_view source) {
  Result<ExprPtr> expr = ParseExpression(source);
  if (!expr.ok()) return "ERROR: " + expr.status().message();
  std::string printed = ToString(*expr);
  Result<ExprPtr> again = ParseExpression(printed);
  EXPECT_TRUE(again.ok()) << printed << "\n" << again.status().ToString();
  if (again.ok()) {
    EXPECT_EQ(ToString(*again), printed) << "round trip of " << source;
  }
  return printed;
}

ExprPtr MustParseExpression(std::string_view source) {
  Result<ExprPtr> expr = ParseExpression(source);
  EXPECT_TRUE(expr.ok()) << expr.status().ToString();
  return expr.ok() ? *expr : nullptr;
}

Program MustParse(std::string_view source) {
  Result<Program> program = ParseProgram(source);
  EXPECT_TRUE(program.ok()) << program.status().ToString();
  return program.ok() ? std::move(program).value() : Program{};
}

int64_t Days(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

// ---------------------------------------------------------------- the seed

constexpr const char* kSeedSetup = R"(n=1000000
ID=rand(100, n)
dates=2017.08.07..2017.08.11
date=rand(dates, n)
x=rand(10.0, n)
t=table(ID, date, x)

dbDate = database(, VALUE, 2017.08.07..2017.08.11)
dbID=database(, RANGE, 0 50 100);
db = database("dfs://compoDB", COMPO, [dbDate, dbID])
pt = db.createPartitionedTable(t, `pt, `date`ID)
)";

TEST(ParserTest, SeedSetupScript) {
  EXPECT_EQ(Script(kSeedSetup),
            "n = 1000000\n"
            "ID = rand(100, n)\n"
            "dates = (2017.08.07..2017.08.11)\n"
            "date = rand(dates, n)\n"
            "x = rand(10.0, n)\n"
            "t = table(ID, date, x)\n"
            "dbDate = database(, VALUE, (2017.08.07..2017.08.11))\n"
            "dbID = database(, RANGE, 0 50 100)\n"
            "db = database(\"dfs://compoDB\", COMPO, [dbDate, dbID])\n"
            "pt = createPartitionedTable(db, t, \"pt\", `date`ID)");
}

TEST(ParserTest, SeedSetupScriptTypesAndLines) {
  Program program = MustParse(kSeedSetup);
  ASSERT_EQ(program.statements.size(), 10u);
  const int kLines[] = {1, 2, 3, 4, 5, 6, 8, 9, 10, 11};
  for (size_t i = 0; i < program.statements.size(); ++i) {
    EXPECT_EQ(program.statements[i]->kind, StmtKind::kAssign);
    EXPECT_EQ(program.statements[i]->line, kLines[i]) << i;
    EXPECT_EQ(program.statements[i]->expr->line, kLines[i]) << i;
  }
  EXPECT_EQ(program.statements[0]->targets, std::vector<std::string>{"n"});
  EXPECT_EQ(program.statements[0]->expr->literal.type(), Type::kInt);
  EXPECT_EQ(program.statements[0]->expr->literal.scalar().int_value(), 1000000);

  const Expr& range = *program.statements[2]->expr;
  ASSERT_EQ(range.kind, ExprKind::kBinary);
  EXPECT_EQ(range.binary_op, BinaryOp::kRange);
  EXPECT_EQ(range.children[0]->literal.type(), Type::kDate);
  EXPECT_EQ(range.children[0]->literal.scalar().int_value(), Days(2017, 8, 7));
  EXPECT_EQ(range.children[1]->literal.scalar().int_value(), Days(2017, 8, 11));

  const Expr& rand_double = *program.statements[4]->expr;
  EXPECT_EQ(rand_double.args[0].value->literal.type(), Type::kDouble);

  const Expr& db_date = *program.statements[6]->expr;
  ASSERT_EQ(db_date.kind, ExprKind::kCall);
  EXPECT_EQ(db_date.name, "database");
  ASSERT_EQ(db_date.args.size(), 3u);
  EXPECT_EQ(db_date.args[0].value, nullptr);
  EXPECT_EQ(db_date.args[1].value->kind, ExprKind::kVariable);

  const Value& ranges = program.statements[7]->expr->args[2].value->literal;
  ASSERT_TRUE(ranges.is_vector());
  EXPECT_EQ(ranges.type(), Type::kInt);
  EXPECT_EQ(ranges.column()->values<int32_t>(), (std::vector<int32_t>{0, 50, 100}));

  const Expr& create = *program.statements[9]->expr;
  ASSERT_EQ(create.kind, ExprKind::kCall);
  EXPECT_EQ(create.name, "createPartitionedTable");
  ASSERT_EQ(create.args.size(), 4u);
  EXPECT_EQ(create.args[0].value->name, "db");
  EXPECT_TRUE(create.args[2].value->literal.is_scalar());
  EXPECT_EQ(create.args[2].value->literal.type(), Type::kString);
  EXPECT_EQ(create.args[2].value->literal.scalar().string_value(), "pt");
  const Value& partition_columns = create.args[3].value->literal;
  ASSERT_TRUE(partition_columns.is_vector());
  EXPECT_EQ(partition_columns.type(), Type::kString);
  EXPECT_EQ(partition_columns.column()->values<std::string>(),
            (std::vector<std::string>{"date", "ID"}));
}

// ---------------------------------------------------------------- backup examples

// The seed's examples 1 and 2, verbatim.
constexpr const char* kBackupExample1 =
    R"(backup("/home/DolphinDB/backup",<select * from loadTable("dfs://compoDB","pt")>,true);)";
constexpr const char* kBackupExample2 =
    R"(backup("/home/DolphinDB/backup",<select * from loadTable("dfs://compoDB","pt"))"
    R"( where date>2017.08.10>,true);)";

TEST(ParserTest, BackupWithMetacode) {
  EXPECT_EQ(Script(kBackupExample1),
            "backup(\"/home/DolphinDB/backup\", <select * from loadTable(\"dfs://compoDB\", "
            "\"pt\")>, true)");
  EXPECT_EQ(Script(kBackupExample2),
            "backup(\"/home/DolphinDB/backup\", <select * from loadTable(\"dfs://compoDB\", "
            "\"pt\") where (date > 2017.08.10)>, true)");
}

TEST(ParserTest, BackupMetacodeStructure) {
  ExprPtr call = MustParseExpression(kBackupExample2);
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->args.size(), 3u);
  const Expr& meta = *call->args[1].value;
  ASSERT_EQ(meta.kind, ExprKind::kMetacode);
  const Expr& select = *meta.children[0];
  ASSERT_EQ(select.kind, ExprKind::kSelect);
  const SelectQuery& q = *select.select;
  EXPECT_EQ(q.kind, SelectQuery::Kind::kSelect);
  ASSERT_EQ(q.columns.size(), 1u);
  EXPECT_EQ(q.columns[0].expr->kind, ExprKind::kStar);
  EXPECT_EQ(q.from->kind, ExprKind::kCall);
  EXPECT_EQ(q.from->name, "loadTable");
  ASSERT_EQ(q.where.size(), 1u);
  EXPECT_EQ(q.where[0]->binary_op, BinaryOp::kGt);
  EXPECT_EQ(q.where[0]->children[1]->literal.type(), Type::kDate);
  EXPECT_EQ(call->args[2].value->literal.type(), Type::kBool);
}

TEST(ParserTest, BackupNamedArgumentsAndPartitionFilters) {
  EXPECT_EQ(Script("backup(backupDir=dir, dbPath=\"dfs://compoDB\", force=true)"),
            "backup(backupDir=dir, dbPath=\"dfs://compoDB\", force=true)");
  EXPECT_EQ(Script("backup(dir, \"dfs://compoDB\", partition=[2017.08.07, 50])"),
            "backup(dir, \"dfs://compoDB\", partition=[2017.08.07, 50])");
  EXPECT_EQ(Script("backup(dir, \"dfs://compoDB\", partition=(, [0]))"),
            "backup(dir, \"dfs://compoDB\", partition=(, [0]))");
  EXPECT_EQ(Script("backup(dir, dbPath, tableName=`pt`pt1, snapshot=false, parallel=true)"),
            "backup(dir, dbPath, tableName=`pt`pt1, snapshot=false, parallel=true)");
  EXPECT_EQ(Script("backup(dir, dbPath, partition=[\"/20170807/0_50\", \"/20170808/0_50\"])"),
            "backup(dir, dbPath, partition=[\"/20170807/0_50\", \"/20170808/0_50\"])");

  ExprPtr call = MustParseExpression("backup(dir, \"dfs://compoDB\", partition=(, [0]))");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->args[2].name, "partition");
  const Expr& tuple = *call->args[2].value;
  ASSERT_EQ(tuple.kind, ExprKind::kTuple);
  ASSERT_EQ(tuple.children.size(), 2u);
  EXPECT_EQ(tuple.children[0], nullptr);
  EXPECT_EQ(tuple.children[1]->kind, ExprKind::kVector);

  // The spec also writes the filter with brackets; an empty element makes it a tuple.
  ExprPtr bracketed = MustParseExpression("[,[0]]");
  ASSERT_NE(bracketed, nullptr);
  EXPECT_EQ(bracketed->kind, ExprKind::kTuple);
  EXPECT_EQ(bracketed->children[0], nullptr);

  ExprPtr restore = MustParseExpression(
      "restore(backupDir=\"/home/DolphinDB/backup\", dbPath=\"dfs://compoDB\", "
      "tableName=`pt, partition=\"%\", force=true)");
  ASSERT_NE(restore, nullptr);
  EXPECT_EQ(restore->args.size(), 5u);
  EXPECT_EQ(restore->args[3].value->literal.scalar().string_value(), "%");
}

TEST(ParserTest, MethodCallsAndMembers) {
  EXPECT_EQ(Expression("pt.append!(t)"), "append!(pt, t)");
  EXPECT_EQ(Expression("tableInsert(pt, t)"), "tableInsert(pt, t)");
  EXPECT_EQ(Expression("t.x"), "t.x");
  EXPECT_EQ(Expression("t.x[0]"), "t.x[0]");
  EXPECT_EQ(Expression("a.b.c(1)"), "c(a.b, 1)");
  EXPECT_EQ(Expression("x!=y"), "(x != y)");
  EXPECT_EQ(Expression("x<>y"), "(x != y)");
  ExprPtr call = MustParseExpression("pt.append!(t)");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->name, "append!");
  EXPECT_EQ(call->args[0].value->name, "pt");
}

TEST(ParserTest, PartialApplication) {
  EXPECT_EQ(Expression("add{1}"), "add{1}");
  EXPECT_EQ(Expression("add{, 2}"), "add{, 2}");
  EXPECT_EQ(Expression("add{1}(2)"), "add{1}(2)");
  ExprPtr call = MustParseExpression("add{1}(2)");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->kind, ExprKind::kCall);
  EXPECT_TRUE(call->name.empty());
  ASSERT_NE(call->callee, nullptr);
  EXPECT_TRUE(call->callee->partial);
  EXPECT_EQ(call->callee->name, "add");
}

// ---------------------------------------------------------------- literals

TEST(ParserTest, NumericLiterals) {
  EXPECT_EQ(MustParseExpression("100")->literal.type(), Type::kInt);
  EXPECT_EQ(MustParseExpression("100l")->literal.type(), Type::kLong);
  EXPECT_EQ(MustParseExpression("3000000000")->literal.type(), Type::kLong);
  EXPECT_EQ(MustParseExpression("3h")->literal.type(), Type::kShort);
  EXPECT_EQ(MustParseExpression("5c")->literal.type(), Type::kChar);
  EXPECT_EQ(MustParseExpression("10.0")->literal.type(), Type::kDouble);
  EXPECT_EQ(MustParseExpression("1e3")->literal.scalar().float_value(), 1000.0);
  EXPECT_EQ(MustParseExpression(".5")->literal.scalar().float_value(), 0.5);
  EXPECT_EQ(MustParseExpression("1.5f")->literal.type(), Type::kFloat);
  EXPECT_EQ(MustParseExpression("-7")->literal.scalar().int_value(), -7);
  EXPECT_EQ(Expression("1.5"), "1.5");
  EXPECT_EQ(Expression("-2.5e-3"), "-0.0025");
  EXPECT_EQ(Expression("0..9"), "(0..9)");
  EXPECT_EQ(Expression("1..n"), "(1..n)");
  EXPECT_EQ(Expression("2147483648"), "2147483648l");
}

TEST(ParserTest, TemporalLiterals) {
  struct Case {
    const char* text;
    Type type;
  };
  const Case kCases[] = {
      {"2017.08.07", Type::kDate},
      {"2017.08M", Type::kMonth},
      {"13:30:10.008", Type::kTime},
      {"13:30m", Type::kMinute},
      {"13:30:10", Type::kSecond},
      {"13:30:10.008007006", Type::kNanoTime},
      {"2017.08.07T10:00:00", Type::kDateTime},
      {"2017.08.07T10:00:00.000", Type::kTimestamp},
      {"2017.08.07T10:00:00.000000001", Type::kNanoTimestamp},
  };
  for (const Case& c : kCases) {
    ExprPtr expr = MustParseExpression(c.text);
    ASSERT_NE(expr, nullptr) << c.text;
    EXPECT_EQ(expr->kind, ExprKind::kLiteral) << c.text;
    EXPECT_EQ(expr->literal.type(), c.type) << c.text;
    EXPECT_EQ(Expression(c.text), c.text);
  }
  EXPECT_EQ(Expression("2017.08.07T10:00:00..2017.08.07T11:00:00"),
            "(2017.08.07T10:00:00..2017.08.07T11:00:00)");
  EXPECT_EQ(Expression("2017.08M..2017.12M"), "(2017.08M..2017.12M)");
  // HH:MM without a suffix is an INT pair, as in DolphinDB.
  EXPECT_EQ(Expression("13:30"), "(13:30)");
  EXPECT_EQ(Expression("x[1:3]"), "x[(1:3)]");
}

TEST(ParserTest, StringsSymbolsBoolsNull) {
  EXPECT_EQ(Expression(R"("a\"b\n")"), R"("a\"b\n")");
  EXPECT_EQ(MustParseExpression(R"('say "hi"')")->literal.scalar().string_value(), "say \"hi\"");
  EXPECT_EQ(MustParseExpression(R"('a\'b')")->literal.scalar().string_value(), "a'b");
  EXPECT_EQ(Expression("`pt"), "\"pt\"");
  EXPECT_EQ(Expression("`a`b`c"), "`a`b`c");
  EXPECT_EQ(Expression("true"), "true");
  EXPECT_EQ(Expression("false"), "false");
  ExprPtr null = MustParseExpression("NULL");
  ASSERT_NE(null, nullptr);
  EXPECT_TRUE(null->literal.is_void());
}

TEST(ParserTest, ConstantVectors) {
  EXPECT_EQ(Expression("0 50 100"), "0 50 100");
  EXPECT_EQ(Expression("1 2.5"), "1.0 2.5");
  EXPECT_EQ(MustParseExpression("1 2.5")->literal.type(), Type::kDouble);
  EXPECT_EQ(MustParseExpression("1 3000000000")->literal.type(), Type::kLong);
  ExprPtr dates = MustParseExpression("2017.08.07 2017.08.08\t2017.08.09");
  ASSERT_NE(dates, nullptr);
  ASSERT_TRUE(dates->literal.is_vector());
  EXPECT_EQ(dates->literal.type(), Type::kDate);
  EXPECT_EQ(dates->literal.size(), 3u);
  EXPECT_EQ(Expression("f(1 2, 3)"), "f(1 2, 3)");
  EXPECT_EQ(Expression("-1 2 3"), "-1 2 3");
  EXPECT_EQ(Expression("-1.5 2"), "-1.5 2.0");
  EXPECT_EQ(Expression("-2 * 3"), "(-2 * 3)");
  EXPECT_EQ(Expression("-(5)"), "(-(5))");
  EXPECT_EQ(Expression("x -1"), "(x - 1)");
  EXPECT_EQ(Expression("0 50 100 + 1"), "(0 50 100 + 1)");
  EXPECT_EQ(Expression("[]"), "[]");
  EXPECT_EQ(Expression("[1, 2, x]"), "[1, 2, x]");
  EXPECT_EQ(Expression("(1, 2)"), "(1, 2)");
  EXPECT_EQ(Expression("(1, )"), "(1, )");
  EXPECT_EQ(Expression("(1)"), "1");
  EXPECT_EQ(Script("x = 1\n2"), "x = 1\n2");
  EXPECT_NE(Script("2017.08.07 5").find("line 1: cannot mix DATE and INT"), std::string::npos);
}

// ---------------------------------------------------------------- operators

TEST(ParserTest, Precedence) {
  EXPECT_EQ(Expression("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(Expression("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(Expression("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(Expression("a / b % c"), "((a / b) % c)");
  EXPECT_EQ(Expression("-a * b"), "((-a) * b)");
  EXPECT_EQ(Expression("-x[0]"), "(-x[0])");
  EXPECT_EQ(Expression("1..n + 1"), "(1..(n + 1))");
  EXPECT_EQ(Expression("0:n - 1"), "(0:(n - 1))");
  EXPECT_EQ(Expression("a:b..c"), "(a:(b..c))");
  EXPECT_EQ(Expression("x < 1 + 2"), "(x < (1 + 2))");
  EXPECT_EQ(Expression("a == b and c != d or e"), "(((a == b) and (c != d)) or e)");
  EXPECT_EQ(Expression("a || b && c"), "(a or (b and c))");
  EXPECT_EQ(Expression("not a == b and c"), "((not (a == b)) and c)");
  EXPECT_EQ(Expression("!a or b"), "((not a) or b)");
  EXPECT_EQ(Expression("x in 1 2 3 and y like \"a%\""), "((x in 1 2 3) and (y like \"a%\"))");
  EXPECT_EQ(Expression("x between 1:5"), "(x between (1:5))");
  EXPECT_EQ(Expression("x not in [1, 2]"), "(not (x in [1, 2]))");
  EXPECT_EQ(Expression("a <= b >= c"), "((a <= b) >= c)");
  EXPECT_EQ(Expression("<x + 1>"), "<(x + 1)>");
  EXPECT_EQ(Expression("f(<x>, 1)"), "f(<x>, 1)");
  EXPECT_EQ(Expression("<a > b>"), "<(a > b)>");
  EXPECT_EQ(Expression("<f(a > b)>"), "<f((a > b))>");
  EXPECT_EQ(Expression("a < b"), "(a < b)");
}

// ---------------------------------------------------------------- select / exec

TEST(ParserTest, SelectClauses) {
  EXPECT_EQ(Expression("select top 10 ID, x as val from t where x > 5, date between "
                       "2017.08.07 and 2017.08.09 and ID in 1 2 group by ID order by x desc, "
                       "ID asc limit 5"),
            "select top 10 ID, x as val from t where (x > 5), ((date between "
            "(2017.08.07:2017.08.09)) and (ID in 1 2)) group by ID order by x desc, ID "
            "limit 5");
  EXPECT_EQ(Expression("exec count(*) from t"), "exec count(*) from t");
  EXPECT_EQ(Expression("SELECT sum(x) AS total FROM t WHERE ID = 3 AND x > 1 GROUP BY date "
                       "ORDER BY date ASC LIMIT 2, 10"),
            "select sum(x) as total from t where ((ID == 3) and (x > 1)) group by date order "
            "by date limit 2, 10");
  EXPECT_EQ(Expression("select * from loadTable(\"dfs://compoDB\", `pt) limit -3"),
            "select * from loadTable(\"dfs://compoDB\", \"pt\") limit -3");
  // A call in the from clause takes named arguments; `=` compares everywhere else in a select,
  // also in a select nested in a from clause.
  ExprPtr named = MustParseExpression(
      "exec count(*) from checkBackup(d, db, keyPath=k) where iif(x = 1, 1, 0) > 0");
  ASSERT_NE(named, nullptr);
  const Expr& from = *named->select->from;
  ASSERT_EQ(from.args.size(), 3u);
  EXPECT_EQ(from.args[2].name, "keyPath");
  EXPECT_EQ(named->select->where[0]->children[0]->args[0].name, "");
  ExprPtr nested = MustParseExpression("select * from (select * from f(a=1) where b = 2)");
  ASSERT_NE(nested, nullptr);
  const Expr& inner = *nested->select->from;
  ASSERT_EQ(inner.kind, ExprKind::kSelect);
  EXPECT_EQ(inner.select->from->args[0].name, "a");
  EXPECT_EQ(inner.select->where.size(), 1u);
  EXPECT_EQ(Script("t2 = select avg(x) as m\nfrom t\nwhere ID < 50\ngroup by date\nx = 1"),
            "t2 = select avg(x) as m from t where (ID < 50) group by date\nx = 1");

  ExprPtr expr = MustParseExpression(
      "select top 3 ID, count(*) as n from pt where x > 1, ID = 5 group by ID as g "
      "order by n desc limit 4, 2");
  ASSERT_NE(expr, nullptr);
  ASSERT_EQ(expr->kind, ExprKind::kSelect);
  const SelectQuery& q = *expr->select;
  EXPECT_EQ(q.top, 3);
  ASSERT_EQ(q.columns.size(), 2u);
  EXPECT_EQ(q.columns[1].alias, "n");
  EXPECT_EQ(q.columns[1].expr->args[0].value->kind, ExprKind::kStar);
  ASSERT_EQ(q.where.size(), 2u);
  EXPECT_EQ(q.where[1]->binary_op, BinaryOp::kEq);
  ASSERT_EQ(q.group_by.size(), 1u);
  EXPECT_EQ(q.group_by[0].alias, "g");
  ASSERT_EQ(q.order_by.size(), 1u);
  EXPECT_TRUE(q.order_by[0].descending);
  EXPECT_EQ(q.offset, 4);
  EXPECT_EQ(q.limit, 2);
}

TEST(ParserTest, SelectErrors) {
  EXPECT_EQ(Script("select x"),
            "ERROR: line 1: expected 'from' after the column list of "
            "'select' on line 1, found end of input");
  EXPECT_EQ(Script("select x from t limit n"),
            "ERROR: line 1: expected an integer constant after 'limit', found 'n'");
  EXPECT_EQ(Script("select x from t context by y"),
            "ERROR: line 1: the 'context' clause of 'select' is not supported");
  EXPECT_EQ(Script("select x from t limit 1 where y"),
            "ERROR: line 1: unexpected 'where' in 'select'; the clause order is from, where, "
            "group by, order by, limit");
}

// ---------------------------------------------------------------- statements

TEST(ParserTest, DefIfForWhile) {
  const char* source = R"(
def f(a, b) {
  c = a + b
  if (c > 10) {
    return c
  } else if (c > 5) return 5
  else {
    return 0
  }
}
for (i in 0..9) {
  if (i % 2 == 0) continue
  print(i); x += i
}
while (x > 0) x -= 1
do {
  y = y * 2
} while (y < 100)
{ z = 1; break }
g = def(x): x + 1
h = def(x, y) {
  return x * y
}
a, b = f(1, 2)
return
)";
  EXPECT_EQ(Script(source),
            "def f(a, b) { c = (a + b); if ((c > 10)) { return c } else { if ((c > 5)) { "
            "return 5 } else { return 0 } } }\n"
            "for (i in (0..9)) { if (((i % 2) == 0)) { continue }; print(i); "
            "x = (x + i) }\n"
            "while ((x > 0)) { x = (x - 1) }\n"
            "do { y = (y * 2) } while ((y < 100))\n"
            "{ z = 1; break }\n"
            "g = def(x) { return (x + 1) }\n"
            "h = def(x, y) { return (x * y) }\n"
            "a, b = f(1, 2)\n"
            "return");
  Program program = MustParse(source);
  ASSERT_EQ(program.statements.size(), 9u);
  EXPECT_EQ(program.statements[0]->kind, StmtKind::kDef);
  EXPECT_EQ(program.statements[0]->line, 2);
  EXPECT_EQ(program.statements[0]->params, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(program.statements[0]->body[1]->line, 4);
  EXPECT_EQ(program.statements[1]->kind, StmtKind::kFor);
  EXPECT_EQ(program.statements[1]->targets, std::vector<std::string>{"i"});
  EXPECT_EQ(program.statements[2]->kind, StmtKind::kWhile);
  EXPECT_EQ(program.statements[3]->kind, StmtKind::kDoWhile);
  EXPECT_EQ(program.statements[3]->line, 16);
  EXPECT_EQ(program.statements[4]->kind, StmtKind::kBlock);
  EXPECT_EQ(program.statements[5]->expr->kind, ExprKind::kLambda);
  EXPECT_EQ(program.statements[5]->expr->body->statements[0]->kind, StmtKind::kReturn);
  EXPECT_EQ(program.statements[7]->targets, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(program.statements[8]->kind, StmtKind::kReturn);
  EXPECT_EQ(program.statements[8]->expr, nullptr);
}

TEST(ParserTest, SingleStatementBodies) {
  EXPECT_EQ(Script("if (existsDatabase(p)) dropDatabase(p)\nx = getRecentJobs()"),
            "if (existsDatabase(p)) { dropDatabase(p) }\nx = getRecentJobs()");
  EXPECT_EQ(Script("if (c) x = 1; else y = 2"), "if (c) { x = 1 } else { y = 2 }");
  EXPECT_EQ(Script("if (c) x = 1 else y = 2"), "if (c) { x = 1 } else { y = 2 }");
  EXPECT_EQ(Script("if (c) {\n x = 1\n}\nelse {\n y = 2\n}"), "if (c) { x = 1 } else { y = 2 }");
  EXPECT_EQ(Script("def f() { }\ndef g(x): x * 2"), "def f() { }\ndef g(x) { return (x * 2) }");
  EXPECT_EQ(Script("def h(mutable t, x) { t.append!(x) }"), "def h(t, x) { append!(t, x) }");
}

TEST(ParserTest, LambdaInsideCallKeepsNewlines) {
  EXPECT_EQ(Script("each(def(x) {\n  y = x * 2\n  return y\n}, 1..3)"),
            "each(def(x) { y = (x * 2); return y }, (1..3))");
  EXPECT_EQ(Script("submitJob(\"j\", \"backup\", backup, dir, <select * from t>, true)"),
            "submitJob(\"j\", \"backup\", backup, dir, <select * from t>, true)");
}

TEST(ParserTest, CommentsAndSeparators) {
  EXPECT_EQ(Script("// a comment\nx = 1 // trailing\n/* block\n comment */ y = 2; z = 3;;\n"),
            "x = 1\ny = 2\nz = 3");
  EXPECT_EQ(Script("x = 1 /* inline */ + 2"), "x = (1 + 2)");
  Program program = MustParse("/* one\ntwo\nthree */ x = 1\ny = 2");
  ASSERT_EQ(program.statements.size(), 2u);
  EXPECT_EQ(program.statements[0]->line, 3);
  EXPECT_EQ(program.statements[1]->line, 4);
}

TEST(ParserTest, NewlineEndsStatementOnlyAtTopLevel) {
  // Newlines inside brackets and after operators and commas continue the statement.
  EXPECT_EQ(Script("x = f(1,\n 2)\ny = [1,\n2]\nz = (1\n+ 2)\nw = 1 +\n2"),
            "x = f(1, 2)\ny = [1, 2]\nz = (1 + 2)\nw = (1 + 2)");
  // At depth 0 a newline ends the statement even before an operator or a bracket.
  EXPECT_EQ(Script("x = 1\n-2"), "x = 1\n-2");
  EXPECT_EQ(Script("x = f\n(1)"), "x = f\n1");
  EXPECT_EQ(Script("x = 1\n[2]"), "x = 1\n[2]");
  // Inside metacode newlines are whitespace.
  EXPECT_EQ(Script("m = <select *\nfrom t\nwhere x > 1\n>\nm"),
            "m = <select * from t where (x > 1)>\nm");
  EXPECT_EQ(Script("x = 1; y = 2"), "x = 1\ny = 2");
}

// ---------------------------------------------------------------- errors

TEST(ParserTest, ErrorsNameLineAndToken) {
  EXPECT_EQ(Script("x = 1\ny = database(, VALUE\nz = 2"),
            "ERROR: line 3: expected ',' or ')' to close the call of 'database' opened on "
            "line 2, found 'z'");
  EXPECT_EQ(Script("x = (1 +\n"), "ERROR: line 2: expected an expression, found end of input");
  EXPECT_EQ(Script("x = 1 2 y"),
            "ERROR: line 1: expected ';' or a new line after the "
            "statement, found 'y'");
  EXPECT_EQ(Script("f(x) = 3"),
            "ERROR: line 1: only a name can be assigned (x = ...), or use "
            "== to compare");
  EXPECT_EQ(Script("\n\ns = \"abc"),
            "ERROR: line 3: string starting with \" is never closed; add the closing \"");
  EXPECT_EQ(Script("d = 2017.13.01"),
            "ERROR: line 1: invalid temporal literal '2017.13.01'; "
            "check the month, day and time fields");
  EXPECT_EQ(Script("x = 12abc"),
            "ERROR: line 1: invalid number '12abc'; numbers take the "
            "suffixes l (LONG), h (SHORT), c (CHAR) or f (FLOAT)");
  EXPECT_EQ(Script("x = a & b"), "ERROR: line 1: unexpected character '&'; use '&&' or 'and'");
  EXPECT_EQ(Script("/* open"), "ERROR: line 1: comment '/*' is never closed; add '*/'");
  EXPECT_EQ(Script("if (x) {\n y = 1\n"),
            "ERROR: line 3: expected '}' to close the block opened on line 1, found end of "
            "input");
  EXPECT_EQ(Script("m = <select * from t where x > 1"),
            "ERROR: line 1: expected '>' to close the metacode '<' opened on line 1, found end "
            "of input");
  EXPECT_EQ(Script("else x = 1"), "ERROR: line 1: 'else' without a matching 'if'");
  EXPECT_EQ(Script("def f(a, b = 1) { }"),
            "ERROR: line 1: default parameter values are not supported (parameter 'b' of "
            "function 'f'); pass the value explicitly");
  EXPECT_EQ(Script("for (i 1..3) x"),
            "ERROR: line 1: expected 'in' after the loop variable of 'for', found '1'");
  EXPECT_EQ(Script("x = [1, 2"),
            "ERROR: line 1: expected ',' or ']' to close the vector '[' "
            "opened on line 1, found end of input");
  Result<ExprPtr> two = ParseExpression("1 + 2; 3");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(two.status().message(), "line 1: expected the end of the expression, found '3'");
}

// Every prefix of valid scripts either parses or fails with a located InvalidArgument; none
// crashes (run under the sanitizer preset to catch out-of-bounds reads).
TEST(ParserTest, TruncatedInputFailsCleanly) {
  std::string scripts = std::string(kSeedSetup) + kBackupExample2 + "\n" +
                        "def f(a) { if (a > 1) { return <exec count(*) from t where x in "
                        "(1, 2) order by x desc limit 2, 3> } else return [1, (, 2)] }\n"
                        "s = \"str\\\"ing\" /* c */ + `a`b; m = 2017.08M..2017.09M; "
                        "t = 2017.08.07T10:00:00.000; u = 13:30m";
  ASSERT_TRUE(ParseProgram(scripts).ok()) << ParseProgram(scripts).status().ToString();
  for (size_t n = 0; n <= scripts.size(); ++n) {
    Result<Program> program = ParseProgram(std::string_view(scripts).substr(0, n));
    if (!program.ok()) {
      EXPECT_EQ(program.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(program.status().message().rfind("line ", 0), 0u) << program.status().message();
    }
  }
}

// A script nested thousands of levels deep is an error naming the limit, never a stack
// overflow of the parser, the evaluator or the tree's destructor; ordinary depths parse.
TEST(ParserTest, NestingIsBounded) {
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  for (const std::string& deep :
       {repeat("(", 5000) + "1" + repeat(")", 5000), repeat("1+", 5000) + "1", repeat("[", 5000),
        repeat("-", 5000) + "1", repeat("{", 5000), repeat("f(", 5000), "f" + repeat("(1)", 5000),
        "x" + repeat("[0]", 5000)}) {
    Result<Program> program = ParseProgram(deep);
    ASSERT_FALSE(program.ok()) << deep.substr(0, 20);
    EXPECT_NE(program.status().message().find("the script nests deeper than"), std::string::npos)
        << program.status().message();
  }
  EXPECT_TRUE(ParseProgram(repeat("(", 100) + "1" + repeat(")", 100)).ok());
  EXPECT_TRUE(ParseProgram(repeat("1+", 400) + "1").ok());
}

TEST(LexerTest, TokensAndNewlineFlags) {
  Result<std::vector<Token>> tokens = Lexer("a.append!(b)\n  x!=1 `s`t").Tokenize();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  std::vector<std::string> texts;
  for (const Token& token : *tokens) texts.push_back(token.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"a", ".", "append!", "(", "b", ")", "x", "!=", "1",
                                             "`s`t", ""}));
  EXPECT_TRUE((*tokens)[6].newline_before);
  EXPECT_EQ((*tokens)[6].line, 2);
  EXPECT_FALSE((*tokens)[7].newline_before);
  EXPECT_EQ((*tokens)[9].symbols, (std::vector<std::string>{"s", "t"}));
  EXPECT_EQ(tokens->back().kind, TokenKind::kEnd);
}

}  // namespace
}  // namespace strata
