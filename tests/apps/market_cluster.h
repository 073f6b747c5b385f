// What the GUI tests run the apps against: a real 4-validator cluster of carledger-node
// processes with a real PostgreSQL (the ctest fixture's server, a fresh database), the
// network profile the apps load, an administrator account (to approve wallet charges,
// which traders cannot do themselves), and a tampering node: a TLS server holding a real
// node's credentials that forwards the market API to that node but alters every car
// history it serves, as a compromised node would.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <thread>

#include "carledger_api.grpc.pb.h"
#include "common/json.h"
#include "ledger/network_dir.h"
#include "ledger/transaction.h"
#include "service/local_cluster.h"
#include "service/store/accounts.h"
#include "service/store/clock.h"
#include "service/store/pg.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/test_network.h"

namespace carledger::testing {

class MarketCluster {
 public:
  // Starts everything; the error says what did not come up.
  static Result<std::unique_ptr<MarketCluster>> Start();
  ~MarketCluster();

  service::LocalCluster& cluster() { return *cluster_; }
  const std::string& dir() const { return dir_; }
  // network.json + ca/ca.crt, as the apps load it (`--network DIR`).
  std::string profileDir() const { return dir_; }
  // The api address of node `name`.
  std::string ApiAddress(const std::string& name) const;

  // Approves a pending charge as the network's administrator.
  Status ApproveCharge(const std::string& charge_id);
  // How the tampering node lies about a car's history.
  enum class Tamper {
    kAlterFirstEvent,  // the first event's data changed (a lower odometer reading)
    kDropLastEvents,   // the last two events left out, the car record made to agree
    kAlterCarRecord,   // GetCar's record younger and with fewer kilometres; history intact
  };
  // Starts the tampering node (replacing one started before); returns its address
  // (host:port), TLS name "validator0".
  Result<std::string> StartTamperingNode(const std::string& forward_to,
                                         Tamper how = Tamper::kAlterFirstEvent);

 private:
  MarketCluster() = default;
  std::unique_ptr<TempDir> tmp_;
  std::unique_ptr<PgTestDatabase> db_;
  std::unique_ptr<service::LocalCluster> cluster_;
  std::string dir_;
  Json manifest_;
  store::SystemClock clock_;
  std::unique_ptr<store::PgPool> pool_;
  std::unique_ptr<store::AccountStore> accounts_;
  Signer admin_key_;
  std::string admin_token_;
  uint64_t nonce_ = 1;
  std::shared_ptr<grpc::Channel> node1_;
  class TamperingMarket;
  std::unique_ptr<TamperingMarket> tamper_service_;
  std::unique_ptr<grpc::Server> tamper_server_;
};

}  // namespace carledger::testing
