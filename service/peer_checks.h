// Client signatures in peers' messages, checked ahead of execution on threads of their
// own (a CheckQueue), so that executing a block finds them in the verified cache. A peer's
// stream only hands messages over and goes on reading: a pre-prepare is never stuck
// behind a burst of forwarded submissions from the same peer.
//
// Each transaction is checked once even when a forward and a pre-prepare carrying it are
// checked at the same time: a check in progress is claimed, and the pre-prepare's check
// waits for it instead of repeating it. (Only a cache: a transaction that fails here is
// checked again, and rejected, when its block executes.) The blocks of a state transfer
// are not checked here: each carries a commit certificate, which vouches for them.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "consensus.pb.h"
#include "ledger/tx_pool.h"
#include "service/check_queue.h"

namespace carledger::service {

class PeerChecks {
 public:
  // Checks into `cache` (which must outlive this) on `threads` threads, with at most
  // about max_bytes of messages waiting.
  PeerChecks(VerifiedTxCache* cache, size_t threads, size_t max_bytes);

  // A forward's transactions, in chunks on the ahead lane; then `then` runs on a check
  // thread (whether or not they verified). Blocks while the queue is full. False once
  // stopped (nothing runs).
  bool CheckForward(std::shared_ptr<const consensus::SignedMessage> msg,
                    std::function<void()> then);

  // A pre-prepare's batches on the urgent lane; `then` runs on a check thread once every
  // transaction in them has been checked, here or by a check in progress. A small batch
  // that is all in the cache already (forwarded ahead of it, the usual case at low load)
  // skips the queue: `then` runs at once, on the caller's thread. Otherwise false once
  // stopped (nothing runs).
  bool CheckPrePrepare(std::shared_ptr<const consensus::SignedMessage> msg,
                       std::function<void()> then);

  // Drops what waits, waits for running checks, releases blocked callers.
  void Stop();

  // True if msg is a forward (client transactions passed on by a peer), without parsing it.
  static bool IsForward(const consensus::SignedMessage& msg);

 private:
  // Checks tx unless cached or claimed; a claim by another check goes to *claimed_elsewhere.
  void Check(const ledger::TxEnvelope& tx, std::vector<Bytes>* claimed_elsewhere);
  // True if msg carries at most a few transactions and each is in the cache.
  bool AllCached(const consensus::SignedMessage& msg) const;

  VerifiedTxCache* cache_;
  std::mutex claim_mu_;
  std::condition_variable claim_done_;
  std::unordered_set<Bytes> claimed_;  // leaf hashes being checked now
  CheckQueue queue_;                   // last: its threads stop before the claims go
};

}  // namespace carledger::service
