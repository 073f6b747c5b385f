// CommunityStore: reviews (once per side, bounds, mean rating, paging), reports (one
// target, one open report per reporter and target), and the report queue's rules
// (takedown at three confirmed reports, the repeat-offender bar, audit).
#include "service/store/community.h"

#include "tests/service/store/account_fixture.h"

namespace carledger::store {
namespace {

constexpr int64_t kDay = 24 * 60 * kMinute;
const std::string kTrade(64, 'a');
const std::string kVin = "KMHD341CBHU000001";

class CommunityStoreTest : public AccountStoreTest {
 protected:
  void SetUp() override {
    AccountStoreTest::SetUp();
    if (HasFatalFailure()) return;
    community_ = std::make_unique<CommunityStore>(*pool_, clock_);
    MustRegister("admin", Role::kAdmin);
    for (const char* id : {"seller", "buyer", "rep1", "rep2", "rep3", "rep4"}) MustRegister(id);
  }
  void TearDown() override {
    community_.reset();
    AccountStoreTest::TearDown();
  }
  int64_t ReportOn(const std::string& reporter, const std::string& user, const std::string& vin,
                   const std::string& owner = "") {
    auto r = community_->AddReport({reporter, user, vin, owner, "misleading"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->id : 0;
  }
  Resolution Confirm(int64_t id) {
    auto r = community_->Resolve("admin", id, true, "checked: true");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Resolution{};
  }
  std::unique_ptr<CommunityStore> community_;
};

TEST_F(CommunityStoreTest, ReviewsAreOncePerSideBoundedAndAveraged) {
  auto a = community_->AddReview(kTrade, "buyer", "seller", 5, "great car");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->author_id, "buyer");
  EXPECT_EQ(a->created_ms, kStartMs);
  EXPECT_STATUS(community_->AddReview(kTrade, "buyer", "seller", 1, "changed my mind").status(),
                StatusCode::kAlreadyExists, "you already reviewed this trade");
  // The other side reviews the same trade once too.
  ASSERT_TRUE(community_->AddReview(kTrade, "seller", "buyer", 4, "").ok());
  ASSERT_TRUE(community_->AddReview(std::string(64, 'b'), "rep1", "seller", 2, "late").ok());
  auto bad =
      community_->AddReview(std::string(64, 'c'), "rep1", "seller", 6, std::string(2001, 'x'));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("rating: must be between 1 and 5"), std::string::npos);
  EXPECT_NE(bad.status().message().find("text: at most 2000 bytes"), std::string::npos);
  // 700 three-byte characters: 700 characters but 2100 bytes.
  std::string hangul;
  for (int i = 0; i < 700; ++i) hangul += "가";
  EXPECT_STATUS(community_->AddReview(std::string(64, 'c'), "rep1", "seller", 3, hangul).status(),
                StatusCode::kInvalidArgument, "text: at most 2000 bytes");
  EXPECT_STATUS(community_->AddReview(std::string(64, 'c'), "rep1", "rep1", 3, "").status(),
                StatusCode::kInvalidArgument, "subject:");
  EXPECT_STATUS(community_->AddReview(std::string(64, 'c'), "rep1", "ghost", 3, "").status(),
                StatusCode::kNotFound, "user not found");

  auto page = community_->ListReviews("seller", 1, "");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->reviews.size(), 1u);
  EXPECT_EQ(page->reviews[0].text, "late");  // newest first
  EXPECT_EQ(page->count, 2);
  EXPECT_DOUBLE_EQ(page->mean_rating, 3.5);
  auto next = community_->ListReviews("seller", 1, page->next_page_token);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->reviews.size(), 1u);
  EXPECT_EQ(next->reviews[0].text, "great car");
  EXPECT_TRUE(next->next_page_token.empty());
  EXPECT_STATUS(community_->ListReviews("seller", 1, "@@").status(), StatusCode::kInvalidArgument,
                "page_token:");
}

TEST_F(CommunityStoreTest, InjectionStringsAreStoredVerbatim) {
  int n = 0;
  for (const auto& s : NastyStrings()) {
    std::string trade(64, static_cast<char>('a' + n++));
    ASSERT_TRUE(community_->AddReview(trade, "buyer", "seller", 3, s).ok()) << s;
    auto rep = community_->AddReport({"rep" + std::to_string(n % 4 + 1), "seller", "", "", s});
    if (rep.ok()) {
      EXPECT_EQ(rep->reason, s);
    }
  }
  auto page = community_->ListReviews("seller", 50, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->reviews.size(), NastyStrings().size());
  for (size_t i = 0; i < NastyStrings().size(); ++i)
    EXPECT_EQ(page->reviews[NastyStrings().size() - 1 - i].text, NastyStrings()[i]);
  EXPECT_EQ(Count("users"), 7);
}

TEST_F(CommunityStoreTest, ReportsNeedOneTargetAReasonAndAreOpenOncePerTarget) {
  EXPECT_STATUS(community_->AddReport({"rep1", "", "", "", "x"}).status(),
                StatusCode::kInvalidArgument, "user_id: give exactly one");
  EXPECT_STATUS(community_->AddReport({"rep1", "seller", kVin, "", "x"}).status(),
                StatusCode::kInvalidArgument, "user_id: give exactly one");
  EXPECT_STATUS(community_->AddReport({"rep1", "seller", "", "", ""}).status(),
                StatusCode::kInvalidArgument, "reason:");
  EXPECT_STATUS(community_->AddReport({"rep1", "seller", "", "", std::string(1001, 'a')}).status(),
                StatusCode::kInvalidArgument, "reason:");
  EXPECT_STATUS(community_->AddReport({"rep1", "rep1", "", "", "me"}).status(),
                StatusCode::kInvalidArgument, "user_id: you cannot report yourself");
  EXPECT_STATUS(community_->AddReport({"seller", "", kVin, "seller", "mine"}).status(),
                StatusCode::kInvalidArgument, "vin: you cannot report your own listing");
  EXPECT_STATUS(community_->AddReport({"rep1", "ghost", "", "", "who"}).status(),
                StatusCode::kNotFound, "user_id: no such user");
  int64_t id = ReportOn("rep1", "seller", "");
  EXPECT_STATUS(community_->AddReport({"rep1", "seller", "", "", "again"}).status(),
                StatusCode::kAlreadyExists, "you already have an open report on this user");
  ASSERT_TRUE(community_->Resolve("admin", id, false, "no evidence").ok());
  // Resolved: a new report on the same target may be filed.
  EXPECT_TRUE(community_->AddReport({"rep1", "seller", "", "", "again"}).ok());
  auto open = community_->ListReports(ReportStatus::kOpen, 50, "");
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->reports.size(), 1u);
  EXPECT_EQ(open->reports[0].reason, "again");
  auto dismissed = community_->ListReports(ReportStatus::kDismissed, 50, "");
  ASSERT_TRUE(dismissed.ok());
  ASSERT_EQ(dismissed->reports.size(), 1u);
  EXPECT_EQ(dismissed->reports[0].resolution, "no evidence");
  EXPECT_EQ(dismissed->reports[0].resolved_by, "admin");
}

TEST_F(CommunityStoreTest, OnlyAdminsResolveAndOnlyOnce) {
  int64_t id = ReportOn("rep1", "seller", "");
  EXPECT_STATUS(community_->Resolve("rep2", id, true, "x").status(), StatusCode::kPermissionDenied,
                "only administrators");
  EXPECT_STATUS(community_->Resolve("admin", id, true, "").status(), StatusCode::kInvalidArgument,
                "resolution:");
  EXPECT_STATUS(community_->Resolve("admin", 999, true, "x").status(), StatusCode::kNotFound,
                "report_id:");
  ASSERT_TRUE(community_->Resolve("admin", id, true, "x").ok());
  EXPECT_STATUS(community_->Resolve("admin", id, false, "y").status(),
                StatusCode::kFailedPrecondition, "report is already confirmed");
  auto audit = store_->ListAudit({.action = "report.confirm"});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->entries.size(), 1u);
  EXPECT_EQ(audit->entries[0].actor, "admin");
  EXPECT_EQ(audit->entries[0].target, "user:seller");
}

TEST_F(CommunityStoreTest, ThirdConfirmedListingReportRequiresATakedown) {
  int64_t a = ReportOn("rep1", "", kVin, "seller");
  int64_t b = ReportOn("rep2", "", kVin, "seller");
  int64_t c = ReportOn("rep3", "", kVin, "seller");
  int64_t d = ReportOn("rep4", "", kVin, "seller");
  EXPECT_FALSE(Confirm(a).takedown_required);
  ASSERT_TRUE(community_->Resolve("admin", b, false, "not shown").ok());
  EXPECT_FALSE(Confirm(c).takedown_required);
  Resolution third = Confirm(d);
  EXPECT_TRUE(third.takedown_required);
  EXPECT_TRUE(third.barred_user.empty());  // one takedown is not yet a repeat offence
  EXPECT_EQ(Count("listing_takedowns"), 1);
  auto audit = store_->ListAudit({.action = "listing.takedown_required"});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->entries.size(), 1u);
  EXPECT_EQ(audit->entries[0].target, "listing:" + kVin);
  // The next takedown of this listing needs three more confirmations.
  EXPECT_FALSE(Confirm(ReportOn("rep1", "", kVin, "seller")).takedown_required);
}

TEST_F(CommunityStoreTest, RepeatOffendersAreBarredFromListingForThirtyDays) {
  // Three confirmed reports on the seller within 90 days bar them.
  Confirm(ReportOn("rep1", "seller", ""));
  clock_.Advance(40 * kDay);
  Confirm(ReportOn("rep2", "seller", ""));
  clock_.Advance(40 * kDay);
  Resolution res = Confirm(ReportOn("rep3", "seller", ""));
  EXPECT_EQ(res.barred_user, "seller");
  ASSERT_TRUE(res.bar.has_value());
  EXPECT_EQ(res.bar->expires_ms, clock_.NowMs() + 30 * kDay);
  auto active = store_->ActiveRestrictions("seller");
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].kind, RestrictionKind::kNoListing);
  EXPECT_EQ((*active)[0].created_by, "");  // the system
  EXPECT_NE((*active)[0].reason.find("repeat offender"), std::string::npos);
  auto audit = store_->ListAudit({.target = "seller", .action = "user.restrict"});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->entries.size(), 1u);
  EXPECT_EQ(audit->entries[0].actor, "");
  EXPECT_NE(audit->entries[0].detail.find("kind=no_listing rule=repeat_offender"),
            std::string::npos);
  // Already barred: a fourth confirmation does not stack another bar.
  EXPECT_TRUE(Confirm(ReportOn("rep4", "seller", "")).barred_user.empty());
  // The bar ends after 30 days.
  clock_.Advance(31 * kDay);
  EXPECT_TRUE(store_->ActiveRestrictions("seller")->empty());
}

TEST_F(CommunityStoreTest, ReportsOlderThanNinetyDaysDoNotCount) {
  Confirm(ReportOn("rep1", "seller", ""));
  Confirm(ReportOn("rep2", "seller", ""));
  clock_.Advance(91 * kDay);
  EXPECT_TRUE(Confirm(ReportOn("rep3", "seller", "")).barred_user.empty());
  EXPECT_TRUE(store_->ActiveRestrictions("seller")->empty());
}

TEST_F(CommunityStoreTest, TwoTakedownsBarTheListingsOwner) {
  const std::string vin2 = "KMHD341CBHU000002";
  for (const auto& vin : {kVin, vin2}) {
    Resolution last;
    for (const char* r : {"rep1", "rep2", "rep3"}) last = Confirm(ReportOn(r, "", vin, "seller"));
    EXPECT_TRUE(last.takedown_required) << vin;
    EXPECT_EQ(last.barred_user, vin == kVin ? "" : "seller") << vin;
  }
  auto active = store_->ActiveRestrictions("seller");
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].kind, RestrictionKind::kNoListing);
}

}  // namespace
}  // namespace carledger::store
