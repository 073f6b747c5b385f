// AccountStore sign-in and sessions: tokens, expiry, forgery, refresh rotation and reuse
// detection, logout, rate limits (with the manual clock: nothing sleeps), bans.
#include <atomic>
#include <set>
#include <thread>

#include "service/store/account_fields.h"
#include "tests/service/store/account_fixture.h"

namespace carledger::store {
namespace {

using SessionTest = AccountStoreTest;

TEST_F(SessionTest, LoginIssuesTokensThatAuthenticate) {
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  EXPECT_EQ(t.user_id, "alice");
  EXPECT_EQ(t.role, Role::kUser);
  EXPECT_TRUE(t.access_token.starts_with("at_"));
  EXPECT_TRUE(t.refresh_token.starts_with("rt_"));
  EXPECT_EQ(t.access_expires_ms, kStartMs + options_.access_ttl_ms);
  EXPECT_EQ(t.refresh_expires_ms, kStartMs + options_.refresh_ttl_ms);
  auto ctx = store_->Authenticate(t.access_token);
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(ctx->user_id, "alice");
  EXPECT_EQ(ctx->role, Role::kUser);
  EXPECT_TRUE(ctx->restrictions.empty());
  EXPECT_FALSE(ctx->session_id.empty());
  // Only hashes are stored.
  auto stored = pool_->Exec(
      "SELECT token_hash FROM access_tokens UNION ALL SELECT token_hash FROM "
      "refresh_tokens");
  ASSERT_EQ(stored->size(), 2u);
  std::set<std::string> hashes = {(*stored)[0].Str("token_hash"), (*stored)[1].Str("token_hash")};
  EXPECT_TRUE(hashes.count(HashToken(t.access_token)));
  EXPECT_TRUE(hashes.count(HashToken(t.refresh_token)));
  // Roles come from the account.
  MustRegister("inspector", Role::kAgency);
  EXPECT_EQ(store_->Authenticate(MustLogin("inspector").access_token)->role, Role::kAgency);
}

TEST_F(SessionTest, WrongPasswordAndUnknownIdAreIndistinguishable) {
  MustRegister("alice");
  auto wrong = store_->Login("alice", "not the password", "c1");
  auto unknown = store_->Login("nobody", "not the password", "c1");
  auto malformed = store_->Login("x", "not the password", "c1");
  EXPECT_STATUS(wrong.status(), StatusCode::kUnauthenticated, "wrong id or password");
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_EQ(wrong.status().message(), malformed.status().message());
  EXPECT_EQ(store_->Login("alice", "", "c1").status().message(), wrong.status().message());
  EXPECT_STATUS(store_->Login("alice", Reg("alice").password, "").status(),
                StatusCode::kInvalidArgument, "client: required");
}

TEST_F(SessionTest, AccessTokenExpires) {
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  clock_.Set(t.access_expires_ms - 1);
  EXPECT_TRUE(store_->Authenticate(t.access_token).ok());
  clock_.Set(t.access_expires_ms);
  EXPECT_STATUS(store_->Authenticate(t.access_token).status(), StatusCode::kUnauthenticated,
                "access token expired");
  // The refresh token still works and gives a fresh access token.
  auto r = store_->Refresh(t.refresh_token);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(store_->Authenticate(r->access_token).ok());
}

TEST_F(SessionTest, ForgedAndMalformedTokensAreRefused) {
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  std::string flipped = t.access_token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  for (const std::string& forged :
       {std::string(""), std::string("at_"), NewToken("at_"), NewToken("xx_"), flipped,
        t.refresh_token, t.access_token + "A", t.access_token.substr(3),
        std::string("at_' OR '1'='1' --                          "), HashToken(t.access_token)}) {
    EXPECT_EQ(store_->Authenticate(forged).status().code(), StatusCode::kUnauthenticated) << forged;
  }
  for (const std::string& forged : {NewToken("rt_"), t.access_token, std::string("rt_x")}) {
    EXPECT_STATUS(store_->Refresh(forged).status(), StatusCode::kUnauthenticated,
                  "invalid refresh token");
  }
  EXPECT_STATUS(store_->Logout(NewToken("at_")), StatusCode::kUnauthenticated, "invalid token");
  EXPECT_STATUS(store_->Logout("garbage"), StatusCode::kUnauthenticated, "invalid token");
  EXPECT_TRUE(store_->Authenticate(t.access_token).ok());  // the real one is untouched
}

TEST_F(SessionTest, RefreshRotatesWithinTheSession) {
  MustRegister("alice");
  Tokens t0 = MustLogin("alice");
  std::string session = store_->Authenticate(t0.access_token)->session_id;
  std::vector<Tokens> chain = {t0};
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(kMinute);
    auto next = store_->Refresh(chain.back().refresh_token);
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_NE(next->refresh_token, chain.back().refresh_token);
    EXPECT_NE(next->access_token, chain.back().access_token);
    EXPECT_EQ(next->refresh_expires_ms, clock_.NowMs() + options_.refresh_ttl_ms);
    auto ctx = store_->Authenticate(next->access_token);
    ASSERT_TRUE(ctx.ok());
    EXPECT_EQ(ctx->session_id, session);
    chain.push_back(*next);
  }
  // Each rotated token records its parent, and each is used exactly once.
  auto rows = pool_->Exec(
      "SELECT count(*) AS n, count(used_at) AS used, count(parent_hash) AS "
      "children FROM refresh_tokens");
  EXPECT_EQ((*rows)[0].Int("n"), 4);
  EXPECT_EQ((*rows)[0].Int("used"), 3);
  EXPECT_EQ((*rows)[0].Int("children"), 3);
}

TEST_F(SessionTest, RefreshTokenReuseRevokesTheWholeFamily) {
  MustRegister("alice");
  Tokens t1 = MustLogin("alice", "phone");
  Tokens other = MustLogin("alice", "laptop");  // another session
  auto t2 = store_->Refresh(t1.refresh_token);
  ASSERT_TRUE(t2.ok());
  auto t3 = store_->Refresh(t2->refresh_token);
  ASSERT_TRUE(t3.ok());
  // A thief replays the first refresh token.
  EXPECT_STATUS(store_->Refresh(t1.refresh_token).status(), StatusCode::kUnauthenticated,
                "refresh token reuse detected; sign in again");
  // Every token of that family is dead, including the newest.
  EXPECT_STATUS(store_->Refresh(t3->refresh_token).status(), StatusCode::kUnauthenticated,
                "session ended");
  for (const auto* t : {&t1, &*t2, &*t3}) {
    EXPECT_STATUS(store_->Authenticate(t->access_token).status(), StatusCode::kUnauthenticated,
                  "session ended");
  }
  // The other session is unaffected.
  EXPECT_TRUE(store_->Authenticate(other.access_token).ok());
  EXPECT_TRUE(store_->Refresh(other.refresh_token).ok());
  auto reason = pool_->Exec("SELECT revoke_reason FROM sessions WHERE revoked_at IS NOT NULL");
  ASSERT_EQ(reason->size(), 1u);
  EXPECT_EQ((*reason)[0].Str("revoke_reason"), "reuse");
  auto audit = store_->ListAudit({.action = "session.token_reuse"});
  ASSERT_EQ(audit->entries.size(), 1u);
  EXPECT_EQ(audit->entries[0].target, "alice");
}

TEST_F(SessionTest, ConcurrentRefreshesOfOneTokenCountAsReuse) {
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  constexpr int kThreads = 8;
  std::vector<Result<Tokens>> results(kThreads, Status::Internal("not run"));
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      results[i] = store_->Refresh(t.refresh_token);
    });
  }
  for (auto& th : threads) th.join();
  int ok = 0;
  std::string winner_access;
  for (const auto& r : results) {
    if (r.ok()) {
      ++ok;
      winner_access = r->access_token;
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << r.status().ToString();
    }
  }
  ASSERT_EQ(ok, 1);  // one rotation; the others found the token used
  EXPECT_EQ(store_->Authenticate(winner_access).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(SessionTest, RefreshTokenExpires) {
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  clock_.Set(t.refresh_expires_ms);
  EXPECT_STATUS(store_->Refresh(t.refresh_token).status(), StatusCode::kUnauthenticated,
                "refresh token expired");
}

TEST_F(SessionTest, LogoutEndsTheSession) {
  MustRegister("alice");
  Tokens a = MustLogin("alice");
  Tokens b = MustLogin("alice");
  ASSERT_TRUE(store_->Logout(a.access_token).ok());
  EXPECT_STATUS(store_->Authenticate(a.access_token).status(), StatusCode::kUnauthenticated,
                "session ended");
  EXPECT_STATUS(store_->Refresh(a.refresh_token).status(), StatusCode::kUnauthenticated,
                "session ended");
  EXPECT_TRUE(store_->Logout(a.access_token).ok());  // already ended: fine
  EXPECT_TRUE(store_->Authenticate(b.access_token).ok());
  ASSERT_TRUE(store_->Logout(b.refresh_token).ok());  // a refresh token works too
  EXPECT_EQ(store_->Authenticate(b.access_token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(SessionTest, FailedSignInsPerIdAreLimitedUntilTheWindowPasses) {
  MustRegister("alice");
  const std::string pw = Reg("alice").password;
  for (int i = 0; i < options_.max_failures_per_id; ++i) {
    EXPECT_EQ(store_->Login("alice", "guess " + std::to_string(i), "c" + std::to_string(i))
                  .status()
                  .code(),
              StatusCode::kUnauthenticated);
    clock_.Advance(kMinute);
  }
  // Locked, even with the right password, from any client; the message says until when:
  // 15 minutes after the first failure.
  const int64_t until = kStartMs + options_.failure_window_ms;
  auto locked = store_->Login("alice", pw, "elsewhere");
  EXPECT_STATUS(locked.status(), StatusCode::kResourceExhausted,
                "too many failed sign-in attempts; try again after " + fields::FormatTimeMs(until));
  EXPECT_NE(locked.status().message().find("(in 10 minutes)"), std::string::npos)
      << locked.status().message();
  clock_.Set(until - 1);
  EXPECT_EQ(store_->Login("alice", pw, "elsewhere").status().code(),
            StatusCode::kResourceExhausted);
  clock_.Set(until);  // the first failure left the window
  EXPECT_TRUE(store_->Login("alice", pw, "elsewhere").ok());
  // Other accounts were never affected.
  MustRegister("bob");
  EXPECT_TRUE(store_->Login("bob", Reg("bob").password, "c0").ok());
}

TEST_F(SessionTest, SuccessfulSignInResetsTheIdCount) {
  MustRegister("alice");
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < options_.max_failures_per_id - 1; ++i) {
      EXPECT_EQ(store_->Login("alice", "typo", "c").status().code(), StatusCode::kUnauthenticated);
    }
    clock_.Advance(1);
    EXPECT_TRUE(store_->Login("alice", Reg("alice").password, "c").ok()) << round;
    clock_.Advance(1);
  }
}

TEST_F(SessionTest, UnknownIdsAreLimitedToo) {
  for (int i = 0; i < options_.max_failures_per_id; ++i) {
    EXPECT_EQ(store_->Login("ghost", "pw", "c" + std::to_string(i)).status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(store_->Login("ghost", "pw", "c9").status().code(), StatusCode::kResourceExhausted);
}

TEST_F(SessionTest, FailedSignInsPerClientAreLimited) {
  MustRegister("alice");
  const std::string attacker = "203.0.113.66";
  for (int i = 0; i < options_.max_failures_per_client; ++i) {
    EXPECT_EQ(store_->Login("victim" + std::to_string(i), "pw", attacker).status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_STATUS(store_->Login("alice", Reg("alice").password, attacker).status(),
                StatusCode::kResourceExhausted, "too many failed sign-in attempts");
  EXPECT_TRUE(store_->Login("alice", Reg("alice").password, "198.51.100.1").ok());
  clock_.Advance(options_.failure_window_ms);
  EXPECT_TRUE(store_->Login("alice", Reg("alice").password, attacker).ok());
}

TEST_F(SessionTest, ConcurrentGuessesCannotExceedTheLimit) {
  MustRegister("alice");
  constexpr int kThreads = 16;
  std::atomic<int> unauthenticated{0}, limited{0}, other{0}, ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      auto r = store_->Login("alice", "guess" + std::to_string(i), "bot" + std::to_string(i));
      if (r.status().code() == StatusCode::kUnauthenticated) {
        ++unauthenticated;
      } else if (r.status().code() == StatusCode::kResourceExhausted) {
        ++limited;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(unauthenticated.load(), options_.max_failures_per_id);
  EXPECT_EQ(limited.load(), kThreads - options_.max_failures_per_id);
  EXPECT_EQ(other.load(), 0);
}

TEST_F(SessionTest, BannedUserIsRefusedWithTheReason) {
  MustRegister("admin", Role::kAdmin);
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  auto ban = store_->Restrict("admin", "alice", RestrictionKind::kBanned, "sold a flooded car",
                              kStartMs + 7 * 24 * 60 * kMinute);
  ASSERT_TRUE(ban.ok()) << ban.status().ToString();
  // Sessions end with the ban; signing in is refused with the reason and the end.
  EXPECT_EQ(store_->Authenticate(t.access_token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->Refresh(t.refresh_token).status().code(), StatusCode::kUnauthenticated);
  auto refused = store_->Login("alice", Reg("alice").password, "c");
  EXPECT_STATUS(refused.status(), StatusCode::kPermissionDenied,
                "account banned until 2026-03-08T00:00:00Z: sold a flooded car");
  clock_.Set(*ban->expires_ms);  // the ban ran out
  Tokens after = MustLogin("alice");
  EXPECT_TRUE(store_->Authenticate(after.access_token).ok());
  // An open-ended ban, lifted by hand.
  auto ban2 = store_->Restrict("admin", "alice", RestrictionKind::kBanned, "again", std::nullopt);
  ASSERT_TRUE(ban2.ok());
  EXPECT_STATUS(store_->Login("alice", Reg("alice").password, "c").status(),
                StatusCode::kPermissionDenied, "account banned until lifted: again");
  ASSERT_TRUE(store_->Lift("admin", ban2->id, "appeal accepted").ok());
  EXPECT_TRUE(store_->Login("alice", Reg("alice").password, "c").ok());
}

TEST_F(SessionTest, LesserRestrictionsTravelWithTheCaller) {
  MustRegister("admin", Role::kAdmin);
  MustRegister("alice");
  Tokens t = MustLogin("alice");
  ASSERT_TRUE(store_
                  ->Restrict("admin", "alice", RestrictionKind::kNoTrading, "chargeback",
                             kStartMs + 10 * kMinute)
                  .ok());
  ASSERT_TRUE(
      store_->Restrict("admin", "alice", RestrictionKind::kReadOnly, "spam", std::nullopt).ok());
  auto ctx = store_->Authenticate(t.access_token);
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_TRUE(ctx->Has(RestrictionKind::kNoTrading));
  EXPECT_TRUE(ctx->Has(RestrictionKind::kReadOnly));
  EXPECT_FALSE(ctx->Has(RestrictionKind::kBanned));
  ASSERT_EQ(ctx->restrictions.size(), 2u);
  EXPECT_EQ(ctx->restrictions[0].reason, "chargeback");
  EXPECT_EQ(ctx->restrictions[0].created_by, "admin");
  clock_.Advance(10 * kMinute);  // the trading restriction expired
  ctx = store_->Authenticate(t.access_token);
  ASSERT_TRUE(ctx.ok());
  EXPECT_FALSE(ctx->Has(RestrictionKind::kNoTrading));
  EXPECT_TRUE(ctx->Has(RestrictionKind::kReadOnly));
}

TEST_F(SessionTest, PurgeDropsWhatCanNoLongerBeUsedAndKeepsLiveSessions) {
  MustRegister("alice");
  MustRegister("bob");
  Tokens alice = MustLogin("alice");
  Tokens bob = MustLogin("bob");
  Tokens bob_out = MustLogin("bob");
  ASSERT_TRUE(store_->Logout(bob_out.access_token).ok());
  EXPECT_FALSE(store_->Login("alice", "wrong", "c").ok());
  auto alice2 = store_->Refresh(alice.refresh_token);
  ASSERT_TRUE(alice2.ok());
  EXPECT_EQ(*store_->PurgeExpired(), 0);  // nothing is old yet

  clock_.Advance(options_.failure_window_ms);  // attempts and access tokens are now stale
  auto purged = store_->PurgeExpired();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 4 + 4);
  EXPECT_EQ(Count("login_attempts"), 0);
  EXPECT_EQ(Count("access_tokens"), 0);
  EXPECT_EQ(Count("sessions"), 3);
  // The live session still rotates, and still detects reuse of an old token.
  auto alice3 = store_->Refresh(alice2->refresh_token);
  ASSERT_TRUE(alice3.ok()) << alice3.status().ToString();
  EXPECT_TRUE(store_->Authenticate(alice3->access_token).ok());
  EXPECT_STATUS(store_->Refresh(alice.refresh_token).status(), StatusCode::kUnauthenticated,
                "refresh token reuse detected");

  clock_.Advance(options_.refresh_ttl_ms);  // every session is now dead or long revoked
  EXPECT_GT(*store_->PurgeExpired(), 0);
  EXPECT_EQ(Count("sessions"), 0);
  EXPECT_EQ(Count("refresh_tokens"), 0);
  EXPECT_EQ(Count("users"), 2);
  EXPECT_EQ(store_->Refresh(bob.refresh_token).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace carledger::store
