// CommunityStore: reviews, reports and the report queue's moderation rules.
#include "service/store/community.h"

#include <charconv>

#include "service/store/account_fields.h"
#include "service/store/password.h"

namespace carledger::store {

namespace {

using fields::CheckText;

constexpr char kReviewColumns[] =
    "id, trade_id, author_id, subject_id, rating, body, epoch_ms(created_at) AS created_at";
constexpr char kReportColumns[] =
    "id, reporter_id, target_user_id, target_listing_id, target_owner_id, reason, status, "
    "resolution, resolved_by, epoch_ms(created_at) AS created_at, "
    "epoch_ms(resolved_at) AS resolved_at";

Review ReviewFromRow(const PgRow& row) {
  Review r;
  r.id = row.Int("id");
  r.trade_id = row.Str("trade_id");
  r.author_id = row.Str("author_id");
  r.subject_id = row.Str("subject_id");
  r.rating = static_cast<int>(row.Int("rating"));
  r.text = row.Str("body");
  r.created_ms = row.Int("created_at");
  return r;
}

Report ReportFromRow(const PgRow& row) {
  Report r;
  r.id = row.Int("id");
  r.reporter_id = row.Str("reporter_id");
  r.target_user_id = row.Str("target_user_id");
  r.target_vin = row.Str("target_listing_id");
  r.target_owner_id = row.Str("target_owner_id");
  r.reason = row.Str("reason");
  r.status = ParseReportStatus(row.Str("status")).value();
  r.resolution = row.Str("resolution");
  r.resolved_by = row.Str("resolved_by");
  r.created_ms = row.Int("created_at");
  r.resolved_ms = row.OptInt("resolved_at");
  return r;
}

Result<int> PageSize(int requested) {
  if (requested == 0) return 50;
  if (requested < 1 || requested > 200) {
    return Status::InvalidArgument("page_size: must be between 1 and 200");
  }
  return requested;
}

// Page tokens: base64url of the last row id of the previous page.
std::string IdPageToken(int64_t id) {
  return Base64Encode(std::to_string(id), /*url=*/true);
}

Result<int64_t> IdFromPageToken(std::string_view token, int64_t none) {
  if (token.empty()) return none;
  auto key = Base64Decode(token, /*url=*/true);
  int64_t id = 0;
  if (key.ok() && !key->empty()) {
    auto [end, ec] = std::from_chars(key->data(), key->data() + key->size(), id);
    if (ec == std::errc() && end == key->data() + key->size() && id > 0) return id;
  }
  return Status::InvalidArgument("page_token: invalid; use the token of the previous page");
}

std::string ReportTarget(const Report& r) {
  return r.target_user_id.empty() ? "listing:" + r.target_vin : "user:" + r.target_user_id;
}

}  // namespace

const char* ReportStatusName(ReportStatus status) {
  switch (status) {
    case ReportStatus::kOpen:
      return "open";
    case ReportStatus::kConfirmed:
      return "confirmed";
    case ReportStatus::kDismissed:
      return "dismissed";
  }
  return "open";
}

Result<ReportStatus> ParseReportStatus(std::string_view name) {
  if (name == "open") return ReportStatus::kOpen;
  if (name == "confirmed") return ReportStatus::kConfirmed;
  if (name == "dismissed") return ReportStatus::kDismissed;
  return Status::InvalidArgument("status: must be open, confirmed or dismissed");
}

Result<Review> CommunityStore::AddReview(std::string_view trade_id, std::string_view author_id,
                                         std::string_view subject_id, int rating,
                                         std::string_view text) {
  CL_RETURN_IF_ERROR(fields::Collect(
      {trade_id.empty() || trade_id.size() > 128
           ? Status::InvalidArgument("trade_id: required, at most 128 characters")
           : Status::Ok(),
       rating < 1 || rating > 5 ? Status::InvalidArgument("rating: must be between 1 and 5")
                                : Status::Ok(),
       text.size() > 2000
           ? Status::InvalidArgument("text: at most 2000 bytes, got " + std::to_string(text.size()))
           : CheckText("text", text, 0, 2000, /*multiline=*/true)}));
  if (author_id == subject_id)
    return Status::InvalidArgument("subject: you cannot review yourself");
  const int64_t now = clock_.NowMs();
  Review out;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    auto rows = tx.Exec(std::string("INSERT INTO reviews (trade_id, author_id, subject_id, rating, "
                                    "body, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                    "RETURNING ") +
                            kReviewColumns,
                        {trade_id, author_id, subject_id, rating, text, PgValue::TimeMs(now)});
    if (rows.status().code() == StatusCode::kAlreadyExists)
      return Status::AlreadyExists("you already reviewed this trade (once per side)");
    if (rows.status().code() == StatusCode::kFailedPrecondition)
      return Status::NotFound("user not found");
    CL_RETURN_IF_ERROR(rows.status());
    out = ReviewFromRow((*rows)[0]);
    return AppendAudit(tx, now, author_id, "review.add", "user:" + std::string(subject_id),
                       "review=" + std::to_string(out.id) + " trade=" + std::string(trade_id) +
                           " rating=" + std::to_string(rating));
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::pair<double, int64_t>> CommunityStore::Rating(std::string_view subject_id) {
  CL_ASSIGN_OR_RETURN(PgRows rows, pool_.Exec("SELECT coalesce(sum(rating), 0) AS total, "
                                              "count(*) AS n FROM reviews WHERE subject_id = $1",
                                              {subject_id}));
  int64_t n = rows[0].Int("n");
  double mean = n == 0 ? 0 : static_cast<double>(rows[0].Int("total")) / static_cast<double>(n);
  return std::make_pair(mean, n);
}

Result<ReviewPage> CommunityStore::ListReviews(std::string_view subject_id, int page_size,
                                               std::string_view page_token) {
  CL_ASSIGN_OR_RETURN(int size, PageSize(page_size));
  CL_ASSIGN_OR_RETURN(int64_t before, IdFromPageToken(page_token, INT64_MAX));
  CL_ASSIGN_OR_RETURN(PgRows rows, pool_.Exec(std::string("SELECT ") + kReviewColumns +
                                                  " FROM reviews WHERE subject_id = $1 AND id < "
                                                  "$2 ORDER BY id DESC LIMIT $3",
                                              {subject_id, before, size + 1}));
  ReviewPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < size; ++i)
    page.reviews.push_back(ReviewFromRow(rows[i]));
  if (static_cast<int>(rows.size()) > size)
    page.next_page_token = IdPageToken(page.reviews.back().id);
  CL_ASSIGN_OR_RETURN(auto rating, Rating(subject_id));
  page.mean_rating = rating.first;
  page.count = rating.second;
  return page;
}

Result<Report> CommunityStore::AddReport(const NewReport& r) {
  const bool user = !r.target_user_id.empty(), listing = !r.target_vin.empty();
  CL_RETURN_IF_ERROR(fields::Collect(
      {user == listing ? Status::InvalidArgument("user_id: give exactly one of user_id and vin")
                       : Status::Ok(),
       user && r.target_user_id == r.reporter_id
           ? Status::InvalidArgument("user_id: you cannot report yourself")
           : Status::Ok(),
       listing && r.target_owner_id == r.reporter_id
           ? Status::InvalidArgument("vin: you cannot report your own listing")
           : Status::Ok(),
       listing && r.target_vin.size() > 128 ? Status::InvalidArgument("vin: at most 128 characters")
                                            : Status::Ok(),
       CheckText("reason", r.reason, 1, 1000, /*multiline=*/true)}));
  const int64_t now = clock_.NowMs();
  Report out;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    auto rows =
        tx.Exec(std::string("INSERT INTO reports (reporter_id, target_user_id, target_listing_id, "
                            "target_owner_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                            "RETURNING ") +
                    kReportColumns,
                {r.reporter_id, user ? PgValue(r.target_user_id) : PgValue(std::nullopt),
                 listing ? PgValue(r.target_vin) : PgValue(std::nullopt),
                 r.target_owner_id.empty() ? PgValue(std::nullopt) : PgValue(r.target_owner_id),
                 r.reason, PgValue::TimeMs(now)});
    if (rows.status().code() == StatusCode::kAlreadyExists)
      return Status::AlreadyExists(std::string("you already have an open report on this ") +
                                   (user ? "user" : "listing"));
    if (rows.status().code() == StatusCode::kFailedPrecondition)
      return Status::NotFound(user ? "user_id: no such user" : "user not found");
    CL_RETURN_IF_ERROR(rows.status());
    out = ReportFromRow((*rows)[0]);
    return AppendAudit(tx, now, r.reporter_id, "report.file", ReportTarget(out),
                       "report=" + std::to_string(out.id));
  });
  if (!st.ok()) return st;
  return out;
}

Result<ReportPage> CommunityStore::ListReports(std::optional<ReportStatus> status, int page_size,
                                               std::string_view page_token) {
  CL_ASSIGN_OR_RETURN(int size, PageSize(page_size));
  CL_ASSIGN_OR_RETURN(int64_t after, IdFromPageToken(page_token, 0));
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec(
          std::string("SELECT ") + kReportColumns +
              " FROM reports WHERE ($1::text IS NULL OR status = $1) AND id > $2 "
              "ORDER BY id LIMIT $3",
          {status ? PgValue(ReportStatusName(*status)) : PgValue(std::nullopt), after, size + 1}));
  ReportPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < size; ++i)
    page.reports.push_back(ReportFromRow(rows[i]));
  if (static_cast<int>(rows.size()) > size)
    page.next_page_token = IdPageToken(page.reports.back().id);
  return page;
}

Result<Resolution> CommunityStore::Resolve(std::string_view actor, int64_t report_id,
                                           bool confirmed, std::string_view resolution) {
  CL_RETURN_IF_ERROR(CheckText("resolution", resolution, 1, 1000, /*multiline=*/true));
  const int64_t now = clock_.NowMs();
  const char* status = confirmed ? "confirmed" : "dismissed";
  Resolution out;
  Status st = pool_.Transact(
      [&](Transaction& tx) -> Status {
        out = Resolution{};
        CL_ASSIGN_OR_RETURN(PgRows admin, tx.Exec("SELECT 1 FROM users WHERE id = $1 AND role = "
                                                  "'admin' AND erased_at IS NULL",
                                                  {actor}));
        if (admin.empty()) return Status::PermissionDenied("only administrators resolve reports");
        CL_ASSIGN_OR_RETURN(
            PgRows rows,
            tx.Exec(std::string("UPDATE reports SET status = $2, resolution = $3, resolved_by = "
                                "$4, resolved_at = $5 WHERE id = $1 AND status = 'open' "
                                "RETURNING ") +
                        kReportColumns,
                    {report_id, status, resolution, actor, PgValue::TimeMs(now)}));
        if (rows.empty()) {
          CL_ASSIGN_OR_RETURN(PgRows any,
                              tx.Exec("SELECT status FROM reports WHERE id = $1", {report_id}));
          if (any.empty()) return Status::NotFound("report_id: no such report");
          return Status::FailedPrecondition("report is already " + any[0].Str("status"));
        }
        out.report = ReportFromRow(rows[0]);
        const Report& rep = out.report;
        CL_RETURN_IF_ERROR(AppendAudit(tx, now, actor,
                                       confirmed ? "report.confirm" : "report.dismiss",
                                       ReportTarget(rep), "report=" + std::to_string(rep.id)));
        if (!confirmed) return Status::Ok();
        if (!rep.target_vin.empty()) {
          // Every kTakedownReports confirmations on a listing require one takedown.
          CL_ASSIGN_OR_RETURN(
              PgRows n, tx.Exec("SELECT (SELECT count(*) FROM reports WHERE target_listing_id = "
                                "$1 AND status = 'confirmed') AS confirmed, (SELECT count(*) "
                                "FROM listing_takedowns WHERE vin = $1) AS takedowns",
                                {rep.target_vin}));
          if (n[0].Int("confirmed") >= kTakedownReports * (n[0].Int("takedowns") + 1)) {
            out.takedown_required = true;
            CL_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO listing_takedowns (vin, owner_id, report_id, decided_at) "
                        "VALUES ($1, $2, $3, $4)",
                        {rep.target_vin,
                         rep.target_owner_id.empty() ? PgValue(std::nullopt)
                                                     : PgValue(rep.target_owner_id),
                         rep.id, PgValue::TimeMs(now)})
                    .status());
            CL_RETURN_IF_ERROR(AppendAudit(tx, now, actor, "listing.takedown_required",
                                           "listing:" + rep.target_vin,
                                           "report=" + std::to_string(rep.id)));
          }
        }
        // The repeat-offender rule, for the reported user or the listing's owner.
        const std::string offender =
            rep.target_user_id.empty() ? rep.target_owner_id : rep.target_user_id;
        if (offender.empty()) return Status::Ok();
        const PgValue since = PgValue::TimeMs(now - kOffenceWindowMs);
        CL_ASSIGN_OR_RETURN(
            PgRows counts,
            tx.Exec("SELECT (SELECT count(*) FROM listing_takedowns WHERE owner_id = $1 AND "
                    "decided_at > $2) AS takedowns, (SELECT count(*) FROM reports WHERE "
                    "target_user_id = $1 AND status = 'confirmed' AND resolved_at > $2) AS "
                    "user_reports, EXISTS (SELECT 1 FROM restrictions WHERE user_id = $1 AND "
                    "kind = 'no_listing' AND lifted_at IS NULL AND (expires_at IS NULL OR "
                    "expires_at > $3)) AS barred",
                    {offender, since, PgValue::TimeMs(now)}));
        const int64_t takedowns = counts[0].Int("takedowns");
        const int64_t user_reports = counts[0].Int("user_reports");
        if (counts[0].Bool("barred") ||
            (takedowns < kTakedownsToBar && user_reports < kUserReportsToBar))
          return Status::Ok();
        const std::string reason = "repeat offender: " + std::to_string(takedowns) +
                                   " listing(s) taken down and " + std::to_string(user_reports) +
                                   " confirmed report(s) against the account in 90 days";
        CL_ASSIGN_OR_RETURN(
            PgRows bar,
            tx.Exec("INSERT INTO restrictions (user_id, kind, reason, created_by, created_at, "
                    "expires_at) VALUES ($1, 'no_listing', $2, NULL, $3, $4) RETURNING id, "
                    "epoch_ms(created_at) AS created_at, epoch_ms(expires_at) AS expires_at",
                    {offender, reason, PgValue::TimeMs(now), PgValue::TimeMs(now + kBarMs)}));
        Restriction r;
        r.id = bar[0].Int("id");
        r.user_id = offender;
        r.kind = RestrictionKind::kNoListing;
        r.reason = reason;
        r.created_ms = bar[0].Int("created_at");
        r.expires_ms = bar[0].Int("expires_at");
        out.barred_user = offender;
        out.bar = r;
        return AppendAudit(
            tx, now, "", "user.restrict", offender,
            "restriction=" + std::to_string(r.id) + " kind=no_listing rule=repeat_offender until=" +
                fields::FormatTimeMs(*r.expires_ms) + " report=" + std::to_string(rep.id));
      },
      Isolation::kSerializable);
  if (!st.ok()) return st;
  return out;
}

}  // namespace carledger::store
