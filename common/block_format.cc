#include "common/block_format.h"

namespace carledger {

Bytes TxId(const ledger::TxEnvelope& envelope) { return Sha256(envelope.payload()); }

Bytes TxLeafHash(const ledger::TxEnvelope& envelope) {
  return MerkleLeafHash(TxId(envelope) + Sha256(envelope.signature()));
}

Bytes TxRoot(const std::vector<const ledger::TxEnvelope*>& txs) {
  std::vector<Bytes> leaves;
  leaves.reserve(txs.size());
  for (const auto* tx : txs) leaves.push_back(TxLeafHash(*tx));
  return MerkleRoot(leaves);
}

Bytes TxRoot(const ledger::Block& block) {
  std::vector<const ledger::TxEnvelope*> txs;
  for (const auto& tx : block.transactions()) txs.push_back(&tx);
  return TxRoot(txs);
}

Bytes ResultsHash(const ledger::Block& block) {
  Sha256Hasher h;
  h.Update("carledger-results-v1");
  h.UpdateU64(static_cast<uint64_t>(block.results_size()));
  for (const auto& r : block.results()) {
    h.UpdateField(r.tx_id());
    h.UpdateU64(static_cast<uint64_t>(r.code()));
    h.UpdateField(r.reason());
    h.UpdateField(r.output());
    h.UpdateU64(static_cast<uint64_t>(r.events_size()));
    for (const auto& e : r.events()) {
      h.UpdateField(e.name());
      h.UpdateField(e.payload());
    }
  }
  return h.Finish();
}

Bytes BlockHash(const ledger::BlockHeader& header) {
  Sha256Hasher h;
  h.Update("carledger-block-v1");
  h.UpdateU64(header.height());
  h.UpdateField(header.prev_hash());
  h.UpdateField(header.tx_root());
  h.UpdateField(header.results_hash());
  h.UpdateField(header.state_hash());
  h.UpdateU64(static_cast<uint64_t>(header.timestamp_ms()));
  h.UpdateField(header.proposer());
  h.UpdateU64(header.view());
  return h.Finish();
}

Bytes CommitDigest(const ledger::BlockHeader& header) {
  return "carledger-commit-v1:" + BlockHash(header);
}

Bytes NextStateHash(const Bytes& prev_state_hash, const std::vector<StateWrite>& sorted_writes) {
  Sha256Hasher h;
  h.Update("carledger-state-v1");
  h.UpdateField(prev_state_hash);
  h.UpdateU64(sorted_writes.size());
  for (const auto& w : sorted_writes) {
    h.UpdateField(w.key);
    h.UpdateU64(w.deleted ? 1 : 0);
    h.UpdateField(w.deleted ? std::string_view() : std::string_view(w.value));
  }
  return h.Finish();
}

}  // namespace carledger
