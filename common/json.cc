#include "common/json.h"

#include <cstdio>

namespace carledger {

Json& Json::operator[](const std::string& key) {
  if (is_null()) v_ = Object{};
  return std::get<Object>(v_)[key];
}

const Json& Json::get(const std::string& key) const {
  static const Json kNull;
  if (!is_object()) return kNull;
  const auto& o = as_object();
  auto it = o.find(key);
  return it == o.end() ? kNull : it->second;
}

bool Json::has(const std::string& key) const {
  return is_object() && as_object().count(key) > 0;
}

std::string Json::get_string(const std::string& key, const std::string& def) const {
  const Json& v = get(key);
  return v.is_string() ? v.as_string() : def;
}
int64_t Json::get_int(const std::string& key, int64_t def) const {
  const Json& v = get(key);
  return v.is_int() ? v.as_int() : def;
}
bool Json::get_bool(const std::string& key, bool def) const {
  const Json& v = get(key);
  return v.is_bool() ? v.as_bool() : def;
}

void Json::push_back(Json v) {
  if (is_null()) v_ = Array{};
  std::get<Array>(v_).push_back(std::move(v));
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  // Copy runs of plain bytes at once; only quotes, backslashes and control bytes escape.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out->append(buf);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void Json::DumpTo(std::string* out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent <= 0) return;
    out->push_back('\n');
    out->append(static_cast<size_t>(indent * d), ' ');
  };
  if (is_null()) {
    out->append("null");
  } else if (is_bool()) {
    out->append(as_bool() ? "true" : "false");
  } else if (is_int()) {
    out->append(std::to_string(as_int()));
  } else if (is_string()) {
    AppendJsonString(out, as_string());
  } else if (is_array()) {
    const auto& a = as_array();
    out->push_back('[');
    for (size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out->push_back(',');
      newline(depth + 1);
      a[i].DumpTo(out, indent, depth + 1);
    }
    if (!a.empty()) newline(depth);
    out->push_back(']');
  } else {
    const auto& o = as_object();
    out->push_back('{');
    bool first = true;
    for (const auto& [k, v] : o) {
      if (!first) out->push_back(',');
      first = false;
      newline(depth + 1);
      AppendJsonString(out, k);
      out->push_back(':');
      if (indent > 0) out->push_back(' ');
      v.DumpTo(out, indent, depth + 1);
    }
    if (!o.empty()) newline(depth);
    out->push_back('}');
  }
}

std::string Json::Dump() const {
  std::string out;
  DumpTo(&out, 0, 0);
  return out;
}

std::string Json::Pretty(int indent) const {
  std::string out;
  DumpTo(&out, indent, 0);
  return out;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Result<Json> ParseDocument() {
    Json v;
    CL_RETURN_IF_ERROR(ParseValue(&v, 0));
    SkipSpace();
    if (pos_ != t_.size()) return Error("unexpected data after the JSON value");
    return v;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::InvalidArgument("invalid JSON at byte " + std::to_string(pos_) + ": " + what);
  }
  void SkipSpace() {
    while (pos_ < t_.size() &&
           (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Consume(std::string_view lit) {
    if (t_.substr(pos_, lit.size()) == lit) {
      pos_ += lit.size();
      return true;
    }
    return false;
  }

  Status ParseValue(Json* out, int depth) {
    if (depth > 64) return Error("nesting deeper than 64");
    SkipSpace();
    if (pos_ >= t_.size()) return Error("unexpected end of input");
    char c = t_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      std::string s;
      CL_RETURN_IF_ERROR(ParseString(&s));
      *out = Json(std::move(s));
      return Status::Ok();
    }
    if (Consume("true")) {
      *out = Json(true);
      return Status::Ok();
    }
    if (Consume("false")) {
      *out = Json(false);
      return Status::Ok();
    }
    if (Consume("null")) {
      *out = Json(nullptr);
      return Status::Ok();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    return Error(std::string("unexpected character '") + c + "'");
  }

  Status ParseNumber(Json* out) {
    size_t start = pos_;
    bool neg = false;
    if (t_[pos_] == '-') {
      neg = true;
      ++pos_;
    }
    if (pos_ >= t_.size() || t_[pos_] < '0' || t_[pos_] > '9') return Error("expected a digit");
    if (t_[pos_] == '0' && pos_ + 1 < t_.size() && t_[pos_ + 1] >= '0' && t_[pos_ + 1] <= '9') {
      return Error("leading zeros are not allowed");
    }
    // Accumulate as a negative number so INT64_MIN parses.
    int64_t v = 0;
    while (pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '9') {
      int d = t_[pos_] - '0';
      if (v < (INT64_MIN + d) / 10) {
        pos_ = start;
        return Error("integer out of the 64-bit range");
      }
      v = v * 10 - d;
      ++pos_;
    }
    if (pos_ < t_.size() && (t_[pos_] == '.' || t_[pos_] == 'e' || t_[pos_] == 'E')) {
      return Error("only integers are allowed (amounts are whole won)");
    }
    if (!neg) {
      if (v == INT64_MIN) {
        pos_ = start;
        return Error("integer out of the 64-bit range");
      }
      v = -v;
    }
    *out = Json(v);
    return Status::Ok();
  }

  Status ParseHex4(uint32_t* cp) {
    if (pos_ + 4 > t_.size()) return Error("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = t_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<uint32_t>(c - 'A' + 10);
      else
        return Error("bad \\u escape");
    }
    *cp = v;
    return Status::Ok();
  }

  static void AppendUtf8(std::string* s, uint32_t cp) {
    if (cp < 0x80) {
      s->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  Status ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= t_.size()) return Error("unterminated string");
      char c = t_[pos_++];
      if (c == '"') return Status::Ok();
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= t_.size()) return Error("unterminated escape");
      char e = t_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          CL_RETURN_IF_ERROR(ParseHex4(&cp));
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!Consume("\\u")) return Error("unpaired surrogate");
            uint32_t lo = 0;
            CL_RETURN_IF_ERROR(ParseHex4(&lo));
            if (lo < 0xDC00 || lo > 0xDFFF) return Error("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Error("unpaired surrogate");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return Error("unknown escape");
      }
    }
  }

  Status ParseArray(Json* out, int depth) {
    ++pos_;
    Json::Array a;
    SkipSpace();
    if (Consume("]")) {
      *out = Json(std::move(a));
      return Status::Ok();
    }
    while (true) {
      Json v;
      CL_RETURN_IF_ERROR(ParseValue(&v, depth + 1));
      a.push_back(std::move(v));
      SkipSpace();
      if (Consume(",")) continue;
      if (Consume("]")) break;
      return Error("expected ',' or ']'");
    }
    *out = Json(std::move(a));
    return Status::Ok();
  }

  Status ParseObject(Json* out, int depth) {
    ++pos_;
    Json::Object o;
    SkipSpace();
    if (Consume("}")) {
      *out = Json(std::move(o));
      return Status::Ok();
    }
    while (true) {
      SkipSpace();
      if (pos_ >= t_.size() || t_[pos_] != '"') return Error("expected a member name");
      std::string key;
      CL_RETURN_IF_ERROR(ParseString(&key));
      SkipSpace();
      if (!Consume(":")) return Error("expected ':'");
      Json v;
      CL_RETURN_IF_ERROR(ParseValue(&v, depth + 1));
      if (!o.emplace(std::move(key), std::move(v)).second) return Error("duplicate member name");
      SkipSpace();
      if (Consume(",")) continue;
      if (Consume("}")) break;
      return Error("expected ',' or '}'");
    }
    *out = Json(std::move(o));
    return Status::Ok();
  }

  std::string_view t_;
  size_t pos_ = 0;
};

}  // namespace

Result<Json> Json::Parse(std::string_view text) {
  return Parser(text).ParseDocument();
}

}  // namespace carledger
