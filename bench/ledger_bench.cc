// Ledger throughput on one node: signed car registrations through verify -> execute ->
// commit (block fsynced), at block sizes 1, 100 and 1000; and, in the same run, the same
// records written to a private PostgreSQL as one synchronous-commit transaction per
// trade. Prints FIGURE lines (scripts/bench ledger).
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/block_format.h"
#include "contracts/builtin.h"
#include "contracts/samples.h"
#include "ledger/ledger.h"
#include "ledger/network.h"
#include "ledger/parallel.h"
#include "ledger/tx_pool.h"

namespace carledger {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "ledger_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

// A 17-character VIN unique per (run, index), in the VIN alphabet.
std::string BenchVin(int run, int64_t i) {
  return SampleVin("KNAB" + std::to_string(run % 10) + "N", static_cast<uint64_t>(i));
}

Json CarArgs(const std::string& vin, int64_t i) {
  return SampleCarRegistration(vin, static_cast<uint64_t>(i));
}

struct LedgerFigure {
  double tps;
  int64_t txs;
};

// serial: admit everything before the block loop starts (a profiling aid: the block
// loop's own cost, without admission competing for the cores).
LedgerFigure RunLedger(int block_size, int64_t count, int run, bool serial = false) {
  std::string dir =
      (std::filesystem::temp_directory_path() /
       ("carledger-bench-" + std::to_string(::getpid()) + "-" + std::to_string(block_size)))
          .string();
  std::filesystem::remove_all(dir);
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto ids = Check(CreateNetworkIdentities("Bench", {"BenchOrg"}, 1, now_ms / 1000), "identities");
  VerifiedTxCache cache;
  TxPool pool(&cache);
  LedgerOptions options;
  options.executor.verified = &cache;
  auto ledger = Check(Ledger::Open(dir, options), "open ledger");
  const std::string* src = BuiltinContractSource("car_trade");
  Check(CommitGenesis(ledger.get(), ids, {{"car_trade", "1", *src}}, now_ms), "genesis");

  // Signing is the clients' work, not the ledger's: prepare every transaction first.
  std::vector<Signer> users;
  for (int i = 0; i < 64; ++i)
    users.push_back(Signer{Check(PrivateKey::Generate(), "key"), std::nullopt});
  std::vector<ledger::TxEnvelope> txs(static_cast<size_t>(count));
  ParallelFor(txs.size(), [&](size_t i) {
    auto tx = MakeTransaction(
        users[i % users.size()], "car_trade", "register_car",
        CarArgs(BenchVin(run, static_cast<int64_t>(i)), static_cast<int64_t>(i)), i + 1, now_ms);
    if (!tx.ok()) Die(tx.status().ToString());
    txs[i] = std::move(tx).value();
  });

  const PrivateKey& vkey = ids.validators[0].key;
  std::string proposer = vkey.public_key().Fingerprint();
  int64_t valid = 0;
  // As on a node: clients' transactions are admitted (signature verified) on a thread
  // pool as they arrive, while the block loop executes and commits what was admitted.
  auto admit_all = [&] {
    const size_t chunk = 500;
    for (size_t off = 0; off < txs.size(); off += chunk) {
      std::vector<ledger::TxEnvelope> part(
          txs.begin() + static_cast<long>(off),
          txs.begin() + static_cast<long>(std::min(txs.size(), off + chunk)));
      for (const Status& st : pool.Admit(part)) {
        if (!st.ok()) Die("admission: " + st.ToString());
      }
    }
  };
  if (serial) admit_all();
  auto start = Clock::now();
  double cpu_start = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID),
         loop_cpu_start = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  std::thread admitter([&] {
    if (!serial) admit_all();
  });
  int64_t committed = 0;
  double wait_s = 0, propose_s = 0, commit_s = 0;  // where the block loop's time goes
  while (committed < count) {
    size_t want = static_cast<size_t>(std::min<int64_t>(block_size, count - committed));
    auto t0 = Clock::now();
    pool.WaitFor(want, 50);
    std::vector<ledger::TxEnvelope> batch = pool.TakeBatch(static_cast<size_t>(block_size));
    auto t1 = Clock::now();
    wait_s += Seconds(t0, t1);
    if (batch.empty()) continue;
    auto block = Check(ledger->Propose(batch, now_ms + 1, proposer), "propose");
    *block.mutable_certificate()->add_signatures() =
        Check(SignCommit(block.header(), vkey), "sign");
    auto t2 = Clock::now();
    propose_s += Seconds(t1, t2);
    Status st = ledger->Commit(block);
    commit_s += Seconds(t2, Clock::now());
    if (!st.ok()) Die("commit: " + st.ToString());
    for (const auto& r : block.results()) {
      if (r.code() == ledger::VALID)
        ++valid;
      else
        Die("transaction rejected: " + r.reason());
    }
    committed += block.transactions_size();
  }
  double loop_cpu = CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - loop_cpu_start;
  admitter.join();
  double secs = Seconds(start, Clock::now());
  std::printf(
      "  (block size %d: block loop waited %.2f s for admission, proposed %.2f s, committed %.2f s;"
      " cpu %.2f s in the block loop, %.2f s in all)\n",
      block_size, wait_s, propose_s, commit_s, loop_cpu,
      CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start);
  if (valid != count)
    Die("only " + std::to_string(valid) + " of " + std::to_string(count) + " were valid");
  ledger.reset();
  std::filesystem::remove_all(dir);
  return {static_cast<double>(count) / secs, count};
}

// The same records in plain PostgreSQL: the car row and its registration event, one
// transaction per trade, synchronous commit, `conns` concurrent connections.
double RunPostgres(const std::string& conninfo, int64_t count, int conns) {
  PGconn* setup = PQconnectdb(conninfo.c_str());
  if (PQstatus(setup) != CONNECTION_OK) Die(std::string("postgres: ") + PQerrorMessage(setup));
  PGresult* res = PQexec(
      setup,
      "DROP TABLE IF EXISTS bench_car_events; DROP TABLE IF EXISTS bench_cars;"
      "CREATE TABLE bench_cars (vin text PRIMARY KEY, owner text NOT NULL, record jsonb NOT NULL,"
      " last_tx bytea NOT NULL);"
      "CREATE TABLE bench_car_events (vin text NOT NULL REFERENCES bench_cars(vin), seq int NOT "
      "NULL,"
      " tx_id bytea NOT NULL, event jsonb NOT NULL, PRIMARY KEY (vin, seq));"
      "SET synchronous_commit = on;");
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    Die(std::string("postgres setup: ") + PQerrorMessage(setup));
  PQclear(res);
  PQfinish(setup);

  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&]() {
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      failed = true;
      return;
    }
    PQclear(PQexec(c, "SET synchronous_commit = on"));
    while (true) {
      int64_t i = next.fetch_add(1);
      if (i >= count) break;
      std::string vin = BenchVin(9, i);
      std::string record = CarArgs(vin, i).Dump();
      std::string tx_id = Sha256(vin);
      std::string owner = ToHex(Sha256(std::to_string(i % 64)));
      PGresult* r = PQexec(c, "BEGIN");
      PQclear(r);
      const char* p1[] = {vin.c_str(), owner.c_str(), record.c_str(), tx_id.data()};
      int l1[] = {0, 0, 0, static_cast<int>(tx_id.size())};
      int f1[] = {0, 0, 0, 1};
      r = PQexecParams(
          c, "INSERT INTO bench_cars (vin, owner, record, last_tx) VALUES ($1, $2, $3::jsonb, $4)",
          4, nullptr, p1, l1, f1, 0);
      bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      const char* p2[] = {vin.c_str(), tx_id.data(), record.c_str()};
      int l2[] = {0, static_cast<int>(tx_id.size()), 0};
      int f2[] = {0, 1, 0};
      r = PQexecParams(
          c, "INSERT INTO bench_car_events (vin, seq, tx_id, event) VALUES ($1, 1, $2, $3::jsonb)",
          3, nullptr, p2, l2, f2, 0);
      ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      r = PQexec(c, "COMMIT");
      ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (!ok) failed = true;
    }
    PQfinish(c);
  };
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < conns; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  double secs = Seconds(start, Clock::now());
  if (failed) Die("postgres writes failed");
  return static_cast<double>(count) / secs;
}

}  // namespace
}  // namespace carledger

int main(int argc, char** argv) {
  using namespace carledger;
  std::string pg;
  bool quick = false;
  int only = 0;  // --only N: just block size N (for profiling)
  bool serial = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--pg") == 0 && i + 1 < argc) pg = argv[++i];
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--serial") == 0) serial = true;
  }
  int64_t scale = quick ? 10 : 1;
  std::printf(
      "ledger_bench: car registrations (ECDSA P-256 verify, Lua car_trade, RocksDB state, "
      "fdatasync per block)\n");
  if (only > 0) {
    auto r = RunLedger(only, (only == 1 ? 2000 : only == 100 ? 30000 : 60000) / scale, 4, serial);
    std::printf("FIGURE ledger_tps_b%d %.0f tx/s\n", only, r.tps);
    return 0;
  }
  auto b1 = RunLedger(1, 2000 / scale, 1);
  std::printf("  block size 1     %8.0f tx/s  (%lld txs)\n", b1.tps,
              static_cast<long long>(b1.txs));
  auto b100 = RunLedger(100, 30000 / scale, 2);
  std::printf("  block size 100   %8.0f tx/s  (%lld txs)\n", b100.tps,
              static_cast<long long>(b100.txs));
  auto b1000 = RunLedger(1000, 60000 / scale, 3);
  std::printf("  block size 1000  %8.0f tx/s  (%lld txs)\n", b1000.tps,
              static_cast<long long>(b1000.txs));
  std::printf("FIGURE ledger_tps_b1 %.0f tx/s\n", b1.tps);
  std::printf("FIGURE ledger_tps_b100 %.0f tx/s\n", b100.tps);
  std::printf("FIGURE ledger_tps_b1000 %.0f tx/s\n", b1000.tps);
  if (pg.empty()) {
    std::printf("postgres baseline skipped (no --pg conninfo)\n");
    return 0;
  }
  double pg1 = RunPostgres(pg, 3000 / scale, 1);
  double pg8 = RunPostgres(pg, 10000 / scale, 8);
  double best = std::max(pg1, pg8);
  std::printf("postgres (same records, one synchronous-commit transaction per trade)\n");
  std::printf("  1 connection     %8.0f tx/s\n", pg1);
  std::printf("  8 connections    %8.0f tx/s  (group commit)\n", pg8);
  std::printf("FIGURE postgres_tps %.0f tx/s\n", best);
  std::printf("FIGURE ledger_over_postgres_b100 %.2f\n", b100.tps / best);
  std::printf("FIGURE ledger_over_postgres_b1000 %.2f\n", b1000.tps / best);
  return 0;
}
