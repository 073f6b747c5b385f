// Building and signing a transaction envelope: what every party that writes to the
// ledger does in its own process (the desktop apps, the CLI, tests). No ledger needed.
// tx_id = SHA-256(payload bytes as signed) (common/block_format.h).
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

}  // namespace carledger
