// Transaction admission. A node checks each client transaction's signature once, when
// it arrives (on a thread pool, while earlier blocks execute), and remembers the result
// in a VerifiedTxCache; executing a block then skips the ECDSA check for every
// transaction it has already seen verified. The cache is keyed by the Merkle leaf hash,
// which covers the payload and the signature, so a transaction whose signature differs
// in any bit is verified afresh.
//
// TxPool is the bounded queue of admitted transactions waiting for a block.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ledger.pb.h"
#include "ledger/transaction.h"

namespace carledger {

class VerifiedTxCache {
 public:
  explicit VerifiedTxCache(size_t capacity = 200'000) : capacity_(capacity) {}

  // The verified form of `envelope` if this cache has seen it verified, else null.
  std::shared_ptr<const VerifiedTx> Find(const Bytes& leaf_hash) const;
  void Insert(const Bytes& leaf_hash, std::shared_ptr<const VerifiedTx> tx);
  size_t size() const;

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const VerifiedTx>> map_;
  std::deque<std::string> order_;  // insertion order, for eviction
};

struct TxPoolOptions {
  size_t capacity = 100'000;  // admitted transactions waiting for a block
};

class TxPool {
 public:
  TxPool(VerifiedTxCache* cache, TxPoolOptions options = {}) : cache_(cache), options_(options) {}

  // Verifies each envelope (in parallel) and queues the good ones. Returns one status per
  // envelope: OK, INVALID_ARGUMENT / UNAUTHENTICATED (bad transaction), ALREADY_EXISTS
  // (already queued), RESOURCE_EXHAUSTED (pool full: retry later).
  std::vector<Status> Admit(const std::vector<ledger::TxEnvelope>& envelopes);

  // Removes and returns up to `max` transactions in arrival order.
  std::vector<ledger::TxEnvelope> TakeBatch(size_t max);

  // Waits until at least `min` transactions are queued or `timeout_ms` passes.
  void WaitFor(size_t min, int timeout_ms);

  size_t size() const;

 private:
  VerifiedTxCache* cache_;
  TxPoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Bytes, ledger::TxEnvelope>> queue_;  // (tx_id, envelope)
  std::unordered_set<std::string> queued_ids_;
};

}  // namespace carledger
