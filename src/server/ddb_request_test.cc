// Requests and answers as the real clients sent and read them
// (../shared/notes/dolphindb-api-protocol.md §3, §4, §7).
#include "server/ddb_request.h"

#include <gtest/gtest.h>

namespace strata::ddb {
namespace {

constexpr size_t kMaxLength = 1 << 20;
constexpr size_t kMaxObjects = 1024;

TEST(DdbRequestTest, ParsesTheHeaderLinesOfEveryClient) {
  auto js = ParseHeaderLine("API2 0 26 / 0_1_4_64", kMaxLength);
  ASSERT_TRUE(js.ok()) << js.status().ToString();
  EXPECT_TRUE(js->api2);
  EXPECT_EQ(js->session_id, "0");
  EXPECT_EQ(js->length, 26u);
  EXPECT_EQ(js->flags, 0);
  EXPECT_FALSE(js->asynchronous());
  auto cpp = ParseHeaderLine("API2 1823959358 18 / 32_1_4_64__8192", kMaxLength);
  ASSERT_TRUE(cpp.ok()) << cpp.status().ToString();
  EXPECT_EQ(cpp->session_id, "1823959358");
  EXPECT_EQ(cpp->flags, 32);
  EXPECT_EQ(cpp->fetch_size, 8192);
  auto asynchronous = ParseHeaderLine("API 1 10 / 36_1_4_2", kMaxLength);
  ASSERT_TRUE(asynchronous.ok());
  EXPECT_FALSE(asynchronous->api2);
  EXPECT_TRUE(asynchronous->asynchronous());
  auto old_python = ParseHeaderLine("API 0 8\r", kMaxLength);  // no options at all
  ASSERT_TRUE(old_python.ok()) << old_python.status().ToString();
  EXPECT_EQ(old_python->length, 8u);

  for (const char* bad : {"GET / HTTP/1.1", "API2 x 3 / 0", "API2 0 -3 / 0", "API2 0 3 / a_1",
                          "API2 0", "API2 0 3 + 0_1"}) {
    auto refused = ParseHeaderLine(bad, kMaxLength);
    EXPECT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto too_long = ParseHeaderLine("API2 0 2000000 / 0_1_4_64", kMaxLength);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("limit"), std::string::npos);
}

TEST(DdbRequestTest, ParsesTheFourCommands) {
  auto login = ParseCommand("connect\nlogin\nadmin\n123456", kMaxObjects);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->kind, CommandKind::kConnect);
  EXPECT_EQ(login->user, "admin");
  EXPECT_EQ(login->password, "123456");
  EXPECT_FALSE(login->encrypted);
  auto plain = ParseCommand("connect\n", kMaxObjects);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->user.has_value());
  auto python = ParseCommand("connect\nlogin\nu\np\nfalse", kMaxObjects);
  ASSERT_TRUE(python.ok());
  EXPECT_EQ(python->user, "u");
  EXPECT_FALSE(python->encrypted);

  auto script = ParseCommand("script\ndef f(x) {\n  return x + 1\n}\nf(1)", kMaxObjects);
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(script->kind, CommandKind::kScript);
  EXPECT_EQ(script->script, "def f(x) {\n  return x + 1\n}\nf(1)");

  for (const char* text : {"function\nadd\n2\n1\n", "function\nadd\n2\n1"}) {  // JS, then C++
    auto function = ParseCommand(text, kMaxObjects);
    ASSERT_TRUE(function.ok()) << function.status().ToString();
    EXPECT_EQ(function->kind, CommandKind::kFunction);
    EXPECT_EQ(function->function, "add");
    EXPECT_EQ(function->object_count, 2u);
  }
  auto upload = ParseCommand("variable\nv,s,sy,d,any,tb\n6\n1\n", kMaxObjects);
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  EXPECT_EQ(upload->kind, CommandKind::kVariable);
  EXPECT_EQ(upload->names, (std::vector<std::string>{"v", "s", "sy", "d", "any", "tb"}));
  EXPECT_EQ(upload->object_count, 6u);

  const std::vector<std::string> bad = {"shell\nls",
                                        "function\n\n1\n1",
                                        "function\nf\nmany\n1",
                                        "function\nf\n5000\n1",
                                        "function\nf\n1\n0",
                                        "variable\na,b\n3\n1",
                                        "connect\nhello",
                                        std::string("script\na\0b", 10)};
  for (const auto& text : bad) {
    auto refused = ParseCommand(text, kMaxObjects);
    EXPECT_FALSE(refused.ok()) << text;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

TEST(DdbRequestTest, WritesAnswersAsTheClientsReadThem) {
  EXPECT_EQ(OkAnswer("1166953221", 1), "1166953221 1 1\nOK\n");
  EXPECT_EQ(OkAnswer("7", 0), "7 0 1\nOK\n");
  EXPECT_EQ(ErrorAnswer("7", "Syntax Error: [line #1]\nnear 1 +"),
            "7 0 1\nSyntax Error: [line #1] near 1 +\n");
  EXPECT_EQ(MessageBlock("hello\n"), std::string("MSG\nhello\0", 10));
  EXPECT_EQ(MessageBlock(std::string("a\0b", 3)), std::string("MSG\nab\0", 7));
}

}  // namespace
}  // namespace strata::ddb
