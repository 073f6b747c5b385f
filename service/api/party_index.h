// Which trades, wallet charges and cars concern whom, kept in memory from the node's own ledger
// (like the search index), so "my trades" and the charge approval queue are a lookup, not
// a scan of every escrow on the ledger. Rebuilt from the world state at start, then kept in
// step block by block from the contract's events (escrow_opened, charge_requested,
// charge_approved, charge_declined; registered and sold for who owns which car). Records themselves
// are read from the ledger when a page is served; the index only orders ids. Thread-safe: one
// writer (the block listener), many readers.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "ledger/ledger.h"

namespace carledger::api {

struct IdPage {
  std::vector<std::string> ids;  // newest first
  std::string next_page_token;   // "": no more
};

class PartyIndex {
 public:
  // Replaces the index with every escrow and charge in `ledger`'s state.
  Status Rebuild(const Ledger& ledger);
  // Applies a committed block (idempotent: an id already known only updates its status).
  Status OnBlock(const ledger::Block& block, const Ledger& ledger);

  // The escrows where `wallet` is buyer or seller, newest first. page_size 1..100 (0: 20);
  // INVALID_ARGUMENT for a bad page token.
  Result<IdPage> Trades(const std::string& wallet, int page_size,
                        const std::string& page_token) const;
  // Charges requested by `wallet` ("" for everyone's), with `status` ("" for any: pending,
  // approved, declined), newest first.
  Result<IdPage> Charges(const std::string& wallet, const std::string& status, int page_size,
                         const std::string& page_token) const;
  // The VINs of the cars `wallet` owns, in VIN order (ids of the page).
  Result<IdPage> Cars(const std::string& wallet, int page_size,
                      const std::string& page_token) const;

 private:
  using Key = std::pair<int64_t, std::string>;  // (-time, id): newest first in a std::set
  struct Charge {
    std::string requester;
    std::string status;
    int64_t at = 0;
  };
  void AddEscrow(const Json& record);
  void SetCharge(const Json& record);
  void SetOwner(const Json& car);
  void SetOwner(const std::string& vin, const std::string& owner);

  mutable std::mutex mu_;
  std::map<std::string, std::set<Key>> trades_by_wallet_;
  std::set<std::string> escrows_;
  std::map<std::string, Charge> charges_;  // id -> charge
  std::set<Key> all_charges_;
  std::map<std::string, std::string> owner_of_;         // vin -> wallet
  std::map<std::string, std::set<Key>> cars_by_owner_;  // wallet -> {(0, vin)}
};

}  // namespace carledger::api
