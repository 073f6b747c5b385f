#include "service/api/admin_service.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <set>

#include "common/json.h"
#include "ledger/system_contracts.h"
#include "ledger/transaction.h"
#include "service/api/accounts_service.h"
#include "service/api/api_status.h"
#include "service/api/community_service.h"
#include "service/api/ledger_services.h"
#include "service/store/password.h"

namespace carledger::api {

namespace {

constexpr int kMaxAgencyValidityDays = 825;

// PEM armour around a DER CSR (the x509 helpers read PEM).
std::string CsrPem(const std::string& der) {
  std::string b64 = store::Base64Encode(der);
  std::string pem = "-----BEGIN CERTIFICATE REQUEST-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE REQUEST-----\n";
}

Result<int64_t> ParseId(const std::string& text, const char* field) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0)
    return Status::InvalidArgument(std::string(field) + ": must be a report id (digits)");
  return id;
}

// Governance transactions the admin app may submit here.
bool IsGovernance(const ledger::TxPayload& p) {
  static const std::set<std::string> kCarTrade = {"take_down", "flag_fraud", "set_config"};
  return p.contract() == "_msp" || p.contract() == "_lifecycle" ||
         (p.contract() == "car_trade" && kCarTrade.count(p.function()));
}

int64_t NowSeconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

AdminService::AdminService(service::NodeBackend* backend, store::AccountStore* accounts,
                           store::CommunityStore* community, Notifier* notifier,
                           const std::string& ca_cert_pem, const std::string& ca_key_pem)
    : backend_(backend), accounts_(accounts), community_(community), notifier_(notifier) {
  if (ca_cert_pem.empty() || ca_key_pem.empty()) return;
  auto cert = Certificate::FromPem(ca_cert_pem);
  auto key = PrivateKey::FromPem(ca_key_pem);
  if (!cert.ok() || !key.ok()) {
    ca_error_ = !cert.ok() ? cert.status().message() : key.status().message();
  } else if (cert->role() != Role::kCa || cert->public_key().der() != key->public_key().der()) {
    ca_error_ = "the CA key does not match the CA certificate";
  } else {
    ca_cert_ = std::move(cert).value();
    ca_key_ = std::move(key).value();
    return;
  }
  std::fprintf(stderr, "public API: the CA given cannot issue certificates: %s\n",
               ca_error_.c_str());
}

Result<store::AuthContext> AdminService::RequireAdmin(const grpc::ServerContext* ctx) {
  CL_ASSIGN_OR_RETURN(auto caller, Authenticate(ctx, accounts_));
  if (caller.role != store::Role::kAdmin)
    return Status::PermissionDenied("only administrators may use the Admin service");
  return caller;
}

Status AdminService::FillProfile(const std::string& user_id, v1::Profile* out) {
  CL_ASSIGN_OR_RETURN(auto profile, accounts_->GetProfile(user_id));
  CL_ASSIGN_OR_RETURN(auto restrictions, accounts_->ActiveRestrictions(user_id));
  *out = ToApi(profile, restrictions, /*full=*/true);
  return Status::Ok();
}

grpc::Status AdminService::ListUsers(grpc::ServerContext* ctx, const v1::ListUsersRequest* req,
                                     v1::ListUsersReply* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  auto page = accounts_->ListUsers(
      {.text = req->query(), .page_size = req->page_size(), .page_token = req->page_token()});
  if (!page.ok()) return ToGrpc(RenameFields(page.status(), {{"text", "query"}}), ctx);
  for (const auto& u : page->users) {
    Status st = FillProfile(u.id, reply->add_users());
    if (!st.ok()) return ToGrpc(st, ctx);
  }
  reply->set_next_page_token(page->next_page_token);
  // Personal data was shown: who looked is recorded (not what was searched for).
  Status audited = accounts_->AppendAudit(admin->user_id, "admin.list_users", "",
                                          "results=" + std::to_string(page->users.size()));
  return ToGrpc(audited, ctx);
}

grpc::Status AdminService::Restrict(grpc::ServerContext* ctx, const v1::RestrictRequest* req,
                                    v1::Profile* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  auto kind = store::ParseRestrictionKind(req->kind());
  std::string errors;
  if (req->user_id().empty()) errors = "user_id: required";
  if (!kind.ok()) errors += (errors.empty() ? "" : "; ") + kind.status().message();
  if (req->expires_ms() < 0)
    errors += std::string(errors.empty() ? "" : "; ") + "expires_ms: 0 (until lifted) or a time";
  if (!errors.empty()) return ToGrpc(Status::InvalidArgument(errors), ctx);
  auto r = accounts_->Restrict(
      admin->user_id, req->user_id(), *kind, req->reason(),
      req->expires_ms() == 0 ? std::nullopt : std::optional<int64_t>(req->expires_ms()));
  if (!r.ok()) return ToGrpc(RenameFields(r.status(), {{"expires_at", "expires_ms"}}), ctx);
  return ToGrpc(FillProfile(req->user_id(), reply), ctx);
}

grpc::Status AdminService::LiftRestriction(grpc::ServerContext* ctx,
                                           const v1::LiftRestrictionRequest* req,
                                           v1::Profile* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  auto kind = store::ParseRestrictionKind(req->kind());
  std::string errors;
  if (req->user_id().empty()) errors = "user_id: required";
  if (!kind.ok()) errors += (errors.empty() ? "" : "; ") + kind.status().message();
  if (req->reason().empty()) errors += std::string(errors.empty() ? "" : "; ") + "reason: required";
  if (!errors.empty()) return ToGrpc(Status::InvalidArgument(errors), ctx);
  auto active = accounts_->ActiveRestrictions(req->user_id());
  if (!active.ok()) return ToGrpc(active.status(), ctx);
  int lifted = 0;
  for (const auto& r : *active) {
    if (r.kind != *kind) continue;
    Status st = accounts_->Lift(admin->user_id, r.id, req->reason());
    if (!st.ok()) return ToGrpc(st, ctx);
    ++lifted;
  }
  if (lifted == 0)
    return ToGrpc(Status::NotFound("kind: the user has no active " + req->kind() + " restriction"),
                  ctx);
  return ToGrpc(FillProfile(req->user_id(), reply), ctx);
}

grpc::Status AdminService::ListAudit(grpc::ServerContext* ctx, const v1::ListAuditRequest* req,
                                     v1::ListAuditReply* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  auto page = accounts_->ListAudit(
      {.actor = req->actor(), .page_size = req->page_size(), .page_token = req->page_token()});
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  for (const auto& e : page->entries) {
    auto* out = reply->add_entries();
    out->set_id(static_cast<uint64_t>(e.id));
    out->set_actor(e.actor);
    out->set_action(e.action);
    out->set_target(e.target);
    Json detail = Json::MakeObject();
    detail["text"] = e.detail;
    out->set_detail_json(detail.Dump());
    out->set_at_ms(e.at_ms);
  }
  reply->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AdminService::ListReports(grpc::ServerContext* ctx, const v1::ListReportsRequest* req,
                                       v1::ListReportsReply* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  std::optional<store::ReportStatus> status = store::ReportStatus::kOpen;
  if (req->status() == "all") {
    status.reset();
  } else if (!req->status().empty()) {
    auto parsed = store::ParseReportStatus(req->status());
    if (!parsed.ok())
      return ToGrpc(Status::InvalidArgument("status: must be open, confirmed, dismissed or all"),
                    ctx);
    status = *parsed;
  }
  auto page = community_->ListReports(status, req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  for (const auto& r : page->reports) *reply->add_reports() = ToApi(r);
  reply->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AdminService::ResolveReport(grpc::ServerContext* ctx,
                                         const v1::ResolveReportRequest* req,
                                         v1::ReportEntry* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  auto id = ParseId(req->report_id(), "report_id");
  if (!id.ok()) return ToGrpc(id.status(), ctx);
  auto res = community_->Resolve(admin->user_id, *id, req->confirmed(), req->resolution());
  if (!res.ok()) return ToGrpc(res.status(), ctx);
  *reply = ToApi(res->report);
  reply->set_takedown_required(res->takedown_required);
  reply->set_barred_user(res->barred_user);
  Json outcome = Json::MakeObject();
  outcome["report_id"] = reply->id();
  outcome["status"] = reply->status();
  outcome["resolution"] = reply->resolution();
  outcome["user_id"] = reply->user_id();
  outcome["vin"] = reply->vin();
  notifier_->Notify(res->report.reporter_id, "report", outcome);
  if (res->bar) {
    Json bar = Json::MakeObject();
    bar["restriction"] = "no_listing";
    bar["reason"] = res->bar->reason;
    bar["expires_ms"] = res->bar->expires_ms.value_or(0);
    notifier_->Notify(res->barred_user, "report", bar);
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::IssueAgencyCertificate(grpc::ServerContext* ctx,
                                                  const v1::IssueAgencyRequest* req,
                                                  v1::IssueAgencyReply* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  if (!ca_cert_ || !ca_key_) {
    std::string why = ca_error_.empty() ? "" : " (" + ca_error_ + ")";
    return ToGrpc(Status::FailedPrecondition("this node does not hold the CA key" + why +
                                             "; ask the node that does"),
                  ctx);
  }
  std::string errors;
  auto add = [&](const std::string& e) { errors += (errors.empty() ? "" : "; ") + e; };
  Result<CertificateRequest> csr = Status::InvalidArgument("required");
  if (req->csr_der().empty()) {
    add("csr_der: required (a PKCS#10 request in DER)");
  } else if (req->csr_der().size() > 16384) {
    add("csr_der: at most 16384 bytes");
  } else {
    csr = ParseCsr(CsrPem(req->csr_der()));
    if (!csr.ok()) add("csr_der: " + csr.status().message());
  }
  const std::string& org = req->organisation();
  if (org.size() > 64) add("organisation: at most 64 bytes");
  for (unsigned char c : org) {
    if (c < 0x20 || c == 0x7f) {
      add("organisation: must not contain control characters");
      break;
    }
  }
  if (req->validity_days() < 0 || req->validity_days() > kMaxAgencyValidityDays)
    add("validity_days: 1.." + std::to_string(kMaxAgencyValidityDays) + " (0: the default " +
        std::to_string(kMaxAgencyValidityDays) + ")");
  if (!errors.empty()) return ToGrpc(Status::InvalidArgument(errors), ctx);
  CertificateRequest request = std::move(csr).value();
  if (!org.empty()) request.organization = org;
  if (request.organization.empty())
    return ToGrpc(Status::InvalidArgument("organisation: required (the CSR has no O either)"), ctx);
  int days = req->validity_days() == 0 ? kMaxAgencyValidityDays : req->validity_days();
  auto cert = IssueCertificate(*ca_cert_, *ca_key_, request, Role::kAgency, NowSeconds(), days);
  if (!cert.ok()) return ToGrpc(cert.status(), ctx);
  reply->set_certificate_der(cert->der());
  reply->set_agency_id(cert->public_key().Fingerprint());
  Status audited =
      accounts_->AppendAudit(admin->user_id, "agency.certify", "agency:" + reply->agency_id(),
                             "serial=" + cert->serial() + " days=" + std::to_string(days));
  return ToGrpc(audited, ctx);
}

grpc::Status AdminService::SubmitGovernance(grpc::ServerContext* ctx,
                                            const v1::SubmitTransactionRequest* req,
                                            v1::TransactionOutcome* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  if (!req->has_transaction() || req->transaction().payload().empty())
    return ToGrpc(Status::InvalidArgument("transaction: required"), ctx);
  if (req->timeout_ms() < 0 || req->timeout_ms() > 60000)
    return ToGrpc(Status::InvalidArgument("timeout_ms: 0 (default 10 s) to 60000"), ctx);
  ledger::TxPayload payload;
  if (!payload.ParseFromString(req->transaction().payload()))
    return ToGrpc(Status::InvalidArgument("transaction: payload does not parse"), ctx);
  if (!IsGovernance(payload))
    return ToGrpc(Status::InvalidArgument(
                      "transaction: not a governance transaction (_msp, _lifecycle, or "
                      "car_trade.take_down, flag_fraud, set_config); use Market or Trades"),
                  ctx);
  auto allowed = CheckSubmitter(ctx, accounts_, req->transaction());
  if (!allowed.ok()) return ToGrpc(allowed.status(), ctx);
  auto out = SubmitOne(backend_, req->transaction(),
                       req->timeout_ms() == 0 ? 10000 : req->timeout_ms(), *allowed);
  if (!out.ok()) return ToGrpc(out.status(), ctx);
  *reply = std::move(out).value();
  Status audited = accounts_->AppendAudit(
      admin->user_id, "governance.submit", payload.contract() + "." + payload.function(),
      "tx=" + ToHex(reply->tx_id()) + " height=" + std::to_string(reply->height()));
  return ToGrpc(audited, ctx);
}

grpc::Status AdminService::ListMembers(grpc::ServerContext* ctx, const v1::ListMembersRequest* req,
                                       v1::ListMembersReply* reply) {
  auto admin = RequireAdmin(ctx);
  if (!admin.ok()) return ToGrpc(admin.status(), ctx);
  std::vector<Role> roles = {Role::kValidator, Role::kAgency, Role::kAdmin, Role::kObserver};
  if (!req->role().empty()) {
    auto role = ParseRole(req->role());
    if (!role.ok() || *role == Role::kUser || *role == Role::kCa)
      return ToGrpc(Status::InvalidArgument("role: must be validator, agency, admin or observer"),
                    ctx);
    roles = {*role};
  }
  Status result;
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    reply->set_height(l.height());
    for (Role role : roles) {
      auto members = MembersWithRole(l.state(), role, req->include_revoked());
      if (!members.ok()) {
        result = members.status();
        return;
      }
      for (const auto& [id, rec] : *members) {
        auto* m = reply->add_members();
        m->set_id(id);
        m->set_role(rec.get_string("role"));
        m->set_org(rec.get_string("org"));
        m->set_name(rec.get_string("name"));
        m->set_revoked(rec.get_bool("revoked"));
        m->set_registered_height(static_cast<uint64_t>(rec.get_int("registered_height")));
        m->set_revoked_height(static_cast<uint64_t>(rec.get_int("revoked_height")));
        m->set_address(rec.get_string("address"));
      }
    }
  });
  return ToGrpc(st.ok() ? result : st, ctx);
}

}  // namespace carledger::api
