// Listing photos in PostgreSQL, content-addressed: a photo's key is the hex SHA-256 of its
// bytes, the same hash the seller's signed register_car puts on the ledger, so anyone can
// check a photo against the ledger. Only JPEG, PNG and WebP images up to kMaxPhotoBytes,
// whose bytes really are of the declared type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "service/store/clock.h"
#include "service/store/pg.h"

namespace carledger::store {

inline constexpr int64_t kMaxPhotoBytes = 8 << 20;

struct StoredPhoto {
  std::string sha256;  // hex
  std::string mime_type;
  std::string bytes;
};

class PhotoStore {
 public:
  // `pool` must be migrated and, like `clock`, outlive the store.
  PhotoStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Stores a photo (idempotent: the same bytes again are stored once) and returns its hex
  // SHA-256. INVALID_ARGUMENT "mime_type: ..." for another type, "data: ..." for empty,
  // oversized or bytes that are not an image of the declared type.
  Result<std::string> Put(std::string_view uploader, std::string_view mime_type,
                          std::string_view bytes);

  // INVALID_ARGUMENT "sha256: ..." for a malformed hash; NOT_FOUND for an unknown one.
  Result<StoredPhoto> Get(std::string_view sha256);

 private:
  PgPool& pool_;
  const Clock& clock_;
};

// Whether `bytes` start like an image of `mime_type` (JPEG SOI marker, PNG signature,
// RIFF....WEBP header).
bool LooksLike(std::string_view mime_type, std::string_view bytes);

}  // namespace carledger::store
