// The service's read figures (issue #4), through the public API over TLS on a 4-validator
// cluster of real carledger-node processes with PostgreSQL:
//   history_proof_ms_100  a car with 100 events spread over many blocks: GetCarHistory
//                         with every proof (headers, certificates, Merkle paths, validator
//                         sets), p99 of wall time per call at the client (target <= 50 ms);
//                         the app-side verification of the reply is printed beside it;
//   api_read_rps          public reads from many client threads against one node, in an
//                         app session's mix (car pages and searches, now and then a car's
//                         inspection records or the explorer), completed calls per second;
//                         each kind alone is printed above it.
// The search figure (search_p99_ms_1m) is search_bench's; scripts/bench service runs both.
// Usage: service_bench --pg CONNINFO [--calls N] [--seconds S] [--clients C]
#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "bench/api_bench_support.h"
#include "common/history_verify.h"
#include "common/x509.h"
#include "contracts/samples.h"
#include "ledger/network.h"

namespace carledger::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double Ms(SteadyClock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return argv[i + 1];
  return def;
}

// A car with `events` events, each in its own block: registration, listing, then
// inspections (odometer rising) alternating with reprices.
std::string CarWithEvents(ApiCluster& c, const Signer& seller, const Signer& agency, int events) {
  std::string vin = SampleVin("KNAHB", 7);
  auto one = [&](const Signer& who, const std::string& fn, const Json& args) {
    c.SubmitAll({c.Tx(who, "car_trade", fn, args)});
  };
  Json reg = SampleCarRegistration(vin, 7);
  one(seller, "register_car", reg);
  int64_t year = reg.get_int("year");
  int64_t km = reg.get_int("odometer_km");
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(25'000'000);
  one(seller, "list", list);
  for (int e = 2; e < events; ++e) {
    if (e % 2 == 0) {
      km += 1500;
      one(agency, "record_inspection", SampleInspection(vin, km, year));
    } else {
      Json p = Json::MakeObject();
      p["vin"] = vin;
      p["price"] = static_cast<int64_t>(25'000'000 - e * 10'000);
      one(seller, "reprice", p);
    }
  }
  return vin;
}

int Main(int argc, char** argv) {
  std::string pg = Arg(argc, argv, "--pg", "");
  if (pg.empty()) Die("usage: service_bench --pg CONNINFO");
  const int calls = std::atoi(Arg(argc, argv, "--calls", "300").c_str());
  const int seconds = std::atoi(Arg(argc, argv, "--seconds", "10").c_str());
  const int clients = std::atoi(Arg(argc, argv, "--clients", "32").c_str());
  // The server part of the conninfo: drop any dbname (ours is a scratch database).
  ScratchDatabase db(pg, "service");
  char tmpl[] = "/tmp/carledger-service-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  ApiCluster c(dir + "/net", db.conninfo());

  // ---- history with 100 events and its proofs
  Trader seller = c.NewTrader("benchseller");
  auto agency =
      IssueMember(c.ca(), Role::kAgency, "bench-agency", "Bench Inspection", WallMs() / 1000);
  if (!agency.ok()) Die(agency.status().ToString());
  Json reg = Json::MakeObject();
  reg["cert"] = ToHex(agency->certificate->der());
  c.SubmitAll({c.Tx(c.admin(), "_msp", "register", reg)});
  std::string vin = CarWithEvents(c, seller.key, *agency, 100);
  auto market = v1::Market::NewStub(c.channel(1));
  Certificate ca = Certificate::FromPem(c.ca_pem()).value();
  std::vector<double> wall, verify;
  size_t blocks = 0, proof_bytes = 0;
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext ctx;
    v1::GetCarHistoryRequest req;
    req.set_vin(vin);
    v1::CarHistory h;
    auto t0 = SteadyClock::now();
    grpc::Status st = market->GetCarHistory(&ctx, req, &h);
    auto t1 = SteadyClock::now();
    if (!st.ok()) Die("GetCarHistory: " + st.error_message());
    if (h.events_size() != 100) Die("expected 100 events, got " + std::to_string(h.events_size()));
    HistoryCheck check = VerifyCarHistory(h, ca, WallMs() / 1000);
    auto t2 = SteadyClock::now();
    if (!check.ok) Die("history does not verify: " + check.problem);
    wall.push_back(Ms(t1 - t0));
    verify.push_back(Ms(t2 - t1));
    blocks = static_cast<size_t>(h.headers_size());
    proof_bytes = h.ByteSizeLong();
  }
  std::printf("history: 100 events in %zu blocks, reply %zu KiB; %d calls to one node\n", blocks,
              proof_bytes >> 10, calls);
  std::printf("history_proof_ms p50 %.2f  p99 %.2f  (app-side verification p50 %.2f ms)\n",
              Percentile(wall, 0.5), Percentile(wall, 0.99), Percentile(verify, 0.5));
  std::printf("FIGURE history_proof_ms_100 %.2f ms\n", Percentile(wall, 0.99));
  std::printf("FIGURE history_verify_ms_100 %.2f ms\n", Percentile(verify, 0.5));

  // ---- public read throughput on one node
  std::vector<std::string> vins = c.ListSampleCars(seller, "KMHDU", 300);
  // An app session's reads: mostly search and car pages, now and then a car's full
  // history or records, and the explorer.
  const std::vector<int> kSession = {45, 45, 5, 5};  // GetCar, Search, ChainInfo, Records
  const char* kNames[] = {"GetCar", "Search", "GetChainInfo", "GetRecords (50 inspections)"};
  auto run = [&](std::vector<int> weights, int secs) {
    std::discrete_distribution<int> pick(weights.begin(), weights.end());
    std::atomic<bool> stop{false};
    std::atomic<int64_t> done{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
      threads.emplace_back([&, t, pick]() mutable {
        auto channel = c.NewChannel(1);
        auto m = v1::Market::NewStub(channel);
        auto e = v1::Explorer::NewStub(channel);
        auto ins = v1::Inspections::NewStub(channel);
        std::mt19937 rng(static_cast<uint32_t>(t));
        static const char* kMakes[] = {"Hyundai", "Kia", "Genesis", "Chevrolet", "Renault"};
        while (!stop.load(std::memory_order_relaxed)) {
          grpc::ClientContext ctx;
          grpc::Status st;
          switch (pick(rng)) {
            case 0: {
              v1::GetCarRequest r;
              r.set_vin(vins[rng() % vins.size()]);
              v1::Car car;
              st = m->GetCar(&ctx, r, &car);
              break;
            }
            case 1: {
              v1::SearchRequest r;
              r.set_make(kMakes[rng() % 5]);
              r.set_price_max(static_cast<int64_t>(10'000'000 + rng() % 40'000'000));
              r.set_sort(v1::SORT_PRICE_ASC);
              v1::SearchReply reply;
              st = m->Search(&ctx, r, &reply);
              break;
            }
            case 2: {
              v1::ChainInfo info;
              st = e->GetChainInfo(&ctx, v1::Empty(), &info);
              break;
            }
            default: {
              v1::GetCarRequest r;
              r.set_vin(vin);
              v1::InspectionRecords recs;
              st = ins->GetRecords(&ctx, r, &recs);
            }
          }
          (st.ok() ? done : failed).fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // warm up: connections, caches
    int64_t start_count = done.load();
    auto t0 = SteadyClock::now();
    std::this_thread::sleep_for(std::chrono::seconds(secs));
    int64_t end_count = done.load();
    double elapsed = std::chrono::duration<double>(SteadyClock::now() - t0).count();
    stop = true;
    for (auto& t : threads) t.join();
    if (failed.load() > 0) Die(std::to_string(failed.load()) + " reads failed");
    return static_cast<double>(end_count - start_count) / elapsed;
  };
  for (int k = 0; k < 4; ++k) {
    std::vector<int> one(4, 0);
    one[static_cast<size_t>(k)] = 1;
    std::printf("reads: %-28s %8.0f req/s\n", kNames[k], run(one, std::max(2, seconds / 4)));
  }
  double rps = run(kSession, seconds);
  std::printf(
      "reads: %d client threads on one node for %d s, an app session's mix (45%% GetCar, "
      "45%% Search, 5%% GetChainInfo, 5%% GetRecords)\n",
      clients, seconds);
  std::printf("FIGURE api_read_rps %.0f req/s\n", rps);
  return 0;
}

}  // namespace
}  // namespace carledger::bench

int main(int argc, char** argv) {
  return carledger::bench::Main(argc, argv);
}
