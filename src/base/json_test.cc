// The JSON layer never throws, keeps bytes that are not UTF-8 exactly through stored documents
// (docs/format/json-strings.md), shows them as U+00XX in output, and reads typed fields with
// errors naming the document and the member.
#include "base/json.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "base/json_fields.h"
#include "base/thread_pool.h"
#include "base/utf8.h"

namespace strata {
namespace {

TEST(Utf8Test, AcceptsWellFormedAndRejectsEveryIllFormedShape) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("M\xc3\xbcnchen \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("M\xfcnchen"));        // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xff"));              // never a UTF-8 byte
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_EQ(BytesAsCodePoints("a\xfc"
                              "b\xff"),
            "a\xc3\xbc"
            "b\xc3\xbf");
  EXPECT_EQ(BytesAsCodePoints("\xe2\x82\xac"), "\xe2\x82\xac");
}

// Encode → decode → re-encode: bytes survive exactly, valid strings are stored as before.
TEST(JsonTest, StoredDocumentsKeepBytesThatAreNotUtf8) {
  const std::string latin1 = "M\xfcnchen";
  nlohmann::json document = {{"values", {"Berlin", latin1, "\xff", ""}},
                             {"nested", {{"name", latin1}}}};
  const std::string text = DumpJson(document);
  EXPECT_EQ(text, R"({"nested":{"name":{"bytes_hex":"4dfc6e6368656e"}},)"
                  R"("values":["Berlin",{"bytes_hex":"4dfc6e6368656e"},{"bytes_hex":"ff"},""]})");
  auto decoded = ParseJson(text, "test document");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, document);
  EXPECT_EQ(DumpJson(*decoded), text);
  // Valid UTF-8 is written exactly as nlohmann always wrote it.
  nlohmann::json plain = {{"a", "M\xc3\xbcnchen"}, {"b", 1}};
  EXPECT_EQ(DumpJson(plain), plain.dump());
  EXPECT_EQ(DumpJson(plain, 2), plain.dump(2));
}

TEST(JsonTest, ParseErrorsNameTheDocumentAndNeverThrow) {
  for (const char* text : {"", "{", "{\"a\":}", "[1,2", "\xff", "{\"a\":\"\xfc\"}"}) {
    auto parsed = ParseJson(text, "marker 'x'");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kCorruption);
    EXPECT_NE(parsed.status().message().find("marker 'x' is not valid JSON"), std::string::npos)
        << parsed.status().message();
  }
  // Objects that only look like encoded strings stay objects.
  auto odd = ParseJson(R"([{"bytes_hex":"f"},{"bytes_hex":"zz"},{"bytes_hex":"41","x":1}])", "d");
  ASSERT_TRUE(odd.ok());
  for (const auto& element : *odd) EXPECT_TRUE(element.is_object());
}

TEST(JsonTest, DisplayOutputIsValidJsonWithBytesAsCodePoints) {
  nlohmann::json value = {"a\xfc", "\xff", "\xe2\x82\xac"};
  const std::string text = DumpJsonForDisplay(value);
  EXPECT_EQ(text, "[\"a\xc3\xbc\",\"\xc3\xbf\",\"\xe2\x82\xac\"]");
  EXPECT_TRUE(ParseJson(text, "output").ok());
}

TEST(JsonFieldsTest, WrongTypesAreErrorsNamingTheDocumentAndTheMember) {
  auto document = *ParseJson(
      R"({"s":"x","i":-3,"u":7,"big":18446744073709551615,"b":true,"a":["p","q"],"o":{},)"
      R"("n":null,"v":"1","t":"2026-11-21T17:00:00.123Z"})",
      "d");
  JsonFields fields(document, "strata-repo.json in '/r'");
  EXPECT_EQ(*fields.String("s"), "x");
  EXPECT_EQ(*fields.Int("i"), -3);
  EXPECT_EQ(*fields.Uint("u"), 7u);
  EXPECT_EQ(*fields.Uint("big"), UINT64_MAX);
  EXPECT_FALSE(fields.Int("big").ok());
  EXPECT_FALSE(fields.Uint("i").ok());
  EXPECT_TRUE(*fields.Bool("b"));
  EXPECT_EQ(*fields.Strings("a"), (std::vector<std::string>{"p", "q"}));
  EXPECT_TRUE(fields.Object("o").ok());
  EXPECT_FALSE(fields.OptionalString("n")->has_value());
  EXPECT_FALSE(fields.OptionalInt("missing")->has_value());
  EXPECT_TRUE(fields.Time("t").ok());
  auto version = fields.Int("v");
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().message(),
            "strata-repo.json in '/r' is damaged: member 'v' is not an integer");
  EXPECT_EQ(fields.String("missing").status().message(),
            "strata-repo.json in '/r' is damaged: member 'missing' is missing");
  EXPECT_FALSE(fields.Bool("s").ok());
  EXPECT_FALSE(fields.Array("o").ok());
  EXPECT_FALSE(fields.Strings("s").ok());
  nlohmann::json not_object = nlohmann::json::array();
  EXPECT_FALSE(JsonFields(not_object, "d").String("s").ok());
}

TEST(ThreadPoolTest, ATaskThatThrowsIsReportedNotFatal) {
  ThreadPool pool(2, 2);
  int ran = 0;
  pool.Submit([] { throw std::runtime_error("boom"); });
  pool.Submit([&ran] { ++ran; });
  Status status = pool.Wait();
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("boom"), std::string::npos);
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace strata
