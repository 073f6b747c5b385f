// Keeps a ListingIndex in step with the node's own Ledger: a full rebuild from the world
// state at open, then one incremental update per committed block.
//
// Which cars a block changed: every change to a car record is a car event, and the
// car_trade contract emits each car event as a ledger event whose payload names the VIN
// (contracts/car_trade/API.md, "Ledger events"). The block's results carry those events,
// so the indexer re-reads exactly the cars they name; nothing else in the block can change
// a car. Re-reading (rather than replaying the event) makes every update idempotent and
// gives a listing exactly the fields a rebuild derives from the same record:
//   listed_at   the time of the car's latest `listed` event (a relist after a cancelled
//               escrow keeps it; a reprice does not move a car to the top of "newest");
//   height      the block of the car's last_tx.
// The indexer must be the index's only writer.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "ledger/ledger.h"
#include "service/search/listing_index.h"

namespace carledger::search {

// World-state key prefix of car records.
inline constexpr char kCarKeyPrefix[] = "c/car_trade/car/";

class ListingIndexer {
 public:
  // `index` must outlive the indexer.
  explicit ListingIndexer(ListingIndex* index) : index_(index) {}

  // Replaces the index with every listed car in `ledger`'s state; height = ledger.height().
  Status Rebuild(const Ledger& ledger);

  // Applies committed `block` (call after Ledger::Commit, blocks in order). A block the
  // index already reflects is ignored; blocks missed before it are read from `ledger` and
  // applied first. Cars are read from the ledger's current state, so calling it late (the
  // ledger already further on) is fine: later blocks re-read the cars they change.
  Status OnBlock(const ledger::Block& block, const Ledger& ledger);

  // Applies every committed block the index does not reflect yet.
  Status CatchUp(const Ledger& ledger);

 private:
  Status ApplyBlock(const ledger::Block& block, const Ledger& ledger);

  ListingIndex* index_;
};

// The listing of `vin` as `ledger`'s current state has it, or nullopt when the car is not
// listed (or unknown). `previous` (the index's current listing of that VIN, if any) lets
// listed_at be found by reading only the events after it; `block` (if given) resolves a
// last_tx from that block without a lookup.
Result<std::optional<Listing>> ReadListing(const Ledger& ledger, const std::string& vin,
                                           const Listing* previous = nullptr,
                                           const ledger::Block* block = nullptr);

// A listing from a car record (JSON text). listed_at_ms and height are left 0 for the
// caller; nullopt when the car is not listed. INVALID_ARGUMENT when the record is not a
// car record.
Result<std::optional<Listing>> ParseCarRecord(std::string_view json);

}  // namespace carledger::search
