#include "ledger/solo_orderer.h"

namespace carledger {

Result<ledger::Block> SoloOrderer::CommitBatch(const std::vector<ledger::TxEnvelope>& txs,
                                               int64_t timestamp_ms) {
  if (keys_.empty()) return Status::FailedPrecondition("the orderer holds no validator key");
  CL_ASSIGN_OR_RETURN(ledger::Block block,
                      ledger_->Propose(txs, timestamp_ms, keys_.front().public_key().Fingerprint()));
  auto* cert = block.mutable_certificate();
  cert->set_view(block.header().view());
  for (const auto& key : keys_) {
    CL_ASSIGN_OR_RETURN(*cert->add_signatures(), SignCommit(block.header(), key));
  }
  CL_RETURN_IF_ERROR(ledger_->Commit(block));
  return block;
}

}  // namespace carledger
