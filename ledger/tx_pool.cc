#include "ledger/tx_pool.h"

#include <chrono>

#include "common/block_format.h"
#include "ledger/parallel.h"

namespace carledger {

std::shared_ptr<const VerifiedTx> VerifiedTxCache::Find(const Bytes& leaf_hash) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(leaf_hash);
  return it == map_.end() ? nullptr : it->second;
}

void VerifiedTxCache::Insert(const Bytes& leaf_hash, std::shared_ptr<const VerifiedTx> tx) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!map_.emplace(leaf_hash, std::move(tx)).second) return;
  order_.push_back(leaf_hash);
  while (order_.size() > capacity_) {
    map_.erase(order_.front());
    order_.pop_front();
  }
}

size_t VerifiedTxCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_.size();
}

std::vector<Status> TxPool::Admit(const std::vector<ledger::TxEnvelope>& envelopes) {
  std::vector<Status> out(envelopes.size());
  std::vector<Bytes> ids(envelopes.size());
  // Ahead of the block loop, which takes admitted transactions and needs a core of its own.
  ParallelFor(
      envelopes.size(),
      [&](size_t i) {
        Bytes leaf = TxLeafHash(envelopes[i]);
        if (auto hit = cache_->Find(leaf)) {
          ids[i] = hit->tx_id;
          return;
        }
        auto v = VerifyTransaction(envelopes[i]);
        if (!v.ok()) {
          out[i] = v.status();
          return;
        }
        ids[i] = v->tx_id;
        cache_->Insert(leaf, std::make_shared<const VerifiedTx>(std::move(v).value()));
      },
      Urgency::kAhead);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < envelopes.size(); ++i) {
      if (!out[i].ok()) continue;
      if (queue_.size() >= options_.capacity) {
        out[i] = Status::ResourceExhausted("the node's transaction queue is full; retry shortly");
        continue;
      }
      if (!queued_ids_.insert(ids[i]).second) {
        out[i] = Status::AlreadyExists("transaction is already queued");
        continue;
      }
      queue_.emplace_back(std::move(ids[i]), envelopes[i]);
    }
  }
  cv_.notify_all();
  return out;
}

std::vector<ledger::TxEnvelope> TxPool::TakeBatch(size_t max) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ledger::TxEnvelope> out;
  while (!queue_.empty() && out.size() < max) {
    queued_ids_.erase(queue_.front().first);
    out.push_back(std::move(queue_.front().second));
    queue_.pop_front();
  }
  return out;
}

void TxPool::WaitFor(size_t min, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return queue_.size() >= min; });
}

size_t TxPool::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace carledger
