// Chat (Community.Chat, ListConversations) and Notifications.Subscribe through the public
// API of a real 4-node cluster sharing one PostgreSQL database: delivery in order and
// exactly once across reconnects, live delivery between users connected to different
// nodes, idempotent resends, bad inputs, verbatim storage of hostile strings, pending-
// then-live notifications with resumption, a trade step reaching the other party, and
// streams ending when their node shuts down.
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>

#include "tests/service/chat_clients.h"
#include "tests/service/public_api_fixture.h"

namespace carledger::service {
namespace {

class PublicApiChatTest : public PublicApiTest {
 protected:
  static void SetUpTestSuite() {
    PublicApiTest::SetUpTestSuite();
    if (HasFatalFailure()) return;
    for (int i = 0; i < 4; ++i) {
      auto ch = NodeChannel(cluster_->dir(), i);
      community_[i] = v1::Community::NewStub(ch).release();
      notifications_[i] = v1::Notifications::NewStub(ch).release();
    }
  }
  static void TearDownTestSuite() {
    for (int i = 0; i < 4; ++i) {
      delete community_[i];
      delete notifications_[i];
    }
    PublicApiTest::TearDownTestSuite();
  }

  // A signed-in user (no wallet key needed for chat).
  static std::string NewUser(const std::string& login) { return NewTrader(login).token; }

  static grpc::Status ListConversations(int node, const std::string& token,
                                        v1::ListConversationsReply* reply) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    return community_[node]->ListConversations(&ctx, v1::Empty(), reply);
  }

  inline static v1::Community::Stub* community_[4] = {};
  inline static v1::Notifications::Stub* notifications_[4] = {};
};

TEST_F(PublicApiChatTest, DeliveredInOrderAndExactlyOnceAcrossReconnects) {
  std::string alice = NewUser("alice1"), bob = NewUser("bob1");
  {
    ChatClient a(community_[1], alice);
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(a.Send("bob1", "m" + std::to_string(i), "c" + std::to_string(i)));
    // Each send comes back as stored, with its seq.
    auto echoes = a.WaitFor(3);
    ASSERT_EQ(echoes.size(), 3u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(echoes[static_cast<size_t>(i)].seq(), static_cast<uint64_t>(i + 1));
      EXPECT_EQ(echoes[static_cast<size_t>(i)].from(), "alice1");
      EXPECT_EQ(echoes[static_cast<size_t>(i)].to(), "bob1");
    }
    EXPECT_TRUE(a.Close().ok());
  }
  std::string conversation;
  {
    // Bob was offline: everything arrives at his connection, in order. He drops the
    // connection without acknowledging anything.
    ChatClient b(community_[2], bob);
    auto got = b.WaitFor(3);
    EXPECT_EQ(Bodies(got), (std::vector<std::string>{"m1", "m2", "m3"}));
    ASSERT_EQ(got.size(), 3u);
    conversation = got[0].conversation();
    b.Cancel();
  }
  {
    // Not acknowledged: sent again, the same messages with the same seqs; he acks two.
    ChatClient b(community_[3], bob);
    auto got = b.WaitFor(3);
    ASSERT_EQ(Bodies(got), (std::vector<std::string>{"m1", "m2", "m3"}));
    EXPECT_EQ(got[2].seq(), 3u);
    EXPECT_EQ(got[2].client_id(), "c3");
    ASSERT_TRUE(b.Ack(got[1]));
    EXPECT_TRUE(b.Close().ok());
  }
  v1::ListConversationsReply list;
  ASSERT_TRUE(ListConversations(0, bob, &list).ok());
  ASSERT_EQ(list.conversations_size(), 1);
  EXPECT_EQ(list.conversations(0).id(), conversation);
  EXPECT_EQ(list.conversations(0).other(), "alice1");
  EXPECT_EQ(list.conversations(0).last().body(), "m3");
  EXPECT_EQ(list.conversations(0).unread(), 1);
  {
    // Only the unacknowledged one comes again.
    ChatClient b(community_[1], bob);
    auto got = b.WaitFor(1);
    ASSERT_EQ(Bodies(got), (std::vector<std::string>{"m3"}));
    ASSERT_TRUE(b.Ack(got[0]));
    EXPECT_TRUE(b.Close().ok());
  }
  {
    // Everything acknowledged: the first thing Bob gets now is the next new message.
    ChatClient b(community_[2], bob);
    ChatClient a(community_[0], alice);
    ASSERT_TRUE(a.Send("bob1", "m4", "c4"));
    auto got = b.WaitFor(1);
    ASSERT_EQ(Bodies(got), (std::vector<std::string>{"m4"}));
    EXPECT_EQ(got[0].seq(), 4u);
    ASSERT_TRUE(a.Send("bob1", "m5", "c5"));
    EXPECT_EQ(Bodies(b.WaitFor(2)), (std::vector<std::string>{"m4", "m5"}));
    EXPECT_TRUE(a.Close().ok());
    EXPECT_TRUE(b.Close().ok());
  }
}

TEST_F(PublicApiChatTest, LiveBetweenUsersOnDifferentNodes) {
  std::string alice = NewUser("alice2"), bob = NewUser("bob2");
  ChatClient b(community_[3], bob);
  ChatClient a(community_[1], alice);
  ASSERT_TRUE(a.Send("bob2", "first", "1"));
  ASSERT_EQ(Bodies(b.WaitFor(1)), (std::vector<std::string>{"first"}));
  // Bob's stream has done its initial read by now: these arrive live, through node 1's
  // commit and node 3's LISTEN, and Bob's replies reach Alice the same way.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(a.Send("bob2", "a" + std::to_string(i), "a" + std::to_string(i)));
    ASSERT_TRUE(b.Send("alice2", "b" + std::to_string(i), "b" + std::to_string(i)));
  }
  auto to_bob = b.WaitFor(11);  // 6 from Alice, 5 echoes of his own, interleaved
  auto to_alice = a.WaitFor(11);
  std::vector<std::string> bob_received, alice_received;
  for (const auto& m : to_bob)
    if (m.from() == "alice2") bob_received.push_back(m.body());
  for (const auto& m : to_alice)
    if (m.from() == "bob2") alice_received.push_back(m.body());
  EXPECT_EQ(bob_received, (std::vector<std::string>{"first", "a0", "a1", "a2", "a3", "a4"}));
  EXPECT_EQ(alice_received, (std::vector<std::string>{"b0", "b1", "b2", "b3", "b4"}));
  // One conversation, one sequence: 11 messages, seqs 1..11 each exactly once.
  std::set<uint64_t> seqs;
  for (const auto& m : to_bob) seqs.insert(m.seq());
  EXPECT_EQ(seqs.size(), 11u);
  EXPECT_EQ(*seqs.rbegin(), 11u);
  EXPECT_TRUE(a.Close().ok());
  EXPECT_TRUE(b.Close().ok());
}

TEST_F(PublicApiChatTest, ConcurrentSendersThroughDifferentNodesArriveOnceEachInOrder) {
  constexpr int kEach = 25;
  std::string bob = NewUser("bob10");
  const std::vector<std::string> senders = {"alice10", "carol10", "dave10"};
  std::vector<std::string> tokens;
  for (const auto& s : senders) tokens.push_back(NewUser(s));
  ChatClient b(community_[3], bob);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < senders.size(); ++i) {
    threads.emplace_back([&, i] {
      ChatClient a(community_[i], tokens[i]);
      for (int k = 0; k < kEach; ++k)
        ASSERT_TRUE(a.Send("bob10", senders[i] + " " + std::to_string(k), std::to_string(k)));
      EXPECT_EQ(a.WaitFor(kEach).size(), static_cast<size_t>(kEach));
      EXPECT_TRUE(a.Close().ok());
    });
  }
  for (auto& t : threads) t.join();
  auto got = b.WaitFor(senders.size() * kEach);
  ASSERT_EQ(got.size(), senders.size() * kEach);
  // Each conversation's messages arrive once each, in the order they were sent, with
  // consecutive seqs.
  std::map<std::string, std::vector<std::string>> by_sender;
  std::map<std::string, uint64_t> last_seq;
  for (const auto& m : got) {
    by_sender[m.from()].push_back(m.body());
    EXPECT_EQ(m.seq(), last_seq[m.conversation()] + 1) << m.from() << ": " << m.body();
    last_seq[m.conversation()] = m.seq();
  }
  for (const auto& s : senders) {
    std::vector<std::string> want;
    for (int k = 0; k < kEach; ++k) want.push_back(s + " " + std::to_string(k));
    EXPECT_EQ(by_sender[s], want);
  }
  // Acknowledged per conversation: nothing comes again.
  for (const auto& [conversation, seq] : last_seq) ASSERT_TRUE(b.Ack(conversation, seq));
  EXPECT_TRUE(b.Close().ok());
  v1::ListConversationsReply list;
  ASSERT_TRUE(ListConversations(2, bob, &list).ok());
  ASSERT_EQ(list.conversations_size(), 3);
  for (const auto& c : list.conversations()) EXPECT_EQ(c.unread(), 0) << c.other();
}

TEST_F(PublicApiChatTest, AResendWithTheSameClientIdIsStoredOnce) {
  std::string alice = NewUser("alice3"), bob = NewUser("bob3");
  {
    ChatClient a(community_[1], alice);
    ASSERT_TRUE(a.Send("bob3", "once", "dup-1"));
    ASSERT_TRUE(a.Send("bob3", "once", "dup-1"));
    auto echoes = a.WaitFor(2);
    ASSERT_EQ(echoes.size(), 2u);
    EXPECT_EQ(echoes[0].seq(), echoes[1].seq());
    a.Cancel();  // as if the connection broke before the app saw the echo
  }
  {
    ChatClient a(community_[2], alice);
    ASSERT_TRUE(a.Send("bob3", "once", "dup-1"));
    ASSERT_TRUE(a.Send("bob3", "twice?", "dup-2"));
    auto echoes = a.WaitFor(2);
    ASSERT_EQ(echoes.size(), 2u);
    EXPECT_EQ(echoes[0].seq(), 1u);
    EXPECT_EQ(echoes[1].seq(), 2u);
    EXPECT_TRUE(a.Close().ok());
  }
  ChatClient b(community_[3], bob);
  auto got = b.WaitFor(2);
  EXPECT_EQ(Bodies(got), (std::vector<std::string>{"once", "twice?"}));
  EXPECT_TRUE(b.Close().ok());
}

TEST_F(PublicApiChatTest, BadInputsEndTheStreamWithTheRightStatus) {
  std::string alice = NewUser("alice4");
  NewUser("bob4");
  struct Case {
    std::string to, body, client_id;
    grpc::StatusCode code;
    std::string prefix;
  };
  std::vector<Case> cases = {
      {"alice4", "hi", "1", grpc::StatusCode::INVALID_ARGUMENT, "to:"},
      {"nobody4", "hi", "1", grpc::StatusCode::NOT_FOUND, "to:"},
      {"", "hi", "1", grpc::StatusCode::INVALID_ARGUMENT, "to:"},
      {"bob4", "", "1", grpc::StatusCode::INVALID_ARGUMENT, "body:"},
      {"bob4", std::string(4001, 'x'), "1", grpc::StatusCode::INVALID_ARGUMENT, "body:"},
      {"bob4", "hi", "", grpc::StatusCode::INVALID_ARGUMENT, "client_id:"},
      {"bob4", "hi", std::string(65, 'c'), grpc::StatusCode::INVALID_ARGUMENT, "client_id:"},
  };
  for (const auto& c : cases) {
    ChatClient a(community_[1], alice);
    a.Send(c.to, c.body, c.client_id);
    grpc::Status st = a.Finish();
    EXPECT_EQ(st.error_code(), c.code) << c.to << " " << st.error_message();
    EXPECT_TRUE(st.error_message().starts_with(c.prefix)) << st.error_message();
  }
  {
    ChatClient a(community_[1], alice);
    a.Ack("", 1);
    grpc::Status st = a.Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(st.error_message().starts_with("ack_conversation:")) << st.error_message();
  }
  {
    ChatClient anonymous(community_[1], "");
    EXPECT_EQ(anonymous.Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
    ChatClient forged(community_[1], "at_forged");
    EXPECT_EQ(forged.Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
    grpc::ClientContext ctx;
    v1::ListConversationsReply reply;
    EXPECT_EQ(community_[1]->ListConversations(&ctx, v1::Empty(), &reply).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  // Nothing was stored by any of it.
  v1::ListConversationsReply list;
  ASSERT_TRUE(ListConversations(1, alice, &list).ok());
  EXPECT_EQ(list.conversations_size(), 0);
}

TEST_F(PublicApiChatTest, ARestrictedUserCannotSendAndIsToldWhy) {
  std::string mallory = NewUser("mallory5"), bob = NewUser("bob5");
  auto pool = store::PgPool::Open(db_->conninfo(), 2);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  store::SystemClock clock;
  store::AccountStoreOptions cheap;
  cheap.scrypt.n = 1 << 10;
  store::AccountStore direct(**pool, clock, cheap);
  store::Registration admin{"chatadmin5",    "admin password", "관리자", "서울",
                            "010-2222-3333", "2026-01",        true,     store::Role::kAdmin};
  ASSERT_TRUE(direct.Register(admin).ok());

  ChatClient m(community_[1], mallory);
  ASSERT_TRUE(m.Send("bob5", "before", "1"));
  ASSERT_EQ(m.WaitFor(1).size(), 1u);
  // Restricted while the stream is open: the next send is refused with the reason.
  ASSERT_TRUE(direct
                  .Restrict("chatadmin5", "mallory5", store::RestrictionKind::kReadOnly,
                            "spam in chat", std::nullopt)
                  .ok());
  m.Send("bob5", "after", "2");
  grpc::Status st = m.Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("spam in chat"), std::string::npos) << st.error_message();
  // A ban ends the account's sessions: the stream cannot even be opened.
  ASSERT_TRUE(direct
                  .Restrict("chatadmin5", "mallory5", store::RestrictionKind::kBanned,
                            "repeated spam", std::nullopt)
                  .ok());
  ChatClient again(community_[2], mallory);
  grpc::Status banned = again.Finish();
  EXPECT_TRUE(banned.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
              banned.error_code() == grpc::StatusCode::UNAUTHENTICATED)
      << banned.error_message();
  // Bob got the first message only.
  ChatClient b(community_[3], bob);
  ChatClient a(community_[3], NewUser("alice5"));
  ASSERT_TRUE(a.Send("bob5", "marker", "m"));
  auto got = b.WaitFor(2);
  std::vector<std::string> bodies = Bodies(got);
  std::sort(bodies.begin(), bodies.end());
  EXPECT_EQ(bodies, (std::vector<std::string>{"before", "marker"}));
}

TEST_F(PublicApiChatTest, HostileStringsAreStoredAndReturnedVerbatim) {
  std::string alice = NewUser("alice6"), bob = NewUser("bob6");
  const std::vector<std::string> nasty = {
      "'; DROP TABLE chat_messages; --",
      "Robert'); DROP TABLE users; --",
      "\" OR \"1\"=\"1",
      "$1; $$ DROP $$; \\x27 %s %_ \\",
      "김민준 서울특별시 강남구 테헤란로 152",
      "🚗 O'Brien \"quoted\" `tick`\nsecond line",
  };
  ChatClient a(community_[1], alice);
  for (size_t i = 0; i < nasty.size(); ++i)
    ASSERT_TRUE(a.Send("bob6", nasty[i], nasty[i]));  // the client_id too
  auto echoes = a.WaitFor(nasty.size());
  EXPECT_EQ(Bodies(echoes), nasty);
  ChatClient b(community_[2], bob);
  auto got = b.WaitFor(nasty.size());
  EXPECT_EQ(Bodies(got), nasty);
  ASSERT_FALSE(got.empty());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].client_id(), nasty[i]);
  v1::ListConversationsReply list;
  ASSERT_TRUE(ListConversations(3, bob, &list).ok());
  ASSERT_EQ(list.conversations_size(), 1);
  EXPECT_EQ(list.conversations(0).last().body(), nasty.back());
  EXPECT_TRUE(a.Close().ok());
  EXPECT_TRUE(b.Close().ok());
}

TEST_F(PublicApiChatTest, NotificationsArePendingThenLiveAndResumeAfterASeq) {
  std::string alice = NewUser("alice7"), carol = NewUser("carol7");
  ChatClient a(community_[1], alice);
  ASSERT_TRUE(a.Send("carol7", "one", "1"));
  ASSERT_TRUE(a.Send("carol7", "two", "2"));
  ASSERT_EQ(a.WaitFor(2).size(), 2u);  // stored (and notified) before Carol subscribes
  {
    NotificationClient n(notifications_[2], carol, 0);
    auto got = n.WaitFor(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].seq(), 1u);
    EXPECT_EQ(got[1].seq(), 2u);
    EXPECT_EQ(got[0].kind(), "chat");
    auto payload = Json::Parse(got[0].payload_json());
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(payload->get_string("from"), "alice7");
    EXPECT_EQ(payload->get_int("seq"), 1);
    // Live, from a message stored through another node.
    ASSERT_TRUE(a.Send("carol7", "three", "3"));
    got = n.WaitFor(3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[2].seq(), 3u);
  }
  ASSERT_TRUE(a.Send("carol7", "four", "4"));
  ASSERT_EQ(a.WaitFor(4).size(), 4u);
  {
    // Resuming after seq 2 on another node: 3 and 4 (in order), then live.
    NotificationClient n(notifications_[3], carol, 2);
    auto got = n.WaitFor(2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].seq(), 3u);
    EXPECT_EQ(got[1].seq(), 4u);
    ASSERT_TRUE(a.Send("carol7", "five", "5"));
    got = n.WaitFor(3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[2].seq(), 5u);
  }
  EXPECT_TRUE(a.Close().ok());
  grpc::ClientContext ctx;
  v1::SubscribeRequest req;
  v1::Notification n;
  auto anonymous = notifications_[1]->Subscribe(&ctx, req);
  EXPECT_FALSE(anonymous->Read(&n));
  EXPECT_EQ(anonymous->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PublicApiChatTest, ATradeStepReachesTheOtherPartysStream) {
  auto net = LoadNetworkDir(cluster_->dir());
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  const Signer& admin = net->ids.admins.front();
  Trader seller = NewTrader("seller8");
  Trader buyer = NewTrader("buyer8");
  NotificationClient seller_feed(notifications_[3], seller.token, 0);

  Json charge = Json::MakeObject();
  charge["amount"] = static_cast<int64_t>(50'000'000);
  auto request = Tx(buyer.key, "request_charge", charge);
  auto stub = cluster_->Stub("node0");
  auto requested = SubmitAndWait(stub.get(), {request});
  ASSERT_TRUE(requested.ok()) << requested.status().ToString();
  Json approve = Json::MakeObject();
  approve["charge_id"] = ToHex(TxId(request));
  auto approved = SubmitAndWait(
      stub.get(),
      {MakeTransaction(admin, "car_trade", "approve_charge", approve, nonce_++, NowMs()).value()});
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  ASSERT_EQ((*approved)[0].code(), ledger::VALID) << (*approved)[0].reason();

  std::string vin = SampleVin("KMHNTF", 8);
  v1::TransactionOutcome out;
  ASSERT_TRUE(
      Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, 8)), &out).ok());
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(21'000'000);
  ASSERT_TRUE(Submit(seller, Tx(seller.key, "list", list), &out).ok());

  auto trades = v1::Trades::NewStub(NodeChannel(cluster_->dir(), 1));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + buyer.token);
  v1::SubmitTransactionRequest req;
  *req.mutable_transaction() = Tx(buyer.key, "open_escrow", list);
  v1::Trade trade;
  grpc::Status st = trades->Step(&ctx, req, &trade);
  ASSERT_TRUE(st.ok()) << st.error_message();

  auto got = seller_feed.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind(), "trade");
  auto payload = Json::Parse(got[0].payload_json());
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->get_string("escrow_id"), trade.escrow_id());
  EXPECT_EQ(payload->get_string("step"), "open_escrow");
  EXPECT_EQ(payload->get_string("vin"), vin);
}

// A node shutting down ends the streams connected to it.
TEST_F(PublicApiChatTest, StreamsEndWhenTheirNodeShutsDown) {
  std::string dave = NewUser("dave9");
  NewUser("erin9");
  ChatClient chat(community_[3], dave);
  NotificationClient feed(notifications_[3], dave, 0);
  // Both streams are open (the chat stream answers a send).
  ASSERT_TRUE(chat.Send("erin9", "still there?", "1"));
  ASSERT_EQ(chat.WaitFor(1).size(), 1u);
  cluster_->Kill("node3", SIGTERM);
  EXPECT_TRUE(chat.WaitEnded());
  EXPECT_TRUE(feed.WaitEnded());
  EXPECT_FALSE(chat.Finish().ok());
  ASSERT_TRUE(cluster_->Start("node3").ok());
  EXPECT_TRUE(cluster_->WaitReady("node3"));
}

}  // namespace
}  // namespace carledger::service
