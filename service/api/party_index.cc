#include "service/api/party_index.h"

#include <charconv>

#include "common/json.h"
#include "service/store/password.h"

namespace carledger::api {

namespace {

const std::string kEscrowPrefix = "c/car_trade/escrow/";
const std::string kChargePrefix = "c/car_trade/charge/";
const std::string kCarPrefix = "c/car_trade/car/";

// Every record under `prefix`, in key order.
Status ScanRecords(const Ledger& ledger, const std::string& prefix,
                   const std::function<void(const Json&)>& fn) {
  const std::string end = prefix.substr(0, prefix.size() - 1) + static_cast<char>('/' + 1);
  std::string start = prefix;
  constexpr size_t kBatch = 1000;
  for (;;) {
    CL_ASSIGN_OR_RETURN(auto rows, ledger.RangeState(start, end, kBatch));
    for (const auto& [key, value] : rows) {
      auto record = Json::Parse(value);
      if (!record.ok()) return record.status().WithContext(key);
      fn(*record);
    }
    if (rows.size() < kBatch) return Status::Ok();
    start = rows.back().first + '\0';
  }
}

Result<std::optional<Json>> ReadRecord(const Ledger& ledger, const std::string& key) {
  CL_ASSIGN_OR_RETURN(auto raw, ledger.GetState(key));
  if (!raw) return std::optional<Json>();
  CL_ASSIGN_OR_RETURN(Json j, Json::Parse(*raw));
  return std::optional<Json>(std::move(j));
}

// Page tokens: base64url of "<negated time> <id>", the last key of the previous page.
std::string TokenOf(const std::pair<int64_t, std::string>& key) {
  return store::Base64Encode(std::to_string(key.first) + " " + key.second, /*url=*/true);
}

Result<std::pair<int64_t, std::string>> KeyOf(const std::string& token) {
  auto bad = Status::InvalidArgument("page_token: invalid; use the token of the previous page");
  auto raw = store::Base64Decode(token, /*url=*/true);
  if (!raw.ok()) return bad;
  size_t space = raw->find(' ');
  if (space == std::string::npos) return bad;
  int64_t t = 0;
  auto [p, ec] = std::from_chars(raw->data(), raw->data() + space, t);
  if (ec != std::errc() || p != raw->data() + space) return bad;
  return std::make_pair(t, raw->substr(space + 1));
}

Result<int> PageSize(int n) {
  if (n == 0) return 20;
  if (n < 1 || n > 100) return Status::InvalidArgument("page_size: must be between 1 and 100");
  return n;
}

template <typename Pred>
Result<IdPage> PageOf(const std::set<std::pair<int64_t, std::string>>& keys, int page_size,
                      const std::string& token, Pred keep) {
  CL_ASSIGN_OR_RETURN(int size, PageSize(page_size));
  auto it = keys.begin();
  if (!token.empty()) {
    CL_ASSIGN_OR_RETURN(auto after, KeyOf(token));
    it = keys.upper_bound(after);
  }
  IdPage page;
  for (; it != keys.end(); ++it) {
    if (!keep(it->second)) continue;
    if (static_cast<int>(page.ids.size()) == size) {
      // Keys between the last one returned and `it` were all skipped, so resuming after
      // the one just before `it` loses nothing.
      page.next_page_token = TokenOf(*std::prev(it));
      break;
    }
    page.ids.push_back(it->second);
  }
  return page;
}

// A page of one wallet's ids in `by_wallet` (none when the wallet has none).
Result<IdPage> PageOfWallet(
    const std::map<std::string, std::set<std::pair<int64_t, std::string>>>& by_wallet,
    const std::string& wallet, int page_size, const std::string& page_token) {
  static const std::set<std::pair<int64_t, std::string>> kNone;
  auto it = by_wallet.find(wallet);
  return PageOf(it == by_wallet.end() ? kNone : it->second, page_size, page_token,
                [](const std::string&) { return true; });
}

}  // namespace

void PartyIndex::AddEscrow(const Json& e) {
  std::string id = e.get_string("id");
  if (id.empty() || !escrows_.insert(id).second) return;
  Key key{-e.get_int("opened_at"), id};
  for (const char* party : {"buyer", "seller"}) {
    std::string wallet = e.get_string(party);
    if (!wallet.empty()) trades_by_wallet_[wallet].insert(key);
  }
}

void PartyIndex::SetCharge(const Json& c) {
  std::string id = c.get_string("id");
  if (id.empty()) return;
  Charge& charge = charges_[id];
  charge.requester = c.get_string("requester");
  charge.status = c.get_string("status");
  charge.at = c.get_int("requested_at");
  all_charges_.insert({-charge.at, id});
}

void PartyIndex::SetOwner(const Json& car) {
  SetOwner(car.get_string("vin"), car.get_string("owner"));
}

void PartyIndex::SetOwner(const std::string& vin, const std::string& owner) {
  if (vin.empty()) return;
  auto [it, fresh] = owner_of_.try_emplace(vin, owner);
  if (!fresh) {
    if (it->second == owner) return;
    auto& previous = cars_by_owner_[it->second];
    previous.erase({0, vin});
    if (previous.empty()) cars_by_owner_.erase(it->second);
    it->second = owner;
  }
  if (!owner.empty()) cars_by_owner_[owner].insert({0, vin});
}

Status PartyIndex::Rebuild(const Ledger& ledger) {
  std::lock_guard lock(mu_);
  trades_by_wallet_.clear();
  escrows_.clear();
  charges_.clear();
  all_charges_.clear();
  owner_of_.clear();
  cars_by_owner_.clear();
  CL_RETURN_IF_ERROR(ScanRecords(ledger, kEscrowPrefix, [&](const Json& e) { AddEscrow(e); }));
  CL_RETURN_IF_ERROR(ScanRecords(ledger, kCarPrefix, [&](const Json& c) { SetOwner(c); }));
  return ScanRecords(ledger, kChargePrefix, [&](const Json& c) { SetCharge(c); });
}

Status PartyIndex::OnBlock(const ledger::Block& block, const Ledger& ledger) {
  for (const auto& r : block.results()) {
    if (r.code() != ledger::VALID) continue;
    for (const auto& ev : r.events()) {
      const std::string& name = ev.name();
      bool escrow = name == "escrow_opened";
      bool charge =
          name == "charge_requested" || name == "charge_approved" || name == "charge_declined";
      bool owner = name == "registered" || name == "sold";
      if (!escrow && !charge && !owner) continue;
      auto payload = Json::Parse(ev.payload());
      if (!payload.ok()) continue;
      if (owner) {
        const std::string vin = payload->get_string("vin");
        if (vin.empty()) continue;
        // A registration names its owner: the registering party, in the event. (A sale of
        // the car later in this block has its own event, handled after this one.) Reading
        // the whole car record back for it was half this index's time in a catch-up.
        if (name == "registered") {
          const std::string registrant = payload->get("data").get_string("owner");
          if (!registrant.empty()) {
            std::lock_guard lock(mu_);
            SetOwner(vin, registrant);
            continue;
          }
        }
        // A sale: the car's owner as the ledger has it now (a later event in this block may
        // have moved it again: the record is the last word).
        CL_ASSIGN_OR_RETURN(auto car, ReadRecord(ledger, kCarPrefix + vin));
        if (!car) continue;
        std::lock_guard lock(mu_);
        SetOwner(*car);
        continue;
      }
      // Records are read back from the state: the parties and times never change after
      // opening, and a charge's status is whatever the ledger says now.
      std::string id =
          escrow ? payload->get("data").get_string("escrow_id") : payload->get_string("charge_id");
      if (id.empty()) continue;
      CL_ASSIGN_OR_RETURN(auto record,
                          ReadRecord(ledger, (escrow ? kEscrowPrefix : kChargePrefix) + id));
      if (!record) continue;
      std::lock_guard lock(mu_);
      if (escrow) {
        AddEscrow(*record);
      } else {
        SetCharge(*record);
      }
    }
  }
  return Status::Ok();
}

Result<IdPage> PartyIndex::Trades(const std::string& wallet, int page_size,
                                  const std::string& page_token) const {
  std::lock_guard lock(mu_);
  return PageOfWallet(trades_by_wallet_, wallet, page_size, page_token);
}

Result<IdPage> PartyIndex::Cars(const std::string& wallet, int page_size,
                                const std::string& page_token) const {
  std::lock_guard lock(mu_);
  return PageOfWallet(cars_by_owner_, wallet, page_size, page_token);
}

Result<IdPage> PartyIndex::Charges(const std::string& wallet, const std::string& status,
                                   int page_size, const std::string& page_token) const {
  if (!status.empty() && status != "pending" && status != "approved" && status != "declined")
    return Status::InvalidArgument("status: must be pending, approved or declined");
  std::lock_guard lock(mu_);
  return PageOf(all_charges_, page_size, page_token, [&](const std::string& id) {
    const Charge& c = charges_.at(id);
    return (wallet.empty() || c.requester == wallet) && (status.empty() || c.status == status);
  });
}

}  // namespace carledger::api
