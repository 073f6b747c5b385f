#include "common/tx_builder.h"

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

}  // namespace carledger
