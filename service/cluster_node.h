// carledger-node's cluster side: one node of a network made by `carledger init-network`.
// A validator runs the pBFT replica over its Ledger and talks to the other validators
// through PeerTransport; an observer follows certified blocks from the validators (each
// certificate checked and each block re-executed) and serves reads. Both serve the
// Cluster API (submit, watch a transaction's final status, blocks, status) over mutual
// TLS. All ledger and replica work happens on one consensus thread; gRPC threads hand
// it tasks through a bounded inbox and never touch the ledger themselves.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ledger/pbft/replica.h"

namespace carledger::service {

struct NodeOptions {
  std::string network_dir;
  std::string name;      // as in network.json: node0, observer0, ...
  std::string data_dir;  // default: network_dir/name
  std::string listen;    // default: the node's address in network.json
  bool sync = true;      // fsync every block
  pbft::ReplicaOptions replica;
};

class ClusterNode {
 public:
  // Opens the ledger (replaying what the state has not seen; starting from
  // genesis.block on an empty directory), starts the server and, for a validator, the
  // replica and its peer streams.
  static Result<std::unique_ptr<ClusterNode>> Start(const NodeOptions& options);
  virtual ~ClusterNode() = default;
  // Stops serving and joins every thread. Idempotent.
  virtual void Shutdown() = 0;
  virtual std::string address() const = 0;
};

}  // namespace carledger::service
