// A small JSON value for contract arguments, contract state and CLI output.
// Deliberately narrower than JSON: numbers are 64-bit integers only (money is an
// integer number of won; a float would make contract execution platform-dependent),
// objects keep their keys sorted, so Dump() is canonical and byte-identical on every node.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace carledger {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::map<std::string, Json>;

  Json() : v_(nullptr) {}
  Json(std::nullptr_t) : v_(nullptr) {}            // NOLINT
  Json(bool b) : v_(b) {}                          // NOLINT
  Json(int v) : v_(static_cast<int64_t>(v)) {}     // NOLINT
  Json(int64_t v) : v_(v) {}                       // NOLINT
  Json(uint32_t v) : v_(static_cast<int64_t>(v)) {}  // NOLINT
  Json(const char* s) : v_(std::string(s)) {}      // NOLINT
  Json(std::string s) : v_(std::move(s)) {}        // NOLINT
  Json(std::string_view s) : v_(std::string(s)) {}  // NOLINT
  Json(Array a) : v_(std::move(a)) {}              // NOLINT
  Json(Object o) : v_(std::move(o)) {}             // NOLINT

  static Json MakeObject() { return Json(Object{}); }
  static Json MakeArray() { return Json(Array{}); }

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_array() const { return std::holds_alternative<Array>(v_); }
  bool is_object() const { return std::holds_alternative<Object>(v_); }

  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object member access; operator[] on a null value turns it into an object.
  Json& operator[](const std::string& key);
  // Member or a shared null when absent (or when this is not an object).
  const Json& get(const std::string& key) const;
  bool has(const std::string& key) const;
  // Typed getters with defaults, for reading optional fields.
  std::string get_string(const std::string& key, const std::string& def = "") const;
  int64_t get_int(const std::string& key, int64_t def = 0) const;
  bool get_bool(const std::string& key, bool def = false) const;
  void push_back(Json v);

  // Canonical compact text (sorted keys, no spaces).
  std::string Dump() const;
  // Indented text for people.
  std::string Pretty(int indent = 2) const;

  // Parses JSON text. Floats, exponents, duplicate keys, invalid UTF-8 escapes, nesting
  // deeper than 64 and trailing data are INVALID_ARGUMENT with the byte offset.
  static Result<Json> Parse(std::string_view text);

  bool operator==(const Json& other) const { return v_ == other.v_; }

 private:
  void DumpTo(std::string* out, int indent, int depth) const;
  std::variant<std::nullptr_t, bool, int64_t, std::string, Array, Object> v_;
};

// Appends `s` as a JSON string literal (quoted, escaped) to `out`.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace carledger
