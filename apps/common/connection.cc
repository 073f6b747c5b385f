#include "apps/common/connection.h"

#include <chrono>

namespace carledger::app {

Connection::Connection(NetworkProfile profile, QObject* parent)
    : QObject(parent), profile_(std::move(profile)) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = profile_.ca_pem.toStdString();
  auto creds = grpc::SslCredentials(ssl);
  // Only the network's CA may vouch for a node: without it there is nothing to connect to.
  for (const NodeEndpoint& n :
       IsPemCertificate(profile_.ca_pem) ? profile_.nodes : QList<NodeEndpoint>{}) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(n.tls_name.toStdString());
    // A dead node is noticed fast and retried often enough to come back within seconds.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels_.push_back(grpc::CreateCustomChannel(n.address.toStdString(), creds, args));
  }
  connect(&probe_timer_, &QTimer::timeout, this, &Connection::Probe);
  since_answer_.start();
}

Connection::~Connection() {
  probe_timer_.stop();
  std::unique_lock<std::mutex> lock(mu_);
  for (grpc::ClientContext* ctx : live_) ctx->TryCancel();
  cv_.wait(lock, [this] { return live_.empty(); });
  calls_.clear();  // before channels_: the calls' stubs and contexts release them here
}

void Connection::Launch(std::shared_ptr<PendingCall> call) {
  if (channels_.empty()) {
    --in_flight_;
    if (call->receiver)
      call->Deliver(LocalError(grpc::StatusCode::UNAVAILABLE, tr("no node to connect to")));
    return;
  }
  const bool pinned = call->options.node >= 0 && call->options.node < nodeCount();
  const int node = pinned ? call->options.node : current_;
  PendingCall* raw = call.get();
  calls_[raw] = call;
  call->ctx = std::make_unique<grpc::ClientContext>();
  grpc::ClientContext* ctx = call->ctx.get();
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(call->options.timeout_ms));
  if (!access_token_.empty()) ctx->AddMetadata("authorization", "Bearer " + access_token_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    live_.insert(ctx);
  }
  call->Start(channels_[node], ctx, [this, raw, node, ctx](grpc::Status status) {
    std::string field_errors;
    const auto& trailers = ctx->GetServerTrailingMetadata();
    if (auto it = trailers.find("field-errors-bin"); it != trailers.end()) {
      field_errors.assign(it->second.data(), it->second.size());
    }
    QMetaObject::invokeMethod(
        this,
        [this, raw, node, status = std::move(status), fe = std::move(field_errors)]() mutable {
          auto it = calls_.find(raw);
          if (it == calls_.end()) return;
          std::shared_ptr<PendingCall> owned = std::move(it->second);
          calls_.erase(it);
          Finish(std::move(owned), node, std::move(status), std::move(fe));
        },
        Qt::QueuedConnection);
    std::lock_guard<std::mutex> lock(mu_);
    live_.erase(ctx);
    cv_.notify_all();
  });
}

void Connection::Finish(std::shared_ptr<PendingCall> call, int node, grpc::Status status,
                        std::string field_errors) {
  const grpc::StatusCode code = status.error_code();
  // Unavailable, or silent past the deadline: that node is not serving us now.
  const bool node_down = code == grpc::StatusCode::UNAVAILABLE ||
                         (code == grpc::StatusCode::DEADLINE_EXCEEDED && nodeCount() > 1);
  // A call pinned to one node is a second opinion: it neither fails over nor moves the
  // connection.
  const bool pinned = call->options.node >= 0;
  if (!pinned && node_down) {
    reportUnavailable(node);
    if (call->options.failover && ++call->attempts < nodeCount() &&
        (!call->had_receiver || call->receiver)) {
      Launch(std::move(call));
      return;
    }
    if (call->attempts >= nodeCount()) SetState(State::kOffline);
  } else if (!pinned) {
    reportOnline(node);
  }
  --in_flight_;
  RpcError error = MakeRpcError(status, field_errors);
  error.node = profile_.nodes.value(node).name;
  if (code == grpc::StatusCode::UNAVAILABLE && nodeCount() > 1 && !pinned) {
    error.message =
        tr("no node of the network answered (last: %1: %2)").arg(error.node, error.message);
  }
  if (code == grpc::StatusCode::UNAUTHENTICATED) emit unauthenticated(error.message);
  if (!call->had_receiver || call->receiver) call->Deliver(error);
  call->ctx.reset();
}

int Connection::nodeIndex(const QString& name) const {
  for (int i = 0; i < nodeCount(); ++i) {
    if (profile_.nodes.value(i).name == name) return i;
  }
  return -1;
}

void Connection::reportUnavailable(int node) {
  if (node != current_) return;  // already moved on
  current_ = (current_ + 1) % std::max(1, nodeCount());
  SetState(State::kFailingOver);
}

void Connection::reportOnline(int node) {
  since_answer_.restart();
  if (node == current_) SetState(State::kOnline);
}

void Connection::SetState(State state) {
  if (state == state_ && state != State::kFailingOver) return;
  state_ = state;
  emit stateChanged(state_, currentNodeName());
}

void Connection::setProbeInterval(int interval_ms) {
  if (interval_ms <= 0) {
    probe_timer_.stop();
    return;
  }
  probe_timer_.start(interval_ms);
  Probe();
}

void Connection::Probe() {
  // Calls in flight already tell us how the node is doing.
  if (in_flight_ > 0 && since_answer_.elapsed() < probe_timer_.interval()) return;
  CallOptions o;
  o.timeout_ms = 3000;
  call<v1::Explorer>(
      &ExplorerRpc::GetChainInfo, v1::Empty(), this,
      [this](const RpcError& e, const v1::ChainInfo& info) {
        if (e.ok()) emit chainHeight(info.height());
      },
      o);
}

}  // namespace carledger::app
