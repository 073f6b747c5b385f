// The bond-settlement pilot's table, redone for our trades (issue #4; the pilot is in
// ../shared/reference/domain.md): the time to complete N car trades at concurrency C,
//   ledger    through the public API (TLS) on the 4-validator cluster: each trade is three
//             transactions signed in the client — the buyer opens the escrow, the seller
//             hands the car over, the buyer confirms — each step waiting for its commit;
//   postgres  the same trades as plain PostgreSQL transactions by an equivalent service:
//             one transaction per step (the caller's session checked, rows locked, the
//             same rules and balances, an event row), synchronous commit, a pool of
//             connections as the nodes have;
// both in the same run, with the ratio ledger/postgres as the pilot reported it (its
// Fabric took 25-97x the legacy time), and beside each the CPU time the whole machine
// spent per trade step (every process: nodes, PostgreSQL, this client), which bounds what
// concurrency can buy: with every process on the same cores, a side cannot complete steps
// faster than cores / CPU-per-step. C client threads share the trades; each takes its
// share one after another. Setup (cars registered and listed, wallets charged) is not
// timed. Prints the table and FIGURE settlement_ratio_c1 (the worst ratio at concurrency 1)
// and FIGURE settlement_ratio_c50plus (the worst at concurrency >= 50).
// Usage: settlement_bench --pg CONNINFO [--sizes 1548,3096,9288,15480]
//                                       [--concurrency 1,5,10,50,100,500,1000]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "bench/api_bench_support.h"
#include "common/crypto.h"
#include "contracts/samples.h"
#include "service/store/pg.h"

namespace carledger::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr int64_t kPrice = 10'000'000;  // won, every car
constexpr int64_t kTokenLifeMs = 10 * 60 * 1000;

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return argv[i + 1];
  return def;
}

std::vector<int> IntList(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
  return out;
}

// Trades per worker: n spread over c workers as evenly as possible.
std::vector<int> Shares(int n, int c) {
  std::vector<int> out(static_cast<size_t>(c), n / c);
  for (int i = 0; i < n % c; ++i) ++out[static_cast<size_t>(i)];
  return out;
}

// CPU time the whole machine has spent busy (all cores, every process and the kernel),
// in milliseconds, from /proc/stat; 0 where it cannot be read.
double MachineBusyMs() {
  std::FILE* f = std::fopen("/proc/stat", "r");
  if (f == nullptr) return 0;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  int n = std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system,
                      &idle, &iowait, &irq, &softirq, &steal);
  std::fclose(f);
  if (n != 8) return 0;
  double ticks = static_cast<double>(user + nice + system + irq + softirq + steal);
  return ticks * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

struct Timing {
  double seconds = 0;
  double busy_ms = 0;  // the machine's CPU time over the run
};

// Runs fn(worker) on `c` threads and returns the wall time until the last one finished,
// with the machine's CPU time over it.
Timing Timed(int c, const std::function<void(int)>& fn) {
  std::vector<std::thread> threads;
  double busy0 = MachineBusyMs();
  auto t0 = SteadyClock::now();
  for (int w = 0; w < c; ++w) threads.emplace_back(fn, w);
  for (auto& t : threads) t.join();
  Timing out;
  out.seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  out.busy_ms = MachineBusyMs() - busy0;
  return out;
}

// ---- the ledger, through the public API

class LedgerTrades {
 public:
  LedgerTrades(ApiCluster* c, int max_workers) : c_(c) {
    for (size_t i = 0; i < c_->nodes(); ++i)
      for (int k = 0; k < 4; ++k) stubs_.push_back(v1::Trades::NewStub(c_->NewChannel(i)));
    for (int w = 0; w < max_workers; ++w) {
      buyers_.push_back(c_->NewTrader("sbuyer" + std::to_string(w)));
      sellers_.push_back(c_->NewTrader("sseller" + std::to_string(w)));
    }
  }

  // Registers and lists each worker's cars and charges its buyer (not timed).
  void Prepare(const std::vector<int>& shares) {
    cars_.assign(shares.size(), {});
    std::vector<ledger::TxEnvelope> setup, charges, approvals;
    for (size_t w = 0; w < shares.size(); ++w) {
      for (int i = 0; i < shares[w]; ++i) {
        std::string vin = SampleVin("KMHST", next_car_);
        setup.push_back(c_->Tx(sellers_[w].key, "car_trade", "register_car",
                               SampleCarRegistration(vin, next_car_)));
        ++next_car_;
        Json list = Json::MakeObject();
        list["vin"] = vin;
        list["price"] = kPrice;
        setup.push_back(c_->Tx(sellers_[w].key, "car_trade", "list", list));
        cars_[w].push_back(vin);
      }
      Json amount = Json::MakeObject();
      amount["amount"] = kPrice * shares[w];
      charges.push_back(c_->Tx(buyers_[w].key, "car_trade", "request_charge", amount));
      Json approve = Json::MakeObject();
      approve["charge_id"] = ToHex(TxId(charges.back()));
      approvals.push_back(c_->Tx(c_->admin(), "car_trade", "approve_charge", approve));
      c_->SignIn(&buyers_[w]);
      c_->SignIn(&sellers_[w]);
    }
    c_->SubmitAll(setup);
    c_->SubmitAll(charges);
    c_->SubmitAll(approvals);
  }

  Timing Run(int c) {
    std::atomic<int> failures{0};
    std::mutex mu;
    std::string first_error;
    Timing timing = Timed(c, [&](int w) {
      Trader& buyer = buyers_[static_cast<size_t>(w)];
      Trader& seller = sellers_[static_cast<size_t>(w)];
      v1::Trades::Stub* stub = stubs_[static_cast<size_t>(w) % stubs_.size()].get();
      uint64_t nonce = (static_cast<uint64_t>(w) << 40) + (++round_ << 24);
      int64_t signed_in = WallMs();
      auto step = [&](const Trader& who, const std::string& fn, const Json& args, v1::Trade* out) {
        v1::SubmitTransactionRequest req;
        *req.mutable_transaction() =
            MakeTransaction(who.key, "car_trade", fn, args, nonce++, WallMs()).value();
        req.set_timeout_ms(60000);
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", "Bearer " + who.token);
        grpc::Status st = stub->Step(&ctx, req, out);
        if (!st.ok()) {
          ++failures;
          std::lock_guard lock(mu);
          if (first_error.empty()) first_error = fn + ": " + st.error_message();
        }
        return st.ok();
      };
      for (const std::string& vin : cars_[static_cast<size_t>(w)]) {
        if (WallMs() - signed_in > kTokenLifeMs) {  // access tokens live 15 minutes
          c_->SignIn(&buyer);
          c_->SignIn(&seller);
          signed_in = WallMs();
        }
        v1::Trade trade;
        Json open = Json::MakeObject();
        open["vin"] = vin;
        open["price"] = kPrice;
        if (!step(buyer, "open_escrow", open, &trade)) continue;
        Json escrow = Json::MakeObject();
        escrow["escrow_id"] = trade.escrow_id();
        if (!step(seller, "hand_over", escrow, &trade)) continue;
        step(buyer, "confirm", escrow, &trade);
        if (trade.status() != "COMPLETED") ++failures;
      }
    });
    if (failures.load() > 0)
      Die(std::to_string(failures.load()) + " ledger trade steps failed; first: " + first_error);
    return timing;
  }

 private:
  ApiCluster* c_;
  std::vector<std::unique_ptr<v1::Trades::Stub>> stubs_;
  std::vector<Trader> buyers_, sellers_;
  std::vector<std::vector<std::string>> cars_;
  uint64_t next_car_ = 0;
  std::atomic<uint64_t> round_{0};
};

// ---- the equivalent service as plain PostgreSQL transactions

constexpr const char* kLegacySchema = R"(
CREATE TABLE sessions (token_hash text PRIMARY KEY, user_id text NOT NULL);
CREATE TABLE wallets (user_id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
CREATE TABLE cars (vin text PRIMARY KEY, owner text NOT NULL, status text NOT NULL,
                   price bigint, escrow_id bigint);
CREATE TABLE escrows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, vin text NOT NULL,
                      buyer text NOT NULL, seller text NOT NULL, price bigint NOT NULL,
                      status text NOT NULL, opened_at timestamptz NOT NULL,
                      handed_over_at timestamptz, deadline timestamptz, closed_at timestamptz);
CREATE TABLE car_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, vin text NOT NULL,
                         type text NOT NULL, data jsonb NOT NULL, at timestamptz NOT NULL);
CREATE INDEX car_events_vin ON car_events (vin, id);
)";

class PostgresTrades {
 public:
  PostgresTrades(const std::string& conninfo, int max_workers) {
    RunSql(conninfo, kLegacySchema);
    store::PgPoolOptions o;
    o.size = 64;  // as the four nodes' pools together
    o.borrow_timeout = std::chrono::milliseconds(120000);
    pool_ = store::PgPool::Open(conninfo, o).value();
    {
      // A running service's pool is warm: open every connection now, not in the timed
      // run (64 sessions starting at once under load can outlast the connect timeout).
      std::vector<store::PgConn> warm;
      for (int i = 0; i < o.size; ++i) warm.push_back(pool_->Borrow().value());
    }
    for (int w = 0; w < max_workers; ++w) {
      std::string b = "b" + std::to_string(w), s = "s" + std::to_string(w);
      tokens_.push_back({"token-" + b, "token-" + s});
      Must(pool_->Exec(
          "INSERT INTO sessions VALUES ($1, $2), ($3, $4)",
          {ToHex(Sha256(tokens_.back().first)), b, ToHex(Sha256(tokens_.back().second)), s}));
      Must(pool_->Exec("INSERT INTO wallets VALUES ($1, 0), ($2, 0)", {b, s}));
    }
  }

  void Prepare(const std::vector<int>& shares) {
    cars_.assign(shares.size(), {});
    for (size_t w = 0; w < shares.size(); ++w) {
      std::string values;
      store::PgParams params;
      for (int i = 0; i < shares[w]; ++i) {
        std::string vin = SampleVin("KMHPG", next_car_++);
        cars_[w].push_back(vin);
        params.push_back(vin);
        values += (values.empty() ? "" : ", ") + std::string("($") + std::to_string(params.size()) +
                  ", 's" + std::to_string(w) + "', 'listed', " + std::to_string(kPrice) + ", NULL)";
        if (params.size() == 1000 || i + 1 == shares[w]) {
          Must(pool_->Exec("INSERT INTO cars VALUES " + values, params));
          values.clear();
          params.clear();
        }
      }
      Must(pool_->Exec("UPDATE wallets SET balance = balance + $2 WHERE user_id = $1",
                       {"b" + std::to_string(w), kPrice * shares[w]}));
    }
    Must(pool_->Exec("VACUUM ANALYZE"));
  }

  Timing Run(int c) {
    std::atomic<int> failures{0};
    std::mutex mu;
    std::string first_error;
    Timing timing = Timed(c, [&](int w) {
      const auto& [buyer_token, seller_token] = tokens_[static_cast<size_t>(w)];
      for (const std::string& vin : cars_[static_cast<size_t>(w)]) {
        Result<int64_t> escrow = OpenEscrow(buyer_token, vin, kPrice);
        Status st = escrow.status();
        if (st.ok()) st = HandOver(seller_token, *escrow);
        if (st.ok()) st = Confirm(buyer_token, *escrow);
        if (!st.ok()) {
          ++failures;
          std::lock_guard lock(mu);
          if (first_error.empty()) first_error = st.ToString();
        }
      }
    });
    if (failures.load() > 0)
      Die(std::to_string(failures.load()) + " postgres trades failed; first: " + first_error);
    return timing;
  }

 private:
  static void Must(const Result<store::PgRows>& r) {
    if (!r.ok()) Die("postgres: " + r.status().ToString());
  }

  // The caller's id from their session token (as the service checks every call).
  static Result<std::string> Caller(store::Transaction& tx, const std::string& token) {
    CL_ASSIGN_OR_RETURN(
        store::PgRows rows,
        tx.Exec("SELECT user_id FROM sessions WHERE token_hash = $1", {ToHex(Sha256(token))}));
    if (rows.empty()) return Status::Unauthenticated("sign in first");
    return rows[0].Str("user_id");
  }

  Result<int64_t> OpenEscrow(const std::string& token, const std::string& vin, int64_t price) {
    int64_t id = 0;
    Status st = pool_->Transact([&](store::Transaction& tx) -> Status {
      CL_ASSIGN_OR_RETURN(std::string buyer, Caller(tx, token));
      CL_ASSIGN_OR_RETURN(
          store::PgRows car,
          tx.Exec("SELECT owner, status, price FROM cars WHERE vin = $1 FOR UPDATE", {vin}));
      if (car.empty()) return Status::NotFound("no such car");
      if (car[0].Str("status") != "listed") return Status::FailedPrecondition("not listed");
      if (car[0].Int("price") != price) return Status::FailedPrecondition("price differs");
      if (car[0].Str("owner") == buyer) return Status::FailedPrecondition("own car");
      CL_ASSIGN_OR_RETURN(store::PgRows debit,
                          tx.Exec("UPDATE wallets SET balance = balance - $2 WHERE user_id = $1 "
                                  "AND balance >= $2",
                                  {buyer, price}));
      if (debit.affected() != 1) return Status::FailedPrecondition("insufficient balance");
      CL_ASSIGN_OR_RETURN(
          store::PgRows e,
          tx.Exec("INSERT INTO escrows (vin, buyer, seller, price, status, opened_at) VALUES "
                  "($1, $2, $3, $4, 'FUNDED', now()) RETURNING id",
                  {vin, buyer, car[0].Str("owner"), price}));
      id = e[0].Int("id");
      CL_RETURN_IF_ERROR(
          tx.Exec("UPDATE cars SET status = 'in_escrow', escrow_id = $2 WHERE vin = $1", {vin, id})
              .status());
      return tx
          .Exec(
              "INSERT INTO car_events (vin, type, data, at) VALUES ($1, 'escrow_opened', "
              "jsonb_build_object('escrow_id', $2::bigint, 'buyer', $3::text, 'price', "
              "$4::bigint), now())",
              {vin, id, buyer, price})
          .status();
    });
    if (!st.ok()) return st;
    return id;
  }

  Status HandOver(const std::string& token, int64_t escrow) {
    return pool_->Transact([&](store::Transaction& tx) -> Status {
      CL_ASSIGN_OR_RETURN(std::string seller, Caller(tx, token));
      CL_ASSIGN_OR_RETURN(
          store::PgRows e,
          tx.Exec("SELECT vin, seller, status FROM escrows WHERE id = $1 FOR UPDATE", {escrow}));
      if (e.empty() || e[0].Str("seller") != seller) return Status::PermissionDenied("seller");
      if (e[0].Str("status") != "FUNDED") return Status::FailedPrecondition("not funded");
      CL_RETURN_IF_ERROR(tx.Exec("UPDATE escrows SET status = 'HANDED_OVER', handed_over_at = "
                                 "now(), deadline = now() + interval '7 days' WHERE id = $1",
                                 {escrow})
                             .status());
      return tx
          .Exec(
              "INSERT INTO car_events (vin, type, data, at) VALUES ($1, 'handed_over', "
              "jsonb_build_object('escrow_id', $2::bigint), now())",
              {e[0].Str("vin"), escrow})
          .status();
    });
  }

  Status Confirm(const std::string& token, int64_t escrow) {
    return pool_->Transact([&](store::Transaction& tx) -> Status {
      CL_ASSIGN_OR_RETURN(std::string buyer, Caller(tx, token));
      CL_ASSIGN_OR_RETURN(store::PgRows e,
                          tx.Exec("SELECT vin, buyer, seller, price, status FROM escrows WHERE "
                                  "id = $1 FOR UPDATE",
                                  {escrow}));
      if (e.empty() || e[0].Str("buyer") != buyer) return Status::PermissionDenied("buyer");
      if (e[0].Str("status") != "HANDED_OVER") return Status::FailedPrecondition("not handed");
      std::string vin = e[0].Str("vin");
      CL_RETURN_IF_ERROR(tx.Exec("UPDATE wallets SET balance = balance + $2 WHERE user_id = $1",
                                 {e[0].Str("seller"), e[0].Int("price")})
                             .status());
      CL_RETURN_IF_ERROR(tx.Exec("UPDATE cars SET owner = $2, status = 'registered', price = "
                                 "NULL, escrow_id = NULL WHERE vin = $1",
                                 {vin, buyer})
                             .status());
      CL_RETURN_IF_ERROR(
          tx.Exec("UPDATE escrows SET status = 'COMPLETED', closed_at = now() WHERE id = $1",
                  {escrow})
              .status());
      return tx
          .Exec(
              "INSERT INTO car_events (vin, type, data, at) VALUES ($1, 'sold', "
              "jsonb_build_object('escrow_id', $2::bigint, 'buyer', $3::text), now())",
              {vin, escrow, buyer})
          .status();
    });
  }

  std::unique_ptr<store::PgPool> pool_;
  std::vector<std::pair<std::string, std::string>> tokens_;  // buyer's, seller's
  std::vector<std::vector<std::string>> cars_;
  uint64_t next_car_ = 0;
};

int Main(int argc, char** argv) {
  std::string pg = Arg(argc, argv, "--pg", "");
  if (pg.empty()) Die("usage: settlement_bench --pg CONNINFO [--sizes ...] [--concurrency ...]");
  std::vector<int> sizes = IntList(Arg(argc, argv, "--sizes", "1548,3096,9288,15480"));
  std::vector<int> levels = IntList(Arg(argc, argv, "--concurrency", "1,5,10,50,100,500,1000"));
  const int max_workers = *std::max_element(levels.begin(), levels.end());
  ScratchDatabase ledger_db(pg, "settle_ledger"), legacy_db(pg, "settle_pg");
  char tmpl[] = "/tmp/carledger-settlement-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  // Removed when Main returns, after the cluster (declared later) has stopped; kept with
  // SETTLEMENT_BENCH_KEEP=1 for its node logs.
  struct RemoveAtExit {
    std::string dir;
    ~RemoveAtExit() {
      const char* keep = std::getenv("SETTLEMENT_BENCH_KEEP");
      if (keep == nullptr || std::string(keep) != "1") std::filesystem::remove_all(dir);
    }
  } remove_at_exit{dir};
  // SETTLEMENT_BENCH_NODE_ARGS: extra node flags, space-separated (for tuning runs).
  std::vector<std::string> node_args;
  if (const char* extra = std::getenv("SETTLEMENT_BENCH_NODE_ARGS")) {
    std::stringstream in(extra);
    for (std::string a; in >> a;) node_args.push_back(a);
  }
  ApiCluster cluster(dir + "/net", ledger_db.conninfo(), node_args);
  LedgerTrades ledger(&cluster, max_workers);
  PostgresTrades legacy(legacy_db.conninfo(), max_workers);

  std::printf("%8s %12s %12s %12s %8s %14s %14s\n", "trades", "concurrency", "ledger s",
              "postgres s", "ratio", "ledger cpu ms", "postgres cpu ms");
  double worst_c1 = 0, worst_c50 = 0;
  for (int c : levels) {
    for (int n : sizes) {
      if (c > n) continue;
      std::vector<int> shares = Shares(n, c);
      ledger.Prepare(shares);
      Timing on_ledger = ledger.Run(c);
      legacy.Prepare(shares);
      Timing on_pg = legacy.Run(c);
      double ratio = on_ledger.seconds / on_pg.seconds;
      if (c == 1) worst_c1 = std::max(worst_c1, ratio);
      if (c >= 50) worst_c50 = std::max(worst_c50, ratio);
      const double steps = 3.0 * n;
      std::printf("%8d %12d %12.2f %12.2f %7.2fx %14.2f %14.2f\n", n, c, on_ledger.seconds,
                  on_pg.seconds, ratio, on_ledger.busy_ms / steps, on_pg.busy_ms / steps);
      std::fflush(stdout);
    }
  }
  std::printf(
      "(a trade: open escrow, hand over, confirm; ledger through the public API on 4 "
      "validators, every signature verified and every block fsynced on each; cpu ms: the "
      "whole machine's CPU time per trade step, %ld cores)\n",
      ::sysconf(_SC_NPROCESSORS_ONLN));
  if (worst_c1 > 0) std::printf("FIGURE settlement_ratio_c1 %.2f x\n", worst_c1);
  if (worst_c50 > 0) std::printf("FIGURE settlement_ratio_c50plus %.2f x\n", worst_c50);
  return 0;
}

}  // namespace
}  // namespace carledger::bench

int main(int argc, char** argv) {
  return carledger::bench::Main(argc, argv);
}
