#include "ledger/ledger.h"

#include <mutex>
#include <set>

#include "common/block_format.h"
#include "ledger/system_contracts.h"

namespace carledger {
namespace {

// A read view over a plain map of writes (for the genesis block's validators).
struct WritesView {
  std::map<std::string, std::string> kv;
  Result<std::optional<std::string>> Get(const std::string& key) const {
    auto it = kv.find(key);
    if (it == kv.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                 const std::string& end,
                                                                 size_t limit) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = kv.lower_bound(start); it != kv.end() && out.size() < limit; ++it) {
      if (!end.empty() && it->first >= end) break;
      out.emplace_back(it->first, it->second);
    }
    return out;
  }
};

// The key in a validator's certificate (hex DER), parsed once per process: a validator
// set is read at every epoch boundary and for every node's membership check, and OpenSSL's
// certificate parsing (~100 us each) made that a visible share of a small block's work.
Result<PublicKey> ValidatorKey(const std::string& cert_hex) {
  static std::mutex mu;
  static std::map<std::string, PublicKey> parsed;
  {
    std::lock_guard lock(mu);
    auto it = parsed.find(cert_hex);
    if (it != parsed.end()) return it->second;
  }
  CL_ASSIGN_OR_RETURN(Bytes der, FromHex(cert_hex));
  CL_ASSIGN_OR_RETURN(Certificate cert, Certificate::FromDer(der));
  std::lock_guard lock(mu);
  if (parsed.size() >= 4096) parsed.clear();  // bounded; validators are few
  parsed.emplace(cert_hex, cert.public_key());
  return cert.public_key();
}

ValidatorSet KeysOf(const std::map<std::string, Json>& members, Status* error) {
  ValidatorSet out;
  for (const auto& [id, rec] : members) {
    auto key = ValidatorKey(rec.get_string("cert"));
    if (!key.ok()) {
      *error = Status::DataLoss("validator " + id.substr(0, 16) + ": " + key.status().message());
      return {};
    }
    out.emplace(id, std::move(key).value());
  }
  return out;
}

template <typename View>
Result<ValidatorSet> ValidatorsOf(const View& view) {
  CL_ASSIGN_OR_RETURN(auto members, ActiveMembers(view, Role::kValidator));
  Status err;
  ValidatorSet out = KeysOf(members, &err);
  if (!err.ok()) return err;
  return out;
}

std::vector<const ledger::TxEnvelope*> TxPointers(const ledger::Block& block) {
  std::vector<const ledger::TxEnvelope*> out;
  out.reserve(static_cast<size_t>(block.transactions_size()));
  for (const auto& tx : block.transactions()) out.push_back(&tx);
  return out;
}

// Whether `block` carries exactly `txs`: the bytes a transaction's Merkle leaf covers
// (payload and signature), compared instead of hashed.
bool SameTransactions(const ledger::Block& block, const std::vector<ledger::TxEnvelope>& txs) {
  if (static_cast<size_t>(block.transactions_size()) != txs.size()) return false;
  for (size_t i = 0; i < txs.size(); ++i) {
    const auto& tx = block.transactions(static_cast<int>(i));
    if (tx.payload() != txs[i].payload() || tx.signature() != txs[i].signature()) return false;
  }
  return true;
}

}  // namespace

Result<ledger::ValidatorSignature> SignCommit(const ledger::BlockHeader& header,
                                              const PrivateKey& key) {
  ledger::ValidatorSignature sig;
  sig.set_validator(key.public_key().Fingerprint());
  CL_ASSIGN_OR_RETURN(*sig.mutable_signature(), key.Sign(CommitDigest(header)));
  return sig;
}

Status VerifyCommitCertificate(const ledger::Block& block, const ValidatorSet& validators,
                               CertificateSignatures signatures) {
  if (validators.empty()) return Status::FailedPrecondition("no validators are registered");
  Bytes digest = CommitDigest(block.header());
  std::set<std::string> good;
  std::string first_problem;
  for (const auto& s : block.certificate().signatures()) {
    auto it = validators.find(s.validator());
    if (it == validators.end()) {
      if (first_problem.empty())
        first_problem = "signer " + s.validator().substr(0, 16) + " is not a validator";
      continue;
    }
    Status st = signatures == CertificateSignatures::kVerify
                    ? it->second.Verify(digest, s.signature())
                    : Status::Ok();
    if (!st.ok()) {
      if (first_problem.empty())
        first_problem =
            "signature of validator " + s.validator().substr(0, 16) + " does not verify";
      continue;
    }
    good.insert(s.validator());
  }
  size_t need = QuorumSize(validators.size());
  if (good.size() < need) {
    return Status::FailedPrecondition("block " + std::to_string(block.header().height()) +
                                      ": commit certificate has " + std::to_string(good.size()) +
                                      " valid validator signatures, " + std::to_string(need) +
                                      " of " + std::to_string(validators.size()) + " are needed" +
                                      (first_problem.empty() ? "" : " (" + first_problem + ")"));
  }
  return Status::Ok();
}

Result<ValidatorSet> ValidatorsAtBoundary(const StateDb& state, uint64_t boundary) {
  CL_ASSIGN_OR_RETURN(auto members, ValidatorRecordsAt(state, boundary));
  Status err;
  ValidatorSet out = KeysOf(members, &err);
  if (!err.ok()) return err;
  return out;
}

Result<ValidatorSet> ValidatorsFromWrites(const std::vector<StateWrite>& writes) {
  WritesView view;
  for (const auto& w : writes) {
    if (!w.deleted) view.kv[w.key] = w.value;
  }
  return ValidatorsOf(view);
}

Status CheckExecution(const ledger::Block& block, const ExecutedBlock& executed) {
  const auto& h = block.header();
  std::string where = "block " + std::to_string(h.height());
  if (static_cast<size_t>(block.results_size()) != executed.results.size()) {
    return Status::FailedPrecondition(where + ": has " + std::to_string(block.results_size()) +
                                      " results for " + std::to_string(executed.results.size()) +
                                      " transactions");
  }
  for (size_t i = 0; i < executed.results.size(); ++i) {
    const auto& want = executed.results[i];
    const auto& got = block.results(static_cast<int>(i));
    bool same_events = want.events_size() == got.events_size();
    for (int e = 0; same_events && e < want.events_size(); ++e) {
      same_events = want.events(e).name() == got.events(e).name() &&
                    want.events(e).payload() == got.events(e).payload();
    }
    if (want.code() != got.code() || want.reason() != got.reason() ||
        want.output() != got.output() || want.tx_id() != got.tx_id() || !same_events) {
      return Status::FailedPrecondition(
          where + ", transaction " + std::to_string(i) + " (" + ToHex(want.tx_id()).substr(0, 16) +
          "): re-execution gives " + ledger::ValidationCode_Name(want.code()) +
          (want.reason().empty() ? "" : " '" + want.reason() + "'") + ", the block records " +
          ledger::ValidationCode_Name(got.code()) +
          (got.reason().empty() ? "" : " '" + got.reason() + "'"));
    }
  }
  if (ResultsHash(block) != h.results_hash()) {
    return Status::FailedPrecondition(where + ": results hash does not match its results");
  }
  if (executed.effects.state_hash != h.state_hash()) {
    return Status::FailedPrecondition(where + ": state hash differs from re-execution");
  }
  return Status::Ok();
}

Ledger::Ledger(std::string dir, LedgerOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {}
Ledger::~Ledger() = default;

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir, const LedgerOptions& options) {
  std::unique_ptr<Ledger> l(new Ledger(dir, options));
  BlockStoreOptions bo;
  bo.sync = options.sync;
  bo.read_only = options.read_only;
  CL_ASSIGN_OR_RETURN(l->store_, BlockStore::Open(dir, bo));
  CL_ASSIGN_OR_RETURN(l->state_, StateDb::Open(dir, options.read_only));
  CL_RETURN_IF_ERROR(l->Replay());  // read-only: only the consistency check
  if (l->state_->applied_height()) {
    CL_ASSIGN_OR_RETURN(l->epoch_blocks_, EpochBlocks(*l->state_));
  }
  if (l->height() > 0) {
    CL_ASSIGN_OR_RETURN(ledger::Block last, l->store_->Read(l->height() - 1));
    l->last_timestamp_ms_ = last.header().timestamp_ms();
  }
  return l;
}

Status Ledger::Replay() {
  uint64_t next = state_->applied_height() ? *state_->applied_height() + 1 : 0;
  if (next > store_->size()) {
    // Blocks are fsynced before their state is applied, so this is lost block data, not a
    // crash: refuse rather than serve a state that no stored block explains.
    return Status::DataLoss(
        "state is at block " + std::to_string(next - 1) + " but the block store " +
        (store_->size() == 0 ? std::string("is empty")
                             : "ends at block " + std::to_string(store_->size() - 1)) +
        "; the block files are missing blocks");
  }
  if (options_.read_only) return Status::Ok();
  for (uint64_t h = next; h < store_->size(); ++h) {
    CL_ASSIGN_OR_RETURN(ledger::Block block, store_->Read(h));
    auto executed = ExecuteAndCheck(block, /*certified=*/false);
    if (!executed.ok()) return executed.status().WithContext("replaying stored blocks");
    CL_RETURN_IF_ERROR(state_->Apply(executed->effects, options_.sync));
  }
  return Status::Ok();
}

Result<ExecutedBlock> Ledger::ExecuteAndCheck(const ledger::Block& block, bool certified) const {
  const auto& h = block.header();
  if (TxRoot(block) != h.tx_root()) {
    return Status::FailedPrecondition("block " + std::to_string(h.height()) +
                                      ": transaction Merkle root does not match its transactions");
  }
  ExecutorOptions options = options_.executor;
  if (certified) options.certified_results = &block.results();
  CL_ASSIGN_OR_RETURN(ExecutedBlock executed, ExecuteBlock(*state_, h.height(), h.timestamp_ms(),
                                                           TxPointers(block), options));
  CL_RETURN_IF_ERROR(CheckExecution(block, executed));
  return executed;
}

Result<ledger::Block> Ledger::Propose(const std::vector<ledger::TxEnvelope>& txs,
                                      int64_t timestamp_ms, const std::string& proposer,
                                      uint64_t view) {
  if (options_.read_only) return Status::FailedPrecondition("ledger is read-only");
  if (timestamp_ms < last_timestamp_ms_) {
    return Status::InvalidArgument("block time goes backwards from the previous block's");
  }
  std::vector<const ledger::TxEnvelope*> ptrs;
  ptrs.reserve(txs.size());
  for (const auto& tx : txs) ptrs.push_back(&tx);
  CL_ASSIGN_OR_RETURN(ExecutedBlock executed,
                      ExecuteBlock(*state_, height(), timestamp_ms, ptrs, options_.executor));
  ledger::Block block;
  auto* h = block.mutable_header();
  h->set_height(height());
  h->set_prev_hash(store_->last_hash());
  h->set_tx_root(MerkleRoot(executed.tx_leaves));
  h->set_state_hash(executed.effects.state_hash);
  h->set_timestamp_ms(timestamp_ms);
  h->set_proposer(proposer);
  h->set_view(view);
  for (const auto& tx : txs) *block.add_transactions() = tx;
  for (auto& r : executed.results) *block.add_results() = std::move(r);
  executed.results.clear();
  h->set_results_hash(ResultsHash(block));
  pending_hash_ = BlockHash(*h);
  pending_ = std::move(executed);
  pending_txs_ = txs;
  return block;
}

Status Ledger::Commit(const ledger::Block& block, CertificateSignatures signatures) {
  if (options_.read_only) return Status::FailedPrecondition("ledger is read-only");
  const auto& h = block.header();
  if (h.height() != height()) {
    return Status::FailedPrecondition("block " + std::to_string(h.height()) +
                                      " is not the next block (" + std::to_string(height()) + ")");
  }
  if (h.prev_hash() != store_->last_hash()) {
    return Status::FailedPrecondition("block " + std::to_string(h.height()) +
                                      " does not chain to block " + std::to_string(height() - 1));
  }
  if (h.timestamp_ms() < last_timestamp_ms_) {
    return Status::FailedPrecondition("block " + std::to_string(h.height()) + " goes back in time");
  }
  ValidatorSet validators;
  if (h.height() > 0) {
    // Checked before anything runs: a block no quorum vouches for costs no execution, and
    // in one it does vouch for no client signature needs checking again (ExecutorOptions).
    CL_ASSIGN_OR_RETURN(validators, ValidatorsFor(h.height()));
    CL_RETURN_IF_ERROR(VerifyCommitCertificate(block, validators, signatures));
  }
  ExecutedBlock executed;
  if (pending_ && pending_hash_ == BlockHash(h) && SameTransactions(block, pending_txs_)) {
    // Our own proposal: the header (tx root, results hash, state hash) is the one this
    // node's execution produced and the transactions are byte for byte the ones executed,
    // so only the results carried by the block remain to be checked against the header.
    executed = std::move(*pending_);
    pending_.reset();
    if (ResultsHash(block) != h.results_hash()) {
      return Status::FailedPrecondition("block " + std::to_string(h.height()) +
                                        ": results hash does not match its results");
    }
  } else {
    CL_ASSIGN_OR_RETURN(executed, ExecuteAndCheck(block, /*certified=*/h.height() > 0));
  }
  pending_.reset();
  pending_hash_.clear();
  pending_txs_.clear();
  if (h.height() == 0) {  // genesis names its own validators
    CL_ASSIGN_OR_RETURN(validators, ValidatorsFromWrites(executed.effects.writes));
    CL_RETURN_IF_ERROR(VerifyCommitCertificate(block, validators));
  }

  CL_RETURN_IF_ERROR(Fault(FaultPoint::kBeforeBlockAppend));
  CL_RETURN_IF_ERROR(store_->Append(block));
  CL_RETURN_IF_ERROR(Fault(FaultPoint::kAfterBlockAppend));
  // The block file is the durable copy; the state batch need not be synced.
  CL_RETURN_IF_ERROR(state_->Apply(executed.effects, /*sync=*/false));
  if (h.height() == 0) {
    CL_ASSIGN_OR_RETURN(epoch_blocks_, EpochBlocks(*state_));
  }
  last_timestamp_ms_ = h.timestamp_ms();
  return Fault(FaultPoint::kAfterStateApply);
}

Result<ValidatorSet> Ledger::ValidatorsFor(uint64_t h) const {
  uint64_t boundary = EpochBoundary(h, epoch_blocks_);
  if (height() == 0 || boundary >= height()) {
    return Status::OutOfRange("the validators of block " + std::to_string(h) +
                              " are not known yet (the ledger has " + std::to_string(height()) +
                              " blocks)");
  }
  {
    std::lock_guard lock(cache_mu_);
    auto it = validators_cache_.find(boundary);
    if (it != validators_cache_.end()) return it->second;
  }
  CL_ASSIGN_OR_RETURN(auto set, ValidatorsAtBoundary(*state_, boundary));
  std::lock_guard lock(cache_mu_);
  if (validators_cache_.size() >= 8) validators_cache_.erase(validators_cache_.begin());
  validators_cache_.emplace(boundary, set);
  return set;
}

bool Ledger::ValidatorSetChangePending() const {
  const uint64_t at = height();
  {
    std::lock_guard lock(cache_mu_);
    if (change_pending_at_ == at) return change_pending_;
  }
  // Compared by key fingerprint only: no certificate needs parsing for this.
  auto next = ValidatorsFor(at);
  auto now = ActiveMembers(*state_, Role::kValidator);
  bool pending = false;
  if (next.ok() && now.ok()) {
    pending = next->size() != now->size();
    for (const auto& [id, rec] : *now) pending = pending || !next->count(id);
  }
  std::lock_guard lock(cache_mu_);
  change_pending_ = pending;
  change_pending_at_ = at;
  return pending;
}

Result<uint64_t> Ledger::ValidatorSetChangedAt(uint64_t h) const {
  return carledger::ValidatorSetChangedAt(*state_, EpochBoundary(h, epoch_blocks_), epoch_blocks_);
}

Result<std::map<std::string, std::pair<Json, PublicKey>>> Ledger::AllValidators() const {
  CL_ASSIGN_OR_RETURN(auto members, MembersWithRole(*state_, Role::kValidator, true));
  Status err;
  ValidatorSet keys = KeysOf(members, &err);
  if (!err.ok()) return err;
  std::map<std::string, std::pair<Json, PublicKey>> out;
  for (auto& [id, rec] : members) out.emplace(id, std::make_pair(std::move(rec), keys.at(id)));
  return out;
}

Result<std::pair<ledger::TxEnvelope, ledger::TxResult>> Ledger::GetTx(const Bytes& tx_id) const {
  CL_ASSIGN_OR_RETURN(auto loc, state_->FindTx(tx_id));
  if (!loc) return Status::NotFound("no transaction " + ToHex(tx_id));
  CL_ASSIGN_OR_RETURN(ledger::Block block, store_->Read(loc->height));
  if (loc->tx_index >= static_cast<uint32_t>(block.transactions_size())) {
    return Status::DataLoss("tx index points past the block's transactions");
  }
  return std::make_pair(block.transactions(static_cast<int>(loc->tx_index)),
                        block.results(static_cast<int>(loc->tx_index)));
}

}  // namespace carledger
