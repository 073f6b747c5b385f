// ChatStore and NotificationStore against a real PostgreSQL: per-conversation sequence
// numbers, client_id idempotency, undelivered-until-acknowledged, conversation summaries,
// per-user notification sequences, and the NOTIFY wake-up reaching a PgListener (also
// after the database restarts).
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "service/store/chat.h"
#include "service/store/notifications.h"
#include "service/store/pg_listener.h"
#include "tests/service/store/account_fixture.h"

namespace carledger::store {
namespace {

using carledger::testing::PgTestDatabase;
using carledger::testing::PrivatePgServer;

template <typename F>
bool WaitFor(F done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class ChatStoreTest : public AccountStoreTest {
 protected:
  void SetUp() override {
    AccountStoreTest::SetUp();
    MustRegister("alice");
    MustRegister("bob");
    MustRegister("carol");
    chat_ = std::make_unique<ChatStore>(*pool_, clock_);
    notes_ = std::make_unique<NotificationStore>(*pool_, clock_);
  }
  void TearDown() override {
    chat_.reset();
    notes_.reset();
    AccountStoreTest::TearDown();
  }
  ChatMessageRecord MustSend(const std::string& from, const std::string& to,
                             const std::string& body, const std::string& client_id) {
    auto sent = chat_->Send(from, to, body, client_id);
    EXPECT_TRUE(sent.ok()) << sent.status().ToString();
    EXPECT_TRUE(sent.ok() && sent->created);
    return sent.ok() ? sent->message : ChatMessageRecord{};
  }
  std::vector<std::string> UndeliveredBodies(const std::string& user) {
    auto u = chat_->Undelivered(user, 0, 100);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    std::vector<std::string> out;
    if (u.ok())
      for (const auto& m : *u) out.push_back(m.body);
    return out;
  }
  std::unique_ptr<ChatStore> chat_;
  std::unique_ptr<NotificationStore> notes_;
};

TEST_F(ChatStoreTest, SeqIsPerConversationAndUndeliveredUntilAcknowledged) {
  auto m1 = MustSend("alice", "bob", "hello", "c1");
  auto m2 = MustSend("bob", "alice", "hi", "c1");  // client ids are per sender
  auto m3 = MustSend("alice", "bob", "is the car available?", "c2");
  auto other = MustSend("carol", "bob", "hello from carol", "x");
  EXPECT_EQ(m1.conversation_id, m2.conversation_id);
  EXPECT_NE(m1.conversation_id, other.conversation_id);
  EXPECT_EQ(m1.seq, 1);
  EXPECT_EQ(m2.seq, 2);
  EXPECT_EQ(m3.seq, 3);
  EXPECT_EQ(other.seq, 1);
  EXPECT_EQ(UndeliveredBodies("bob"),
            (std::vector<std::string>{"hello", "is the car available?", "hello from carol"}));
  EXPECT_EQ(UndeliveredBodies("alice"), (std::vector<std::string>{"hi"}));

  // Acknowledging up to seq 1 of the alice-bob conversation leaves seq 3 and carol's.
  EXPECT_EQ(chat_->Acknowledge("bob", m1.conversation_id, 1).value(), 1);
  EXPECT_EQ(UndeliveredBodies("bob"),
            (std::vector<std::string>{"is the car available?", "hello from carol"}));
  // Bob acknowledging up to seq 3 does not touch alice's seq 2 (it is not to him).
  EXPECT_EQ(chat_->Acknowledge("bob", m1.conversation_id, 3).value(), 1);
  EXPECT_EQ(UndeliveredBodies("alice"), (std::vector<std::string>{"hi"}));
  EXPECT_EQ(chat_->Acknowledge("bob", m1.conversation_id, 3).value(), 0);  // again: nothing
  EXPECT_EQ(UndeliveredBodies("bob"), (std::vector<std::string>{"hello from carol"}));
  // Someone else's conversation: nothing happens.
  EXPECT_EQ(chat_->Acknowledge("carol", m1.conversation_id, 3).value(), 0);
  EXPECT_EQ(UndeliveredBodies("alice"), (std::vector<std::string>{"hi"}));
}

TEST_F(ChatStoreTest, ResendWithTheSameClientIdIsStoredOnce) {
  auto first = MustSend("alice", "bob", "offer: 12,000,000 KRW", "msg-1");
  auto again = chat_->Send("alice", "BOB", "offer: 12,000,000 KRW", "msg-1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->message.id, first.id);
  EXPECT_EQ(again->message.seq, first.seq);
  EXPECT_EQ(Count("chat_messages"), 1);
  EXPECT_EQ(Count("notifications"), 1);  // one "chat" notification, not two
  EXPECT_STATUS(chat_->Send("alice", "bob", "a different text", "msg-1").status(),
                StatusCode::kInvalidArgument, "client_id:");
  EXPECT_STATUS(chat_->Send("alice", "carol", "offer: 12,000,000 KRW", "msg-1").status(),
                StatusCode::kInvalidArgument, "client_id:");

  // Concurrent resends of one new message: stored once, all get the same message.
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<int64_t> ids;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = chat_->Send("alice", "bob", "same", "msg-2");
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      std::lock_guard l(mu);
      ids.insert(r->message.id);
      if (r->created) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(Count("chat_messages"), 2);
}

TEST_F(ChatStoreTest, BadInputsNameTheField) {
  EXPECT_STATUS(chat_->Send("alice", "alice", "hi", "c").status(), StatusCode::kInvalidArgument,
                "to:");
  EXPECT_STATUS(chat_->Send("alice", "", "hi", "c").status(), StatusCode::kInvalidArgument, "to:");
  EXPECT_STATUS(chat_->Send("alice", "nobody", "hi", "c").status(), StatusCode::kNotFound, "to:");
  EXPECT_STATUS(chat_->Send("alice", "bob", "", "c").status(), StatusCode::kInvalidArgument,
                "body:");
  EXPECT_STATUS(chat_->Send("alice", "bob", std::string(4001, 'x'), "c").status(),
                StatusCode::kInvalidArgument, "body:");
  EXPECT_STATUS(chat_->Send("alice", "bob", std::string("a\0b", 3), "c").status(),
                StatusCode::kInvalidArgument, "body:");
  EXPECT_STATUS(chat_->Send("alice", "bob", "\xff\xfe", "c").status(), StatusCode::kInvalidArgument,
                "body:");
  EXPECT_STATUS(chat_->Send("alice", "bob", "hi", "").status(), StatusCode::kInvalidArgument,
                "client_id:");
  EXPECT_STATUS(chat_->Send("alice", "bob", "hi", std::string(65, 'c')).status(),
                StatusCode::kInvalidArgument, "client_id:");
  // 4000 bytes of Hangul (3 bytes each) is fine at 1333 characters.
  std::string hangul;
  for (int i = 0; i < 1333; ++i) hangul += "차";
  EXPECT_TRUE(chat_->Send("alice", "bob", hangul, std::string(64, 'c')).ok());
  EXPECT_EQ(Count("chat_messages"), 1);
}

TEST_F(ChatStoreTest, NastyStringsAreStoredVerbatim) {
  for (const std::string& s : NastyStrings()) {
    auto m = MustSend("alice", "bob", s, s);  // the client_id too
    EXPECT_EQ(m.body, s);
    EXPECT_EQ(m.client_id, s);
  }
  auto bodies = UndeliveredBodies("bob");
  EXPECT_EQ(bodies, NastyStrings());
  EXPECT_EQ(Count("users"), 3);
}

TEST_F(ChatStoreTest, ConversationsShowTheLatestMessageAndUnreadCount) {
  auto m1 = MustSend("alice", "bob", "one", "1");
  MustSend("bob", "alice", "two", "2");
  clock_.Advance(kMinute);
  MustSend("carol", "alice", "from carol", "3");
  auto list = chat_->Conversations("alice", 10);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].other, "carol");
  EXPECT_EQ((*list)[0].last.body, "from carol");
  EXPECT_EQ((*list)[0].unread, 1);
  EXPECT_EQ((*list)[1].other, "bob");
  EXPECT_EQ((*list)[1].last.body, "two");
  EXPECT_EQ((*list)[1].last.seq, 2);
  EXPECT_EQ((*list)[1].unread, 1);
  auto bobs = chat_->Conversations("bob", 10);
  ASSERT_TRUE(bobs.ok());
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].unread, 1);
  ASSERT_TRUE(chat_->Acknowledge("bob", m1.conversation_id, 2).ok());
  EXPECT_EQ((*chat_->Conversations("bob", 10))[0].unread, 0);
}

TEST_F(ChatStoreTest, NotificationsHaveAPerUserSequence) {
  Json p = Json::MakeObject();
  p["escrow_id"] = "'; DROP TABLE notifications; --";
  for (int i = 1; i <= 3; ++i) {
    auto n = notes_->Append("alice", "trade", p);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(n->seq, i);
  }
  EXPECT_EQ(notes_->Append("bob", "trade", p)->seq, 1);
  MustSend("carol", "alice", "hi", "c");  // a chat message notifies its recipient
  auto after = notes_->After("alice", 1, 100);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[0].seq, 2);
  EXPECT_EQ(Json::Parse((*after)[0].payload_json).value(), p);
  EXPECT_EQ((*after)[2].kind, "chat");
  EXPECT_EQ(Json::Parse((*after)[2].payload_json)->get_string("from"), "carol");
  EXPECT_EQ(notes_->MarkDelivered("alice", 3).value(), 3);
  EXPECT_EQ(notes_->MarkDelivered("alice", 3).value(), 0);
  EXPECT_STATUS(notes_->Append("alice", "Bad Kind", p).status(), StatusCode::kInvalidArgument,
                "kind:");
  EXPECT_FALSE(notes_->Append("nobody", "trade", p).ok());
}

// Collects what a PgListener hears.
struct Heard {
  std::mutex mu;
  std::vector<std::string> payloads;
  std::atomic<int> connected{0};
  bool Has(const std::string& p) {
    std::lock_guard l(mu);
    return std::find(payloads.begin(), payloads.end(), p) != payloads.end();
  }
};

TEST_F(ChatStoreTest, ListenerHearsCommittedSignalsOnly) {
  Heard heard;
  auto listener = PgListener::Start(
      db_->conninfo(), kEventChannel,
      [&](std::string_view p) {
        std::lock_guard l(heard.mu);
        heard.payloads.emplace_back(p);
      },
      [&] { ++heard.connected; });
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  ASSERT_TRUE(WaitFor([&] { return heard.connected.load() == 1; }, 10));
  // A rolled-back transaction signals nothing.
  Status st = pool_->Transact([&](Transaction& tx) -> Status {
    CL_RETURN_IF_ERROR(SignalUser(tx, kChatEvent, "carol"));
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_FALSE(st.ok());
  MustSend("alice", "bob", "hi", "c");
  ASSERT_TRUE(WaitFor([&] { return heard.Has("chat bob") && heard.Has("notification bob"); }, 10));
  EXPECT_FALSE(heard.Has("chat carol"));
  EXPECT_EQ(ParseUserSignal("chat bob")->second, "bob");
  EXPECT_FALSE(ParseUserSignal("chatbob").has_value());
  EXPECT_FALSE(PgListener::Start(db_->conninfo(), "bad channel; DROP", nullptr, nullptr).ok());
}

TEST(PgListenerRestartTest, ReconnectsAfterTheDatabaseRestarts) {
  auto server = PrivatePgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto db = PgTestDatabase::Create((*server)->server());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Heard heard;
  PgListenerOptions lo;
  lo.max_backoff = std::chrono::milliseconds(500);
  lo.connect_timeout_s = 2;
  auto listener = PgListener::Start((*db)->conninfo(), kEventChannel,
                                    [&](std::string_view p) {
                                      std::lock_guard l(heard.mu);
                                      heard.payloads.emplace_back(p);
                                    },
                                    [&] { ++heard.connected; }, lo);
  ASSERT_TRUE(listener.ok());
  ASSERT_TRUE(WaitFor([&] { return heard.connected.load() == 1; }, 10));
  auto notify = [&](const std::string& user) {
    auto pool = PgPool::Open((*db)->conninfo(), 1);
    if (!pool.ok()) return pool.status();
    return (*pool)->Transact(
        [&](Transaction& tx) { return SignalUser(tx, kNotificationEvent, user); });
  };
  ASSERT_TRUE(notify("before").ok());
  ASSERT_TRUE(WaitFor([&] { return heard.Has("notification before"); }, 10));
  ASSERT_TRUE((*server)->Stop().ok());
  ASSERT_TRUE(WaitFor([&] { return !(*listener)->listening(); }, 10));
  ASSERT_TRUE((*server)->Restart().ok());
  // It reconnects by itself, says so (so callers re-read), and hears new signals.
  ASSERT_TRUE(WaitFor([&] { return heard.connected.load() == 2; }, 30));
  EXPECT_TRUE((*listener)->listening());
  ASSERT_TRUE(notify("after").ok());
  EXPECT_TRUE(WaitFor([&] { return heard.Has("notification after"); }, 10));
  (*listener)->Stop();
  EXPECT_FALSE((*listener)->listening());
}

}  // namespace
}  // namespace carledger::store
