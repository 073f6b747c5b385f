// Cluster benchmark: real carledger-node processes on this machine (mutual TLS, every
// client signature verified on every validator, every block fsynced).
//   throughput at n = 4, 7, 10 (closed loop: clients keep the pool full)
//   submit-to-commit latency p50/p99 at 2,500 tx/s offered (open loop, n = 4); the n = 4
//   throughput and the latency are the medians of --repeat runs (3)
//   leader failover: kill -9 the leader under load, time to the next commit
//   catch-up: a validator restarted 100,000 transactions behind
// Prints FIGURE lines (scripts/bench cluster). --quick shrinks every phase.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "common/block_format.h"
#include "contracts/samples.h"
#include "ledger/parallel.h"
#include "ledger/transaction.h"
#include "service/local_cluster.h"

namespace carledger::service {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cluster_bench: %s\n", what.c_str());
  std::exit(1);
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Signed car registrations from `users` sellers (signing in parallel).
std::vector<ledger::TxEnvelope> MakeTxs(int run, size_t count) {
  std::vector<Signer> users;
  for (int i = 0; i < 64; ++i)
    users.push_back(Signer{PrivateKey::Generate().value(), std::nullopt});
  std::vector<ledger::TxEnvelope> txs(count);
  int64_t now = WallMs();
  // The series keeps VINs apart between runs: give each run its own `run` (mod 100).
  std::string series = "KMH" + std::to_string(run % 100) + "N";
  ParallelFor(count, [&](size_t i) {
    Json a = SampleCarRegistration(SampleVin(series, i), i);
    txs[i] =
        MakeTransaction(users[i % users.size()], "car_trade", "register_car", a, i, now).value();
  });
  return txs;
}

std::unique_ptr<LocalCluster> StartCluster(const std::string& dir, int n,
                                           const std::vector<std::string>& extra = {}) {
  LocalClusterOptions o;
  o.dir = dir;
  o.node_binary = CARLEDGER_NODE;
  // CLUSTER_BENCH_NODE: another carledger-node build, for A/B runs of the same bench.
  if (const char* node = getenv("CLUSTER_BENCH_NODE")) o.node_binary = node;
  o.cli_binary = CARLEDGER_CLI;
  o.validators = n;
  o.node_args = {"--batch", "1000"};
  // CLUSTER_BENCH_NODE_ARGS: extra node flags, for trying settings ("--max-in-flight 3").
  if (const char* env = getenv("CLUSTER_BENCH_NODE_ARGS")) {
    std::istringstream words(env);
    for (std::string w; words >> w;) o.node_args.push_back(w);
  }
  o.node_args.insert(o.node_args.end(), extra.begin(), extra.end());
  std::filesystem::remove_all(dir);
  auto c = LocalCluster::Create(o);
  if (!c.ok()) Die(c.status().ToString());
  if (Status st = c.value()->StartAll(); !st.ok()) Die(st.ToString());
  return std::move(c).value();
}

// Closed loop: `clients` threads, each submitting chunks of `chunk` to a validator and
// waiting for them, until `txs` are all committed. Returns committed tx/s.
double Throughput(LocalCluster* c, const std::vector<ledger::TxEnvelope>& txs, int clients,
                  size_t chunk) {
  std::vector<std::string> up;
  for (const auto& v : c->validators()) {
    if (c->Running(v)) up.push_back(v);
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int k = 0; k < clients; ++k) {
    threads.emplace_back([&, k] {
      auto stub = c->Stub(up[static_cast<size_t>(k) % up.size()]);
      while (!failed) {
        size_t from = next.fetch_add(chunk);
        if (from >= txs.size()) break;
        std::vector<ledger::TxEnvelope> part(
            txs.begin() + static_cast<long>(from),
            txs.begin() + static_cast<long>(std::min(txs.size(), from + chunk)));
        auto r = SubmitAndWait(stub.get(), part, 120000);
        if (!r.ok()) {
          std::fprintf(stderr, "  client %d: %s\n", k, r.status().ToString().c_str());
          failed = true;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed) {
    // What each validator was doing when the clients gave up (for whoever reads the log).
    for (const auto& v : c->validators()) {
      auto s = c->NodeStatus(v);
      if (!s.ok()) {
        std::fprintf(stderr, "  %s: %s\n", v.c_str(), s.status().ToString().c_str());
        continue;
      }
      std::fprintf(stderr, "  %s: view %llu%s height %llu pending %llu | %s\n", v.c_str(),
                   static_cast<unsigned long long>(s->view()),
                   s->view_change() ? " (changing)" : "",
                   static_cast<unsigned long long>(s->height()),
                   static_cast<unsigned long long>(s->pending()), s->detail().c_str());
    }
    if (getenv("CLUSTER_BENCH_HOLD")) {  // keep the nodes up for a debugger
      std::fprintf(stderr, "holding the cluster for an hour (CLUSTER_BENCH_HOLD)\n");
      std::this_thread::sleep_for(std::chrono::hours(1));
    }
    Die("throughput run failed");
  }
  return static_cast<double>(txs.size()) / Since(start);
}

// Open loop at `rate` tx/s for `seconds`: per-transaction submit-to-commit latency.
std::pair<double, double> LatencyAt(LocalCluster* c, const std::vector<ledger::TxEnvelope>& txs,
                                    double rate) {
  std::mutex mu;
  std::unordered_map<Bytes, Clock::time_point> sent;
  std::vector<double> lat;
  // (sent at, latency) per transaction, in ms from the run's start, for
  // CLUSTER_BENCH_LATENCY_LOG: a tail is explained by when it happened (a memtable flush on
  // every node at once was one; docs/performance.md).
  std::vector<std::pair<double, double>> timeline;
  std::vector<Bytes> ids;
  for (const auto& tx : txs) ids.push_back(TxId(tx));
  // One watcher per validator would also do; one stream sees every commit.
  auto wstub = c->Stub(c->validators()[1]);
  grpc::ClientContext wctx;
  cluster::WatchRequest wreq;
  for (const auto& id : ids) wreq.add_tx_ids(id);
  auto reader = wstub->Watch(&wctx, wreq);
  Clock::time_point start = Clock::now();  // reset just before the first send
  std::thread watcher([&] {
    cluster::TxStatus s;
    while (reader->Read(&s)) {
      auto now = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      auto it = sent.find(s.tx_id());
      if (it != sent.end()) {
        lat.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
        timeline.emplace_back(std::chrono::duration<double, std::milli>(it->second - start).count(),
                              lat.back());
      }
    }
  });
  const int tick_ms = 10;
  size_t per_tick = static_cast<size_t>(rate * tick_ms / 1000.0);
  std::vector<std::unique_ptr<cluster::Cluster::Stub>> stubs;
  for (const auto& v : c->validators()) stubs.push_back(c->Stub(v));
  {
    std::lock_guard<std::mutex> lock(mu);
    start = Clock::now();
  }
  size_t i = 0;
  for (int tick = 0; i < txs.size(); ++tick) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(tick * tick_ms));
    cluster::SubmitRequest req;
    size_t end = std::min(txs.size(), i + per_tick);
    {
      std::lock_guard<std::mutex> lock(mu);
      for (size_t j = i; j < end; ++j) {
        *req.add_transactions() = txs[j];
        sent[ids[j]] = Clock::now();
      }
    }
    grpc::ClientContext ctx;
    cluster::SubmitReply reply;
    stubs[static_cast<size_t>(tick) % stubs.size()]->Submit(&ctx, req, &reply);
    i = end;
  }
  watcher.join();
  reader->Finish();
  if (lat.size() < txs.size())
    Die("latency run: only " + std::to_string(lat.size()) + " commits seen");
  if (const char* path = getenv("CLUSTER_BENCH_LATENCY_LOG")) {
    // Appended, one block per run: "# run", then "sent_ms latency_ms" lines in send order.
    std::sort(timeline.begin(), timeline.end());
    if (FILE* f = std::fopen(path, "a")) {
      std::fprintf(f, "# run\n");
      for (const auto& [at, ms] : timeline) std::fprintf(f, "%.1f %.1f\n", at, ms);
      std::fclose(f);
    }
  }
  std::sort(lat.begin(), lat.end());
  return {lat[lat.size() / 2], lat[lat.size() * 99 / 100]};
}

uint64_t HeightOf(LocalCluster* c, const std::string& name) {
  auto s = c->NodeStatus(name);
  return s.ok() ? s->height() : 0;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string Join(const std::vector<double>& v, const char* format) {
  std::string out;
  char buf[32];
  for (double x : v) {
    std::snprintf(buf, sizeof buf, format, x);
    out += std::string(" ") + buf;
  }
  return out;
}

}  // namespace
}  // namespace carledger::service

int main(int argc, char** argv) {
  using namespace carledger;
  using namespace carledger::service;
  bool quick = false, catchup_only = false, latency_only = false;
  int only_n = 0;  // --n N: the throughput run at n = N alone
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--n" && i + 1 < argc) only_n = std::atoi(argv[i + 1]);
    quick |= std::string(argv[i]) == "--quick";
    catchup_only |= std::string(argv[i]) == "--catchup-only";  // for working on state transfer
    latency_only |= std::string(argv[i]) == "--latency-only";  // p50/p99 at 2,500 tx/s alone
    // --repeat R: the n = 4 throughput and the latency runs R times each, reporting the
    // median (this machine's runs spread by 10-20%).
    if (std::string(argv[i]) == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[i + 1]);
  }
  if (quick) repeat = 1;
  repeat = std::max(repeat, 1);
  std::string base = (std::filesystem::temp_directory_path() /
                      ("carledger-cluster-bench-" + std::to_string(::getpid())))
                         .string();
  // The clusters' directories go when main returns, by whichever path (each cluster,
  // declared later, is stopped first). CLUSTER_BENCH_KEEP set: they and the logs stay.
  struct RemoveDirs {
    std::string base;
    ~RemoveDirs() {
      if (getenv("CLUSTER_BENCH_KEEP")) return;
      for (const char* s : {"-n4", "-n7", "-n10", "-lat", "-catchup"})
        std::filesystem::remove_all(base + s);
    }
  } remove_dirs{base};
  const size_t tput_txs = quick ? 6000 : 40000;
  std::printf(
      "cluster_bench: car registrations through carledger-node processes (mutual TLS, ECDSA verify "
      "on every\n"
      "validator, Lua car_trade, fsync per block), all nodes on this machine\n");

  std::map<int, double> tps;
  double p50 = 0, p99 = 0, failover_ms = -1;
  if (!catchup_only) {
    for (int n : {4, 7, 10}) {
      if ((only_n > 0 && n != only_n) || latency_only) continue;
      auto txs = MakeTxs(n, n == 4 ? tput_txs : tput_txs / 2);
      auto c = StartCluster(base + "-n" + std::to_string(n), n);
      Throughput(c.get(), MakeTxs(90 + n, 2000), 4, 500);  // warm up
      std::vector<double> runs = {Throughput(c.get(), txs, 8, 1000)};
      for (int r = 1; n == 4 && r < repeat; ++r)
        runs.push_back(Throughput(c.get(), MakeTxs(40 + r, tput_txs), 8, 1000));
      tps[n] = Median(runs);
      if (runs.size() > 1) std::printf("  n = %-2d  runs:%s tx/s\n", n, Join(runs, "%.0f").c_str());
      // The view each validator ended in: above 0, the run paid for view changes.
      std::string views;
      for (const auto& v : c->validators()) {
        auto s = c->NodeStatus(v);
        views += " " + (s.ok() ? std::to_string(s->view()) : std::string("?"));
      }
      std::printf("  n = %-2d  %8.0f tx/s committed  (views at the end:%s)\n", n, tps[n],
                  views.c_str());
    }
    if (only_n > 0) return 0;

    auto c = StartCluster(base + "-lat", 4);
    Throughput(c.get(), MakeTxs(80, 2000), 4, 500);
    std::vector<double> p50s, p99s;
    for (int r = 0; r < repeat; ++r) {
      auto [run_p50, run_p99] =
          LatencyAt(c.get(), MakeTxs(r == 0 ? 81 : 60 + r, quick ? 5000 : 25000), 2500);
      p50s.push_back(run_p50);
      p99s.push_back(run_p99);
    }
    p50 = Median(p50s);
    p99 = Median(p99s);
    if (repeat > 1)
      std::printf("  latency runs: p50%s ms; p99%s ms\n", Join(p50s, "%.1f").c_str(),
                  Join(p99s, "%.1f").c_str());
    std::printf("  latency at 2,500 tx/s offered: p50 %.1f ms, p99 %.1f ms%s\n", p50, p99,
                repeat > 1 ? " (medians)" : "");
    if (latency_only) {
      std::printf("FIGURE cluster_p50_ms_at_2500 %.1f ms\nFIGURE cluster_p99_ms_at_2500 %.1f ms\n",
                  p50, p99);
      return 0;
    }

    // Failover: light load, kill -9 the leader, time until the next block commits.
    auto status = c->NodeStatus("node0");
    if (!status.ok()) Die("status");
    std::string leader = c->NameOf(status->leader());
    std::string watch_node = leader == "node1" ? "node2" : "node1";
    auto fail_txs = MakeTxs(82, 4000);
    std::atomic<bool> stop{false};
    std::thread load([&] {
      auto stub = c->Stub(watch_node);
      for (size_t i = 0; i < fail_txs.size() && !stop; i += 20) {
        cluster::SubmitRequest req;
        for (size_t j = i; j < std::min(fail_txs.size(), i + 20); ++j)
          *req.add_transactions() = fail_txs[j];
        grpc::ClientContext ctx;
        cluster::SubmitReply reply;
        stub->Submit(&ctx, req, &reply);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    uint64_t before = HeightOf(c.get(), watch_node);
    auto killed_at = Clock::now();
    c->Kill(leader, SIGKILL);
    uint64_t h_kill = std::max(before, HeightOf(c.get(), watch_node));
    while (Since(killed_at) < 30) {
      uint64_t h = HeightOf(c.get(), watch_node);
      if (h > h_kill) {
        // A block committed after the kill that was not already in flight: wait for one
        // proposed in the new view.
        auto s = c->NodeStatus(watch_node);
        if (s.ok() && c->NameOf(s->leader()) != leader && !s->view_change()) {
          failover_ms = Since(killed_at) * 1000;
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    stop = true;
    load.join();
    std::printf("  leader failover (kill -9 to the first commit under the new leader): %.0f ms\n",
                failover_ms);
    c.reset();
  }

  // Catch-up: node3 stopped while the others commit 100,000 transactions. It checks every
  // block's commit certificate and re-executes the block; the client signatures in it are
  // the ones the certifying quorum checked (Ledger::Commit), so they are not checked again.
  size_t behind = quick ? 10000 : 100000;
  auto cu = StartCluster(base + "-catchup", 4);
  auto cu_txs = MakeTxs(83, behind);
  cu->Kill("node3", SIGTERM);
  Throughput(cu.get(), cu_txs, 8, 1000);
  uint64_t target = HeightOf(cu.get(), "node0");
  auto restart = Clock::now();
  if (!cu->Start("node3").ok()) Die("restart node3");
  while (HeightOf(cu.get(), "node3") < target && Since(restart) < 600) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  double catchup_tps = static_cast<double>(behind) / Since(restart);
  std::printf(
      "  catch-up of a validator %zu transactions behind: %.0f tx/s (restart included; "
      "certificates checked, blocks re-executed)\n",
      behind, catchup_tps);
  cu.reset();

  std::printf("FIGURE cluster_tps_n4 %.0f tx/s\n", tps[4]);
  std::printf("FIGURE cluster_tps_n7 %.0f tx/s\n", tps[7]);
  std::printf("FIGURE cluster_tps_n10 %.0f tx/s\n", tps[10]);
  std::printf("FIGURE cluster_n10_over_n4 %.2f\n", tps[10] / tps[4]);
  std::printf("FIGURE cluster_p50_ms_at_2500 %.1f ms\n", p50);
  std::printf("FIGURE cluster_p99_ms_at_2500 %.1f ms\n", p99);
  std::printf("FIGURE failover_ms %.0f ms\n", failover_ms);
  std::printf("FIGURE catchup_tps %.0f tx/s\n", catchup_tps);
  return 0;
}
