// common/crc32c: CRC-32C (Castagnoli) as used by the block files.
#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace carledger {
namespace {

// Bit-at-a-time reference (reflected polynomial 0x82F63B78).
uint32_t Reference(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return ~crc;
}

TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0x00000000u);
  // RFC 3720 (iSCSI) B.4 test patterns.
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
  std::string inc, dec;
  for (int i = 0; i < 32; ++i) {
    inc.push_back(static_cast<char>(i));
    dec.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(Crc32c(inc), 0x46DD794Eu);
  EXPECT_EQ(Crc32c(dec), 0x113FDB5Cu);
}

TEST(Crc32cTest, MatchesBitwiseReferenceAtEveryLengthAndAlignment) {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  for (size_t start = 0; start < 4; ++start) {
    for (size_t len = 0; len + start <= 67; ++len) {
      std::string_view v(data.data() + start, len);
      EXPECT_EQ(Crc32c(v), Reference(v)) << start << "+" << len;
    }
  }
  EXPECT_EQ(Crc32c(data), Reference(data));
}

TEST(Crc32cTest, DetectsSingleBitFlips) {
  std::string data = "a block record payload of some length";
  uint32_t good = Crc32c(data);
  for (size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string d = data;
      d[i] = static_cast<char>(d[i] ^ (1 << bit));
      EXPECT_NE(Crc32c(d), good) << i << ":" << bit;
    }
  }
}

}  // namespace
}  // namespace carledger
