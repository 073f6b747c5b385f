// ListingIndex on hand-made listings: each filter, each sort (with its VIN tie-break),
// keyset paging across listings added and removed between pages, page tokens bound to
// their query, malformed tokens, bad queries, updates, and readers racing a writer.
#include "service/search/listing_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "service/search/page_token.h"
#include "tests/service/search/search_test_print.h"

namespace carledger::search {
namespace {

Listing Make(const std::string& vin, const std::string& make, const std::string& model,
             int64_t year, int64_t price, int64_t km, int64_t listed_at,
             const std::string& fuel = "gasoline", const std::string& region = "서울",
             const std::string& seller = "seller-a",
             const std::string& transmission = "automatic") {
  Listing l;
  l.vin = vin;
  l.make = make;
  l.model = model;
  l.year = year;
  l.fuel = fuel;
  l.transmission = transmission;
  l.colour = "white";
  l.region = region;
  l.price = price;
  l.odometer_km = km;
  l.seller = seller;
  l.listed_at_ms = listed_at;
  l.photo = std::string(64, 'a');
  l.summary.inspections = 1;
  l.height = 7;
  l.event_count = 3;
  return l;
}

std::vector<std::string> Vins(const SearchPage& p) {
  std::vector<std::string> out;
  for (const auto& l : p.listings) out.push_back(l.vin);
  return out;
}

class ListingIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index.Reset(
        {
            Make("KMH00000000000001", "Hyundai", "Sonata", 2019, 18'000'000, 60'000, 1000),
            Make("KMH00000000000002", "Hyundai", "Avante", 2021, 17'500'000, 30'000, 2000, "hybrid",
                 "경기", "seller-b"),
            Make("KNA00000000000003", "Kia", "K5", 2020, 21'000'000, 45'000, 3000, "lpg", "부산",
                 "seller-a", "manual"),
            Make("KMT00000000000004", "Genesis", "G80", 2022, 52'000'000, 12'000, 4000, "gasoline",
                 "서울", "seller-c"),
            Make("KNA00000000000005", "Kia", "Sorento", 2019, 29'000'000, 80'000, 5000, "diesel",
                 "경기", "seller-b"),
            Make("WDD00000000000006", "Mercedes-Benz", "E-Class", 2018, 35'000'000, 95'000, 6000,
                 "diesel", "서울", "seller-c", "semi-auto"),
            Make("KMH00000000000007", "Hyundai", "Sonata", 2021, 18'000'000, 20'000, 7000,
                 "electric", "인천", "seller-d", "cvt"),
        },
        42);
  }

  SearchPage Search(ListingQuery q) {
    auto r = index.Search(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchPage();
  }

  std::vector<std::string> SearchVins(ListingQuery q) { return Vins(Search(std::move(q))); }

  ListingIndex index;
};

TEST_F(ListingIndexTest, EveryListingWithoutFilters) {
  SearchPage p = Search({});
  EXPECT_EQ(p.total, 7u);
  EXPECT_EQ(p.height, 42u);
  EXPECT_EQ(p.listings.size(), 7u);
  EXPECT_TRUE(p.next_page_token.empty());
  // Results carry every field of the listing.
  auto sonata = std::find_if(p.listings.begin(), p.listings.end(),
                             [](const Listing& l) { return l.vin == "KNA00000000000003"; });
  ASSERT_NE(sonata, p.listings.end());
  EXPECT_EQ(*sonata, Make("KNA00000000000003", "Kia", "K5", 2020, 21'000'000, 45'000, 3000, "lpg",
                          "부산", "seller-a", "manual"));
}

TEST_F(ListingIndexTest, EachFilter) {
  ListingQuery q;
  q.sort = SortOrder::kPriceAsc;
  auto with = [&](auto set) {
    ListingQuery x = q;
    set(x);
    return SearchVins(x);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(with([](auto& x) { x.make = "Kia"; }), V({"KNA00000000000003", "KNA00000000000005"}));
  EXPECT_EQ(with([](auto& x) { x.model = "Sonata"; }),
            V({"KMH00000000000001", "KMH00000000000007"}));
  EXPECT_EQ(with([](auto& x) {
              x.year_min = 2020;
              x.year_max = 2021;
            }),
            V({"KMH00000000000002", "KMH00000000000007", "KNA00000000000003"}));
  EXPECT_EQ(with([](auto& x) { x.year_min = 2022; }), V({"KMT00000000000004"}));
  EXPECT_EQ(with([](auto& x) { x.year_max = 2018; }), V({"WDD00000000000006"}));
  EXPECT_EQ(
      with([](auto& x) {
        x.price_min = 18'000'000;
        x.price_max = 29'000'000;
      }),
      V({"KMH00000000000001", "KMH00000000000007", "KNA00000000000003", "KNA00000000000005"}));
  EXPECT_EQ(with([](auto& x) { x.mileage_max = 30'000; }),
            V({"KMH00000000000002", "KMH00000000000007", "KMT00000000000004"}));
  EXPECT_EQ(with([](auto& x) { x.mileage_min = 80'000; }),
            V({"KNA00000000000005", "WDD00000000000006"}));
  EXPECT_EQ(with([](auto& x) { x.fuel = "diesel"; }),
            V({"KNA00000000000005", "WDD00000000000006"}));
  EXPECT_EQ(with([](auto& x) { x.transmission = "manual"; }), V({"KNA00000000000003"}));
  EXPECT_EQ(with([](auto& x) { x.region = "경기"; }),
            V({"KMH00000000000002", "KNA00000000000005"}));
  EXPECT_EQ(with([](auto& x) { x.seller = "seller-c"; }),
            V({"WDD00000000000006", "KMT00000000000004"}));
  // Filters combine.
  EXPECT_EQ(with([](auto& x) {
              x.make = "Hyundai";
              x.model = "Sonata";
              x.year_min = 2020;
              x.fuel = "electric";
              x.region = "인천";
              x.seller = "seller-d";
              x.transmission = "cvt";
              x.price_max = 18'000'000;
              x.mileage_max = 20'000;
            }),
            V({"KMH00000000000007"}));
  // Values nobody holds match nothing (and are not errors).
  EXPECT_TRUE(with([](auto& x) { x.make = "Ferrari"; }).empty());
  EXPECT_TRUE(with([](auto& x) { x.fuel = "hydrogen"; }).empty());
  EXPECT_TRUE(with([](auto& x) {
                x.make = "Kia";
                x.model = "Sonata";
              }).empty());
  // The total counts every match, not only the page.
  ListingQuery small;
  small.make = "Hyundai";
  small.page_size = 1;
  SearchPage p = Search(small);
  EXPECT_EQ(p.total, 3u);
  EXPECT_EQ(p.listings.size(), 1u);
  EXPECT_FALSE(p.next_page_token.empty());
}

TEST_F(ListingIndexTest, EachSortWithVinTieBreak) {
  using V = std::vector<std::string>;
  auto sorted = [&](SortOrder s) {
    ListingQuery q;
    q.sort = s;
    return SearchVins(q);
  };
  EXPECT_EQ(sorted(SortOrder::kNewest),
            V({"KMH00000000000007", "WDD00000000000006", "KNA00000000000005", "KMT00000000000004",
               "KNA00000000000003", "KMH00000000000002", "KMH00000000000001"}));
  // 18,000,000 twice: the lower VIN first, in both directions.
  EXPECT_EQ(sorted(SortOrder::kPriceAsc),
            V({"KMH00000000000002", "KMH00000000000001", "KMH00000000000007", "KNA00000000000003",
               "KNA00000000000005", "WDD00000000000006", "KMT00000000000004"}));
  EXPECT_EQ(sorted(SortOrder::kPriceDesc),
            V({"KMT00000000000004", "WDD00000000000006", "KNA00000000000005", "KNA00000000000003",
               "KMH00000000000001", "KMH00000000000007", "KMH00000000000002"}));
  EXPECT_EQ(sorted(SortOrder::kYearDesc),
            V({"KMT00000000000004", "KMH00000000000002", "KMH00000000000007", "KNA00000000000003",
               "KMH00000000000001", "KNA00000000000005", "WDD00000000000006"}));
  EXPECT_EQ(sorted(SortOrder::kYearAsc),
            V({"WDD00000000000006", "KMH00000000000001", "KNA00000000000005", "KNA00000000000003",
               "KMH00000000000002", "KMH00000000000007", "KMT00000000000004"}));
  EXPECT_EQ(sorted(SortOrder::kMileageAsc),
            V({"KMT00000000000004", "KMH00000000000007", "KMH00000000000002", "KNA00000000000003",
               "KMH00000000000001", "KNA00000000000005", "WDD00000000000006"}));
}

TEST_F(ListingIndexTest, SortNamesRoundTrip) {
  for (int s = 0; s < kSortOrderCount; ++s) {
    auto parsed = ParseSortOrder(SortOrderName(static_cast<SortOrder>(s)));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(static_cast<int>(*parsed), s);
  }
  auto bad = ParseSortOrder("cheapest");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("sort: ", 0), 0u) << bad.status().message();
}

TEST_F(ListingIndexTest, PagesVisitEveryMatchOnceInOrder) {
  for (int s = 0; s < kSortOrderCount; ++s) {
    ListingQuery all;
    all.sort = static_cast<SortOrder>(s);
    std::vector<std::string> expected = SearchVins(all);
    for (int size = 1; size <= 4; ++size) {
      ListingQuery q = all;
      q.page_size = size;
      std::vector<std::string> seen;
      for (int pages = 0; pages < 10; ++pages) {
        SearchPage p = Search(q);
        EXPECT_EQ(p.total, 7u);
        EXPECT_LE(p.listings.size(), static_cast<size_t>(size));
        for (auto& v : Vins(p)) seen.push_back(v);
        if (p.next_page_token.empty()) break;
        q.page_token = p.next_page_token;
      }
      EXPECT_EQ(seen, expected) << "sort " << SortOrderName(all.sort) << " page size " << size;
    }
  }
}

TEST_F(ListingIndexTest, PagingIsStableWhenListingsComeAndGo) {
  ListingQuery q;
  q.sort = SortOrder::kPriceAsc;
  q.page_size = 3;
  SearchPage p1 = Search(q);
  ASSERT_EQ(Vins(p1), std::vector<std::string>(
                          {"KMH00000000000002", "KMH00000000000001", "KMH00000000000007"}));
  // Between pages: a seen listing and an unseen one leave; a cheaper one (before the
  // cursor) and a dearer one (after it) arrive; an unseen one is repriced within the rest.
  std::vector<ListingChange> changes;
  changes.push_back({"KMH00000000000001", std::nullopt});
  changes.push_back({"KNA00000000000005", std::nullopt});
  changes.push_back({"KMH00000000000008",
                     Make("KMH00000000000008", "Hyundai", "Casper", 2023, 9'000'000, 5'000, 8000)});
  changes.push_back({"KMH00000000000009", Make("KMH00000000000009", "Hyundai", "Palisade", 2023,
                                               45'000'000, 5'000, 9000)});
  Listing repriced = Make("KNA00000000000003", "Kia", "K5", 2020, 33'000'000, 45'000, 3000, "lpg",
                          "부산", "seller-a", "manual");
  changes.push_back({"KNA00000000000003", repriced});
  ASSERT_TRUE(index.Apply(std::move(changes), 43).ok());

  q.page_token = p1.next_page_token;
  SearchPage p2 = Search(q);
  EXPECT_EQ(p2.height, 43u);
  EXPECT_EQ(p2.total, 7u);
  EXPECT_EQ(Vins(p2), std::vector<std::string>(
                          {"KNA00000000000003", "WDD00000000000006", "KMH00000000000009"}));
  q.page_token = p2.next_page_token;
  SearchPage p3 = Search(q);
  EXPECT_EQ(Vins(p3), std::vector<std::string>({"KMT00000000000004"}));
  EXPECT_TRUE(p3.next_page_token.empty());

  // Nothing repeated; everything that stayed listed and was not yet seen was seen once.
  std::multiset<std::string> seen;
  for (const auto* p : {&p1, &p2, &p3}) {
    for (auto& v : Vins(*p)) seen.insert(v);
  }
  for (const auto& v : seen) EXPECT_EQ(seen.count(v), 1u) << v;
  for (const char* v : {"KMH00000000000002", "KMH00000000000007", "KMT00000000000004",
                        "WDD00000000000006", "KNA00000000000003"}) {
    EXPECT_EQ(seen.count(v), 1u) << v;
  }
  EXPECT_EQ(seen.count("KNA00000000000005"), 0u);  // removed before its page
  EXPECT_EQ(seen.count("KMH00000000000008"), 0u);  // arrived before the cursor
}

TEST_F(ListingIndexTest, PageTokenIsBoundToFiltersAndSort) {
  ListingQuery q;
  q.make = "Hyundai";
  q.page_size = 1;
  SearchPage p = Search(q);
  ASSERT_FALSE(p.next_page_token.empty());

  ListingQuery other_filter = q;
  other_filter.make = "Kia";
  other_filter.page_token = p.next_page_token;
  ListingQuery other_sort = q;
  other_sort.sort = SortOrder::kPriceAsc;
  other_sort.page_token = p.next_page_token;
  ListingQuery other_range = q;
  other_range.price_max = 100'000'000;
  other_range.page_token = p.next_page_token;
  for (const auto* bad : {&other_filter, &other_sort, &other_range}) {
    auto r = index.Search(*bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("page_token: does not match this query"), std::string::npos)
        << r.status().message();
  }
  // The page size is not part of the query: a token may continue with another size.
  ListingQuery bigger = q;
  bigger.page_size = 50;
  bigger.page_token = p.next_page_token;
  SearchPage rest = Search(bigger);
  EXPECT_EQ(rest.listings.size(), 2u);
  EXPECT_EQ(rest.total, 3u);
}

TEST_F(ListingIndexTest, MalformedTokensNamePageToken) {
  ListingQuery q;
  q.page_size = 2;
  std::string good = Search(q).next_page_token;
  ASSERT_FALSE(good.empty());
  std::string wrong_version = *Base64UrlDecode(good);
  wrong_version[0] = 9;
  const std::vector<std::string> bad = {
      "!!!!",                                 // not base64url
      "abcde",                                // impossible length
      good.substr(0, 10),                     // truncated
      good + "=",                             // padding is not ours
      Base64UrlEncode("short"),               // too short to hold a cursor
      Base64UrlEncode(wrong_version),         // unknown version
      std::string(1000, 'A'),                 // absurdly long
      good.substr(0, good.size() - 1) + "/",  // standard (not url) alphabet
  };
  for (const auto& t : bad) {
    q.page_token = t;
    auto r = index.Search(q);
    ASSERT_FALSE(r.ok()) << t;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("page_token: ", 0), 0u) << r.status().message();
  }
}

TEST_F(ListingIndexTest, BadQueriesNameTheirFields) {
  auto error = [&](auto set) {
    ListingQuery q;
    set(q);
    auto r = index.Search(q);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string();
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  };
  EXPECT_EQ(error([](auto& q) { q.year_min = 2022, q.year_max = 2020; }),
            "year_min: must not exceed year_max (2022 > 2020)");
  EXPECT_EQ(error([](auto& q) { q.price_min = 2, q.price_max = 1; }),
            "price_min: must not exceed price_max (2 > 1)");
  EXPECT_EQ(error([](auto& q) { q.mileage_min = 10, q.mileage_max = 9; }),
            "mileage_min: must not exceed mileage_max (10 > 9)");
  EXPECT_EQ(error([](auto& q) { q.price_min = -1; }), "price_min: must not be negative");
  EXPECT_EQ(error([](auto& q) { q.page_size = 0; }), "page_size: must be between 1 and 100, got 0");
  EXPECT_EQ(error([](auto& q) { q.page_size = 101; }),
            "page_size: must be between 1 and 100, got 101");
  EXPECT_EQ(error([](auto& q) { q.sort = static_cast<SortOrder>(6); }).rfind("sort: ", 0), 0u);
  EXPECT_EQ(error([](auto& q) { q.sort = static_cast<SortOrder>(-1); }).rfind("sort: ", 0), 0u);
  EXPECT_EQ(error([](auto& q) { q.fuel = "petrol"; }).rfind("fuel: must be one of", 0), 0u);
  EXPECT_EQ(error([](auto& q) { q.transmission = "auto"; }).rfind("transmission: ", 0), 0u);
  EXPECT_EQ(error([](auto& q) { q.make = ""; }).rfind("make: must not be empty", 0), 0u);
  EXPECT_EQ(error([](auto& q) { q.seller = std::string(300, 'x'); }).rfind("seller: ", 0), 0u);
  // Every offending field at once, so a form can mark them all.
  std::string all = error([](auto& q) {
    q.year_min = 3, q.year_max = 2;
    q.page_size = 0;
  });
  EXPECT_NE(all.find("year_min"), std::string::npos) << all;
  EXPECT_NE(all.find("page_size"), std::string::npos) << all;
  // Equal bounds are a valid range.
  ListingQuery exact;
  exact.price_min = exact.price_max = 18'000'000;
  EXPECT_EQ(Search(exact).total, 2u);
}

TEST_F(ListingIndexTest, ApplyUpdatesRemovesAndRefusesMismatchedVins) {
  Listing cheaper = *index.Get("KMT00000000000004");
  cheaper.price = 1'000'000;
  cheaper.height = 50;
  ASSERT_TRUE(index
                  .Apply({{cheaper.vin, cheaper},
                          {"KMH00000000000001", std::nullopt},
                          {"KZZ00000000000099", std::nullopt}},  // absent: ignored
                         51)
                  .ok());
  EXPECT_EQ(index.height(), 51u);
  EXPECT_EQ(index.size(), 6u);
  EXPECT_FALSE(index.Get("KMH00000000000001").has_value());
  EXPECT_EQ(index.Get("KMT00000000000004")->price, 1'000'000);
  ListingQuery q;
  q.sort = SortOrder::kPriceAsc;
  q.page_size = 1;
  EXPECT_EQ(SearchVins(q), std::vector<std::string>({"KMT00000000000004"}));
  q.model = "Sonata";
  EXPECT_EQ(Search(q).total, 1u);

  // A listing filed under another VIN: refused, nothing applied.
  Listing stray = cheaper;
  stray.price = 5;
  auto st = index.Apply({{"KMH00000000000002", std::nullopt}, {"KNA00000000000003", stray}}, 52);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(index.height(), 51u);
  EXPECT_TRUE(index.Get("KMH00000000000002").has_value());

  // Removing every listing of a value drops it from the filters.
  ASSERT_TRUE(index.Apply({{"WDD00000000000006", std::nullopt}}, 53).ok());
  ListingQuery benz;
  benz.make = "Mercedes-Benz";
  EXPECT_EQ(Search(benz).total, 0u);
  EXPECT_EQ(index.All().size(), 5u);
}

// VINs the 126-bit code cannot tell apart (longer than 21 characters, or with characters
// outside 0-9A-Z) still sort and page exactly, through ties on the key and the code.
TEST(ListingIndexTiesTest, VinsBeyondTheCodeStillSortAndPageExactly) {
  const std::string long_prefix(21, 'K');
  std::vector<std::string> vins = {long_prefix + "B", long_prefix + "A", long_prefix + "C",
                                   long_prefix,       "kmh-0001",        "kmh-0000",
                                   "kmh_0002",        "KMH/1",           "KMH/0"};
  ListingIndex index;
  std::vector<Listing> listings;
  for (size_t i = 0; i < vins.size(); ++i) {
    // Two prices and two years only: almost everything ties on the key.
    listings.push_back(Make(vins[i], "Kia", "Ray", 2020 + static_cast<int64_t>(i % 2),
                            10'000'000 + 1'000'000 * static_cast<int64_t>(i % 2), 1000, 5));
  }
  index.Reset(listings, 1);
  for (int s = 0; s < kSortOrderCount; ++s) {
    std::vector<Listing> want = listings;
    std::sort(want.begin(), want.end(), [&](const Listing& a, const Listing& b) {
      int64_t ka = 0, kb = 0;
      switch (static_cast<SortOrder>(s)) {
        case SortOrder::kPriceAsc:
          ka = a.price, kb = b.price;
          break;
        case SortOrder::kPriceDesc:
          ka = -a.price, kb = -b.price;
          break;
        case SortOrder::kYearDesc:
          ka = -a.year, kb = -b.year;
          break;
        case SortOrder::kYearAsc:
          ka = a.year, kb = b.year;
          break;
        case SortOrder::kMileageAsc:
          ka = a.odometer_km, kb = b.odometer_km;
          break;
        case SortOrder::kNewest:
          ka = -a.listed_at_ms, kb = -b.listed_at_ms;
          break;
      }
      return ka != kb ? ka < kb : a.vin < b.vin;
    });
    for (int size : {1, 2, 100}) {
      ListingQuery q;
      q.sort = static_cast<SortOrder>(s);
      q.page_size = size;
      std::vector<std::string> got;
      for (int pages = 0; pages < 20; ++pages) {
        auto p = index.Search(q);
        ASSERT_TRUE(p.ok()) << p.status().ToString();
        for (const auto& l : p->listings) got.push_back(l.vin);
        if (p->next_page_token.empty()) break;
        q.page_token = p->next_page_token;
      }
      std::vector<std::string> expected;
      for (const auto& l : want) expected.push_back(l.vin);
      EXPECT_EQ(got, expected) << "sort " << SortOrderName(q.sort) << " page size " << size;
    }
  }
}

// Readers keep getting whole, ordered pages while a writer changes the index.
TEST(ListingIndexConcurrencyTest, ReadersSeeConsistentPagesWhileAWriterApplies) {
  ListingIndex index;
  std::vector<Listing> base;
  for (int i = 0; i < 5000; ++i) {
    char vin[18];
    std::snprintf(vin, sizeof vin, "KMH%014d", i);
    base.push_back(Make(vin, i % 2 ? "Hyundai" : "Kia", "M" + std::to_string(i % 7), 2010 + i % 15,
                        1'000'000 + (i * 7919) % 50'000'000, i * 13 % 200'000, i));
  }
  index.Reset(base, 1);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<uint64_t> first_height{0}, last_height{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      ListingQuery q;
      q.sort = static_cast<SortOrder>(r % kSortOrderCount + 1);
      q.make = "Hyundai";
      q.page_size = 50;
      while (!stop.load()) {
        auto p = index.Search(q);
        if (!p.ok() || p->listings.size() != 50) {
          ++failures;
          continue;
        }
        uint64_t zero = 0;
        first_height.compare_exchange_strong(zero, p->height);
        last_height = p->height;
        for (size_t i = 1; i < p->listings.size(); ++i) {
          if (p->listings[i - 1].price > p->listings[i].price && q.sort == SortOrder::kPriceAsc) {
            ++failures;
          }
          if (p->listings[i].make != "Hyundai") ++failures;
        }
      }
    });
  }
  // The writer waits for a reader at the start and halfway, so the readers overlap its applies
  // however the scheduler runs the threads (on a loaded machine they could otherwise start late).
  auto wait_for_reader_at = [&](uint64_t height) {
    while (last_height.load() < height && failures.load() == 0) std::this_thread::yield();
  };
  wait_for_reader_at(1);
  for (uint64_t h = 2; h < 300; ++h) {
    if (h == 150) wait_for_reader_at(149);
    std::vector<ListingChange> changes;
    for (int j = 0; j < 50; ++j) {
      Listing l = base[(h * 50 + j) % base.size()];
      if (j % 5 == 0) {
        changes.push_back({l.vin, std::nullopt});
      } else {
        l.price += static_cast<int64_t>(h);
        changes.push_back({l.vin, l});
      }
    }
    ASSERT_TRUE(index.Apply(std::move(changes), h).ok());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(index.height(), 299u);
  // The writer made progress while the readers were reading.
  EXPECT_LT(first_height.load(), last_height.load());
}

}  // namespace
}  // namespace carledger::search
