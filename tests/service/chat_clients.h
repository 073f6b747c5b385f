// Test clients for the public API's user streams: a chat stream and a notification
// stream, each collecting what the server sends on a thread of its own.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "carledger_api.grpc.pb.h"
#include "common/json.h"
#include "ledger/network_dir.h"

namespace carledger::service {

inline constexpr auto kWait = std::chrono::seconds(30);

// A TLS channel to node `node`'s public API in the network directory `dir`.
inline std::shared_ptr<grpc::Channel> NodeChannel(const std::string& dir, int node) {
  auto manifest = Json::Parse(ReadFile(dir + "/network.json").value()).value();
  const Json& n = manifest.get("nodes").as_array()[static_cast<size_t>(node)];
  grpc::SslCredentialsOptions creds;
  creds.pem_root_certs = ReadFile(dir + "/ca/ca.crt").value();
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride(n.get_string("tls_name"));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(n.get_string("api_address"), grpc::SslCredentials(creds), args);
}

// Collects what a server stream sends, on a thread of its own.
template <typename Message>
class Inbox {
 public:
  void Add(const Message& m) {
    std::lock_guard l(mu_);
    got_.push_back(m);
    cv_.notify_all();
  }
  void End() {
    std::lock_guard l(mu_);
    ended_ = true;
    cv_.notify_all();
  }
  // Waits until `n` messages arrived or the stream ended (at most kWait); returns them all.
  std::vector<Message> WaitFor(size_t n) {
    std::unique_lock l(mu_);
    cv_.wait_for(l, kWait, [&] { return got_.size() >= n || ended_; });
    return got_;
  }
  bool WaitEnded() {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, kWait, [&] { return ended_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Message> got_;
  bool ended_ = false;
};

// One user's chat stream.
class ChatClient {
 public:
  ChatClient(v1::Community::Stub* stub, const std::string& token) {
    if (!token.empty()) ctx_.AddMetadata("authorization", "Bearer " + token);
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(3));
    stream_ = stub->Chat(&ctx_);
    reader_ = std::thread([this] {
      v1::ChatMessage m;
      while (stream_->Read(&m)) inbox_.Add(m);
      inbox_.End();
    });
  }
  ~ChatClient() { Cancel(); }

  bool Send(const std::string& to, const std::string& body, const std::string& client_id) {
    v1::ChatClientFrame f;
    f.mutable_send()->set_to(to);
    f.mutable_send()->set_body(body);
    f.mutable_send()->set_client_id(client_id);
    return stream_->Write(f);
  }
  bool Ack(const v1::ChatMessage& m) { return Ack(m.conversation(), m.seq()); }
  bool Ack(const std::string& conversation, uint64_t seq) {
    v1::ChatClientFrame f;
    f.set_ack_seq(seq);
    f.set_ack_conversation(conversation);
    return stream_->Write(f);
  }
  std::vector<v1::ChatMessage> WaitFor(size_t n) { return inbox_.WaitFor(n); }
  // Closes our side and returns the server's status.
  grpc::Status Close() {
    stream_->WritesDone();
    return Finish();
  }
  // Waits for the server to end the stream; its status.
  grpc::Status Finish() {
    if (finished_) return status_;
    reader_.join();
    status_ = stream_->Finish();
    finished_ = true;
    return status_;
  }
  // Drops the connection without a word (like a client that crashed).
  void Cancel() {
    if (finished_) return;
    ctx_.TryCancel();
    Finish();
  }
  bool WaitEnded() { return inbox_.WaitEnded(); }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::ChatClientFrame, v1::ChatMessage>> stream_;
  Inbox<v1::ChatMessage> inbox_;
  std::thread reader_;
  bool finished_ = false;
  grpc::Status status_;
};

// One user's notification stream.
class NotificationClient {
 public:
  NotificationClient(v1::Notifications::Stub* stub, const std::string& token, uint64_t after) {
    ctx_.AddMetadata("authorization", "Bearer " + token);
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(3));
    v1::SubscribeRequest req;
    req.set_after_seq(after);
    stream_ = stub->Subscribe(&ctx_, req);
    reader_ = std::thread([this] {
      v1::Notification n;
      while (stream_->Read(&n)) inbox_.Add(n);
      inbox_.End();
    });
  }
  ~NotificationClient() {
    ctx_.TryCancel();
    reader_.join();
    stream_->Finish();
  }
  std::vector<v1::Notification> WaitFor(size_t n) { return inbox_.WaitFor(n); }
  bool WaitEnded() { return inbox_.WaitEnded(); }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<v1::Notification>> stream_;
  Inbox<v1::Notification> inbox_;
  std::thread reader_;
};

inline std::vector<std::string> Bodies(const std::vector<v1::ChatMessage>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.body());
  return out;
}

}  // namespace carledger::service
