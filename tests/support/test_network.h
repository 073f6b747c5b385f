// A one-node network in a temporary directory for tests: root CA, an admin, validators,
// genesis with the built-in contracts, and helpers to sign and commit transactions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "ledger/ledger.h"
#include "ledger/network.h"
#include "ledger/solo_orderer.h"

namespace carledger::testing {

// A fresh empty directory, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ContractPackage CarTradePackage();

class TestNetwork {
 public:
  explicit TestNetwork(int validators = 1,
                       std::vector<ContractPackage> contracts = {CarTradePackage()},
                       LedgerOptions options = {});

  Ledger& ledger() { return *ledger_; }
  const NetworkIdentities& ids() const { return ids_; }
  const Signer& admin() const { return ids_.admins.front(); }
  const std::string& dir() const { return dir_.path(); }

  // A trader: a fresh key with no certificate.
  Signer NewUser();
  // An agency with a certificate issued by the CA and registered on the ledger.
  Signer NewAgency(const std::string& name);

  // A signed transaction with a fresh nonce and the network's current time.
  ledger::TxEnvelope Tx(const Signer& who, const std::string& contract, const std::string& function,
                        const Json& args);
  // Commits `txs` as one block; returns the results.
  std::vector<ledger::TxResult> CommitBlock(const std::vector<ledger::TxEnvelope>& txs);
  // One transaction, one block.
  ledger::TxResult Call(const Signer& who, const std::string& contract, const std::string& function,
                        const Json& args);
  // Shorthand for Call on the car_trade contract.
  ledger::TxResult Car(const Signer& who, const std::string& function, const Json& args) {
    return Call(who, "car_trade", function, args);
  }

  // The JSON stored under a contract key (null if absent).
  Json State(const std::string& contract, const std::string& key);

  int64_t now_ms() const { return now_ms_; }
  void Advance(int64_t ms) { now_ms_ += ms; }

  // Closes and reopens the ledger (a restart).
  void Reopen(LedgerOptions options = {});
  void Close() { ledger_.reset(); }

 private:
  TempDir dir_;
  NetworkIdentities ids_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<SoloOrderer> orderer_;
  int64_t now_ms_;
  uint64_t nonce_ = 1;
};

// "VALID", or "REJECTED: reason" — for readable assertions.
std::string Describe(const ledger::TxResult& r);

}  // namespace carledger::testing
