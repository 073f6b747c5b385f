// The replica's timers: the view timer that watches the primary (and when it may wait),
// retransmission of what peers may have lost, forwarding of stale client transactions,
// and status for operators.
#include <algorithm>

#include "ledger/pbft/replica.h"
#include "ledger/pbft/replica_internal.h"

namespace carledger::pbft {

// The block everyone waits for moved a step (its pre-prepare arrived, or it prepared):
// the primary is doing its part, and the replicas are only slow (a burst of client
// signatures to check on every node takes a many-validator cluster on few cores well
// over a second). Each step restarts the timer once per sequence number and view, and
// every step past the pre-prepare needs a quorum, so a faulty primary gains at most one
// timeout per block this way.
void Replica::NoteProgress(uint64_t seq) {
  if (in_view_change_ || seq != app_->Height() || view_deadline_ms_ < 0) return;
  view_deadline_ms_ = std::max(view_deadline_ms_, host_->NowMs() + ViewTimeout());
}

int64_t Replica::ViewTimeout() const {
  // Doubled for each view change that has not led to progress: an overloaded cluster
  // backs off instead of changing views faster than it can agree on them.
  return std::max(opt_.view_timeout_ms, 4 * commit_interval_ms_)
         << std::min<uint64_t>(failed_views_, 6);
}

bool Replica::HasOutstandingWork() const {
  if (!pending_.empty() || holding_ || !committed_.empty()) return true;
  if (app_->ValidatorSetChangePending()) return true;  // the epoch must be closed
  uint64_t h = app_->Height();
  for (auto it = log_.lower_bound(h); it != log_.end(); ++it) {
    if (it->second->pre_prepare) return true;
  }
  return false;
}

void Replica::Tick() {
  int64_t now = host_->NowMs();
  bool expired = view_deadline_ms_ >= 0 && now >= view_deadline_ms_;
  // Ordered: a quorum has accepted the next block's pre-prepare (it is prepared here, or
  // committed). (Held alone is not: a block executed early may only be pre-prepared.)
  auto next = log_.find(app_->Height());
  bool ordered =
      committed_.count(app_->Height()) > 0 || (next != log_.end() && next->second->prepared);
  if (expired && !in_view_change_ && (IAmPrimary() || (ordered && patient_at_ != app_->Height()))) {
    // The timer watches the primary, and the primary has done its part: it is us (a
    // primary that gave up on itself would only stop proposing; alone it cannot change
    // the view, and it follows once f+1 backups move), or the next block is already
    // ordered and only waits for commits, execution and votes (each replica executes
    // before it commits), which a new primary would not speed up. That wait gets one more
    // timeout per block, not more: the votes it needs may be from replicas that already
    // left the view.
    if (!IAmPrimary()) patient_at_ = app_->Height();
    view_deadline_ms_ = now + ViewTimeout();
  } else if (expired) {
    view_deadline_ms_ = -1;
    StartViewChange(view_ + 1,
                    in_view_change_
                        ? "no new view from " + PrimaryOf(view_) + " within " +
                              std::to_string(ViewTimeout()) + " ms"
                        : "no block committed for " +
                              std::to_string(last_progress_ms_ > 0 ? now - last_progress_ms_ : -1) +
                              " ms (timeout " + std::to_string(ViewTimeout()) +
                              " ms, typical block interval " + std::to_string(commit_interval_ms_) +
                              " ms) with " + std::to_string(pending_.size()) +
                              " transactions pending");
  } else if (view_deadline_ms_ < 0 && !in_view_change_ && HasOutstandingWork()) {
    view_deadline_ms_ = now + ViewTimeout();
  }
  MaybePropose();
  if (now - last_retransmit_ms_ >= opt_.retransmit_ms) {
    last_retransmit_ms_ = now;
    Retransmit();
  }
  MaybeFetch();
}

void Replica::Retransmit() {
  if (!member()) return;  // a former validator: nobody listens
  int64_t now = host_->NowMs();
  consensus::Message status;
  status.mutable_status()->set_view(view_);
  status.mutable_status()->set_height(app_->Height());
  status.mutable_status()->set_view_change(in_view_change_);
  Broadcast(status);
  ForwardStale(now);
  if (in_view_change_) {
    if (!my_view_change_ && view_ > 0) {
      // Restarted inside a view change: state our own view change for this view.
      SendMyViewChange(MakeViewChange(view_));
    } else {
      for (const auto& v : validators_) {
        if (v != id_) SendViewChangeTo(v, true);
      }
    }
    return;
  }
  for (auto& [seq, s] : log_) {
    if (seq < app_->Height()) continue;
    if (s->committed) {
      // Until the block is certified: a replica that missed our commit could otherwise
      // only learn the block by a view change (the timer does not fire while the next
      // block is ordered and executing).
      if (s->my_commit && now >= s->next_retransmit_ms) {
        s->retransmits = std::min(s->retransmits + 1, 6);
        s->next_retransmit_ms = now + (opt_.retransmit_ms << s->retransmits);
        SendToAll(s->my_commit);
      }
      continue;
    }
    if (s->next_retransmit_ms == 0) s->next_retransmit_ms = s->created_ms + opt_.retransmit_ms;
    if (now < s->next_retransmit_ms) continue;
    s->retransmits = std::min(s->retransmits + 1, 6);
    s->next_retransmit_ms = now + (opt_.retransmit_ms << s->retransmits);
    if (s->pre_prepare && IAmPrimary() && now - s->created_ms >= 5 * opt_.retransmit_ms) {
      // The (large) pre-prepare only to backups that have not shown they hold it, and
      // not before they have had time to check its signatures (under load the primary
      // resent every batch in flight to backups that were still checking it).
      auto prepared = s->prepares.find(s->digest);
      auto committed = s->commits.find(s->digest);
      for (const auto& v : validators_) {
        if (v == id_) continue;
        bool has = (prepared != s->prepares.end() && prepared->second.count(v)) ||
                   (committed != s->commits.end() && committed->second.count(v));
        if (!has) host_->Send(v, s->pre_prepare);
      }
    }
    if (s->my_prepare) SendToAll(s->my_prepare);
    if (s->my_commit) SendToAll(s->my_commit);
  }
  if (holding_) {
    if (!my_vote_) {  // sent inside our commit so far
      consensus::Message body;
      *body.mutable_block_vote() = held_vote_;
      my_vote_ = Seal(body);
    }
    SendToAll(my_vote_);
  }
}

// Transactions still waiting after a while go to every validator (the primary may have
// lost them, or be dead or censoring): then every replica's timer watches the primary.
void Replica::ForwardStale(int64_t now) {
  if (IAmPrimary() && !in_view_change_) return;
  // Not while f+1 peers are ahead: what this replica holds was most likely committed in
  // the blocks it has yet to fetch, and forwarding it only made every peer check it again
  // (a restarted validator re-sent 500 such transactions to all three peers every 0.65 s).
  uint64_t h = app_->Height();
  size_t ahead = 0;
  for (const auto& [id, p] : peers_) ahead += p.height > h + 1 ? 1 : 0;
  if (ahead >= f() + 1) return;
  consensus::Message fwd;
  size_t n_fwd = 0;
  while (!pending_order_.empty() && !pending_.count(pending_order_.front()))
    pending_order_.pop_front();
  size_t scanned = 0;
  for (const auto& tx_id : pending_order_) {
    if (n_fwd >= opt_.max_batch || ++scanned > 4 * opt_.max_batch) break;  // bounded work per tick
    auto it = pending_.find(tx_id);
    if (it == pending_.end() || in_flight_.count(tx_id)) continue;
    // The primary normally has it already (it was forwarded on arrival): pass it on
    // again only after half a view timeout, the most a healthy primary should need.
    if (it->second.forwarded_ms >= 0 &&
        now - it->second.forwarded_ms < std::max(2 * opt_.retransmit_ms, opt_.view_timeout_ms / 2))
      continue;
    it->second.forwarded_ms = now;
    *fwd.mutable_forward()->add_transactions() = it->second.envelope;
    ++n_fwd;
  }
  if (n_fwd > 0) Broadcast(fwd);
}

ReplicaStatus Replica::GetStatus() const {
  ReplicaStatus s;
  s.view = view_;
  s.primary = PrimaryOf(view_);
  s.view_change = in_view_change_;
  s.height = app_->Height();
  s.stable_checkpoint = stable_;
  s.pending = pending_.size();
  for (const auto& [id, p] : peers_) s.peers.push_back(p);
  return s;
}

std::string Replica::DebugString() const {
  std::string s = id_ + " v" + std::to_string(view_) + (in_view_change_ ? "vc" : "") + " h" +
                  std::to_string(app_->Height()) + " stable" + std::to_string(stable_) +
                  (holding_ ? " holding" : "") + " next" + std::to_string(next_seq_) +
                  " committed{";
  for (const auto& [seq, b] : committed_) s += std::to_string(seq) + " ";
  s += "} log{";
  for (const auto& [seq, slot] : log_) {
    s += std::to_string(seq) + (slot->pre_prepare ? "" : "?") + (slot->prepared ? "P" : "") +
         (slot->committed ? "C" : "") + "/" +
         std::to_string(slot->prepares.count(slot->digest) ? slot->prepares.at(slot->digest).size()
                                                           : 0) +
         "/" +
         std::to_string(slot->commits.count(slot->digest) ? slot->commits.at(slot->digest).size()
                                                          : 0) +
         " ";
  }
  s += "} pending" + std::to_string(pending_.size()) + " inflight" +
       std::to_string(in_flight_.size());
  return s;
}

}  // namespace carledger::pbft
