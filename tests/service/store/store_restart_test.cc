// PostgreSQL restarted (scripts/pg stop, then start, on a server of the test's own) while
// the store is in use: the pool resets every connection the restart broke without failing
// an operation it could safely run, operations during the outage fail as UNAVAILABLE (and
// nothing else), work resumes by itself, and everything acknowledged is still there.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "service/store/accounts.h"
#include "service/store/migrate.h"
#include "tests/support/pg_fixture.h"

namespace carledger::store {
namespace {

using carledger::testing::PgTestDatabase;
using carledger::testing::PrivatePgServer;

constexpr int kWorkers = 4;

Registration Reg(const std::string& id) {
  Registration r;
  r.id = id;
  r.password = "password of " + id;
  r.name = "이름 " + id;
  r.address = "Busan";
  r.phone = "010-0000-0000";
  r.terms_version = "2026-01";
  r.terms_accepted = true;
  return r;
}

// Waits (polling) until `done()` or `seconds` pass; false on timeout.
template <typename F>
bool WaitFor(F done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

struct Worker {
  std::vector<std::string> registered;                   // acknowledged registrations
  std::vector<std::pair<std::string, Tokens>> sessions;  // acknowledged sign-ins
  std::vector<Status> failures;
  std::atomic<int> acked{0};
  std::atomic<int> acked_after_restart{0};
};

TEST(StoreRestartTest, PoolReconnectsAndNothingAcknowledgedIsLost) {
  auto server = PrivatePgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto db = PgTestDatabase::Create((*server)->server());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  PgPoolOptions po;
  po.size = kWorkers;
  po.connect_timeout_s = 2;
  auto opened = PgPool::Open((*db)->conninfo(), po);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<PgPool> pool = std::move(opened).value();
  ASSERT_TRUE(Migrate(*pool).ok());
  ManualClock clock(1772323200000);
  AccountStoreOptions options;
  options.scrypt = ScryptParams{1024, 8, 1};
  options.max_failures_per_client = 1000000;
  AccountStore store(*pool, clock, options);

  // 1. Idle connections across a restart: each is reset before use; no operation fails.
  {
    std::vector<PgConn> all;
    for (int i = 0; i < kWorkers; ++i) all.push_back(std::move(pool->Borrow()).value());
  }
  ASSERT_TRUE((*server)->Stop().ok());
  ASSERT_TRUE((*server)->Restart().ok());
  uint64_t before = pool->reconnects();
  {
    std::vector<PgConn> all;
    for (int i = 0; i < kWorkers; ++i) {
      auto c = pool->Borrow();
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      auto r = c->Exec("SELECT 1");
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      all.push_back(std::move(c).value());
    }
  }
  EXPECT_EQ(pool->reconnects() - before, static_cast<uint64_t>(kWorkers));

  // 2. A restart under load from several threads.
  std::atomic<bool> stop{false}, restarted{false};
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    workers.push_back(std::make_unique<Worker>());
    threads.emplace_back([&, w, me = workers.back().get()] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string id = "w" + std::to_string(w) + "n" + std::to_string(i);
        Status st = store.Register(Reg(id)).status();
        if (st.ok()) {
          me->registered.push_back(id);
          auto t = store.Login(id, Reg(id).password, "worker" + std::to_string(w));
          if (t.ok()) {
            me->sessions.emplace_back(id, *t);
          } else {
            st = t.status();
          }
        }
        if (st.ok()) {
          ++me->acked;
          if (restarted.load()) ++me->acked_after_restart;
        } else {
          me->failures.push_back(st);
        }
      }
    });
  }
  auto all_reach = [&](auto field, int n) {
    return [&, field, n] {
      for (auto& w : workers) {
        if (((*w).*field).load() < n) return false;
      }
      return true;
    };
  };
  bool warmed = WaitFor(all_reach(&Worker::acked, 5), 60);
  Status stopped = (*server)->Stop();
  Status started = (*server)->Restart();
  restarted = true;
  bool resumed = WaitFor(all_reach(&Worker::acked_after_restart, 5), 60);
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_TRUE(warmed);
  ASSERT_TRUE(stopped.ok()) << stopped.ToString();
  ASSERT_TRUE(started.ok()) << started.ToString();
  EXPECT_TRUE(resumed) << "the store did not recover after the restart";

  size_t failures = 0, registered = 0, sessions = 0;
  for (auto& w : workers) {
    for (const Status& f : w->failures) {
      EXPECT_EQ(f.code(), StatusCode::kUnavailable) << f.ToString();
    }
    failures += w->failures.size();
    // Every acknowledged account and session survived the restart.
    for (const std::string& id : w->registered) {
      auto p = store.GetProfile(id);
      ASSERT_TRUE(p.ok()) << id << ": " << p.status().ToString();
      EXPECT_EQ(p->name, "이름 " + id);
    }
    for (const auto& [id, tokens] : w->sessions) {
      auto ctx = store.Authenticate(tokens.access_token);
      ASSERT_TRUE(ctx.ok()) << id << ": " << ctx.status().ToString();
      EXPECT_EQ(ctx->user_id, id);
    }
    registered += w->registered.size();
    sessions += w->sessions.size();
  }
  EXPECT_GT(failures, 0u) << "the restart did not happen under load";
  EXPECT_GE(sessions, static_cast<size_t>(2 * 5 * kWorkers));
  std::printf(
      "restart under load: %zu accounts and %zu sessions acknowledged, %zu operations "
      "refused during the outage, %llu reconnects\n",
      registered, sessions, failures, static_cast<unsigned long long>(pool->reconnects()));
}

}  // namespace
}  // namespace carledger::store
