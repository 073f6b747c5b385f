// The node-local search index over cars listed for sale (DESIGN.md, "The service": search
// runs on an index built from the node's own ledger, so results need no trust in a shared
// database and read capacity scales with observers).
//
// Why it looks like this. Every query must return the total number of matches, so every
// query visits every match anyway; an ordered container per sort order would only help a
// query that needs no count. The index therefore keeps the listings column by column in
// fixed blocks of slots and answers a query with one pass over the candidates: the block
// scan evaluates each filter over a whole column (vectorised) and keeps the page as a
// bounded heap; a selective equality filter (seller, model, make, region) instead walks
// that value's posting list. Updates are O(1) per listing (columns written in place,
// posting lists with swap-remove), so a block's changes are applied under one short
// exclusive lock and readers see the index at block boundaries.
//
// Order: every sort is (key, VIN ascending) — ties broken by VIN — so the order is total
// and a page token (the last item's key and VIN) resumes strictly after it: paging never
// repeats an item, and never skips one that stayed listed with the same sort key.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace carledger::search {

// How results are ordered. The numbers are stable (the API maps onto them).
enum class SortOrder : int {
  kNewest = 0,      // listed_at descending (most recently listed first)
  kPriceAsc = 1,    // cheapest first
  kPriceDesc = 2,   // most expensive first
  kYearDesc = 3,    // newest model year first
  kYearAsc = 4,     // oldest model year first
  kMileageAsc = 5,  // lowest odometer first
};
inline constexpr int kSortOrderCount = 6;

// "newest", "price_asc", "price_desc", "year_desc", "year_asc", "mileage_asc".
std::string_view SortOrderName(SortOrder sort);
// Parses a name from SortOrderName; INVALID_ARGUMENT naming `sort` otherwise.
Result<SortOrder> ParseSortOrder(std::string_view name);

// The car's history summary as far as a buyer filters or badges on it.
struct ListingSummary {
  int64_t accidents = 0;    // inspections that found an accident
  bool flood = false;       // any inspection found flood damage
  bool rollback = false;    // an odometer rollback was detected
  bool fraud = false;       // flagged for fraud
  int64_t inspections = 0;  // number of inspections
  bool operator==(const ListingSummary&) const = default;
};

// One car listed for sale, as the index holds it.
struct Listing {
  std::string vin;
  std::string make;
  std::string model;
  int64_t year = 0;
  std::string fuel;
  std::string transmission;
  std::string colour;
  std::string region;  // "" when the car has none
  int64_t price = 0;   // asking price, whole won
  int64_t odometer_km = 0;
  std::string seller;        // owner id (key fingerprint, 64 hex)
  int64_t listed_at_ms = 0;  // block time of the car's latest `listed` event
  std::string photo;         // first photo's sha256 hex, "" when none
  ListingSummary summary;
  uint64_t height = 0;      // block that last changed the car record
  int64_t event_count = 0;  // the car's event count at that block (the indexer resumes from it)
  bool operator==(const Listing&) const = default;
};

// A search. Absent filters match everything; ranges are inclusive.
struct ListingQuery {
  std::optional<std::string> make, model, fuel, transmission, region, seller;
  std::optional<int64_t> year_min, year_max;
  std::optional<int64_t> price_min, price_max;
  std::optional<int64_t> mileage_min, mileage_max;  // odometer_km
  SortOrder sort = SortOrder::kNewest;
  int page_size = 20;      // 1 .. kMaxPageSize
  std::string page_token;  // "" for the first page, else a previous page's next_page_token
};

inline constexpr int kMaxPageSize = 100;

struct SearchPage {
  std::vector<Listing> listings;  // at most page_size, in the query's order
  std::string next_page_token;    // "" when this is the last page
  uint64_t total = 0;             // listings matching the filters (all pages)
  uint64_t height = 0;            // index height the page was read at
};

// One listing's new state for ListingIndex::Apply: a listing to insert or replace, or
// nullopt to remove the VIN (absent VINs are ignored).
struct ListingChange {
  std::string vin;
  std::optional<Listing> listing;
};

class ListingIndex {
 public:
  ListingIndex();
  ~ListingIndex();
  ListingIndex(const ListingIndex&) = delete;
  ListingIndex& operator=(const ListingIndex&) = delete;

  // Applies `changes` in order, atomically for readers, and sets height() to `height`
  // (the number of ledger blocks the index now reflects). A change whose listing has a
  // different VIN than its key is INVALID_ARGUMENT and nothing is applied.
  Status Apply(std::vector<ListingChange> changes, uint64_t height);

  // Replaces the whole content (a rebuild). Duplicate VINs: the last one wins.
  void Reset(std::vector<Listing> listings, uint64_t height);

  // Runs a query. INVALID_ARGUMENT names every offending field: a min above its max, a
  // negative bound, page_size outside 1..100, an unknown sort, an unknown fuel or
  // transmission, an empty or oversized text filter, a malformed page_token, or a
  // page_token made for different filters or sort ("page_token: does not match this query").
  Result<SearchPage> Search(const ListingQuery& query) const;

  // The listing of `vin`, if it is listed.
  std::optional<Listing> Get(std::string_view vin) const;
  // Every listing, ordered by VIN (for audits and tests).
  std::vector<Listing> All() const;
  size_t size() const;
  // Number of ledger blocks the index reflects (Ledger::height() when in step).
  uint64_t height() const;

 private:
  struct Store;
  class Lock;
  std::unique_ptr<Lock> lock_;  // shared for readers; a waiting writer goes first
  std::unique_ptr<Store> store_;
};

}  // namespace carledger::search
