// Password hashing (scrypt, through OpenSSL 3) and opaque bearer tokens.
//
// A password hash is a self-describing string, "scrypt$N$r$p$<salt>$<hash>" (base64), so
// the cost parameters can be raised later without invalidating stored hashes: verification
// reads them back from the string (within sane bounds, so a tampered row cannot make the
// server allocate gigabytes). Tokens are 32 random bytes in base64url; the database keeps
// only their SHA-256, so a leaked table does not leak usable tokens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace carledger::store {

struct ScryptParams {
  uint64_t n = uint64_t{1} << 15;  // CPU/memory cost: a power of two
  uint64_t r = 8;                  // block size
  uint64_t p = 1;                  // parallelism
};

// Hashes `password` with scrypt, a fresh random 16-byte salt and a 32-byte output.
// INVALID_ARGUMENT when `params` is out of bounds (N a power of two in [2, 2^20], r in
// [1, 32], p in [1, 16]).
Result<std::string> HashPassword(std::string_view password, const ScryptParams& params = {});

// OK when `password` matches `encoded` (compared in constant time); UNAUTHENTICATED when it
// does not; INVALID_ARGUMENT when `encoded` is not a well-formed hash within the bounds.
Status VerifyPassword(std::string_view password, std::string_view encoded);

// A fresh bearer token: `prefix` followed by 32 random bytes in base64url (no padding).
std::string NewToken(std::string_view prefix);

// The form in which a token is stored: lower-case hex SHA-256 of the whole token string.
std::string HashToken(std::string_view token);

// RFC 4648 base64; `url` selects the URL-safe alphabet without padding.
std::string Base64Encode(std::string_view data, bool url = false);
// Decodes what Base64Encode produces (padding required iff !url); INVALID_ARGUMENT on any
// other character or length.
Result<std::string> Base64Decode(std::string_view text, bool url = false);

}  // namespace carledger::store
