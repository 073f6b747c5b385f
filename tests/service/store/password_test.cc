// service/store/password: scrypt hashes (format, parameters read back, RFC 7914 vector,
// tampering), base64 (RFC 4648 vectors) and bearer tokens.
#include "service/store/password.h"

#include <gtest/gtest.h>

#include <set>

#include "common/crypto.h"

namespace carledger::store {
namespace {

const ScryptParams kFast{1024, 8, 1};

std::vector<std::string> Parts(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i; (i = s.find('$', start)) != std::string::npos; start = i + 1) {
    out.push_back(s.substr(start, i - start));
  }
  out.push_back(s.substr(start));
  return out;
}

TEST(PasswordTest, DefaultHashIsSelfDescribingScrypt) {
  auto h = HashPassword("correct horse battery staple");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto parts = Parts(*h);
  ASSERT_EQ(parts.size(), 6u) << *h;
  EXPECT_EQ(parts[0], "scrypt");
  EXPECT_EQ(parts[1], "32768");
  EXPECT_EQ(parts[2], "8");
  EXPECT_EQ(parts[3], "1");
  EXPECT_EQ(Base64Decode(parts[4])->size(), 16u);  // salt
  EXPECT_EQ(Base64Decode(parts[5])->size(), 32u);  // hash
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *h).ok());
  EXPECT_EQ(VerifyPassword("correct horse battery stapl", *h).code(), StatusCode::kUnauthenticated);
}

TEST(PasswordTest, SaltIsFreshEveryTime) {
  auto a = HashPassword("same password", kFast);
  auto b = HashPassword("same password", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_NE(Parts(*a)[4], Parts(*b)[4]);
  EXPECT_TRUE(VerifyPassword("same password", *a).ok());
  EXPECT_TRUE(VerifyPassword("same password", *b).ok());
}

TEST(PasswordTest, ParametersAreReadBackFromTheString) {
  auto h = HashPassword("pw with params", ScryptParams{2048, 4, 2});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("scrypt$2048$4$2$")) << *h;
  EXPECT_TRUE(VerifyPassword("pw with params", *h).ok());
  // The same salt and hash under other parameters do not verify: they are really used.
  auto parts = Parts(*h);
  std::string other = "scrypt$1024$4$2$" + parts[4] + "$" + parts[5];
  EXPECT_EQ(VerifyPassword("pw with params", other).code(), StatusCode::kUnauthenticated);
}

TEST(PasswordTest, MatchesRfc7914TestVectors) {
  // RFC 7914 section 12, written in our format: the KDF really is scrypt with the
  // parameters, salt and output length taken from the string.
  struct Vector {
    const char* password;
    const char* salt;
    const char* params;
    const char* hex;
  } vectors[] = {
      {"password", "NaCl", "1024$8$16",
       "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d"
       "9830dac727afb94a83ee6d8360cbdfa2cc0640"},
      {"pleaseletmein", "SodiumChloride", "16384$8$1",
       "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d4970524"
       "2a9af9e61e85dc0d651e40dfcf017b45575887"},
  };
  for (const auto& v : vectors) {
    auto want = FromHex(v.hex);
    ASSERT_TRUE(want.ok());
    std::string encoded =
        std::string("scrypt$") + v.params + "$" + Base64Encode(v.salt) + "$" + Base64Encode(*want);
    EXPECT_TRUE(VerifyPassword(v.password, encoded).ok()) << encoded;
    EXPECT_EQ(VerifyPassword(std::string(v.password) + "x", encoded).code(),
              StatusCode::kUnauthenticated);
  }
}

TEST(PasswordTest, TamperedHashOrSaltFails) {
  auto h = HashPassword("tamper me", kFast);
  ASSERT_TRUE(h.ok());
  auto parts = Parts(*h);
  for (int field : {4, 5}) {
    std::string raw = *Base64Decode(parts[field]);
    raw[0] ^= 1;
    std::string t = parts[0] + "$" + parts[1] + "$" + parts[2] + "$" + parts[3] + "$" +
                    (field == 4 ? Base64Encode(raw) : parts[4]) + "$" +
                    (field == 5 ? Base64Encode(raw) : parts[5]);
    EXPECT_EQ(VerifyPassword("tamper me", t).code(), StatusCode::kUnauthenticated) << field;
  }
}

TEST(PasswordTest, MalformedOrAbusiveHashesAreRefused) {
  std::string salt = Base64Encode(std::string(16, 's')), hash = Base64Encode(std::string(32, 'h'));
  for (const std::string& bad : {
           std::string(""),
           std::string("scrypt"),
           "bcrypt$1024$8$1$" + salt + "$" + hash,
           "scrypt$1000$8$1$" + salt + "$" + hash,     // N not a power of two
           "scrypt$2097152$8$1$" + salt + "$" + hash,  // N = 2^21: too much memory
           "scrypt$1024$0$1$" + salt + "$" + hash,     // r = 0
           "scrypt$1024$8$17$" + salt + "$" + hash,    // p too large
           "scrypt$01024$8$1$" + salt + "$" + hash,    // leading zero
           "scrypt$-1024$8$1$" + salt + "$" + hash,
           "scrypt$1024$8$1$" + salt + "$" + hash + "$extra",
           "scrypt$1024$8$1$not base64!$" + hash,
           "scrypt$1024$8$1$" + salt + "$" + Base64Encode("short"),
       }) {
    EXPECT_EQ(VerifyPassword("x", bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(HashPassword("x", ScryptParams{1 << 21, 8, 1}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(HashPassword("x", ScryptParams{3, 8, 1}).status().code(), StatusCode::kInvalidArgument);
}

TEST(PasswordTest, AnyBytesAsPassword) {
  for (std::string pw : {std::string(""), std::string("한글 비밀번호"), std::string("a\0b", 3),
                         std::string(1000, 'x'), std::string("'; DROP TABLE users; --")}) {
    auto h = HashPassword(pw, kFast);
    ASSERT_TRUE(h.ok());
    EXPECT_TRUE(VerifyPassword(pw, *h).ok());
    EXPECT_FALSE(VerifyPassword(pw + "!", *h).ok());
  }
  // Bytes after a NUL count.
  auto h = HashPassword(std::string("a\0b", 3), kFast);
  EXPECT_FALSE(VerifyPassword(std::string("a\0c", 3), *h).ok());
  EXPECT_FALSE(VerifyPassword("a", *h).ok());
}

TEST(PasswordTest, Base64MatchesRfc4648) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, enc] : vectors) {
    EXPECT_EQ(Base64Encode(plain), enc);
    EXPECT_EQ(*Base64Decode(enc), plain);
    std::string url = enc.substr(0, enc.find('='));
    EXPECT_EQ(Base64Encode(plain, true), url);
    EXPECT_EQ(*Base64Decode(url, true), plain);
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(*Base64Decode(Base64Encode(all)), all);
  EXPECT_EQ(*Base64Decode(Base64Encode(all, true), true), all);
  EXPECT_EQ(Base64Encode("\xfb\xff", false), "+/8=");
  EXPECT_EQ(Base64Encode("\xfb\xff", true), "-_8");
  for (const char* bad : {"Zg=", "Zm9v!", "Zh==", "Z===", "Zg==Zg==", "-_8="}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
  EXPECT_FALSE(Base64Decode("+/8", true).ok());
  EXPECT_FALSE(Base64Decode("Zg==", true).ok());
  EXPECT_FALSE(Base64Decode(std::string("Zg\0=", 4)).ok());
}

TEST(PasswordTest, TokensAreRandomUrlSafeAndStoredHashed) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string t = NewToken("at_");
    ASSERT_EQ(t.size(), 3u + 43u);
    ASSERT_TRUE(t.starts_with("at_"));
    ASSERT_EQ(Base64Decode(t.substr(3), true)->size(), 32u);
    for (char c : t.substr(3))
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    EXPECT_TRUE(seen.insert(t).second);
  }
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashToken("at_x").size(), 64u);
}

}  // namespace
}  // namespace carledger::store
