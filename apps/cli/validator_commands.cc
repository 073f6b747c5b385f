// Validator-set changes on a running network, as the network's first admin:
//   add-validator     issue a validator certificate from the network's CA, record the new
//                     node in network.json and register it (with its address) on the ledger
//   remove-validator  revoke a validator
// Both are configuration transactions agreed by consensus; they take effect at the next
// epoch boundary (every `epoch_blocks` blocks), where every replica switches sets.
#include <cstdio>
#include <set>

#include "apps/cli/cli_common.h"
#include "service/cluster_client.h"

namespace carledger::cli {

namespace {

int Fail(const char* cmd, const std::string& message, int code = 1) {
  std::fprintf(stderr, "%s: %s\n", cmd, message.c_str());
  return code;
}

// Submits one admin transaction through the first validator that answers and waits for
// its final status. Returns the block height, or the rejection.
Result<uint64_t> SubmitConfig(const std::string& dir, const service::ClusterClient& client,
                              const ledger::TxEnvelope& tx) {
  for (const auto& name : client.validators()) {
    if (!client.NodeStatus(name).ok()) continue;
    auto stub = client.Stub(name);
    auto done = service::SubmitAndWait(stub.get(), {tx}, 60000);
    if (!done.ok()) return done.status();
    const auto& s = done->front();
    if (s.code() != ledger::VALID) return Status::FailedPrecondition(s.reason());
    return s.height();
  }
  return Status::Unavailable("no validator of the network in " + dir + " answers");
}

void PrintEffective(uint64_t height, int64_t epoch) {
  uint64_t e = static_cast<uint64_t>(epoch > 0 ? epoch : 16);
  uint64_t boundary = (height + e - 1) / e * e;
  std::printf("  committed in block %llu; in force from block %llu (after epoch boundary %llu)\n",
              static_cast<unsigned long long>(height),
              static_cast<unsigned long long>(boundary + 1),
              static_cast<unsigned long long>(boundary));
}

}  // namespace

int AddValidatorCommand(const std::vector<std::string>& args) {
  const char* cmd = "add-validator";
  std::string dir = Flag(args, "--network");
  if (dir.empty()) return Fail(cmd, "--network DIR is required", 2);
  auto net = LoadNetworkDir(dir);
  if (!net.ok()) return Fail(cmd, net.status().ToString());
  Json manifest = net->manifest;
  std::set<std::string> names;
  int max_port = 0, validator_files = 0;
  std::string host = "127.0.0.1";
  for (const auto& n : manifest.get("nodes").as_array()) {
    names.insert(n.get_string("name"));
    std::string addr = n.get_string("address");
    size_t colon = addr.rfind(':');
    if (colon != std::string::npos) {
      host = addr.substr(0, colon);
      max_port = std::max(max_port, std::atoi(addr.c_str() + colon + 1));
    }
    if (n.get_string("role") == "validator") ++validator_files;
  }
  std::string name = Flag(args, "--name", "node" + std::to_string(validator_files));
  if (names.count(name))
    return Fail(cmd, "network.json already has a node named '" + name + "'", 2);
  std::string address = Flag(args, "--address", host + ":" + std::to_string(max_port + 1));
  std::string tls_name = "validator" + std::to_string(validator_files);
  std::string key_prefix = "validators/" + tls_name;

  auto client = service::ClusterClient::Open(dir);
  if (!client.ok()) return Fail(cmd, client.status().ToString());
  std::string org = manifest.get("organisations").as_array().front().as_string();
  auto signer = IssueMember(net->ids.ca, Role::kValidator, tls_name, org, NowMs() / 1000);
  if (!signer.ok()) return Fail(cmd, signer.status().ToString());
  Json call = Json::MakeObject();
  call["cert"] = ToHex(signer->certificate->der());
  call["address"] = address;
  auto tx = MakeTransaction(net->ids.admins.front(), "_msp", "register", call,
                            static_cast<uint64_t>(NowMs()), NowMs());
  if (!tx.ok()) return Fail(cmd, tx.status().ToString());
  // Keys and the manifest first: a registered validator must be startable.
  Status st = SaveSigner(dir + "/" + key_prefix, *signer);
  Json node = Json::MakeObject();
  node["name"] = name;
  node["role"] = "validator";
  node["id"] = signer->id();
  node["key"] = key_prefix;
  node["tls_name"] = tls_name;
  node["address"] = address;
  size_t colon = address.rfind(':');
  node["api_address"] = address.substr(0, colon) + ":" +
                        std::to_string(std::atoi(address.c_str() + colon + 1) + 1000);
  manifest["nodes"].push_back(node);
  if (st.ok()) st = WriteFile(dir + "/network.json", manifest.Pretty() + "\n");
  if (!st.ok()) return Fail(cmd, st.ToString());
  auto height = SubmitConfig(dir, *client, *tx);
  if (!height.ok()) {
    // Not registered: take it out of the manifest again.
    (void)WriteFile(dir + "/network.json", net->manifest.Pretty() + "\n");
    return Fail(cmd, height.status().ToString());
  }
  std::printf("validator %s (%s) registered at %s\n", name.c_str(),
              signer->id().substr(0, 16).c_str(), address.c_str());
  PrintEffective(*height, manifest.get_int("epoch_blocks", 16));
  std::printf("  start it with: carledger-node --network %s --name %s\n", dir.c_str(),
              name.c_str());
  return 0;
}

int RemoveValidatorCommand(const std::vector<std::string>& args) {
  const char* cmd = "remove-validator";
  std::string dir = Flag(args, "--network");
  std::string name = Flag(args, "--name");
  std::string reason = Flag(args, "--reason", "removed by the operator");
  if (dir.empty() || name.empty())
    return Fail(cmd, "--network DIR and --name NODE are required", 2);
  auto net = LoadNetworkDir(dir);
  if (!net.ok()) return Fail(cmd, net.status().ToString());
  auto client = service::ClusterClient::Open(dir);
  if (!client.ok()) return Fail(cmd, client.status().ToString());
  std::string id = client->IdOf(name);
  if (id.empty()) return Fail(cmd, "network.json has no node named '" + name + "'", 2);
  Json call = Json::MakeObject();
  call["id"] = id;
  call["reason"] = reason;
  auto tx = MakeTransaction(net->ids.admins.front(), "_msp", "revoke", call,
                            static_cast<uint64_t>(NowMs()), NowMs());
  if (!tx.ok()) return Fail(cmd, tx.status().ToString());
  auto height = SubmitConfig(dir, *client, *tx);
  if (!height.ok()) return Fail(cmd, height.status().ToString());
  std::printf("validator %s (%s) removed: %s\n", name.c_str(), id.substr(0, 16).c_str(),
              reason.c_str());
  PrintEffective(*height, net->manifest.get_int("epoch_blocks", 16));
  return 0;
}

}  // namespace carledger::cli
