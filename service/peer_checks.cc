#include "service/peer_checks.h"

#include <algorithm>
#include <atomic>

#include "common/block_format.h"
#include "ledger/transaction.h"

namespace carledger::service {
namespace {
// Transactions per ahead task: a pre-prepare waits for at most one chunk per thread.
constexpr int kForwardChunk = 64;
}  // namespace

PeerChecks::PeerChecks(VerifiedTxCache* cache, size_t threads, size_t max_bytes)
    : cache_(cache), queue_(max_bytes, threads) {}

void PeerChecks::Stop() {
  queue_.Stop();
}

bool PeerChecks::IsForward(const consensus::SignedMessage& msg) {
  // A serialised Message starts with the tag of its one field.
  constexpr char kForwardTag =
      static_cast<char>(consensus::Message::kForwardFieldNumber << 3 | 2);  // length-delimited
  return msg.batches_size() == 0 && !msg.body().empty() && msg.body()[0] == kForwardTag;
}

void PeerChecks::Check(const ledger::TxEnvelope& tx, std::vector<Bytes>* claimed_elsewhere) {
  Bytes leaf = TxLeafHash(tx);
  if (cache_->Find(leaf)) return;
  {
    std::lock_guard<std::mutex> lock(claim_mu_);
    if (!claimed_.insert(leaf).second) {
      if (claimed_elsewhere != nullptr) claimed_elsewhere->push_back(std::move(leaf));
      return;
    }
  }
  // Checked again under the claim: a check may have finished between Find and the claim.
  if (!cache_->Find(leaf)) {
    auto v = VerifyTransaction(tx);
    if (v.ok()) cache_->Insert(leaf, std::make_shared<VerifiedTx>(std::move(v).value()));
  }
  {
    std::lock_guard<std::mutex> lock(claim_mu_);
    claimed_.erase(leaf);
  }
  claim_done_.notify_all();
}

bool PeerChecks::CheckForward(std::shared_ptr<const consensus::SignedMessage> msg,
                              std::function<void()> then) {
  auto body = std::make_shared<consensus::Message>();
  int n = 0;
  if (body->ParseFromString(msg->body()) && body->has_forward())
    n = body->forward().transactions_size();
  size_t bytes = msg->ByteSizeLong();
  int chunks = std::max(1, (n + kForwardChunk - 1) / kForwardChunk);
  // The last chunk to finish runs `then`.
  auto left = std::make_shared<std::atomic<int>>(chunks);
  auto done = std::make_shared<std::function<void()>>(std::move(then));
  for (int c = 0; c < chunks; ++c) {
    int from = c * kForwardChunk, to = std::min(n, from + kForwardChunk);
    bool queued = queue_.Add(
        CheckQueue::Lane::kAhead,
        [this, body, from, to, left, done] {
          for (int i = from; i < to; ++i) Check(body->forward().transactions(i), nullptr);
          if (left->fetch_sub(1) == 1) (*done)();
        },
        bytes / static_cast<size_t>(chunks) + 1);
    if (!queued) return false;
  }
  return true;
}

bool PeerChecks::AllCached(const consensus::SignedMessage& msg) const {
  // Larger batches go to the queue without this: hashing them here would hold up the
  // peer's stream, and the check threads hash them anyway.
  constexpr int kMaxInline = 16;
  int n = 0;
  for (const auto& batch : msg.batches()) {
    n += batch.transactions_size();
    if (n > kMaxInline) return false;
    for (const auto& tx : batch.transactions()) {
      if (!cache_->Find(TxLeafHash(tx))) return false;
    }
  }
  return true;
}

bool PeerChecks::CheckPrePrepare(std::shared_ptr<const consensus::SignedMessage> msg,
                                 std::function<void()> then) {
  // Skipping the queue saves every backup two thread wake-ups per block.
  if (AllCached(*msg)) {
    then();
    return true;
  }
  size_t bytes = msg->ByteSizeLong();
  return queue_.Add(
      CheckQueue::Lane::kUrgent,
      [this, msg, then = std::move(then)] {
        std::vector<Bytes> elsewhere;
        for (const auto& batch : msg->batches()) {
          for (const auto& tx : batch.transactions()) Check(tx, &elsewhere);
        }
        if (!elsewhere.empty()) {
          std::unique_lock<std::mutex> lock(claim_mu_);
          claim_done_.wait(lock, [&] {
            return std::none_of(elsewhere.begin(), elsewhere.end(),
                                [&](const Bytes& leaf) { return claimed_.count(leaf) > 0; });
          });
        }
        then();
      },
      bytes);
}

}  // namespace carledger::service
