// Where S3 requests go, without a server: virtual-hosted and path-style targets, http and https
// endpoints with and without ports, location prefixes, keys that need URI-encoding, and the
// endpoint and location checks that come before any request.
#include "repository/s3_object_store.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

S3Options Endpoint(const std::string& endpoint, bool virtual_hosted) {
  S3Options options;
  options.endpoint = endpoint;
  options.region = "us-east-1";
  options.virtual_hosted = virtual_hosted;
  return options;
}

TEST(S3RequestTargetTest, PathStyleKeepsTheBucketInThePath) {
  S3Target target = S3RequestTarget(Endpoint("http://127.0.0.1:9000", false), "bucket",
                                    "backups/objects/ab/cd", {});
  EXPECT_EQ(target.host, "127.0.0.1:9000");
  EXPECT_EQ(target.path, "/bucket/backups/objects/ab/cd");
  EXPECT_EQ(target.url, "http://127.0.0.1:9000/bucket/backups/objects/ab/cd");
}

TEST(S3RequestTargetTest, VirtualHostedPutsTheBucketInTheHost) {
  S3Target target = S3RequestTarget(Endpoint("https://s3.eu-west-1.amazonaws.com", true),
                                    "my-bucket", "snapshots/s.json", {});
  EXPECT_EQ(target.host, "my-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(target.path, "/snapshots/s.json");
  EXPECT_EQ(target.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/snapshots/s.json");
}

TEST(S3RequestTargetTest, EndpointPortsAndTrailingSlashes) {
  S3Target https = S3RequestTarget(Endpoint("https://minio.local:9443/", false), "b1-x", "k", {});
  EXPECT_EQ(https.host, "minio.local:9443");
  EXPECT_EQ(https.url, "https://minio.local:9443/b1-x/k");
  S3Target virtual_port =
      S3RequestTarget(Endpoint("http://storage.test:8080//", true), "bkt", "a/b", {});
  EXPECT_EQ(virtual_port.host, "bkt.storage.test:8080");
  EXPECT_EQ(virtual_port.url, "http://bkt.storage.test:8080/a/b");
}

TEST(S3RequestTargetTest, BucketRequestsAndQueries) {
  std::vector<std::pair<std::string, std::string>> query = {
      {"prefix", "backups/a b/"}, {"list-type", "2"}, {"continuation-token", "x+y/z="}};
  S3Target path = S3RequestTarget(Endpoint("http://127.0.0.1:9000", false), "bucket", "", query);
  EXPECT_EQ(path.host, "127.0.0.1:9000");
  EXPECT_EQ(path.path, "/bucket");
  // Sorted by name, every byte but unreserved ones encoded, '/' included.
  EXPECT_EQ(path.url,
            "http://127.0.0.1:9000/bucket?continuation-token=x%2By%2Fz%3D&list-type=2&"
            "prefix=backups%2Fa%20b%2F");
  S3Target virtual_hosted =
      S3RequestTarget(Endpoint("https://s3.amazonaws.com", true), "bucket", "", {{"delete", ""}});
  EXPECT_EQ(virtual_hosted.path, "/");
  EXPECT_EQ(virtual_hosted.url, "https://bucket.s3.amazonaws.com/?delete=");
}

TEST(S3RequestTargetTest, KeysAreUriEncodedButKeepTheirSlashes) {
  S3Target target = S3RequestTarget(Endpoint("http://127.0.0.1:9000", false), "bucket",
                                    "odd keys/a+b c%d=e&f/\xC3\xBC~_.-", {{"uploadId", "u/1"}});
  EXPECT_EQ(target.path, "/bucket/odd%20keys/a%2Bb%20c%25d%3De%26f/%C3%BC~_.-");
  EXPECT_EQ(target.url, "http://127.0.0.1:9000" + target.path + "?uploadId=u%2F1");
}

TEST(S3RequestTargetTest, PrefixesJoinKeysWithOneSlash) {
  EXPECT_EQ(S3FullKey({"bucket", ""}, "objects/ab/cd"), "objects/ab/cd");
  EXPECT_EQ(S3FullKey({"bucket", "team/compo"}, "objects/ab/cd"), "team/compo/objects/ab/cd");
  auto location = ParseS3Url("s3://bucket/team/compo///");
  ASSERT_TRUE(location.ok()) << location.status().ToString();
  EXPECT_EQ(location->bucket, "bucket");
  EXPECT_EQ(location->prefix, "team/compo");
  EXPECT_EQ(S3RequestTarget(Endpoint("http://h:1", false), "bucket",
                            S3FullKey(*location, "strata-repo.json"), {})
                .url,
            "http://h:1/bucket/team/compo/strata-repo.json");
  auto bare = ParseS3Url("s3://bucket");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->prefix, "");
}

TEST(S3RequestTargetTest, MalformedLocationsAndEndpointsAreRefusedBeforeAnyRequest) {
  EXPECT_EQ(ParseS3Url("/local/dir").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Url("s3://Upper_Case/x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Url("s3://bucket/a/../b").status().code(), StatusCode::kInvalidArgument);
  for (const char* endpoint : {"127.0.0.1:9000", "ftp://host", "http://", "http://host/base",
                               "http://user@host", "https://host?x=1"}) {
    auto store = S3ObjectStore::Open(Endpoint(endpoint, false), {"bucket", ""});
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument) << endpoint;
    EXPECT_NE(store.status().message().find(endpoint), std::string::npos)
        << store.status().message();
  }
}

}  // namespace
}  // namespace strata
