#include "service/cluster_node.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "common/block_format.h"
#include "ledger/ledger.h"
#include "ledger/network_dir.h"
#include "ledger/parallel.h"
#include "ledger/pbft/ledger_app.h"
#include "ledger/tx_pool.h"
#include "service/peer_transport.h"

namespace carledger::service {
namespace {

using Clock = std::chrono::steady_clock;

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

grpc::Status ToGrpc(const carledger::Status& s) {
  return grpc::Status(static_cast<grpc::StatusCode>(static_cast<int>(s.code())), s.message());
}

// A client waiting for transactions' final status.
struct Waiter {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<cluster::TxStatus> ready;
};

class Node final : public ClusterNode,
                   public NodeBackend,
                   public pbft::ReplicaHost,
                   public cluster::Cluster::Service {
 public:
  ~Node() override { Shutdown(); }
  NodeBackend* backend() override { return this; }

  // NodeBackend (any thread).
  carledger::Status ReadLedger(const std::function<void(const Ledger&)>& read) override {
    if (!Call([&] { read(*ledger_); }))
      return carledger::Status::Unavailable("the node is shutting down; try another node");
    return carledger::Status::Ok();
  }
  std::vector<Outcome> SubmitAndWait(const std::vector<ledger::TxEnvelope>& txs,
                                     int timeout_ms) override;
  void AddBlockListener(std::function<void(const ledger::Block&)> listener) override {
    std::lock_guard<std::mutex> lock(watch_mu_);
    listeners_.push_back(std::move(listener));
  }
  Result<cluster::NodeStatus> NodeState() override {
    cluster::NodeStatus s;
    grpc::Status st = Status(nullptr, nullptr, &s);
    if (!st.ok()) return carledger::Status::Unavailable(st.error_message());
    return s;
  }

  carledger::Status Init(const NodeOptions& options);
  void Shutdown() override;
  std::string address() const override { return listen_; }
  std::string api_address() const override { return api_listen_; }
  const TlsMaterial& tls() const override { return tls_; }

  // ReplicaHost (consensus thread).
  void Send(const std::string& to, const pbft::MessagePtr& msg) override {
    transport_->Send(to, msg);
  }
  int64_t NowMs() override { return WallMs(); }

  // Cluster service (gRPC threads).
  grpc::Status Submit(grpc::ServerContext*, const cluster::SubmitRequest* req,
                      cluster::SubmitReply* reply) override;
  grpc::Status Watch(grpc::ServerContext* ctx, const cluster::WatchRequest* req,
                     grpc::ServerWriter<cluster::TxStatus>* writer) override;
  grpc::Status GetBlocks(grpc::ServerContext*, const cluster::GetBlocksRequest* req,
                         cluster::GetBlocksReply* reply) override;
  grpc::Status Status(grpc::ServerContext*, const cluster::StatusRequest*,
                      cluster::NodeStatus* reply) override;
  grpc::Status RotateLeader(grpc::ServerContext*, const cluster::RotateLeaderRequest*,
                            cluster::RotateLeaderReply* reply) override;

 private:
  // Runs `task` on the consensus thread; blocks while the inbox is full.
  // Queues `task` for the consensus thread; blocks while the inbox is full. False when
  // the node is stopping (the task will not run).
  bool Post(std::function<void()> task, size_t bytes = 0);
  // Runs `f` on the consensus thread and waits until it has run (no timeout: `f` may
  // refer to the caller's locals, so the caller must outlive it). False if stopping.
  template <typename F>
  bool Call(F f) {
    auto done = std::make_shared<std::promise<void>>();
    auto fut = done->get_future();
    if (!Post([f, done]() mutable {
          f();
          done->set_value();
        }))
      return false;
    fut.wait();
    return true;
  }
  void RunConsensus();
  void RunFollower();
  // Consensus thread. Learns validators (keys, addresses) from the ledger and makes this
  // node a voting replica while it is in the validator set, a follower otherwise (a
  // validator that joins catches up as a follower; one that is removed follows on).
  carledger::Status RefreshMembership();
  void Notify(const ledger::Block& block);
  void PreVerify(const consensus::SignedMessage& msg);

  std::string name_, id_, role_, listen_, api_listen_;
  std::map<std::string, PeerEndpoint> endpoints_;  // every validator we know how to reach
  std::vector<std::string> members_;               // the validator set in force
  std::optional<PrivateKey> key_;
  TlsMaterial tls_;
  VerifiedTxCache verified_{
      100'000};  // a transaction stays only from arrival to execution (and a fetched range)
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<pbft::LedgerReplicaApp> app_;
  std::unique_ptr<pbft::EcdsaAuthenticator> auth_;
  std::unique_ptr<pbft::Replica> replica_;
  std::unique_ptr<PeerTransport> transport_;
  std::unique_ptr<grpc::Server> server_;
  // Followers (observers, and validators outside the set): one channel per member, for
  // following blocks and passing on submissions.
  std::mutex stubs_mu_;
  std::vector<std::shared_ptr<cluster::Cluster::Stub>> validator_stubs_;
  std::atomic<bool> following_{true};
  bool membership_dirty_ = false;  // consensus thread
  pbft::ReplicaOptions replica_options_;

  std::mutex inbox_mu_;
  std::condition_variable inbox_cv_, inbox_room_;
  std::deque<std::function<void()>> inbox_;
  static constexpr size_t kInboxLimit = 50000;
  static constexpr size_t kInboxBytes = 128u << 20;  // peer messages waiting, by size
  size_t inbox_bytes_ = 0;
  std::atomic<bool> running_{false};
  std::thread consensus_thread_, follower_thread_;
  std::atomic<size_t> pending_{0};

  std::mutex watch_mu_;
  std::unordered_map<Bytes, std::vector<std::shared_ptr<Waiter>>> watchers_;
  std::vector<std::function<void(const ledger::Block&)>> listeners_;
};

carledger::Status Node::Init(const NodeOptions& options) {
  CL_ASSIGN_OR_RETURN(auto text, ReadFile(options.network_dir + "/network.json"));
  CL_ASSIGN_OR_RETURN(auto manifest, Json::Parse(text));
  const Json* self = nullptr;
  for (const auto& n : manifest.get("nodes").as_array()) {
    if (n.get_string("role") == "validator") {
      endpoints_[n.get_string("id")] = {n.get_string("id"), n.get_string("address"),
                                        n.get_string("tls_name")};
    }
    if (n.get_string("name") == options.name) self = &n;
  }
  if (self == nullptr)
    return carledger::Status::NotFound("network.json names no node '" + options.name + "'");
  name_ = options.name;
  id_ = self->get_string("id");
  role_ = self->get_string("role");
  listen_ = options.listen.empty() ? self->get_string("address") : options.listen;
  api_listen_ = options.api_listen.empty() ? self->get_string("api_address") : options.api_listen;
  std::string key_prefix = options.network_dir + "/" + self->get_string("key");
  CL_ASSIGN_OR_RETURN(tls_.key_pem, ReadFile(key_prefix + ".key"));
  CL_ASSIGN_OR_RETURN(tls_.cert_pem, ReadFile(key_prefix + ".crt"));
  CL_ASSIGN_OR_RETURN(tls_.ca_pem, ReadFile(options.network_dir + "/ca/ca.crt"));
  CL_ASSIGN_OR_RETURN(auto key, PrivateKey::FromPem(tls_.key_pem));
  key_ = key;

  LedgerOptions lo;
  lo.sync = options.sync;
  lo.executor.verified = &verified_;
  std::string data =
      options.data_dir.empty() ? options.network_dir + "/" + name_ : options.data_dir;
  auto opened = Ledger::Open(data, lo);
  if (!opened.ok() && opened.status().code() == StatusCode::kDataLoss) {
    // Damaged block files (or state ahead of them): set them aside and start over from
    // genesis; the replica fetches the certified blocks from its peers. The consensus
    // state (vote mark, prepared proofs) is kept, so this node still cannot vote twice.
    std::string aside = data + "/quarantine-" + std::to_string(WallMs());
    std::fprintf(stderr,
                 "carledger-node %s: %s; moving the ledger to %s and recovering from peers\n",
                 options.name.c_str(), opened.status().ToString().c_str(), aside.c_str());
    std::error_code ec;
    std::filesystem::create_directories(aside, ec);
    for (const char* part : {"blocks", "state"})
      std::filesystem::rename(data + "/" + part, aside + "/" + part, ec);
    opened = Ledger::Open(data, lo);
  }
  if (!opened.ok()) return opened.status();
  ledger_ = std::move(opened).value();
  if (ledger_->height() == 0) {
    CL_ASSIGN_OR_RETURN(auto raw, ReadFile(options.network_dir + "/genesis.block"));
    ledger::Block genesis;
    if (!genesis.ParseFromString(raw))
      return carledger::Status::DataLoss("genesis.block does not parse");
    CL_RETURN_IF_ERROR(ledger_->Commit(genesis));
  }

  replica_options_ = options.replica;
  // The checkpoint interval is the network's epoch: validator sets change only there.
  replica_options_.checkpoint_interval = ledger_->epoch_blocks();
  if (role_ == "validator") {
    CL_ASSIGN_OR_RETURN(app_, pbft::LedgerReplicaApp::Open(ledger_.get(), data + "/consensus"));
    app_->set_on_commit([this](const ledger::Block& b) {
      Notify(b);
      if (b.header().height() % replica_options_.checkpoint_interval == 0) {
        // Keys first (the replica switches sets right after this returns).
        auto all = ledger_->AllValidators();
        if (all.ok() && auth_) {
          std::map<std::string, PublicKey> keys;
          for (const auto& [id, v] : *all) keys.emplace(id, v.second);
          auth_->SetValidators(std::move(keys));
        }
        membership_dirty_ = true;
      }
    });
    auth_ = std::make_unique<pbft::EcdsaAuthenticator>(key, std::map<std::string, PublicKey>());
    TransportOptions to;
    to.self_id = id_;
    for (const auto& [id, e] : endpoints_) to.peers.push_back(e);
    to.tls = tls_;
    transport_ = std::make_unique<PeerTransport>(to, [this](consensus::SignedMessage&& m) {
      auto msg = std::make_shared<consensus::SignedMessage>(std::move(m));
      PreVerify(*msg);
      Post(
          [this, msg] {
            if (replica_) replica_->Receive(*msg);
          },
          msg->ByteSizeLong());
    });
  }
  CL_RETURN_IF_ERROR(RefreshMembership());

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen_, ServerCredentials(tls_), &port);
  builder.SetMaxReceiveMessageSize(64 << 20);
  builder.RegisterService(static_cast<cluster::Cluster::Service*>(this));
  if (transport_) builder.RegisterService(transport_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) return carledger::Status::Unavailable("cannot listen on " + listen_);

  running_ = true;
  consensus_thread_ = std::thread([this] { RunConsensus(); });
  if (transport_) transport_->Start();
  follower_thread_ = std::thread([this] { RunFollower(); });
  return carledger::Status::Ok();
}

carledger::Status Node::RefreshMembership() {
  CL_ASSIGN_OR_RETURN(auto all, ledger_->AllValidators());
  std::map<std::string, PublicKey> keys;
  for (const auto& [id, v] : all) {
    keys.emplace(id, v.second);
    std::string address = v.first.get_string("address");
    if (!address.empty() && !endpoints_.count(id)) {
      // Registered on the ledger with its address: reachable without a new network.json.
      endpoints_[id] = {id, address, v.first.get_string("name")};
      if (transport_) transport_->AddPeer(endpoints_[id]);
    }
  }
  if (auth_) auth_->SetValidators(keys);
  CL_ASSIGN_OR_RETURN(auto set, ledger_->Validators());
  std::vector<std::string> members;
  for (const auto& [id, key] : set) members.push_back(id);
  if (members != members_) {
    members_ = members;
    std::vector<std::shared_ptr<cluster::Cluster::Stub>> stubs;
    for (const auto& id : members_) {
      auto e = endpoints_.find(id);
      if (id != id_ && e != endpoints_.end())
        stubs.push_back(cluster::Cluster::NewStub(MakeChannel(e->second, tls_)));
    }
    std::lock_guard<std::mutex> lock(stubs_mu_);
    validator_stubs_ = std::move(stubs);
  }
  bool member = role_ == "validator" && set.count(id_) > 0;
  if (member && !replica_) {
    replica_ =
        std::make_unique<pbft::Replica>(id_, replica_options_, app_.get(), this, auth_.get());
    CL_RETURN_IF_ERROR(replica_->Start());
    if (running_)
      std::fprintf(stderr, "carledger-node %s: joined the validator set\n", name_.c_str());
  } else if (!member && replica_) {
    replica_.reset();
    std::fprintf(stderr, "carledger-node %s: left the validator set; following as an observer\n",
                 name_.c_str());
  }
  following_ = replica_ == nullptr;
  return carledger::Status::Ok();
}

void Node::Shutdown() {
  {
    // Under the inbox lock: a Post either lands before the consensus thread's final
    // drain or sees that we are stopping.
    std::lock_guard<std::mutex> lock(inbox_mu_);
    if (!running_.exchange(false)) return;
  }
  inbox_cv_.notify_all();
  inbox_room_.notify_all();
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  if (transport_) transport_->Stop();
  if (follower_thread_.joinable()) follower_thread_.join();
  if (consensus_thread_.joinable()) consensus_thread_.join();
}

bool Node::Post(std::function<void()> task, size_t bytes) {
  std::unique_lock<std::mutex> lock(inbox_mu_);
  inbox_room_.wait(lock, [&] {
    return (inbox_.size() < kInboxLimit && inbox_bytes_ + bytes <= kInboxBytes) || inbox_.empty() ||
           !running_;
  });
  if (!running_) return false;
  inbox_bytes_ += bytes;
  inbox_.push_back([this, bytes, task = std::move(task)] {
    task();
    std::lock_guard<std::mutex> l(inbox_mu_);
    inbox_bytes_ -= bytes;
  });
  inbox_cv_.notify_one();
  return true;
}

void Node::RunConsensus() {
  auto next_tick = Clock::now();
  while (running_) {
    std::deque<std::function<void()>> batch;
    {
      std::unique_lock<std::mutex> lock(inbox_mu_);
      inbox_cv_.wait_until(lock, next_tick, [&] { return !inbox_.empty() || !running_; });
      batch.swap(inbox_);
    }
    inbox_room_.notify_all();
    for (auto& task : batch) task();
    if (!batch.empty()) inbox_room_.notify_all();
    if (Clock::now() >= next_tick) {
      if (replica_) {
        replica_->Tick();
        pending_ = replica_->pending();
      }
      next_tick = Clock::now() + std::chrono::milliseconds(2);
    }
    if (membership_dirty_) {
      membership_dirty_ = false;
      carledger::Status st = RefreshMembership();
      if (!st.ok())
        std::fprintf(stderr, "carledger-node %s: %s\n", name_.c_str(), st.ToString().c_str());
    }
  }
  // Run what was queued before we stopped, so no caller waits for ever.
  std::deque<std::function<void()>> rest;
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    rest.swap(inbox_);
  }
  for (auto& task : rest) task();
}

// Observers: ask the validators in turn for the blocks after ours. Each block's
// certificate is checked and the block re-executed by Ledger::Commit, so a lying
// validator only costs a retry with the next one.
void Node::RunFollower() {
  size_t next = 0;
  while (running_) {
    if (!following_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::shared_ptr<cluster::Cluster::Stub> stub;
    {
      std::lock_guard<std::mutex> lock(stubs_mu_);
      if (!validator_stubs_.empty()) stub = validator_stubs_[next % validator_stubs_.size()];
    }
    if (!stub) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    uint64_t height = 0;
    if (!Call([&] { height = ledger_->height(); })) continue;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    cluster::GetBlocksRequest req;
    req.set_from_height(height);
    req.set_max_blocks(64);
    cluster::GetBlocksReply reply;
    grpc::Status st = stub->GetBlocks(&ctx, req, &reply);
    bool applied = false, bad = false;
    if (st.ok() && reply.blocks_size() > 0) {
      Call([&] {
        for (const auto& b : reply.blocks()) {
          if (!following_) break;  // became a voting member: the replica takes over
          if (b.header().height() != ledger_->height()) continue;
          if (!ledger_->Commit(b).ok()) {
            bad = true;
            break;
          }
          Notify(b);
          applied = true;
          if (b.header().height() % replica_options_.checkpoint_interval == 0) {
            // A new epoch may make this node a member: switch before going on.
            carledger::Status ms = RefreshMembership();
            if (!ms.ok()) bad = true;
            if (!following_ || bad) break;
          }
        }
      });
    }
    if (!st.ok() || bad || !applied) ++next;  // try another validator
    if (!applied) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Client signatures in a peer's message are checked here, on the stream's own thread,
// while the consensus thread executes earlier blocks: execution then finds them in the
// verified cache. (Only a cache: a transaction that fails here is checked again, and
// rejected, when its block executes.)
void Node::PreVerify(const consensus::SignedMessage& msg) {
  consensus::Message body;
  if (!body.ParseFromString(msg.body())) return;
  auto check = [this](const ledger::TxEnvelope& tx) {
    Bytes leaf = TxLeafHash(tx);
    if (verified_.Find(leaf)) return;
    auto v = VerifyTransaction(tx);
    if (v.ok()) verified_.Insert(leaf, std::make_shared<VerifiedTx>(std::move(v).value()));
  };
  if (body.has_pre_prepare()) {
    for (const auto& tx : body.pre_prepare().batch().transactions()) check(tx);
  } else if (body.has_block_batch()) {
    // State transfer: the whole range, on every core (the consensus thread is busy
    // executing the previous range meanwhile).
    std::vector<const ledger::TxEnvelope*> txs;
    for (const auto& b : body.block_batch().blocks()) {
      for (const auto& tx : b.transactions()) txs.push_back(&tx);
    }
    ParallelFor(txs.size(), [&](size_t i) { check(*txs[i]); });
  }
}

void Node::Notify(const ledger::Block& block) {
  std::lock_guard<std::mutex> lock(watch_mu_);
  for (const auto& l : listeners_) l(block);
  if (watchers_.empty()) return;
  for (const auto& r : block.results()) {
    auto it = watchers_.find(r.tx_id());
    if (it == watchers_.end()) continue;
    cluster::TxStatus s;
    s.set_tx_id(r.tx_id());
    s.set_height(block.header().height());
    s.set_code(r.code());
    s.set_reason(r.reason());
    for (auto& w : it->second) {
      std::lock_guard<std::mutex> wl(w->mu);
      w->ready.push_back(s);
      w->cv.notify_one();
    }
    watchers_.erase(it);
  }
}

std::vector<NodeBackend::Outcome> Node::SubmitAndWait(const std::vector<ledger::TxEnvelope>& txs,
                                                      int timeout_ms) {
  std::vector<Outcome> out(txs.size());
  auto waiter = std::make_shared<Waiter>();
  std::vector<ledger::TxEnvelope> good;
  std::unordered_map<Bytes, size_t> index;  // tx id -> position
  for (size_t i = 0; i < txs.size(); ++i) {
    auto v = VerifyTransaction(txs[i]);
    if (!v.ok()) {
      out[i].status = v.status();
      continue;
    }
    Bytes id = TxId(txs[i]);
    out[i].tx.set_tx_id(id);
    out[i].status = carledger::Status::DeadlineExceeded(
        "not committed within " + std::to_string(timeout_ms) + " ms; it may still be");
    if (index.count(id)) continue;  // the same transaction twice: one answer serves both
    index[id] = i;
    verified_.Insert(TxLeafHash(txs[i]), std::make_shared<VerifiedTx>(std::move(v).value()));
    good.push_back(txs[i]);
  }
  if (good.empty()) return out;
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    for (const auto& tx : good) watchers_[TxId(tx)].push_back(waiter);
  }
  // Already committed (a resubmission): answer from the ledger.
  Call([&] {
    for (const auto& tx : good) {
      Bytes id = TxId(tx);
      auto found = ledger_->GetTx(id);
      auto loc = ledger_->FindTx(id);
      if (!found.ok() || !loc.ok() || !loc.value()) continue;
      cluster::TxStatus s;
      s.set_tx_id(id);
      s.set_height(loc.value()->height);
      s.set_code(found->second.code());
      s.set_reason(found->second.reason());
      std::lock_guard<std::mutex> wl(waiter->mu);
      waiter->ready.push_back(s);
    }
  });
  cluster::SubmitRequest req;
  for (const auto& tx : good) *req.add_transactions() = tx;
  cluster::SubmitReply reply;
  grpc::Status sent = Submit(nullptr, &req, &reply);
  if (!sent.ok()) {
    for (auto& o : out) {
      if (o.status.code() == StatusCode::kDeadlineExceeded)
        o.status =
            carledger::Status(static_cast<StatusCode>(sent.error_code()), sent.error_message());
    }
  }
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t remaining = sent.ok() ? index.size() : 0;
  while (remaining > 0 && running_ && Clock::now() < deadline) {
    std::deque<cluster::TxStatus> ready;
    {
      std::unique_lock<std::mutex> lock(waiter->mu);
      waiter->cv.wait_until(lock, deadline, [&] { return !waiter->ready.empty(); });
      ready.swap(waiter->ready);
    }
    for (const auto& s : ready) {
      auto it = index.find(s.tx_id());
      if (it == index.end()) continue;
      for (size_t i = 0; i < txs.size(); ++i) {
        if (out[i].tx.tx_id() == s.tx_id() &&
            out[i].status.code() == StatusCode::kDeadlineExceeded) {
          out[i].status = carledger::Status::Ok();
          out[i].tx = s;
        }
      }
      index.erase(it);
      --remaining;
    }
  }
  std::lock_guard<std::mutex> lock(watch_mu_);
  for (const auto& tx : good) {
    auto it = watchers_.find(TxId(tx));
    if (it == watchers_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), waiter), v.end());
    if (v.empty()) watchers_.erase(it);
  }
  return out;
}

grpc::Status Node::Submit(grpc::ServerContext*, const cluster::SubmitRequest* req,
                          cluster::SubmitReply* reply) {
  if (req->transactions_size() > 10000) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "transactions: at most 10000 per request");
  }
  std::vector<ledger::TxEnvelope> good;
  for (const auto& tx : req->transactions()) {
    auto v = VerifyTransaction(tx);
    if (!v.ok()) {
      reply->add_codes(static_cast<int>(v.status().code()));
      reply->add_messages(v.status().message());
      continue;
    }
    verified_.Insert(TxLeafHash(tx), std::make_shared<VerifiedTx>(std::move(v).value()));
    good.push_back(tx);
    reply->add_codes(0);
    reply->add_messages("");
  }
  if (good.empty()) return grpc::Status::OK;
  if (following_) {
    // An observer passes transactions on to a validator.
    cluster::SubmitRequest fwd;
    for (const auto& tx : good) *fwd.add_transactions() = tx;
    std::vector<std::shared_ptr<cluster::Cluster::Stub>> stubs;
    {
      std::lock_guard<std::mutex> lock(stubs_mu_);
      stubs = validator_stubs_;
    }
    for (const auto& stub : stubs) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      cluster::SubmitReply r;
      if (stub->Submit(&ctx, fwd, &r).ok()) return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no validator is reachable; retry later");
  }
  if (pending_.load() + good.size() > replica_options_.max_pending) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the node has too many waiting transactions; retry later");
  }
  auto txs = std::make_shared<std::vector<ledger::TxEnvelope>>(std::move(good));
  Post([this, txs] {
    if (replica_) replica_->Submit(*txs);
  });
  return grpc::Status::OK;
}

grpc::Status Node::Watch(grpc::ServerContext* ctx, const cluster::WatchRequest* req,
                         grpc::ServerWriter<cluster::TxStatus>* writer) {
  if (req->tx_ids_size() == 0 || req->tx_ids_size() > 100000) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "tx_ids: between 1 and 100000 ids");
  }
  auto waiter = std::make_shared<Waiter>();
  size_t remaining = static_cast<size_t>(req->tx_ids_size());
  // Register first, then look up what is already committed, on the consensus thread, so
  // nothing committed in between is missed (a duplicate report is dropped below).
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    for (const auto& id : req->tx_ids()) watchers_[id].push_back(waiter);
  }
  bool ok = Call([&] {
    for (const auto& id : req->tx_ids()) {
      auto tx = ledger_->GetTx(id);
      auto loc = ledger_->FindTx(id);
      if (!tx.ok() || !loc.ok() || !loc.value()) continue;
      cluster::TxStatus s;
      s.set_tx_id(id);
      s.set_height(loc.value()->height);
      s.set_code(tx->second.code());
      s.set_reason(tx->second.reason());
      std::lock_guard<std::mutex> wl(waiter->mu);
      waiter->ready.push_back(s);
    }
  });
  if (!ok)
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the node is shutting down; try another node");
  std::unordered_map<Bytes, bool> reported;
  while (remaining > 0 && !ctx->IsCancelled() && running_) {
    std::deque<cluster::TxStatus> out;
    {
      std::unique_lock<std::mutex> lock(waiter->mu);
      waiter->cv.wait_for(lock, std::chrono::milliseconds(200),
                          [&] { return !waiter->ready.empty(); });
      out.swap(waiter->ready);
    }
    for (const auto& s : out) {
      if (reported.count(s.tx_id())) continue;
      reported[s.tx_id()] = true;
      --remaining;
      if (!writer->Write(s)) return grpc::Status::CANCELLED;
    }
  }
  std::lock_guard<std::mutex> lock(watch_mu_);
  for (const auto& id : req->tx_ids()) {
    auto it = watchers_.find(id);
    if (it == watchers_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), waiter), v.end());
    if (v.empty()) watchers_.erase(it);
  }
  return grpc::Status::OK;
}

grpc::Status Node::GetBlocks(grpc::ServerContext*, const cluster::GetBlocksRequest* req,
                             cluster::GetBlocksReply* reply) {
  uint32_t max = std::min<uint32_t>(req->max_blocks() == 0 ? 16 : req->max_blocks(), 256);
  carledger::Status err;
  bool ok = Call([&] {
    reply->set_height(ledger_->height());
    size_t bytes = 0;
    for (uint64_t h = req->from_height();
         h < ledger_->height() && reply->blocks_size() < static_cast<int>(max); ++h) {
      auto b = ledger_->GetBlock(h);
      if (!b.ok()) {
        err = b.status();  // a damaged block is not served
        break;
      }
      bytes += b->ByteSizeLong();
      *reply->add_blocks() = std::move(b).value();
      if (bytes > (32u << 20)) break;
    }
  });
  if (!ok)
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the node is shutting down; try another node");
  if (!err.ok() && reply->blocks_size() == 0) return ToGrpc(err);
  return grpc::Status::OK;
}

grpc::Status Node::Status(grpc::ServerContext*, const cluster::StatusRequest*,
                          cluster::NodeStatus* reply) {
  bool ok = Call([&] {
    reply->set_id(id_);
    reply->set_role(role_);
    reply->set_height(ledger_->height());
    if (!replica_) return;
    auto s = replica_->GetStatus();
    reply->set_view(s.view);
    reply->set_leader(s.primary);
    reply->set_view_change(s.view_change);
    reply->set_stable_checkpoint(s.stable_checkpoint);
    reply->set_pending(s.pending);
    reply->set_detail(replica_->DebugString());
    for (const auto& p : s.peers) {
      auto* ps = reply->add_peers();
      ps->set_id(p.id);
      auto e = endpoints_.find(p.id);
      if (e != endpoints_.end()) ps->set_address(e->second.address);
      ps->set_connected(transport_->Connected(p.id));
      ps->set_height(p.height);
      ps->set_lag(s.height > p.height ? s.height - p.height : 0);
      ps->set_view(p.view);
    }
  });
  return ok ? grpc::Status::OK
            : grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "the node is shutting down; try another node");
}

grpc::Status Node::RotateLeader(grpc::ServerContext*, const cluster::RotateLeaderRequest* req,
                                cluster::RotateLeaderReply* reply) {
  if (following_)
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this node is not a voting validator; it has no leader to rotate");
  bool ok = Call([&] {
    if (!replica_) return;
    replica_->RequestViewChange(req->has_from_view() ? req->from_view() : replica_->view());
    reply->set_view(replica_->view());
  });
  return ok ? grpc::Status::OK
            : grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "the node is shutting down; try another node");
}

}  // namespace

Result<std::unique_ptr<ClusterNode>> ClusterNode::Start(const NodeOptions& options) {
  auto node = std::make_unique<Node>();
  carledger::Status st = node->Init(options);
  if (!st.ok()) {
    node->Shutdown();
    return st;
  }
  return std::unique_ptr<ClusterNode>(std::move(node));
}

}  // namespace carledger::service
