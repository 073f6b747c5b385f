#include "ledger/pbft/messages.h"

#include "common/block_format.h"

namespace carledger::pbft {

Bytes EcdsaAuthenticator::Sign(std::string_view data) {
  auto sig = key_.Sign(data);
  return sig.ok() ? sig.value() : Bytes();
}

bool EcdsaAuthenticator::Verify(const std::string& signer, std::string_view data,
                                std::string_view signature) {
  auto it = validators_.find(signer);
  return it != validators_.end() && it->second.Verify(data, signature).ok();
}

Bytes BatchDigest(const consensus::Batch& batch) {
  Sha256Hasher h;
  h.Update("carledger-batch-v1");
  h.UpdateU64(static_cast<uint64_t>(batch.timestamp_ms()));
  h.UpdateField(batch.proposer());
  h.UpdateU64(batch.view());
  h.UpdateU64(static_cast<uint64_t>(batch.transactions_size()));
  for (const auto& tx : batch.transactions()) h.UpdateField(TxLeafHash(tx));
  return h.Finish();
}

MessagePtr SignMessage(const std::string& sender, const consensus::Message& body,
                       Authenticator* auth) {
  auto msg = std::make_shared<consensus::SignedMessage>();
  msg->set_sender(sender);
  body.SerializeToString(msg->mutable_body());
  msg->set_signature(auth->Sign(msg->body()));
  return msg;
}

bool OpenMessage(const consensus::SignedMessage& msg, Authenticator* auth,
                 consensus::Message* body) {
  if (!auth->Verify(msg.sender(), msg.body(), msg.signature())) return false;
  return body->ParseFromString(msg.body());
}

Bytes VoteDigest(std::string_view block_hash) {
  // Must equal CommitDigest(header) for a header with this hash (common/block_format.cc).
  return "carledger-commit-v1:" + std::string(block_hash);
}

}  // namespace carledger::pbft
