// common/json: canonical integer-only JSON.
#include "common/json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace carledger {
namespace {

Json MustParse(std::string_view text) {
  auto j = Json::Parse(text);
  EXPECT_TRUE(j.ok()) << text << ": " << j.status().ToString();
  return j.ok() ? *j : Json();
}

// The parse error message for `text` (empty if it parsed).
std::string ParseError(std::string_view text) {
  auto j = Json::Parse(text);
  if (j.ok()) return "";
  EXPECT_EQ(j.status().code(), StatusCode::kInvalidArgument) << text;
  return j.status().message();
}

TEST(JsonTest, DumpIsCanonicalWithSortedKeys) {
  Json j = MustParse(
      R"( { "zeta" : 1, "alpha" : [ true, false, null, "s" ], "mid" : { "b" : -2, "a" : {} } } )");
  EXPECT_EQ(j.Dump(), R"({"alpha":[true,false,null,"s"],"mid":{"a":{},"b":-2},"zeta":1})");
  // Keys inserted in any order dump the same.
  Json a = Json::MakeObject();
  a["b"] = 1;
  a["a"] = 2;
  Json b = Json::MakeObject();
  b["a"] = 2;
  b["b"] = 1;
  EXPECT_EQ(a.Dump(), b.Dump());
  EXPECT_EQ(a.Dump(), R"({"a":2,"b":1})");
}

TEST(JsonTest, RoundTripIsStable) {
  for (const char* text :
       {R"({"a":[1,2,{"b":"c"}],"d":null})", "[]", "{}", R"("just a string")", "0", "-1", "true",
        "null", R"({"nested":[[[[]]]],"x":"\u00e9\n\t\"\\"})"}) {
    Json once = MustParse(text);
    std::string dumped = once.Dump();
    Json twice = MustParse(dumped);
    EXPECT_EQ(once, twice) << text;
    EXPECT_EQ(twice.Dump(), dumped) << text;
  }
}

TEST(JsonTest, StringEscapesInDump) {
  Json s(std::string("q\"b\\n\nt\tc\x01z\x1f", 12));
  EXPECT_EQ(s.Dump(), R"("q\"b\\n\nt\tc\u0001z\u001f")");
  EXPECT_EQ(MustParse(s.Dump()), s);
  std::string out;
  AppendJsonString(&out, "a\"b");
  EXPECT_EQ(out, R"("a\"b")");
}

TEST(JsonTest, Int64Bounds) {
  Json max = MustParse("9223372036854775807");
  ASSERT_TRUE(max.is_int());
  EXPECT_EQ(max.as_int(), std::numeric_limits<int64_t>::max());
  Json min = MustParse("-9223372036854775808");
  ASSERT_TRUE(min.is_int());
  EXPECT_EQ(min.as_int(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(min.Dump(), "-9223372036854775808");
  EXPECT_EQ(MustParse("-0").as_int(), 0);

  for (const char* big : {"9223372036854775808", "-9223372036854775809", "99999999999999999999",
                          "[1,18446744073709551616]"}) {
    std::string e = ParseError(big);
    EXPECT_NE(e.find("out of the 64-bit range"), std::string::npos) << big << ": " << e;
  }
}

TEST(JsonTest, FloatsAndExponentsAreRejectedClearly) {
  for (const char* f :
       {"1.5", "0.0", "-2.25", "1e5", "1E5", "2e-3", R"({"price":10000.0})", "[1,2.5]"}) {
    std::string e = ParseError(f);
    EXPECT_NE(e.find("only integers are allowed"), std::string::npos) << f << ": " << e;
    EXPECT_NE(e.find("invalid JSON at byte"), std::string::npos) << e;
  }
  EXPECT_NE(ParseError("01").find("leading zeros"), std::string::npos);
  EXPECT_NE(ParseError("-").find("expected a digit"), std::string::npos);
  EXPECT_NE(ParseError("+1"), "");
  EXPECT_NE(ParseError(".5"), "");
}

TEST(JsonTest, DuplicateKeysAreRejected) {
  std::string e = ParseError(R"({"a":1,"b":2,"a":3})");
  EXPECT_NE(e.find("duplicate member name"), std::string::npos) << e;
  // The same key at different levels is fine.
  EXPECT_TRUE(Json::Parse(R"({"a":{"a":1}})").ok());
}

TEST(JsonTest, NestingDepthLimit) {
  auto nested = [](int depth) {
    return std::string(static_cast<size_t>(depth), '[') + "1" +
           std::string(static_cast<size_t>(depth), ']');
  };
  EXPECT_TRUE(Json::Parse(nested(64)).ok());
  std::string e = ParseError(nested(65));
  EXPECT_NE(e.find("nesting deeper than 64"), std::string::npos) << e;
  EXPECT_NE(ParseError(nested(100000)).find("nesting deeper than 64"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 70; ++i) objects += "{\"a\":";
  objects += "1" + std::string(70, '}');
  EXPECT_NE(ParseError(objects).find("nesting deeper than 64"), std::string::npos);
}

TEST(JsonTest, TrailingDataAndTruncation) {
  EXPECT_NE(ParseError("1 2").find("unexpected data after the JSON value"), std::string::npos);
  EXPECT_NE(ParseError("{} x").find("unexpected data"), std::string::npos);
  EXPECT_NE(ParseError("truex").find("unexpected data"), std::string::npos);
  EXPECT_TRUE(Json::Parse("  {}\n\t ").ok());
  for (const char* t : {"", "   ", "{", "[1,", R"({"a")", R"({"a":)", R"("abc)", "[1 2]",
                        R"({"a" 1})", "{,}", "[1,]", R"({"a":1,})", "nul", "tru", "{1:2}"}) {
    EXPECT_NE(ParseError(t), "") << t;
  }
}

TEST(JsonTest, UnicodeEscapes) {
  EXPECT_EQ(MustParse(R"("\u0041")").as_string(), "A");
  EXPECT_EQ(MustParse(R"("\u00e9")").as_string(), "\xc3\xa9");
  EXPECT_EQ(MustParse(R"("\uAC00")").as_string(), "\xea\xb0\x80");            // 가
  EXPECT_EQ(MustParse(R"("\ud83d\ude97")").as_string(), "\xf0\x9f\x9a\x97");  // U+1F697 car
  EXPECT_EQ(MustParse(R"("\uD83D\uDE97")").as_string(), "\xf0\x9f\x9a\x97");
  EXPECT_EQ(MustParse(R"("\u0000")").as_string(), std::string(1, '\0'));
  EXPECT_EQ(MustParse(R"("\/\b\f\r")").as_string(), "/\b\f\r");
  // Raw UTF-8 passes through.
  EXPECT_EQ(MustParse("\"\xea\xb0\x80\"").as_string(), "\xea\xb0\x80");

  EXPECT_NE(ParseError(R"("\ud83d")").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\ud83dx")").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\ud83d\u0041")").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\ude97")").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(ParseError(R"("\u12")").find("escape"), std::string::npos);
  EXPECT_NE(ParseError(R"("\u12G4")").find("bad \\u escape"), std::string::npos);
  EXPECT_NE(ParseError(R"("\x")").find("unknown escape"), std::string::npos);
}

TEST(JsonTest, ControlCharactersMustBeEscaped) {
  for (char c : {'\n', '\t', '\r', '\x01', '\x1f', '\0'}) {
    std::string text = std::string("\"a") + c + "b\"";
    EXPECT_NE(ParseError(text).find("control character"), std::string::npos) << static_cast<int>(c);
  }
  EXPECT_TRUE(Json::Parse("\"a\x7f"
                          "b\"")
                  .ok());
}

TEST(JsonTest, AccessorsAndDefaults) {
  Json j = MustParse(R"({"s":"x","i":7,"b":true,"n":null,"a":[1]})");
  EXPECT_EQ(j.get_string("s"), "x");
  EXPECT_EQ(j.get_string("i", "def"), "def");
  EXPECT_EQ(j.get_int("i"), 7);
  EXPECT_EQ(j.get_int("s", -1), -1);
  EXPECT_TRUE(j.get_bool("b"));
  EXPECT_TRUE(j.get_bool("missing", true));
  EXPECT_TRUE(j.has("n"));
  EXPECT_TRUE(j.get("n").is_null());
  EXPECT_FALSE(j.has("missing"));
  EXPECT_TRUE(j.get("missing").is_null());
  EXPECT_TRUE(Json(5).get("x").is_null());
  Json built;
  built["k"].push_back(1);
  built["k"].push_back("two");
  EXPECT_EQ(built.Dump(), R"({"k":[1,"two"]})");
  EXPECT_EQ(built.Pretty(2), "{\n  \"k\": [\n    1,\n    \"two\"\n  ]\n}");
}

}  // namespace
}  // namespace carledger
