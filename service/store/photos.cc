#include "service/store/photos.h"

#include "common/crypto.h"

namespace carledger::store {

bool LooksLike(std::string_view mime_type, std::string_view b) {
  if (mime_type == "image/jpeg") return b.size() >= 4 && b.substr(0, 3) == "\xFF\xD8\xFF";
  if (mime_type == "image/png")
    return b.size() >= 16 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8);
  if (mime_type == "image/webp")
    return b.size() >= 16 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP";
  return false;
}

Result<std::string> PhotoStore::Put(std::string_view uploader, std::string_view mime_type,
                                    std::string_view bytes) {
  if (mime_type != "image/jpeg" && mime_type != "image/png" && mime_type != "image/webp")
    return Status::InvalidArgument("mime_type: must be image/jpeg, image/png or image/webp");
  if (bytes.empty()) return Status::InvalidArgument("data: required");
  if (static_cast<int64_t>(bytes.size()) > kMaxPhotoBytes)
    return Status::InvalidArgument("data: a photo may be at most 8 MiB (this one is " +
                                   std::to_string(bytes.size() >> 10) + " KiB)");
  if (!LooksLike(mime_type, bytes))
    return Status::InvalidArgument("data: is not a " + std::string(mime_type.substr(6)) + " image");
  std::string hash = ToHex(Sha256(bytes));
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec("INSERT INTO photos (sha256, mime_type, size_bytes, bytes, uploaded_by, "
                 "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
                 {hash, mime_type, static_cast<int64_t>(bytes.size()), PgValue::Bytea(bytes),
                  uploader.empty() ? PgValue(std::nullopt) : PgValue(uploader),
                  PgValue::TimeMs(clock_.NowMs())}));
  (void)rows;
  return hash;
}

Result<StoredPhoto> PhotoStore::Get(std::string_view sha256) {
  bool hex = sha256.size() == 64;
  for (char c : sha256) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!hex) return Status::InvalidArgument("sha256: must be 64 lower-case hex digits");
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec("SELECT sha256, mime_type, bytes FROM photos WHERE sha256 = $1", {sha256}));
  if (rows.empty()) return Status::NotFound("sha256: no photo " + std::string(sha256));
  return StoredPhoto{rows[0].Str("sha256"), rows[0].Str("mime_type"), rows[0].Bytea("bytes")};
}

}  // namespace carledger::store
