#include "apps/common/notification_stream.h"

namespace carledger::app {

// One open Subscribe call; deletes itself when gRPC is done with it.
class NotificationStream::Reader final : public grpc::ClientReadReactor<v1::Notification> {
 public:
  Reader(NotificationStream* owner, int node) : owner_(owner), node_(node) {}

  void Begin(std::unique_ptr<v1::Notifications::Stub> stub, const v1::SubscribeRequest& req,
             const std::string& token) {
    if (!token.empty()) ctx_.AddMetadata("authorization", "Bearer " + token);
    request_ = req;
    stub_ = std::move(stub);
    stub_->async()->Subscribe(&ctx_, &request_, this);
    StartRead(&message_);
    StartCall();
  }
  void Cancel() { ctx_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ends; OnDone follows
    v1::Notification n = message_;
    QMetaObject::invokeMethod(
        owner_, [o = owner_, n] { o->OnMessage(n); }, Qt::QueuedConnection);
    StartRead(&message_);
  }
  void OnDone(const grpc::Status& s) override {
    NotificationStream* o = owner_;
    const int node = node_;
    QMetaObject::invokeMethod(
        o, [o, node, s] { o->OnClosed(node, s); }, Qt::QueuedConnection);
    std::lock_guard<std::mutex> lock(o->mu_);
    if (o->reader_ == this) o->reader_ = nullptr;  // nothing cancels or writes to it any more
    // Deleted before the owner may finish its destructor: the context and the stub hold the
    // channel, and its last reference must never drop on a gRPC thread (see Connection).
    delete this;
    --o->readers_alive_;
    o->cv_.notify_all();
  }

 private:
  NotificationStream* owner_;
  int node_;
  std::unique_ptr<v1::Notifications::Stub> stub_;
  grpc::ClientContext ctx_;
  v1::SubscribeRequest request_;
  v1::Notification message_;
};

NotificationStream::NotificationStream(Connection* connection, QObject* parent)
    : QObject(parent), connection_(connection) {
  reopen_.setSingleShot(true);
  connect(&reopen_, &QTimer::timeout, this, &NotificationStream::Open);
}

NotificationStream::~NotificationStream() {
  running_ = false;
  std::unique_lock<std::mutex> lock(mu_);
  if (reader_) reader_->Cancel();
  cv_.wait(lock, [this] { return readers_alive_ == 0; });
}

void NotificationStream::start() {
  running_ = true;
  backoff_ms_ = 250;
  if (!reader_) Open();
}

void NotificationStream::stop() {
  running_ = false;
  reopen_.stop();
  std::lock_guard<std::mutex> lock(mu_);
  if (reader_) reader_->Cancel();
}

void NotificationStream::Open() {
  if (!running_ || reader_) return;
  const int node = connection_->currentNode();
  auto stub = v1::Notifications::NewStub(connection_->channel(node));
  v1::SubscribeRequest req;
  req.set_after_seq(last_seq_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    reader_ = new Reader(this, node);
    ++readers_alive_;
  }
  reader_->Begin(std::move(stub), req, connection_->accessToken());
  emit liveChanged(true);
}

void NotificationStream::OnMessage(const v1::Notification& n) {
  backoff_ms_ = 250;
  if (n.seq() != 0 && n.seq() <= last_seq_) return;  // already shown (a resumed stream)
  if (n.seq() != 0) last_seq_ = n.seq();
  emit notification(n);
}

void NotificationStream::OnClosed(int node, const grpc::Status& status) {
  emit liveChanged(false);
  if (!running_) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    connection_->reportUnavailable(node);
  } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    running_ = false;  // the session decides (refresh or sign in again)
    return;
  }
  reopen_.start(backoff_ms_);
  backoff_ms_ = std::min(backoff_ms_ * 2, 4000);
}

}  // namespace carledger::app
