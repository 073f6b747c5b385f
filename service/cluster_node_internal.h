// The node behind ClusterNode, shared by its source files: cluster_node.cc (start,
// membership, the consensus and follower loops) and cluster_node_rpc.cc (the Cluster
// service, submissions and the waiting on them, block notifications).
#pragma once

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
#include <set>
#include <thread>
#include <unordered_map>

#include "common/block_format.h"
#include "ledger/ledger.h"
#include "ledger/network_dir.h"
#include "ledger/parallel.h"
#include "ledger/pbft/ledger_app.h"
#include "ledger/tx_pool.h"
#include "service/cluster_node.h"
#include "service/peer_checks.h"
#include "service/peer_transport.h"

namespace carledger::service {
namespace node_internal {

using Clock = std::chrono::steady_clock;

inline int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline grpc::Status ToGrpc(const carledger::Status& s) {
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
  carledger::Status ReadLedgerNow(const std::function<void(const Ledger&)>& read) override {
    // The ledger lives as long as the node object; the API stops before the node goes.
    if (!running_ || !ledger_)
      return carledger::Status::Unavailable("the node is shutting down; try another node");
    read(*ledger_);
    return carledger::Status::Ok();
  }
  std::vector<Outcome> SubmitAndWait(
      const std::vector<ledger::TxEnvelope>& txs, int timeout_ms,
      const std::vector<std::shared_ptr<VerifiedTx>>* verified = nullptr) override;
  void AddBlockListener(
      std::function<void(const ledger::Block&, const Ledger&)> listener) override {
    std::lock_guard<std::mutex> lock(watch_mu_);
    listeners_.push_back(std::move(listener));
  }
  ConsensusView CurrentView() override {
    std::lock_guard<std::mutex> lock(view_mu_);
    return view_snapshot_;
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
  std::string http_address() const override { return http_listen_; }
  const TlsMaterial& tls() const override { return tls_; }

  // ReplicaHost (consensus thread).
  void Send(const std::string& to, const pbft::MessagePtr& msg) override {
    transport_->Send(to, msg);
  }
  int64_t NowMs() override { return WallMs(); }
  void Log(const std::string& line) override {
    std::fprintf(stderr, "carledger-node %s [%lld]: %s\n", name_.c_str(),
                 static_cast<long long>(WallMs()), line.c_str());
  }

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
  void RefreshViewSnapshot();  // consensus thread
  // Queues `task` for the consensus thread; blocks while the inbox is full, unless
  // wait_for_room is false (for callers whose own queue bounds what they post, and who
  // must not wait on the consensus thread). False when the node is stopping (the task
  // will not run).
  bool Post(std::function<void()> task, size_t bytes = 0, bool wait_for_room = true);
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
  // Passes verified transactions on: to the replica, or (a follower) to a validator.
  grpc::Status Admit(std::vector<ledger::TxEnvelope> good);
  void RunConsensus();
  void RunFollower();
  // Consensus thread. Learns validators (keys, addresses) from the ledger and makes this
  // node a voting replica while it is in the validator set, a follower otherwise (a
  // validator that joins catches up as a follower; one that is removed follows on).
  carledger::Status RefreshMembership();
  void Notify(const ledger::Block& block);
  // A pre-prepare reaches the replica first and has its client signatures checked after
  // (on the check queue, ahead of forwarded submissions): ordering does not wait for them,
  // so a burst of signatures to check is not mistaken for a slow primary. Executing that
  // block waits for the check instead of repeating it.
  void DeliverPrePrepare(const std::shared_ptr<consensus::SignedMessage>& msg, uint64_t seq);
  void WaitForPreVerify(uint64_t height);

  std::string name_, id_, role_, listen_, api_listen_, http_listen_;
  std::map<std::string, PeerEndpoint> endpoints_;  // every validator we know how to reach
  std::vector<std::string> members_;               // the validator set in force
  std::optional<PrivateKey> key_;
  TlsMaterial tls_;
  std::mutex preverify_mu_;
  std::condition_variable preverify_cv_;
  std::multiset<uint64_t> preverifying_;  // sequence numbers whose batches are being checked
  // Small submissions (a public-API call's one transaction) admitted while the consensus
  // thread is busy, waiting to go to the replica together (see Admit).
  std::mutex admit_mu_;
  std::vector<ledger::TxEnvelope> admit_buffer_;
  VerifiedTxCache verified_{100'000};  // a transaction stays only from arrival to execution
  // Peers' client signatures (forwards, pre-prepares), checked into verified_.
  PeerChecks peer_checks_{&verified_, 2, 64u << 20};
  // CurrentView's answer, refreshed by the consensus thread at each tick
  // (RefreshViewSnapshot).
  std::mutex view_mu_;
  ConsensusView view_snapshot_;
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
  std::vector<std::function<void(const ledger::Block&, const Ledger&)>> listeners_;
};

}  // namespace node_internal
}  // namespace carledger::service
