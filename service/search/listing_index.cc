// Listing search: query validation, planning (block scan or posting list), one pass that
// counts the matches and keeps the page in a bounded heap, and page tokens.
#include "service/search/listing_index.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <shared_mutex>

#include "common/crypto.h"
#include "service/search/listing_store.h"
#include "service/search/page_token.h"

namespace carledger::search {

using internal::Block;
using internal::CatField;
using internal::EncodeVin;
using internal::kBlockSlots;
using internal::ListingStore;
using internal::NumField;
using internal::VinCode;

// A reader-writer lock that prefers the writer: with the default (reader-preferring)
// lock, back-to-back queries could hold the writer off indefinitely and the index would
// fall behind the ledger. Here a waiting writer stops new readers, so a reader waits at
// most for the scans already running plus one short Apply.
class ListingIndex::Lock {
 public:
  Lock() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&rw_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  ~Lock() { pthread_rwlock_destroy(&rw_); }
  void lock() { pthread_rwlock_wrlock(&rw_); }
  void unlock() { pthread_rwlock_unlock(&rw_); }
  void lock_shared() { pthread_rwlock_rdlock(&rw_); }
  void unlock_shared() { pthread_rwlock_unlock(&rw_); }

 private:
  pthread_rwlock_t rw_;
};

struct ListingIndex::Store {
  ListingStore listings;
  uint64_t height = 0;
};

namespace {

constexpr std::string_view kSortNames[kSortOrderCount] = {"newest",    "price_asc", "price_desc",
                                                          "year_desc", "year_asc",  "mileage_asc"};
// The contract's enumerations (contracts/car_trade/API.md, register_car).
constexpr std::string_view kFuels[] = {"gasoline", "diesel",   "lpg",
                                       "hybrid",   "electric", "hydrogen"};
constexpr std::string_view kTransmissions[] = {"automatic", "manual", "semi-auto", "cvt"};
constexpr size_t kMaxFilterBytes = 256;
// A posting list is walked instead of scanning every block when it holds at most this
// fraction of the slots: a random gather costs roughly what scanning 32 slots does.
constexpr uint32_t kGatherRatio = 32;

struct SortSpec {
  NumField field;
  bool desc;
};

SortSpec SpecOf(SortOrder s) {
  switch (s) {
    case SortOrder::kPriceAsc:
      return {internal::kPrice, false};
    case SortOrder::kPriceDesc:
      return {internal::kPrice, true};
    case SortOrder::kYearDesc:
      return {internal::kYear, true};
    case SortOrder::kYearAsc:
      return {internal::kYear, false};
    case SortOrder::kMileageAsc:
      return {internal::kOdometer, false};
    case SortOrder::kNewest:
      break;
  }
  return {internal::kListedAt, true};
}

// The index orders by an ascending key; a descending sort inverts the value (~x = -x-1,
// which cannot overflow).
inline int64_t SortKey(int64_t v, bool desc) {
  return desc ? ~v : v;
}

template <size_t N>
std::string Join(const std::string_view (&list)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(list[i]);
  return out;
}

template <size_t N>
bool OneOf(const std::string& v, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

void CheckText(const std::optional<std::string>& v, const char* name,
               std::vector<std::string>* errs) {
  if (!v) return;
  if (v->empty()) {
    errs->push_back(std::string(name) + ": must not be empty (leave it out to match any)");
  } else if (v->size() > kMaxFilterBytes) {
    errs->push_back(std::string(name) + ": at most " + std::to_string(kMaxFilterBytes) + " bytes");
  }
}

void CheckRange(const std::optional<int64_t>& lo, const std::optional<int64_t>& hi,
                const std::string& name, bool non_negative, std::vector<std::string>* errs) {
  if (non_negative && lo && *lo < 0) errs->push_back(name + "_min: must not be negative");
  if (non_negative && hi && *hi < 0) errs->push_back(name + "_max: must not be negative");
  if (lo && hi && *lo > *hi) {
    errs->push_back(name + "_min: must not exceed " + name + "_max (" + std::to_string(*lo) +
                    " > " + std::to_string(*hi) + ")");
  }
}

// Every field error at once, so a form can mark them all.
Status Validate(const ListingQuery& q) {
  std::vector<std::string> errs;
  CheckText(q.make, "make", &errs);
  CheckText(q.model, "model", &errs);
  CheckText(q.region, "region", &errs);
  CheckText(q.seller, "seller", &errs);
  if (q.fuel && !OneOf(*q.fuel, kFuels)) {
    errs.push_back("fuel: must be one of " + Join(kFuels) + ", got '" + *q.fuel + "'");
  }
  if (q.transmission && !OneOf(*q.transmission, kTransmissions)) {
    errs.push_back("transmission: must be one of " + Join(kTransmissions) + ", got '" +
                   *q.transmission + "'");
  }
  CheckRange(q.year_min, q.year_max, "year", false, &errs);
  CheckRange(q.price_min, q.price_max, "price", true, &errs);
  CheckRange(q.mileage_min, q.mileage_max, "mileage", true, &errs);
  int sort = static_cast<int>(q.sort);
  if (sort < 0 || sort >= kSortOrderCount) {
    errs.push_back("sort: unknown sort order " + std::to_string(sort) + " (one of " +
                   Join(kSortNames) + ")");
  }
  if (q.page_size < 1 || q.page_size > kMaxPageSize) {
    errs.push_back("page_size: must be between 1 and " + std::to_string(kMaxPageSize) + ", got " +
                   std::to_string(q.page_size));
  }
  if (errs.empty()) return Status::Ok();
  std::string msg;
  for (const auto& e : errs) msg += (msg.empty() ? "" : "; ") + e;
  return Status::InvalidArgument(msg);
}

// Binds page tokens to the filters and the sort (not to the page size).
uint64_t Fingerprint(const ListingQuery& q) {
  Sha256Hasher h;
  h.Update("carledger.search.v1");
  for (const auto* s : {&q.make, &q.model, &q.fuel, &q.transmission, &q.region, &q.seller}) {
    h.UpdateU64(s->has_value());
    h.UpdateField(s->value_or(""));
  }
  for (const auto* v :
       {&q.year_min, &q.year_max, &q.price_min, &q.price_max, &q.mileage_min, &q.mileage_max}) {
    h.UpdateU64(v->has_value());
    h.UpdateU64(static_cast<uint64_t>(v->value_or(0)));
  }
  h.UpdateU64(static_cast<uint64_t>(q.sort));
  Bytes d = h.Finish();
  uint64_t f = 0;
  for (int i = 0; i < 8; ++i) f = (f << 8) | static_cast<uint8_t>(d[i]);
  return f;
}

struct EqFilter {
  CatField field;
  uint32_t id;
};
struct RangeFilter {
  NumField field;
  int64_t lo;
  int64_t hi;
};

// The page so far: a max-heap (in index order) of the best page_size matches after the
// cursor, and the counts. Blocks of matches are first narrowed with vectorisable passes
// (after the cursor? below the page's current last key?), so the heap sees only the few
// matches that can still enter the page.
class Collector {
 public:
  Collector(const ListingStore& store, size_t k, const PageCursor* cursor)
      : store_(store), k_(k), cursor_(cursor) {
    if (cursor_) cursor_code_ = EncodeVin(cursor_->vin);
    heap_.reserve(k + 1);
  }

  // The matches of one block: mask[i] != 0 for a match, vals[i] its sort field, hi/lo
  // its VIN code. Each step is a pass over the block that the compiler vectorises; the VIN
  // codes are read only for blocks where a key ties with the cursor or the page's limit.
  // kDesc: `vals` are the raw values of a descending sort (key = ~value), compared with
  // inverted bounds so that the block's column need not be inverted first.
  template <bool kDesc>
  [[gnu::always_inline]] inline void AddBlock(const uint8_t* mask, const int64_t* vals,
                                              const uint64_t* hi, const uint64_t* lo, uint32_t base,
                                              uint32_t n) {
    // Key comparisons in terms of the raw values.
    auto gt = [](int64_t v, int64_t raw) { return kDesc ? v < raw : v > raw; };
    auto lt = [](int64_t v, int64_t raw) { return kDesc ? v > raw : v < raw; };
    uint32_t matches = 0;
    for (uint32_t i = 0; i < n; ++i) matches += mask[i];
    total_ += matches;
    if (matches == 0) return;
    alignas(64) uint8_t cand[kBlockSlots];
    if (cursor_) {
      // After the cursor: a larger key, or the same key and a larger VIN.
      const int64_t ck = kDesc ? ~cursor_->key : cursor_->key;
      uint32_t after = 0;
      uint8_t ties = 0;
      for (uint32_t i = 0; i < n; ++i) {
        cand[i] = mask[i] & static_cast<uint8_t>(gt(vals[i], ck));
        after += cand[i];
        ties |= mask[i] & static_cast<uint8_t>(vals[i] == ck);
      }
      if (ties) {
        const uint64_t ch = cursor_code_.hi, cl = cursor_code_.lo;
        uint8_t same = 0;
        for (uint32_t i = 0; i < n; ++i) {
          const uint8_t tie = mask[i] & static_cast<uint8_t>(vals[i] == ck);
          const uint8_t vin_after =
              static_cast<uint8_t>((hi[i] > ch) | ((hi[i] == ch) & (lo[i] > cl)));
          cand[i] |= tie & vin_after;
          after += tie & vin_after;
          same |= tie & static_cast<uint8_t>((hi[i] == ch) & (lo[i] == cl));
        }
        if (same) {  // equal codes: only the VINs themselves can tell
          for (uint32_t i = 0; i < n; ++i) {
            if (mask[i] && vals[i] == ck && hi[i] == ch && lo[i] == cl &&
                store_.VinAt(base + i) > cursor_->vin) {
              cand[i] = 1;
              ++after;
            }
          }
        }
      }
      after_ += after;
    } else {
      after_ += matches;
      std::memcpy(cand, mask, n);
    }
    // Only what sorts before the page's current last item can still enter the page.
    const int64_t lk = kDesc ? ~limit_key_ : limit_key_;
    uint8_t ties = 0;
    for (uint32_t i = 0; i < n; ++i) {
      ties |= cand[i] & static_cast<uint8_t>(vals[i] == lk);
      cand[i] &= static_cast<uint8_t>(!gt(vals[i], lk));
    }
    if (ties) {
      const uint64_t lh = limit_code_.hi, ll = limit_code_.lo;
      for (uint32_t i = 0; i < n; ++i) {
        const uint8_t not_after =
            static_cast<uint8_t>((hi[i] < lh) | ((hi[i] == lh) & (lo[i] <= ll)));
        cand[i] &= static_cast<uint8_t>(lt(vals[i], lk)) | not_after;
      }
    }
    // Eight slots at a time: most words are all zero.
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t word;
      std::memcpy(&word, cand + i, 8);
      if (word == 0) continue;
      for (uint32_t j = i; j < i + 8; ++j) {
        if (cand[j]) Offer(SortKey(vals[j], kDesc), base + j);
      }
    }
    for (; i < n; ++i) {
      if (cand[i]) Offer(SortKey(vals[i], kDesc), base + i);
    }
  }

  // One match.
  void Add(int64_t key, uint32_t slot) {
    ++total_;
    if (cursor_ && (key < cursor_->key || (key == cursor_->key && !TieAfterCursor(slot)))) return;
    ++after_;
    if (key <= limit_key_) Offer(key, slot);
  }

  uint64_t total() const { return total_; }
  uint64_t after() const { return after_; }
  // The page, in order: (key, slot) pairs.
  std::vector<std::pair<int64_t, uint32_t>> Take() {
    std::sort_heap(heap_.begin(), heap_.end(), Less{&store_});
    std::vector<std::pair<int64_t, uint32_t>> out;
    for (const auto& e : heap_) out.emplace_back(e.key, e.slot);
    return out;
  }

 private:
  struct Entry {
    int64_t key;
    VinCode code;
    uint32_t slot;
  };
  struct Less {
    const ListingStore* store;
    bool operator()(const Entry& a, const Entry& b) const {
      if (a.key != b.key) return a.key < b.key;
      // The VINs themselves only when the codes cannot tell (they live elsewhere in memory).
      if (int c = internal::CompareCodes(a.code, b.code); c != 0) return c < 0;
      return store->VinAt(a.slot) < store->VinAt(b.slot);
    }
  };

  // For a match whose key equals the cursor's: is its VIN after the cursor's?
  bool TieAfterCursor(uint32_t slot) const {
    if (int c = internal::CompareCodes(store_.CodeAt(slot), cursor_code_); c != 0) return c > 0;
    return store_.VinAt(slot) > cursor_->vin;
  }

  // A match after the cursor that may sort before the page's last item: into the page if
  // it does.
  void Offer(int64_t key, uint32_t slot) {
    Entry e{key, store_.CodeAt(slot), slot};
    if (heap_.size() < k_) {
      heap_.push_back(e);
      std::push_heap(heap_.begin(), heap_.end(), Less{&store_});
    } else {
      if (!Less{&store_}(e, heap_.front())) return;
      std::pop_heap(heap_.begin(), heap_.end(), Less{&store_});
      heap_.back() = e;
      std::push_heap(heap_.begin(), heap_.end(), Less{&store_});
    }
    if (heap_.size() == k_) {
      limit_key_ = heap_.front().key;
      limit_code_ = heap_.front().code;
    }
  }

  const ListingStore& store_;
  size_t k_;
  const PageCursor* cursor_;
  VinCode cursor_code_;
  std::vector<Entry> heap_;
  // Once the page is full, its last item's key and VIN code; nothing after it can enter.
  int64_t limit_key_ = INT64_MAX;
  VinCode limit_code_{UINT64_MAX, UINT64_MAX};
  uint64_t total_ = 0;
  uint64_t after_ = 0;
};

// Every block, each filter over a whole column, then the matches into the collector.
// Built twice: for AVX2 (four 64-bit compares per instruction; every loop here
// vectorises) and for the x86-64 baseline, which has no 64-bit vector compare; the loader
// picks the one the CPU runs.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx2", "default")))
#endif
void ScanBlocks(const ListingStore& store, const std::vector<EqFilter>& eq,
                const std::vector<RangeFilter>& ranges, SortSpec sort, Collector* out) {
  alignas(64) uint8_t mask[kBlockSlots];
  const uint32_t end = store.slot_end();
  for (size_t b = 0; b < store.block_count(); ++b) {
    const uint32_t base = static_cast<uint32_t>(b * kBlockSlots);
    if (base >= end) break;
    const uint32_t n = std::min<uint32_t>(kBlockSlots, end - base);
    const Block& blk = store.block_at(b);
    const uint8_t* alive = blk.alive;
    if (eq.empty()) std::memcpy(mask, alive, n);
    for (size_t e = 0; e < eq.size(); ++e) {
      const uint32_t* col = blk.cat[eq[e].field];
      const uint32_t id = eq[e].id;
      const uint8_t* in = e == 0 ? alive : mask;
      for (uint32_t i = 0; i < n; ++i) mask[i] = in[i] & static_cast<uint8_t>(col[i] == id);
    }
    for (const auto& r : ranges) {
      const int64_t* col = blk.num[r.field];
      const uint64_t lo = static_cast<uint64_t>(r.lo);
      const uint64_t span = static_cast<uint64_t>(r.hi) - lo;
      for (uint32_t i = 0; i < n; ++i) {
        mask[i] &= static_cast<uint8_t>(static_cast<uint64_t>(col[i]) - lo <= span);
      }
    }
    if (sort.desc) {
      out->AddBlock<true>(mask, blk.num[sort.field], blk.vin_hi, blk.vin_lo, base, n);
    } else {
      out->AddBlock<false>(mask, blk.num[sort.field], blk.vin_hi, blk.vin_lo, base, n);
    }
  }
}

// The slots of one posting list, each checked against every filter on its row.
void WalkPostings(const ListingStore& store, const std::vector<uint32_t>& slots,
                  const std::vector<EqFilter>& eq, const std::vector<RangeFilter>& ranges,
                  SortSpec sort, Collector* out) {
  for (uint32_t slot : slots) {
    const internal::Row& row = store.RowAt(slot);
    bool ok = true;
    for (const auto& f : eq) ok &= row.cat[f.field] == f.id;
    for (const auto& r : ranges) {
      ok &= static_cast<uint64_t>(row.num[r.field]) - static_cast<uint64_t>(r.lo) <=
            static_cast<uint64_t>(r.hi) - static_cast<uint64_t>(r.lo);
    }
    if (ok) out->Add(SortKey(row.num[sort.field], sort.desc), slot);
  }
}

}  // namespace

std::string_view SortOrderName(SortOrder sort) {
  int s = static_cast<int>(sort);
  return s >= 0 && s < kSortOrderCount ? kSortNames[s] : std::string_view("unknown");
}

Result<SortOrder> ParseSortOrder(std::string_view name) {
  for (int s = 0; s < kSortOrderCount; ++s) {
    if (kSortNames[s] == name) return static_cast<SortOrder>(s);
  }
  return Status::InvalidArgument("sort: unknown sort order '" + std::string(name) + "' (one of " +
                                 Join(kSortNames) + ")");
}

ListingIndex::ListingIndex() : lock_(std::make_unique<Lock>()), store_(std::make_unique<Store>()) {}
ListingIndex::~ListingIndex() = default;

Status ListingIndex::Apply(std::vector<ListingChange> changes, uint64_t height) {
  for (const auto& c : changes) {
    if (c.vin.empty()) return Status::InvalidArgument("vin: empty in a listing change");
    if (c.listing && c.listing->vin != c.vin) {
      return Status::InvalidArgument("vin: listing " + c.listing->vin + " filed under " + c.vin);
    }
  }
  std::unique_lock lock(*lock_);
  for (auto& c : changes) {
    if (c.listing) {
      store_->listings.Upsert(*c.listing);
    } else {
      store_->listings.Remove(c.vin);
    }
  }
  store_->height = height;
  return Status::Ok();
}

void ListingIndex::Reset(std::vector<Listing> listings, uint64_t height) {
  // Built aside, swapped in: readers keep the old content until the new one is complete.
  auto fresh = std::make_unique<Store>();
  for (const auto& l : listings) fresh->listings.Upsert(l);
  fresh->height = height;
  {
    std::unique_lock lock(*lock_);
    store_.swap(fresh);
  }
}

Result<SearchPage> ListingIndex::Search(const ListingQuery& q) const {
  CL_RETURN_IF_ERROR(Validate(q));
  const uint64_t fingerprint = Fingerprint(q);
  std::optional<PageCursor> cursor;
  if (!q.page_token.empty()) {
    CL_ASSIGN_OR_RETURN(cursor, DecodePageToken(q.page_token, fingerprint));
  }
  const SortSpec sort = SpecOf(q.sort);
  std::vector<RangeFilter> ranges;
  auto add_range = [&](NumField f, const std::optional<int64_t>& lo,
                       const std::optional<int64_t>& hi) {
    if (lo || hi) {
      ranges.push_back({f, lo.value_or(INT64_MIN), hi.value_or(INT64_MAX)});
    }
  };
  add_range(internal::kYear, q.year_min, q.year_max);
  add_range(internal::kPrice, q.price_min, q.price_max);
  add_range(internal::kOdometer, q.mileage_min, q.mileage_max);

  std::shared_lock lock(*lock_);
  const ListingStore& store = store_->listings;
  SearchPage page;
  page.height = store_->height;
  std::vector<EqFilter> eq;
  const std::pair<CatField, const std::optional<std::string>*> texts[] = {
      {internal::kMake, &q.make},     {internal::kModel, &q.model},
      {internal::kRegion, &q.region}, {internal::kSeller, &q.seller},
      {internal::kFuel, &q.fuel},     {internal::kTransmission, &q.transmission}};
  for (const auto& [field, value] : texts) {
    if (!value->has_value()) continue;
    auto id = store.pool(field).Find(**value);
    if (!id) return page;  // no listing holds this value
    eq.push_back({field, *id});
  }

  // The shortest posting list among the equality filters, if it is short enough.
  const std::vector<uint32_t>* walk = nullptr;
  for (const auto& f : eq) {
    if (f.field >= internal::kPostedFields) continue;
    const auto& list = store.postings(f.field, f.id);
    if (!walk || list.size() < walk->size()) walk = &list;
  }
  if (walk && walk->size() * kGatherRatio > store.slot_end()) walk = nullptr;

  Collector collector(store, static_cast<size_t>(q.page_size), cursor ? &*cursor : nullptr);
  if (walk) {
    WalkPostings(store, *walk, eq, ranges, sort, &collector);
  } else {
    ScanBlocks(store, eq, ranges, sort, &collector);
  }
  page.total = collector.total();
  const bool more = collector.after() > static_cast<uint64_t>(q.page_size);
  auto entries = collector.Take();
  page.listings.reserve(entries.size());
  for (const auto& [key, slot] : entries) page.listings.push_back(store.Materialize(slot));
  if (more && !entries.empty()) {
    page.next_page_token =
        EncodePageToken(fingerprint, PageCursor{entries.back().first, page.listings.back().vin});
  }
  return page;
}

std::optional<Listing> ListingIndex::Get(std::string_view vin) const {
  std::shared_lock lock(*lock_);
  auto slot = store_->listings.SlotOf(vin);
  if (!slot) return std::nullopt;
  return store_->listings.Materialize(*slot);
}

std::vector<Listing> ListingIndex::All() const {
  std::vector<Listing> out;
  {
    std::shared_lock lock(*lock_);
    const ListingStore& store = store_->listings;
    out.reserve(store.size());
    for (uint32_t slot = 0; slot < store.slot_end(); ++slot) {
      if (store.block(slot).alive[slot & (kBlockSlots - 1)]) out.push_back(store.Materialize(slot));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Listing& a, const Listing& b) { return a.vin < b.vin; });
  return out;
}

size_t ListingIndex::size() const {
  std::shared_lock lock(*lock_);
  return store_->listings.size();
}

uint64_t ListingIndex::height() const {
  std::shared_lock lock(*lock_);
  return store_->height;
}

}  // namespace carledger::search
