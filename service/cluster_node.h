// carledger-node's cluster side: one node of a network made by `carledger init-network`.
// A validator runs the pBFT replica over its Ledger and talks to the other validators
// through PeerTransport; an observer follows certified blocks from the validators (each
// certificate checked and each block re-executed) and serves reads. Both serve the
// Cluster API (submit, watch a transaction's final status, blocks, status) over mutual
// TLS. All ledger and replica work happens on one consensus thread; gRPC threads hand
// it tasks through a bounded inbox and never touch the ledger themselves.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster.pb.h"
#include "common/status.h"
#include "ledger/ledger.h"
#include "ledger/pbft/replica.h"
#include "ledger/transaction.h"
#include "service/peer_transport.h"

namespace carledger::service {

struct NodeOptions {
  std::string network_dir;
  std::string name;         // as in network.json: node0, observer0, ...
  std::string data_dir;     // default: network_dir/name
  std::string listen;       // default: the node's address in network.json
  std::string api_listen;   // public API; default: "api_address" in network.json (none: off)
  std::string http_listen;  // /healthz /readyz /metrics; default "http_address" (none: off)
  bool sync = true;         // fsync every block
  pbft::ReplicaOptions replica;
};

// What the public API needs from its node (the same boundary for any node role).
// Thread-safe.
class NodeBackend {
 public:
  virtual ~NodeBackend() = default;
  // Runs `read` on the consensus thread, the ledger's only user; UNAVAILABLE when the
  // node is stopping. Keep it short: it holds up consensus.
  virtual Status ReadLedger(const std::function<void(const Ledger&)>& read) = 0;
  // Runs `read` on the calling thread, concurrently with consensus and other readers
  // (the Ledger's const functions are safe for that; see its thread contract). For the
  // public API's reads, which must not queue behind consensus or hold it up. Use
  // ReadLedger instead when the read must not interleave with a commit (e.g. registering
  // a block listener in step with a snapshot). UNAVAILABLE when the node is stopping.
  virtual Status ReadLedgerNow(const std::function<void(const Ledger&)>& read) = 0;
  // Checks each transaction's signature, passes the good ones to consensus (a follower
  // forwards them to a validator) and waits until each has a final status or
  // `timeout_ms` passes. One status per transaction, in order: code 0 (OK) with the
  // ledger's verdict in `code`/`reason`, or an error (bad signature: INVALID_ARGUMENT;
  // not committed in time: DEADLINE_EXCEEDED).
  struct Outcome {
    Status status;
    cluster::TxStatus tx;
  };
  // `verified` (optional, parallel to `txs`): signatures the caller already checked
  // (VerifyTransaction), so they are not checked again.
  virtual std::vector<Outcome> SubmitAndWait(
      const std::vector<ledger::TxEnvelope>& txs, int timeout_ms,
      const std::vector<std::shared_ptr<VerifiedTx>>* verified = nullptr) = 0;
  // `listener` is called on the consensus thread after each committed block, with the
  // ledger (safe to read there, and only there). Keep it short.
  virtual void AddBlockListener(
      std::function<void(const ledger::Block&, const Ledger&)> listener) = 0;
  // This node's status (role, height, view, leader, peers). Runs on the consensus thread.
  virtual Result<cluster::NodeStatus> NodeState() = 0;
  // The role, view and leader as of the consensus thread's last tick (10 ms old at
  // most), without waiting on consensus: for frequent reads such as the explorer's.
  struct ConsensusView {
    std::string role;
    uint64_t view = 0;
    std::string leader;
  };
  virtual ConsensusView CurrentView() = 0;
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
  // The public API address from the options or network.json (empty: not served).
  virtual std::string api_address() const = 0;
  // The operations (HTTP) address, likewise.
  virtual std::string http_address() const = 0;
  // The node's TLS identity (for the public API server).
  virtual const TlsMaterial& tls() const = 0;
  // The node's services for the public API (owned by the node).
  virtual NodeBackend* backend() = 0;
};

}  // namespace carledger::service
