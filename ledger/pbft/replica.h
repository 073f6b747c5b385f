// One pBFT replica (Castro & Liskov, OSDI '99 / TOCS 2002) as a deterministic state
// machine: no threads, no sockets, no clock of its own. The host feeds it messages,
// client transactions and ticks, and carries what it sends; the app executes and stores
// blocks. The same code runs in real nodes and in the seeded simulation.
//
// Order, then execute. The primary of view v (validators[v mod n]) assigns batches of
// transactions to sequence numbers (= block heights) inside the watermarks; pre-prepare,
// prepare and commit make a batch committed at 2f+1 replicas. Each replica executes
// committed batches in order, signs the resulting header and broadcasts that vote; 2f+1
// matching votes are the block's commit certificate, stored with the block (so a wrong
// state hash from a faulty replica never gathers a certificate). Certified blocks at
// multiples of the checkpoint interval are the stable checkpoints: the low watermark,
// and the point below which message logs are dropped.
//
// A replica that sees no progress while work is pending, a primary that equivocates or
// stalls, or an admin request moves to the next view (ViewChange with the stable
// checkpoint and prepared proofs; the new primary's NewView re-proposes what may have
// committed and fills gaps with null batches; timeouts double per failed view). A
// replica that is behind (restarted, wiped, new, or missing a batch) fetches certified
// blocks from peers that claim to be ahead, checks each certificate and re-executes, so
// no single peer is trusted. Before voting in a view a replica records the view and a
// vote mark on disk, and it records each prepared proof before sending its commit, so a
// restart with its disk cannot make it vote twice or forget what prepared. (A restart
// with a wiped disk is amnesia and counts against f.)
//
// Epochs. The validator set can change (configuration transactions) only at checkpoint
// heights: the app names the set for each block. A primary never proposes past the end
// of the current epoch, so every sequence number is agreed by one set; messages for the
// next epoch wait in a small buffer until its first block is reached. When the set does
// change, every member starts a view change into the new set's next view, so old and new
// members alike enter it through a NewView they can check; a replica that is no longer a
// member stops voting.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/block_format.h"
#include "common/status.h"
#include "consensus.pb.h"
#include "ledger.pb.h"
#include "ledger/pbft/messages.h"

namespace carledger::pbft {

// The replicated state machine and its storage, as the replica needs it.
class ReplicaApp {
 public:
  virtual ~ReplicaApp() = default;
  // Blocks committed (genesis included): the next height to execute.
  virtual uint64_t Height() = 0;
  // Validator ids in leader order (the primary of view v is [v mod n]) for the next
  // block, Height().
  virtual std::vector<std::string> Validators() = 0;
  // The validators whose votes certify block `height` (height <= the end of the current
  // epoch).
  virtual std::vector<std::string> ValidatorsAt(uint64_t height) = 0;
  // The last epoch boundary (a multiple of the checkpoint interval, at or below Height()-1)
  // after which the validator set changed; 0 if it is the genesis set.
  virtual uint64_t ValidatorSetChangedAt() = 0;
  // True when committed configuration transactions change the set at the next epoch
  // boundary (the primary then fills the epoch with empty blocks if there is no work, so
  // the change does not wait for traffic).
  virtual bool ValidatorSetChangePending() = 0;
  // The last committed block's time.
  virtual int64_t LastTimestampMs() = 0;
  // Executes `batch` as block Height() on committed state (block time: max(batch time,
  // last block time)) and holds the result for Commit. Returns its header.
  virtual Result<ledger::BlockHeader> Execute(const consensus::Batch& batch) = 0;
  // Makes the held block durable with `certificate` (2f+1 votes on its header, each
  // signature already checked by the replica as its vote arrived).
  virtual Status Commit(const ledger::CommitCertificate& certificate) = 0;
  // Applies a certified block fetched from a peer at Height(): checks the certificate
  // against the validators, re-executes and compares. Drops any held execution.
  virtual Status Apply(const ledger::Block& block) = 0;
  virtual Result<ledger::Block> GetBlock(uint64_t height) = 0;
  // True if a block already holds a transaction with this id.
  virtual bool IsCommitted(const Bytes& tx_id) = 0;

  // Durable consensus state (see consensus.ReplicaDisk).
  virtual Result<consensus::ReplicaDisk> LoadDisk() = 0;
  virtual Status SaveVoteMark(uint64_t view, uint64_t vote_mark) = 0;
  // Stores `proof`; it may still be on its way to disk when this returns (the replica
  // executes the block meanwhile). Durable once FlushPrepared() returns OK.
  virtual Status SavePrepared(const consensus::PreparedProof& proof) = 0;
  virtual Status FlushPrepared() = 0;
  // Proofs at or below `seq` are no longer needed.
  virtual Status TrimPrepared(uint64_t seq) = 0;
};

class ReplicaHost {
 public:
  virtual ~ReplicaHost() = default;
  // Sends to one validator (best effort; the replica retransmits what matters).
  virtual void Send(const std::string& to, const MessagePtr& msg) = 0;
  virtual int64_t NowMs() = 0;
  // A line for the operator's log: why the replica did something out of the ordinary
  // (left a view, fell behind). Default: dropped.
  virtual void Log(const std::string& line) { (void)line; }
};

struct ReplicaOptions {
  uint64_t checkpoint_interval = 16;
  // High watermark = stable checkpoint + window. At most 127 with LedgerReplicaApp, whose
  // prepared-proof slots are reused 256 sequence numbers later (prepared_slots.h).
  uint64_t window = 64;
  size_t max_batch = 1000;     // transactions per block
  uint64_t max_in_flight = 8;  // sequence numbers proposed but not yet executed
  // How long the primary waits to fill a batch when no block is in flight. None by
  // default: a lone transaction is ordered at once, and under load the blocks in flight
  // batch what arrives meanwhile (max_partial_in_flight).
  int64_t batch_delay_ms = 0;
  // A batch that is not full waits while this many blocks are in flight: under load the
  // blocks in flight are the batching window, so batches grow with the load instead of
  // the block rate growing (every block costs every node several fsyncs and signatures).
  uint64_t max_partial_in_flight = 1;
  int64_t view_timeout_ms = 1000;     // no progress while work is pending -> view change
  int64_t retransmit_ms = 100;        // resend what peers may have lost; status
  int64_t max_clock_skew_ms = 30000;  // a pre-prepare time further from our clock is refused
  size_t max_pending = 200000;        // client transactions waiting (then Submit refuses)
  uint32_t fetch_max_blocks = 32;
  // The host's links authenticate their sender (mutual TLS) and Receive is told whom:
  // LinkAuthenticable messages (commits, votes, forwards, statuses, block sync) then go
  // unsigned. Each still accepts either kind; this only decides what it sends.
  bool authenticated_links = false;
};

struct PeerInfo {
  std::string id;
  uint64_t height = 0;  // as last reported
  uint64_t view = 0;
  int64_t last_heard_ms = -1;
  int64_t bad_until_ms = 0;  // sent a bad block: not asked again before this
};

struct ReplicaStatus {
  uint64_t view = 0;
  std::string primary;
  bool view_change = false;
  uint64_t height = 0;  // blocks committed
  uint64_t stable_checkpoint = 0;
  size_t pending = 0;  // client transactions waiting
  std::vector<PeerInfo> peers;
};

class Replica {
 public:
  Replica(std::string id, ReplicaOptions options, ReplicaApp* app, ReplicaHost* host,
          Authenticator* auth);
  ~Replica();

  // Loads the durable consensus state. Call once, before anything else.
  Status Start();

  // Client transactions (already admitted by the node). Returns how many were taken
  // (the rest: already pending or committed, or the pending queue is full).
  size_t Submit(const std::vector<ledger::TxEnvelope>& txs);

  // A message from a peer (anything: it is checked here). `link`: the validator the
  // host's link authenticated as the message's sender, or empty when it cannot say. An
  // unsigned message is taken only if it is LinkAuthenticable and from `link` itself.
  void Receive(const consensus::SignedMessage& msg, std::string_view link = {});

  // Timers and batching; call every few milliseconds.
  void Tick();

  // Admin: leave view `from` for the next one (rotating the primary); nothing if this
  // replica is already past `from`. The cluster follows once f+1 replicas ask.
  void RequestViewChange(uint64_t from) {
    if (from == view_ && !in_view_change_) StartViewChange(view_ + 1, "an administrator asked");
  }

  ReplicaStatus GetStatus() const;
  // One line of internal state, for failure messages and debugging.
  std::string DebugString() const;
  const std::string& id() const { return id_; }
  uint64_t view() const { return view_; }
  size_t pending() const { return pending_.size(); }
  bool in_view_change() const { return in_view_change_; }

  // Counters for tests and metrics.
  struct Counters {
    uint64_t view_changes = 0;
    uint64_t rejected_messages = 0;
    uint64_t blocks_fetched = 0;
    uint64_t fetch_failures = 0;
    uint64_t divergences = 0;  // our execution disagreed with a certified header
    uint64_t execute_failures = 0;
    uint64_t early_executions = 0;          // blocks executed when prepared, voted in the commit
    uint64_t early_executions_dropped = 0;  // ... of which a new view ordered another batch
    uint64_t validator_set_changes = 0;
    uint64_t outdated_unchecked = 0;  // dropped as no longer needed, signature not checked
  };
  const Counters& counters() const { return counters_; }

 private:
  struct Slot;
  struct PendingTx {
    ledger::TxEnvelope envelope;
    int64_t arrived_ms = 0;
    int64_t forwarded_ms = -1;
  };
  // Forgets the executed block held for its certificate, and our vote for it.
  void DropHeld();
  // True if `body` can change nothing here any more: a prepare, commit or vote for a block
  // already certified here. Its signature need not be checked (a block's last commit and
  // vote usually arrive after its certificate).
  bool Outdated(const consensus::Message& body) const;

  // replica.cc: normal case, execution, pool (timers: replica_timers.cc)
  size_t n() const { return validators_.size(); }
  size_t f() const { return (n() - 1) / 3; }
  size_t quorum() const { return QuorumSize(n()); }
  bool IsValidator(const std::string& id) const;
  std::string PrimaryOf(uint64_t view) const;
  bool member() const { return IsValidator(id_); }
  // The last height agreed by the current validator set (a checkpoint height).
  uint64_t EpochEnd() const;
  // A committed checkpoint: switch validator sets if they changed; replay what waited.
  void OnEpochBoundary(uint64_t height);
  // Votes and checkpoints certify with the set in force at their height.
  std::vector<std::string> ValidatorsAt(uint64_t height);
  bool IAmPrimary() const { return PrimaryOf(view_) == id_; }
  // Seals `body` and sends it to every other validator; returns the message sent.
  MessagePtr Broadcast(const consensus::Message& body);
  // `body` as this replica sends it: unsigned when its links authenticate it and it is
  // LinkAuthenticable, signed otherwise.
  MessagePtr Seal(const consensus::Message& body);
  void SendToAll(const MessagePtr& msg);
  void SendTo(const std::string& to, const consensus::Message& body);
  bool MayVote(uint64_t view, uint64_t seq);
  void MaybePropose();
  Slot& GetSlot(uint64_t seq);
  // `trusted_time`: our own proposal or one carried by a new view (no clock checks).
  void OnPrePrepare(const MessagePtr& msg, const consensus::PrePrepare& pp, bool trusted_time);
  void OnPrepare(const MessagePtr& msg, const consensus::Prepare& p);
  void OnCommit(const std::string& sender, const consensus::Commit& c);
  void CheckSlot(uint64_t seq);
  // Slot `seq` took a step (pre-prepared, prepared): if it is the next block, restart the
  // view timer.
  void NoteProgress(uint64_t seq);
  void TryExecute();
  void OnBlockVote(const std::string& sender, const consensus::BlockVote& v);
  // Executes slot `seq` as soon as it prepared, when it is the next block and nothing is
  // held, and returns the block vote to send inside our commit (none otherwise).
  std::optional<consensus::BlockVote> ExecuteEarly(uint64_t seq);
  // Keeps an executed block (of the batch with `digest`) until its certificate, with our
  // vote for it.
  void Hold(uint64_t height, const consensus::Batch& batch, const ledger::BlockHeader& header,
            const Bytes& digest);
  void CheckCertificate();
  void AfterCommit(uint64_t height, const ledger::BlockHeader& header,
                   const ledger::CommitCertificate& cert, const std::vector<Bytes>& tx_ids);
  void OnForward(const consensus::Forward& fwd);
  // Takes a client transaction into the pending set (false: known, committed, or full).
  bool AddPending(const ledger::TxEnvelope& tx, int64_t now);
  void OnStatus(const std::string& sender, const consensus::Status& s);
  void Dispatch(const MessagePtr& msg, const consensus::Message& body);
  void Retransmit();
  void ForwardStale(int64_t now);
  void GarbageCollect();
  bool HasOutstandingWork() const;
  // The normal-case timer: the configured timeout, or longer when blocks are slow.
  int64_t ViewTimeout() const;

  // replica_view_change.cc
  // `reason` goes to the host's log: a view change costs the cluster a view timeout or
  // more, so an operator must be able to tell why it happened.
  void StartViewChange(uint64_t new_view, const std::string& reason);
  consensus::Message MakeViewChange(uint64_t new_view);
  // Signs our view change for view_ (and its copy for the new primary) and counts it.
  void SendMyViewChange(const consensus::Message& body);
  // Our view change to one peer: the new primary gets the copy that carries our prepared
  // batches (at most once a second when `retransmit`), the others the bare one.
  void SendViewChangeTo(const std::string& to, bool retransmit);
  // A batch we hold for (seq, digest): from our prepared proofs, or carried by a view
  // change into `view`. Null if we have none.
  const consensus::Batch* FindBatch(uint64_t view, uint64_t seq, const Bytes& digest) const;
  // As the new primary: keeps the batches a view change carries for its proofs. False
  // if a proof's batch is neither carried nor held here (the view change cannot be used
  // to build a new view yet).
  bool TakeViewChangeBatches(const consensus::SignedMessage& msg, const consensus::ViewChange& vc);
  bool CheckViewChange(const consensus::SignedMessage& msg, const consensus::ViewChange& vc);
  void OnViewChange(const MessagePtr& msg, const consensus::ViewChange& vc);
  void MaybeSendNewView();
  // The pre-prepares a new view must carry, given its view changes, and the checkpoint
  // (highest among them) it starts from.
  // With `with_batches` each re-proposal carries its batch (false if one is missing);
  // without, only the digests are filled in (enough to check a new view).
  bool ComputeNewViewProposals(uint64_t view, const std::vector<consensus::ViewChange>& vcs,
                               bool with_batches, std::vector<consensus::PrePrepare>* proposals,
                               uint64_t* min_s);
  void OnNewView(const MessagePtr& msg, const consensus::NewView& nv);
  bool CheckPreparedProof(const consensus::PreparedProof& proof, uint64_t below_view,
                          consensus::PrePrepare* pp);
  bool CheckCertifiedHeader(const ledger::BlockHeader& header,
                            const ledger::CommitCertificate& cert);

  // replica_sync.cc: state transfer
  void MaybeFetch();
  void OnFetchBlocks(const std::string& sender, const consensus::FetchBlocks& req);
  void OnBlockBatch(const std::string& sender, const consensus::BlockBatch& batch);

  std::string id_;
  ReplicaOptions opt_;
  ReplicaApp* app_;
  ReplicaHost* host_;
  Authenticator* auth_;
  std::vector<std::string> validators_;
  uint64_t set_since_ = 0;  // the checkpoint after which validators_ took over
  // Checked messages for sequence numbers past EpochEnd(), replayed at the boundary.
  std::deque<std::pair<MessagePtr, consensus::Message>> future_;

  uint64_t view_ = 0;
  bool in_view_change_ = false;
  int64_t view_deadline_ms_ = -1;  // -1: no timer running
  uint64_t failed_views_ = 0;      // view changes since the last progress
  // The height whose execution already had its one extra timeout (see Tick).
  uint64_t patient_at_ = UINT64_MAX;
  // After a restart: no votes at or below vote_floor_seq_ in vote_floor_view_ (we may
  // have cast them before the crash).
  uint64_t vote_floor_view_ = 0;
  uint64_t vote_floor_seq_ = 0;
  uint64_t saved_mark_view_ = 0;
  uint64_t saved_mark_ = 0;

  // Normal case.
  std::map<uint64_t, std::unique_ptr<Slot>> log_;  // seq -> slot in the current view
  uint64_t next_seq_ = 1;                          // primary: next sequence number to assign
  int64_t last_proposed_ts_ = 0;
  // seq -> the highest-view prepared proof we hold (kept across views until GC).
  std::map<uint64_t, consensus::PreparedProof> prepared_;
  // Committed here, not yet executed (kept across views: a committed batch is final).
  std::map<uint64_t, consensus::Batch> committed_;

  // Execution and certificates.
  bool holding_ = false;  // executed Height() and waiting for its certificate
  Bytes held_digest_;     // the batch executed (early: it may lose to another in a new view)
  ledger::BlockHeader held_header_;
  Bytes held_hash_;
  consensus::BlockVote held_vote_;
  std::vector<Bytes> held_tx_ids_;
  MessagePtr my_vote_;  // held_vote_ signed as a message; made when first sent
  // height -> block hash -> voter -> signature
  std::map<uint64_t, std::map<Bytes, std::map<std::string, Bytes>>> votes_;
  uint64_t stable_ = 0;  // height of the stable checkpoint
  ledger::BlockHeader stable_header_;
  ledger::CommitCertificate stable_cert_;

  // View change.
  std::map<std::string, std::pair<MessagePtr, consensus::ViewChange>>
      view_changes_;                   // latest per sender
  MessagePtr my_view_change_;          // bare: proofs without their batches
  MessagePtr my_view_change_batches_;  // the same, carrying the batches (for the new primary)
  int64_t batches_sent_ms_ = 0;
  // New primary: batches carried by the view changes into a view it leads (view -> digest
  // -> batch); views below ours are dropped.
  std::map<uint64_t, std::map<Bytes, consensus::Batch>> vc_batches_;
  MessagePtr my_new_view_;  // the NewView that started the current view (view > 0)
  std::map<std::string, int64_t> new_view_sent_ms_;

  // Client transactions.
  std::unordered_map<Bytes, PendingTx> pending_;
  std::deque<Bytes> pending_order_;      // arrival order (entries may be stale)
  std::deque<Bytes> proposable_;         // primary: not yet proposed in this view (may be stale)
  std::unordered_set<Bytes> in_flight_;  // in a slot of the current view

  // Peers and state transfer.
  std::map<std::string, PeerInfo> peers_;
  int64_t last_retransmit_ms_ = 0;
  int64_t fetch_sent_ms_ = -1;
  int64_t fetch_wait_ms_ = 0;    // before asking again (longer for a long range)
  int64_t fetch_rtt_ms_ = 1000;  // how long the last range took to arrive
  size_t fetch_rr_ = 0;
  int64_t last_progress_ms_ = 0;
  int64_t commit_interval_ms_ = 0;  // moving average while busy
  bool stuck_fetch_ = false;
  uint64_t prefetched_to_ = 0;  // a fetch for blocks below this is already on its way

  Counters counters_;
};

}  // namespace carledger::pbft
