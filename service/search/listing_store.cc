// Column storage for the listing index: slots, interned strings, posting lists.
#include "service/search/listing_store.h"

#include <cassert>

namespace carledger::search::internal {

namespace {

// 6-bit symbol of one VIN character; 0 is "no character". Digits and capitals map
// one-to-one and keep their order; every other byte maps to the symbol of its gap, which
// keeps the order weakly, so encoding stops after it (see EncodeVin).
uint32_t Symbol(unsigned char c, bool* exact) {
  *exact = true;
  if (c >= '0' && c <= '9') return 2 + (c - '0');
  if (c >= 'A' && c <= 'Z') return 13 + (c - 'A');
  *exact = false;
  if (c < '0') return 1;
  if (c < 'A') return 12;
  return 39;
}

constexpr size_t kCodeChars = 21;  // 21 * 6 = 126 bits

}  // namespace

VinCode EncodeVin(std::string_view vin) {
  unsigned __int128 v = 0;
  bool exact = true;
  for (size_t i = 0; i < kCodeChars; ++i) {
    uint32_t sym = 0;
    if (exact && i < vin.size()) sym = Symbol(static_cast<unsigned char>(vin[i]), &exact);
    v = (v << 6) | sym;
  }
  return VinCode{static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v)};
}

int CompareVin(const VinCode& a, std::string_view a_vin, const VinCode& b, std::string_view b_vin) {
  if (int c = CompareCodes(a, b); c != 0) return c;
  int c = a_vin.compare(b_vin);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

StringPool::StringPool() : names_{""}, refs_{1} {}

uint32_t StringPool::Acquire(std::string_view s) {
  if (s.empty()) return 0;
  auto it = ids_.find(s);
  if (it != ids_.end()) {
    ++refs_[it->second];
    return it->second;
  }
  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
    names_[id] = std::string(s);
    refs_[id] = 1;
  } else {
    id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(s);
    refs_.push_back(1);
  }
  ids_.emplace(names_[id], id);
  return id;
}

void StringPool::Release(uint32_t id) {
  if (id == 0) return;
  assert(refs_[id] > 0);
  if (--refs_[id] > 0) return;
  ids_.erase(names_[id]);
  names_[id].clear();
  names_[id].shrink_to_fit();
  free_.push_back(id);
}

std::optional<uint32_t> StringPool::Find(std::string_view s) const {
  if (s.empty()) return 0u;
  auto it = ids_.find(s);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

ListingStore::ListingStore() = default;
ListingStore::~ListingStore() = default;

const std::vector<uint32_t>& ListingStore::postings(CatField f, uint32_t id) const {
  static const std::vector<uint32_t> kEmpty;
  const auto& lists = postings_[f];
  return id < lists.size() ? lists[id] : kEmpty;
}

uint32_t ListingStore::NewSlot() {
  if (!free_slots_.empty()) {
    uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  if ((slot_end_ >> kBlockBits) >= blocks_.size()) blocks_.push_back(std::make_unique<Block>());
  return slot_end_++;
}

void ListingStore::Fill(uint32_t slot, const Listing& l) {
  Block& b = mutable_block(slot);
  const uint32_t i = slot & (kBlockSlots - 1);
  const std::string_view text[kCatFields] = {l.make, l.model,        l.region, l.seller,
                                             l.fuel, l.transmission, l.colour};
  for (int f = 0; f < kCatFields; ++f) {
    uint32_t id = pools_[f].Acquire(text[f]);
    b.cat[f][i] = id;
    if (f < kFilterFields) b.rows[i].cat[f] = id;
    if (f < kPostedFields) {
      auto& lists = postings_[f];
      if (id >= lists.size()) lists.resize(pools_[f].id_end());
      b.pos[f][i] = static_cast<uint32_t>(lists[id].size());
      lists[id].push_back(slot);
    }
  }
  b.num[kYear][i] = l.year;
  b.num[kPrice][i] = l.price;
  b.num[kOdometer][i] = l.odometer_km;
  b.num[kListedAt][i] = l.listed_at_ms;
  for (int f = 0; f < kNumFields; ++f) b.rows[i].num[f] = b.num[f][i];
  VinCode code = EncodeVin(l.vin);
  b.vin_hi[i] = code.hi;
  b.vin_lo[i] = code.lo;
  b.photo[i] = l.photo;
  b.summary[i] = l.summary;
  b.height[i] = l.height;
  b.event_count[i] = l.event_count;
  b.alive[i] = 1;
}

void ListingStore::Unfill(uint32_t slot) {
  Block& b = mutable_block(slot);
  const uint32_t i = slot & (kBlockSlots - 1);
  for (int f = 0; f < kCatFields; ++f) {
    uint32_t id = b.cat[f][i];
    if (f < kPostedFields) {
      // Swap-remove: the last slot of the list takes this slot's position.
      auto& list = postings_[f][id];
      uint32_t at = b.pos[f][i];
      uint32_t moved = list.back();
      list[at] = moved;
      mutable_block(moved).pos[f][moved & (kBlockSlots - 1)] = at;
      list.pop_back();
      if (list.empty()) list.shrink_to_fit();
    }
    pools_[f].Release(id);
    b.cat[f][i] = 0;
    if (f < kFilterFields) b.rows[i].cat[f] = 0;
  }
  b.photo[i].clear();
  b.alive[i] = 0;
}

void ListingStore::Upsert(const Listing& listing) {
  auto it = by_vin_.find(std::string_view(listing.vin));
  uint32_t slot;
  if (it != by_vin_.end()) {
    slot = it->second;
    Unfill(slot);
  } else {
    slot = NewSlot();
    it = by_vin_.emplace(listing.vin, slot).first;
    mutable_block(slot).vin[slot & (kBlockSlots - 1)] = &it->first;
  }
  Fill(slot, listing);
}

bool ListingStore::Remove(std::string_view vin) {
  auto it = by_vin_.find(vin);
  if (it == by_vin_.end()) return false;
  uint32_t slot = it->second;
  Unfill(slot);
  mutable_block(slot).vin[slot & (kBlockSlots - 1)] = nullptr;
  by_vin_.erase(it);
  free_slots_.push_back(slot);
  return true;
}

void ListingStore::Clear() {
  blocks_.clear();
  free_slots_.clear();
  slot_end_ = 0;
  by_vin_.clear();
  for (auto& p : pools_) p = StringPool();
  for (auto& p : postings_) p.clear();
}

std::optional<uint32_t> ListingStore::SlotOf(std::string_view vin) const {
  auto it = by_vin_.find(vin);
  if (it == by_vin_.end()) return std::nullopt;
  return it->second;
}

Listing ListingStore::Materialize(uint32_t slot) const {
  const Block& b = block(slot);
  const uint32_t i = slot & (kBlockSlots - 1);
  Listing l;
  l.vin = *b.vin[i];
  l.make = pools_[kMake].name(b.cat[kMake][i]);
  l.model = pools_[kModel].name(b.cat[kModel][i]);
  l.year = b.num[kYear][i];
  l.fuel = pools_[kFuel].name(b.cat[kFuel][i]);
  l.transmission = pools_[kTransmission].name(b.cat[kTransmission][i]);
  l.colour = pools_[kColour].name(b.cat[kColour][i]);
  l.region = pools_[kRegion].name(b.cat[kRegion][i]);
  l.price = b.num[kPrice][i];
  l.odometer_km = b.num[kOdometer][i];
  l.seller = pools_[kSeller].name(b.cat[kSeller][i]);
  l.listed_at_ms = b.num[kListedAt][i];
  l.photo = b.photo[i];
  l.summary = b.summary[i];
  l.height = b.height[i];
  l.event_count = b.event_count[i];
  return l;
}

}  // namespace carledger::search::internal
