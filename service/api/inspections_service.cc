#include "service/api/inspections_service.h"

#include <charconv>

#include "common/crypto.h"
#include "common/json.h"
#include "service/api/accounts_service.h"
#include "service/api/api_status.h"
#include "service/api/ledger_services.h"
#include "service/api/ledger_views.h"

namespace carledger::api {

namespace {

void ToApi(const store::InspectionRequestRecord& r, v1::InspectionRequest* out) {
  out->set_id(std::to_string(r.id));
  out->set_vin(r.vin);
  out->set_requester(r.requester);
  out->set_agency_id(r.agency);
  out->set_status(r.status);
  out->set_note(r.note);
  out->set_decline_reason(r.decline_reason);
  if (!r.record_tx_id.empty()) {
    auto raw = FromHex(r.record_tx_id);
    if (raw.ok()) out->set_result_tx_id(std::string(raw->begin(), raw->end()));
  }
  out->set_created_ms(r.requested_ms);
  out->set_updated_ms(r.updated_ms);
  out->set_location(r.location);
  out->set_preferred_date(r.preferred_date);
}

void ToApi(const store::InspectionPage& page, v1::ListRequestsReply* out) {
  for (const auto& r : page.requests) ToApi(r, out->add_requests());
  out->set_next_page_token(page.next_page_token);
}

Result<int64_t> RequestId(const std::string& text) {
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return Status::InvalidArgument("request_id: must be the number of an inspection request");
  return id;
}

Status NoDatabase() {
  return Status::Unavailable("this node has no account database; use another node");
}

}  // namespace

Result<store::AuthContext> InspectionsService::Agency(const grpc::ServerContext* ctx) {
  if (inspections_ == nullptr) return NoDatabase();
  CL_ASSIGN_OR_RETURN(auto caller, Authenticate(ctx, accounts_));
  if (caller.role != store::Role::kAgency)
    return Status::PermissionDenied("only inspection agencies may do this");
  CL_RETURN_IF_ERROR(CheckWriteAllowed(caller, /*trading=*/false));
  return caller;
}

void InspectionsService::NotifyChange(const store::InspectionRequestRecord& r,
                                      const std::string& what, const Json& extra) {
  Json payload = extra.is_object() ? extra : Json::MakeObject();
  payload["request_id"] = std::to_string(r.id);
  payload["vin"] = r.vin;
  payload["status"] = r.status;
  payload["event"] = what;
  if (what == "requested") {
    if (!r.agency.empty()) notifier_->Notify(r.agency, "inspection", payload);
    return;
  }
  notifier_->Notify(r.requester, "inspection", payload);
}

grpc::Status InspectionsService::RequestInspection(grpc::ServerContext* ctx,
                                                   const v1::RequestInspectionRequest* req,
                                                   v1::InspectionRequest* reply) {
  if (inspections_ == nullptr) return ToGrpc(NoDatabase(), ctx);
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  Status allowed = CheckWriteAllowed(*caller, /*trading=*/false);
  if (!allowed.ok()) return ToGrpc(allowed, ctx);
  auto vin = NormaliseVin(req->vin());
  if (!vin.ok()) return ToGrpc(vin.status(), ctx);
  // Only the car's owner (by the ledger) may have it inspected.
  Result<v1::Car> car = Status::Internal("not read");
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) { car = ReadCar(l, *vin); });
  if (!st.ok()) return ToGrpc(st, ctx);
  if (!car.ok()) return ToGrpc(car.status(), ctx);
  auto record = Json::Parse(car->record_json());
  std::string owner = record.ok() ? record->get_string("owner") : "";
  if (caller->key_fingerprint.empty() || owner != caller->key_fingerprint)
    return ToGrpc(Status::PermissionDenied("vin: only the car's owner may request its inspection"),
                  ctx);
  store::NewInspectionRequest r{.requester = caller->user_id,
                                .vin = *vin,
                                .agency = req->agency_id(),
                                .location = req->location(),
                                .note = req->note(),
                                .preferred_date = req->preferred_date()};
  auto created = inspections_->Create(r);
  if (!created.ok()) return ToGrpc(RenameFields(created.status(), {{"agency", "agency_id"}}), ctx);
  ToApi(*created, reply);
  NotifyChange(*created, "requested", Json());
  return grpc::Status::OK;
}

grpc::Status InspectionsService::ListMyRequests(grpc::ServerContext* ctx,
                                                const v1::ListRequestsRequest* req,
                                                v1::ListRequestsReply* reply) {
  if (inspections_ == nullptr) return ToGrpc(NoDatabase(), ctx);
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  auto page = inspections_->ListByRequester(caller->user_id, req->status(), req->page_size(),
                                            req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  ToApi(*page, reply);
  return grpc::Status::OK;
}

grpc::Status InspectionsService::ListQueue(grpc::ServerContext* ctx,
                                           const v1::ListRequestsRequest* req,
                                           v1::ListRequestsReply* reply) {
  if (inspections_ == nullptr) return ToGrpc(NoDatabase(), ctx);
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  if (caller->role != store::Role::kAgency)
    return ToGrpc(Status::PermissionDenied("only inspection agencies have a queue"), ctx);
  auto page =
      inspections_->Queue(caller->user_id, req->status(), req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  ToApi(*page, reply);
  return grpc::Status::OK;
}

grpc::Status InspectionsService::Accept(grpc::ServerContext* ctx, const v1::InspectionDecision* req,
                                        v1::InspectionRequest* reply) {
  auto agency = Agency(ctx);
  if (!agency.ok()) return ToGrpc(agency.status(), ctx);
  auto id = RequestId(req->request_id());
  if (!id.ok()) return ToGrpc(id.status(), ctx);
  auto r = inspections_->Accept(agency->user_id, *id);
  if (!r.ok()) return ToGrpc(r.status(), ctx);
  ToApi(*r, reply);
  Json extra = Json::MakeObject();
  extra["agency_id"] = r->agency;
  NotifyChange(*r, "accepted", extra);
  return grpc::Status::OK;
}

grpc::Status InspectionsService::Decline(grpc::ServerContext* ctx,
                                         const v1::InspectionDecision* req,
                                         v1::InspectionRequest* reply) {
  auto agency = Agency(ctx);
  if (!agency.ok()) return ToGrpc(agency.status(), ctx);
  auto id = RequestId(req->request_id());
  if (!id.ok()) return ToGrpc(id.status(), ctx);
  auto r = inspections_->Decline(agency->user_id, *id, req->reason());
  if (!r.ok()) return ToGrpc(r.status(), ctx);
  ToApi(*r, reply);
  Json extra = Json::MakeObject();
  extra["agency_id"] = r->agency;
  extra["reason"] = r->decline_reason;
  NotifyChange(*r, "declined", extra);
  return grpc::Status::OK;
}

grpc::Status InspectionsService::SubmitResult(grpc::ServerContext* ctx,
                                              const v1::SubmitResultRequest* req,
                                              v1::InspectionRequest* reply) {
  auto agency = Agency(ctx);
  if (!agency.ok()) return ToGrpc(agency.status(), ctx);
  auto id = RequestId(req->request_id());
  if (!id.ok()) return ToGrpc(id.status(), ctx);
  if (!req->has_transaction() || req->transaction().payload().empty())
    return ToGrpc(Status::InvalidArgument("transaction: required (a signed record_inspection)"),
                  ctx);
  auto request = inspections_->Get(*id);
  if (!request.ok()) return ToGrpc(request.status(), ctx);
  if (request->agency != agency->user_id)
    return ToGrpc(Status::PermissionDenied("request_id: accept the request before recording "
                                           "its result"),
                  ctx);
  if (request->status != "accepted" && request->status != "inspected")
    return ToGrpc(Status::FailedPrecondition("request_id: request " + req->request_id() + " is " +
                                             request->status),
                  ctx);
  auto checked = CheckSubmitter(ctx, accounts_, req->transaction());
  if (!checked.ok()) return ToGrpc(checked.status(), ctx);
  const ledger::TxPayload& p = (*checked)->payload;
  if (p.contract() != "car_trade" || p.function() != "record_inspection")
    return ToGrpc(Status::InvalidArgument("transaction: must call car_trade.record_inspection"),
                  ctx);
  auto args = Json::Parse(p.args());
  if (!args.ok() || !args->is_object() || args->get_string("vin") != request->vin)
    return ToGrpc(Status::InvalidArgument("transaction: must record the inspection of " +
                                          request->vin + ", the car of this request"),
                  ctx);
  // A resubmission of a committed transaction is answered from the ledger, so a result
  // whose commit outlived a lost reply is recorded here on the retry.
  auto out = SubmitOne(backend_, req->transaction(), 10000, *checked);
  if (!out.ok()) return ToGrpc(out.status(), ctx);
  auto r = inspections_->MarkInspected(agency->user_id, *id, ToHex(out->tx_id()));
  if (!r.ok()) return ToGrpc(r.status(), ctx);
  ToApi(*r, reply);
  Json extra = Json::MakeObject();
  extra["agency_id"] = r->agency;
  extra["tx_id"] = r->record_tx_id;
  auto output = Json::Parse(out->output_json());
  if (output.ok() && output->is_object()) extra["findings"] = output->get("findings");
  NotifyChange(*r, "inspected", extra);
  return grpc::Status::OK;
}

grpc::Status InspectionsService::GetRecords(grpc::ServerContext* ctx, const v1::GetCarRequest* req,
                                            v1::InspectionRecords* reply) {
  auto vin = NormaliseVin(req->vin());
  if (!vin.ok()) return ToGrpc(vin.status(), ctx);
  static const std::set<std::string> kTypes = {"inspected", "rollback_detected"};
  Result<v1::CarHistory> history = Status::Internal("not read");
  uint64_t height = 0;
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    height = l.height();
    history = ReadCarHistory(l, *vin, &kTypes);
  });
  if (!st.ok()) return ToGrpc(st, ctx);
  if (!history.ok()) return ToGrpc(history.status(), ctx);
  reply->set_vin(*vin);
  reply->set_height(height);
  for (auto& e : *history->mutable_events()) *reply->add_inspections() = std::move(e);
  for (auto& h : *history->mutable_headers()) *reply->add_headers() = std::move(h);
  for (auto& v : *history->mutable_validator_sets()) *reply->add_validator_sets() = std::move(v);
  return grpc::Status::OK;
}

}  // namespace carledger::api
