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

namespace {
std::shared_ptr<consensus::SignedMessage> Serialise(const std::string& sender,
                                                    const consensus::Message& body) {
  auto msg = std::make_shared<consensus::SignedMessage>();
  msg->set_sender(sender);
  if (body.has_pre_prepare() && body.pre_prepare().has_batch()) {
    const auto& pp = body.pre_prepare();
    consensus::Message bare;
    auto* out = bare.mutable_pre_prepare();
    out->set_view(pp.view());
    out->set_seq(pp.seq());
    out->set_digest(pp.digest());
    bare.SerializeToString(msg->mutable_body());
    *msg->add_batches() = pp.batch();
  } else {
    body.SerializeToString(msg->mutable_body());
  }
  return msg;
}
}  // namespace

MessagePtr SignMessage(const std::string& sender, const consensus::Message& body,
                       Authenticator* auth) {
  auto msg = Serialise(sender, body);
  msg->set_signature(auth->Sign(msg->body()));
  return msg;
}

bool LinkAuthenticable(const consensus::Message& body) {
  switch (body.body_case()) {
    case consensus::Message::kCommit:
    case consensus::Message::kBlockVote:
    case consensus::Message::kForward:
    case consensus::Message::kStatus:
    case consensus::Message::kFetchBlocks:
    case consensus::Message::kBlockBatch:
      return true;
    default:
      return false;
  }
}

MessagePtr UnsignedMessage(const std::string& sender, const consensus::Message& body) {
  return Serialise(sender, body);
}

bool ParseMessage(const consensus::SignedMessage& msg, consensus::Message* body) {
  if (!body->ParseFromString(msg.body())) return false;
  if (body->has_pre_prepare()) {
    // A batch inside the signed bytes is not ours to accept: only the carried one counts.
    auto* pp = body->mutable_pre_prepare();
    pp->clear_batch();
    if (msg.batches_size() == 1) *pp->mutable_batch() = msg.batches(0);
  }
  return true;
}

bool OpenMessage(const consensus::SignedMessage& msg, Authenticator* auth,
                 consensus::Message* body) {
  if (!auth->Verify(msg.sender(), msg.body(), msg.signature())) return false;
  return ParseMessage(msg, body);
}

consensus::SignedMessage WithoutBatches(const consensus::SignedMessage& msg) {
  consensus::SignedMessage out;
  out.set_sender(msg.sender());
  out.set_body(msg.body());
  out.set_signature(msg.signature());
  return out;
}

Bytes VoteDigest(std::string_view block_hash) {
  // Must equal CommitDigest(header) for a header with this hash (common/block_format.cc).
  return "carledger-commit-v1:" + std::string(block_hash);
}

}  // namespace carledger::pbft
