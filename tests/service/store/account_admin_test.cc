// AccountStore administration: restrictions (who may set them, bad inputs, lifting,
// expiry), user search and paging, the audit log.
#include <set>

#include "tests/service/store/account_fixture.h"

namespace carledger::store {
namespace {

using AccountAdminTest = AccountStoreTest;

TEST_F(AccountAdminTest, RestrictChecksWhoAndWhat) {
  MustRegister("admin", Role::kAdmin);
  MustRegister("agency", Role::kAgency);
  MustRegister("alice");
  auto ok = store_->Restrict("admin", "alice", RestrictionKind::kNoTrading, "unpaid escrow",
                             kStartMs + kMinute);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_GT(ok->id, 0);
  EXPECT_EQ(ok->user_id, "alice");
  EXPECT_EQ(ok->kind, RestrictionKind::kNoTrading);
  EXPECT_EQ(ok->created_by, "admin");
  EXPECT_EQ(ok->created_ms, kStartMs);
  EXPECT_EQ(ok->expires_ms, kStartMs + kMinute);

  auto restrict = [&](const std::string& actor, const std::string& user, const std::string& reason,
                      std::optional<int64_t> expires) {
    return store_->Restrict(actor, user, RestrictionKind::kReadOnly, reason, expires).status();
  };
  EXPECT_STATUS(restrict("alice", "agency", "r", std::nullopt), StatusCode::kPermissionDenied,
                "only administrators can restrict");
  EXPECT_STATUS(restrict("agency", "alice", "r", std::nullopt), StatusCode::kPermissionDenied,
                "only administrators");
  EXPECT_STATUS(restrict("nobody", "alice", "r", std::nullopt), StatusCode::kPermissionDenied,
                "only administrators");
  EXPECT_STATUS(restrict("admin", "admin", "r", std::nullopt), StatusCode::kFailedPrecondition,
                "cannot restrict your own account");
  EXPECT_STATUS(restrict("admin", "nobody", "r", std::nullopt), StatusCode::kNotFound,
                "user not found");
  EXPECT_STATUS(restrict("admin", "alice", "", std::nullopt), StatusCode::kInvalidArgument,
                "reason: required");
  EXPECT_STATUS(restrict("admin", "alice", std::string(501, 'r'), std::nullopt),
                StatusCode::kInvalidArgument, "reason: must be at most 500");
  EXPECT_STATUS(restrict("admin", "alice", "bad\x01", std::nullopt), StatusCode::kInvalidArgument,
                "reason: must not contain control");
  EXPECT_STATUS(restrict("admin", "alice", "r", kStartMs), StatusCode::kInvalidArgument,
                "expires_at: must be in the future");
  EXPECT_STATUS(restrict("admin", "alice", "", kStartMs - 1), StatusCode::kInvalidArgument,
                "reason: required; expires_at: must be in the future");
  EXPECT_EQ(Count("restrictions"), 1);
  auto audit = store_->ListAudit({.action = "user.restrict"});
  ASSERT_EQ(audit->entries.size(), 1u);
  EXPECT_EQ(audit->entries[0].actor, "admin");
  EXPECT_EQ(audit->entries[0].target, "alice");
  EXPECT_EQ(audit->entries[0].detail, "restriction=" + std::to_string(ok->id) +
                                          " kind=no_trading until=2026-03-01T00:01:00Z");
}

TEST_F(AccountAdminTest, RestrictionsExpireOrAreLifted) {
  MustRegister("admin", Role::kAdmin);
  MustRegister("alice");
  auto a = store_->Restrict("admin", "alice", RestrictionKind::kReadOnly, "a", kStartMs + kMinute);
  auto b = store_->Restrict("admin", "alice", RestrictionKind::kNoTrading, "b", std::nullopt);
  ASSERT_TRUE(a.ok() && b.ok());
  auto active = store_->ActiveRestrictions("alice");
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ((*active)[0].id, a->id);
  clock_.Advance(kMinute);
  active = store_->ActiveRestrictions("alice");
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].id, b->id);

  EXPECT_STATUS(store_->Lift("alice", b->id, "self-service"), StatusCode::kPermissionDenied,
                "only administrators can lift");
  EXPECT_STATUS(store_->Lift("admin", b->id, ""), StatusCode::kInvalidArgument, "reason: required");
  EXPECT_STATUS(store_->Lift("admin", 999999, "x"), StatusCode::kNotFound, "restriction not found");
  ASSERT_TRUE(store_->Lift("admin", b->id, "paid up").ok());
  EXPECT_TRUE(store_->ActiveRestrictions("alice")->empty());
  EXPECT_STATUS(store_->Lift("admin", b->id, "again"), StatusCode::kFailedPrecondition,
                "restriction already lifted");
  auto row = pool_->Exec(
      "SELECT lifted_by, lift_reason, epoch_ms(lifted_at) AS at FROM "
      "restrictions WHERE id = $1",
      {b->id});
  EXPECT_EQ((*row)[0].Str("lifted_by"), "admin");
  EXPECT_EQ((*row)[0].Str("lift_reason"), "paid up");
  EXPECT_EQ((*row)[0].Int("at"), kStartMs + kMinute);
  EXPECT_EQ(store_->ListAudit({.action = "user.lift"})->entries.size(), 1u);
}

TEST_F(AccountAdminTest, ListUsersSearchesFiltersAndPages) {
  MustRegister("admin", Role::kAdmin);
  for (int i = 0; i < 23; ++i) {
    Registration r = Reg("user" + std::string(i < 10 ? "0" : "") + std::to_string(i));
    r.name = i % 2 ? "Park Jisoo" : "Lee Minho 50%_off";
    ASSERT_TRUE(store_->Register(r).ok());
  }
  MustRegister("agency.one", Role::kAgency);
  // All 25, in id order, in pages of 10.
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = store_->ListUsers({.page_size = 10, .page_token = token});
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->users.size(), 10u);
    for (const auto& u : page->users) seen.push_back(u.id);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
  EXPECT_EQ(seen.front(), "admin");

  auto by_name = store_->ListUsers({.text = "JISOO"});
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->users.size(), 11u);
  for (const auto& u : by_name->users) EXPECT_EQ(u.name, "Park Jisoo");
  // '%' and '_' are plain characters, not wildcards.
  EXPECT_EQ(store_->ListUsers({.text = "50%_"})->users.size(), 12u);
  EXPECT_EQ(store_->ListUsers({.text = "5_%"})->users.size(), 0u);
  EXPECT_EQ(store_->ListUsers({.text = "%"})->users.size(), 12u);
  EXPECT_EQ(store_->ListUsers({.text = "user1"})->users.size(), 10u);  // user10 to user19
  EXPECT_EQ(store_->ListUsers({.text = "USER2"})->users.size(), 3u);   // user20 to user22
  auto agencies = store_->ListUsers({.role = Role::kAgency});
  ASSERT_EQ(agencies->users.size(), 1u);
  EXPECT_EQ(agencies->users[0].id, "agency.one");
  EXPECT_EQ(agencies->users[0].role, Role::kAgency);

  ASSERT_TRUE(
      store_->Restrict("admin", "user07", RestrictionKind::kBanned, "x", std::nullopt).ok());
  ASSERT_TRUE(
      store_->Restrict("admin", "user07", RestrictionKind::kReadOnly, "y", std::nullopt).ok());
  ASSERT_TRUE(
      store_->Restrict("admin", "user08", RestrictionKind::kNoTrading, "z", kStartMs + kMinute)
          .ok());
  auto restricted = store_->ListUsers({.restricted_only = true});
  ASSERT_EQ(restricted->users.size(), 2u);
  EXPECT_EQ(restricted->users[0].id, "user07");
  EXPECT_EQ(std::set<RestrictionKind>(restricted->users[0].restrictions.begin(),
                                      restricted->users[0].restrictions.end()),
            std::set<RestrictionKind>({RestrictionKind::kBanned, RestrictionKind::kReadOnly}));
  EXPECT_EQ(restricted->users[1].restrictions,
            std::vector<RestrictionKind>({RestrictionKind::kNoTrading}));
  clock_.Advance(kMinute);
  EXPECT_EQ(store_->ListUsers({.restricted_only = true})->users.size(), 1u);

  EXPECT_STATUS(store_->ListUsers({.page_size = 201}).status(), StatusCode::kInvalidArgument,
                "page_size:");
  EXPECT_STATUS(store_->ListUsers({.page_size = -1}).status(), StatusCode::kInvalidArgument,
                "page_size:");
  EXPECT_STATUS(store_->ListUsers({.page_token = "!!not a token!!"}).status(),
                StatusCode::kInvalidArgument, "page_token:");
  EXPECT_STATUS(store_->ListUsers({.text = std::string(101, 'x')}).status(),
                StatusCode::kInvalidArgument, "text: must be at most 100");
  EXPECT_STATUS(store_->ListUsers({.text = "\xff"}).status(), StatusCode::kInvalidArgument,
                "text: must be valid UTF-8");
}

TEST_F(AccountAdminTest, AuditLogAppendsListsAndPages) {
  MustRegister("admin", Role::kAdmin);
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(1000);
    ASSERT_TRUE(store_
                    ->AppendAudit(i % 2 ? "admin" : "", "listing.remove", "L" + std::to_string(i),
                                  "reports=3")
                    .ok());
  }
  auto all = store_->ListAudit({.action = "listing.remove", .page_size = 3});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->entries.size(), 3u);
  EXPECT_EQ(all->entries[0].target, "L6");  // newest first
  EXPECT_EQ(all->entries[0].at_ms, kStartMs + 7000);
  EXPECT_EQ(all->entries[0].actor, "");  // the system
  EXPECT_EQ(all->entries[1].actor, "admin");
  std::vector<std::string> targets;
  std::string token = all->next_page_token;
  for (const auto& e : all->entries) targets.push_back(e.target);
  while (!token.empty()) {
    auto page =
        store_->ListAudit({.action = "listing.remove", .page_size = 3, .page_token = token});
    ASSERT_TRUE(page.ok());
    for (const auto& e : page->entries) targets.push_back(e.target);
    token = page->next_page_token;
  }
  EXPECT_EQ(targets, std::vector<std::string>({"L6", "L5", "L4", "L3", "L2", "L1", "L0"}));
  EXPECT_EQ(store_->ListAudit({.actor = "admin", .action = "listing.remove"})->entries.size(), 3u);
  EXPECT_EQ(store_->ListAudit({.target = "L3"})->entries.size(), 1u);

  EXPECT_STATUS(store_->AppendAudit("admin", "Bad Action", "t", ""), StatusCode::kInvalidArgument,
                "action:");
  EXPECT_STATUS(store_->AppendAudit("admin", "", "t", ""), StatusCode::kInvalidArgument, "action:");
  EXPECT_STATUS(store_->AppendAudit("nobody", "x.y", "t", ""), StatusCode::kInvalidArgument,
                "actor: unknown user");
  EXPECT_STATUS(store_->AppendAudit("admin", "x.y", std::string(201, 't'), ""),
                StatusCode::kInvalidArgument, "target: must be at most 200");
  EXPECT_STATUS(store_->AppendAudit("admin", "x.y", "t", std::string(4001, 'd')),
                StatusCode::kInvalidArgument, "detail: must be at most 4000");
  EXPECT_STATUS(store_->ListAudit({.page_token = "bm90IGEgbnVtYmVy"}).status(),
                StatusCode::kInvalidArgument, "page_token:");
}

}  // namespace
}  // namespace carledger::store
