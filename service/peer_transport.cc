#include "service/peer_transport.h"

#include <chrono>
#include <cstdio>

#include "common/x509.h"

namespace carledger::service {

std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const TlsMaterial& tls) {
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = tls.ca_pem;
  o.pem_private_key = tls.key_pem;
  o.pem_cert_chain = tls.cert_pem;
  return grpc::SslCredentials(o);
}

std::shared_ptr<grpc::Channel> MakeChannel(const PeerEndpoint& peer, const TlsMaterial& tls) {
  grpc::ChannelArguments args;
  // Node certificates name the node (validator0, ...), not its host: check that name.
  args.SetSslTargetNameOverride(peer.tls_name);
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(peer.address, ClientCredentials(tls), args);
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsMaterial& tls) {
  grpc::SslServerCredentialsOptions o(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  o.pem_root_certs = tls.ca_pem;
  o.pem_key_cert_pairs.push_back({tls.key_pem, tls.cert_pem});
  return grpc::SslServerCredentials(o);
}

PeerTransport::PeerTransport(TransportOptions options, Deliver deliver)
    : options_(std::move(options)), deliver_(std::move(deliver)) {
  for (const auto& p : options_.peers) {
    if (p.id == options_.self_id) continue;
    auto out = std::make_unique<Outbound>();
    out->peer = p;
    out_[p.id] = std::move(out);
  }
}

PeerTransport::~PeerTransport() {
  Stop();
}

void PeerTransport::AddPeer(const PeerEndpoint& peer) {
  if (peer.id == options_.self_id) return;
  std::lock_guard<std::mutex> lock(out_mu_);
  if (out_.count(peer.id)) return;
  auto out = std::make_unique<Outbound>();
  out->peer = peer;
  Outbound* o = out.get();
  out_[peer.id] = std::move(out);
  if (running_) o->thread = std::thread([this, o] { RunOutbound(o); });
}

void PeerTransport::Start() {
  std::lock_guard<std::mutex> map_lock(out_mu_);
  running_ = true;
  for (auto& [id, out] : out_) {
    Outbound* o = out.get();
    o->thread = std::thread([this, o] { RunOutbound(o); });
  }
}

void PeerTransport::Stop() {
  std::lock_guard<std::mutex> map_lock(out_mu_);
  if (!running_.exchange(false)) return;
  for (auto& [id, out] : out_) {
    std::lock_guard<std::mutex> lock(out->mu);
    if (out->ctx != nullptr) out->ctx->TryCancel();  // unblocks a Write stuck on a slow peer
    out->cv.notify_all();
  }
  for (auto& [id, out] : out_) {
    if (out->thread.joinable()) out->thread.join();
  }
}

void PeerTransport::Send(const std::string& peer, const pbft::MessagePtr& msg) {
  Outbound* found = nullptr;
  {
    std::lock_guard<std::mutex> map_lock(out_mu_);
    auto it = out_.find(peer);
    if (it == out_.end()) return;
    found = it->second.get();  // entries are never removed
  }
  Outbound& o = *found;
  {
    std::lock_guard<std::mutex> lock(o.mu);
    size_t size = msg->ByteSizeLong();
    if (!o.connected) {
      // A peer that is down gets only the newest few messages when it comes back: a queue
      // filled while it was away (batches, votes, long stale) would be delivered first, and
      // a restarted node spent seconds checking it before the blocks it asked for arrived.
      while (!o.queue.empty() && (o.queue.size() >= kDisconnectedQueueLimit ||
                                  o.queued_bytes + size > kDisconnectedQueueBytes)) {
        o.queued_bytes -= o.queue.front().second;
        o.queue.pop_front();
        ++dropped_;
      }
    }
    if (o.queue.size() >= options_.queue_limit || o.queued_bytes + size > options_.queue_bytes) {
      // Said once per run of drops: the replica retransmits what matters, but an operator
      // should know a peer is not keeping up.
      if (o.dropping++ == 0) {
        std::fprintf(stderr,
                     "carledger-node %s: the queue to %s is full (%zu messages, %zu bytes); "
                     "dropping until it drains\n",
                     options_.self_id.substr(0, 12).c_str(), o.peer.tls_name.c_str(),
                     o.queue.size(), o.queued_bytes);
      }
      ++dropped_;
      return;
    }
    o.dropping = 0;
    o.queued_bytes += size;
    o.queue.emplace_back(msg, size);
  }
  o.cv.notify_one();
}

bool PeerTransport::Connected(const std::string& peer) const {
  std::lock_guard<std::mutex> map_lock(out_mu_);
  auto it = out_.find(peer);
  return it != out_.end() && it->second->connected.load();
}

void PeerTransport::RunOutbound(Outbound* o) {
  int backoff_ms = 100;
  while (running_) {
    auto channel = MakeChannel(o->peer, options_.tls);
    auto stub = cluster::Peer::NewStub(channel);
    grpc::ClientContext ctx;
    {
      std::lock_guard<std::mutex> lock(o->mu);
      if (!running_) break;
      o->ctx = &ctx;
    }
    auto stream = stub->Connect(&ctx);
    bool ok = true;
    bool first = true;
    while (running_ && ok) {
      pbft::MessagePtr msg;
      {
        std::unique_lock<std::mutex> lock(o->mu);
        o->cv.wait_for(lock, std::chrono::milliseconds(200),
                       [&] { return !o->queue.empty() || !running_; });
        if (!running_) break;
        if (!o->queue.empty()) {
          msg = o->queue.front().first;
          o->queued_bytes -= o->queue.front().second;
          o->queue.pop_front();
        }
      }
      if (!msg) continue;  // idle (the replica's periodic status keeps streams busy)
      ok = stream->Write(*msg);
      if (ok && first) {
        first = false;
        o->connected = true;
        backoff_ms = 100;
        std::lock_guard<std::mutex> lock(o->mu);
        o->redial = false;  // a dial-in during this attempt: this connection answers it
      }
    }
    o->connected = false;
    ctx.TryCancel();
    grpc::Status closed = stream->Finish();
    if (running_ && !first) {  // it had been up (not a peer that is still starting)
      std::fprintf(stderr, "carledger-node %s: the stream to %s closed (%s); reconnecting\n",
                   options_.self_id.substr(0, 12).c_str(), o->peer.tls_name.c_str(),
                   closed.error_message().c_str());
    }
    {
      std::lock_guard<std::mutex> lock(o->mu);
      o->ctx = nullptr;
    }
    if (!running_) break;
    // Reconnect with backoff; what was queued meanwhile is dropped down to the newest. The
    // wait ends early when the peer dials us: a restarted node otherwise heard nothing (no
    // status, none of the blocks it asked for) for up to the whole backoff.
    std::unique_lock<std::mutex> lock(o->mu);
    if (o->cv.wait_for(lock, std::chrono::milliseconds(backoff_ms),
                       [&] { return o->redial || !running_; })) {
      if (o->redial) ++early_redials_;
      backoff_ms = 100;
    } else {
      backoff_ms = std::min(backoff_ms * 2, 2000);
    }
    o->redial = false;
  }
}

void PeerTransport::RedialSoon(const std::string& tls_name) {
  std::lock_guard<std::mutex> map_lock(out_mu_);
  for (auto& [id, out] : out_) {
    if (out->peer.tls_name != tls_name || out->connected) continue;
    std::lock_guard<std::mutex> lock(out->mu);
    out->redial = true;
    out->cv.notify_all();
  }
}

grpc::Status PeerTransport::Connect(
    grpc::ServerContext* ctx,
    grpc::ServerReaderWriter<consensus::SignedMessage, consensus::SignedMessage>* stream) {
  // TLS already checked the chain; only validators may take part in consensus.
  auto auth = ctx->auth_context();
  auto pems = auth ? auth->FindPropertyValues("x509_pem_cert") : std::vector<grpc::string_ref>();
  if (pems.empty())
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "a client certificate is required");
  auto cert = Certificate::FromPem(std::string(pems.front().data(), pems.front().size()));
  if (!cert.ok() || cert->role() != Role::kValidator) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "only validators may open a peer stream");
  }
  RedialSoon(cert->common_name());
  // Validators are known by their key's fingerprint: the stream speaks for this one.
  const std::string link = cert->public_key().Fingerprint();
  consensus::SignedMessage msg;
  while (stream->Read(&msg)) {
    deliver_(std::move(msg), link);
    msg.Clear();
  }
  return grpc::Status::OK;
}

}  // namespace carledger::service
