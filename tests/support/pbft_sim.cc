#include "tests/support/pbft_sim.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "common/block_format.h"
#include "tests/support/pbft_sim_app.h"

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
    << view_changes << ", executed early " << early_executions << " (dropped "
    << early_executions_dropped << "), outdated unchecked " << outdated_unchecked << ", events "
    << events << ", finished at " << finished_ms << " ms; largest pre-prepare "
    << largest_pre_prepare_bytes << " B, view change " << largest_view_change_bytes
    << " B with up to " << most_proofs_in_view_change << " proofs, new view "
    << largest_new_view_bytes << " B)";
  return o.str();
}

namespace {

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
    size_t from = 0;  // a delivery's sender: the validator its link vouches for
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
  void ScheduleDelivery(int64_t at, size_t from, size_t to, MessagePtr msg) {
    Event e{at, 0, Kind::kDeliver, to, std::move(msg)};
    e.from = from;
    Schedule(std::move(e));
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
  void CheckCommitIsBacked(size_t from, const consensus::Message& body);
  MessagePtr Misbehave(size_t to, const MessagePtr& msg);
  // Records the message's size in stats_ by kind.
  void Measure(size_t to, const consensus::SignedMessage& msg, const consensus::Message& body);
  void OnCommitted(size_t node, const ledger::Block& block);
  void Fail(const std::string& what) {
    if (failure_.empty()) failure_ = "t=" + std::to_string(now_) + "ms: " + what;
  }
  bool Done();
  // Whether node i is a validator once every configuration change is in force.
  bool FinalMember(size_t i) const {
    if (static_cast<int>(i) == opt_.removed) return false;
    return true;
  }
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
  SimResult stats_;  // message sizes
  bool trace_ = std::getenv("CARLEDGER_SIM_TRACE") != nullptr;
};

void Simulation::Boot(size_t i) {
  Node& n = *nodes_[i];
  bool wrong = opt_.byzantine == Byzantine::kWrongState && i == opt_.byzantine_node;
  std::vector<std::string> genesis(ids_.begin(), ids_.begin() + static_cast<long>(opt_.n));
  n.app =
      std::make_unique<MemoryApp>(&n.disk, genesis, opt_.replica.checkpoint_interval, n.auth.get(),
                                  wrong, [this, i](const ledger::Block& b) { OnCommitted(i, b); });
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
  consensus::Message body;  // an honest sender's, parsed once for the checks and the delay
  bool honest = Honest(from) && body.ParseFromString(msg->body());
  if (honest) {
    Measure(to, *msg, body);
    CheckCommitIsBacked(from, body);
  }
  std::uniform_real_distribution<double> coin(0, 1);
  if (Chaos() && coin(rng_) < opt_.drop) return;
  if (Partitioned(from, to)) return;
  int64_t max_delay = Chaos() ? opt_.max_delay_ms : 5;
  std::uniform_int_distribution<int64_t> delay(1, max_delay);
  int64_t extra = 0;
  if (honest && (body.has_commit() || body.has_block_vote())) extra = opt_.commit_delay_ms;
  ScheduleDelivery(now_ + extra + delay(rng_), from, to, msg);
  if (Chaos() && coin(rng_) < opt_.duplicate) ScheduleDelivery(now_ + delay(rng_), from, to, msg);
}

// The replica's durability rule: a commit leaves only once its sender's prepared proof for
// that batch is on disk, so that a restart still reports it in a view change.
void Simulation::CheckCommitIsBacked(size_t from, const consensus::Message& body) {
  if (!body.has_commit()) return;
  const consensus::Commit& c = body.commit();
  for (const auto& proof : nodes_[from]->disk.consensus.prepared()) {
    consensus::Message pp;
    if (pp.ParseFromString(proof.pre_prepare().body()) && pp.pre_prepare().seq() == c.seq() &&
        pp.pre_prepare().digest() == c.digest())
      return;
  }
  Fail("node " + std::to_string(from) + " sent a commit for sequence number " +
       std::to_string(c.seq()) + " before its prepared proof was on disk");
}

void Simulation::Measure(size_t to, const consensus::SignedMessage& msg,
                         const consensus::Message& body) {
  size_t bytes = msg.ByteSizeLong();
  auto grow = [](size_t& figure, size_t value) { figure = std::max(figure, value); };
  if (body.has_pre_prepare()) grow(stats_.largest_pre_prepare_bytes, bytes);
  if (body.has_new_view()) grow(stats_.largest_new_view_bytes, bytes);
  if (body.has_view_change()) {
    const auto& vc = body.view_change();
    size_t validators = opt_.n;  // before any set change: the genesis set in leader order
    if (vc.new_view() % validators != to) grow(stats_.largest_view_change_bytes, bytes);
    grow(stats_.most_proofs_in_view_change, static_cast<size_t>(vc.prepared_size()));
  }
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
      int roll = pct(rng_);
      if (roll < 40) return msg;
      auto bad = std::make_shared<consensus::SignedMessage>(*msg);
      if (roll < 55) {
        // Unsigned, in another validator's name (as if relayed): its link vouches only
        // for the Byzantine node, so an honest replica must refuse it whatever its kind.
        size_t other = 1 + static_cast<size_t>(roll) % (opt_.n - 1);
        bad->set_sender(ids_[(opt_.byzantine_node + other) % opt_.n]);
        bad->clear_signature();
        return bad;
      }
      if (bad->batches_size() > 0 && pct(rng_) < 50) {
        // The signature stays good; the batch carried beside it is not the signed one.
        auto* batch = bad->mutable_batches(0);
        if (batch->transactions_size() > 0)
          batch->mutable_transactions()->RemoveLast();
        else
          batch->set_timestamp_ms(batch->timestamp_ms() + 1);
        return bad;
      }
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
        ScheduleDelivery(now_ + 1, opt_.byzantine_node, to, byz.sent[pick(rng_)]);
      }
      return msg;
    }
    case Byzantine::kWrongState:
      return msg;  // its app computes a wrong state hash
    case Byzantine::kBadTime: {
      // As primary: block times an hour ahead, or before the previous block's.
      consensus::Message body;
      ParseMessage(*msg, &body);
      if (!body.has_pre_prepare() || body.pre_prepare().batch().transactions().empty()) return msg;
      auto* pp = body.mutable_pre_prepare();
      pp->mutable_batch()->set_timestamp_ms(pct(rng_) < 50 ? now_ + 3'600'000 : 0);
      pp->set_digest(BatchDigest(pp->batch()));
      return SignMessage(byz.id, body, byz.auth.get());
    }
    case Byzantine::kEquivocate: {
      consensus::Message body;
      ParseMessage(*msg, &body);
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
  if (trace_ && node == 0) {
    for (int i = 0; i < block.transactions_size(); ++i) {
      if (block.transactions(i).payload().rfind("sim-config", 0) == 0)
        std::fprintf(stderr, "t=%lld block %llu: %s -> %d %s\n", (long long)now_,
                     (unsigned long long)block.header().height(),
                     block.transactions(i).payload().c_str(), block.results(i).code(),
                     block.results(i).reason().c_str());
    }
  }
  if (!Honest(node)) return;
  uint64_t h = block.header().height();
  if (!MemoryApp::CertificateOk(block, nodes_[node]->auth.get(),
                                nodes_[node]->app->ValidatorsAt(h))) {
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
    if (!Honest(i) || !FinalMember(i)) continue;
    if (nodes_[i]->disk.tx_ids.size() < txs_.size()) return false;
    for (const auto& tx : txs_) {
      if (!nodes_[i]->disk.tx_ids.count(TxId(tx))) return false;
    }
  }
  return true;
}

SimResult Simulation::Run() {
  SimResult result;
  size_t total = opt_.n + opt_.joiners;
  for (size_t i = 0; i < total; ++i) {
    std::string id = "v" + std::to_string(i);
    ids_.push_back(id);
    secrets_[id] = Sha256("secret-" + id + "-" + std::to_string(opt_.seed));
    index_[id] = i;
  }
  for (size_t i = 0; i < total; ++i) {
    auto n = std::make_unique<Node>();
    n->id = ids_[i];
    n->auth = std::make_unique<SimAuth>(n->id, &secrets_);
    n->disk.blocks.push_back(Genesis());
    nodes_.push_back(std::move(n));
  }
  for (size_t i = 0; i < total; ++i) Boot(i);

  std::uniform_int_distribution<int64_t> when(0, opt_.chaos_ms - 1);
  std::uniform_int_distribution<size_t> any_node(0, total - 1);
  std::vector<std::string> payloads;
  for (size_t t = 0; t < opt_.transactions; ++t)
    payloads.push_back("sim-tx-" + std::to_string(opt_.seed) + "-" + std::to_string(t) + "-" +
                       std::string(opt_.payload_bytes, 'p'));
  for (size_t j = opt_.n; j < total; ++j) payloads.push_back("sim-config-add-" + ids_[j]);
  if (opt_.removed >= 0)
    payloads.push_back("sim-config-remove-" + ids_[static_cast<size_t>(opt_.removed)]);
  for (size_t t = 0; t < payloads.size(); ++t) {
    ledger::TxEnvelope tx;
    tx.set_payload(payloads[t]);
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
  for (size_t i = 0; i < total; ++i)
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
        if (n.up) n.replica->Receive(*e.msg, ids_[e.from]);
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
          if (Honest(i) && FinalMember(i) && !nodes_[i]->disk.tx_ids.count(TxId(tx)))
            committed = false;
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
    if (!Honest(i) || !FinalMember(i)) continue;
    result.height = std::min<uint64_t>(result.height, nodes_[i]->disk.blocks.size());
    if (nodes_[i]->replica) {
      result.view_changes += nodes_[i]->replica->counters().view_changes;
      result.validator_set_changes += nodes_[i]->replica->counters().validator_set_changes;
      result.early_executions += nodes_[i]->replica->counters().early_executions;
      result.early_executions_dropped += nodes_[i]->replica->counters().early_executions_dropped;
      result.outdated_unchecked += nodes_[i]->replica->counters().outdated_unchecked;
    }
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
  result.largest_pre_prepare_bytes = stats_.largest_pre_prepare_bytes;
  result.largest_view_change_bytes = stats_.largest_view_change_bytes;
  result.largest_new_view_bytes = stats_.largest_new_view_bytes;
  result.most_proofs_in_view_change = stats_.most_proofs_in_view_change;
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
  if (r() % 4 == 0) {
    // Validator-set changes under the same faults: one or two join, maybe one leaves.
    o.joiners = 1 + r() % 2;
    if (r() % 2) o.removed = static_cast<int>(r() % o.n);
  }
  o.replica.checkpoint_interval = 4;
  o.replica.window = 16;
  o.replica.max_batch = 1 + r() % 12;
  o.replica.max_in_flight = 1 + r() % 6;
  o.replica.batch_delay_ms = 2;
  o.replica.view_timeout_ms = 300;
  o.replica.retransmit_ms = 60;
  o.replica.fetch_max_blocks = 5;
  o.replica.max_clock_skew_ms = 5000;
  // Half the seeds send what needs no proof unsigned, as real nodes do over mutual TLS.
  o.replica.authenticated_links = r() % 2 == 0;
  return o;
}

SimResult RunSimulation(const SimOptions& options) {
  return Simulation(options).Run();
}

}  // namespace carledger::pbft::sim
