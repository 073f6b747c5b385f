// Listing search over 1,000,000 listings (issue #4: p99 <= 20 ms with filters, sort and a
// page). Loads synthetic listings shaped like the Korean used-car market (makes and models
// by market share, 시/도 regions by population, prices in won depreciating with age,
// dealers holding many listings), then runs a few thousand mixed buyer queries — filters,
// every sort, page sizes 20..100, and deep pages followed through page tokens — and
// prints the latency percentiles; then the same queries again from two reader threads
// while a writer applies a block of listing changes every 50 ms. Latency is wall time per
// search (the FIGUREs); the thread's CPU time is printed beside it, because on a shared
// machine wall time also counts the time other processes held the core.
// Prints FIGURE lines (scripts/bench search). --listings N and --queries N resize it;
// --min-of N runs each search N times and keeps the fastest (for tuning, not figures).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "contracts/samples.h"
#include "service/search/listing_index.h"

namespace carledger::search {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time of the calling thread, ms: on a shared machine, wall time also counts the time
// other processes held the core.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

struct Model {
  const char* name;
  int64_t new_price;  // won
  const char* fuel;   // nullptr: gasoline/diesel/hybrid/lpg mix
};

struct Make {
  const char* name;
  const char* wmi;  // VIN series
  double share;
  std::vector<Model> models;
};

const std::vector<Make>& Makes() {
  static const std::vector<Make> kMakes = {
      {"Hyundai",
       "KMH",
       30,
       {{"Avante", 21'000'000, nullptr},
        {"Sonata", 30'000'000, nullptr},
        {"Grandeur", 40'000'000, nullptr},
        {"Tucson", 30'000'000, nullptr},
        {"Santa Fe", 38'000'000, nullptr},
        {"Palisade", 45'000'000, nullptr},
        {"Kona", 26'000'000, nullptr},
        {"Ioniq 5", 52'000'000, "electric"},
        {"Casper", 15'000'000, "gasoline"},
        {"Staria", 36'000'000, "diesel"},
        {"Porter", 20'000'000, "diesel"},
        {"Nexo", 70'000'000, "hydrogen"}}},
      {"Kia",
       "KNA",
       25,
       {{"Morning", 13'000'000, "gasoline"},
        {"Ray", 15'000'000, "gasoline"},
        {"K3", 20'000'000, nullptr},
        {"K5", 29'000'000, nullptr},
        {"K8", 40'000'000, nullptr},
        {"K9", 60'000'000, "gasoline"},
        {"Sportage", 30'000'000, nullptr},
        {"Sorento", 38'000'000, nullptr},
        {"Carnival", 40'000'000, nullptr},
        {"Seltos", 25'000'000, nullptr},
        {"Niro", 31'000'000, "hybrid"},
        {"EV6", 55'000'000, "electric"},
        {"Bongo", 19'000'000, "diesel"}}},
      {"Genesis",
       "KMT",
       7,
       {{"G70", 45'000'000, "gasoline"},
        {"G80", 60'000'000, nullptr},
        {"G90", 95'000'000, "gasoline"},
        {"GV60", 65'000'000, "electric"},
        {"GV70", 55'000'000, nullptr},
        {"GV80", 70'000'000, nullptr}}},
      {"Chevrolet",
       "KL1",
       5,
       {{"Spark", 12'000'000, "gasoline"},
        {"Malibu", 27'000'000, nullptr},
        {"Trax", 22'000'000, nullptr},
        {"Trailblazer", 25'000'000, nullptr},
        {"Equinox", 33'000'000, nullptr},
        {"Colorado", 40'000'000, nullptr}}},
      {"Renault Korea",
       "KNM",
       4,
       {{"SM6", 28'000'000, nullptr},
        {"QM6", 30'000'000, nullptr},
        {"XM3", 23'000'000, nullptr},
        {"Grand Koleos", 40'000'000, "hybrid"}}},
      {"KG Mobility",
       "KPT",
       4,
       {{"Tivoli", 22'000'000, nullptr},
        {"Korando", 27'000'000, nullptr},
        {"Rexton", 40'000'000, "diesel"},
        {"Torres", 33'000'000, nullptr},
        {"Rexton Sports", 30'000'000, "diesel"}}},
      {"BMW",
       "WBA",
       8,
       {{"3 Series", 55'000'000, nullptr},
        {"5 Series", 70'000'000, nullptr},
        {"7 Series", 140'000'000, nullptr},
        {"X3", 70'000'000, nullptr},
        {"X5", 100'000'000, nullptr},
        {"X7", 140'000'000, "gasoline"}}},
      {"Mercedes-Benz",
       "WDD",
       8,
       {{"A-Class", 45'000'000, "gasoline"},
        {"C-Class", 60'000'000, nullptr},
        {"E-Class", 75'000'000, nullptr},
        {"S-Class", 150'000'000, nullptr},
        {"GLC", 75'000'000, nullptr},
        {"GLE", 110'000'000, nullptr}}},
      {"Audi",
       "WAU",
       2.5,
       {{"A4", 52'000'000, nullptr},
        {"A6", 70'000'000, nullptr},
        {"Q5", 70'000'000, nullptr},
        {"Q7", 95'000'000, nullptr}}},
      {"Volkswagen",
       "WVW",
       1.5,
       {{"Golf", 38'000'000, nullptr},
        {"Tiguan", 45'000'000, nullptr},
        {"Passat", 45'000'000, nullptr}}},
      {"Volvo",
       "YV1",
       1.2,
       {{"XC40", 50'000'000, nullptr},
        {"XC60", 65'000'000, nullptr},
        {"XC90", 95'000'000, nullptr},
        {"S90", 65'000'000, nullptr}}},
      {"Lexus",
       "JTH",
       1,
       {{"ES", 65'000'000, "hybrid"}, {"NX", 70'000'000, "hybrid"}, {"RX", 90'000'000, "hybrid"}}},
      {"Toyota",
       "JTD",
       0.8,
       {{"Camry", 45'000'000, "hybrid"},
        {"RAV4", 45'000'000, "hybrid"},
        {"Prius", 38'000'000, "hybrid"}}},
      {"Tesla",
       "LRW",
       1,
       {{"Model 3", 55'000'000, "electric"}, {"Model Y", 60'000'000, "electric"}}},
      {"Mini",
       "WMW",
       0.6,
       {{"Cooper", 40'000'000, "gasoline"}, {"Countryman", 50'000'000, nullptr}}},
      {"Porsche",
       "WP0",
       0.4,
       {{"Cayenne", 140'000'000, nullptr},
        {"Macan", 95'000'000, "gasoline"},
        {"911", 180'000'000, "gasoline"}}},
  };
  return kMakes;
}

// 시/도 by share of population (registered cars follow it closely).
const std::vector<std::pair<const char*, double>>& Regions() {
  static const std::vector<std::pair<const char*, double>> kRegions = {
      {"경기", 26.4}, {"서울", 18.2}, {"부산", 6.4}, {"경남", 6.4}, {"인천", 5.8}, {"경북", 5.0},
      {"대구", 4.6},  {"충남", 4.1},  {"전남", 3.5}, {"전북", 3.4}, {"충북", 3.1}, {"강원", 2.9},
      {"대전", 2.8},  {"광주", 2.8},  {"울산", 2.2}, {"제주", 1.3}, {"세종", 0.8}};
  return kRegions;
}

const char* kFuelMix[] = {"gasoline", "diesel", "hybrid", "lpg"};
const double kFuelWeights[] = {55, 27, 12, 6};
const char* kTransmissions[] = {"automatic", "manual", "cvt", "semi-auto"};
const double kTransmissionWeights[] = {93, 3, 3, 1};
const char* kColours[] = {"white", "black", "grey", "silver", "blue", "red", "brown"};

constexpr int64_t kNowMs = 1772323200000;  // 2026-03-01
constexpr int64_t kDayMs = 86'400'000;

class Market {
 public:
  explicit Market(uint64_t seed) : rng_(seed) {
    for (const auto& m : Makes()) make_w_.push_back(m.share);
    for (const auto& r : Regions()) region_w_.push_back(r.second);
    // 5,000 dealers hold about 60% of the listings; the rest are individuals.
    for (int i = 0; i < 5000; ++i) dealers_.push_back(SellerId(i));
  }

  std::string SellerId(uint64_t n) { return ToHex(Sha256("seller-" + std::to_string(n))); }

  size_t Weighted(const std::vector<double>& w) {
    std::discrete_distribution<size_t> d(w.begin(), w.end());
    return d(rng_);
  }
  template <size_t N>
  size_t Weighted(const double (&w)[N]) {
    std::discrete_distribution<size_t> d(std::begin(w), std::end(w));
    return d(rng_);
  }
  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  Listing Next(uint64_t i) {
    const Make& mk = Makes()[Weighted(make_w_)];
    const Model& md =
        mk.models[static_cast<size_t>(Uniform(0, static_cast<int64_t>(mk.models.size()) - 1))];
    Listing l;
    l.vin = SampleVin(std::string(mk.wmi) + "A", i);
    l.make = mk.name;
    l.model = md.name;
    // Mostly 2-9 years old.
    int64_t age =
        std::clamp<int64_t>(static_cast<int64_t>(std::gamma_distribution<>(3.0, 1.8)(rng_)), 0, 17);
    l.year = 2026 - age;
    l.fuel = md.fuel ? md.fuel : kFuelMix[Weighted(kFuelWeights)];
    l.transmission = kTransmissions[Weighted(kTransmissionWeights)];
    l.colour = kColours[Uniform(0, 6)];
    l.region = Regions()[Weighted(region_w_)].first;
    // About 12% a year off the new price, +-15%, in 10,000 won (만원) steps.
    double value = static_cast<double>(md.new_price) * std::pow(0.88, static_cast<double>(age)) *
                   std::uniform_real_distribution<>(0.85, 1.15)(rng_);
    l.price = std::max<int64_t>(1'000'000, static_cast<int64_t>(value / 10'000) * 10'000);
    l.odometer_km = std::max<int64_t>(
        0, static_cast<int64_t>(static_cast<double>(age * 14'000 + Uniform(500, 9'000)) *
                                std::uniform_real_distribution<>(0.5, 1.6)(rng_)));
    l.seller = Chance(0.6) ? dealers_[static_cast<size_t>(Uniform(0, 4999))]
                           : SellerId(static_cast<uint64_t>(Uniform(5000, 400'000)));
    l.listed_at_ms = kNowMs - Uniform(0, 90 * kDayMs);
    l.photo = ToHex(Sha256(l.vin + "/0"));
    l.summary.inspections = Uniform(0, 2);
    l.summary.accidents = Chance(0.15) ? 1 : 0;
    l.summary.flood = Chance(0.005);
    l.summary.rollback = Chance(0.003);
    l.height = static_cast<uint64_t>(Uniform(1, 2'000'000));
    l.event_count = 2 + l.summary.inspections;
    return l;
  }

  // A buyer's query, shaped like the screens: a make (and often a model), a budget, a year
  // or mileage bound, sometimes a region, fuel or a dealer's page; every sort.
  ListingQuery Query(const std::vector<Listing>& sample, int* kind) {
    const Listing& like =
        sample[static_cast<size_t>(Uniform(0, static_cast<int64_t>(sample.size()) - 1))];
    ListingQuery q;
    q.sort = static_cast<SortOrder>(Uniform(0, kSortOrderCount - 1));
    q.page_size = Chance(0.7) ? 20 : (Chance(0.5) ? 50 : 100);
    *kind = static_cast<int>(Uniform(0, 7));
    switch (*kind) {
      case 0:  // browse a make
        q.make = like.make;
        break;
      case 1:  // a model in a year and price band
        q.make = like.make;
        q.model = like.model;
        q.year_min = like.year - 2;
        q.year_max = like.year + 1;
        q.price_max = like.price + like.price / 4;
        break;
      case 2:  // a budget
        q.price_min = like.price / 2;
        q.price_max = like.price;
        break;
      case 3:  // near me, this fuel, not too old
        q.region = like.region;
        q.fuel = like.fuel;
        q.year_min = like.year - 3;
        break;
      case 4:  // a dealer's (or a person's) listings
        q.seller = like.seller;
        break;
      case 5:  // the home page
        break;
      case 6:  // low mileage, recent, automatic
        q.make = like.make;
        q.mileage_max = like.odometer_km + 20'000;
        q.year_min = like.year - 1;
        q.transmission = like.transmission;
        break;
      default:  // a price band and mileage anywhere
        q.price_min = like.price - like.price / 5;
        q.price_max = like.price + like.price / 5;
        q.mileage_max = like.odometer_km * 2 + 10'000;
        break;
    }
    return q;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<double> make_w_;
  std::vector<double> region_w_;
  std::vector<std::string> dealers_;
};

struct Latencies {
  std::vector<double> ms;
  double Percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(ms.size() - 1) + 0.5);
    return ms[std::min(i, ms.size() - 1)];
  }
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "search_bench: %s\n", what.c_str());
  std::exit(1);
}

// Runs `q` and, for a deep query, follows its tokens to `depth` pages; every page is one
// timed search.
int g_min_of = 1;  // --min-of N: each search N times, the fastest counts (for tuning)

void RunQuery(const ListingIndex& index, ListingQuery q, int depth, Latencies* out,
              uint64_t* results, Latencies* cpu = nullptr) {
  for (int page = 0; page < depth; ++page) {
    double wall = 1e18, used = 1e18;
    Result<SearchPage> r = Status::Internal("not run");
    for (int rep = 0; rep < g_min_of; ++rep) {
      const double c0 = ThreadCpuMs();
      auto t0 = Clock::now();
      r = index.Search(q);
      auto t1 = Clock::now();
      used = std::min(used, ThreadCpuMs() - c0);
      wall = std::min(wall, Ms(t1 - t0));
    }
    if (cpu) cpu->ms.push_back(used);
    if (!r.ok()) Die("search: " + r.status().ToString());
    out->ms.push_back(wall);
    *results += r->listings.size();
    if (r->next_page_token.empty()) break;
    q.page_token = std::move(r->next_page_token);
  }
}

int Main(int argc, char** argv) {
  size_t n = 1'000'000;
  int queries = 3000;
  for (int i = 1; i + 1 < argc; ++i) {
    std::string a = argv[i];
    if (a == "--listings") n = std::strtoull(argv[++i], nullptr, 10);
    if (a == "--queries") queries = std::atoi(argv[++i]);
    if (a == "--min-of") g_min_of = std::max(1, std::atoi(argv[++i]));
  }
  Market market(20260301);
  std::vector<Listing> listings;
  listings.reserve(n);
  for (size_t i = 0; i < n; ++i) listings.push_back(market.Next(i));

  ListingIndex index;
  auto t0 = Clock::now();
  index.Reset(listings, 1);
  const double build_ms = Ms(Clock::now() - t0);
  if (index.size() != n) Die("index holds " + std::to_string(index.size()) + " listings");

  // The query plan: 85% first pages, 15% followed 5..40 pages deep.
  std::vector<std::pair<ListingQuery, int>> plan;
  std::vector<int> kinds;
  for (int i = 0; i < queries; ++i) {
    int kind = 0;
    ListingQuery q = market.Query(listings, &kind);
    int depth = market.Chance(0.15) ? static_cast<int>(market.Uniform(5, 40)) : 1;
    plan.emplace_back(std::move(q), depth);
    kinds.push_back(kind);
  }
  for (int i = 0; i < 50; ++i) {  // warm-up
    Latencies ignored;
    uint64_t r = 0;
    RunQuery(index, plan[static_cast<size_t>(i)].first, 1, &ignored, &r);
  }

  Latencies solo, solo_cpu;
  uint64_t results = 0;
  auto q0 = Clock::now();
  std::vector<Latencies> by_kind(8), by_sort(kSortOrderCount);
  for (size_t i = 0; i < plan.size(); ++i) {
    size_t before = solo.ms.size();
    RunQuery(index, plan[i].first, plan[i].second, &solo, &results, &solo_cpu);
    for (size_t j = before; j < solo.ms.size(); ++j) {
      by_kind[static_cast<size_t>(kinds[i])].ms.push_back(solo.ms[j]);
      by_sort[static_cast<size_t>(plan[i].first.sort)].ms.push_back(solo.ms[j]);
    }
  }
  const double solo_s = Ms(Clock::now() - q0) / 1000;
  const size_t searches = solo.ms.size();
  const double p50 = solo.Percentile(50), p90 = solo.Percentile(90), p99 = solo.Percentile(99);
  const double max = solo.Percentile(100);

  // A block's changes applied with no reader around: how long Apply holds the index
  // exclusively (a search that arrives meanwhile waits at most this long).
  Latencies hold;
  {
    Market churn(11);
    for (int b = 0; b < 50; ++b) {
      std::vector<ListingChange> changes;
      for (int c = 0; c < 200; ++c) {
        Listing l = listings[static_cast<size_t>(churn.Uniform(0, static_cast<int64_t>(n) - 1))];
        l.price = l.price * 99 / 100;
        changes.push_back({l.vin, l});
      }
      auto a0 = Clock::now();
      auto st = index.Apply(std::move(changes), 2);
      hold.ms.push_back(Ms(Clock::now() - a0));
      if (!st.ok()) Die("apply: " + st.ToString());
    }
  }

  // Two readers while a writer applies 200 listing changes (reprices, delistings, new
  // listings) every 50 ms.
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> blocks{0};
  Latencies apply;  // Apply under load, waiting for running searches included
  std::thread writer([&] {
    Market churn(7);
    uint64_t next_vin = n;
    uint64_t h = 3;
    while (!stop.load()) {
      std::vector<ListingChange> changes;
      for (int c = 0; c < 200; ++c) {
        size_t i = static_cast<size_t>(churn.Uniform(0, static_cast<int64_t>(n) - 1));
        switch (c % 4) {
          case 0:
            changes.push_back({listings[i].vin, std::nullopt});
            break;
          case 1: {
            Listing l = churn.Next(next_vin++);
            changes.push_back({l.vin, l});
            break;
          }
          default: {
            Listing l = listings[i];
            l.price = l.price * 95 / 100;
            changes.push_back({l.vin, l});
          }
        }
      }
      auto a0 = Clock::now();
      auto st = index.Apply(std::move(changes), h++);
      apply.ms.push_back(Ms(Clock::now() - a0));
      if (!st.ok()) Die("apply: " + st.ToString());
      ++blocks;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  std::vector<Latencies> shared(2);
  std::vector<std::thread> readers;
  for (size_t r = 0; r < shared.size(); ++r) {
    readers.emplace_back([&, r] {
      uint64_t got = 0;
      for (size_t i = r; i < plan.size(); i += shared.size()) {
        RunQuery(index, plan[i].first, plan[i].second, &shared[r], &got);
      }
    });
  }
  for (auto& t : readers) t.join();
  stop = true;
  writer.join();
  Latencies busy;
  for (auto& s : shared) busy.ms.insert(busy.ms.end(), s.ms.begin(), s.ms.end());

  std::printf(
      "search_bench: %zu listings, index built in %.0f ms; %zu searches (%d queries, "
      "some %s) in %.1f s, %llu results\n",
      n, build_ms, searches, queries, "followed to deep pages", solo_s,
      static_cast<unsigned long long>(results));
  std::printf("search latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", p50, p90, p99,
              max);
  std::printf("search CPU time: p50 %.2f ms, p99 %.2f ms\n", solo_cpu.Percentile(50),
              solo_cpu.Percentile(99));
  std::printf(
      "with 2 readers and a writer (%llu blocks of 200 changes): p50 %.2f ms, p99 %.2f ms\n",
      static_cast<unsigned long long>(blocks.load()), busy.Percentile(50), busy.Percentile(99));
  std::printf(
      "apply 200 changes: alone p50 %.3f ms, max %.3f ms; among searches (waiting for them "
      "included) p50 %.2f ms, p99 %.2f ms\n",
      hold.Percentile(50), hold.Percentile(100), apply.Percentile(50), apply.Percentile(99));
  static const char* kKinds[] = {
      "make",      "make+model+year+price", "price band", "region+fuel+year", "seller",
      "no filter", "make+km+year+gearbox",  "price+km"};
  for (size_t k = 0; k < by_kind.size(); ++k) {
    std::printf("  %-22s %5zu searches: p50 %6.2f ms, p99 %6.2f ms\n", kKinds[k],
                by_kind[k].ms.size(), by_kind[k].Percentile(50), by_kind[k].Percentile(99));
  }
  for (int s = 0; s < kSortOrderCount; ++s) {
    auto& l = by_sort[static_cast<size_t>(s)];
    std::printf("  sort %-17s %5zu searches: p50 %6.2f ms, p99 %6.2f ms\n",
                std::string(SortOrderName(static_cast<SortOrder>(s))).c_str(), l.ms.size(),
                l.Percentile(50), l.Percentile(99));
  }
  std::printf("FIGURE search_p99_ms_1m %.2f ms\n", p99);
  std::printf("FIGURE search_p50_ms_1m %.2f ms\n", p50);
  std::printf("FIGURE search_p99_ms_1m_2readers_1writer %.2f ms\n", busy.Percentile(99));
  std::printf("FIGURE search_index_build_ms_1m %.0f ms\n", build_ms);
  return 0;
}

}  // namespace
}  // namespace carledger::search

int main(int argc, char** argv) {
  return carledger::search::Main(argc, argv);
}
