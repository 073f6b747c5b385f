#include "tests/support/test_network.h"

#include <filesystem>
#include <random>

#include "contracts/builtin.h"

namespace carledger::testing {

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path() / ("carledger-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(base);
  path_ = base.string();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ContractPackage CarTradePackage() {
  const std::string* src = BuiltinContractSource("car_trade");
  return ContractPackage{"car_trade", "1.0.0", src ? *src : ""};
}

// A fixed, realistic start time: 2026-03-01 00:00:00 UTC.
constexpr int64_t kStartMs = 1772323200000;

TestNetwork::TestNetwork(int validators, std::vector<ContractPackage> contracts, LedgerOptions options)
    : now_ms_(kStartMs) {
  auto ids = CreateNetworkIdentities("TestNet", {"PlatformOrg"}, validators, now_ms_ / 1000);
  EXPECT_TRUE(ids.ok()) << ids.status().ToString();
  ids_ = std::move(ids).value();
  auto l = Ledger::Open(dir_.path(), options);
  EXPECT_TRUE(l.ok()) << l.status().ToString();
  ledger_ = std::move(l).value();
  auto g = CommitGenesis(ledger_.get(), ids_, contracts, now_ms_);
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  std::vector<PrivateKey> keys;
  for (const auto& v : ids_.validators) keys.push_back(v.key);
  orderer_ = std::make_unique<SoloOrderer>(ledger_.get(), keys);
}

Signer TestNetwork::NewUser() {
  auto k = PrivateKey::Generate();
  EXPECT_TRUE(k.ok());
  return Signer{std::move(k).value(), std::nullopt};
}

Signer TestNetwork::NewAgency(const std::string& name) {
  auto agency = IssueMember(ids_.ca, Role::kAgency, name, name, now_ms_ / 1000);
  EXPECT_TRUE(agency.ok()) << agency.status().ToString();
  Json args = Json::MakeObject();
  args["cert"] = ToHex(agency->certificate->der());
  auto r = Call(admin(), "_msp", "register", args);
  EXPECT_EQ(r.code(), ledger::VALID) << Describe(r);
  return std::move(agency).value();
}

ledger::TxEnvelope TestNetwork::Tx(const Signer& who, const std::string& contract,
                                   const std::string& function, const Json& args) {
  auto tx = MakeTransaction(who, contract, function, args, nonce_++, now_ms_);
  EXPECT_TRUE(tx.ok()) << tx.status().ToString();
  return std::move(tx).value();
}

std::vector<ledger::TxResult> TestNetwork::CommitBlock(const std::vector<ledger::TxEnvelope>& txs) {
  now_ms_ += 1;
  auto block = orderer_->CommitBatch(txs, now_ms_);
  EXPECT_TRUE(block.ok()) << block.status().ToString();
  if (!block.ok()) return {};
  return {block->results().begin(), block->results().end()};
}

ledger::TxResult TestNetwork::Call(const Signer& who, const std::string& contract,
                                   const std::string& function, const Json& args) {
  auto results = CommitBlock({Tx(who, contract, function, args)});
  return results.empty() ? ledger::TxResult() : results[0];
}

Json TestNetwork::State(const std::string& contract, const std::string& key) {
  auto v = ledger_->GetState("c/" + contract + "/" + key);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (!v.ok() || !v->has_value()) return Json();
  auto j = Json::Parse(**v);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return j.ok() ? *j : Json();
}

void TestNetwork::Reopen(LedgerOptions options) {
  orderer_.reset();
  ledger_.reset();
  auto l = Ledger::Open(dir_.path(), options);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ledger_ = std::move(l).value();
  std::vector<PrivateKey> keys;
  for (const auto& v : ids_.validators) keys.push_back(v.key);
  orderer_ = std::make_unique<SoloOrderer>(ledger_.get(), keys);
}

std::string Describe(const ledger::TxResult& r) {
  std::string s = ledger::ValidationCode_Name(r.code());
  if (!r.reason().empty()) s += ": " + r.reason();
  return s;
}

}  // namespace carledger::testing
