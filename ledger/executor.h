// Executes an ordered batch of transactions as one block on top of committed state:
// signature checks (in parallel), duplicate and timestamp checks, creator resolution
// through the membership state, then each transaction in order through its contract.
// Deterministic: the same state, height, timestamp and transactions give the same
// results and writes on every node.
#pragma once

#include <functional>
#include <vector>

#include "ledger.pb.h"
#include "ledger/contract_runtime.h"
#include "ledger/state_db.h"

namespace carledger {

struct ExecutedBlock {
  std::vector<ledger::TxResult> results;
  BlockEffects effects;
  std::vector<Bytes> tx_leaves;  // Merkle leaf hash of each transaction (for the tx root)
};

class VerifiedTxCache;

struct ExecutorOptions {
  ContractLimits limits;
  // Transactions already verified at admission; their signatures are not checked again.
  // Not owned; may be null.
  const VerifiedTxCache* verified = nullptr;
  // The results a checked commit certificate vouches for, one per transaction (a block
  // fetched from peers or ordered without this node's proposal). A transaction certified
  // as anything but BAD_SIGNATURE is parsed without its signature being checked again
  // (ParseCertifiedTransaction); the re-execution still has to reproduce every result and
  // the state hash. Ignored unless there is one per transaction. Not owned; may be null.
  const google::protobuf::RepeatedPtrField<ledger::TxResult>* certified_results = nullptr;
};

// Runs `txs` as block `height` with the block time `timestamp_ms`.
// Fails only on a storage fault; every problem with a transaction is its TxResult.
Result<ExecutedBlock> ExecuteBlock(const StateDb& db, uint64_t height, int64_t timestamp_ms,
                                   const std::vector<const ledger::TxEnvelope*>& txs,
                                   const ExecutorOptions& options = {});

}  // namespace carledger
