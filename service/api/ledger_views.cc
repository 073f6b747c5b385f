#include "service/api/ledger_views.h"

#include <cctype>
#include <map>
#include <set>

#include "common/block_format.h"
#include "common/merkle.h"

namespace carledger::api {

namespace {

const std::string kCarPrefix = "c/car_trade/car/";
const std::string kEventPrefix = "c/car_trade/event/";

Result<Json> CarRecord(const Ledger& ledger, const std::string& vin) {
  CL_ASSIGN_OR_RETURN(auto raw, ledger.GetState(kCarPrefix + vin));
  if (!raw) return Status::NotFound("vin: no car with VIN " + vin + " is registered");
  return Json::Parse(*raw);
}

// The Merkle path of transaction `index` among `leaves` (the block's leaf hashes).
void Prove(const std::vector<Bytes>& leaves, uint32_t index,
           google::protobuf::RepeatedPtrField<std::string>* path) {
  auto proof = MakeMerkleProof(leaves, index);
  if (!proof.ok()) return;
  for (auto& p : proof->path) *path->Add() = std::move(p);
}

std::vector<Bytes> LeafHashes(const ledger::Block& block) {
  std::vector<Bytes> leaves;
  leaves.reserve(static_cast<size_t>(block.transactions_size()));
  for (const auto& tx : block.transactions()) leaves.push_back(TxLeafHash(tx));
  return leaves;
}

}  // namespace

Result<std::string> NormaliseVin(const std::string& vin) {
  if (vin.size() != 17)
    return Status::InvalidArgument("vin: must be 17 characters, got " + std::to_string(vin.size()));
  std::string out = vin;
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q');
    if (!ok) return Status::InvalidArgument("vin: only A-Z (not I, O, Q) and 0-9 are allowed");
  }
  return out;
}

v1::ListingSummary SummaryFromCar(const Json& car) {
  v1::ListingSummary s;
  s.set_vin(car.get_string("vin"));
  s.set_make(car.get_string("make"));
  s.set_model(car.get_string("model"));
  s.set_year(static_cast<int32_t>(car.get_int("year")));
  s.set_fuel(car.get_string("fuel"));
  s.set_transmission(car.get_string("transmission"));
  s.set_colour(car.get_string("colour"));
  s.set_region(car.get_string("region"));
  s.set_price(car.get_int("price"));
  s.set_odometer_km(car.get_int("odometer_km"));
  s.set_seller(car.get_string("owner"));
  const Json& photos = car.get("photos");
  if (photos.is_array() && !photos.as_array().empty() && photos.as_array().front().is_string())
    s.set_thumbnail(photos.as_array().front().as_string());
  const Json& summary = car.get("summary");
  s.set_accidents(static_cast<int32_t>(summary.get_int("accidents")));
  s.set_flood(summary.get_bool("flood"));
  s.set_rollback(summary.get_bool("rollback"));
  s.set_fraud(summary.get_bool("fraud"));
  s.set_inspections(static_cast<int32_t>(summary.get_int("inspections")));
  const Json& history = car.get("price_history");
  if (history.is_array() && !history.as_array().empty())
    s.set_listed_ms(history.as_array().back().get_int("at"));
  return s;
}

Result<v1::Car> ReadCar(const Ledger& ledger, const std::string& vin) {
  CL_ASSIGN_OR_RETURN(Json car, CarRecord(ledger, vin));
  v1::Car out;
  out.set_vin(vin);
  out.set_record_json(car.Dump());
  if (car.get_string("status") == "listed") *out.mutable_listing() = SummaryFromCar(car);
  out.set_height(ledger.height());
  return out;
}

Result<v1::ValidatorSetAt> ReadValidatorSet(const Ledger& ledger, uint64_t height) {
  CL_ASSIGN_OR_RETURN(auto set, ledger.ValidatorsFor(height));
  CL_ASSIGN_OR_RETURN(auto all, ledger.AllValidators());
  v1::ValidatorSetAt out;
  uint64_t k = ledger.epoch_blocks();
  out.set_from_height(height == 0 ? 0 : EpochBoundary(height, k) + 1);
  for (const auto& [id, key] : set) {
    auto it = all.find(id);
    if (it == all.end()) return Status::Internal("validator " + id + " has no record");
    CL_ASSIGN_OR_RETURN(Bytes der, FromHex(it->second.first.get_string("cert")));
    out.add_certificates_der(der);
  }
  return out;
}

Result<v1::CarHistory> ReadCarHistory(const Ledger& ledger, const std::string& vin,
                                      const std::set<std::string>* types) {
  CL_ASSIGN_OR_RETURN(Json car, CarRecord(ledger, vin));
  v1::CarHistory out;
  out.set_vin(vin);
  out.set_car_json(car.Dump());
  std::string prefix = kEventPrefix + vin + "/";
  std::string end = kEventPrefix + vin + "0";     // '/' + 1
  std::map<uint64_t, ledger::Block> blocks;       // height -> block (read once)
  std::map<uint64_t, std::vector<Bytes>> leaves;  // and their leaf hashes (hashed once)
  std::string start = prefix;
  while (true) {
    CL_ASSIGN_OR_RETURN(auto rows, ledger.RangeState(start, end, 500));
    for (auto& [key, value] : rows) {
      CL_ASSIGN_OR_RETURN(Json ev, Json::Parse(value));
      if (types && !types->count(ev.get_string("type"))) continue;
      CL_ASSIGN_OR_RETURN(Bytes tx_id, FromHex(ev.get_string("tx_id")));
      CL_ASSIGN_OR_RETURN(auto loc, ledger.FindTx(tx_id));
      if (!loc) return Status::Internal("event " + key + " names an unknown transaction");
      auto it = blocks.find(loc->height);
      if (it == blocks.end()) {
        CL_ASSIGN_OR_RETURN(auto block, ledger.GetBlock(loc->height));
        it = blocks.emplace(loc->height, std::move(block)).first;
        leaves[loc->height] = LeafHashes(it->second);
      }
      const ledger::Block& block = it->second;
      if (loc->tx_index >= static_cast<uint32_t>(block.transactions_size()))
        return Status::DataLoss("block " + std::to_string(loc->height) +
                                " is shorter than its index");
      auto* pe = out.add_events();
      pe->set_seq(static_cast<uint64_t>(ev.get_int("seq")));
      pe->set_event_json(value);
      *pe->mutable_transaction() = block.transactions(static_cast<int>(loc->tx_index));
      *pe->mutable_result() = block.results(static_cast<int>(loc->tx_index));
      pe->set_tx_index(loc->tx_index);
      pe->set_block_height(loc->height);
      pe->set_tx_count(static_cast<uint64_t>(block.transactions_size()));
      Prove(leaves[loc->height], loc->tx_index, pe->mutable_merkle_path());
    }
    if (rows.size() < 500) break;
    start = rows.back().first + std::string(1, '\0');
  }
  std::set<uint64_t> epochs;
  uint64_t k = ledger.epoch_blocks();
  for (auto& [height, block] : blocks) {
    ledger::Block header;
    *header.mutable_header() = block.header();
    *header.mutable_results() = block.results();
    *header.mutable_certificate() = block.certificate();
    *out.add_headers() = std::move(header);
    uint64_t epoch = EpochBoundary(height, k);
    if (epochs.insert(epoch).second) {
      CL_ASSIGN_OR_RETURN(*out.add_validator_sets(), ReadValidatorSet(ledger, height));
    }
  }
  return out;
}

Result<v1::TransactionDetail> ReadTransaction(const Ledger& ledger, const Bytes& tx_id) {
  CL_ASSIGN_OR_RETURN(auto loc, ledger.FindTx(tx_id));
  if (!loc) return Status::NotFound("tx_id: no transaction " + ToHex(tx_id) + " on the ledger");
  CL_ASSIGN_OR_RETURN(auto block, ledger.GetBlock(loc->height));
  if (loc->tx_index >= static_cast<uint32_t>(block.transactions_size()))
    return Status::DataLoss("block " + std::to_string(loc->height) + " is shorter than its index");
  v1::TransactionDetail out;
  *out.mutable_transaction() = block.transactions(static_cast<int>(loc->tx_index));
  *out.mutable_result() = block.results(static_cast<int>(loc->tx_index));
  out.set_height(loc->height);
  out.set_index(loc->tx_index);
  out.set_tx_count(static_cast<uint64_t>(block.transactions_size()));
  Prove(LeafHashes(block), loc->tx_index, out.mutable_merkle_path());
  return out;
}

}  // namespace carledger::api
