// carledger seed: demo data for a running network, made by the generator in
// contracts/samples: a few certified inspection agencies and a few hundred realistic
// Korean-market cars, each registered by its seller, inspected by an agency with the
// official record and listed at a price from its age and mileage. Every transaction is
// signed by the party who makes it and goes through consensus (the Cluster API).
#include <cstdio>

#include "apps/cli/cli_common.h"
#include "common/block_format.h"
#include "contracts/samples.h"
#include "service/cluster_client.h"

namespace carledger::cli {

namespace {

// Submits `txs` and counts the valid ones; any other outcome is reported.
Result<size_t> Commit(cluster::Cluster::Stub* stub, const std::vector<ledger::TxEnvelope>& txs,
                      const char* what) {
  CL_ASSIGN_OR_RETURN(auto done, service::SubmitAndWait(stub, txs, 300000));
  size_t valid = 0;
  for (const auto& s : done) {
    if (s.code() == ledger::VALID) {
      ++valid;
    } else if (valid == 0) {
      std::fprintf(stderr, "seed: %s: %s\n", what, s.reason().c_str());
    }
  }
  return valid;
}

}  // namespace

int SeedCommand(const std::vector<std::string>& args) {
  std::string dir = Flag(args, "--network");
  int count = std::atoi(Flag(args, "--count", "300").c_str());
  if (dir.empty() || count < 1 || count > 100000) {
    std::fprintf(stderr, "seed: --network DIR is required; --count is 1..100000\n");
    return 2;
  }
  auto net = LoadNetworkDir(dir);
  auto client = service::ClusterClient::Open(dir);
  if (!net.ok() || !client.ok()) {
    std::fprintf(stderr, "seed: %s\n",
                 (!net.ok() ? net.status() : client.status()).ToString().c_str());
    return 1;
  }
  auto stub = client->Stub(Flag(args, "--via", client->validators().front()));
  int64_t now = NowMs();
  uint64_t nonce = static_cast<uint64_t>(now);
  const Signer& admin = net->ids.admins.front();
  std::string run = std::to_string(now % 100000);

  // Agencies, certified by the admin.
  static const char* kAgencies[] = {"한국자동차진단", "카테크 성능점검", "서울자동차검사소"};
  std::vector<Signer> agencies;
  std::vector<ledger::TxEnvelope> txs;
  for (const char* name : kAgencies) {
    auto a = IssueMember(net->ids.ca, Role::kAgency, std::string(name) + " " + run, "Agencies",
                         now / 1000);
    if (!a.ok()) {
      std::fprintf(stderr, "seed: %s\n", a.status().ToString().c_str());
      return 1;
    }
    Json reg = Json::MakeObject();
    reg["cert"] = ToHex(a->certificate->der());
    txs.push_back(MakeTransaction(admin, "_msp", "register", reg, ++nonce, now).value());
    agencies.push_back(std::move(a).value());
  }
  auto certified = Commit(stub.get(), txs, "agencies");
  // Sellers: one key per ten cars.
  std::vector<Signer> sellers;
  for (int i = 0; i < (count + 9) / 10; ++i)
    sellers.push_back(Signer{PrivateKey::Generate().value(), std::nullopt});
  std::vector<ledger::TxEnvelope> registrations, inspections, listings;
  for (int i = 0; i < count; ++i) {
    auto index = static_cast<uint64_t>(now % 1000000) * 1000 + static_cast<uint64_t>(i);
    std::string vin = SampleVin("KNASD" + std::string(1, "ABCDEFGH"[i % 8]), index);
    SampleListing l = MakeSampleListing(vin, index);
    const Signer& seller = sellers[static_cast<size_t>(i) / 10];
    registrations.push_back(
        MakeTransaction(seller, "car_trade", "register_car", l.registration, ++nonce, now).value());
    inspections.push_back(MakeTransaction(agencies[static_cast<size_t>(i) % agencies.size()],
                                          "car_trade", "record_inspection", l.inspection, ++nonce,
                                          now)
                              .value());
    Json list = Json::MakeObject();
    list["vin"] = vin;
    list["price"] = l.price;
    listings.push_back(MakeTransaction(seller, "car_trade", "list", list, ++nonce, now).value());
  }
  auto registered = certified.ok() ? Commit(stub.get(), registrations, "register_car")
                                   : Result<size_t>(certified.status());
  auto inspected = registered.ok() ? Commit(stub.get(), inspections, "record_inspection")
                                   : Result<size_t>(registered.status());
  auto listed =
      inspected.ok() ? Commit(stub.get(), listings, "list") : Result<size_t>(inspected.status());
  if (!listed.ok()) {
    std::fprintf(stderr, "seed: %s\n", listed.status().ToString().c_str());
    return 1;
  }
  std::printf("seed: %zu agencies certified; %zu cars registered, %zu inspected, %zu listed\n",
              *certified, *registered, *inspected, *listed);
  return *listed == static_cast<size_t>(count) ? 0 : 1;
}

}  // namespace carledger::cli
