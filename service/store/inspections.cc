#include "service/store/inspections.h"

#include <charconv>

#include "service/store/account_fields.h"
#include "service/store/accounts.h"
#include "service/store/password.h"

namespace carledger::store {

namespace {

constexpr char kColumns[] =
    "id, vin, requester_id, coalesce(agency_id, '') AS agency_id, status, location, note, "
    "coalesce(to_char(preferred_date, 'YYYY-MM-DD'), '') AS preferred_date, "
    "coalesce(decline_reason, '') AS decline_reason, coalesce(record_tx_id, '') AS record_tx_id, "
    "epoch_ms(requested_at) AS requested_at, "
    "epoch_ms(coalesce(updated_at, closed_at, accepted_at, requested_at)) AS updated_at";

InspectionRequestRecord FromRow(const PgRow& row) {
  InspectionRequestRecord r;
  r.id = row.Int("id");
  r.vin = row.Str("vin");
  r.requester = row.Str("requester_id");
  r.agency = row.Str("agency_id");
  r.status = row.Str("status");
  r.location = row.Str("location");
  r.note = row.Str("note");
  r.preferred_date = row.Str("preferred_date");
  r.decline_reason = row.Str("decline_reason");
  r.record_tx_id = row.Str("record_tx_id");
  r.requested_ms = row.Int("requested_at");
  r.updated_ms = row.Int("updated_at");
  return r;
}

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "" or a real calendar day, YYYY-MM-DD, no earlier than today (UTC).
Status CheckPreferredDate(std::string_view date, int64_t now_ms) {
  if (date.empty()) return Status::Ok();
  auto bad = Status::InvalidArgument("preferred_date: must be a date as YYYY-MM-DD");
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad;
  int y = 0, m = 0, d = 0;
  auto num = [](std::string_view s, int* out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  if (!num(date.substr(0, 4), &y) || !num(date.substr(5, 2), &m) || !num(date.substr(8, 2), &d))
    return bad;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 ||
      d > kDays[m - 1] + (m == 2 && leap ? 1 : 0))
    return bad;
  if (DaysFromCivil(y, m, d) < now_ms / 86400000)
    return Status::InvalidArgument("preferred_date: must not be in the past");
  return Status::Ok();
}

Result<int> PageSize(int requested) {
  if (requested == 0) return 20;
  if (requested < 1 || requested > 100)
    return Status::InvalidArgument("page_size: must be between 1 and 100");
  return requested;
}

// Page tokens: base64url of the last id of the previous page (ids fall page by page).
Result<int64_t> AfterId(std::string_view token) {
  if (token.empty()) return INT64_MAX;
  auto raw = Base64Decode(token, /*url=*/true);
  int64_t id = 0;
  if (raw.ok()) {
    auto [p, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), id);
    if (ec == std::errc() && p == raw->data() + raw->size() && id > 0) return id;
  }
  return Status::InvalidArgument("page_token: invalid; use the token of the previous page");
}

Result<InspectionPage> Page(PgPool& pool, const std::string& where, PgParams params, int size) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM inspection_requests WHERE " + where +
                    " ORDER BY id DESC LIMIT " + std::to_string(size + 1);
  CL_ASSIGN_OR_RETURN(PgRows rows, pool.Exec(sql, params));
  InspectionPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < size; ++i)
    page.requests.push_back(FromRow(rows[i]));
  if (static_cast<int>(rows.size()) > size)
    page.next_page_token = Base64Encode(std::to_string(page.requests.back().id), /*url=*/true);
  return page;
}

const char* kStatuses[] = {"requested", "accepted", "inspected", "declined", "cancelled"};

Status CheckStatusFilter(std::string_view status) {
  if (status.empty()) return Status::Ok();
  for (const char* s : kStatuses)
    if (status == s) return Status::Ok();
  return Status::InvalidArgument(
      "status: must be requested, accepted, inspected, declined or cancelled");
}

}  // namespace

Result<InspectionRequestRecord> InspectionStore::Create(const NewInspectionRequest& r) {
  const int64_t now = clock_.NowMs();
  CL_RETURN_IF_ERROR(fields::Collect({
      fields::CheckText("location", r.location, 1, 300),
      fields::CheckText("note", r.note, 0, 2000, /*multiline=*/true),
      CheckPreferredDate(r.preferred_date, now),
  }));
  if (!r.agency.empty()) {
    CL_ASSIGN_OR_RETURN(PgRows who, pool_.Exec("SELECT role FROM users WHERE id = $1 AND "
                                               "erased_at IS NULL",
                                               {r.agency}));
    if (who.empty() || who[0].Str("role") != "agency")
      return Status::NotFound("agency_id: no inspection agency \"" + r.agency + "\"");
    if (r.agency == r.requester)
      return Status::InvalidArgument("agency_id: an agency cannot inspect its own car");
  }
  InspectionRequestRecord out;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    auto ins = tx.Exec(
        std::string("INSERT INTO inspection_requests (vin, requester_id, agency_id, location, "
                    "note, preferred_date, requested_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                    "$6::date, $7, $7) RETURNING ") +
            kColumns,
        {r.vin, r.requester, r.agency.empty() ? PgValue(std::nullopt) : PgValue(r.agency),
         r.location, r.note,
         r.preferred_date.empty() ? PgValue(std::nullopt) : PgValue(r.preferred_date),
         PgValue::TimeMs(now)});
    CL_RETURN_IF_ERROR(ins.status());
    out = FromRow((*ins)[0]);
    return AppendAudit(tx, now, r.requester, "inspection.request", std::to_string(out.id),
                       "vin=" + r.vin + (r.agency.empty() ? "" : " agency=" + r.agency));
  });
  if (st.code() == StatusCode::kAlreadyExists) {
    // The one open request per car (the transaction is over: look it up afresh).
    auto open = pool_.Exec(
        "SELECT id, status FROM inspection_requests WHERE vin = $1 AND "
        "status IN ('requested', 'accepted')",
        {r.vin});
    std::string which = open.ok() && !open->empty() ? " (request " + (*open)[0].Str("id") + ", " +
                                                          (*open)[0].Str("status") + ")"
                                                    : "";
    return Status::FailedPrecondition("vin: this car already has an open inspection request" +
                                      which);
  }
  if (!st.ok()) return st;
  return out;
}

Result<InspectionRequestRecord> InspectionStore::Get(int64_t id) {
  CL_ASSIGN_OR_RETURN(PgRows rows, pool_.Exec(std::string("SELECT ") + kColumns +
                                                  " FROM inspection_requests WHERE id = $1",
                                              {id}));
  if (rows.empty())
    return Status::NotFound("request_id: no inspection request " + std::to_string(id));
  return FromRow(rows[0]);
}

Result<InspectionPage> InspectionStore::ListByRequester(std::string_view requester,
                                                        std::string_view status, int page_size,
                                                        std::string_view page_token) {
  CL_RETURN_IF_ERROR(CheckStatusFilter(status));
  CL_ASSIGN_OR_RETURN(int size, PageSize(page_size));
  CL_ASSIGN_OR_RETURN(int64_t after, AfterId(page_token));
  return Page(pool_, "requester_id = $1 AND ($2 = '' OR status = $2) AND id < $3",
              {requester, status, after}, size);
}

Result<InspectionPage> InspectionStore::Queue(std::string_view agency, std::string_view status,
                                              int page_size, std::string_view page_token) {
  CL_RETURN_IF_ERROR(CheckStatusFilter(status));
  CL_ASSIGN_OR_RETURN(int size, PageSize(page_size));
  CL_ASSIGN_OR_RETURN(int64_t after, AfterId(page_token));
  const char* where =
      "id < $3 AND ("
      "($2 IN ('', 'requested') AND status = 'requested' AND "
      " (agency_id IS NULL OR agency_id = $1)) OR "
      "($2 <> 'requested' AND agency_id = $1 AND status <> 'requested' AND "
      " ($2 = '' OR status = $2)))";
  return Page(pool_, where, {agency, status, after}, size);
}

Status InspectionStore::RefusalFor(std::string_view agency, int64_t id, std::string_view action) {
  CL_ASSIGN_OR_RETURN(InspectionRequestRecord r, Get(id));
  if (!r.agency.empty() && r.agency != agency)
    return Status::PermissionDenied("request_id: request " + std::to_string(id) +
                                    " is assigned to another agency");
  if (r.requester == agency)
    return Status::FailedPrecondition("request_id: an agency cannot inspect its own car");
  return Status::FailedPrecondition("request_id: request " + std::to_string(id) + " is " +
                                    r.status + "; cannot " + std::string(action) + " it");
}

Result<InspectionRequestRecord> InspectionStore::Move(std::string_view agency, int64_t id,
                                                      std::string_view update, PgParams params,
                                                      std::string_view refused_action,
                                                      std::string_view audit_action,
                                                      std::string_view audit_detail) {
  const int64_t now = clock_.NowMs();
  params.push_back(PgValue::TimeMs(now));
  InspectionRequestRecord out;
  bool moved = false;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    CL_ASSIGN_OR_RETURN(PgRows rows,
                        tx.Exec(std::string(update) + " RETURNING " + kColumns, params));
    moved = !rows.empty();
    if (!moved) return Status::Ok();
    out = FromRow(rows[0]);
    return AppendAudit(tx, now, agency, audit_action, std::to_string(id), audit_detail);
  });
  if (!st.ok()) return st;
  if (!moved) return RefusalFor(agency, id, refused_action);
  return out;
}

Result<InspectionRequestRecord> InspectionStore::Accept(std::string_view agency, int64_t id) {
  return Move(agency, id,
              "UPDATE inspection_requests SET status = 'accepted', agency_id = $2, "
              "accepted_at = $3, updated_at = $3 WHERE id = $1 AND status = 'requested' AND "
              "(agency_id IS NULL OR agency_id = $2) AND requester_id <> $2",
              {id, agency}, "accept", "inspection.accept", "");
}

Result<InspectionRequestRecord> InspectionStore::Decline(std::string_view agency, int64_t id,
                                                         std::string_view reason) {
  CL_RETURN_IF_ERROR(fields::CheckText("reason", reason, 1, 500));
  return Move(agency, id,
              "UPDATE inspection_requests SET status = 'declined', agency_id = $2, "
              "decline_reason = $3, closed_at = $4, updated_at = $4 WHERE id = $1 AND status IN "
              "('requested', 'accepted') AND (agency_id IS NULL OR agency_id = $2) AND "
              "requester_id <> $2",
              {id, agency, reason}, "decline", "inspection.decline", "");
}

Result<InspectionRequestRecord> InspectionStore::MarkInspected(std::string_view agency, int64_t id,
                                                               std::string_view record_tx_id) {
  CL_RETURN_IF_ERROR(fields::CheckFingerprint("record_tx_id", record_tx_id));
  return Move(agency, id,
              "UPDATE inspection_requests SET status = 'inspected', record_tx_id = $3, "
              "closed_at = $4, updated_at = $4 WHERE id = $1 AND agency_id = $2 AND (status = "
              "'accepted' OR (status = 'inspected' AND record_tx_id = $3))",
              {id, agency, record_tx_id}, "record the result of", "inspection.record",
              "tx=" + std::string(record_tx_id));
}

}  // namespace carledger::store
