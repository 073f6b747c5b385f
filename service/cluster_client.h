// A client of a network's nodes, as one of its admins: mutual-TLS stubs for each node
// named in network.json (used by the CLI, the local-cluster harness and benchmarks).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster.grpc.pb.h"
#include "common/status.h"
#include "service/peer_transport.h"

namespace carledger::service {

class ClusterClient {
 public:
  // Reads DIR/network.json and the first organisation's admin key and certificate.
  static Result<ClusterClient> Open(const std::string& network_dir);

  const std::vector<std::string>& validators() const { return validators_; }
  const std::vector<std::string>& observers() const { return observers_; }
  std::string IdOf(const std::string& name) const;
  std::string NameOf(const std::string& id) const;

  std::unique_ptr<cluster::Cluster::Stub> Stub(const std::string& name) const;
  // The node's status (UNAVAILABLE if it does not answer within 2 s).
  Result<cluster::NodeStatus> NodeStatus(const std::string& name) const;

 private:
  std::vector<std::string> validators_, observers_;
  std::map<std::string, PeerEndpoint> endpoints_;
  TlsMaterial tls_;
};

// Submits `txs` through `stub` (in requests of up to 1000) and waits on Watch until each
// has a final status. Returns them in the order of `txs`; fails after `timeout_ms`.
Result<std::vector<cluster::TxStatus>> SubmitAndWait(cluster::Cluster::Stub* stub,
                                                     const std::vector<ledger::TxEnvelope>& txs,
                                                     int timeout_ms = 60000);

}  // namespace carledger::service
