// The validator transport over real gRPC and mutual TLS on loopback: a peer that was down
// gets only the newest few messages when it comes back (not a queue of stale batches it
// would have to check before anything current), in order, and what is sent once it is up;
// each message is delivered with the validator its stream's certificate names.
#include "service/peer_transport.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "consensus.pb.h"
#include "ledger/network.h"

namespace carledger::service {
namespace {

using Clock = std::chrono::steady_clock;

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

TlsMaterial TlsOf(const NetworkIdentities& ids, int i) {
  return {ids.ca.certificate->ToPem(), ids.validators[i].certificate->ToPem(),
          ids.validators[i].key.ToPem().value()};
}

// A network of two validators, with certificates valid from now.
Result<NetworkIdentities> TwoValidators() {
  return CreateNetworkIdentities("TransportNet", {"Org"}, 2,
                                 std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
}

// A status message whose view numbers the messages in the order they were sent.
pbft::MessagePtr Numbered(const std::string& sender, uint64_t n) {
  consensus::Message body;
  body.mutable_status()->set_view(n);
  auto msg = std::make_shared<consensus::SignedMessage>();
  msg->set_sender(sender);
  msg->set_body(body.SerializeAsString());
  return msg;
}

TEST(PeerTransportTest, APeerThatWasDownGetsOnlyTheNewestMessagesInOrder) {
  auto ids = TwoValidators();
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  int port = FreePort();
  ASSERT_GT(port, 0);
  PeerEndpoint b{ids->validators[1].id(), "127.0.0.1:" + std::to_string(port),
                 ids->validators[1].certificate->common_name()};

  TransportOptions ao;
  ao.self_id = ids->validators[0].id();
  ao.peers = {b};
  ao.tls = TlsOf(*ids, 0);
  PeerTransport a(ao, [](consensus::SignedMessage&&, const std::string&) {});
  a.Start();
  // B is down: 500 messages queue up at A.
  for (uint64_t n = 1; n <= 500; ++n) a.Send(b.id, Numbered(ao.self_id, n));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(a.Connected(b.id));

  std::mutex mu;
  std::vector<uint64_t> received;
  std::set<std::string> links;  // whom B's side said each message came from
  TransportOptions bo;
  bo.self_id = b.id;
  bo.tls = TlsOf(*ids, 1);
  PeerTransport bt(bo, [&](consensus::SignedMessage&& m, const std::string& link) {
    consensus::Message body;
    ASSERT_TRUE(body.ParseFromString(m.body()));
    std::lock_guard<std::mutex> lock(mu);
    received.push_back(body.status().view());
    links.insert(link);
  });
  grpc::ServerBuilder builder;
  builder.AddListeningPort(b.address, ServerCredentials(bo.tls));
  builder.RegisterService(&bt);
  auto server = builder.BuildAndStart();
  ASSERT_TRUE(server);

  // A reconnects (its backoff is at most 2 s) and delivers what it kept; then a fresh one.
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (!a.Connected(b.id) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(a.Connected(b.id));
  // The fresh one claims to be from B: the link still names the certificate A dialled with.
  a.Send(b.id, Numbered(b.id, 1000));
  auto got_fresh = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return !received.empty() && received.back() == 1000;
  };
  while (!got_fresh() && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(got_fresh());

  std::lock_guard<std::mutex> lock(mu);
  // The newest of what waited, then the fresh one; nothing old, nothing out of order.
  EXPECT_LE(received.size(), PeerTransport::kDisconnectedQueueLimit + 1);
  EXPECT_GE(received.size(), 2u);
  EXPECT_EQ(received[received.size() - 2], 500u);
  EXPECT_GT(received.front(), 500u - PeerTransport::kDisconnectedQueueLimit);
  for (size_t i = 1; i < received.size(); ++i) EXPECT_LT(received[i - 1], received[i]);
  EXPECT_GE(a.dropped(), 500u - PeerTransport::kDisconnectedQueueLimit);
  EXPECT_EQ(links, std::set<std::string>{ao.self_id});

  a.Stop();
  bt.Stop();
  server->Shutdown();
}

TEST(PeerTransportTest, APeerThatDialsUsEndsOurBackoffTowardsIt) {
  auto ids = TwoValidators();
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  int port_a = FreePort(), port_b = FreePort();
  ASSERT_GT(port_a, 0);
  ASSERT_GT(port_b, 0);
  PeerEndpoint a_end{ids->validators[0].id(), "127.0.0.1:" + std::to_string(port_a),
                     ids->validators[0].certificate->common_name()};
  PeerEndpoint b_end{ids->validators[1].id(), "127.0.0.1:" + std::to_string(port_b),
                     ids->validators[1].certificate->common_name()};

  // A is up and keeps failing to reach B, so its backoff grows towards 2 s.
  TransportOptions ao;
  ao.self_id = a_end.id;
  ao.peers = {b_end};
  ao.tls = TlsOf(*ids, 0);
  PeerTransport a(ao, [](consensus::SignedMessage&&, const std::string&) {});
  grpc::ServerBuilder a_builder;
  a_builder.AddListeningPort(a_end.address, ServerCredentials(ao.tls));
  a_builder.RegisterService(&a);
  auto a_server = a_builder.BuildAndStart();
  ASSERT_TRUE(a_server);
  a.Start();
  // Like a replica's periodic status: a stream finds out it is broken when it writes.
  struct StatusLoop {
    std::atomic<bool> sending{true};
    std::thread thread;
    ~StatusLoop() {
      sending = false;
      if (thread.joinable()) thread.join();
    }
  } status;
  status.thread = std::thread([&] {
    for (uint64_t n = 1; status.sending; ++n) {
      a.Send(b_end.id, Numbered(ao.self_id, n));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(a.Connected(b_end.id));
  EXPECT_EQ(a.early_redials(), 0u);

  // B comes back: it dials A before it listens itself, so A's next attempt (made at once,
  // not at the end of its backoff) fails too, and the one after finds B listening.
  TransportOptions bo;
  bo.self_id = b_end.id;
  bo.peers = {a_end};
  bo.tls = TlsOf(*ids, 1);
  PeerTransport b(bo, [](consensus::SignedMessage&&, const std::string&) {});
  b.Start();
  b.Send(a_end.id, Numbered(bo.self_id, 1));
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (a.early_redials() == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_GE(a.early_redials(), 1u);
  grpc::ServerBuilder b_builder;
  b_builder.AddListeningPort(b_end.address, ServerCredentials(bo.tls));
  b_builder.RegisterService(&b);
  auto b_server = b_builder.BuildAndStart();
  ASSERT_TRUE(b_server);
  while (!a.Connected(b_end.id) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(a.Connected(b_end.id));

  a.Stop();
  b.Stop();
  a_server->Shutdown();
  b_server->Shutdown();
}

}  // namespace
}  // namespace carledger::service
