// The encodings behind search paging: the order-preserving VIN code that breaks sort ties
// cheaply, and base64url page tokens.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/search/listing_store.h"
#include "service/search/page_token.h"

namespace carledger::search {
namespace {

TEST(VinCodeTest, OrderMatchesStringOrder) {
  using internal::CompareVin;
  using internal::EncodeVin;
  const std::vector<std::string> vins = {"",
                                         "0",
                                         "00",
                                         "1",
                                         "A",
                                         "AB",
                                         "ABC",
                                         "AB0",
                                         "ab",
                                         "a",
                                         "KMH0001",
                                         "KMH0001a",
                                         "KMH0001b",
                                         "KMH0001/",
                                         "KMH0001:",
                                         "KMH0001@",
                                         "KMH0001[",
                                         "Z",
                                         "ZZ",
                                         std::string(21, 'Z'),
                                         std::string(22, 'Z'),
                                         std::string(21, 'Z') + "A",
                                         "KMHD341CBHU000001",
                                         "KMHD341CBHU000002",
                                         "1M8GDM9AXKP042788"};
  for (const auto& a : vins) {
    for (const auto& b : vins) {
      int want = a < b ? -1 : (a > b ? 1 : 0);
      EXPECT_EQ(CompareVin(EncodeVin(a), a, EncodeVin(b), b), want) << a << " vs " << b;
      // The code alone never contradicts the string order.
      auto ca = EncodeVin(a), cb = EncodeVin(b);
      bool code_less = ca.hi < cb.hi || (ca.hi == cb.hi && ca.lo < cb.lo);
      if (code_less) {
        EXPECT_LT(a, b) << a << " vs " << b;
      }
    }
  }
}

TEST(PageTokenTest, RoundTripAndBase64Url) {
  PageCursor c{-123456789, "KMHD341CBHU000001"};
  std::string t = EncodePageToken(0xfeedface, c);
  auto back = DecodePageToken(t, 0xfeedface);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->key, c.key);
  EXPECT_EQ(back->vin, c.vin);
  EXPECT_FALSE(DecodePageToken(t, 0xfeedfacf).ok());
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto d = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("-_9").ok());  // non-zero unused bits
}

}  // namespace
}  // namespace carledger::search
