// Validator-to-validator transport: gRPC bidirectional streams over mutual TLS. Each node
// dials every peer and writes its consensus messages on that stream; it receives on the
// streams its peers dialled. Only holders of a certificate from the network's CA get in
// (checked by TLS), and only validators may stream (checked here from the certificate's
// role). Each message is delivered with the validator its stream's certificate names, so
// the replica can take messages that are never forwarded as proof unsigned (replica.h,
// authenticated_links). Every queue is bounded: when a peer is slow its outgoing queue
// drops the newest messages, when it is down it keeps only the newest few (the replica
// retransmits what matters), and incoming messages wait for room in the node's inbox,
// which slows the sender through TCP flow control.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster.grpc.pb.h"
#include "ledger/pbft/messages.h"

namespace carledger::service {

struct PeerEndpoint {
  std::string id;        // validator key fingerprint
  std::string address;   // host:port
  std::string tls_name;  // the name in its certificate
};

struct TlsMaterial {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
};

// Client credentials for talking to a node: mutual TLS with our certificate.
std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const TlsMaterial& tls);
std::shared_ptr<grpc::Channel> MakeChannel(const PeerEndpoint& peer, const TlsMaterial& tls);
// Server credentials that require a client certificate from the same CA.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsMaterial& tls);

struct TransportOptions {
  std::string self_id;
  std::vector<PeerEndpoint> peers;
  TlsMaterial tls;
  size_t queue_limit = 20000;      // messages waiting per peer
  size_t queue_bytes = 64u << 20;  // and their total size
};

class PeerTransport final : public cluster::Peer::Service {
 public:
  // `deliver` is called from gRPC threads for each message received, with the id (key
  // fingerprint) of the validator whose certificate the stream was opened with; it may
  // block.
  using Deliver = std::function<void(consensus::SignedMessage&&, const std::string& link)>;
  PeerTransport(TransportOptions options, Deliver deliver);
  ~PeerTransport() override;

  // Starts dialling the peers.
  void Start();
  // Stops the outgoing streams (the server is stopped by its owner).
  void Stop();

  // Starts dialling a peer that joined after construction (nothing if it is known).
  void AddPeer(const PeerEndpoint& peer);
  // Queues `msg` for `peer`. Never blocks.
  void Send(const std::string& peer, const pbft::MessagePtr& msg);
  bool Connected(const std::string& peer) const;
  uint64_t dropped() const { return dropped_.load(); }
  // Reconnect backoffs cut short because the peer dialled us (it is up again).
  uint64_t early_redials() const { return early_redials_.load(); }

  grpc::Status Connect(grpc::ServerContext* ctx,
                       grpc::ServerReaderWriter<consensus::SignedMessage, consensus::SignedMessage>*
                           stream) override;

  // While a peer is down its queue keeps only the newest messages, up to these. About one
  // batch's worth: with 4 MB, a validator restarted after a load received five stale
  // batches (and checked their 5,000 signatures) before the first block it asked for.
  static constexpr size_t kDisconnectedQueueLimit = 64;
  static constexpr size_t kDisconnectedQueueBytes = 1u << 20;

 private:
  struct Outbound {
    PeerEndpoint peer;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<pbft::MessagePtr, size_t>> queue;  // with its size, taken once
    size_t queued_bytes = 0;
    uint64_t dropping = 0;  // messages refused since the queue was last below its limit
    std::atomic<bool> connected{false};
    bool redial = false;  // the peer dialled us: it is up, so end the backoff (under mu)
    std::thread thread;
    grpc::ClientContext* ctx = nullptr;  // the live stream's, for Stop to cancel (under mu)
  };
  void RunOutbound(Outbound* out);
  // Ends the reconnect backoff towards the peer whose certificate names `tls_name`.
  void RedialSoon(const std::string& tls_name);

  TransportOptions options_;
  Deliver deliver_;
  mutable std::mutex out_mu_;  // guards the map (each Outbound has its own lock)
  std::map<std::string, std::unique_ptr<Outbound>> out_;
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> early_redials_{0};
};

}  // namespace carledger::service
