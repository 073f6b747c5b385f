// Transactions: building and signing an envelope, and parsing one back with its
// signature checked. tx_id = SHA-256(payload bytes as signed) (common/block_format.h).
#pragma once

#include <optional>
#include <string>

#include "common/crypto.h"
#include "common/json.h"
#include "common/x509.h"
#include "ledger.pb.h"

namespace carledger {

// A party that signs transactions: a key, and for validators, agencies and admins the
// certificate that names their role (traders sign with a bare key).
struct Signer {
  PrivateKey key;
  std::optional<Certificate> certificate;

  // Fingerprint of the public key: the identity the ledger knows this signer by.
  std::string id() const { return key.public_key().Fingerprint(); }
};

// Builds and signs a transaction. `args` must be a JSON object.
Result<ledger::TxEnvelope> MakeTransaction(const Signer& signer, const std::string& contract,
                                           const std::string& function, const Json& args,
                                           uint64_t nonce, int64_t timestamp_ms);

// A transaction whose envelope parsed and whose signature verified.
struct VerifiedTx {
  Bytes tx_id;
  ledger::TxPayload payload;
  PublicKey key;                           // the signing key
  std::optional<Certificate> certificate;  // when the creator named one
};

// Parses the payload, resolves the creator's key and checks the signature. Limits:
// payload <= kMaxPayloadBytes. Errors: INVALID_ARGUMENT (malformed) or UNAUTHENTICATED
// (bad signature); the message says which field is wrong.
Result<VerifiedTx> VerifyTransaction(const ledger::TxEnvelope& envelope);

constexpr size_t kMaxPayloadBytes = 256 * 1024;

}  // namespace carledger
