// ListingIndex against a brute-force filter + sort over the same listings, seeded: random
// listings with many ties, random inserts, updates and removals, random queries paged to
// the end (both the block scan and the posting-list walk are exercised), and paging while
// the listings change under it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "service/search/listing_index.h"
#include "tests/service/search/search_test_print.h"

namespace carledger::search {
namespace {

const char* kMakes[] = {"Hyundai", "Kia", "Genesis", "Chevrolet", "KG Mobility", "Ferrari"};
const char* kFuels[] = {"gasoline", "diesel", "lpg", "hybrid", "electric", "hydrogen"};
const char* kTransmissions[] = {"automatic", "manual", "semi-auto", "cvt"};
const char* kRegions[] = {"서울", "경기", "부산", "인천", "대구", "광주", "대전", ""};

class World {
 public:
  explicit World(uint64_t seed) : rng_(seed) {}

  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Pick(100) < percent; }

  Listing RandomListing(const std::string& vin) {
    Listing l;
    l.vin = vin;
    // Ferrari is rare, so its posting list is walked; the others are scanned.
    int m = Chance(1) ? 5 : Pick(5);
    l.make = kMakes[m];
    l.model = l.make + "-" + std::to_string(Pick(6));
    l.year = 2010 + Pick(15);
    l.fuel = kFuels[Pick(6)];
    l.transmission = kTransmissions[Pick(4)];
    l.colour = Chance(50) ? "white" : "black";
    l.region = kRegions[Pick(8)];
    l.price = 5'000'000 + 500'000 * Pick(100);  // many equal prices
    l.odometer_km = 1000 * Pick(200);
    l.seller = "seller-" + std::to_string(Pick(200));
    l.listed_at_ms = 1'700'000'000'000 + 1000 * Pick(500);
    l.photo = Chance(80) ? std::string(64, "0123456789abcdef"[Pick(16)]) : "";
    l.summary.accidents = Pick(3);
    l.summary.flood = Chance(5);
    l.summary.inspections = Pick(4);
    l.height = static_cast<uint64_t>(Pick(1000));
    l.event_count = Pick(20);
    return l;
  }

  std::string NewVin() {
    // Mixed prefixes so that VIN order is not insertion order.
    static const char* kWmi[] = {"KMH", "KNA", "KMT", "KL1", "WDD", "1M8"};
    char tail[16];
    std::snprintf(tail, sizeof tail, "%014llu",
                  static_cast<unsigned long long>(rng_() % 100000000000000ULL));
    return std::string(kWmi[Pick(6)]) + tail;
  }

  ListingQuery RandomQuery() {
    ListingQuery q;
    if (Chance(30)) q.make = kMakes[Chance(10) ? 5 : Pick(5)];
    if (Chance(15) && q.make) q.model = *q.make + "-" + std::to_string(Pick(6));
    if (Chance(20)) q.fuel = kFuels[Pick(6)];
    if (Chance(15)) q.transmission = kTransmissions[Pick(4)];
    if (Chance(20)) q.region = kRegions[Pick(7)];
    if (Chance(15)) q.seller = "seller-" + std::to_string(Pick(210));
    if (Chance(30)) q.year_min = 2010 + Pick(15);
    if (Chance(30)) q.year_max = q.year_min.value_or(2010) + Pick(8);
    if (Chance(30)) q.price_min = 5'000'000 + 500'000 * Pick(100);
    if (Chance(30)) q.price_max = q.price_min.value_or(5'000'000) + 500'000 * Pick(60);
    if (Chance(20)) q.mileage_min = 1000 * Pick(200);
    if (Chance(20)) q.mileage_max = q.mileage_min.value_or(0) + 1000 * Pick(150);
    q.sort = static_cast<SortOrder>(Pick(kSortOrderCount));
    q.page_size = Chance(50) ? 1 + Pick(10) : 1 + Pick(100);
    return q;
  }

  std::mt19937_64 rng_;
};

bool Matches(const Listing& l, const ListingQuery& q) {
  auto eq = [](const std::optional<std::string>& want, const std::string& have) {
    return !want || *want == have;
  };
  auto in = [](const std::optional<int64_t>& lo, const std::optional<int64_t>& hi, int64_t v) {
    return (!lo || v >= *lo) && (!hi || v <= *hi);
  };
  return eq(q.make, l.make) && eq(q.model, l.model) && eq(q.fuel, l.fuel) &&
         eq(q.transmission, l.transmission) && eq(q.region, l.region) && eq(q.seller, l.seller) &&
         in(q.year_min, q.year_max, l.year) && in(q.price_min, q.price_max, l.price) &&
         in(q.mileage_min, q.mileage_max, l.odometer_km);
}

// The documented order, written out per sort: the key, then the VIN ascending.
bool Before(const Listing& a, const Listing& b, SortOrder s) {
  auto by = [&](int64_t x, int64_t y, bool desc) {
    if (x != y) return desc ? x > y : x < y;
    return a.vin < b.vin;
  };
  switch (s) {
    case SortOrder::kNewest:
      return by(a.listed_at_ms, b.listed_at_ms, true);
    case SortOrder::kPriceAsc:
      return by(a.price, b.price, false);
    case SortOrder::kPriceDesc:
      return by(a.price, b.price, true);
    case SortOrder::kYearDesc:
      return by(a.year, b.year, true);
    case SortOrder::kYearAsc:
      return by(a.year, b.year, false);
    case SortOrder::kMileageAsc:
      return by(a.odometer_km, b.odometer_km, false);
  }
  return false;
}

std::vector<Listing> BruteForce(const std::map<std::string, Listing>& truth,
                                const ListingQuery& q) {
  std::vector<Listing> out;
  for (const auto& [vin, l] : truth) {
    if (Matches(l, q)) out.push_back(l);
  }
  std::sort(out.begin(), out.end(),
            [&](const Listing& a, const Listing& b) { return Before(a, b, q.sort); });
  return out;
}

class ListingIndexRandomTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(ListingIndexRandomTest, MatchesBruteForce) {
  World w(GetParam());
  std::map<std::string, Listing> truth;
  ListingIndex index;
  std::vector<Listing> initial;
  for (int i = 0; i < 3000; ++i) {
    Listing l = w.RandomListing(w.NewVin());
    truth[l.vin] = l;
    initial.push_back(l);
  }
  index.Reset(initial, 1);
  uint64_t height = 1;
  size_t walked_pages = 0;
  for (int round = 0; round < 25; ++round) {
    // A block's worth of changes: new listings, updates (reprices and more), removals.
    std::vector<ListingChange> changes;
    for (int c = 0; c < 200; ++c) {
      int what = w.Pick(3);
      if (what == 0 || truth.empty()) {
        Listing l = w.RandomListing(w.NewVin());
        truth[l.vin] = l;
        changes.push_back({l.vin, l});
        continue;
      }
      auto it = std::next(truth.begin(), w.Pick(static_cast<int>(truth.size())));
      if (what == 1) {
        Listing l = w.Chance(50) ? w.RandomListing(it->first) : it->second;
        l.price = 5'000'000 + 500'000 * w.Pick(100);
        it->second = l;
        changes.push_back({l.vin, l});
      } else {
        changes.push_back({it->first, std::nullopt});
        truth.erase(it);
      }
    }
    ASSERT_TRUE(index.Apply(std::move(changes), ++height).ok());
    ASSERT_EQ(index.size(), truth.size());

    for (int qn = 0; qn < 30; ++qn) {
      ListingQuery q = w.RandomQuery();
      std::vector<Listing> want = BruteForce(truth, q);
      std::vector<Listing> got;
      for (int pages = 0;; ++pages) {
        ASSERT_LE(pages, static_cast<int>(want.size()) + 1) << "paging does not end";
        auto p = index.Search(q);
        ASSERT_TRUE(p.ok()) << p.status().ToString();
        ASSERT_EQ(p->total, want.size());
        ASSERT_LE(p->listings.size(), static_cast<size_t>(q.page_size));
        got.insert(got.end(), p->listings.begin(), p->listings.end());
        ++walked_pages;
        if (p->next_page_token.empty()) break;
        ASSERT_EQ(p->listings.size(), static_cast<size_t>(q.page_size));
        q.page_token = p->next_page_token;
      }
      ASSERT_EQ(got.size(), want.size()) << "round " << round << " query " << qn;
      for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i], want[i]) << "round " << round << " query " << qn << " item " << i;
      }
    }
  }
  // The index holds exactly the truth.
  auto all = index.All();
  ASSERT_EQ(all.size(), truth.size());
  auto it = truth.begin();
  for (const auto& l : all) EXPECT_EQ(l, (it++)->second);
  EXPECT_GT(walked_pages, 750u);
}

// Paging while listings change between pages: every item that stayed listed unchanged
// throughout is seen exactly once (never skipped, never repeated), and items that arrive
// or leave do not disturb the others.
TEST_P(ListingIndexRandomTest, PagingAcrossChangesNeverSkipsOrRepeats) {
  World w(GetParam() * 7919);
  std::map<std::string, Listing> truth;
  ListingIndex index;
  for (int i = 0; i < 2000; ++i) {
    Listing l = w.RandomListing(w.NewVin());
    truth[l.vin] = l;
  }
  index.Reset({}, 0);
  std::vector<ListingChange> load;
  for (const auto& [vin, l] : truth) load.push_back({vin, l});
  ASSERT_TRUE(index.Apply(std::move(load), 1).ok());
  uint64_t height = 1;

  for (int qn = 0; qn < 40; ++qn) {
    ListingQuery q = w.RandomQuery();
    q.page_size = 1 + w.Pick(20);
    std::set<std::string> touched;  // changed or removed while paging
    std::map<std::string, int> seen;
    const auto before = truth;
    for (int pages = 0;; ++pages) {
      ASSERT_LE(pages, 2500);
      auto p = index.Search(q);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      for (const auto& l : p->listings) ++seen[l.vin];
      if (p->next_page_token.empty()) break;
      q.page_token = p->next_page_token;
      // Between pages: a few arrivals, reprices and removals anywhere in the order.
      std::vector<ListingChange> changes;
      for (int c = 0; c < 3; ++c) {
        int what = w.Pick(3);
        if (what == 0) {
          Listing l = w.RandomListing(w.NewVin());
          truth[l.vin] = l;
          touched.insert(l.vin);
          changes.push_back({l.vin, l});
        } else if (!truth.empty()) {
          auto it = std::next(truth.begin(), w.Pick(static_cast<int>(truth.size())));
          touched.insert(it->first);
          if (what == 1) {
            it->second.price += 500'000;
            changes.push_back({it->first, it->second});
          } else {
            changes.push_back({it->first, std::nullopt});
            truth.erase(it);
          }
        }
      }
      ASSERT_TRUE(index.Apply(std::move(changes), ++height).ok());
    }
    // A repriced listing may move past the cursor and come again; nothing else may.
    for (const auto& [vin, n] : seen) {
      if (!touched.count(vin)) {
        EXPECT_EQ(n, 1) << vin << " repeated, query " << qn;
      }
    }
    for (const auto& l : BruteForce(before, q)) {
      if (touched.count(l.vin)) continue;
      EXPECT_EQ(seen.count(l.vin), 1u) << l.vin << " skipped, query " << qn;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ListingIndexRandomTest, ::testing::Values(1, 2, 3, 20240601));

}  // namespace
}  // namespace carledger::search
