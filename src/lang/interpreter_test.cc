// Interpreter behaviour on in-memory values: arithmetic, vectors, functions, control flow and
// select over in-memory tables. Database behaviour is tested end to end in tests/script.
#include "lang/interpreter.h"

#include <gtest/gtest.h>

#include "lang/script_remedy.h"
#include "types/format.h"

namespace strata {
namespace {

// Runs `source` and returns every printed value as JSON, one per line.
std::string RunJson(const std::string& source) {
  std::string out;
  auto instance = Instance::Open(nullptr);
  Session session(*instance);
  Interpreter interpreter(session, [&](const Value& v) { out += FormatValueJson(v) + "\n"; });
  Status status = interpreter.RunSource(source);
  if (!status.ok()) return "error: " + status.message();
  return out;
}

// A client's request (the DolphinDB port): Answer's value, and what reached the output.
struct Answered {
  std::string value;   // JSON, or "error: ..."
  std::string output;  // what print and the like wrote, one JSON per line
};

Answered AnswerJson(const std::string& source) {
  Answered out;
  auto instance = Instance::Open(nullptr);
  Session session(*instance);
  Interpreter interpreter(session,
                          [&](const Value& v) { out.output += FormatValueJson(v) + "\n"; });
  Result<Value> value = interpreter.Answer(source);
  out.value = value.ok() ? FormatValueJson(*value) : "error: " + value.status().message();
  return out;
}

TEST(InterpreterTest, AnswerIsTheLastStatementsValueAndPrintStillPrints) {
  Answered a = AnswerJson("x = 2\nx * 3\nprint(x)\nx * 5");
  EXPECT_EQ(a.value, "10");
  EXPECT_EQ(a.output, "2\n") << "earlier expression values are not shown, print is";
  EXPECT_EQ(AnswerJson("x = 1").value, "null") << "an assignment answers VOID";
  EXPECT_EQ(AnswerJson("1 + 1\ny = 3").value, "null") << "the last statement decides";
  EXPECT_EQ(AnswerJson("1\n2 +").value,
            "error: line 2: expected an expression, found end of input");
}

TEST(InterpreterTest, CallFunctionFindsDefsThenBuiltins) {
  auto instance = Instance::Open(nullptr);
  Session session(*instance);
  Interpreter interpreter(session, [](const Value&) {});
  ASSERT_TRUE(interpreter.RunSource("def twice(x) { return x * 2 }").ok());
  auto call = [&](const std::string& name, std::vector<Value> args) {
    Result<Value> v = interpreter.CallFunction(name, std::move(args));
    return v.ok() ? FormatValueJson(*v) : "error: " + v.status().message();
  };
  Value one(Scalar::Int(Type::kInt, 1));
  EXPECT_EQ(call("twice", {Value(Scalar::Int(Type::kInt, 21))}), "42");
  EXPECT_EQ(call("add", {one, Value(Scalar::Float(Type::kDouble, 0.5))}), "1.5");
  EXPECT_EQ(call("nosuch", {}), "error: function 'nosuch' is not defined");
  EXPECT_EQ(call("add", {one}).rfind("error: ", 0), 0u) << "a missing argument is an error";
  interpreter.SetVariable("v", Value(Scalar::Int(Type::kInt, 7)));
  Result<Value> v = interpreter.Answer("v + 1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(FormatValueJson(*v), "8");
}

TEST(InterpreterTest, TheFunctionsOfTheJavaScriptClientsInvokeHelper) {
  // The helper the JavaScript API defines for invoke() with numbers (protocol note §8).
  const std::string helper =
      "def invoke (func, args_json) {\n"
      "    args = fromStdJson(args_json)\n"
      "    func_ = func\n"
      "    if (type(func) == STRING)\n"
      "        func_ = funcByName(func)\n"
      "    if (type(args) != ANY)\n"
      "        args = cast(args, ANY)\n"
      "    return unifiedCall(func_, args)\n"
      "}\n";
  EXPECT_EQ(AnswerJson(helper + "invoke(\"add\", \"[1, 1]\")").value, "2.0");
  EXPECT_EQ(
      AnswerJson(helper + "def times(a, b) { return a * b }\ninvoke(\"times\", \"[2, 3]\")").value,
      "6.0")
      << "funcByName reaches the session's defs";
  EXPECT_EQ(AnswerJson(helper + "invoke(\"concat\", \"[\\\"a\\\", \\\"b\\\"]\")").value, "\"ab\"");
  EXPECT_EQ(AnswerJson("fromStdJson('[1, \"x\", null, true]')").value, "[1.0,\"x\",null,true]");
  EXPECT_EQ(AnswerJson("fromStdJson('[\"2024.01.15\", null]')").value, "[\"2024.01.15\",null]");
  EXPECT_EQ(AnswerJson("type(fromStdJson('[true, false]'))").value, "1");
  EXPECT_EQ(AnswerJson("fromStdJson('{\"a\": [1, 2]}')").value, "{\"a\":[1.0,2.0]}");
  EXPECT_EQ(AnswerJson("fromStdJson('[1, ')").value.rfind("error: line 1: fromStdJson: ", 0), 0u);
  EXPECT_EQ(AnswerJson("type(cast(1 2, ANY))").value, "25");
  EXPECT_EQ(AnswerJson("cast(1.7 2.2, INT)").value, "[2,2]");
  EXPECT_EQ(AnswerJson("version()").value, "\"3.00.3 2026.12.07\"");
}

TEST(InterpreterTest, ArithmeticFollowsDolphinDbRules) {
  EXPECT_EQ(RunJson("1 + 2\n7 / 2\n-7 / 2\n7 % 3\n1.5 * 2"), "3\n3\n-4\n1\n3.0\n");
  EXPECT_EQ(RunJson("2017.08.07 + 1\n2017.08.10 - 2017.08.07"), "\"2017.08.08\"\n3\n");
  EXPECT_EQ(RunJson("x = 0 50 100\nx + 1"), "[1,51,101]\n");
  EXPECT_EQ(RunJson("size(2017.08.07..2017.08.11)"), "5\n");
  // Mixed temporal comparisons happen in the finer unit.
  EXPECT_EQ(RunJson("2017.08.07 == 2017.08.07T12:00:00\n2017.08.07 < 2017.08.07T12:00:00"),
            "false\ntrue\n");
}

TEST(InterpreterTest, AssignmentsPrintNothingAndVariablesPersist) {
  EXPECT_EQ(RunJson("a = 5; b = a * 2\nb"), "10\n");
}

TEST(InterpreterTest, FunctionsAndControlFlow) {
  EXPECT_EQ(RunJson("def f(x, y) { return x * 10 + y }\nf(1, 2)\nf(y=3, x=4)"), "12\n43\n");
  EXPECT_EQ(RunJson("s = 0\nfor (i in 1..10) { if (i % 2 == 0) { s = s + i } }\ns"), "30\n");
  EXPECT_EQ(RunJson("g = def(x): x + 1\ng(41)"), "42\n");
  EXPECT_EQ(RunJson("add = def(a, b) { return a + b }\ninc = add{1}\ninc(5)"), "6\n");
}

TEST(InterpreterTest, SelectOnInMemoryTables) {
  std::string setup = "id = 1 2 3 4\nv = 10.0 20.0 30.0 40.0\nk = `a`b`a`b\nt = table(id, v, k)\n";
  EXPECT_EQ(RunJson(setup + "select sum(v) from t where id > 1"),
            "{\"columns\":[\"sum_v\"],\"rows\":[[90.0]],\"types\":[\"DOUBLE\"]}\n");
  EXPECT_EQ(RunJson(setup + "select k, count(*) as n, avg(v) from t group by k order by k desc"),
            "{\"columns\":[\"k\",\"n\",\"avg_v\"],\"rows\":[[\"b\",2,30.0],[\"a\",2,20.0]],"
            "\"types\":[\"STRING\",\"LONG\",\"DOUBLE\"]}\n");
  EXPECT_EQ(RunJson(setup + "exec id from t where k = 'a' order by id desc"), "[3,1]\n");
  EXPECT_EQ(RunJson(setup + "select top 2 id from t order by v desc"),
            "{\"columns\":[\"id\"],\"rows\":[[4],[3]],\"types\":[\"INT\"]}\n");
  EXPECT_EQ(RunJson(setup + "exec count(*) from t where id between 2 and 3"), "2\n");
}

TEST(InterpreterTest, GroupKeysAndMembershipCompareExactValues) {
  // Doubles that print alike are still different groups.
  EXPECT_EQ(RunJson("k = 1.0000000001 1.0000000002 1.0000000001\nv = 1 2 3\nt = table(k, v)\n"
                    "select sum(v) from t group by k order by k"),
            "{\"columns\":[\"k\",\"sum_v\"],\"rows\":[[1.0000000001,4],[1.0000000002,2]],"
            "\"types\":[\"DOUBLE\",\"LONG\"]}\n");
  // `in` compares as `==` does: no rounding of the set to the column's type.
  EXPECT_EQ(RunJson("1 2 3 in [1.5, 3.0]"), "[false,false,true]\n");
  EXPECT_EQ(RunJson("2017.08.07 in [2017.08.07T10:00:00.000]\n"
                    "2017.08.07 in [2017.08.07T00:00:00.000]\n"
                    "5 in [3000000000l]"),
            "false\ntrue\nfalse\n");
}

TEST(InterpreterTest, PerGroupExpressionsMayDifferInType) {
  EXPECT_EQ(RunJson("def f(x) { if (size(x) > 1) { return 1 } return 2.5 }\n"
                    "k = `a`a`b\nv = 1 2 3\nt = table(k, v)\n"
                    "select f(v) from t group by k order by k"),
            "{\"columns\":[\"k\",\"f_v\"],\"rows\":[[\"a\",1.0],[\"b\",2.5]],"
            "\"types\":[\"STRING\",\"DOUBLE\"]}\n");
  std::string out = RunJson(
      "def g(x) { if (size(x) > 1) { return 1 } return `s }\n"
      "k = `a`a`b\nv = 1 2 3\nt = table(k, v)\n"
      "select g(v) from t group by k");
  EXPECT_NE(out.find("gives INT for one group and STRING for another"), std::string::npos) << out;
}

TEST(InterpreterTest, ErrorsNameTheLineAndTheObject) {
  EXPECT_EQ(RunJson("a = 1\nb = nosuch + 1"), "error: line 2: variable 'nosuch' is not defined");
  EXPECT_EQ(RunJson("x = 1\nloadTable(\"dfs://db\", \"pt\")"),
            "error: line 2: loadTable: no data directory is open");
  std::string out = RunJson("f = def(a) { return a }\nf(1, 2, 3)");
  EXPECT_NE(out.find("line 2: function lambda takes 1 argument(s) but got 3"), std::string::npos)
      << out;
}

TEST(InterpreterTest, AccessTypesAreStringConstants) {
  EXPECT_EQ(RunJson("DB_READ\nDB_WRITE\nDB_READ == \"DB_READ\""),
            "\"DB_READ\"\n\"DB_WRITE\"\ntrue\n");
}

TEST(InterpreterTest, UserFunctionsNeedADataDirectory) {
  EXPECT_EQ(RunJson("createUser(\"bob\", \"pw\")"),
            "error: line 1: createUser: no data directory is open");
  EXPECT_EQ(RunJson("grant(\"bob\", DB_READ, \"dfs://a\")"),
            "error: line 1: grant: no data directory is open");
  EXPECT_EQ(RunJson("getUserList()"), "error: line 1: getUserList: no data directory is open");
}

// Lower layers attach a neutral remedy; the script dialect words it as today's script calls.
TEST(InterpreterTest, RemediesAreWordedAsScriptCalls) {
  EXPECT_EQ(ScriptMessage(PermissionDenied("not logged in").WithRemedy({RemedyKind::kLogin, {}})),
            "not logged in: call login(userId, password) first");
  EXPECT_EQ(ScriptMessage(PermissionDenied("user 'bob' has no DB_READ access to database 'dfs://a'")
                              .WithRemedy({RemedyKind::kGrant, {"bob", "DB_READ", "dfs://a"}})
                              .WithContext("backup")),
            "backup: user 'bob' has no DB_READ access to database 'dfs://a'; a superuser can "
            "grant it with grant(\"bob\", DB_READ, \"dfs://a\")");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kCancelJob, {"j1"}}),
            "; wait for it or cancel it with cancelJob(\"j1\")");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kWaitForJob, {"j1"}}),
            "; call getJobReturn(\"j1\", true) to wait for it");
  EXPECT_EQ(ScriptMessage(NotFound("no such table")), "no such table");
}

TEST(InterpreterTest, DatabaseRemediesAreWordedAsScriptCalls) {
  EXPECT_EQ(ScriptMessage(NotFound("database 'dfs://a' does not exist")
                              .WithRemedy({RemedyKind::kDefineDatabase, {"dfs://a"}})),
            "database 'dfs://a' does not exist; create it with database(\"dfs://a\", ...)");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kOpenOrDropDatabase, {"dfs://a"}}),
            "; open it with database(\"dfs://a\") or drop it first with dropDatabase");
  EXPECT_EQ(ScriptMessage(InvalidArgument("a COMPO scheme is built from its levels, 2 or 3 "
                                          "partitioned schemes")
                              .WithRemedy({RemedyKind::kComposeLevels, {}})),
            "a COMPO scheme is built from its levels, 2 or 3 partitioned schemes: pass a vector of "
            "2-3 database handles, as database(\"dfs://db\", COMPO, [dbDate, dbID])");
}

TEST(InterpreterTest, BackupRemediesAreWordedAsScriptCalls) {
  EXPECT_EQ(ScriptMessage(NotFound("database 'dfs://a' does not exist")
                              .WithRemedy({RemedyKind::kCreateDatabase, {"dfs://a"}})),
            "database 'dfs://a' does not exist; create it first, or use restoreDB/migrate, which "
            "create it");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kCreateTable, {"dfs://a", "pt"}}),
            "; create it first, or use restoreTable/migrate, which create it");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kRestoreQueryBackup, {"/bak", "dfs://a"}}),
            "; use migrate or restore instead");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kBackUpFirst, {"/bak"}}),
            "; back something up there first with backup(...)");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kUseBackupMethod, {"sql", "dfs://a"}}),
            ": back it up with a query, as backup(backupDir, <select * from "
            "loadTable(\"dfs://a\", tableName)>)");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kUseBackupMethod, {"files", "dfs://a"}}),
            ": back it up by its path, as backup(backupDir, \"dfs://a\")");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kCheckBackup, {"/bak", "dfs://a"}}),
            "; checkBackup(\"/bak\", \"dfs://a\") lists it");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kCheckBackup, {"/bak", ""}}),
            "; checkBackup(\"/bak\") lists it");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kCheckThenForceBackup, {"/bak", "dfs://a"}}),
            "; checkBackup(\"/bak\", \"dfs://a\") lists the damaged partitions; "
            "backup(..., force=true) repairs them while the source still has the data");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kEarlierSnapshotOrForceBackup, {"/bak", "dfs://a"}}),
            "; restore an earlier snapshot with snapshotId= (getBackupSnapshots lists them), or "
            "write a new head with backup(..., force=true)");
  EXPECT_EQ(ScriptRemedy({RemedyKind::kAskSuperuserToPrune, {"/bak", "dfs://a"}}),
            "; ask one to run pruneBackup");
}

}  // namespace
}  // namespace strata
