// The Cluster service of a node (submit, watch, blocks, status, leader rotation), the
// public API's submissions and the notifications of committed blocks.
#include "service/cluster_node_internal.h"

namespace carledger::service {
namespace node_internal {

namespace {
// Admit merges requests of at most this many transactions ...
constexpr size_t kMaxMergedRequest = 4;
// ... into forwards of at most this many.
constexpr size_t kMaxMergedForward = 128;

cluster::TxStatus StatusOf(const Bytes& tx_id, uint64_t height, const ledger::TxResult& r) {
  cluster::TxStatus s;
  s.set_tx_id(tx_id);
  s.set_height(height);
  s.set_code(r.code());
  s.set_reason(r.reason());
  s.set_output(r.output());
  return s;
}

// The final status of a transaction the ledger already holds; nullopt if it holds none.
// (One index lookup and one block read: Ledger::GetTx would repeat the lookup.)
std::optional<cluster::TxStatus> CommittedStatus(const Ledger& ledger, const Bytes& tx_id) {
  auto loc = ledger.FindTx(tx_id);
  if (!loc.ok() || !loc.value()) return std::nullopt;
  auto block = ledger.GetBlock(loc.value()->height);
  int index = static_cast<int>(loc.value()->tx_index);
  if (!block.ok() || index >= block->results_size()) return std::nullopt;
  return StatusOf(tx_id, loc.value()->height, block->results(index));
}
}  // namespace

void Node::Notify(const ledger::Block& block) {
  std::lock_guard<std::mutex> lock(watch_mu_);
  for (const auto& l : listeners_) l(block, *ledger_);
  if (watchers_.empty()) return;
  for (const auto& r : block.results()) {
    auto it = watchers_.find(r.tx_id());
    if (it == watchers_.end()) continue;
    cluster::TxStatus s = StatusOf(r.tx_id(), block.header().height(), r);
    for (auto& w : it->second) {
      std::lock_guard<std::mutex> wl(w->mu);
      w->ready.push_back(s);
      w->cv.notify_one();
    }
    watchers_.erase(it);
  }
}

std::vector<NodeBackend::Outcome> Node::SubmitAndWait(
    const std::vector<ledger::TxEnvelope>& txs, int timeout_ms,
    const std::vector<std::shared_ptr<VerifiedTx>>* verified) {
  std::vector<Outcome> out(txs.size());
  auto waiter = std::make_shared<Waiter>();
  std::vector<ledger::TxEnvelope> good;
  std::unordered_map<Bytes, size_t> index;  // tx id -> position
  for (size_t i = 0; i < txs.size(); ++i) {
    std::shared_ptr<VerifiedTx> v;
    if (verified != nullptr && i < verified->size() && (*verified)[i]) {
      v = (*verified)[i];
    } else {
      auto checked = VerifyTransaction(txs[i]);
      if (!checked.ok()) {
        out[i].status = checked.status();
        continue;
      }
      v = std::make_shared<VerifiedTx>(std::move(checked).value());
    }
    Bytes id = TxId(txs[i]);
    out[i].tx.set_tx_id(id);
    out[i].status = carledger::Status::DeadlineExceeded(
        "not committed within " + std::to_string(timeout_ms) + " ms; it may still be");
    if (index.count(id)) continue;  // the same transaction twice: one answer serves both
    index[id] = i;
    verified_.Insert(TxLeafHash(txs[i]), std::move(v));
    good.push_back(txs[i]);
  }
  if (good.empty()) return out;
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    for (const auto& tx : good) watchers_[TxId(tx)].push_back(waiter);
  }
  // Already committed (a resubmission): answer from the ledger. Read after the watchers
  // are registered, so a commit in between is reported one way or the other (a duplicate
  // report is dropped below).
  (void)ReadLedgerNow([&](const Ledger& l) {
    for (const auto& tx : good) {
      auto s = CommittedStatus(l, TxId(tx));
      if (!s) continue;
      std::lock_guard<std::mutex> wl(waiter->mu);
      waiter->ready.push_back(std::move(*s));
    }
  });
  grpc::Status sent = Admit(good);
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
  return Admit(std::move(good));
}

grpc::Status Node::Admit(std::vector<ledger::TxEnvelope> good) {
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
  if (good.size() <= kMaxMergedRequest) {
    // Single transactions from many concurrent API calls go to the replica together: one
    // task and one signed forward (signed once, checked by every validator) per burst
    // rather than per call. Only small requests merge: a bulk submission stays one
    // forward of its own, and a merged forward stays small enough to check quickly.
    bool scheduled;
    {
      std::lock_guard<std::mutex> lock(admit_mu_);
      scheduled = !admit_buffer_.empty();
      for (auto& tx : good) admit_buffer_.push_back(std::move(tx));
    }
    if (scheduled) return grpc::Status::OK;
    bool posted = Post([this] {
      std::vector<ledger::TxEnvelope> txs;
      {
        std::lock_guard<std::mutex> lock(admit_mu_);
        txs.swap(admit_buffer_);
      }
      if (!replica_) return;
      for (size_t from = 0; from < txs.size(); from += kMaxMergedForward) {
        size_t to = std::min(txs.size(), from + kMaxMergedForward);
        replica_->Submit(std::vector<ledger::TxEnvelope>(
            std::make_move_iterator(txs.begin() + static_cast<long>(from)),
            std::make_move_iterator(txs.begin() + static_cast<long>(to))));
      }
    });
    if (!posted) {
      std::lock_guard<std::mutex> lock(admit_mu_);
      admit_buffer_.clear();
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the node is shutting down; try another node");
    }
    return grpc::Status::OK;
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
      auto s = CommittedStatus(*ledger_, id);
      if (!s) continue;
      std::lock_guard<std::mutex> wl(waiter->mu);
      waiter->ready.push_back(std::move(*s));
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

}  // namespace node_internal
}  // namespace carledger::service
