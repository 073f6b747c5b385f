// The normal case: proposing, pre-prepare / prepare / commit, executing committed batches
// in order, block votes and certificates, checkpoints, the pending transactions. Timers,
// retransmission and status are in replica_timers.cc, view changes in
// replica_view_change.cc, state transfer in replica_sync.cc.
#include "ledger/pbft/replica.h"

#include <algorithm>

#include "common/block_format.h"
#include "ledger/pbft/replica_internal.h"

namespace carledger::pbft {

Replica::Replica(std::string id, ReplicaOptions options, ReplicaApp* app, ReplicaHost* host,
                 Authenticator* auth)
    : id_(std::move(id)), opt_(options), app_(app), host_(host), auth_(auth) {}

Replica::~Replica() = default;

Status Replica::Start() {
  validators_ = app_->Validators();
  if (validators_.empty()) return Status::FailedPrecondition("no validators");
  set_since_ = app_->ValidatorSetChangedAt();
  for (const auto& v : validators_) {
    if (v != id_) peers_[v].id = v;
  }
  CL_ASSIGN_OR_RETURN(auto disk, app_->LoadDisk());
  view_ = disk.view();
  vote_floor_view_ = saved_mark_view_ = disk.view();
  vote_floor_seq_ = saved_mark_ = disk.vote_mark();
  uint64_t h = app_->Height();
  if (h == 0) return Status::FailedPrecondition("the ledger has no genesis block");
  stable_ = (h - 1) / opt_.checkpoint_interval * opt_.checkpoint_interval;
  for (const auto& proof : disk.prepared()) {
    consensus::Message m;
    if (!m.ParseFromString(proof.pre_prepare().body()) || !m.has_pre_prepare()) continue;
    const auto& pp = m.pre_prepare();
    if (pp.seq() <= stable_) continue;  // trimmed before the restart (or due to be)
    auto it = prepared_.find(pp.seq());
    if (it == prepared_.end() || ProofView(it->second) <= pp.view()) prepared_[pp.seq()] = proof;
  }
  if (stable_ > 0) {
    CL_ASSIGN_OR_RETURN(auto block, app_->GetBlock(stable_));
    stable_header_ = block.header();
    stable_cert_ = block.certificate();
  }
  next_seq_ = h;
  last_progress_ms_ = host_->NowMs();
  // A restart in a view above 0 has lost that view's new-view log: wait for a peer to
  // send it (or for the view to time out) before taking part.
  in_view_change_ = view_ > 0;
  if (in_view_change_) view_deadline_ms_ = host_->NowMs() + ViewTimeout();
  return Status::Ok();
}

bool Replica::IsValidator(const std::string& id) const {
  return std::find(validators_.begin(), validators_.end(), id) != validators_.end();
}

std::string Replica::PrimaryOf(uint64_t view) const {
  return validators_[view % validators_.size()];
}

uint64_t Replica::EpochEnd() const {
  uint64_t h = app_->Height();
  uint64_t k = opt_.checkpoint_interval;
  return ((h == 0 ? 0 : h - 1) / k + 1) * k;
}

std::vector<std::string> Replica::ValidatorsAt(uint64_t height) {
  if (height > set_since_) return validators_;
  return app_->ValidatorsAt(height);
}

void Replica::OnEpochBoundary(uint64_t height) {
  std::vector<std::string> next = app_->Validators();
  if (!next.empty() && next != validators_) {
    ++counters_.validator_set_changes;
    validators_ = std::move(next);
    set_since_ = height;
    std::map<std::string, PeerInfo> peers;
    for (const auto& v : validators_) {
      if (v == id_) continue;
      auto it = peers_.find(v);
      peers[v] = it != peers_.end() ? it->second : PeerInfo{};
      peers[v].id = v;
    }
    peers_ = std::move(peers);
    // Everything of the old set's view is settled (the primary never proposes past an
    // epoch): start the new set's next view with a view change every member can check.
    log_.clear();
    in_flight_.clear();
    proposable_.clear();
    view_changes_.clear();
    my_new_view_.reset();
    view_deadline_ms_ = -1;
    if (!member()) {
      in_view_change_ = false;
      my_view_change_.reset();
      future_.clear();
      return;
    }
    if (in_view_change_) {
      // Already leaving the old view: restate that view change from the new checkpoint.
      SendMyViewChange(MakeViewChange(view_));
    } else {
      StartViewChange(view_ + 1,
                      "the validator set changes at checkpoint " + std::to_string(height));
    }
  }
  std::deque<std::pair<MessagePtr, consensus::Message>> waiting;
  waiting.swap(future_);
  for (const auto& [msg, body] : waiting) {
    if (IsValidator(msg->sender())) Dispatch(msg, body);
  }
}

MessagePtr Replica::Seal(const consensus::Message& body) {
  if (opt_.authenticated_links && LinkAuthenticable(body)) return UnsignedMessage(id_, body);
  return SignMessage(id_, body, auth_);
}

MessagePtr Replica::Broadcast(const consensus::Message& body) {
  MessagePtr msg = Seal(body);
  SendToAll(msg);
  return msg;
}

void Replica::SendToAll(const MessagePtr& msg) {
  for (const auto& v : validators_) {
    if (v != id_) host_->Send(v, msg);
  }
}

void Replica::SendTo(const std::string& to, const consensus::Message& body) {
  host_->Send(to, Seal(body));
}

// Votes are leased on disk ahead of use: the mark is written before any vote above it,
// so after a restart the replica knows which sequence numbers it may already have voted
// for in that view.
bool Replica::MayVote(uint64_t view, uint64_t seq) {
  if (!member() || seq > EpochEnd()) return false;
  if (view == vote_floor_view_ && seq <= vote_floor_seq_) return false;
  if (view != saved_mark_view_ || seq > saved_mark_) {
    uint64_t mark = std::max(seq, view == saved_mark_view_ ? saved_mark_ : 0) + 4 * opt_.window;
    if (!app_->SaveVoteMark(view, mark).ok()) return false;
    saved_mark_view_ = view;
    saved_mark_ = mark;
  }
  return true;
}

bool Replica::AddPending(const ledger::TxEnvelope& tx, int64_t now) {
  if (pending_.size() >= opt_.max_pending) return false;
  Bytes tx_id = TxId(tx);
  if (pending_.count(tx_id) || app_->IsCommitted(tx_id)) return false;
  PendingTx& p = pending_[tx_id];
  p.envelope = tx;
  p.arrived_ms = now;
  p.forwarded_ms = now;  // sent to every validator on arrival; again only if it goes stale
  pending_order_.push_back(tx_id);
  // Only the settled primary proposes; a new primary rebuilds this from pending_order_.
  if (IAmPrimary() && !in_view_change_) proposable_.push_back(std::move(tx_id));
  if (view_deadline_ms_ < 0 && !in_view_change_) view_deadline_ms_ = now + ViewTimeout();
  return true;
}

size_t Replica::Submit(const std::vector<ledger::TxEnvelope>& txs) {
  size_t taken = 0;
  int64_t now = host_->NowMs();
  consensus::Message fwd;
  for (const auto& tx : txs) {
    if (!AddPending(tx, now)) continue;
    ++taken;
    *fwd.mutable_forward()->add_transactions() = tx;
  }
  // To every validator, as PBFT clients do: the primary orders it, and every backup
  // holds it and starts its timer, so a dead or censoring primary is noticed by all of
  // them at once (one view timeout, not one per relay). The primary first: it is the one
  // a lone transaction waits for.
  if (fwd.has_forward()) {
    MessagePtr msg = Seal(fwd);
    std::string primary = PrimaryOf(view_);
    if (primary != id_) host_->Send(primary, msg);
    for (const auto& v : validators_) {
      if (v != id_ && v != primary) host_->Send(v, msg);
    }
  }
  MaybePropose();
  return taken;
}

void Replica::OnForward(const consensus::Forward& fwd) {
  int64_t now = host_->NowMs();
  for (const auto& tx : fwd.transactions()) AddPending(tx, now);
  MaybePropose();
}

void Replica::MaybePropose() {
  if (!IAmPrimary() || in_view_change_) return;
  int64_t now = host_->NowMs();
  next_seq_ = std::max(next_seq_, app_->Height());
  uint64_t last = std::min(stable_ + opt_.window, EpochEnd());
  while (next_seq_ <= last && next_seq_ < app_->Height() + opt_.max_in_flight) {
    // proposable_ holds ids in arrival order; drop the front ones already proposed in
    // this view or committed, then decide from its size and age without building a batch.
    while (!proposable_.empty() &&
           (!pending_.count(proposable_.front()) || in_flight_.count(proposable_.front()))) {
      proposable_.pop_front();
    }
    if (proposable_.empty()) {
      // Nothing to order, but a validator-set change waits for the epoch's end: close the
      // epoch with empty blocks (one in flight at a time).
      if (next_seq_ != app_->Height() || !app_->ValidatorSetChangePending()) return;
    } else {
      int64_t oldest = pending_.at(proposable_.front()).arrived_ms;
      bool full = proposable_.size() >= opt_.max_batch;
      if (!full && (now - oldest < opt_.batch_delay_ms ||
                    next_seq_ - app_->Height() >= opt_.max_partial_in_flight))
        return;
    }
    consensus::Message body;
    auto* pp = body.mutable_pre_prepare();
    auto* batch = pp->mutable_batch();
    while (!proposable_.empty() &&
           static_cast<size_t>(batch->transactions_size()) < opt_.max_batch) {
      Bytes tx_id = std::move(proposable_.front());
      proposable_.pop_front();
      auto it = pending_.find(tx_id);
      if (it == pending_.end() || in_flight_.count(tx_id)) continue;
      *batch->add_transactions() = it->second.envelope;
    }
    if (batch->transactions_size() == 0 && !app_->ValidatorSetChangePending()) return;
    last_proposed_ts_ = std::max({now, last_proposed_ts_, app_->LastTimestampMs()});
    batch->set_timestamp_ms(last_proposed_ts_);
    batch->set_proposer(id_);
    batch->set_view(view_);
    pp->set_view(view_);
    pp->set_seq(next_seq_);
    pp->set_digest(BatchDigest(*batch));
    MessagePtr msg = Broadcast(body);
    ++next_seq_;
    OnPrePrepare(msg, body.pre_prepare(), /*trusted_time=*/true);
  }
}

Replica::Slot& Replica::GetSlot(uint64_t seq) {
  auto& s = log_[seq];
  if (!s) {
    s = std::make_unique<Slot>();
    s->seq = seq;
    s->created_ms = host_->NowMs();
  }
  return *s;
}

void Replica::OnPrePrepare(const MessagePtr& msg, const consensus::PrePrepare& pp,
                           bool trusted_time) {
  if (in_view_change_ || pp.view() != view_ || msg->sender() != PrimaryOf(view_)) return;
  uint64_t seq = pp.seq();
  if (seq <= stable_ || seq > stable_ + opt_.window || seq > EpochEnd()) return;
  if (pp.batch().view() > pp.view() ||
      static_cast<size_t>(pp.batch().transactions_size()) > opt_.max_batch ||
      BatchDigest(pp.batch()) != pp.digest()) {
    ++counters_.rejected_messages;
    return;
  }
  Slot& s = GetSlot(seq);
  if (s.pre_prepare) {
    if (s.digest != pp.digest()) {
      // Two signed pre-prepares for one sequence number: the primary is faulty.
      ++counters_.rejected_messages;
      StartViewChange(view_ + 1, "the primary sent two pre-prepares for sequence number " +
                                     std::to_string(seq));
    }
    return;
  }
  if (!trusted_time) {
    // A fresh proposal (not one carried by a new view) must be made by this view's
    // primary, with a time that does not go back and is near our clock.
    int64_t ts = pp.batch().timestamp_ms();
    int64_t prev = -1;
    auto prev_slot = log_.find(seq - 1);
    if (prev_slot != log_.end() && prev_slot->second->pre_prepare) {
      prev = prev_slot->second->pp.batch().timestamp_ms();
    } else if (seq == app_->Height()) {
      prev = app_->LastTimestampMs();
    }
    if (pp.batch().proposer() != msg->sender() || pp.batch().view() != view_ || ts < prev ||
        std::abs(ts - host_->NowMs()) > opt_.max_clock_skew_ms) {
      ++counters_.rejected_messages;
      return;
    }
  }
  s.pre_prepare = msg;
  s.pp = pp;
  s.digest = pp.digest();
  NoteProgress(seq);
  for (const auto& tx : pp.batch().transactions()) in_flight_.insert(TxId(tx));
  if (!IAmPrimary() && MayVote(view_, seq)) {
    consensus::Message body;
    auto* p = body.mutable_prepare();
    p->set_view(view_);
    p->set_seq(seq);
    p->set_digest(s.digest);
    MessagePtr mine = Broadcast(body);
    s.my_prepare = mine;
    s.prepares[s.digest][id_] = mine;
  }
  CheckSlot(seq);
}

void Replica::OnPrepare(const MessagePtr& msg, const consensus::Prepare& p) {
  if (in_view_change_ || p.view() != view_ || msg->sender() == PrimaryOf(view_)) return;
  if (p.seq() <= stable_ || p.seq() > stable_ + opt_.window || p.seq() > EpochEnd()) return;
  Slot& s = GetSlot(p.seq());
  if (s.prepares.size() > 4 && !s.prepares.count(p.digest()))
    return;  // bound what a liar can make us store
  s.prepares[p.digest()][msg->sender()] = msg;
  CheckSlot(p.seq());
}

void Replica::OnCommit(const std::string& sender, const consensus::Commit& c) {
  if (in_view_change_ || c.view() != view_) return;
  if (c.seq() <= stable_ || c.seq() > stable_ + opt_.window || c.seq() > EpochEnd()) return;
  Slot& s = GetSlot(c.seq());
  if (s.commits.size() > 4 && !s.commits.count(c.digest())) return;
  s.commits[c.digest()].insert(sender);
  CheckSlot(c.seq());
  if (c.has_vote() && c.vote().height() == c.seq()) OnBlockVote(sender, c.vote());
}

void Replica::CheckSlot(uint64_t seq) {
  auto it = log_.find(seq);
  if (it == log_.end()) return;
  Slot& s = *it->second;
  if (!s.pre_prepare) return;
  if (!s.prepared) {
    auto& votes = s.prepares[s.digest];
    if (votes.size() + 1 < quorum()) return;  // with the pre-prepare: a quorum
    s.prepared = true;
    NoteProgress(seq);
    consensus::PreparedProof proof;
    *proof.mutable_pre_prepare() = *s.pre_prepare;
    for (const auto& [sender, m] : votes) {
      if (proof.prepares_size() + 1 == static_cast<int>(quorum())) break;
      *proof.add_prepares() = WithoutBatches(*m);
    }
    auto old = prepared_.find(seq);
    bool saving = false;
    if (old == prepared_.end() || ProofView(old->second) <= view_) {
      // On disk before our commit (or vote) leaves, so a restart still reports it in a view
      // change. The block executes while the proof is flushed.
      if (!app_->SavePrepared(proof).ok()) return;
      prepared_[seq] = proof;
      saving = true;
    }
    bool voting = MayVote(view_, seq);
    std::optional<consensus::BlockVote> vote;
    if (voting) vote = ExecuteEarly(seq);
    if (saving && !app_->FlushPrepared().ok()) {
      if (vote) DropHeld();
      return;
    }
    if (voting) {
      consensus::Message body;
      auto* c = body.mutable_commit();
      c->set_view(view_);
      c->set_seq(seq);
      c->set_digest(s.digest);
      if (vote) *c->mutable_vote() = std::move(*vote);
      MessagePtr mine = Broadcast(body);
      s.my_commit = mine;
      s.commits[s.digest].insert(id_);
    }
  }
  if (!s.committed && s.commits[s.digest].size() >= quorum()) {
    s.committed = true;
    if (holding_ && seq == app_->Height() && !held_digest_.empty() && held_digest_ != s.digest) {
      // Executed early, but a new view ordered another batch here: drop that block (its
      // vote cannot gather a quorum: too few replicas prepared it).
      DropHeld();
      ++counters_.early_executions_dropped;
    }
    // Ordering progress: the primary is doing its job even if execution lags behind.
    if (!in_view_change_) view_deadline_ms_ = host_->NowMs() + ViewTimeout();
    if (seq >= app_->Height()) committed_[seq] = s.pp.batch();
    TryExecute();
  }
}

void Replica::TryExecute() {
  while (true) {
    if (holding_) {
      CheckCertificate();
      if (holding_) return;
    }
    uint64_t h = app_->Height();
    auto it = committed_.find(h);
    if (stuck_fetch_) return;  // stuck: wait for the certified block
    if (it == committed_.end()) {
      // Not ordered yet, but prepared here (its commit already went out, without a
      // vote): execute it now and send the vote on its own.
      auto vote = ExecuteEarly(h);  // only a member executes early
      if (vote) {
        consensus::Message body;
        *body.mutable_block_vote() = std::move(*vote);
        my_vote_ = Broadcast(body);
      }
      return;
    }
    auto header = app_->Execute(it->second);
    if (!header.ok()) {
      ++counters_.execute_failures;
      return;
    }
    auto slot = log_.find(h);
    Hold(h, it->second, header.value(), slot != log_.end() ? slot->second->digest : Bytes());
    if (member()) {
      consensus::Message body;
      *body.mutable_block_vote() = held_vote_;
      my_vote_ = Broadcast(body);
    }
  }
}

void Replica::Hold(uint64_t height, const consensus::Batch& batch,
                   const ledger::BlockHeader& header, const Bytes& digest) {
  holding_ = true;
  held_tx_ids_.clear();
  held_tx_ids_.reserve(static_cast<size_t>(batch.transactions_size()));
  for (const auto& tx : batch.transactions()) held_tx_ids_.push_back(TxId(tx));
  held_header_ = header;
  held_hash_ = BlockHash(held_header_);
  held_digest_ = digest;
  held_vote_.set_height(height);
  held_vote_.set_block_hash(held_hash_);
  held_vote_.set_signature(auth_->Sign(VoteDigest(held_hash_)));
  my_vote_.reset();
  if (member()) votes_[height][held_hash_][id_] = held_vote_.signature();
}

bool Replica::Outdated(const consensus::Message& body) const {
  // Only what a certified block made moot. (Not the prepares past a slot's quorum: the
  // primary counts them as proof that a backup holds its pre-prepare, and resends the
  // large pre-prepare to backups it has not heard from.)
  uint64_t h = app_->Height();
  if (body.has_commit()) return body.commit().seq() < h;
  if (body.has_block_vote()) return body.block_vote().height() < h;
  if (body.has_prepare()) return body.prepare().seq() < h;
  return false;
}

void Replica::DropHeld() {
  votes_[app_->Height()][held_hash_].erase(id_);
  holding_ = false;
  my_vote_.reset();
}

std::optional<consensus::BlockVote> Replica::ExecuteEarly(uint64_t seq) {
  // Safe to vote for a block that is only prepared here: a certificate needs 2f+1 votes,
  // so f+1 honest replicas prepared its batch, and every later view carries that batch
  // at this height (a view change's quorum includes one of them). Execution keeps no
  // state until the certificate arrives, so a batch that loses is simply dropped.
  if (holding_ || stuck_fetch_ || !member() || seq != app_->Height()) return std::nullopt;
  auto it = log_.find(seq);
  if (it == log_.end() || !it->second->prepared) return std::nullopt;
  auto header = app_->Execute(it->second->pp.batch());
  if (!header.ok()) {
    ++counters_.execute_failures;
    return std::nullopt;
  }
  ++counters_.early_executions;
  Hold(seq, it->second->pp.batch(), header.value(), it->second->digest);
  return held_vote_;
}

void Replica::OnBlockVote(const std::string& sender, const consensus::BlockVote& v) {
  auto& peer = peers_[sender];
  peer.height = std::max(peer.height, v.height() + 1);
  uint64_t h = app_->Height();
  if (v.height() < h || v.height() >= h + opt_.window || v.height() > EpochEnd()) return;
  auto& by_hash = votes_[v.height()];
  if (by_hash.size() > 4 && !by_hash.count(v.block_hash())) return;
  if (!auth_->Verify(sender, VoteDigest(v.block_hash()), v.signature())) {
    ++counters_.rejected_messages;
    return;
  }
  by_hash[v.block_hash()][sender] = v.signature();
  if (v.height() == h && holding_) TryExecute();
}

void Replica::CheckCertificate() {
  uint64_t h = app_->Height();
  auto& by_hash = votes_[h];
  auto& mine = by_hash[held_hash_];
  if (mine.size() >= quorum()) {
    ledger::CommitCertificate cert;
    cert.set_view(held_header_.view());
    for (const auto& [voter, sig] : mine) {
      auto* s = cert.add_signatures();
      s->set_validator(voter);
      s->set_signature(sig);
    }
    Status st = app_->Commit(cert);
    if (!st.ok()) {
      ++counters_.execute_failures;
      return;
    }
    holding_ = false;
    AfterCommit(h, held_header_, cert, held_tx_ids_);
    return;
  }
  for (const auto& [hash, voters] : by_hash) {
    if (hash != held_hash_ && voters.size() >= quorum()) {
      // A quorum certified a different header: our execution is wrong. Drop it and fetch
      // the certified block instead.
      ++counters_.divergences;
      holding_ = false;
      stuck_fetch_ = true;
      MaybeFetch();
      return;
    }
  }
}

void Replica::AfterCommit(uint64_t height, const ledger::BlockHeader& header,
                          const ledger::CommitCertificate& cert, const std::vector<Bytes>& tx_ids) {
  for (const auto& id : tx_ids) {
    pending_.erase(id);
    in_flight_.erase(id);
  }
  // Committed ids leave the front of the arrival-order queues (the rest goes lazily).
  while (!pending_order_.empty() && !pending_.count(pending_order_.front()))
    pending_order_.pop_front();
  while (!proposable_.empty() && !pending_.count(proposable_.front())) proposable_.pop_front();
  committed_.erase(committed_.begin(), committed_.upper_bound(height));
  votes_.erase(votes_.begin(), votes_.upper_bound(height));
  int64_t now = host_->NowMs();
  if (last_progress_ms_ > 0 && HasOutstandingWork()) {
    // Typical time between blocks under load, so a cluster that is slow but moving
    // (many validators on few cores) is not mistaken for a failed primary.
    commit_interval_ms_ = (commit_interval_ms_ * 7 + (now - last_progress_ms_)) / 8;
  }
  last_progress_ms_ = now;
  stuck_fetch_ = false;
  failed_views_ = 0;
  if (!in_view_change_) view_deadline_ms_ = HasOutstandingWork() ? now + ViewTimeout() : -1;
  if (height % opt_.checkpoint_interval == 0 && height > stable_) {
    stable_ = height;
    stable_header_ = header;
    stable_cert_ = cert;
    GarbageCollect();
  }
  if (height % opt_.checkpoint_interval == 0) OnEpochBoundary(height);
  MaybePropose();  // the next batch may have been waiting for this block
}

void Replica::GarbageCollect() {
  log_.erase(log_.begin(), log_.upper_bound(stable_));
  prepared_.erase(prepared_.begin(), prepared_.upper_bound(stable_));
  (void)app_->TrimPrepared(stable_);
}

void Replica::Receive(const consensus::SignedMessage& raw, std::string_view link) {
  if (raw.sender() == id_ || !IsValidator(raw.sender())) {
    ++counters_.rejected_messages;
    return;
  }
  consensus::Message body;
  if (!ParseMessage(raw, &body) ||
      (raw.batches_size() > 0 && !body.has_pre_prepare() && !body.has_view_change())) {
    ++counters_.rejected_messages;
    return;
  }
  if (Outdated(body)) {
    // Dropped as if lost (PBFT tolerates that), without the cost of checking it.
    ++counters_.outdated_unchecked;
    return;
  }
  // Unsigned: only what is never forwarded as proof, and only as its sender's own link
  // vouches (a peer relaying it, or claiming to be another, must sign).
  bool by_link =
      raw.signature().empty() && !link.empty() && link == raw.sender() && LinkAuthenticable(body);
  if (!by_link && !auth_->Verify(raw.sender(), raw.body(), raw.signature())) {
    ++counters_.rejected_messages;
    return;
  }
  peers_[raw.sender()].last_heard_ms = host_->NowMs();
  auto msg = std::make_shared<consensus::SignedMessage>(raw);
  // Votes for the next epoch wait for its first block (its validators may differ).
  uint64_t at = 0;
  if (body.has_pre_prepare()) at = body.pre_prepare().seq();
  if (body.has_prepare()) at = body.prepare().seq();
  if (body.has_commit()) at = body.commit().seq();
  if (body.has_block_vote()) at = body.block_vote().height();
  if (at > EpochEnd() && at <= stable_ + opt_.window) {
    if (future_.size() >= 4 * opt_.window * 4) future_.pop_front();
    future_.emplace_back(std::move(msg), std::move(body));
    return;
  }
  Dispatch(msg, body);
}

void Replica::Dispatch(const MessagePtr& msg, const consensus::Message& body) {
  const std::string& sender = msg->sender();
  switch (body.body_case()) {
    case consensus::Message::kPrePrepare:
      OnPrePrepare(msg, body.pre_prepare(), false);
      break;
    case consensus::Message::kPrepare:
      OnPrepare(msg, body.prepare());
      break;
    case consensus::Message::kCommit:
      OnCommit(sender, body.commit());
      break;
    case consensus::Message::kBlockVote:
      OnBlockVote(sender, body.block_vote());
      break;
    case consensus::Message::kViewChange:
      OnViewChange(msg, body.view_change());
      break;
    case consensus::Message::kNewView:
      OnNewView(msg, body.new_view());
      break;
    case consensus::Message::kForward:
      OnForward(body.forward());
      break;
    case consensus::Message::kStatus:
      OnStatus(sender, body.status());
      break;
    case consensus::Message::kFetchBlocks:
      OnFetchBlocks(sender, body.fetch_blocks());
      break;
    case consensus::Message::kBlockBatch:
      OnBlockBatch(sender, body.block_batch());
      break;
    default:
      ++counters_.rejected_messages;
  }
}

void Replica::OnStatus(const std::string& sender, const consensus::Status& s) {
  auto& peer = peers_[sender];
  peer.height = s.height();
  peer.view = s.view();
  int64_t now = host_->NowMs();
  bool behind = s.view() < view_ || (s.view() == view_ && s.view_change());
  if (!behind) return;
  auto& last = new_view_sent_ms_[sender];
  if (last != 0 && now - last < 4 * opt_.retransmit_ms) return;
  last = now;
  // Help a peer that missed the new view (or restarted) into ours.
  if (!in_view_change_ && my_new_view_) host_->Send(sender, my_new_view_);
  if (in_view_change_) SendViewChangeTo(sender, true);
}

}  // namespace carledger::pbft
