#include "ledger/transaction.h"

#include "common/block_format.h"

namespace carledger {
namespace {

// Everything VerifyTransaction checks except the signature.
Result<VerifiedTx> ParseTransaction(const ledger::TxEnvelope& envelope) {
  if (envelope.payload().size() > kMaxPayloadBytes) {
    return Status::InvalidArgument("payload: larger than " + std::to_string(kMaxPayloadBytes) +
                                   " bytes");
  }
  VerifiedTx tx;
  if (!tx.payload.ParseFromString(envelope.payload())) {
    return Status::InvalidArgument("payload: not a valid TxPayload");
  }
  if (tx.payload.contract().empty()) return Status::InvalidArgument("contract: missing");
  if (tx.payload.function().empty()) return Status::InvalidArgument("function: missing");
  const auto& creator = tx.payload.creator();
  if (creator.has_certificate()) {
    auto cert = Certificate::FromDer(creator.certificate());
    if (!cert.ok()) return cert.status().WithContext("creator.certificate");
    tx.key = cert->public_key();
    tx.certificate = std::move(cert).value();
  } else if (creator.has_public_key()) {
    auto key = PublicKey::FromDer(creator.public_key());
    if (!key.ok()) return key.status().WithContext("creator.public_key");
    tx.key = std::move(key).value();
  } else {
    return Status::InvalidArgument("creator: missing");
  }
  // The id is SHA-256(payload), which is what the signature signs.
  tx.tx_id = TxId(envelope);
  return tx;
}

}  // namespace

Result<VerifiedTx> VerifyTransaction(const ledger::TxEnvelope& envelope) {
  CL_ASSIGN_OR_RETURN(VerifiedTx tx, ParseTransaction(envelope));
  Status sig = tx.key.VerifyDigest(tx.tx_id, envelope.signature());
  if (!sig.ok()) return sig.WithContext("signature");
  return tx;
}

Result<VerifiedTx> ParseCertifiedTransaction(const ledger::TxEnvelope& envelope) {
  return ParseTransaction(envelope);
}

}  // namespace carledger
