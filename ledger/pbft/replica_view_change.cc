// View changes (TOCS 2002, section 4.4, with signed messages): a replica that gives up
// on the current primary sends ViewChange(v+1) carrying its stable checkpoint and every
// prepared proof above it. The new primary, holding 2f+1 of them, sends NewView with the
// pre-prepares they imply: for each sequence number above the highest checkpoint, the
// batch prepared in the highest view, or a null batch where none prepared. Anyone can
// recompute that from the view changes, so a faulty new primary cannot slip in its own.
//
// Proofs travel by digest: a view change names each prepared batch by its digest, and
// only the copy sent to the new primary carries the batches themselves; the new view
// carries each re-proposed batch once. (Carrying whole batches in every proof made each
// view change tens of megabytes under load, and a new view 2f+1 times that: the view
// change itself overloaded the replicas into the next one.)
#include <algorithm>

#include "common/block_format.h"
#include "ledger/pbft/replica_internal.h"

namespace carledger::pbft {

void Replica::StartViewChange(uint64_t new_view, const std::string& reason) {
  if (!member()) return;
  if (new_view <= view_ && (in_view_change_ || new_view < view_)) return;
  if (new_view == view_ && !in_view_change_) return;
  host_->Log("view change " + std::to_string(view_) + (in_view_change_ ? " (changing)" : "") +
             " -> " + std::to_string(new_view) + ": " + reason + " [" + DebugString() + "]");
  // Recorded before the view change leaves: after a restart we are still in it.
  if (!app_->SaveVoteMark(new_view, 0).ok()) return;
  saved_mark_view_ = new_view;
  saved_mark_ = 0;
  view_ = new_view;
  in_view_change_ = true;
  ++counters_.view_changes;
  ++failed_views_;
  log_.clear();
  in_flight_.clear();
  my_new_view_.reset();
  vc_batches_.erase(vc_batches_.begin(), vc_batches_.lower_bound(view_));
  view_deadline_ms_ = -1;  // armed once 2f+1 replicas are in this view change
  SendMyViewChange(MakeViewChange(new_view));
}

void Replica::SendMyViewChange(const consensus::Message& body) {
  my_view_change_ = SignMessage(id_, body, auth_);
  auto full = std::make_shared<consensus::SignedMessage>(*my_view_change_);
  for (const auto& proof : body.view_change().prepared()) {
    consensus::Message m;
    if (!ParseMessage(proof.pre_prepare(), &m)) continue;
    const consensus::Batch* batch =
        FindBatch(view_, m.pre_prepare().seq(), m.pre_prepare().digest());
    if (batch != nullptr) *full->add_batches() = *batch;
  }
  my_view_change_batches_ = std::move(full);
  batches_sent_ms_ = 0;
  for (const auto& v : validators_) {
    if (v != id_) SendViewChangeTo(v, false);
  }
  OnViewChange(my_view_change_, body.view_change());
}

void Replica::SendViewChangeTo(const std::string& to, bool retransmit) {
  if (!my_view_change_) return;
  if (to != PrimaryOf(view_) || my_view_change_batches_->batches_size() == 0) {
    host_->Send(to, my_view_change_);
    return;
  }
  int64_t now = host_->NowMs();
  if (retransmit && now - batches_sent_ms_ < 10 * opt_.retransmit_ms) {
    host_->Send(to, my_view_change_);  // keeps the view change alive; the batches follow
    return;
  }
  batches_sent_ms_ = now;
  host_->Send(to, my_view_change_batches_);
}

const consensus::Batch* Replica::FindBatch(uint64_t view, uint64_t seq, const Bytes& digest) const {
  auto it = prepared_.find(seq);
  if (it != prepared_.end() && it->second.pre_prepare().batches_size() == 1) {
    consensus::Message m;
    if (m.ParseFromString(it->second.pre_prepare().body()) && m.pre_prepare().digest() == digest)
      return &it->second.pre_prepare().batches(0);
  }
  auto v = vc_batches_.find(view);
  if (v == vc_batches_.end()) return nullptr;
  auto c = v->second.find(digest);
  return c == v->second.end() ? nullptr : &c->second;
}

bool Replica::TakeViewChangeBatches(const consensus::SignedMessage& msg,
                                    const consensus::ViewChange& vc) {
  std::map<Bytes, const consensus::Batch*> carried;
  bool hashed = false;
  for (const auto& proof : vc.prepared()) {
    consensus::Message m;
    if (!ParseMessage(proof.pre_prepare(), &m)) return false;
    const auto& pp = m.pre_prepare();
    if (FindBatch(vc.new_view(), pp.seq(), pp.digest()) != nullptr) continue;
    if (!hashed) {
      for (const auto& b : msg.batches()) carried[BatchDigest(b)] = &b;
      hashed = true;
    }
    auto it = carried.find(pp.digest());
    if (it == carried.end()) return false;
    vc_batches_[vc.new_view()][pp.digest()] = *it->second;
  }
  return true;
}

consensus::Message Replica::MakeViewChange(uint64_t new_view) {
  consensus::Message body;
  auto* vc = body.mutable_view_change();
  vc->set_new_view(new_view);
  vc->set_checkpoint_height(stable_);
  if (stable_ > 0) {
    *vc->mutable_checkpoint_header() = stable_header_;
    *vc->mutable_checkpoint_certificate() = stable_cert_;
  }
  for (const auto& [seq, proof] : prepared_) {
    if (seq <= stable_) continue;
    auto* out = vc->add_prepared();
    *out->mutable_pre_prepare() = WithoutBatches(proof.pre_prepare());
    *out->mutable_prepares() = proof.prepares();
  }
  return body;
}

bool Replica::CheckCertifiedHeader(const ledger::BlockHeader& header,
                                   const ledger::CommitCertificate& cert) {
  if (header.height() > EpochEnd()) return false;  // certified by a set we do not know yet
  std::vector<std::string> set = ValidatorsAt(header.height());
  Bytes digest = VoteDigest(BlockHash(header));
  std::set<std::string> good;
  for (const auto& s : cert.signatures()) {
    if (std::find(set.begin(), set.end(), s.validator()) != set.end() &&
        !good.count(s.validator()) && auth_->Verify(s.validator(), digest, s.signature())) {
      good.insert(s.validator());
    }
  }
  return !set.empty() && good.size() >= QuorumSize(set.size());
}

bool Replica::CheckPreparedProof(const consensus::PreparedProof& proof, uint64_t below_view,
                                 consensus::PrePrepare* pp) {
  consensus::Message m;
  if (!OpenMessage(proof.pre_prepare(), auth_, &m) || !m.has_pre_prepare()) return false;
  *pp = m.pre_prepare();
  std::string primary = PrimaryOf(pp->view());
  if (pp->view() >= below_view || proof.pre_prepare().sender() != primary) return false;
  if (pp->has_batch() && BatchDigest(pp->batch()) != pp->digest()) return false;
  std::set<std::string> senders;
  for (const auto& p : proof.prepares()) {
    consensus::Message pm;
    if (p.sender() == primary || !IsValidator(p.sender()) || senders.count(p.sender()))
      return false;
    if (!OpenMessage(p, auth_, &pm) || !pm.has_prepare()) return false;
    const auto& prep = pm.prepare();
    if (prep.view() != pp->view() || prep.seq() != pp->seq() || prep.digest() != pp->digest())
      return false;
    senders.insert(p.sender());
  }
  return senders.size() + 1 >= quorum();
}

bool Replica::CheckViewChange(const consensus::SignedMessage& msg,
                              const consensus::ViewChange& vc) {
  uint64_t cp = vc.checkpoint_height();
  // Only checkpoints of the current validator set's era that we can follow: a sender
  // still in an older epoch catches up first, one in a newer epoch waits for us.
  if (cp < set_since_ || cp >= EpochEnd()) return false;
  if (cp > 0) {
    if (vc.checkpoint_header().height() != cp ||
        !CheckCertifiedHeader(vc.checkpoint_header(), vc.checkpoint_certificate()))
      return false;
  }
  std::set<uint64_t> seqs;
  for (const auto& proof : vc.prepared()) {
    consensus::PrePrepare pp;
    if (!CheckPreparedProof(proof, vc.new_view(), &pp)) return false;
    if (pp.seq() <= cp || pp.seq() > cp + opt_.window || pp.seq() > EpochEnd() ||
        !seqs.insert(pp.seq()).second)
      return false;
  }
  return true;
}

void Replica::OnViewChange(const MessagePtr& msg, const consensus::ViewChange& vc) {
  const std::string& sender = msg->sender();
  if (vc.new_view() < view_ || (vc.new_view() == view_ && !in_view_change_)) {
    // An old view change: the sender is behind; show it the view we are in.
    if (!in_view_change_ && my_new_view_) {
      auto& last = new_view_sent_ms_[sender];
      int64_t now = host_->NowMs();
      if (last == 0 || now - last >= 4 * opt_.retransmit_ms) {
        last = now;
        host_->Send(sender, my_new_view_);
      }
    }
    return;
  }
  auto old = view_changes_.find(sender);
  if (old != view_changes_.end() && old->second.second.new_view() >= vc.new_view()) return;
  if (sender != id_ && !CheckViewChange(*msg, vc)) {
    ++counters_.rejected_messages;
    return;
  }
  if (sender != id_ && PrimaryOf(vc.new_view()) == id_ && !TakeViewChangeBatches(*msg, vc)) {
    // We are to re-propose its batches and lack one: wait for the copy that carries them
    // (a view change for a view we will not lead counts without them).
    return;
  }
  // Kept bare: the batches we need are in vc_batches_ now.
  view_changes_[sender] = {
      msg->batches_size() == 0
          ? msg
          : std::make_shared<const consensus::SignedMessage>(WithoutBatches(*msg)),
      vc};

  // f+1 replicas want a later view: at least one correct one timed out, so join them
  // (the smallest such view) rather than wait for our own timer.
  std::vector<uint64_t> ahead;
  for (const auto& [s, entry] : view_changes_) {
    if (entry.second.new_view() > view_) ahead.push_back(entry.second.new_view());
  }
  if (ahead.size() >= f() + 1) {
    std::sort(ahead.rbegin(), ahead.rend());
    uint64_t target = ahead[f()];
    if (target > view_) {
      StartViewChange(target, std::to_string(f() + 1) + " replicas are moving to view " +
                                  std::to_string(target) + " or later");
      return;
    }
  }
  if (in_view_change_) {
    // Replicas that have given up on every view below ours (a view change for a later
    // view counts: its sender will not go back).
    size_t here = 0;
    for (const auto& [s, entry] : view_changes_) here += entry.second.new_view() >= view_ ? 1 : 0;
    if (here >= quorum() && view_deadline_ms_ < 0) {
      // Wait for the new primary, longer each time one fails us.
      view_deadline_ms_ = host_->NowMs() + ViewTimeout();
    }
    MaybeSendNewView();
  }
}

void Replica::MaybeSendNewView() {
  if (!in_view_change_ || PrimaryOf(view_) != id_) return;
  std::vector<consensus::ViewChange> vcs;
  consensus::Message body;
  auto* nv = body.mutable_new_view();
  nv->set_view(view_);
  for (const auto& [s, entry] : view_changes_) {
    if (entry.second.new_view() != view_) continue;
    vcs.push_back(entry.second);
    *nv->add_view_changes() = *entry.first;
  }
  if (vcs.size() < quorum()) return;
  std::vector<consensus::PrePrepare> proposals;
  uint64_t min_s = 0;
  if (!ComputeNewViewProposals(view_, vcs, /*with_batches=*/true, &proposals, &min_s)) return;
  for (const auto& pp : proposals) {
    consensus::Message ppm;
    *ppm.mutable_pre_prepare() = pp;
    *nv->add_pre_prepares() = *SignMessage(id_, ppm, auth_);
  }
  MessagePtr msg = Broadcast(body);
  OnNewView(msg, body.new_view());
}

bool Replica::ComputeNewViewProposals(uint64_t view, const std::vector<consensus::ViewChange>& vcs,
                                      bool with_batches,
                                      std::vector<consensus::PrePrepare>* proposals,
                                      uint64_t* min_s) {
  *min_s = 0;
  for (const auto& vc : vcs) *min_s = std::max(*min_s, vc.checkpoint_height());
  std::map<uint64_t, consensus::PrePrepare> best;  // seq -> prepared in the highest view
  uint64_t max_s = *min_s;
  for (const auto& vc : vcs) {
    for (const auto& proof : vc.prepared()) {
      consensus::Message m;
      if (!m.ParseFromString(proof.pre_prepare().body()) || !m.has_pre_prepare()) continue;
      const auto& pp = m.pre_prepare();
      if (pp.seq() <= *min_s) continue;
      max_s = std::max(max_s, pp.seq());
      auto it = best.find(pp.seq());
      if (it == best.end() || it->second.view() < pp.view()) best[pp.seq()] = pp;
    }
  }
  proposals->clear();
  for (uint64_t seq = *min_s + 1; seq <= max_s; ++seq) {
    consensus::PrePrepare out;
    out.set_view(view);
    out.set_seq(seq);
    auto it = best.find(seq);
    if (it != best.end()) {
      // The batch keeps its proposer and view, so its digest is the prepared one.
      out.set_digest(it->second.digest());
      if (with_batches) {
        const consensus::Batch* batch = FindBatch(view, seq, it->second.digest());
        if (batch == nullptr) return false;
        *out.mutable_batch() = *batch;
      }
    } else {
      out.mutable_batch()->set_proposer(PrimaryOf(view));
      out.mutable_batch()->set_view(view);
      out.set_digest(BatchDigest(out.batch()));
    }
    proposals->push_back(std::move(out));
  }
  return true;
}

void Replica::OnNewView(const MessagePtr& msg, const consensus::NewView& nv) {
  if (nv.view() < view_ || (nv.view() == view_ && !in_view_change_) || nv.view() == 0) return;
  if (msg->sender() != PrimaryOf(nv.view())) {
    ++counters_.rejected_messages;
    return;
  }
  bool mine = msg->sender() == id_;
  std::vector<consensus::ViewChange> vcs;
  std::set<std::string> senders;
  for (const auto& m : nv.view_changes()) {
    consensus::Message body;
    if (!IsValidator(m.sender()) || senders.count(m.sender())) continue;
    if (!mine &&
        (!OpenMessage(m, auth_, &body) || !body.has_view_change() ||
         body.view_change().new_view() != nv.view() || !CheckViewChange(m, body.view_change())))
      continue;
    if (mine) body.ParseFromString(m.body());
    senders.insert(m.sender());
    vcs.push_back(body.view_change());
  }
  if (senders.size() < quorum()) {
    ++counters_.rejected_messages;
    return;
  }
  std::vector<consensus::PrePrepare> expected;
  uint64_t min_s = 0;
  ComputeNewViewProposals(nv.view(), vcs, /*with_batches=*/false, &expected, &min_s);
  if (static_cast<size_t>(nv.pre_prepares_size()) != expected.size()) {
    ++counters_.rejected_messages;
    return;
  }
  std::vector<std::pair<MessagePtr, consensus::PrePrepare>> pps;
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& m = nv.pre_prepares(static_cast<int>(i));
    consensus::Message body;
    if (m.sender() != msg->sender() ||
        !(mine ? ParseMessage(m, &body) : OpenMessage(m, auth_, &body)) ||
        !body.has_pre_prepare() || body.pre_prepare().view() != nv.view() ||
        body.pre_prepare().seq() != expected[i].seq() ||
        body.pre_prepare().digest() != expected[i].digest()) {
      ++counters_.rejected_messages;
      return;
    }
    pps.emplace_back(std::make_shared<consensus::SignedMessage>(m), body.pre_prepare());
  }
  if (nv.view() > view_ && !app_->SaveVoteMark(nv.view(), 0).ok()) return;
  if (nv.view() > saved_mark_view_) {
    saved_mark_view_ = nv.view();
    saved_mark_ = 0;
  }
  if (min_s > stable_) {
    // The new view starts above our stable checkpoint: adopt the certified one it names
    // (the blocks up to it come by state transfer).
    for (const auto& vc : vcs) {
      if (vc.checkpoint_height() == min_s) {
        stable_ = min_s;
        stable_header_ = vc.checkpoint_header();
        stable_cert_ = vc.checkpoint_certificate();
        GarbageCollect();
        break;
      }
    }
  }
  view_ = nv.view();
  in_view_change_ = false;
  my_new_view_ = msg;
  my_view_change_.reset();
  my_view_change_batches_.reset();
  vc_batches_.erase(vc_batches_.begin(), vc_batches_.upper_bound(view_));
  log_.clear();
  in_flight_.clear();
  view_changes_.clear();
  view_deadline_ms_ = -1;
  next_seq_ = std::max(app_->Height(), min_s + 1 + expected.size());
  if (IAmPrimary())
    proposable_.assign(pending_order_.begin(), pending_order_.end());
  else
    proposable_.clear();
  for (const auto& [m, pp] : pps) OnPrePrepare(m, pp, /*trusted_time=*/true);
  if (HasOutstandingWork()) view_deadline_ms_ = host_->NowMs() + ViewTimeout();
  MaybePropose();
}

}  // namespace carledger::pbft
