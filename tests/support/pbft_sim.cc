#include "tests/support/pbft_sim.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "common/block_format.h"

namespace carledger::pbft::sim {

const char* ByzantineName(Byzantine b) {
  switch (b) {
    case Byzantine::kNone:
      return "none";
    case Byzantine::kEquivocate:
      return "equivocate";
    case Byzantine::kBadSignatures:
      return "bad-signatures";
    case Byzantine::kReplay:
      return "replay";
    case Byzantine::kWrongState:
      return "wrong-state";
    case Byzantine::kSilent:
      return "silent";
    case Byzantine::kBadTime:
      return "bad-time";
  }
  return "?";
}

std::string SimResult::Describe() const {
  std::ostringstream o;
  o << (ok ? "ok" : "FAILED: " + failure) << " (height " << height << ", view changes "
    << view_changes << ", events " << events << ", finished at " << finished_ms << " ms)";
  return o.str();
}

namespace {

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

ledger::Block Genesis() {
  ledger::Block g;
  g.mutable_header()->set_height(0);
  g.mutable_header()->set_timestamp_ms(0);
  g.mutable_header()->set_state_hash(Sha256("sim-genesis"));
  return g;
}

// A small deterministic state machine: a transaction is valid unless its id is already
// on the chain; the state hash chains the valid ids.
class MemoryApp : public ReplicaApp {
 public:
  MemoryApp(SimDisk* disk, std::vector<std::string> validators, Authenticator* auth,
            bool wrong_state, std::function<void(const ledger::Block&)> on_commit)
      : disk_(disk),
        validators_(std::move(validators)),
        auth_(auth),
        wrong_state_(wrong_state),
        on_commit_(std::move(on_commit)) {}

  uint64_t Height() override { return disk_->blocks.size(); }
  std::vector<std::string> Validators() override { return validators_; }
  std::vector<std::string> ValidatorsAt(uint64_t) override { return validators_; }
  uint64_t ValidatorSetChangedAt() override { return 0; }
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
    if (!CertificateOk(block, auth_, validators_))
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
  Status SavePrepared(const consensus::PreparedProof& proof) override {
    uint64_t seq = SeqOf(proof);
    auto* list = disk_->consensus.mutable_prepared();
    for (auto& p : *list) {
      if (SeqOf(p) == seq) {
        p = proof;
        return Status::Ok();
      }
    }
    *list->Add() = proof;
    return Status::Ok();
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
    return good.size() >= 2 * ((validators.size() - 1) / 3) + 1;
  }

 private:
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
    for (const auto& tx : batch.transactions()) {
      *b.add_transactions() = tx;
      Bytes id = TxId(tx);
      auto* r = b.add_results();
      r->set_tx_id(id);
      if (disk_->tx_ids.count(id) || !seen.insert(id).second) {
        r->set_code(ledger::DUPLICATE_TX);
        r->set_reason("duplicate");
      } else {
        state.UpdateField(id);
      }
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
  std::vector<std::string> validators_;
  Authenticator* auth_;
  bool wrong_state_;
  std::function<void(const ledger::Block&)> on_commit_;
  std::optional<ledger::Block> held_;
};

class Simulation {
 public:
  explicit Simulation(const SimOptions& opt) : opt_(opt), rng_(opt.seed) {}

  SimResult Run();

 private:
  enum class Kind { kDeliver, kTick, kSubmit, kCrash, kRestart };
  struct Event {
    int64_t time;
    uint64_t order;
    Kind kind;
    size_t node;
    MessagePtr msg;
    size_t tx = 0;
    bool wipe = false;
    bool operator>(const Event& o) const {
      return time != o.time ? time > o.time : order > o.order;
    }
  };
  struct Host : ReplicaHost {
    Simulation* sim;
    size_t index;
    void Send(const std::string& to, const MessagePtr& msg) override { sim->Send(index, to, msg); }
    int64_t NowMs() override { return sim->now_; }
  };
  struct Node {
    std::string id;
    std::unique_ptr<SimAuth> auth;
    SimDisk disk;
    std::unique_ptr<MemoryApp> app;
    std::unique_ptr<Host> host;
    std::unique_ptr<Replica> replica;
    bool up = true;
    std::vector<MessagePtr> sent;  // for the replaying Byzantine node
  };
  struct Partition {
    int64_t start, end;
    std::set<size_t> side;
  };

  void Schedule(Event e) {
    e.order = order_++;
    events_.push(std::move(e));
  }
  bool Chaos() const { return now_ < opt_.chaos_ms; }
  bool Honest(size_t i) const {
    return !(opt_.byzantine != Byzantine::kNone && i == opt_.byzantine_node);
  }
  bool Partitioned(size_t a, size_t b) const {
    if (!Chaos()) return false;
    for (const auto& p : partitions_) {
      if (now_ >= p.start && now_ < p.end && (p.side.count(a) != p.side.count(b))) return true;
    }
    return false;
  }
  void Boot(size_t i);
  void Send(size_t from, const std::string& to, MessagePtr msg);
  MessagePtr Misbehave(size_t to, const MessagePtr& msg);
  void OnCommitted(size_t node, const ledger::Block& block);
  void Fail(const std::string& what) {
    if (failure_.empty()) failure_ = "t=" + std::to_string(now_) + "ms: " + what;
  }
  bool Done();
  std::string Heights() const;

  SimOptions opt_;
  std::mt19937_64 rng_;
  int64_t now_ = 0;
  uint64_t order_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::map<std::string, Bytes> secrets_;
  std::map<std::string, size_t> index_;
  std::vector<std::string> ids_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<Partition> partitions_;
  std::vector<ledger::TxEnvelope> txs_;
  std::map<uint64_t, Bytes> canonical_;  // height -> hash of the first honest commit
  std::string failure_;
  bool trace_ = std::getenv("CARLEDGER_SIM_TRACE") != nullptr;
};

void Simulation::Boot(size_t i) {
  Node& n = *nodes_[i];
  bool wrong = opt_.byzantine == Byzantine::kWrongState && i == opt_.byzantine_node;
  n.app = std::make_unique<MemoryApp>(&n.disk, ids_, n.auth.get(), wrong,
                                      [this, i](const ledger::Block& b) { OnCommitted(i, b); });
  n.host = std::make_unique<Host>();
  n.host->sim = this;
  n.host->index = i;
  n.replica =
      std::make_unique<Replica>(n.id, opt_.replica, n.app.get(), n.host.get(), n.auth.get());
  Status st = n.replica->Start();
  if (!st.ok()) Fail("node " + std::to_string(i) + " failed to start: " + st.ToString());
  n.up = true;
}

void Simulation::Send(size_t from, const std::string& to_id, MessagePtr msg) {
  if (!nodes_[from]->up) return;
  auto it = index_.find(to_id);
  if (it == index_.end()) return;
  size_t to = it->second;
  if (!Honest(from)) {
    msg = Misbehave(to, msg);
    if (!msg) return;
  }
  std::uniform_real_distribution<double> coin(0, 1);
  if (Chaos() && coin(rng_) < opt_.drop) return;
  if (Partitioned(from, to)) return;
  int64_t max_delay = Chaos() ? opt_.max_delay_ms : 5;
  std::uniform_int_distribution<int64_t> delay(1, max_delay);
  Schedule({now_ + delay(rng_), 0, Kind::kDeliver, to, msg});
  if (Chaos() && coin(rng_) < opt_.duplicate)
    Schedule({now_ + delay(rng_), 0, Kind::kDeliver, to, msg});
}

MessagePtr Simulation::Misbehave(size_t to, const MessagePtr& msg) {
  Node& byz = *nodes_[opt_.byzantine_node];
  std::uniform_int_distribution<int> pct(0, 99);
  switch (opt_.byzantine) {
    case Byzantine::kNone:
      return msg;
    case Byzantine::kSilent:
      return nullptr;
    case Byzantine::kBadSignatures: {
      if (pct(rng_) < 50) return msg;
      auto bad = std::make_shared<consensus::SignedMessage>(*msg);
      std::string sig = bad->signature();
      if (!sig.empty()) sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x40);
      bad->set_signature(sig);
      return bad;
    }
    case Byzantine::kReplay: {
      byz.sent.push_back(msg);
      if (byz.sent.size() > 2000) byz.sent.erase(byz.sent.begin(), byz.sent.begin() + 1000);
      if (pct(rng_) < 30) {
        std::uniform_int_distribution<size_t> pick(0, byz.sent.size() - 1);
        Schedule({now_ + 1, 0, Kind::kDeliver, to, byz.sent[pick(rng_)]});
      }
      return msg;
    }
    case Byzantine::kWrongState:
      return msg;  // its app computes a wrong state hash
    case Byzantine::kBadTime: {
      // As primary: block times an hour ahead, or before the previous block's.
      consensus::Message body;
      body.ParseFromString(msg->body());
      if (!body.has_pre_prepare() || body.pre_prepare().batch().transactions().empty()) return msg;
      auto* pp = body.mutable_pre_prepare();
      pp->mutable_batch()->set_timestamp_ms(pct(rng_) < 50 ? now_ + 3'600'000 : 0);
      pp->set_digest(BatchDigest(pp->batch()));
      return SignMessage(byz.id, body, byz.auth.get());
    }
    case Byzantine::kEquivocate: {
      consensus::Message body;
      body.ParseFromString(msg->body());
      if (pct(rng_) < 50) return msg;
      if (body.has_pre_prepare()) {
        // A different batch for the same sequence number to this recipient.
        auto* pp = body.mutable_pre_prepare();
        auto* txs = pp->mutable_batch()->mutable_transactions();
        if (!txs->empty()) txs->RemoveLast();
        pp->mutable_batch()->set_timestamp_ms(pp->batch().timestamp_ms() + 1);
        pp->set_digest(BatchDigest(pp->batch()));
      } else if (body.has_prepare()) {
        body.mutable_prepare()->set_digest(Sha256("forged" + std::to_string(to)));
      } else if (body.has_commit()) {
        body.mutable_commit()->set_digest(Sha256("forged" + std::to_string(to)));
      } else if (body.has_block_vote()) {
        auto* v = body.mutable_block_vote();
        v->set_block_hash(Sha256("forged-block" + v->block_hash()));
        v->set_signature(byz.auth->Sign(VoteDigest(v->block_hash())));
      } else {
        return msg;
      }
      return SignMessage(byz.id, body, byz.auth.get());
    }
  }
  return msg;
}

void Simulation::OnCommitted(size_t node, const ledger::Block& block) {
  if (!Honest(node)) return;
  uint64_t h = block.header().height();
  if (!MemoryApp::CertificateOk(block, nodes_[node]->auth.get(), ids_)) {
    Fail("node " + std::to_string(node) + " committed block " + std::to_string(h) +
         " without a valid certificate");
  }
  if (block.header().timestamp_ms() > now_ + opt_.replica.max_clock_skew_ms) {
    Fail("node " + std::to_string(node) + " committed block " + std::to_string(h) +
         " with a time in the future");
  }
  Bytes hash = BlockHash(block.header());
  auto [it, fresh] = canonical_.emplace(h, hash);
  if (!fresh && it->second != hash) {
    Fail("safety: node " + std::to_string(node) + " committed a different block at height " +
         std::to_string(h));
  }
}

std::string Simulation::Heights() const {
  std::string s;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = *nodes_[i];
    s += " n" + std::to_string(i) + (Honest(i) ? "" : "(byz)") + "=h" +
         std::to_string(n.disk.blocks.size()) + "/v" +
         std::to_string(n.replica ? n.replica->view() : 0) +
         (n.replica && n.replica->in_view_change() ? "vc" : "") + (n.up ? "" : "(down)") + "/p" +
         std::to_string(n.replica ? n.replica->GetStatus().pending : 0);
  }
  return s;
}

bool Simulation::Done() {
  if (Chaos()) return false;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!Honest(i)) continue;
    if (nodes_[i]->disk.tx_ids.size() < txs_.size()) return false;
    for (const auto& tx : txs_) {
      if (!nodes_[i]->disk.tx_ids.count(TxId(tx))) return false;
    }
  }
  return true;
}

SimResult Simulation::Run() {
  SimResult result;
  for (size_t i = 0; i < opt_.n; ++i) {
    std::string id = "v" + std::to_string(i);
    ids_.push_back(id);
    secrets_[id] = Sha256("secret-" + id + "-" + std::to_string(opt_.seed));
    index_[id] = i;
  }
  for (size_t i = 0; i < opt_.n; ++i) {
    auto n = std::make_unique<Node>();
    n->id = ids_[i];
    n->auth = std::make_unique<SimAuth>(n->id, &secrets_);
    n->disk.blocks.push_back(Genesis());
    nodes_.push_back(std::move(n));
  }
  for (size_t i = 0; i < opt_.n; ++i) Boot(i);

  std::uniform_int_distribution<int64_t> when(0, opt_.chaos_ms - 1);
  std::uniform_int_distribution<size_t> any_node(0, opt_.n - 1);
  for (size_t t = 0; t < opt_.transactions; ++t) {
    ledger::TxEnvelope tx;
    tx.set_payload("sim-tx-" + std::to_string(opt_.seed) + "-" + std::to_string(t));
    tx.set_signature("sig");
    txs_.push_back(tx);
    Schedule({when(rng_), 0, Kind::kSubmit, any_node(rng_), nullptr, t});
  }
  if (opt_.partitions) {
    std::uniform_int_distribution<int> count(0, 2);
    for (int k = count(rng_); k > 0; --k) {
      Partition p;
      p.start = when(rng_);
      p.end = p.start + std::uniform_int_distribution<int64_t>(200, 1500)(rng_);
      p.side.insert(any_node(rng_));
      if (rng_() % 2) p.side.insert(any_node(rng_));
      partitions_.push_back(p);
    }
  }
  if (opt_.crashes) {
    std::uniform_int_distribution<int> count(0, 2);
    int64_t free_from = 0;
    for (int k = count(rng_); k > 0; --k) {
      size_t victim = any_node(rng_);
      if (!Honest(victim)) continue;
      int64_t at = std::max(free_from, when(rng_));
      int64_t back = at + std::uniform_int_distribution<int64_t>(100, 1500)(rng_);
      if (back >= opt_.chaos_ms) continue;
      bool wipe = opt_.wipes && rng_() % 2;
      Schedule({at, 0, Kind::kCrash, victim, nullptr});
      Schedule({back, 0, Kind::kRestart, victim, nullptr, 0, wipe});
      free_from = back;  // one crashed node at a time
    }
  }
  const int64_t tick_ms = 10;
  for (size_t i = 0; i < opt_.n; ++i)
    Schedule({static_cast<int64_t>(i) + 1, 0, Kind::kTick, i, nullptr});

  uint64_t max_events = 20'000'000;
  while (!events_.empty() && failure_.empty()) {
    Event e = events_.top();
    events_.pop();
    now_ = e.time;
    ++result.events;
    if (now_ > opt_.deadline_ms) {
      Fail("liveness: not everything committed by the deadline;" + Heights());
      break;
    }
    if (result.events > max_events) {
      Fail("too many events;" + Heights());
      break;
    }
    Node& n = *nodes_[e.node];
    switch (e.kind) {
      case Kind::kDeliver:
        if (n.up) n.replica->Receive(*e.msg);
        break;
      case Kind::kTick:
        if (n.up) n.replica->Tick();
        if (trace_ && e.node == 0 && now_ % 100 < tick_ms) {
          std::fprintf(stderr, "t=%lld%s\n", (long long)now_, Heights().c_str());
          for (auto& nd : nodes_)
            if (nd->replica) std::fprintf(stderr, "   %s\n", nd->replica->DebugString().c_str());
        }
        Schedule({now_ + tick_ms, 0, Kind::kTick, e.node, nullptr});
        if (e.node == 0 && Done()) {
          result.finished_ms = now_;
          events_ = {};
        }
        break;
      case Kind::kSubmit: {
        // A client: submits to a node, and again to another one later until it sees the
        // transaction committed (resubmitting is harmless).
        const auto& tx = txs_[e.tx];
        bool committed = true;
        for (size_t i = 0; i < nodes_.size(); ++i) {
          if (Honest(i) && !nodes_[i]->disk.tx_ids.count(TxId(tx))) committed = false;
        }
        if (committed) break;
        if (n.up) n.replica->Submit({tx});
        Schedule({now_ + 1500, 0, Kind::kSubmit, any_node(rng_), nullptr, e.tx});
        break;
      }
      case Kind::kCrash:
        n.up = false;
        n.replica.reset();
        n.app.reset();
        break;
      case Kind::kRestart:
        if (e.wipe) {
          n.disk = SimDisk();
          n.disk.blocks.push_back(Genesis());
        }
        Boot(e.node);
        break;
    }
  }
  result.height = UINT64_MAX;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!Honest(i)) continue;
    result.height = std::min<uint64_t>(result.height, nodes_[i]->disk.blocks.size());
    if (nodes_[i]->replica) result.view_changes += nodes_[i]->replica->counters().view_changes;
    // Exactly once: every submitted transaction is valid in exactly one block.
    if (!failure_.empty()) continue;
    std::map<Bytes, int> valid;
    for (const auto& b : nodes_[i]->disk.blocks) {
      for (const auto& r : b.results()) {
        if (r.code() == ledger::VALID) ++valid[r.tx_id()];
      }
    }
    for (const auto& tx : txs_) {
      int c = valid[TxId(tx)];
      if (c != 1)
        Fail("node " + std::to_string(i) + " has a transaction valid " + std::to_string(c) +
             " times");
    }
  }
  if (failure_.empty() && result.finished_ms == 0) Fail("stopped without finishing;" + Heights());
  result.ok = failure_.empty();
  result.failure = failure_;
  return result;
}

}  // namespace

SimOptions RandomScenario(uint64_t seed) {
  std::mt19937_64 r(seed * 0x9E3779B97F4A7C15ULL + 7);
  SimOptions o;
  o.seed = seed;
  static const Byzantine kinds[] = {
      Byzantine::kNone,   Byzantine::kNone,       Byzantine::kEquivocate, Byzantine::kBadSignatures,
      Byzantine::kReplay, Byzantine::kWrongState, Byzantine::kSilent,     Byzantine::kBadTime};
  o.byzantine = kinds[r() % 8];
  o.n = (r() % 4 == 0) ? 7 : 4;
  o.drop = (r() % 3) * 0.04;
  o.duplicate = (r() % 2) * 0.05;
  o.max_delay_ms = 5 + static_cast<int64_t>(r() % 30);
  o.partitions = r() % 2;
  o.crashes = r() % 2;
  o.wipes = o.byzantine == Byzantine::kNone && r() % 2;
  o.transactions = 60 + r() % 100;
  o.chaos_ms = 2000 + static_cast<int64_t>(r() % 2000);
  o.deadline_ms = o.chaos_ms + 40000;
  o.replica.checkpoint_interval = 4;
  o.replica.window = 16;
  o.replica.max_batch = 1 + r() % 12;
  o.replica.max_in_flight = 1 + r() % 6;
  o.replica.batch_delay_ms = 2;
  o.replica.view_timeout_ms = 300;
  o.replica.retransmit_ms = 60;
  o.replica.fetch_max_blocks = 5;
  o.replica.max_clock_skew_ms = 5000;
  return o;
}

SimResult RunSimulation(const SimOptions& options) {
  return Simulation(options).Run();
}

}  // namespace carledger::pbft::sim
