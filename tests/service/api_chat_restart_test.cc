// A user's open chat and notification streams while PostgreSQL restarts: the streams stay
// open, the node's LISTEN connection comes back by itself, and a message stored right
// after the restart (when its NOTIFY may have reached no one) still arrives on the open
// streams, because a reconnected hub makes every stream re-read the database.
#include <gtest/gtest.h>

#include "service/local_cluster.h"
#include "service/store/accounts.h"
#include "service/store/chat.h"
#include "tests/service/chat_clients.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/test_network.h"

namespace carledger::service {
namespace {

TEST(ApiChatRestartTest, OpenStreamsGetWhatWasStoredAroundAPostgresRestart) {
  carledger::testing::TempDir tmp;
  auto pg = carledger::testing::PrivatePgServer::Start();
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  auto db = carledger::testing::PgTestDatabase::Create((*pg)->server());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  LocalClusterOptions o;
  o.dir = tmp.path() + "/net";
  o.node_binary = CARLEDGER_NODE;
  o.cli_binary = CARLEDGER_CLI;
  o.validators = 1;
  o.node_args = {"--pg", (*db)->conninfo()};
  auto cluster = LocalCluster::Create(o);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  ASSERT_TRUE((*cluster)->StartAll().ok());
  auto channel = NodeChannel(o.dir, 0);
  auto accounts = v1::Accounts::NewStub(channel);
  {
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    v1::Terms terms;
    ASSERT_TRUE(accounts->GetTerms(&ctx, v1::Empty(), &terms).ok());
  }
  // Accounts and the "other node" that stores messages: the test's own connection.
  store::PgPoolOptions po;
  po.size = 2;
  po.connect_timeout_s = 2;
  auto pool = store::PgPool::Open((*db)->conninfo(), po);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  store::SystemClock clock;
  store::AccountStoreOptions cheap;
  cheap.scrypt.n = 1 << 10;
  store::AccountStore direct(**pool, clock, cheap);
  for (const char* id : {"alice", "bob"}) {
    store::Registration r{id, "password of user", "이름", "대구", "010-3333-4444", "2026-01", true};
    ASSERT_TRUE(direct.Register(r).ok());
  }
  auto tokens = direct.Login("bob", "password of user", "test");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  store::ChatStore chat(**pool, clock);

  auto community = v1::Community::NewStub(channel);
  auto notifications = v1::Notifications::NewStub(channel);
  ChatClient bob(community.get(), tokens->access_token);
  NotificationClient bob_feed(notifications.get(), tokens->access_token, 0);
  ASSERT_TRUE(chat.Send("alice", "bob", "before the restart", "1").ok());
  ASSERT_EQ(Bodies(bob.WaitFor(1)), (std::vector<std::string>{"before the restart"}));
  ASSERT_EQ(bob_feed.WaitFor(1).size(), 1u);

  ASSERT_TRUE((*pg)->Stop().ok());
  ASSERT_TRUE((*pg)->Restart().ok());
  // Stored as soon as the database takes it: possibly before the node LISTENs again.
  Status sent = Status::Unavailable("not tried");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!sent.ok() && std::chrono::steady_clock::now() < deadline) {
    sent = chat.Send("alice", "bob", "right after the restart", "2").status();
    if (!sent.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  EXPECT_EQ(Bodies(bob.WaitFor(2)),
            (std::vector<std::string>{"before the restart", "right after the restart"}));
  auto feed = bob_feed.WaitFor(2);
  ASSERT_EQ(feed.size(), 2u);
  EXPECT_EQ(feed[1].seq(), 2u);
  // And live again afterwards.
  ASSERT_TRUE(chat.Send("alice", "bob", "later", "3").ok());
  EXPECT_EQ(Bodies(bob.WaitFor(3)),
            (std::vector<std::string>{"before the restart", "right after the restart", "later"}));
  EXPECT_TRUE(bob.Close().ok());
}

}  // namespace
}  // namespace carledger::service
