// The apps' one way to the cluster: TLS channels to every node of the network profile,
// trusting only the network's CA; every RPC asynchronous through gRPC's callback API, its
// result delivered on the GUI thread as a call of the caller's function (never blocking the
// event loop); a call that finds its node unavailable is retried on the next node (every
// RPC of the public API is safe to repeat: a transaction resubmitted is committed once),
// and the connection state (which node, online or not) is published for the status bar.
#pragma once

#include <grpcpp/grpcpp.h>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <type_traits>
#include <unordered_map>

#include "apps/common/network_profile.h"
#include "apps/common/rpc_error.h"
#include "carledger_api.grpc.pb.h"

namespace carledger::app {

class Connection : public QObject {
  Q_OBJECT

 public:
  enum class State { kConnecting, kOnline, kFailingOver, kOffline };
  Q_ENUM(State)

  // A callback-API method of a generated stub, e.g.
  // &v1::Market::StubInterface::async_interface::Search.
  template <class Service, class Req, class Reply>
  using Method = void (Service::StubInterface::async_interface::*)(
      grpc::ClientContext*, const Req*, Reply*, std::function<void(grpc::Status)>);
  template <class Reply>
  using Done = std::function<void(const RpcError&, const Reply&)>;

  struct CallOptions {
    int timeout_ms = 10000;
    bool failover = true;  // retry on the next node when this one is unavailable
    // A particular node (index into the profile's nodes), for a second opinion: no failover,
    // and its answer does not move the connection. -1: the current node.
    int node = -1;
  };

  explicit Connection(NetworkProfile profile, QObject* parent = nullptr);
  // Cancels the calls still in flight and waits for gRPC to let go of them.
  ~Connection() override;

  // Starts `method(request)` on the current node (or options.node). `done` runs later on the GUI
  // thread with the outcome, unless `receiver` was destroyed first (then nothing runs). Must be
  // called on the GUI thread.
  template <class Service, class Req, class Reply>
  void call(Method<Service, Req, Reply> method, Req request, QObject* receiver,
            std::type_identity_t<Done<Reply>> done, CallOptions options = {});

  // The bearer token sent with every call (empty: none).
  void setAccessToken(const QString& token) { access_token_ = token.toStdString(); }
  const std::string& accessToken() const { return access_token_; }

  State state() const { return state_; }
  QString currentNodeName() const { return profile_.nodes.value(current_).name; }
  int currentNode() const { return current_; }
  int nodeCount() const { return static_cast<int>(channels_.size()); }
  // The index of the node named `name` in the profile, or -1.
  int nodeIndex(const QString& name) const;
  const NetworkProfile& profile() const { return profile_; }
  std::shared_ptr<grpc::Channel> channel(int node) const { return channels_.at(node); }
  // Calls started and not yet delivered.
  int callsInFlight() const { return in_flight_; }

  // Streams report a node that dropped them; the connection moves to the next node.
  void reportUnavailable(int node);
  // Streams report a node that served them.
  void reportOnline(int node);

  // Probes the current node every `interval_ms` (0 stops) so the state stays true while idle.
  void setProbeInterval(int interval_ms);

 signals:
  void stateChanged(carledger::app::Connection::State state, const QString& node);
  // A call was refused for its token (expired or revoked): the session decides what next.
  void unauthenticated(const QString& message);
  // The chain height the last probe saw.
  void chainHeight(quint64 height);

 private:
  struct PendingCall {
    virtual ~PendingCall() = default;
    // Issues the RPC with `ctx` on `channel`; `on_done` runs on a gRPC thread.
    virtual void Start(const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* ctx,
                       std::function<void(grpc::Status)> on_done) = 0;
    // Delivers the outcome (GUI thread).
    virtual void Deliver(const RpcError& error) = 0;
    QPointer<QObject> receiver;
    bool had_receiver = false;
    CallOptions options;
    int attempts = 0;
    std::unique_ptr<grpc::ClientContext> ctx;
  };
  template <class Service, class Req, class Reply>
  struct TypedCall final : PendingCall {
    Method<Service, Req, Reply> method;
    Req request;
    Reply reply;
    Done<Reply> done;
    std::unique_ptr<typename Service::Stub> stub;
    void Start(const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* ctx,
               std::function<void(grpc::Status)> on_done) override {
      reply.Clear();
      stub = Service::NewStub(channel);
      (stub->async()->*method)(ctx, &request, &reply, std::move(on_done));
    }
    void Deliver(const RpcError& error) override { done(error, reply); }
  };

  void Launch(std::shared_ptr<PendingCall> call);
  void Finish(std::shared_ptr<PendingCall> call, int node, grpc::Status status,
              std::string field_errors);
  void SetState(State state);
  void Probe();

  NetworkProfile profile_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  int current_ = 0;
  State state_ = State::kConnecting;
  std::string access_token_;
  int in_flight_ = 0;
  QTimer probe_timer_;
  QElapsedTimer since_answer_;

  // Every call in progress, owned here on the GUI thread; gRPC's threads see only raw
  // pointers. A call's stub and context hold its channel, and grpc 1.51's callback threads
  // abort when the last reference to a channel drops on one of them (the channel releases
  // the callback queue those threads serve), so calls end and die on the GUI thread only.
  std::unordered_map<PendingCall*, std::shared_ptr<PendingCall>> calls_;

  // Contexts of calls inside gRPC, for cancelling at shutdown.
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<grpc::ClientContext*> live_;
};

template <class Service, class Req, class Reply>
void Connection::call(Method<Service, Req, Reply> method, Req request, QObject* receiver,
                      std::type_identity_t<Done<Reply>> done, CallOptions options) {
  auto c = std::make_shared<TypedCall<Service, Req, Reply>>();
  c->method = method;
  c->request = std::move(request);
  c->done = std::move(done);
  c->receiver = receiver;
  c->had_receiver = receiver != nullptr;
  c->options = options;
  ++in_flight_;
  Launch(std::move(c));
}

// Calls a paged list method page after page (following next_page_token, at most
// `max_pages` pages of the request's page_size) and delivers them as one reply: repeated
// fields appended in order, next_page_token that of the last page fetched ("" when the list
// was read to its end). An error on a later page delivers the pages before it with that
// error. Like Connection::call, `done` runs on the GUI thread unless `receiver` is gone.
template <class Service, class Req, class Reply>
void CallAllPages(Connection* connection, Connection::Method<Service, Req, Reply> method,
                  Req request, QObject* receiver,
                  std::type_identity_t<Connection::Done<Reply>> done, int max_pages = 10,
                  std::shared_ptr<Reply> so_far = nullptr) {
  if (!so_far) so_far = std::make_shared<Reply>();
  connection->call<Service>(
      method, request, receiver, [=](const RpcError& e, const Reply& page) mutable {
        if (e.ok()) {
          so_far->MergeFrom(page);
          so_far->set_next_page_token(page.next_page_token());  // "" is not merged
        }
        if (e.ok() && !page.next_page_token().empty() && max_pages > 1) {
          request.set_page_token(page.next_page_token());
          CallAllPages<Service>(connection, method, std::move(request), receiver, std::move(done),
                                max_pages - 1, std::move(so_far));
          return;
        }
        done(e, *so_far);
      });
}

// The services' callback interfaces, for short call sites: &MarketRpc::Search.
using AccountsRpc = v1::Accounts::StubInterface::async_interface;
using MarketRpc = v1::Market::StubInterface::async_interface;
using InspectionsRpc = v1::Inspections::StubInterface::async_interface;
using TradesRpc = v1::Trades::StubInterface::async_interface;
using WalletRpc = v1::Wallet::StubInterface::async_interface;
using CommunityRpc = v1::Community::StubInterface::async_interface;
using ExplorerRpc = v1::Explorer::StubInterface::async_interface;
using AdminRpc = v1::Admin::StubInterface::async_interface;
}  // namespace carledger::app
