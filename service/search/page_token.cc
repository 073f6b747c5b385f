// Page token encoding (see page_token.h).
#include "service/search/page_token.h"

namespace carledger::search {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kVersion = 1;
constexpr size_t kHeader = 1 + 8 + 8;
constexpr size_t kMaxVin = 64;
constexpr size_t kMaxToken = 4 * (kHeader + kMaxVin) / 3 + 4;

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

void PutU64(std::string* out, uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out->push_back(static_cast<char>((v >> s) & 0xff));
}

uint64_t GetU64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

Status Malformed(const std::string& why) {
  return Status::InvalidArgument("page_token: malformed (" + why +
                                 "); use the next_page_token of a previous page or leave it empty");
}

}  // namespace

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t v = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return Status::InvalidArgument("bad length");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = Sextet(c);
    if (v < 0) return Status::InvalidArgument("not base64url");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Canonical form only: the unused low bits of the last character must be zero.
  if ((acc & ((1u << bits) - 1)) != 0) return Status::InvalidArgument("non-canonical");
  return out;
}

std::string EncodePageToken(uint64_t fingerprint, const PageCursor& cursor) {
  std::string raw;
  raw.reserve(kHeader + cursor.vin.size());
  raw.push_back(static_cast<char>(kVersion));
  PutU64(&raw, fingerprint);
  PutU64(&raw, static_cast<uint64_t>(cursor.key));
  raw += cursor.vin;
  return Base64UrlEncode(raw);
}

Result<PageCursor> DecodePageToken(std::string_view token, uint64_t fingerprint) {
  if (token.size() > kMaxToken) return Malformed("too long");
  auto raw = Base64UrlDecode(token);
  if (!raw.ok()) return Malformed(raw.status().message());
  if (raw->size() <= kHeader) return Malformed("too short");
  if (static_cast<uint8_t>((*raw)[0]) != kVersion) return Malformed("unknown version");
  std::string_view r(*raw);
  PageCursor cursor;
  cursor.key = static_cast<int64_t>(GetU64(r.substr(9)));
  cursor.vin = std::string(r.substr(kHeader));
  if (GetU64(r.substr(1)) != fingerprint) {
    return Status::InvalidArgument(
        "page_token: does not match this query (it was made for other filters or another "
        "sort; start again without a page_token)");
  }
  return cursor;
}

}  // namespace carledger::search
