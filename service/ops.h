// The node's operations endpoints (/healthz, /readyz, /metrics) over its backend, its
// PostgreSQL pool and the public API's call metrics.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

#include "service/cluster_node.h"
#include "service/metrics.h"
#include "service/store/pg.h"

namespace carledger::service {

class OpsEndpoints {
 public:
  // `pool` may be null (no accounts on this node). All must outlive the endpoints.
  OpsEndpoints(NodeBackend* backend, store::PgPool* pool, RpcMetrics* rpc);
  HttpHandlers Handlers();

  // Ready: caught up with its peers (at most 2 blocks behind the highest) and, with a
  // database, PostgreSQL answers. The body says why not.
  std::pair<int, std::string> Ready();
  std::string Metrics();

 private:
  void OnBlock(uint64_t height, size_t txs, int64_t now_ms);
  NodeBackend* backend_;
  store::PgPool* pool_;
  RpcMetrics* rpc_;
  std::atomic<uint64_t> committed_txs_{0};
  std::atomic<uint64_t> blocks_{0};
  std::mutex mu_;
  std::deque<std::pair<int64_t, size_t>> recent_;  // (time, txs) of blocks in the last 10 s
};

}  // namespace carledger::service
