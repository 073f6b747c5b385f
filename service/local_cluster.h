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
#include "service/cluster_client.h"

namespace carledger::service {

struct LocalClusterOptions {
  std::string dir;          // the network directory (created)
  std::string node_binary;  // carledger-node
  std::string cli_binary;   // carledger
  int validators = 4;
  int observers = 0;
  int base_port = 0;                   // 0: picked from the pid
  std::vector<std::string> node_args;  // extra carledger-node flags
  // Extra flags for one node, by name (after node_args), e.g. {"node1", {"--ca-dir", ...}}.
  std::map<std::string, std::vector<std::string>> node_args_by_name;
  std::vector<std::string> init_args;  // extra init-network flags (e.g. --epoch 8)
  // Added to each node's nice value (0: as this process). A benchmark of a desktop app
  // raises it so the cluster, which on a user's machine runs elsewhere, does not take
  // the cores from the app being measured.
  int niceness = 0;
};

class LocalCluster {
 public:
  static Result<std::unique_ptr<LocalCluster>> Create(const LocalClusterOptions& options);
  ~LocalCluster();  // stops every node it started

  const std::vector<std::string>& validators() const { return client_->validators(); }
  const std::vector<std::string>& observers() const { return client_->observers(); }
  const std::string& dir() const { return options_.dir; }
  std::string DataDir(const std::string& name) const { return options_.dir + "/" + name; }
  // The node's key fingerprint (its id in the replica's status), and back.
  std::string IdOf(const std::string& name) const { return client_->IdOf(name); }
  std::string NameOf(const std::string& id) const { return client_->NameOf(id); }
  const ClusterClient& client() const { return *client_; }

  // Re-reads network.json (after `carledger add-validator` added a node).
  Status Reload();
  // Runs `carledger ARGS... --network DIR`; returns its exit code and output.
  int RunCli(const std::vector<std::string>& args, std::string* output = nullptr) const;

  Status Start(const std::string& name);
  Status StartAll();
  // Sends `signal` and waits for the process to exit.
  void Kill(const std::string& name, int signal);
  bool Running(const std::string& name) const { return pids_.count(name) > 0; }
  // Waits until the node answers Status (false after `timeout_ms`).
  bool WaitReady(const std::string& name, int timeout_ms = 20000);

  std::unique_ptr<cluster::Cluster::Stub> Stub(const std::string& name) const {
    return client_->Stub(name);
  }
  Result<cluster::NodeStatus> NodeStatus(const std::string& name) const {
    return client_->NodeStatus(name);
  }

 private:
  explicit LocalCluster(LocalClusterOptions options) : options_(std::move(options)) {}
  LocalClusterOptions options_;
  std::unique_ptr<ClusterClient> client_;
  std::map<std::string, pid_t> pids_;
};

}  // namespace carledger::service
