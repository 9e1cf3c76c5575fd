// Known answers from the standards (RFC 4231, RFC 5869, the GCM specification's test case 14)
// and from an independent implementation (Python's `cryptography`), and sealed messages that
// must not open: another key, other associated data, any changed, missing or added byte.
#include "base/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace strata {
namespace {

std::string Hex(std::string_view bytes) { return BytesToHex(bytes); }

std::string FromHex(std::string_view hex) { return HexToBytes(hex).value_or("(bad hex)"); }

std::string Counting(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(i));
  return out;
}

TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  Sha256Digest mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(ToHex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HkdfSha256MatchesRfc5869) {
  auto okm = HkdfSha256(std::string(22, '\x0b'), FromHex("000102030405060708090a0b0c"),
                        FromHex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok()) << okm.status().ToString();
  EXPECT_EQ(Hex(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b88718"
            "5865");
  EXPECT_FALSE(HkdfSha256("secret", "", "", 0).ok());
  EXPECT_FALSE(HkdfSha256("secret", "", "", 255 * 32 + 1).ok());
}

TEST(CryptoTest, OpensKnownGcmMessages) {
  SecretKey zero = *SecretKey::FromBytes(std::string(32, '\0'));
  // GCM specification, test case 14: zero key, zero nonce, 16 zero bytes.
  auto plain = Open(zero, "",
                    FromHex("000000000000000000000000"
                            "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"),
                    "test case 14");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain, std::string(16, '\0'));
  // Python's cryptography (AESGCM), key 00..1f, nonce 00..0b, associated data "object 1".
  SecretKey counting = *SecretKey::FromBytes(Counting(32));
  auto message = Open(counting, "object 1",
                      Counting(12) + FromHex("3476a47ab184e268e820fbeed5c91508f0a5e65395e2792692"
                                             "e21db22a9135c870a3281660"),
                      "a message");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(*message, "strata sealed message");
}

TEST(CryptoTest, SealedMessagesOpenOnlyWithTheirKeyAndData) {
  SecretKey key = *SecretKey::Random();
  SecretKey other = *SecretKey::Random();
  EXPECT_NE(Hex(key.view()), Hex(other.view()));
  for (const std::string& plain : {std::string(), std::string("x"), Counting(100000)}) {
    auto sealed = Seal(key, "objects/ab/cd", plain);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    ASSERT_EQ(sealed->size(), plain.size() + kSealOverheadBytes);
    if (plain.size() > 16) {
      EXPECT_EQ(sealed->find(plain.substr(0, 16)), std::string::npos);
    }
    auto opened = Open(key, "objects/ab/cd", *sealed, "object cd");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plain);

    auto wrong_key = Open(other, "objects/ab/cd", *sealed, "object cd");
    ASSERT_EQ(wrong_key.status().code(), StatusCode::kCorruption);
    EXPECT_NE(wrong_key.status().message().find("object cd does not authenticate"),
              std::string::npos)
        << wrong_key.status().message();
    EXPECT_FALSE(Open(key, "objects/ab/ce", *sealed, "object cd").ok());
    // A changed byte anywhere: nonce, ciphertext, tag.
    for (size_t at : {size_t{0}, kGcmNonceBytes, sealed->size() / 2, sealed->size() - 1}) {
      std::string changed = *sealed;
      changed[at] = static_cast<char>(changed[at] ^ 0x01);
      EXPECT_EQ(Open(key, "objects/ab/cd", changed, "object cd").status().code(),
                StatusCode::kCorruption)
          << at;
    }
    EXPECT_FALSE(Open(key, "objects/ab/cd", sealed->substr(0, sealed->size() - 1), "o").ok());
    EXPECT_FALSE(Open(key, "objects/ab/cd", *sealed + "x", "o").ok());
  }
  EXPECT_EQ(Open(key, "", "short", "object x").status().code(), StatusCode::kCorruption);
}

TEST(CryptoTest, EachSealHasItsOwnNonce) {
  SecretKey key = *SecretKey::Random();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto sealed = Seal(key, "", "the same message");
    ASSERT_TRUE(sealed.ok());
    EXPECT_TRUE(seen.insert(sealed->substr(0, kGcmNonceBytes)).second);
  }
}

TEST(CryptoTest, KeysAndComparison) {
  EXPECT_EQ(SecretKey::FromBytes("short").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SecretKey::FromBytes(Counting(40))->view(), Counting(32));
  EXPECT_EQ(HexToBytes("00fF10"), std::string("\x00\xff\x10", 3));
  EXPECT_EQ(HexToBytes(BytesToHex(Counting(256))), Counting(256));
  EXPECT_FALSE(HexToBytes("0").has_value());
  EXPECT_FALSE(HexToBytes("zz").has_value());
  EXPECT_TRUE(ConstantTimeEqual("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "ab"));
  EXPECT_EQ(RandomBytes(0)->size(), 0u);
  EXPECT_NE(*RandomBytes(32), *RandomBytes(32));
}

}  // namespace
}  // namespace strata
