#include "service/store/account_fields.h"

#include <chrono>
#include <cstdio>
#include <vector>

namespace carledger::store::fields {

namespace {

// Decodes UTF-8 strictly (no overlongs, no surrogates, nothing above U+10FFFF).
bool Decode(std::string_view s, std::vector<char32_t>* out) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
      unsigned char cc = s[i + k];
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    out->push_back(cp);
    i += len;
  }
  return true;
}

bool IsHangulSyllable(char32_t c) {
  return c >= 0xac00 && c <= 0xd7a3;
}

}  // namespace

int64_t Utf8Length(std::string_view s) {
  std::vector<char32_t> cps;
  return Decode(s, &cps) ? static_cast<int64_t>(cps.size()) : -1;
}

Status CheckText(std::string_view field, std::string_view value, int64_t min_chars,
                 int64_t max_chars, bool multiline) {
  std::string f(field);
  std::vector<char32_t> cps;
  if (!Decode(value, &cps)) return Status::InvalidArgument(f + ": must be valid UTF-8");
  bool blank = true;
  for (char32_t c : cps) {
    if ((c < 0x20 && !(multiline && c == '\n')) || (c >= 0x7f && c < 0xa0)) {
      return Status::InvalidArgument(f + ": must not contain control characters");
    }
    if (c != ' ' && c != '\n' && c != 0x3000) blank = false;
  }
  if (min_chars > 0 && (cps.empty() || blank)) return Status::InvalidArgument(f + ": required");
  int64_t n = static_cast<int64_t>(cps.size());
  if (n < min_chars) {
    return Status::InvalidArgument(f + ": must be at least " + std::to_string(min_chars) +
                                   " characters");
  }
  if (n > max_chars) {
    return Status::InvalidArgument(f + ": must be at most " + std::to_string(max_chars) +
                                   " characters");
  }
  return Status::Ok();
}

Result<std::string> NormalizeId(std::string_view field, std::string_view id) {
  std::string f(field);
  if (id.empty()) return Status::InvalidArgument(f + ": required");
  std::vector<char32_t> cps;
  if (!Decode(id, &cps)) return Status::InvalidArgument(f + ": must be valid UTF-8");
  if (cps.size() < 3 || cps.size() > 32) {
    return Status::InvalidArgument(f + ": must be 3 to 32 characters");
  }
  std::string out(id);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i] >= 'A' && cps[i] <= 'Z' ? cps[i] - 'A' + 'a' : cps[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || IsHangulSyllable(c);
    bool punct = c == '.' || c == '_' || c == '-';
    if (!alnum && !(punct && i > 0)) {
      return Status::InvalidArgument(
          f +
          ": may contain only letters (a-z or Hangul), digits, '.', '_' and '-', and must "
          "start with a letter or digit");
    }
  }
  return out;
}

Status CheckPassword(std::string_view password, std::string_view id) {
  if (password.empty()) return Status::InvalidArgument("password: required");
  int64_t n = Utf8Length(password);
  if (n < 0) return Status::InvalidArgument("password: must be valid UTF-8");
  if (n < 8) return Status::InvalidArgument("password: must be at least 8 characters");
  if (n > 128) return Status::InvalidArgument("password: must be at most 128 characters");
  if (password == id) return Status::InvalidArgument("password: must not be the same as id");
  return Status::Ok();
}

Status CheckPhone(std::string_view phone) {
  if (phone.empty()) return Status::InvalidArgument("phone: required");
  size_t digits = 0;
  bool ok = true;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!((c == '+' && i == 0) || (c == '-' && i > 0 && phone[i - 1] != '-' &&
                                          phone[i - 1] != '+' && i + 1 < phone.size()))) {
      ok = false;
    }
  }
  if (!ok || digits < 8 || digits > 15) {
    return Status::InvalidArgument(
        "phone: must be digits (8 to 15), optionally with a leading '+' and '-' between digits");
  }
  return Status::Ok();
}

Status CheckFingerprint(std::string_view field, std::string_view fp) {
  bool ok = fp.size() == 64;
  for (char c : fp) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) {
    return Status::InvalidArgument(std::string(field) +
                                   ": must be the key's fingerprint, 64 lower-case hex digits");
  }
  return Status::Ok();
}

std::string FormatTimeMs(int64_t unix_ms) {
  using namespace std::chrono;
  sys_seconds tp{duration_cast<seconds>(milliseconds(unix_ms))};
  auto day = floor<days>(tp);
  year_month_day ymd(day);
  hh_mm_ss<seconds> hms(tp - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Status Collect(std::initializer_list<Status> checks) {
  std::string m;
  for (const Status& s : checks) {
    if (s.ok()) continue;
    if (!m.empty()) m += "; ";
    m += s.message();
  }
  return m.empty() ? Status::Ok() : Status::InvalidArgument(m);
}

}  // namespace carledger::store::fields
