// Cryptographic primitives on OpenSSL 3: SHA-256, hex, and ECDSA P-256 keys.
//
// Signatures have exactly one accepted encoding: 64 bytes r || s (big-endian, fixed
// width) with s in the lower half of the group order ("low-S"). Verify rejects every
// other form, so nobody can turn a valid signature into a different valid one and
// thereby change a transaction's identity.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace carledger {

// Byte strings are std::string throughout (as in protobuf).
using Bytes = std::string;

// SHA-256 of `data`: 32 raw bytes.
Bytes Sha256(std::string_view data);

// Incremental SHA-256.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  // Appends a big-endian u64 (used for length prefixes and integers in canonical encodings).
  void UpdateU64(uint64_t v);
  // Appends a u32 length prefix followed by the bytes, so adjacent fields cannot run together.
  void UpdateField(std::string_view data);
  // Returns the 32-byte digest; the hasher must not be used afterwards.
  Bytes Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lower-case hex of `data`.
std::string ToHex(std::string_view data);
// Parses hex (either case); INVALID_ARGUMENT on odd length or a non-hex character.
Result<Bytes> FromHex(std::string_view hex);

// Cryptographically secure random bytes.
Bytes RandomBytes(size_t n);

constexpr size_t kSignatureSize = 64;

class PublicKey {
 public:
  PublicKey() = default;
  // Parses a DER SubjectPublicKeyInfo. Only the canonical form is accepted: P-256 with an
  // uncompressed point (91 bytes), so every key has exactly one identity on the ledger.
  static Result<PublicKey> FromDer(std::string_view der);
  static Result<PublicKey> FromPem(std::string_view pem);

  bool valid() const { return impl_ != nullptr; }
  // DER SubjectPublicKeyInfo: the key's canonical form on the ledger.
  const Bytes& der() const { return der_; }
  std::string ToPem() const;
  // Hex SHA-256 of der(): a key's stable identity (the wallet address).
  std::string Fingerprint() const;
  // OK iff `signature` is a canonical signature by this key over SHA-256(message).
  Status Verify(std::string_view message, std::string_view signature) const;
  // The same for a caller that already holds SHA-256(message) (32 bytes), e.g. a
  // transaction's id: the message is not hashed a second time.
  Status VerifyDigest(std::string_view sha256, std::string_view signature) const;

  // The key as an OpenSSL EVP_PKEY (made on first use: parsing through OpenSSL 3's
  // decoders costs ~130 us, so verification uses a lighter representation).
  EVP_PKEY* raw() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  Bytes der_;
};

class PrivateKey {
 public:
  PrivateKey() = default;
  // A fresh P-256 key.
  static Result<PrivateKey> Generate();
  // Parses PKCS#8 PEM; `passphrase` is needed iff the PEM is encrypted.
  static Result<PrivateKey> FromPem(std::string_view pem, std::string_view passphrase = {});

  bool valid() const { return key_ != nullptr; }
  // PKCS#8 PEM; encrypted with AES-256-CBC under PBKDF2 (OpenSSL's PKCS#8 default) when
  // `passphrase` is non-empty.
  Result<std::string> ToPem(std::string_view passphrase = {}) const;
  const PublicKey& public_key() const { return public_key_; }
  // Canonical (64-byte, low-S) ECDSA signature over SHA-256(message).
  Result<Bytes> Sign(std::string_view message) const;

  EVP_PKEY* raw() const { return key_.get(); }

 private:
  std::shared_ptr<EVP_PKEY> key_;
  PublicKey public_key_;
};

// Builds a PublicKey sharing ownership of an EVP_PKEY (takes one reference).
Result<PublicKey> PublicKeyFromEvp(EVP_PKEY* pkey);

// The last OpenSSL error as text (for messages).
std::string OpenSslError();

}  // namespace carledger
