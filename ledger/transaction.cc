#include "ledger/transaction.h"

#include "common/block_format.h"

namespace carledger {

Result<ledger::TxEnvelope> MakeTransaction(const Signer& signer, const std::string& contract,
                                           const std::string& function, const Json& args,
                                           uint64_t nonce, int64_t timestamp_ms) {
  if (!args.is_object()) return Status::InvalidArgument("args must be a JSON object");
  ledger::TxPayload payload;
  payload.set_contract(contract);
  payload.set_function(function);
  payload.set_args(args.Dump());
  payload.set_nonce(nonce);
  payload.set_timestamp_ms(timestamp_ms);
  if (signer.certificate) {
    payload.mutable_creator()->set_certificate(signer.certificate->der());
  } else {
    payload.mutable_creator()->set_public_key(signer.key.public_key().der());
  }
  ledger::TxEnvelope env;
  if (!payload.SerializeToString(env.mutable_payload())) {
    return Status::Internal("cannot serialise transaction payload");
  }
  CL_ASSIGN_OR_RETURN(*env.mutable_signature(), signer.key.Sign(env.payload()));
  return env;
}

Result<VerifiedTx> VerifyTransaction(const ledger::TxEnvelope& envelope) {
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
  Status sig = tx.key.Verify(envelope.payload(), envelope.signature());
  if (!sig.ok()) return sig.WithContext("signature");
  tx.tx_id = TxId(envelope);
  return tx;
}

}  // namespace carledger
