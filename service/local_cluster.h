// A network of carledger-node processes on loopback, for the multi-process tests, the
// cluster benchmark and the local run scripts: creates the network directory (through
// `carledger init-network`), starts, kills (any signal) and restarts nodes, and gives
// clients mutual-TLS stubs (as the network's first admin).
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster.grpc.pb.h"
#include "common/status.h"
#include "service/peer_transport.h"

namespace carledger::service {

struct LocalClusterOptions {
  std::string dir;          // the network directory (created)
  std::string node_binary;  // carledger-node
  std::string cli_binary;   // carledger
  int validators = 4;
  int observers = 0;
  int base_port = 0;                   // 0: picked from the pid
  std::vector<std::string> node_args;  // extra carledger-node flags
};

class LocalCluster {
 public:
  static Result<std::unique_ptr<LocalCluster>> Create(const LocalClusterOptions& options);
  ~LocalCluster();  // stops every node it started

  const std::vector<std::string>& validators() const { return validators_; }
  const std::vector<std::string>& observers() const { return observers_; }
  const std::string& dir() const { return options_.dir; }
  std::string DataDir(const std::string& name) const { return options_.dir + "/" + name; }
  // The node's key fingerprint (its id in the replica's status).
  std::string IdOf(const std::string& name) const;
  std::string NameOf(const std::string& id) const;

  Status Start(const std::string& name);
  Status StartAll();
  // Sends `signal` and waits for the process to exit.
  void Kill(const std::string& name, int signal);
  bool Running(const std::string& name) const { return pids_.count(name) > 0; }
  // Waits until the node answers Status (false after `timeout_ms`).
  bool WaitReady(const std::string& name, int timeout_ms = 20000);

  std::unique_ptr<cluster::Cluster::Stub> Stub(const std::string& name) const;
  Result<cluster::NodeStatus> NodeStatus(const std::string& name) const;

 private:
  explicit LocalCluster(LocalClusterOptions options) : options_(std::move(options)) {}
  LocalClusterOptions options_;
  std::vector<std::string> validators_, observers_;
  std::map<std::string, PeerEndpoint> endpoints_;
  TlsMaterial client_tls_;
  std::map<std::string, pid_t> pids_;
};

// Submits `txs` through `stub` (in requests of up to 1000) and waits on Watch until each
// has a final status. Returns them in the order of `txs`; fails after `timeout_ms`.
Result<std::vector<cluster::TxStatus>> SubmitAndWait(cluster::Cluster::Stub* stub,
                                                     const std::vector<ledger::TxEnvelope>& txs,
                                                     int timeout_ms = 60000);

}  // namespace carledger::service
