// PgNotifier against a real PostgreSQL: notifications queued from many threads for users
// named by id or by wallet key are all stored, each user's in the order they were queued
// with seq 1, 2, ...; ones for nobody, or malformed, are dropped without failing the
// others; destroying the notifier stores what is still queued.
#include <thread>

#include "service/api/notifications_service.h"
#include "service/store/notifications.h"
#include "tests/service/store/account_fixture.h"

namespace carledger::api {
namespace {

using store::NotificationRecord;

class NotifierTest : public store::AccountStoreTest {
 protected:
  void SetUp() override {
    store::AccountStoreTest::SetUp();
    MustRegister("alice");
    MustRegister("bob");
    ASSERT_TRUE(store_->SetPublicKey("alice", kAliceWallet).ok());
  }
  std::vector<NotificationRecord> All(const std::string& user) {
    store::NotificationStore notes(*pool_, clock_);
    std::vector<NotificationRecord> out;
    for (;;) {
      auto page = notes.After(user, out.empty() ? 0 : out.back().seq, 1000);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok() || page->empty()) return out;
      out.insert(out.end(), page->begin(), page->end());
    }
  }
  static Json Step(int producer, int i) {
    Json j = Json::MakeObject();
    j["producer"] = producer;
    j["i"] = i;
    return j;
  }
  static constexpr char kAliceWallet[] =
      "a11ce00000000000000000000000000000000000000000000000000000000001";
};

// Checks that `got` holds seq 1..n and, per producer, i = 0, 1, ... in order.
void ExpectOrdered(const std::vector<NotificationRecord>& got, size_t n, int producers) {
  ASSERT_EQ(got.size(), n);
  std::vector<int64_t> next(static_cast<size_t>(producers), 0);
  for (size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].seq, static_cast<int64_t>(k + 1));
    EXPECT_EQ(got[k].kind, "trade");
    auto p = Json::Parse(got[k].payload_json);
    ASSERT_TRUE(p.ok());
    size_t producer = static_cast<size_t>(p->get_int("producer"));
    ASSERT_LT(producer, next.size());
    EXPECT_EQ(p->get_int("i"), next[producer]++) << "producer " << producer;
  }
}

TEST_F(NotifierTest, EveryNotificationIsStoredInOrderPerUser) {
  constexpr int kProducers = 4, kEach = 300;
  {
    PgNotifier notifier(*pool_, clock_);
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
      producers.emplace_back([&, p] {
        for (int i = 0; i < kEach; ++i) {
          notifier.NotifyWallet(kAliceWallet, "trade", Step(p, i));
          notifier.Notify("bob", "trade", Step(p, i));
          if (i % 100 == 0) {  // nobody to tell, or malformed: dropped, nothing else is
            notifier.NotifyWallet(std::string(64, 'f'), "trade", Step(p, i));
            notifier.Notify("nobody", "trade", Step(p, i));
            notifier.Notify("bob", "Not A Kind", Step(p, i));
            notifier.Notify("bob", "trade", Json("not an object"));
          }
        }
      });
    }
    for (auto& t : producers) t.join();
    notifier.Flush();
    ExpectOrdered(All("alice"), kProducers * kEach, kProducers);
    ExpectOrdered(All("bob"), kProducers * kEach, kProducers);
    // Queued and not waited for: stored when the notifier is destroyed.
    for (int i = 0; i < 50; ++i) notifier.Notify("bob", "trade", Step(kProducers, i));
  }
  auto bob = All("bob");
  ASSERT_EQ(bob.size(), static_cast<size_t>(kProducers * kEach + 50));
  EXPECT_EQ(bob.back().seq, kProducers * kEach + 50);
  EXPECT_EQ(Json::Parse(bob.back().payload_json)->get_int("i"), 49);
}

}  // namespace
}  // namespace carledger::api
