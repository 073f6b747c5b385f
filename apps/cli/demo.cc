// carledger demo: the end-to-end trade on a network made by init-network, through the
// ledger and the car_trade contract, each step signed by the party who makes it:
// an agency is certified, a buyer's wallet is charged, a seller registers and lists a
// car, the agency inspects it, the buyer opens escrow, the seller hands over, the buyer
// confirms. Then the car's history is printed with every event checked: Merkle
// inclusion in its block, the block's commit certificate, the signer's signature, and
// the chain of events.
#include <cstdio>

#include "apps/cli/cli_common.h"
#include "common/block_format.h"
#include "contracts/samples.h"
#include "ledger/ledger.h"
#include "ledger/solo_orderer.h"

namespace carledger::cli {
namespace {

class DemoRun {
 public:
  DemoRun(NetworkDir net, std::unique_ptr<Ledger> ledger)
      : net_(std::move(net)), ledger_(std::move(ledger)) {
    std::vector<PrivateKey> keys;
    for (const auto& v : net_.ids.validators) keys.push_back(v.key);
    orderer_ = std::make_unique<SoloOrderer>(ledger_.get(), keys);
  }

  // Signs and commits one transaction; prints the step. Returns its result.
  Result<ledger::TxResult> Step(const char* label, const Signer& who, const std::string& contract,
                                const std::string& function, const Json& args) {
    int64_t now = std::max(NowMs(), ledger_->last_timestamp_ms());
    CL_ASSIGN_OR_RETURN(auto tx, MakeTransaction(who, contract, function, args, ++nonce_, now));
    CL_ASSIGN_OR_RETURN(auto block, orderer_->CommitBatch({tx}, now));
    const auto& r = block.results(0);
    std::printf("  %-34s block %-4llu tx %s  %s%s\n", label,
                static_cast<unsigned long long>(block.header().height()),
                ToHex(r.tx_id()).substr(0, 12).c_str(),
                ledger::ValidationCode_Name(r.code()).c_str(),
                r.reason().empty() ? "" : (": " + r.reason()).c_str());
    if (r.code() != ledger::VALID)
      return Status::FailedPrecondition(std::string(label) + " failed: " + r.reason());
    return r;
  }

  Status Run() {
    std::printf("CarLedger demo on %s (height %llu)\n\n", net_.root.c_str(),
                static_cast<unsigned long long>(ledger_->height()));
    const Signer& admin = net_.ids.admins.front();
    int64_t now_s = NowMs() / 1000;
    CL_ASSIGN_OR_RETURN(Signer agency,
                        IssueMember(net_.ids.ca, Role::kAgency,
                                    "한국자동차진단 Korea Auto Inspection", "KAI", now_s));
    CL_ASSIGN_OR_RETURN(PrivateKey seller_key, PrivateKey::Generate());
    CL_ASSIGN_OR_RETURN(PrivateKey buyer_key, PrivateKey::Generate());
    Signer seller{seller_key, std::nullopt}, buyer{buyer_key, std::nullopt};
    CL_RETURN_IF_ERROR(SaveSigner(net_.root + "/users/seller", seller));
    CL_RETURN_IF_ERROR(SaveSigner(net_.root + "/users/buyer", buyer));
    CL_RETURN_IF_ERROR(SaveSigner(net_.root + "/agencies/kai", agency));

    // A VIN unique to this run (Hyundai WMI KMH; Korean VINs carry no check digit).
    std::string serial = std::to_string(NowMs() % 1000000);
    while (serial.size() < 6) serial = "0" + serial;
    std::string vin = "KMHD341CBMU" + serial;

    Json a = Json::MakeObject();
    a["cert"] = ToHex(agency.certificate->der());
    CL_RETURN_IF_ERROR(Step("admin certifies the agency", admin, "_msp", "register", a).status());

    Json charge = Json::MakeObject();
    charge["amount"] = static_cast<int64_t>(30'000'000);
    CL_ASSIGN_OR_RETURN(auto cr, Step("buyer requests a wallet charge", buyer, "car_trade",
                                      "request_charge", charge));
    Json approve = Json::MakeObject();
    approve["charge_id"] = ToHex(cr.tx_id());
    CL_RETURN_IF_ERROR(
        Step("admin approves the charge", admin, "car_trade", "approve_charge", approve).status());

    Json car = Json::MakeObject();
    car["vin"] = vin;
    car["make"] = "Hyundai";
    car["model"] = "Avante (CN7) 1.6 Smart";
    car["year"] = 2021;
    car["fuel"] = "gasoline";
    car["transmission"] = "automatic";
    car["colour"] = "Polar White";
    car["odometer_km"] = 42180;
    car["plate"] = "12가3456";
    car["region"] = "서울";
    car["photos"] = Json::MakeArray();
    car["photos"].push_back(ToHex(Sha256("front.jpg")));
    CL_RETURN_IF_ERROR(
        Step("seller registers the car", seller, "car_trade", "register_car", car).status());

    Json insp = SampleInspection(vin, 42215, 2021);
    CL_RETURN_IF_ERROR(
        Step("agency records the inspection", agency, "car_trade", "record_inspection", insp)
            .status());

    Json list = Json::MakeObject();
    list["vin"] = vin;
    list["price"] = static_cast<int64_t>(18'500'000);
    CL_RETURN_IF_ERROR(
        Step("seller lists it at 18,500,000 won", seller, "car_trade", "list", list).status());

    CL_ASSIGN_OR_RETURN(auto esc, Step("buyer opens escrow (funds locked)", buyer, "car_trade",
                                       "open_escrow", list));
    Json eid = Json::MakeObject();
    eid["escrow_id"] = ToHex(esc.tx_id());
    CL_RETURN_IF_ERROR(
        Step("seller hands the car over", seller, "car_trade", "hand_over", eid).status());
    CL_RETURN_IF_ERROR(
        Step("buyer confirms the purchase", buyer, "car_trade", "confirm", eid).status());

    return PrintHistory(vin, seller, buyer);
  }

  Result<int64_t> Balance(const Signer& who) {
    CL_ASSIGN_OR_RETURN(auto raw, ledger_->GetState("c/car_trade/wallet/" + who.id()));
    if (!raw) return int64_t{0};
    CL_ASSIGN_OR_RETURN(Json w, Json::Parse(*raw));
    return w.get_int("balance");
  }

  // Prints the car's events, each verified against the block that holds it.
  Status PrintHistory(const std::string& vin, const Signer& seller, const Signer& buyer) {
    CL_ASSIGN_OR_RETURN(auto car_raw, ledger_->GetState("c/car_trade/car/" + vin));
    if (!car_raw) return Status::NotFound("car " + vin + " is not on the ledger");
    CL_ASSIGN_OR_RETURN(Json car, Json::Parse(*car_raw));
    CL_ASSIGN_OR_RETURN(auto events, ledger_->RangeState("c/car_trade/event/" + vin + "/",
                                                         "c/car_trade/event/" + vin + "0", 1000));
    CL_ASSIGN_OR_RETURN(ValidatorSet validators, ledger_->Validators());
    std::printf("\nVerified history of %s (%s %s, %lld)\n", vin.c_str(),
                car.get_string("make").c_str(), car.get_string("model").c_str(),
                static_cast<long long>(car.get_int("year")));
    std::string prev_tx;
    size_t verified = 0;
    for (const auto& [key, value] : events) {
      CL_ASSIGN_OR_RETURN(Json ev, Json::Parse(value));
      CL_ASSIGN_OR_RETURN(Bytes tx_id, FromHex(ev.get_string("tx_id")));
      CL_ASSIGN_OR_RETURN(auto loc, ledger_->FindTx(tx_id));
      if (!loc) return Status::DataLoss("event's transaction is not on the ledger");
      CL_ASSIGN_OR_RETURN(ledger::Block block, ledger_->GetBlock(loc->height));
      std::vector<Bytes> leaves;
      for (const auto& tx : block.transactions()) leaves.push_back(TxLeafHash(tx));
      CL_ASSIGN_OR_RETURN(MerkleProof proof, MakeMerkleProof(leaves, loc->tx_index));
      bool in_block = VerifyMerkleProof(leaves[loc->tx_index], proof, block.header().tx_root());
      bool certified = VerifyCommitCertificate(block, validators).ok();
      auto signed_ok = VerifyTransaction(block.transactions(static_cast<int>(loc->tx_index))).ok();
      bool chained = ev.get_string("prev_tx") == prev_tx;
      bool ok = in_block && certified && signed_ok && chained;
      verified += ok ? 1 : 0;
      std::printf("  #%-2lld %-18s block %-4llu %s  %s\n",
                  static_cast<long long>(ev.get_int("seq")), ev.get_string("type").c_str(),
                  static_cast<unsigned long long>(loc->height),
                  ok ? "verified (Merkle proof, certificate, signature, chain)" : "NOT VERIFIED",
                  ev.get("data").Dump().substr(0, 60).c_str());
      prev_tx = ev.get_string("tx_id");
    }
    bool head_ok = car.get_string("last_tx") == prev_tx;
    const Json& s = car.get("summary");
    std::printf(
        "\n  summary: owners %lld, accidents %lld, flood %s, odometer rollback %s, inspections "
        "%lld\n",
        static_cast<long long>(s.get_int("owners")), static_cast<long long>(s.get_int("accidents")),
        s.get_bool("flood") ? "yes" : "no", s.get_bool("rollback") ? "YES" : "no",
        static_cast<long long>(s.get_int("inspections")));
    std::printf("  owner now: %s (the buyer: %s)\n", car.get_string("owner").substr(0, 16).c_str(),
                car.get_string("owner") == buyer.id() ? "yes" : "no");
    CL_ASSIGN_OR_RETURN(int64_t sb, Balance(seller));
    CL_ASSIGN_OR_RETURN(int64_t bb, Balance(buyer));
    std::printf("  wallets: seller %s won, buyer %s won\n", FormatWon(sb).c_str(),
                FormatWon(bb).c_str());
    std::printf("  %zu of %zu events verified by %zu validators (quorum %zu); history head %s\n",
                verified, events.size(), validators.size(), QuorumSize(validators.size()),
                head_ok ? "matches the car record" : "DOES NOT MATCH");
    if (verified != events.size() || !head_ok)
      return Status::DataLoss("the car's history did not verify");
    return Status::Ok();
  }

 private:
  NetworkDir net_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<SoloOrderer> orderer_;
  uint64_t nonce_ = static_cast<uint64_t>(NowMs());
};

}  // namespace

int DemoCommand(const std::vector<std::string>& args) {
  std::string dir = Flag(args, "--dir");
  if (dir.empty()) {
    std::fprintf(stderr, "demo: --dir is required (a directory made by init-network)\n");
    return 2;
  }
  auto net = LoadNetworkDir(dir);
  if (!net.ok()) {
    std::fprintf(stderr, "demo: %s\n", net.status().ToString().c_str());
    return 1;
  }
  auto ledger = Ledger::Open(dir + "/node0");
  if (!ledger.ok()) {
    std::fprintf(stderr, "demo: %s\n", ledger.status().ToString().c_str());
    return 1;
  }
  DemoRun run(std::move(net).value(), std::move(ledger).value());
  Status st = run.Run();
  if (!st.ok()) {
    std::fprintf(stderr, "demo: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace carledger::cli
