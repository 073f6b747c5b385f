// Validation of account fields (internal to the store). Every failure is INVALID_ARGUMENT
// whose message starts with the field's name ("phone: ..."), so a form can mark the field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace carledger::store::fields {

// Length of valid UTF-8 `s` in code points; -1 if `s` is not valid UTF-8.
int64_t Utf8Length(std::string_view s);

// Free text: valid UTF-8, no control characters (newlines only if `multiline`), between
// `min_chars` and `max_chars` code points, and (when min_chars > 0) not only spaces.
Status CheckText(std::string_view field, std::string_view value, int64_t min_chars,
                 int64_t max_chars, bool multiline = false);

// A login id in canonical form: ASCII letters folded to lower case; 3 to 32 characters of
// a-z, 0-9, '.', '_', '-' or Hangul syllables, starting with a letter or digit.
Result<std::string> NormalizeId(std::string_view field, std::string_view id);

// 8 to 128 characters of valid UTF-8, not equal to the id.
Status CheckPassword(std::string_view password, std::string_view id);

// Digits with an optional leading '+' and '-' separators; 8 to 15 digits.
Status CheckPhone(std::string_view phone);

// A key fingerprint: 64 lower-case hex digits.
Status CheckFingerprint(std::string_view field, std::string_view fingerprint);

// Unix milliseconds as "2026-03-01T00:15:00Z" (for messages people read).
std::string FormatTimeMs(int64_t unix_ms);

// Joins the non-OK statuses' messages with "; " into one INVALID_ARGUMENT (OK if none).
Status Collect(std::initializer_list<Status> checks);

}  // namespace carledger::store::fields
