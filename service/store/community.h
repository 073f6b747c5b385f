// Reviews of completed trades and reports on users and listings, in PostgreSQL, with the
// moderation rules of the report queue.
//
// The store trusts its caller (the service) for facts that live on the ledger: that a trade
// is completed and who its parties are, and who owns a reported car. It checks field
// formats, uniqueness (one review per side of a trade, one open report per reporter and
// target) and who may resolve reports, and applies the moderation rules:
//   - Takedown: when confirmed reports on a listing, counted since its last takedown,
//     reach kTakedownReports (3), the resolution says the listing must be taken down (the
//     admin app then signs car_trade.take_down) and a listing_takedowns row records it.
//   - Repeat offenders: when, within kOffenceWindowMs (90 days), a user's listings were
//     taken down kTakedownsToBar (2) times, or kUserReportsToBar (3) reports against the
//     user were confirmed, the user is barred from listing (a no_listing restriction by the
//     system) for kBarMs (30 days), unless a no_listing restriction is already in force.
// Everything a moderator does is audited in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "service/store/accounts.h"
#include "service/store/clock.h"
#include "service/store/pg.h"

namespace carledger::store {

inline constexpr int kTakedownReports = 3;
inline constexpr int kTakedownsToBar = 2;
inline constexpr int kUserReportsToBar = 3;
inline constexpr int64_t kOffenceWindowMs = int64_t{90} * 24 * 3600 * 1000;
inline constexpr int64_t kBarMs = int64_t{30} * 24 * 3600 * 1000;

struct Review {
  int64_t id = 0;
  std::string trade_id;  // the ledger escrow id
  std::string author_id, subject_id;
  int rating = 0;  // 1..5
  std::string text;
  int64_t created_ms = 0;
};

struct ReviewPage {
  std::vector<Review> reviews;  // newest first
  std::string next_page_token;  // "": no more
  double mean_rating = 0;       // over all the subject's reviews (0 when none)
  int64_t count = 0;            // all the subject's reviews
};

enum class ReportStatus { kOpen, kConfirmed, kDismissed };
// "open", "confirmed", "dismissed".
const char* ReportStatusName(ReportStatus status);
Result<ReportStatus> ParseReportStatus(std::string_view name);

// Exactly one target: a user or a listing (VIN).
struct NewReport {
  std::string reporter_id;
  std::string target_user_id;     // "" unless reporting a user
  std::string target_vin;         // "" unless reporting a listing
  std::string target_owner_id{};  // for a listing: the owner's account, "" if none
  std::string reason;
};

struct Report {
  int64_t id = 0;
  std::string reporter_id, target_user_id, target_vin, target_owner_id, reason;
  ReportStatus status = ReportStatus::kOpen;
  std::string resolution, resolved_by;
  int64_t created_ms = 0;
  std::optional<int64_t> resolved_ms;
};

struct ReportPage {
  std::vector<Report> reports;  // oldest first (a queue)
  std::string next_page_token;
};

struct Resolution {
  Report report;
  // The confirmation brought the listing to the takedown threshold.
  bool takedown_required = false;
  // The repeat-offender rule barred this user from listing ("" if nobody).
  std::string barred_user;
  std::optional<Restriction> bar;
};

class CommunityStore {
 public:
  // `pool` must be migrated and outlive the store, as must `clock`.
  CommunityStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Records `author_id`'s review of the other party of trade `trade_id`. INVALID_ARGUMENT
  // for a rating outside 1..5 ("rating: ...") or text over 2000 bytes or with control
  // characters other than line breaks ("text: ..."); ALREADY_EXISTS when this author already
  // reviewed this trade; NOT_FOUND for an unknown account.
  Result<Review> AddReview(std::string_view trade_id, std::string_view author_id,
                           std::string_view subject_id, int rating, std::string_view text);

  // A page of the reviews of `subject_id`, newest first, with the mean of all of them.
  // INVALID_ARGUMENT for page_size outside 0 (50) / 1..200 or a bad page token.
  Result<ReviewPage> ListReviews(std::string_view subject_id, int page_size,
                                 std::string_view page_token);

  // Mean rating and number of reviews of a user (0, 0 when none).
  Result<std::pair<double, int64_t>> Rating(std::string_view subject_id);

  // Files a report. INVALID_ARGUMENT unless exactly one target is given ("user_id: ..."),
  // for a reason of 0 or more than 1000 characters ("reason: ...") or a self-report;
  // ALREADY_EXISTS when this reporter has an open report on the same target; NOT_FOUND for
  // an unknown target user.
  Result<Report> AddReport(const NewReport& report);

  // Reports with `status` (none: every status), oldest first. INVALID_ARGUMENT for a bad
  // page size or token.
  Result<ReportPage> ListReports(std::optional<ReportStatus> status, int page_size,
                                 std::string_view page_token);

  // An administrator (`actor`, else PERMISSION_DENIED) confirms or dismisses an open report
  // with a resolution text (1..1000 characters, "resolution: ..."), and the rules above are
  // applied. NOT_FOUND for an unknown report, FAILED_PRECONDITION when it was already
  // resolved. Audited (report.confirm / report.dismiss, listing.takedown_required,
  // user.restrict by the system).
  Result<Resolution> Resolve(std::string_view actor, int64_t report_id, bool confirmed,
                             std::string_view resolution);

 private:
  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace carledger::store
