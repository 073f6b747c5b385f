#include "service/cluster_node_internal.h"

namespace carledger::service {
namespace node_internal {

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
  http_listen_ =
      options.http_listen.empty() ? self->get_string("http_address") : options.http_listen;
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
    app_->set_before_execute([this](uint64_t height) { WaitForPreVerify(height); });
    transport_ = std::make_unique<PeerTransport>(
        to, [this](consensus::SignedMessage&& m, const std::string& link) {
          auto msg = std::make_shared<consensus::SignedMessage>(std::move(m));
          if (msg->batches_size() > 0) {
            consensus::Message body;
            if (body.ParseFromString(msg->body()) && body.has_pre_prepare()) {
              DeliverPrePrepare(msg, body.pre_prepare().seq());
              return;
            }
          }
          size_t bytes = msg->ByteSizeLong();
          auto receive = [this, msg, link] {
            if (replica_) replica_->Receive(*msg, link);
          };
          if (PeerChecks::IsForward(*msg)) {
            // Checked on the check threads, not this stream's: the stream goes on to the next
            // message (a pre-prepare, say) while these signatures wait their turn. The replica
            // gets the forward once it is checked, so a primary proposes transactions it does
            // not have to check itself.
            peer_checks_.CheckForward(msg, [this, receive, bytes] {
              // Not waiting for room in the inbox: the consensus thread may be waiting for a
              // check behind this one (WaitForPreVerify). The check queue's bound holds instead.
              Post(receive, bytes, /*wait_for_room=*/false);
            });
            return;
          }
          Post(receive, bytes);
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
  preverify_cv_.notify_all();
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  peer_checks_.Stop();  // first: a stream waiting for room in it is released
  if (transport_) transport_->Stop();
  if (follower_thread_.joinable()) follower_thread_.join();
  if (consensus_thread_.joinable()) consensus_thread_.join();
}

bool Node::Post(std::function<void()> task, size_t bytes, bool wait_for_room) {
  std::unique_lock<std::mutex> lock(inbox_mu_);
  inbox_room_.wait(lock, [&] {
    return (inbox_.size() < kInboxLimit && inbox_bytes_ + bytes <= kInboxBytes) || inbox_.empty() ||
           !running_ || !wait_for_room;
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

void Node::RefreshViewSnapshot() {
  std::lock_guard<std::mutex> lock(view_mu_);
  view_snapshot_.role = role_;
  if (!replica_) return;
  // The leader only changes with the view.
  if (view_snapshot_.leader.empty() || replica_->view() != view_snapshot_.view) {
    view_snapshot_.view = replica_->view();
    view_snapshot_.leader = replica_->GetStatus().primary;
  }
}

void Node::RunConsensus() {
  // The replica's timers (view timeout, retransmission, fetching) work in tens of
  // milliseconds, and messages and commits drive everything else, so a tick every 10 ms
  // does. Only a primary that waits to fill batches (--batch-delay-ms) needs finer ones.
  // Each tick wakes this thread: at 2 ms they were a quarter of its wake-ups at
  // concurrency 1.
  const auto tick_interval =
      std::chrono::milliseconds(replica_options_.batch_delay_ms > 0 ? 2 : 10);
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
      RefreshViewSnapshot();
      next_tick = Clock::now() + tick_interval;
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

void Node::DeliverPrePrepare(const std::shared_ptr<consensus::SignedMessage>& msg, uint64_t seq) {
  size_t bytes = msg->ByteSizeLong();
  if (!Post(
          [this, msg] {
            if (replica_) replica_->Receive(*msg);
          },
          bytes))
    return;
  // Marked only once the message is queued: the consensus thread never waits on a check
  // whose stream is itself waiting for room in the inbox.
  {
    std::lock_guard<std::mutex> lock(preverify_mu_);
    preverifying_.insert(seq);
  }
  auto checked = [this, seq] {
    {
      std::lock_guard<std::mutex> lock(preverify_mu_);
      preverifying_.erase(preverifying_.find(seq));
    }
    preverify_cv_.notify_all();
  };
  // Urgent: ahead of forwarded submissions, which only warm the cache.
  if (!peer_checks_.CheckPrePrepare(msg, checked)) checked();  // stopping
}

void Node::WaitForPreVerify(uint64_t height) {
  std::unique_lock<std::mutex> lock(preverify_mu_);
  // Bounded: past it, execution checks what is still unchecked itself.
  preverify_cv_.wait_for(lock, std::chrono::seconds(5),
                         [&] { return preverifying_.count(height) == 0 || !running_; });
}

}  // namespace node_internal

Result<std::unique_ptr<ClusterNode>> ClusterNode::Start(const NodeOptions& options) {
  auto node = std::make_unique<node_internal::Node>();
  carledger::Status st = node->Init(options);
  if (!st.ok()) {
    node->Shutdown();
    return st;
  }
  return std::unique_ptr<ClusterNode>(std::move(node));
}

}  // namespace carledger::service
