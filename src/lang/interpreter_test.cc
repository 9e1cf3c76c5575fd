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
