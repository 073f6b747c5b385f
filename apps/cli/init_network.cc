// carledger init-network: root CA, one admin per organisation, validators, and the
// genesis block (members + the built-in car_trade contract v1) in DIR/node0 and
// DIR/genesis.block, and where each node listens (network.json "nodes": "address" for
// peers and the cluster API, "api_address" for the public API the apps use).
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "apps/cli/cli_common.h"
#include "contracts/builtin.h"
#include "ledger/ledger.h"

namespace carledger::cli {

// Each node serves the public API (TLS) on its peer port + 1000.
constexpr int kApiPortOffset = 1000;
// And /healthz, /readyz, /metrics (HTTP) on its peer port + 2000.
constexpr int kHttpPortOffset = 2000;

int InitNetworkCommand(const std::vector<std::string>& args) {
  std::string dir = Flag(args, "--dir");
  if (dir.empty()) {
    std::fprintf(stderr, "init-network: --dir is required\n");
    return 2;
  }
  int validators = std::atoi(Flag(args, "--validators", "4").c_str());
  if (validators < 1 || validators > 100) {
    std::fprintf(stderr, "init-network: --validators must be 1..100\n");
    return 2;
  }
  int observers = std::atoi(Flag(args, "--observers", "0").c_str());
  int base_port = std::atoi(Flag(args, "--base-port", "7100").c_str());
  if (observers < 0 || observers > 100 || base_port < 1024 || base_port > 65000) {
    std::fprintf(stderr, "init-network: --observers must be 0..100 and --base-port 1024..65000\n");
    return 2;
  }
  int epoch = std::atoi(Flag(args, "--epoch", "16").c_str());
  if (epoch < 1 || epoch > 100000) {
    std::fprintf(stderr, "init-network: --epoch must be 1..100000 blocks\n");
    return 2;
  }
  std::string host = Flag(args, "--host", "127.0.0.1");
  std::string name = Flag(args, "--name", "CarLedger");
  std::vector<std::string> orgs;
  std::stringstream ss(Flag(args, "--orgs", "CarLedgerOps"));
  for (std::string org; std::getline(ss, org, ',');) {
    if (!org.empty()) orgs.push_back(org);
  }
  if (std::filesystem::exists(dir + "/network.json")) {
    std::fprintf(stderr, "init-network: %s already holds a network; remove it first\n",
                 dir.c_str());
    return 1;
  }
  int64_t now = NowMs();
  auto ids = CreateNetworkIdentities(name, orgs, validators, now / 1000);
  if (!ids.ok()) {
    std::fprintf(stderr, "init-network: %s\n", ids.status().ToString().c_str());
    return 1;
  }
  Status st = SaveSigner(dir + "/ca/ca", ids->ca);
  for (size_t i = 0; st.ok() && i < orgs.size(); ++i)
    st = SaveSigner(dir + "/admins/" + orgs[i], ids->admins[i]);
  for (size_t i = 0; st.ok() && i < ids->validators.size(); ++i) {
    st = SaveSigner(dir + "/validators/validator" + std::to_string(i), ids->validators[i]);
  }
  std::vector<Signer> observer_ids;
  for (int i = 0; st.ok() && i < observers; ++i) {
    auto o = IssueMember(ids->ca, Role::kObserver, "observer" + std::to_string(i), orgs.front(),
                         now / 1000);
    if (!o.ok())
      st = o.status();
    else {
      st = SaveSigner(dir + "/observers/observer" + std::to_string(i), o.value());
      observer_ids.push_back(std::move(o).value());
    }
  }
  const std::string* car_trade = BuiltinContractSource("car_trade");
  if (st.ok() && car_trade == nullptr) st = Status::Internal("car_trade contract is not built in");
  std::unique_ptr<Ledger> ledger;
  if (st.ok()) {
    auto l = Ledger::Open(dir + "/node0");
    if (l.ok())
      ledger = std::move(l).value();
    else
      st = l.status();
  }
  Result<ledger::Block> genesis = Status::Internal("not run");
  if (st.ok()) {
    genesis = CommitGenesis(ledger.get(), *ids, {{"car_trade", "1.0.0", *car_trade}}, now,
                            static_cast<uint64_t>(epoch));
    st = genesis.status();
  }
  if (st.ok()) {
    Json manifest = Json::MakeObject();
    manifest["name"] = name;
    manifest["organisations"] = Json::MakeArray();
    for (const auto& o : orgs) manifest["organisations"].push_back(o);
    manifest["validators"] = static_cast<int64_t>(validators);
    manifest["epoch_blocks"] = static_cast<int64_t>(epoch);
    manifest["validator_ids"] = Json::MakeArray();
    for (const auto& v : ids->validators) manifest["validator_ids"].push_back(v.id());
    manifest["genesis_hash"] = ToHex(BlockHash(genesis->header()));
    // Where each node listens (peer and cluster RPCs on one port, mutual TLS).
    manifest["nodes"] = Json::MakeArray();
    int port = base_port;
    for (size_t i = 0; i < ids->validators.size(); ++i) {
      Json node = Json::MakeObject();
      node["name"] = "node" + std::to_string(i);
      node["role"] = "validator";
      node["id"] = ids->validators[i].id();
      node["key"] = "validators/validator" + std::to_string(i);
      node["tls_name"] = "validator" + std::to_string(i);
      node["api_address"] = host + ":" + std::to_string(port + kApiPortOffset);
      node["http_address"] = host + ":" + std::to_string(port + kHttpPortOffset);
      node["address"] = host + ":" + std::to_string(port++);
      manifest["nodes"].push_back(node);
    }
    for (size_t i = 0; i < observer_ids.size(); ++i) {
      Json node = Json::MakeObject();
      node["name"] = "observer" + std::to_string(i);
      node["role"] = "observer";
      node["id"] = observer_ids[i].id();
      node["key"] = "observers/observer" + std::to_string(i);
      node["tls_name"] = "observer" + std::to_string(i);
      node["api_address"] = host + ":" + std::to_string(port + kApiPortOffset);
      node["http_address"] = host + ":" + std::to_string(port + kHttpPortOffset);
      node["address"] = host + ":" + std::to_string(port++);
      manifest["nodes"].push_back(node);
    }
    manifest["created_ms"] = now;
    st = WriteFile(dir + "/network.json", manifest.Pretty() + "\n");
  }
  if (st.ok()) st = WriteFile(dir + "/genesis.block", genesis->SerializeAsString());
  if (!st.ok()) {
    std::fprintf(stderr, "init-network: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("network '%s' created in %s\n", name.c_str(), dir.c_str());
  std::printf("  root CA      %s\n", ids->ca.certificate->Fingerprint().substr(0, 16).c_str());
  for (size_t i = 0; i < orgs.size(); ++i) {
    std::printf("  admin        %s (%s)\n", ids->admins[i].id().substr(0, 16).c_str(),
                orgs[i].c_str());
  }
  std::printf("  validators   %d (quorum %zu)\n", validators,
              QuorumSize(static_cast<size_t>(validators)));
  std::printf("  genesis      %s with car_trade 1.0.0\n",
              ToHex(BlockHash(genesis->header())).substr(0, 16).c_str());
  return 0;
}

}  // namespace carledger::cli
