#include "service/ops.h"

#include <chrono>

namespace carledger::service {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr int64_t kRateWindowMs = 10000;

}  // namespace

OpsEndpoints::OpsEndpoints(NodeBackend* backend, store::PgPool* pool, RpcMetrics* rpc)
    : backend_(backend), pool_(pool), rpc_(rpc) {
  backend_->AddBlockListener([this](const ledger::Block& b, const Ledger&) {
    OnBlock(b.header().height(), static_cast<size_t>(b.transactions_size()), NowMs());
  });
}

void OpsEndpoints::OnBlock(uint64_t, size_t txs, int64_t now_ms) {
  committed_txs_ += txs;
  ++blocks_;
  std::lock_guard<std::mutex> lock(mu_);
  recent_.emplace_back(now_ms, txs);
  while (!recent_.empty() && recent_.front().first < now_ms - kRateWindowMs) recent_.pop_front();
}

HttpHandlers OpsEndpoints::Handlers() {
  HttpHandlers h;
  h.healthz = [] { return std::make_pair(200, std::string("ok\n")); };
  h.readyz = [this] { return Ready(); };
  h.metrics = [this] { return std::make_pair(200, Metrics()); };
  return h;
}

std::pair<int, std::string> OpsEndpoints::Ready() {
  auto s = backend_->NodeState();
  if (!s.ok()) return {503, "node: " + s.status().message() + "\n"};
  uint64_t highest = s->height();
  for (const auto& p : s->peers()) highest = std::max(highest, p.height());
  if (highest > s->height() + 2)
    return {503, "catching up: height " + std::to_string(s->height()) + " of " +
                     std::to_string(highest) + "\n"};
  if (pool_ != nullptr) {
    auto r = pool_->Exec("SELECT 1", {});
    if (!r.ok()) return {503, "database: " + r.status().message() + "\n"};
  }
  return {200, "ready: height " + std::to_string(s->height()) + "\n"};
}

std::string OpsEndpoints::Metrics() {
  std::string out;
  auto gauge = [&](const std::string& name, const std::string& help, const std::string& value,
                   const char* type = "gauge") {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           value + "\n";
  };
  gauge("carledger_committed_transactions_total", "Transactions in blocks committed here.",
        std::to_string(committed_txs_.load()), "counter");
  gauge("carledger_committed_blocks_total", "Blocks committed here since start.",
        std::to_string(blocks_.load()), "counter");
  {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = NowMs();
    size_t txs = 0;
    for (const auto& [t, n] : recent_) txs += t >= now - kRateWindowMs ? n : 0;
    gauge("carledger_transactions_per_second", "Committed transactions per second (last 10 s).",
          std::to_string(static_cast<double>(txs) * 1000.0 / kRateWindowMs));
  }
  auto s = backend_->NodeState();
  if (s.ok()) {
    gauge("carledger_height", "Blocks committed (the next block's height).",
          std::to_string(s->height()));
    gauge("carledger_view", "Current pBFT view.", std::to_string(s->view()));
    gauge("carledger_view_change", "1 while a view change is in progress.",
          s->view_change() ? "1" : "0");
    gauge("carledger_stable_checkpoint", "Height of the last stable checkpoint.",
          std::to_string(s->stable_checkpoint()));
    gauge("carledger_pending_transactions", "Client transactions waiting to be ordered.",
          std::to_string(s->pending()));
    out +=
        "# HELP carledger_peer_lag_blocks How far each peer is behind this node.\n"
        "# TYPE carledger_peer_lag_blocks gauge\n";
    for (const auto& p : s->peers())
      out += "carledger_peer_lag_blocks{peer=\"" + p.id().substr(0, 16) + "\"} " +
             std::to_string(p.lag()) + "\n";
  }
  out += rpc_->Render();
  return out;
}

}  // namespace carledger::service
