// The ledger of one node: block store + world state + executor, and the two operations a
// consensus engine drives:
//   Propose(txs)  the leader executes a batch and gets an uncertified block;
//   Commit(block) any node applies a block that carries a commit certificate (2f+1
//                 validator signatures over its header), re-executing it unless it
//                 proposed it, and refusing it if its results or state hash differ.
//                 The certificate is checked first; re-execution then trusts it for
//                 client signatures (a quorum checked them) but not for anything else.
// Commit appends the block (fsynced) before applying its effects to state in one atomic
// batch; Open replays any block the state has not seen, so a crash between the two loses
// nothing. A state ahead of the block files (blocks lost after they were applied) is
// DATA_LOSS on open, read-only or not.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/json.h"
#include "ledger.pb.h"
#include "ledger/block_store.h"
#include "ledger/executor.h"
#include "ledger/state_db.h"
#include "ledger/transaction.h"

namespace carledger {

// Points where a test can make Commit stop as if the process died there.
enum class FaultPoint { kBeforeBlockAppend, kAfterBlockAppend, kAfterStateApply };

struct LedgerOptions {
  bool sync = true;  // fsync every block
  bool read_only = false;
  ExecutorOptions executor;
  // Fault-injection seam: a non-OK status returned here aborts Commit at that point.
  std::function<Status(FaultPoint)> fault_hook;
};

// Validator key fingerprint -> key.
using ValidatorSet = std::map<std::string, PublicKey>;

// Checks that the certificate holds signatures by at least QuorumSize(n) distinct members
// of `validators` (2f+1 when n = 3f+1) over CommitDigest(header). Names what is missing.
// kCheckedByCaller: the caller has checked each signature in the certificate against the
// signer's key over CommitDigest(header), as a replica does with every vote it collects;
// membership and the quorum are still checked, the signatures are not checked again.
enum class CertificateSignatures { kVerify, kCheckedByCaller };
Status VerifyCommitCertificate(const ledger::Block& block, const ValidatorSet& validators,
                               CertificateSignatures signatures = CertificateSignatures::kVerify);

// A validator's signature over a block header, for its commit certificate.
Result<ledger::ValidatorSignature> SignCommit(const ledger::BlockHeader& header,
                                              const PrivateKey& key);

// Threads: one writer (Propose, Commit) and any number of concurrent readers of the const
// functions. A reader sees every block up to height() and state at least that new; a
// transaction found in the state always has its block in the store (blocks are appended
// before their writes are applied).
class Ledger {
 public:
  ~Ledger();
  static Result<std::unique_ptr<Ledger>> Open(const std::string& dir,
                                              const LedgerOptions& options = {});

  // Number of committed blocks (= the next block's height).
  uint64_t height() const { return store_->size(); }
  std::string last_block_hash() const { return store_->last_hash(); }
  int64_t last_timestamp_ms() const { return last_timestamp_ms_.load(); }

  // Executes `txs` as the next block with time `timestamp_ms` (which may not go back
  // before the previous block's). The result has no certificate yet.
  Result<ledger::Block> Propose(const std::vector<ledger::TxEnvelope>& txs, int64_t timestamp_ms,
                                const std::string& proposer, uint64_t view = 0);

  // Commits a certified block at height(). FAILED_PRECONDITION if it does not chain, its
  // certificate is short, or re-execution disagrees with its header (message names the
  // first differing transaction). `signatures`: see CertificateSignatures.
  Status Commit(const ledger::Block& block,
                CertificateSignatures signatures = CertificateSignatures::kVerify);

  Result<ledger::Block> GetBlock(uint64_t height) const { return store_->Read(height); }
  // The height of the block with this header hash; NOT_FOUND if none.
  Result<uint64_t> FindBlockByHash(const std::string& hash) const {
    return store_->FindByHash(hash);
  }
  Result<std::optional<std::string>> GetState(const std::string& key) const {
    return state_->Get(key);
  }
  Result<std::vector<std::pair<std::string, std::string>>> RangeState(const std::string& start,
                                                                      const std::string& end,
                                                                      size_t limit) const {
    return state_->Range(start, end, limit);
  }
  Result<std::vector<HistoryEntry>> History(const std::string& key, size_t after,
                                            size_t limit) const {
    return state_->History(key, after, limit);
  }
  Result<std::optional<TxLocation>> FindTx(const Bytes& tx_id) const {
    return state_->FindTx(tx_id);
  }
  // The transaction and its result, by id.
  Result<std::pair<ledger::TxEnvelope, ledger::TxResult>> GetTx(const Bytes& tx_id) const;

  // Validators in force for the next block.
  Result<ValidatorSet> Validators() const { return ValidatorsFor(height()); }
  // Validators whose 2f+1 signatures certify block `h`: those in force after epoch
  // boundary B(h) = floor((h-1)/E)*E (see system_contracts.h). Known for every h whose
  // boundary is committed (h <= the end of the current epoch); OUT_OF_RANGE beyond.
  Result<ValidatorSet> ValidatorsFor(uint64_t h) const;
  // True when the validators registered now differ from those certifying the next block
  // (a change waits for the next epoch boundary).
  bool ValidatorSetChangePending() const;
  // The epoch length E (the checkpoint interval of the consensus).
  uint64_t epoch_blocks() const { return epoch_blocks_; }
  // The last epoch boundary at or before block h's at which the validator set changed.
  Result<uint64_t> ValidatorSetChangedAt(uint64_t h) const;
  // Every validator ever registered (revoked ones too), by key fingerprint: their records
  // ("name", "address", "revoked", ...) and keys, for checking old signatures and for
  // finding peers.
  Result<std::map<std::string, std::pair<Json, PublicKey>>> AllValidators() const;

  const StateDb& state() const { return *state_; }

 private:
  Ledger(std::string dir, LedgerOptions options);
  Status Replay();
  Status Fault(FaultPoint p) const {
    return options_.fault_hook ? options_.fault_hook(p) : Status::Ok();
  }
  // Executes `block` and checks its header against the outcome. `certified`: its commit
  // certificate has been checked, so its results vouch for its signatures.
  Result<ExecutedBlock> ExecuteAndCheck(const ledger::Block& block, bool certified) const;

  std::string dir_;
  LedgerOptions options_;
  std::unique_ptr<BlockStore> store_;
  std::unique_ptr<StateDb> state_;
  std::atomic<int64_t> last_timestamp_ms_{0};
  // The last proposal's execution, reused if that block comes back certified: its header
  // hash, its effects (its results moved into the block) and its transactions.
  std::string pending_hash_;
  std::optional<ExecutedBlock> pending_;
  std::vector<ledger::TxEnvelope> pending_txs_;
  uint64_t epoch_blocks_ = 16;
  // Guards the caches below (const readers may run on other threads than the writer).
  mutable std::mutex cache_mu_;
  // Epoch boundary -> its validator set (immutable once the boundary block is committed).
  mutable std::map<uint64_t, ValidatorSet> validators_cache_;
  mutable uint64_t change_pending_at_ = UINT64_MAX;  // height the cached answer is for
  mutable bool change_pending_ = false;
};

// Validator set read from a block's own writes (genesis: there is no earlier state).
Result<ValidatorSet> ValidatorsFromWrites(const std::vector<StateWrite>& writes);

// The epoch boundary whose state decides block h's validators (h >= 1).
inline uint64_t EpochBoundary(uint64_t h, uint64_t epoch_blocks) {
  return h == 0 ? 0 : (h - 1) / epoch_blocks * epoch_blocks;
}
// The validator set in force after `boundary`, read from `state` (at or after it).
Result<ValidatorSet> ValidatorsAtBoundary(const StateDb& state, uint64_t boundary);

// Compares an executed block with the header and results it claims; names the first
// difference.
Status CheckExecution(const ledger::Block& block, const ExecutedBlock& executed);

}  // namespace carledger
