#include "service/store/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <vector>

#include "common/crypto.h"

namespace carledger::store {

namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Status CheckParams(const ScryptParams& p) {
  bool pow2 = p.n >= 2 && (p.n & (p.n - 1)) == 0;
  if (!pow2 || p.n > (uint64_t{1} << 20) || p.r < 1 || p.r > 32 || p.p < 1 || p.p > 16) {
    return Status::InvalidArgument("scrypt parameters out of bounds (N=" + std::to_string(p.n) +
                                   " r=" + std::to_string(p.r) + " p=" + std::to_string(p.p) + ")");
  }
  return Status::Ok();
}

Result<std::string> Scrypt(std::string_view password, std::string_view salt, const ScryptParams& p,
                           size_t out_len) {
  std::string out(out_len, '\0');
  // scrypt needs 128 * r * (N + p) bytes; allow that plus slack.
  uint64_t maxmem = 128 * p.r * (p.n + p.p) + (uint64_t{1} << 20);
  const char* pass = password.empty() ? "" : password.data();
  if (EVP_PBE_scrypt(pass, password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                     salt.size(), p.n, p.r, p.p, maxmem,
                     reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
    return Status::Internal("scrypt failed: " + OpenSslError());
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t i = s.find(sep, start);
    parts.push_back(
        s.substr(start, i == std::string_view::npos ? std::string_view::npos : i - start));
    if (i == std::string_view::npos) return parts;
    start = i + 1;
  }
}

bool ParseU64(std::string_view s, uint64_t* v) {
  if (s.empty() || s.size() > 10 || s[0] == '0') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string Base64Encode(std::string_view data, bool url) {
  const char* alphabet = url ? kUrl : kStd;
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out.push_back(alphabet[(v >> k) & 63]);
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = uint8_t(data[i]) << 16;
    if (rest == 2) v |= uint8_t(data[i + 1]) << 8;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
    if (!url) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text, bool url) {
  const char* alphabet = url ? kUrl : kStd;
  auto bad = [] { return Status::InvalidArgument("malformed base64"); };
  if (!url) {
    if (text.size() % 4 != 0) return bad();
    size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    text.remove_suffix(pad);
  } else if (text.size() % 4 == 1) {
    return bad();
  }
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const char* p = c == '\0' ? nullptr : std::char_traits<char>::find(alphabet, 64, c);
    if (p == nullptr) return bad();
    acc = (acc << 6) | static_cast<uint32_t>(p - alphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, so every byte string has exactly one encoding.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return bad();
  return out;
}

Result<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  CL_RETURN_IF_ERROR(CheckParams(params));
  std::string salt = RandomBytes(kSaltBytes);
  CL_ASSIGN_OR_RETURN(std::string hash, Scrypt(password, salt, params, kHashBytes));
  return "scrypt$" + std::to_string(params.n) + "$" + std::to_string(params.r) + "$" +
         std::to_string(params.p) + "$" + Base64Encode(salt) + "$" + Base64Encode(hash);
}

Status VerifyPassword(std::string_view password, std::string_view encoded) {
  auto malformed = [](const std::string& why) {
    return Status::InvalidArgument("malformed password hash: " + why);
  };
  auto parts = Split(encoded, '$');
  if (parts.size() != 6 || parts[0] != "scrypt")
    return malformed("expected scrypt$N$r$p$salt$hash");
  ScryptParams p;
  if (!ParseU64(parts[1], &p.n) || !ParseU64(parts[2], &p.r) || !ParseU64(parts[3], &p.p)) {
    return malformed("N, r and p must be decimal integers");
  }
  CL_RETURN_IF_ERROR(CheckParams(p));
  auto salt = Base64Decode(parts[4]);
  auto want = Base64Decode(parts[5]);
  if (!salt.ok() || !want.ok()) return malformed("salt and hash must be base64");
  if (salt->size() < 4 || salt->size() > 64) return malformed("salt must be 4 to 64 bytes");
  if (want->size() < 16 || want->size() > 64) return malformed("hash must be 16 to 64 bytes");
  CL_ASSIGN_OR_RETURN(std::string got, Scrypt(password, *salt, p, want->size()));
  if (CRYPTO_memcmp(got.data(), want->data(), got.size()) != 0) {
    return Status::Unauthenticated("wrong password");
  }
  return Status::Ok();
}

std::string NewToken(std::string_view prefix) {
  return std::string(prefix) + Base64Encode(RandomBytes(32), /*url=*/true);
}

std::string HashToken(std::string_view token) {
  return ToHex(Sha256(token));
}

}  // namespace carledger::store
