// The storage behind ListingIndex (not part of its interface): listings kept column by
// column in fixed blocks of slots, so a query can evaluate one filter over thousands of
// listings with a tight loop over one array, plus interned strings and posting lists for
// the equality filters. Not thread-safe: ListingIndex serialises writers and readers.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "service/search/listing_index.h"

namespace carledger::search::internal {

// Text fields held as interned ids. The first kPostedFields have posting lists; the first
// kFilterFields can be filtered on.
enum CatField : int { kMake, kModel, kRegion, kSeller, kFuel, kTransmission, kColour };
inline constexpr int kCatFields = 7;
inline constexpr int kPostedFields = 4;
inline constexpr int kFilterFields = 6;

// Integer fields a query filters or sorts on.
enum NumField : int { kYear, kPrice, kOdometer, kListedAt };
inline constexpr int kNumFields = 4;

inline constexpr uint32_t kBlockBits = 12;
inline constexpr uint32_t kBlockSlots = 1u << kBlockBits;

// An order-preserving 126-bit prefix code of a VIN: a < b implies Code(a) <= Code(b), and
// for VINs of up to 21 characters from 0-9A-Z the code is exact. Equal codes fall back
// to comparing the strings, so comparisons stay cheap without losing exactness.
struct VinCode {
  uint64_t hi = 0;
  uint64_t lo = 0;
};
VinCode EncodeVin(std::string_view vin);
// Three-way comparison of two codes: -1, 0 (compare the VINs themselves) or 1.
inline int CompareCodes(const VinCode& a, const VinCode& b) {
  if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
  if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
  return 0;
}
// Three-way comparison of (code, vin) pairs: negative, zero or positive.
int CompareVin(const VinCode& a, std::string_view a_vin, const VinCode& b, std::string_view b_vin);

// Heterogeneous hash for maps keyed by std::string and looked up by std::string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// Strings interned to small ids, reference counted. Id 0 is "" and is never released.
class StringPool {
 public:
  StringPool();
  // The id of `s`, one more reference.
  uint32_t Acquire(std::string_view s);
  // Drops one reference; the id is reused once none is left.
  void Release(uint32_t id);
  // The id of `s` if any listing holds it.
  std::optional<uint32_t> Find(std::string_view s) const;
  const std::string& name(uint32_t id) const { return names_[id]; }
  // One past the largest id handed out.
  uint32_t id_end() const { return static_cast<uint32_t>(names_.size()); }

 private:
  std::vector<std::string> names_;
  std::vector<uint32_t> refs_;
  std::vector<uint32_t> free_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> ids_;
};

// Every field a query filters or sorts on, of one slot, in one cache line: a posting-list
// walk reads one line per candidate where the columns would cost one per field.
struct alignas(64) Row {
  uint32_t cat[kFilterFields];
  int64_t num[kNumFields];
};

// kBlockSlots listings, column by column (for scans) and row by row (for posting-list
// walks). alive[i] is 1 for a slot holding a listing.
struct Block {
  Row rows[kBlockSlots];
  uint8_t alive[kBlockSlots];
  uint32_t cat[kCatFields][kBlockSlots];
  int64_t num[kNumFields][kBlockSlots];
  uint64_t vin_hi[kBlockSlots];
  uint64_t vin_lo[kBlockSlots];
  // Position of the slot in each posting list it is on.
  uint32_t pos[kPostedFields][kBlockSlots];
  // Cold fields: read only to build results.
  const std::string* vin[kBlockSlots];  // the key in ListingStore's VIN map
  std::string photo[kBlockSlots];
  ListingSummary summary[kBlockSlots];
  uint64_t height[kBlockSlots];
  int64_t event_count[kBlockSlots];
};

class ListingStore {
 public:
  ListingStore();
  ~ListingStore();

  // Inserts `listing`, or replaces the one with its VIN.
  void Upsert(const Listing& listing);
  // Removes the listing of `vin`; false if there is none.
  bool Remove(std::string_view vin);
  void Clear();

  std::optional<uint32_t> SlotOf(std::string_view vin) const;
  // The listing in a live slot.
  Listing Materialize(uint32_t slot) const;
  const std::string& VinAt(uint32_t slot) const {
    return *block(slot).vin[slot & (kBlockSlots - 1)];
  }
  VinCode CodeAt(uint32_t slot) const {
    const Block& b = block(slot);
    return VinCode{b.vin_hi[slot & (kBlockSlots - 1)], b.vin_lo[slot & (kBlockSlots - 1)]};
  }
  const Row& RowAt(uint32_t slot) const { return block(slot).rows[slot & (kBlockSlots - 1)]; }

  size_t size() const { return by_vin_.size(); }
  // Slots in use are below slot_end().
  uint32_t slot_end() const { return slot_end_; }
  size_t block_count() const { return blocks_.size(); }
  const Block& block_at(size_t b) const { return *blocks_[b]; }
  const Block& block(uint32_t slot) const { return *blocks_[slot >> kBlockBits]; }
  const StringPool& pool(CatField f) const { return pools_[f]; }
  // Slots whose field `f` (< kPostedFields) has id `id`, in no particular order.
  const std::vector<uint32_t>& postings(CatField f, uint32_t id) const;

 private:
  void Fill(uint32_t slot, const Listing& l);
  void Unfill(uint32_t slot);
  uint32_t NewSlot();
  Block& mutable_block(uint32_t slot) { return *blocks_[slot >> kBlockBits]; }

  std::vector<std::unique_ptr<Block>> blocks_;
  std::vector<uint32_t> free_slots_;
  uint32_t slot_end_ = 0;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> by_vin_;
  std::array<StringPool, kCatFields> pools_;
  std::array<std::vector<std::vector<uint32_t>>, kPostedFields> postings_;
};

}  // namespace carledger::search::internal
