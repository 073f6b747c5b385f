// Block production on one node, behind the same two calls pBFT drives: the orderer
// proposes a batch through Ledger::Propose, collects commit signatures (here from the
// validator keys it holds, so n is whatever the network was made with and the quorum
// rule is the same as in the cluster) and hands the certified block to Ledger::Commit.
#pragma once

#include <vector>

#include "ledger/ledger.h"

namespace carledger {

class SoloOrderer {
 public:
  // `validator_keys` must include enough of the network's validators for a quorum.
  SoloOrderer(Ledger* ledger, std::vector<PrivateKey> validator_keys)
      : ledger_(ledger), keys_(std::move(validator_keys)) {}

  // Orders `txs` into the next block with time `timestamp_ms`, certifies and commits it.
  Result<ledger::Block> CommitBatch(const std::vector<ledger::TxEnvelope>& txs, int64_t timestamp_ms);

 private:
  Ledger* ledger_;
  std::vector<PrivateKey> keys_;
};

}  // namespace carledger
