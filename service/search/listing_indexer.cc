// Listing index maintenance from the ledger (see listing_indexer.h).
#include "service/search/listing_indexer.h"

#include <cstdio>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/crypto.h"
#include "common/json.h"

namespace carledger::search {

namespace {

constexpr char kEventKeyPrefix[] = "c/car_trade/event/";
constexpr size_t kRebuildBatch = 1024;

// Raw tx id -> height, for the transactions of the block being applied.
using TxHeights = std::unordered_map<std::string, uint64_t>;

struct CarRecord {
  Listing listing;
  std::string last_tx;  // hex
  int64_t registered_at = 0;
};

Status BadRecord(const std::string& what) {
  return Status::InvalidArgument("car record: " + what);
}

// A listed car's record; nullopt when it is not listed.
Result<std::optional<CarRecord>> ParseRecord(const Json& car) {
  if (!car.is_object()) return BadRecord("not an object");
  if (car.get_string("status") != "listed") return std::optional<CarRecord>();
  for (const char* f : {"vin", "make", "model", "fuel", "transmission", "owner"}) {
    if (!car.get(f).is_string()) return BadRecord(std::string(f) + " missing");
  }
  for (const char* f : {"year", "price", "odometer_km", "event_count"}) {
    if (!car.get(f).is_int()) return BadRecord(std::string(f) + " missing");
  }
  CarRecord r;
  Listing& l = r.listing;
  l.vin = car.get_string("vin");
  l.make = car.get_string("make");
  l.model = car.get_string("model");
  l.year = car.get_int("year");
  l.fuel = car.get_string("fuel");
  l.transmission = car.get_string("transmission");
  l.colour = car.get_string("colour");
  l.region = car.get_string("region");
  l.price = car.get_int("price");
  l.odometer_km = car.get_int("odometer_km");
  l.seller = car.get_string("owner");
  const Json& photos = car.get("photos");
  if (photos.is_array() && !photos.as_array().empty() && photos.as_array()[0].is_string()) {
    l.photo = photos.as_array()[0].as_string();
  }
  const Json& s = car.get("summary");
  l.summary.accidents = s.get_int("accidents");
  l.summary.flood = s.get_bool("flood");
  l.summary.rollback = s.get_bool("rollback");
  l.summary.fraud = s.get_bool("fraud");
  l.summary.inspections = s.get_int("inspections");
  l.event_count = car.get_int("event_count");
  r.last_tx = car.get_string("last_tx");
  r.registered_at = car.get_int("registered_at");
  return std::optional<CarRecord>(std::move(r));
}

std::string EventKey(const std::string& vin, int64_t seq) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "/%08lld", static_cast<long long>(seq));
  return kEventKeyPrefix + vin + digits;
}

// The time of the car's latest `listed` event. Events up to previous->event_count were
// already searched when `previous` was indexed, so only later ones are read.
Result<int64_t> FindListedAt(const Ledger& ledger, const CarRecord& r, const Listing* previous) {
  const Listing& l = r.listing;
  int64_t stop = 1;
  if (previous && previous->event_count <= l.event_count) stop = previous->event_count + 1;
  for (int64_t seq = l.event_count; seq >= stop; --seq) {
    CL_ASSIGN_OR_RETURN(auto raw, ledger.GetState(EventKey(l.vin, seq)));
    if (!raw) {
      return Status::Internal("car " + l.vin + ": event " + std::to_string(seq) + " is missing");
    }
    CL_ASSIGN_OR_RETURN(Json ev, Json::Parse(*raw));
    if (ev.get_string("type") == "listed") return ev.get_int("at");
  }
  if (previous && stop > 1) return previous->listed_at_ms;
  // A listed car always has a `listed` event; should a record ever lack one, the
  // registration time is the best bound there is.
  return r.registered_at;
}

// The block that last changed the car: the one holding its last_tx.
Result<uint64_t> FindHeight(const Ledger& ledger, const CarRecord& r, const TxHeights* block) {
  auto id = FromHex(r.last_tx);
  if (!id.ok()) return Status::Internal("car " + r.listing.vin + ": last_tx is not hex");
  if (block) {
    auto it = block->find(*id);
    if (it != block->end()) return it->second;
  }
  CL_ASSIGN_OR_RETURN(auto loc, ledger.FindTx(*id));
  if (!loc) {
    return Status::Internal("car " + r.listing.vin + ": last_tx " + r.last_tx +
                            " is not in the transaction index");
  }
  return loc->height;
}

Result<std::optional<Listing>> Complete(const Ledger& ledger, const Json& car,
                                        const Listing* previous, const TxHeights* block) {
  CL_ASSIGN_OR_RETURN(auto rec, ParseRecord(car));
  if (!rec) return std::optional<Listing>();
  CL_ASSIGN_OR_RETURN(rec->listing.listed_at_ms, FindListedAt(ledger, *rec, previous));
  CL_ASSIGN_OR_RETURN(rec->listing.height, FindHeight(ledger, *rec, block));
  return std::optional<Listing>(std::move(rec->listing));
}

Result<std::optional<Listing>> ReadListingIn(const Ledger& ledger, const std::string& vin,
                                             const Listing* previous, const TxHeights* block) {
  CL_ASSIGN_OR_RETURN(auto raw, ledger.GetState(kCarKeyPrefix + vin));
  if (!raw) return std::optional<Listing>();
  CL_ASSIGN_OR_RETURN(Json car, Json::Parse(*raw));
  auto listing = Complete(ledger, car, previous, block);
  if (!listing.ok()) return listing.status().WithContext("car " + vin);
  return listing;
}

}  // namespace

Result<std::optional<Listing>> ParseCarRecord(std::string_view json) {
  CL_ASSIGN_OR_RETURN(Json car, Json::Parse(json));
  CL_ASSIGN_OR_RETURN(auto rec, ParseRecord(car));
  if (!rec) return std::optional<Listing>();
  return std::optional<Listing>(std::move(rec->listing));
}

Result<std::optional<Listing>> ReadListing(const Ledger& ledger, const std::string& vin,
                                           const Listing* previous, const ledger::Block* block) {
  if (!block) return ReadListingIn(ledger, vin, previous, nullptr);
  TxHeights heights;
  for (const auto& r : block->results()) heights.emplace(r.tx_id(), block->header().height());
  return ReadListingIn(ledger, vin, previous, &heights);
}

Status ListingIndexer::Rebuild(const Ledger& ledger) {
  // Blocks committed while this runs are applied later by OnBlock / CatchUp.
  const uint64_t height = ledger.height();
  const std::string prefix = kCarKeyPrefix;
  const std::string end = prefix.substr(0, prefix.size() - 1) + static_cast<char>('/' + 1);
  std::vector<Listing> listings;
  std::string start = prefix;
  for (;;) {
    CL_ASSIGN_OR_RETURN(auto rows, ledger.RangeState(start, end, kRebuildBatch));
    for (const auto& [key, value] : rows) {
      auto car = Json::Parse(value);
      if (!car.ok()) return car.status().WithContext(key);
      auto listing = Complete(ledger, *car, nullptr, nullptr);
      if (!listing.ok()) return listing.status().WithContext(key);
      if (*listing) listings.push_back(std::move(**listing));
    }
    if (rows.size() < kRebuildBatch) break;
    start = rows.back().first + '\0';
  }
  index_->Reset(std::move(listings), height);
  return Status::Ok();
}

Status ListingIndexer::OnBlock(const ledger::Block& block, const Ledger& ledger) {
  const uint64_t h = block.header().height();
  if (h < index_->height()) return Status::Ok();
  while (index_->height() < h) {
    CL_ASSIGN_OR_RETURN(auto missed, ledger.GetBlock(index_->height()));
    CL_RETURN_IF_ERROR(ApplyBlock(missed, ledger));
  }
  return ApplyBlock(block, ledger);
}

Status ListingIndexer::CatchUp(const Ledger& ledger) {
  while (index_->height() < ledger.height()) {
    CL_ASSIGN_OR_RETURN(auto block, ledger.GetBlock(index_->height()));
    CL_RETURN_IF_ERROR(ApplyBlock(block, ledger));
  }
  return Status::Ok();
}

Status ListingIndexer::ApplyBlock(const ledger::Block& block, const Ledger& ledger) {
  std::set<std::string> vins;
  TxHeights heights;
  for (const auto& r : block.results()) {
    if (r.code() != ledger::VALID) continue;
    heights.emplace(r.tx_id(), block.header().height());
    for (const auto& ev : r.events()) {
      // A car just registered is not listed (its listing, if in this block too, has its
      // own `listed` event): skip the most common event without parsing it.
      if (ev.name() == "registered") continue;
      auto payload = Json::Parse(ev.payload());
      if (!payload.ok()) continue;  // not a car event
      const Json& vin = payload->get("vin");
      if (vin.is_string() && !vin.as_string().empty()) vins.insert(vin.as_string());
    }
  }
  std::vector<ListingChange> changes;
  changes.reserve(vins.size());
  for (const auto& vin : vins) {
    std::optional<Listing> previous = index_->Get(vin);
    CL_ASSIGN_OR_RETURN(auto listing,
                        ReadListingIn(ledger, vin, previous ? &*previous : nullptr, &heights));
    if (!listing && !previous) continue;
    changes.push_back(ListingChange{vin, std::move(listing)});
  }
  return index_->Apply(std::move(changes), block.header().height() + 1);
}

}  // namespace carledger::search
