// carledger-node: runs one node of a CarLedger network until SIGINT or SIGTERM.
//   carledger-node --network DIR --name node0 [--data DIR] [--listen HOST:PORT]
//                  [--api-listen HOST:PORT] [--http-listen HOST:PORT] [--pg CONNINFO]
// With --pg the public API also serves accounts and everything signed-in (the schema is
// migrated at start); without it, only public reads.
//                  [--batch N] [--no-sync] [--ca-dir DIR] [--signed-peer-messages]
// --ca-dir DIR holds the network CA (ca.crt, ca.key, as in the network directory's ca/):
// the node then issues agency certificates (Admin.IssueAgencyCertificate).
// --signed-peer-messages signs every message to other validators, commits and statuses
// included (by default those go unsigned, vouched for by the mutual-TLS stream): for a
// network upgraded one node at a time from a version that needs them signed.
// (The checkpoint interval is the network's epoch length, fixed at init-network.)
#include <absl/synchronization/mutex.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ledger/network_dir.h"
#include "service/api/api_server.h"
#include "service/cluster_node.h"
#include "service/ops.h"
#include "service/store/accounts.h"
#include "service/store/migrate.h"

namespace {

std::string Flag(const std::vector<std::string>& args, const std::string& name,
                 const std::string& def = "") {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) return args[i + 1];
  }
  return def;
}

bool Has(const std::vector<std::string>& args, const std::string& name) {
  for (const auto& a : args) {
    if (a == name) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // gRPC's locks are abseil mutexes, and Debian's abseil checks every lock for deadlock
  // cycles (a global graph update per lock: ~1% of a busy node's CPU). Our code uses
  // std::mutex; gRPC's own lock order is not ours to verify in production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::vector<std::string> args(argv + 1, argv + argc);
  carledger::service::NodeOptions o;
  o.network_dir = Flag(args, "--network");
  o.name = Flag(args, "--name");
  if (o.network_dir.empty() || o.name.empty()) {
    std::fprintf(
        stderr,
        "usage: carledger-node --network DIR --name NODE [--data DIR] [--listen HOST:PORT] "
        "[--api-listen HOST:PORT] [--http-listen HOST:PORT] [--pg CONNINFO] "
        "[--batch N] [--max-in-flight N] [--batch-delay-ms MS] [--max-partial-in-flight N] "
        "[--view-timeout-ms MS] [--no-sync] "
        "[--ca-dir DIR] [--signed-peer-messages]\n");
    return 2;
  }
  o.data_dir = Flag(args, "--data");
  o.listen = Flag(args, "--listen");
  o.api_listen = Flag(args, "--api-listen");
  o.http_listen = Flag(args, "--http-listen");
  o.sync = !Has(args, "--no-sync");
  // The peer transport is mutual TLS and names each stream's validator.
  o.replica.authenticated_links = !Has(args, "--signed-peer-messages");
  o.replica.max_batch = static_cast<size_t>(std::atoi(Flag(args, "--batch", "1000").c_str()));
  if (o.replica.max_batch == 0) {
    std::fprintf(stderr, "carledger-node: --batch must be positive\n");
    return 2;
  }
  // Blocks proposed ahead of execution: deeper hides message latency, shallower gets the
  // first block of a burst out sooner (every block in flight is verified meanwhile).
  o.replica.max_in_flight = static_cast<uint64_t>(
      std::atoll(Flag(args, "--max-in-flight", std::to_string(o.replica.max_in_flight)).c_str()));
  // How long the leader waits to fill a block when none is in flight.
  o.replica.batch_delay_ms =
      std::atoll(Flag(args, "--batch-delay-ms", std::to_string(o.replica.batch_delay_ms)).c_str());
  // Blocks that are not full may be in flight at once: more lets concurrent clients that
  // fell out of step commit in parallel blocks; fewer makes batches grow with the load.
  o.replica.max_partial_in_flight = static_cast<uint64_t>(std::atoll(
      Flag(args, "--max-partial-in-flight", std::to_string(o.replica.max_partial_in_flight))
          .c_str()));
  if (o.replica.max_partial_in_flight == 0) {
    std::fprintf(stderr, "carledger-node: --max-partial-in-flight must be positive\n");
    return 2;
  }
  if (o.replica.batch_delay_ms < 0) {
    std::fprintf(stderr, "carledger-node: --batch-delay-ms must not be negative\n");
    return 2;
  }
  o.replica.view_timeout_ms = std::atoll(
      Flag(args, "--view-timeout-ms", std::to_string(o.replica.view_timeout_ms)).c_str());
  if (o.replica.max_in_flight == 0 || o.replica.view_timeout_ms <= 0) {
    std::fprintf(stderr,
                 "carledger-node: --max-in-flight and --view-timeout-ms must be positive\n");
    return 2;
  }
  // Signals are taken by sigwait below, not by whichever thread happens to run.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto node = carledger::service::ClusterNode::Start(o);
  if (!node.ok()) {
    std::fprintf(stderr, "carledger-node: %s\n", node.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "carledger-node %s listening on %s\n", o.name.c_str(),
               node.value()->address().c_str());
  std::unique_ptr<carledger::store::PgPool> pool;
  carledger::store::SystemClock clock;
  std::unique_ptr<carledger::store::AccountStore> accounts;
  std::string pg = Flag(args, "--pg");
  if (!pg.empty()) {
    auto opened = carledger::store::PgPool::Open(pg, 16);
    auto migrated =
        opened.ok() ? carledger::store::Migrate(**opened) : carledger::Result<int>(opened.status());
    if (!migrated.ok()) {
      std::fprintf(stderr, "carledger-node: PostgreSQL: %s\n",
                   migrated.status().ToString().c_str());
      node.value()->Shutdown();
      return 1;
    }
    pool = std::move(opened).value();
    accounts = std::make_unique<carledger::store::AccountStore>(*pool, clock);
  }
  carledger::service::RpcMetrics rpc_metrics;
  std::unique_ptr<carledger::service::OpsEndpoints> ops;
  std::unique_ptr<carledger::service::HttpServer> http;
  if (!node.value()->http_address().empty()) {
    ops = std::make_unique<carledger::service::OpsEndpoints>(node.value()->backend(), pool.get(),
                                                             &rpc_metrics);
    auto started =
        carledger::service::HttpServer::Start(node.value()->http_address(), ops->Handlers());
    if (!started.ok()) {
      std::fprintf(stderr, "carledger-node: %s\n", started.status().ToString().c_str());
      node.value()->Shutdown();
      return 1;
    }
    http = std::move(started).value();
  }
  std::unique_ptr<carledger::api::ApiServer> api;
  if (!node.value()->api_address().empty()) {
    carledger::api::ApiOptions ao;
    ao.accounts = accounts.get();
    if (pool) {
      ao.pool = pool.get();
      ao.clock = &clock;
    }
    if (std::string ca_dir = Flag(args, "--ca-dir"); !ca_dir.empty()) {
      auto cert = carledger::ReadFile(ca_dir + "/ca.crt");
      auto key = carledger::ReadFile(ca_dir + "/ca.key");
      if (!cert.ok() || !key.ok()) {
        std::fprintf(stderr, "carledger-node: --ca-dir: %s\n",
                     (cert.ok() ? key : cert).status().ToString().c_str());
        node.value()->Shutdown();
        return 1;
      }
      ao.ca_cert_pem = *cert;
      ao.ca_key_pem = *key;
    }
    ao.metrics = &rpc_metrics;
    ao.listen = node.value()->api_address();
    ao.tls = node.value()->tls();
    ao.backend = node.value()->backend();
    auto started = carledger::api::ApiServer::Start(ao);
    if (!started.ok()) {
      std::fprintf(stderr, "carledger-node: public API: %s\n", started.status().ToString().c_str());
      node.value()->Shutdown();
      return 1;
    }
    api = std::move(started).value();
    std::fprintf(stderr, "carledger-node %s: public API on %s\n", o.name.c_str(),
                 api->address().c_str());
  }
  int sig = 0;
  sigwait(&set, &sig);
  // The API first (no new calls), then the node; the API object outlives the node's
  // last commit, whose listener it registered.
  if (http) http->Stop();
  if (api) api->Shutdown();
  node.value()->Shutdown();
  api.reset();
  ops.reset();
  return 0;
}
