// Page tokens for keyset pagination: a token names the last item of a page (its sort key
// and VIN) and the query it belongs to, so the next page starts strictly after that item
// whatever was listed or removed in between, and a token replayed with other filters or
// another sort is refused instead of silently returning a meaningless page.
//
// A token is opaque to clients: base64url (no padding) of
//   version (1 byte) | query fingerprint (8 bytes) | sort key (8 bytes, big-endian) | VIN.
// It carries no secret and needs none: a forged token can only name a position.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace carledger::search {

// Where the previous page ended.
struct PageCursor {
  int64_t key = 0;  // the sort key as the index orders it (descending sorts are inverted)
  std::string vin;
};

// A token for `cursor` under the query with this fingerprint.
std::string EncodePageToken(uint64_t fingerprint, const PageCursor& cursor);

// The cursor in `token`. INVALID_ARGUMENT "page_token: malformed ..." when it does not
// decode, "page_token: does not match this query" when it was made for another fingerprint.
Result<PageCursor> DecodePageToken(std::string_view token, uint64_t fingerprint);

// base64url without padding (RFC 4648 section 5); decoding refuses anything else.
std::string Base64UrlEncode(std::string_view data);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace carledger::search
