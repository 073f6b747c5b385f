#include "apps/common/chat_stream.h"

#include <QUuid>

namespace carledger::app {

// One open Chat call. Writes are queued: the callback API allows one write in flight.
class ChatStream::Stream final
    : public grpc::ClientBidiReactor<v1::ChatClientFrame, v1::ChatMessage> {
 public:
  Stream(ChatStream* owner, int node, std::unique_ptr<v1::Community::Stub> stub,
         const std::string& token)
      : owner_(owner), node_(node), stub_(std::move(stub)) {
    if (!token.empty()) ctx_.AddMetadata("authorization", "Bearer " + token);
    stub_->async()->Chat(&ctx_, this);
    StartRead(&in_);
    StartCall();
  }
  void Write(v1::ChatClientFrame frame) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    out_.push_back(std::move(frame));
    if (out_.size() == 1) StartWrite(&out_.front());
  }
  void Cancel() { ctx_.TryCancel(); }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ok) {
      closed_ = true;
      return;
    }
    out_.pop_front();
    if (!out_.empty()) StartWrite(&out_.front());
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    v1::ChatMessage m = in_;
    QMetaObject::invokeMethod(
        owner_, [o = owner_, m] { o->OnMessage(m); }, Qt::QueuedConnection);
    StartRead(&in_);
  }
  void OnDone(const grpc::Status& s) override {
    ChatStream* o = owner_;
    const int node = node_;
    QMetaObject::invokeMethod(
        o, [o, node, s] { o->OnClosed(node, s); }, Qt::QueuedConnection);
    std::lock_guard<std::mutex> lock(o->mu_);
    if (o->stream_ == this) o->stream_ = nullptr;  // nothing cancels or writes to it any more
    // Deleted before the owner may finish its destructor: the context and the stub hold the
    // channel, and its last reference must never drop on a gRPC thread (see Connection).
    delete this;
    --o->streams_alive_;
    o->cv_.notify_all();
  }

 private:
  ChatStream* owner_;
  int node_;
  std::unique_ptr<v1::Community::Stub> stub_;
  grpc::ClientContext ctx_;
  v1::ChatMessage in_;
  std::mutex mu_;
  std::deque<v1::ChatClientFrame> out_;
  bool closed_ = false;
};

ChatStream::ChatStream(Connection* connection, QObject* parent)
    : QObject(parent), connection_(connection) {
  reopen_.setSingleShot(true);
  connect(&reopen_, &QTimer::timeout, this, &ChatStream::Open);
}

ChatStream::~ChatStream() {
  running_ = false;
  std::unique_lock<std::mutex> lock(mu_);
  if (stream_) stream_->Cancel();
  cv_.wait(lock, [this] { return streams_alive_ == 0; });
}

void ChatStream::start() {
  running_ = true;
  backoff_ms_ = 250;
  Open();
}

void ChatStream::stop() {
  running_ = false;
  reopen_.stop();
  std::lock_guard<std::mutex> lock(mu_);
  if (stream_) stream_->Cancel();
}

void ChatStream::Open() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!running_ || stream_) return;
  const int node = connection_->currentNode();
  ++streams_alive_;
  stream_ = new Stream(this, node, v1::Community::NewStub(connection_->channel(node)),
                       connection_->accessToken());
  // Whatever was not confirmed is sent again; the client id makes that harmless.
  for (const auto& [id, send] : unconfirmed_) {
    v1::ChatClientFrame f;
    *f.mutable_send() = send;
    stream_->Write(f);
  }
  live_ = true;
  emit liveChanged(true);
}

QString ChatStream::send(const QString& to, const QString& body) {
  v1::ChatSend s;
  s.set_to(to.toStdString());
  s.set_body(body.toStdString());
  s.set_client_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
  unconfirmed_[s.client_id()] = s;
  std::lock_guard<std::mutex> lock(mu_);
  if (stream_) {
    v1::ChatClientFrame f;
    *f.mutable_send() = s;
    stream_->Write(f);
  }
  return QString::fromStdString(s.client_id());
}

void ChatStream::acknowledge(const QString& conversation, quint64 seq) {
  v1::ChatClientFrame f;
  f.set_ack_seq(seq);
  f.set_ack_conversation(conversation.toStdString());
  std::lock_guard<std::mutex> lock(mu_);
  if (stream_) stream_->Write(f);
}

void ChatStream::OnMessage(const v1::ChatMessage& m) {
  backoff_ms_ = 250;
  unconfirmed_.erase(m.client_id());
  uint64_t& seen = seen_[m.conversation()];
  if (m.seq() != 0 && m.seq() <= seen) return;  // delivered before a reconnect
  seen = std::max<uint64_t>(seen, m.seq());
  emit message(m);
}

void ChatStream::OnClosed(int node, const grpc::Status& status) {
  live_ = false;
  emit liveChanged(false);
  if (!running_) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) connection_->reportUnavailable(node);
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    running_ = false;
    return;
  }
  reopen_.start(backoff_ms_);
  backoff_ms_ = std::min(backoff_ms_ * 2, 4000);
}

}  // namespace carledger::app
