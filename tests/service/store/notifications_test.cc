// store::AppendNotifications against a real PostgreSQL: a batch for several users, named by
// id or by wallet key, continues each user's seq in the order given and skips recipients
// who are nobody; a malformed draft stores nothing; batches naming the same users in
// opposite orders, from many threads, neither deadlock nor leave a gap in anyone's seqs.
#include "service/store/notifications.h"

#include <atomic>
#include <thread>

#include "tests/service/store/account_fixture.h"

namespace carledger::store {
namespace {

constexpr char kAliceWallet[] = "a11ce00000000000000000000000000000000000000000000000000000000001";

class AppendNotificationsTest : public AccountStoreTest {
 protected:
  void SetUp() override {
    AccountStoreTest::SetUp();
    MustRegister("alice");
    MustRegister("bob");
    ASSERT_TRUE(store_->SetPublicKey("alice", kAliceWallet).ok());
  }
  std::vector<NotificationRecord> All(const std::string& user) {
    NotificationStore notes(*pool_, clock_);
    auto page = notes.After(user, 0, 1000);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : std::vector<NotificationRecord>{};
  }
  static NotificationDraft Draft(std::string to, bool by_wallet, int i) {
    Json payload = Json::MakeObject();
    payload["i"] = i;
    return {std::move(to), by_wallet, "trade", payload};
  }
};

TEST_F(AppendNotificationsTest, ABatchContinuesEachUsersSequenceInOrderAndSkipsNobody) {
  NotificationStore notes(*pool_, clock_);
  ASSERT_TRUE(notes.Append("bob", "chat", Json::MakeObject()).ok());  // bob's seq 1

  std::vector<NotificationDraft> batch = {
      Draft("bob", false, 0),
      Draft(kAliceWallet, true, 0),
      Draft("nobody", false, 0),
      Draft("bob", false, 1),
      Draft(std::string(64, 'f'), true, 0),
      Draft(kAliceWallet, true, 1),
      Draft("alice", false, 2),
      Draft("bob", false, 2),
  };
  auto stored = AppendNotifications(*pool_, clock_.NowMs(), batch);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, 6u);

  auto bob = All("bob");
  ASSERT_EQ(bob.size(), 4u);
  for (size_t k = 1; k < bob.size(); ++k) {
    EXPECT_EQ(bob[k].seq, static_cast<int64_t>(k + 1));
    EXPECT_EQ(bob[k].kind, "trade");
    EXPECT_EQ(Json::Parse(bob[k].payload_json)->get_int("i"), static_cast<int64_t>(k - 1));
  }
  auto alice = All("alice");
  ASSERT_EQ(alice.size(), 3u);
  for (size_t k = 0; k < alice.size(); ++k) {
    EXPECT_EQ(alice[k].seq, static_cast<int64_t>(k + 1));
    EXPECT_EQ(Json::Parse(alice[k].payload_json)->get_int("i"), static_cast<int64_t>(k));
  }
  // A single append after the batch takes the next seq.
  auto next = notes.Append("alice", "trade", Json::MakeObject());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->seq, 4);
}

TEST_F(AppendNotificationsTest, AMalformedDraftStoresNothing) {
  std::vector<NotificationDraft> batch = {Draft("bob", false, 0), Draft("bob", false, 1)};
  batch[1].kind = "Not A Kind";
  auto stored = AppendNotifications(*pool_, clock_.NowMs(), batch);
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(stored.status().message().find("kind"), std::string::npos);
  EXPECT_TRUE(All("bob").empty());
}

TEST_F(AppendNotificationsTest, ConcurrentBatchesInOppositeOrdersLeaveNoGaps) {
  constexpr int kThreads = 4, kBatches = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<NotificationDraft> batch = {Draft("alice", false, b), Draft("bob", false, b)};
        if (t % 2 == 1) std::swap(batch[0], batch[1]);
        auto stored = AppendNotifications(*pool_, clock_.NowMs(), batch);
        if (!stored.ok() || *stored != 2) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (const std::string user : {"alice", "bob"}) {
    auto got = All(user);
    ASSERT_EQ(got.size(), static_cast<size_t>(kThreads * kBatches)) << user;
    for (size_t k = 0; k < got.size(); ++k)
      EXPECT_EQ(got[k].seq, static_cast<int64_t>(k + 1)) << user;
  }
}

}  // namespace
}  // namespace carledger::store
