#include "service/api/community_service.h"

#include "common/json.h"
#include "service/api/accounts_service.h"
#include "service/api/api_status.h"
#include "service/api/ledger_services.h"
#include "service/api/ledger_views.h"

namespace carledger::api {

namespace {

v1::ReviewEntry ToApi(const store::Review& r) {
  v1::ReviewEntry out;
  out.set_id(std::to_string(r.id));
  out.set_escrow_id(r.trade_id);
  out.set_author(r.author_id);
  out.set_subject(r.subject_id);
  out.set_rating(r.rating);
  out.set_text(r.text);
  out.set_created_ms(r.created_ms);
  return out;
}

}  // namespace

v1::ReportEntry ToApi(const store::Report& r) {
  v1::ReportEntry out;
  out.set_id(std::to_string(r.id));
  out.set_reporter(r.reporter_id);
  out.set_user_id(r.target_user_id);
  out.set_vin(r.target_vin);
  out.set_reason(r.reason);
  out.set_status(store::ReportStatusName(r.status));
  out.set_resolution(r.resolution);
  out.set_created_ms(r.created_ms);
  out.set_target_owner(r.target_owner_id);
  out.set_resolved_by(r.resolved_by);
  return out;
}

grpc::Status CommunityService::Review(grpc::ServerContext* ctx, const v1::ReviewRequest* req,
                                      v1::ReviewEntry* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  // Field checks first, all at once, so a form can mark every bad field.
  std::string errors;
  auto add = [&](const std::string& e) { errors += (errors.empty() ? "" : "; ") + e; };
  if (req->escrow_id().empty())
    add("escrow_id: required");
  else if (!IsHex64(req->escrow_id()))
    add("escrow_id: must be 64 lower-case hex digits");
  if (req->rating() < 1 || req->rating() > 5) add("rating: must be between 1 and 5");
  if (req->text().size() > 2000)
    add("text: at most 2000 bytes, got " + std::to_string(req->text().size()));
  if (!errors.empty()) return ToGrpc(Status::InvalidArgument(errors), ctx);
  Status allowed = CheckWriteAllowed(*caller, /*trading=*/false);
  if (!allowed.ok()) return ToGrpc(allowed, ctx);

  auto trade = ReadStateJson(backend_, "c/car_trade/escrow/" + req->escrow_id());
  if (!trade.ok()) {
    if (trade.status().code() == StatusCode::kNotFound)
      return ToGrpc(Status::NotFound("escrow_id: no trade " + req->escrow_id()), ctx);
    return ToGrpc(trade.status(), ctx);
  }
  const std::string& wallet = caller->key_fingerprint;
  const std::string buyer = trade->get_string("buyer"), seller = trade->get_string("seller");
  if (wallet.empty() || (wallet != buyer && wallet != seller))
    return ToGrpc(Status::PermissionDenied("escrow_id: you are not a party to this trade"), ctx);
  const std::string status = trade->get_string("status");
  if (status != "COMPLETED")
    return ToGrpc(Status::FailedPrecondition("the trade is " + status +
                                             "; only a completed trade can be reviewed"),
                  ctx);
  auto subject = accounts_->UserByWallet(wallet == buyer ? seller : buyer);
  if (!subject.ok()) {
    if (subject.status().code() == StatusCode::kNotFound)
      return ToGrpc(
          Status::FailedPrecondition("the other party of this trade has no account here to review"),
          ctx);
    return ToGrpc(subject.status(), ctx);
  }
  auto review = community_->AddReview(req->escrow_id(), caller->user_id, *subject, req->rating(),
                                      req->text());
  if (!review.ok()) return ToGrpc(RenameFields(review.status(), {{"trade_id", "escrow_id"}}), ctx);
  *reply = ToApi(*review);
  return grpc::Status::OK;
}

grpc::Status CommunityService::ListReviews(grpc::ServerContext* ctx,
                                           const v1::ListReviewsRequest* req,
                                           v1::ListReviewsReply* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  const std::string who = req->user_id().empty() ? caller->user_id : req->user_id();
  if (who.size() > 64)
    return ToGrpc(Status::InvalidArgument("user_id: at most 64 characters"), ctx);
  auto profile = accounts_->GetProfile(who);
  if (!profile.ok()) {
    if (profile.status().code() == StatusCode::kNotFound)
      return ToGrpc(Status::NotFound("user_id: no such user"), ctx);
    return ToGrpc(profile.status(), ctx);
  }
  auto page = community_->ListReviews(who, req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  for (const auto& r : page->reviews) *reply->add_reviews() = ToApi(r);
  reply->set_next_page_token(page->next_page_token);
  reply->set_mean_rating(page->mean_rating);
  return grpc::Status::OK;
}

grpc::Status CommunityService::Report(grpc::ServerContext* ctx, const v1::ReportRequest* req,
                                      v1::ReportEntry* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  Status allowed = CheckWriteAllowed(*caller, /*trading=*/false);
  if (!allowed.ok()) return ToGrpc(allowed, ctx);
  store::NewReport r{caller->user_id, req->user_id(), "", "", req->reason()};
  if (!req->vin().empty()) {
    // A listing's owner comes from the ledger; a car that does not parse or is unknown is
    // refused before anything is stored.
    auto vin = NormaliseVin(req->vin());
    if (!vin.ok()) return ToGrpc(vin.status(), ctx);
    r.target_vin = *vin;
    if (req->user_id().empty()) {
      auto car = ReadStateJson(backend_, "c/car_trade/car/" + *vin);
      if (!car.ok()) {
        if (car.status().code() == StatusCode::kNotFound)
          return ToGrpc(Status::NotFound("vin: no car is registered with VIN " + *vin), ctx);
        return ToGrpc(car.status(), ctx);
      }
      auto owner = accounts_->UserByWallet(car->get_string("owner"));
      if (owner.ok()) r.target_owner_id = *owner;
    }
  }
  // An unknown user_id is NOT_FOUND from the store (after the field checks).
  auto report = community_->AddReport(r);
  if (!report.ok()) return ToGrpc(report.status(), ctx);
  *reply = ToApi(*report);
  return grpc::Status::OK;
}

}  // namespace carledger::api
