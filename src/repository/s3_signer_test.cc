// SigV4 against the worked example in the S3 API reference ("Example: GET Object"): the same
// canonical request, and the signature the documentation gives for it.
#include "repository/s3_signer.h"

#include <gtest/gtest.h>

#include "base/hash.h"

namespace strata {
namespace {

constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigningInput ExampleGetObject() {
  return {"GET",
          "/test.txt",
          {},
          {{"Host", "examplebucket.s3.amazonaws.com"},
           {"Range", "bytes=0-9"},
           {"x-amz-content-sha256", kEmptySha256},
           {"x-amz-date", "20130524T000000Z"}},
          kEmptySha256};
}

TEST(S3SignerTest, CanonicalRequestMatchesTheDocumentedExample) {
  std::string canonical = CanonicalRequest(ExampleGetObject());
  EXPECT_EQ(
      canonical,
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256Of(canonical)),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TEST(S3SignerTest, AuthorizationMatchesTheDocumentedSignature) {
  S3Credentials credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
  EXPECT_EQ(AuthorizationHeader(ExampleGetObject(), credentials, "us-east-1", "20130524T000000Z"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  // Any change to what is signed changes the signature.
  SigningInput other = ExampleGetObject();
  other.headers[1].second = "bytes=0-10";
  EXPECT_NE(AuthorizationHeader(other, credentials, "us-east-1", "20130524T000000Z"),
            AuthorizationHeader(ExampleGetObject(), credentials, "us-east-1", "20130524T000000Z"));
}

TEST(S3SignerTest, EncodesKeysAndQueriesAsS3Does) {
  EXPECT_EQ(UriEncode("objects/ab/x y+z~._-", false), "objects/ab/x%20y%2Bz~._-");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
  EXPECT_EQ(UriEncode("\xC3\xA9", false), "%C3%A9");
  EXPECT_EQ(CanonicalQueryString({{"prefix", "J"}, {"max-keys", "2"}}), "max-keys=2&prefix=J");
  EXPECT_EQ(CanonicalQueryString({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(CanonicalQueryString({{"continuation-token", "a/b=c"}, {"list-type", "2"}}),
            "continuation-token=a%2Fb%3Dc&list-type=2");
}

}  // namespace
}  // namespace strata
