// The pieces of the pBFT simulation that stand in for a node: keyed-hash signatures, the
// disk that survives a crash, and a small replicated state machine with membership.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/block_format.h"
#include "ledger/pbft/replica.h"

namespace carledger::pbft::sim {

// Keyed-hash signatures: as unforgeable inside the simulation as ECDSA (a replica only
// holds its own secret), at a fraction of the cost.
class SimAuth : public Authenticator {
 public:
  SimAuth(std::string id, const std::map<std::string, Bytes>* secrets)
      : id_(std::move(id)), secrets_(secrets) {}
  Bytes Sign(std::string_view data) override { return Mac(secrets_->at(id_), data); }
  bool Verify(const std::string& signer, std::string_view data, std::string_view sig) override {
    auto it = secrets_->find(signer);
    return it != secrets_->end() && Mac(it->second, data) == sig;
  }
  static Bytes Mac(const Bytes& secret, std::string_view data) {
    Sha256Hasher h;
    h.Update(secret);
    h.Update(data);
    return h.Finish();
  }

 private:
  std::string id_;
  const std::map<std::string, Bytes>* secrets_;
};

// What survives a crash.
struct SimDisk {
  std::vector<ledger::Block> blocks;
  std::set<Bytes> tx_ids;
  consensus::ReplicaDisk consensus;
};

inline ledger::Block Genesis() {
  ledger::Block g;
  g.mutable_header()->set_height(0);
  g.mutable_header()->set_timestamp_ms(0);
  g.mutable_header()->set_state_hash(Sha256("sim-genesis"));
  return g;
}

// A small deterministic state machine: a transaction is valid unless its id is already
// on the chain; the state hash chains the valid ids. Configuration transactions
// ("sim-config-add-<id>", "sim-config-remove-<id>") change the validator set at the next
// epoch boundary (every `epoch` blocks), as the ledger's membership does.
class MemoryApp : public ReplicaApp {
 public:
  MemoryApp(SimDisk* disk, std::vector<std::string> genesis_validators, uint64_t epoch,
            Authenticator* auth, bool wrong_state,
            std::function<void(const ledger::Block&)> on_commit)
      : disk_(disk),
        genesis_(std::move(genesis_validators)),
        epoch_(epoch),
        auth_(auth),
        wrong_state_(wrong_state),
        on_commit_(std::move(on_commit)) {}

  uint64_t Height() override { return disk_->blocks.size(); }
  std::vector<std::string> Validators() override { return ValidatorsAt(Height()); }
  std::vector<std::string> ValidatorsAt(uint64_t height) override {
    uint64_t boundary = height == 0 ? 0 : (height - 1) / epoch_ * epoch_;
    return MembersAfter(boundary);
  }
  bool ValidatorSetChangePending() override {
    return MembersAfter(UINT64_MAX) != ValidatorsAt(Height());
  }
  uint64_t ValidatorSetChangedAt() override {
    uint64_t h = Height();
    uint64_t boundary = h == 0 ? 0 : (h - 1) / epoch_ * epoch_;
    uint64_t last = 0;
    for (const auto& c : Changes()) {
      uint64_t at = (c.height + epoch_ - 1) / epoch_ * epoch_;
      if (at <= boundary) last = std::max(last, at);
    }
    return last;
  }
  int64_t LastTimestampMs() override { return disk_->blocks.back().header().timestamp_ms(); }

  Result<ledger::BlockHeader> Execute(const consensus::Batch& batch) override {
    held_ = Build(batch, wrong_state_);
    return held_->header();
  }
  Status Commit(const ledger::CommitCertificate& cert) override {
    if (!held_) return Status::FailedPrecondition("nothing executed");
    *held_->mutable_certificate() = cert;
    Append(*held_);
    held_.reset();
    return Status::Ok();
  }
  Status Apply(const ledger::Block& block) override {
    held_.reset();
    if (block.header().height() != Height()) return Status::FailedPrecondition("wrong height");
    if (!CertificateOk(block, auth_, ValidatorsAt(block.header().height())))
      return Status::FailedPrecondition("bad certificate");
    consensus::Batch b;
    b.set_timestamp_ms(block.header().timestamp_ms());
    b.set_proposer(block.header().proposer());
    b.set_view(block.header().view());
    for (const auto& tx : block.transactions()) *b.add_transactions() = tx;
    ledger::Block mine = Build(b, wrong_state_);
    if (BlockHash(mine.header()) != BlockHash(block.header()))
      return Status::FailedPrecondition("re-execution differs");
    *mine.mutable_certificate() = block.certificate();
    Append(mine);
    return Status::Ok();
  }
  Result<ledger::Block> GetBlock(uint64_t height) override {
    if (height >= Height()) return Status::NotFound("no such block");
    return disk_->blocks[height];
  }
  bool IsCommitted(const Bytes& tx_id) override { return disk_->tx_ids.count(tx_id) > 0; }

  Result<consensus::ReplicaDisk> LoadDisk() override { return disk_->consensus; }
  Status SaveVoteMark(uint64_t view, uint64_t mark) override {
    disk_->consensus.set_view(view);
    disk_->consensus.set_vote_mark(mark);
    return Status::Ok();
  }
  // Held here (lost with this app when its node crashes) until FlushPrepared puts it on
  // the disk that survives the crash.
  Status SavePrepared(const consensus::PreparedProof& proof) override {
    unflushed_.push_back(proof);
    return Status::Ok();
  }
  Status FlushPrepared() override {
    for (const auto& proof : unflushed_) StorePrepared(proof);
    unflushed_.clear();
    return Status::Ok();
  }
  void StorePrepared(const consensus::PreparedProof& proof) {
    uint64_t seq = SeqOf(proof);
    auto* list = disk_->consensus.mutable_prepared();
    for (auto& p : *list) {
      if (SeqOf(p) == seq) {
        p = proof;
        return;
      }
    }
    *list->Add() = proof;
  }
  Status TrimPrepared(uint64_t seq) override {
    auto* list = disk_->consensus.mutable_prepared();
    google::protobuf::RepeatedPtrField<consensus::PreparedProof> keep;
    for (auto& p : *list) {
      if (SeqOf(p) > seq) *keep.Add() = p;
    }
    list->Swap(&keep);
    return Status::Ok();
  }

  static bool CertificateOk(const ledger::Block& block, Authenticator* auth,
                            const std::vector<std::string>& validators) {
    Bytes digest = VoteDigest(BlockHash(block.header()));
    std::set<std::string> good;
    for (const auto& s : block.certificate().signatures()) {
      if (std::find(validators.begin(), validators.end(), s.validator()) != validators.end() &&
          auth->Verify(s.validator(), digest, s.signature()))
        good.insert(s.validator());
    }
    return !validators.empty() && good.size() >= QuorumSize(validators.size());
  }

 private:
  struct Change {
    uint64_t height;
    bool add;
    std::string id;
  };
  // The valid configuration transactions on the chain, in order (cached per height).
  const std::vector<Change>& Changes() const {
    if (changes_at_ == disk_->blocks.size()) return changes_;
    changes_at_ = disk_->blocks.size();
    changes_.clear();
    std::vector<Change>& out = changes_;
    for (const auto& b : disk_->blocks) {
      for (int i = 0; i < b.transactions_size(); ++i) {
        if (b.results(i).code() != ledger::VALID) continue;
        auto c = ParseConfig(b.transactions(i).payload());
        if (c) out.push_back({b.header().height(), c->first, c->second});
      }
    }
    return changes_;
  }
  // The set after block `boundary` (changes in blocks up to it applied).
  std::vector<std::string> MembersAfter(uint64_t boundary) const {
    std::set<std::string> set(genesis_.begin(), genesis_.end());
    for (const auto& c : Changes()) {
      if (c.height > boundary) break;
      if (c.add)
        set.insert(c.id);
      else
        set.erase(c.id);
    }
    return {set.begin(), set.end()};
  }
  static std::optional<std::pair<bool, std::string>> ParseConfig(const std::string& payload) {
    static const std::string kAdd = "sim-config-add-", kRemove = "sim-config-remove-";
    if (payload.rfind(kAdd, 0) == 0) return std::make_pair(true, payload.substr(kAdd.size()));
    if (payload.rfind(kRemove, 0) == 0)
      return std::make_pair(false, payload.substr(kRemove.size()));
    return std::nullopt;
  }

  static uint64_t SeqOf(const consensus::PreparedProof& p) {
    consensus::Message m;
    m.ParseFromString(p.pre_prepare().body());
    return m.pre_prepare().seq();
  }

  ledger::Block Build(const consensus::Batch& batch, bool wrong_state) const {
    const ledger::Block& prev = disk_->blocks.back();
    ledger::Block b;
    auto* h = b.mutable_header();
    h->set_height(disk_->blocks.size());
    h->set_prev_hash(BlockHash(prev.header()));
    h->set_timestamp_ms(std::max(batch.timestamp_ms(), prev.header().timestamp_ms()));
    h->set_proposer(batch.proposer());
    h->set_view(batch.view());
    Sha256Hasher state;
    state.Update(prev.header().state_hash());
    std::set<Bytes> seen;
    // Membership as of the head (with this block's changes so far).
    auto members = MembersAfter(UINT64_MAX);
    std::set<std::string> current(members.begin(), members.end()), removed;
    for (const auto& c : Changes()) {
      if (!c.add) removed.insert(c.id);
    }
    for (const auto& tx : batch.transactions()) {
      *b.add_transactions() = tx;
      Bytes id = TxId(tx);
      auto* r = b.add_results();
      r->set_tx_id(id);
      if (disk_->tx_ids.count(id) || !seen.insert(id).second) {
        r->set_code(ledger::DUPLICATE_TX);
        r->set_reason("duplicate");
        continue;
      }
      auto config = ParseConfig(tx.payload());
      if (config && (config->first ? current.count(config->second) || removed.count(config->second)
                                   : !current.count(config->second) || current.size() <= 1)) {
        r->set_code(ledger::REJECTED);
        r->set_reason("configuration change does not apply");
        continue;
      }
      if (config && config->first) current.insert(config->second);
      if (config && !config->first) {
        current.erase(config->second);
        removed.insert(config->second);
      }
      state.UpdateField(id);
    }
    h->set_tx_root(TxRoot(b));
    h->set_results_hash(ResultsHash(b));
    Bytes s = state.Finish();
    if (wrong_state) s[0] = static_cast<char>(s[0] ^ 1);
    h->set_state_hash(s);
    return b;
  }

  void Append(const ledger::Block& block) {
    disk_->blocks.push_back(block);
    for (const auto& tx : block.transactions()) disk_->tx_ids.insert(TxId(tx));
    on_commit_(block);
  }

  SimDisk* disk_;
  std::vector<consensus::PreparedProof> unflushed_;  // saved, not yet flushed
  mutable std::vector<Change> changes_;
  mutable size_t changes_at_ = SIZE_MAX;
  std::vector<std::string> genesis_;
  uint64_t epoch_;
  Authenticator* auth_;
  bool wrong_state_;
  std::function<void(const ledger::Block&)> on_commit_;
  std::optional<ledger::Block> held_;
};

}  // namespace carledger::pbft::sim
