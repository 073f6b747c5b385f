// Transactions: parsing an envelope back with its signature checked (building and
// signing one is common/tx_builder.h, which the desktop apps use too).
// tx_id = SHA-256(payload bytes as signed) (common/block_format.h).
#pragma once

#include <optional>
#include <string>

#include "common/tx_builder.h"

namespace carledger {

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

// VerifyTransaction without the signature check, for a transaction inside a block whose
// commit certificate has been checked: 2f+1 validators, so at least one honest one, checked
// its signature when they executed the block. Same limits, errors and messages otherwise.
Result<VerifiedTx> ParseCertifiedTransaction(const ledger::TxEnvelope& envelope);

constexpr size_t kMaxPayloadBytes = 256 * 1024;

}  // namespace carledger
