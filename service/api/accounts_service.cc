#include "service/api/accounts_service.h"

#include "common/crypto.h"
#include "service/api/api_status.h"
#include "service/store/account_fields.h"

namespace carledger::api {

namespace {

const char* kTermsKo =
    "CarLedger 이용약관: 회원은 본인 명의의 정확한 정보로 가입하며, 차량 정보와 거래 기록은 "
    "블록체인 원장에 서명과 함께 영구히 기록됩니다. 개인정보(이름, 주소, 전화번호)는 원장에 "
    "기록되지 않으며 탈퇴 시 삭제됩니다. 대금은 에스크로로 보관되며 구매 확정 또는 분쟁 "
    "해결 후 지급됩니다.";
const char* kTermsEn =
    "CarLedger terms: members sign up with accurate information of their own; car records and "
    "trades are recorded permanently, signed, on the ledger. Personal data (name, address, "
    "phone) never goes on the ledger and is erased when an account is closed. Payments are "
    "held in escrow until the buyer confirms or a dispute is resolved.";

std::string PeerAddress(const grpc::ServerContext* ctx) {
  std::string peer = ctx->peer();  // "ipv4:127.0.0.1:5555"
  size_t first = peer.find(':');
  size_t last = peer.rfind(':');
  if (first == std::string::npos || last == first) return peer;
  return peer.substr(first + 1, last - first - 1);
}

std::string BearerToken(const grpc::ServerContext* ctx) {
  auto md = ctx->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  std::string v(it->second.data(), it->second.size());
  const std::string prefix = "Bearer ";
  return v.rfind(prefix, 0) == 0 ? v.substr(prefix.size()) : "";
}

}  // namespace

Result<store::AuthContext> Authenticate(const grpc::ServerContext* ctx,
                                        store::AccountStore* accounts) {
  if (accounts == nullptr)
    return Status::Unavailable("this node has no account database; use another node");
  std::string token = BearerToken(ctx);
  if (token.empty())
    return Status::Unauthenticated("sign in first (no \"authorization: Bearer\" token)");
  return accounts->Authenticate(token);
}

Status CheckWriteAllowed(const store::AuthContext& caller, bool trading) {
  for (const auto& r : caller.restrictions) {
    bool applies = r.kind == store::RestrictionKind::kReadOnly ||
                   (trading && r.kind == store::RestrictionKind::kNoTrading);
    if (!applies) continue;
    std::string until = r.expires_ms ? " until " + std::to_string(*r.expires_ms) + " (ms)" : "";
    return Status::PermissionDenied(std::string("your account is restricted (") +
                                    store::RestrictionKindName(r.kind) + ")" + until + ": " +
                                    r.reason);
  }
  return Status::Ok();
}

Status CheckListingAllowed(const store::AuthContext& caller) {
  for (const auto& r : caller.restrictions) {
    if (r.kind != store::RestrictionKind::kNoListing) continue;
    std::string until = r.expires_ms ? " until " + store::fields::FormatTimeMs(*r.expires_ms) : "";
    return Status::PermissionDenied("your account is barred from listing cars (no_listing)" +
                                    until + ": " + r.reason);
  }
  return Status::Ok();
}

std::string KeyProofText(const std::string& user_id) {
  return "carledger-key:" + user_id;
}

void AddRating(store::CommunityStore* community, const std::string& user_id, v1::Profile* profile) {
  if (community == nullptr) return;
  auto rating = community->Rating(user_id);
  if (!rating.ok()) return;
  profile->set_rating(rating->first);
  profile->set_reviews(static_cast<int32_t>(rating->second));
}

v1::Profile ToApi(const store::Profile& p, const std::vector<store::Restriction>& restrictions,
                  bool full) {
  v1::Profile out;
  out.set_user_id(p.id);
  out.set_login_id(p.id);
  if (full) {
    out.set_name(p.name);
    out.set_address(p.address);
    out.set_phone(p.phone);
  }
  out.set_role(store::RoleName(p.role));
  out.set_wallet(p.key_fingerprint);
  out.set_created_ms(p.created_ms);
  if (full) {
    for (const auto& r : restrictions) {
      auto* x = out.add_restrictions();
      x->set_kind(store::RestrictionKindName(r.kind));
      x->set_reason(r.reason);
      x->set_expires_ms(r.expires_ms.value_or(0));
      x->set_by(r.created_by);
      x->set_created_ms(r.created_ms);
    }
  }
  return out;
}

Status AccountsService::MakeSession(const store::Tokens& tokens, v1::Session* reply) {
  reply->set_access_token(tokens.access_token);
  reply->set_access_expires_ms(tokens.access_expires_ms);
  reply->set_refresh_token(tokens.refresh_token);
  reply->set_refresh_expires_ms(tokens.refresh_expires_ms);
  CL_ASSIGN_OR_RETURN(auto profile, accounts_->GetProfile(tokens.user_id));
  CL_ASSIGN_OR_RETURN(auto restrictions, accounts_->ActiveRestrictions(tokens.user_id));
  *reply->mutable_profile() = ToApi(profile, restrictions, true);
  return Status::Ok();
}

grpc::Status AccountsService::Register(grpc::ServerContext* ctx, const v1::RegisterRequest* req,
                                       v1::Session* reply) {
  store::Registration r;
  r.id = req->login_id();
  r.password = req->password();
  r.name = req->name();
  r.address = req->address();
  r.phone = req->phone();
  r.terms_version = req->terms_version();
  r.terms_accepted = req->agree_terms();
  auto created = accounts_->Register(r);
  if (!created.ok())
    return ToGrpc(RenameFields(created.status(), {{"id", "login_id"}, {"terms", "agree_terms"}}),
                  ctx);
  // Signed in at once, as the app expects after sign-up.
  auto tokens = accounts_->Login(req->login_id(), req->password(), PeerAddress(ctx));
  if (!tokens.ok()) return ToGrpc(tokens.status(), ctx);
  return ToGrpc(MakeSession(*tokens, reply), ctx);
}

grpc::Status AccountsService::Login(grpc::ServerContext* ctx, const v1::LoginRequest* req,
                                    v1::Session* reply) {
  if (req->login_id().empty() || req->password().empty()) {
    std::string msg;
    if (req->login_id().empty()) msg = "login_id: required";
    if (req->password().empty()) msg += std::string(msg.empty() ? "" : "; ") + "password: required";
    return ToGrpc(Status::InvalidArgument(msg), ctx);
  }
  auto tokens = accounts_->Login(req->login_id(), req->password(), PeerAddress(ctx));
  if (!tokens.ok()) return ToGrpc(tokens.status(), ctx);
  return ToGrpc(MakeSession(*tokens, reply), ctx);
}

grpc::Status AccountsService::Refresh(grpc::ServerContext* ctx, const v1::RefreshRequest* req,
                                      v1::Session* reply) {
  if (req->refresh_token().empty())
    return ToGrpc(Status::InvalidArgument("refresh_token: required"), ctx);
  auto tokens = accounts_->Refresh(req->refresh_token());
  if (!tokens.ok()) return ToGrpc(tokens.status(), ctx);
  return ToGrpc(MakeSession(*tokens, reply), ctx);
}

grpc::Status AccountsService::Logout(grpc::ServerContext* ctx, const v1::Empty*, v1::Empty*) {
  std::string token = BearerToken(ctx);
  if (token.empty()) return ToGrpc(Status::Unauthenticated("not signed in"), ctx);
  return ToGrpc(accounts_->Logout(token), ctx);
}

grpc::Status AccountsService::SetPublicKey(grpc::ServerContext* ctx,
                                           const v1::SetPublicKeyRequest* req, v1::Profile* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  auto key = PublicKey::FromDer(req->public_key_der());
  if (!key.ok())
    return ToGrpc(Status::InvalidArgument("public_key_der: not an ECDSA P-256 public key (" +
                                          key.status().message() + ")"),
                  ctx);
  // Proof of possession: nobody registers someone else's key as their wallet.
  if (!key->Verify(KeyProofText(caller->user_id), req->proof_signature()).ok())
    return ToGrpc(Status::InvalidArgument("proof_signature: does not verify with this key over \"" +
                                          KeyProofText(caller->user_id) + "\""),
                  ctx);
  Status st = accounts_->SetPublicKey(caller->user_id, key->Fingerprint());
  if (!st.ok()) return ToGrpc(st, ctx);
  auto profile = accounts_->GetProfile(caller->user_id);
  if (!profile.ok()) return ToGrpc(profile.status(), ctx);
  *reply = ToApi(*profile, caller->restrictions, true);
  return grpc::Status::OK;
}

grpc::Status AccountsService::GetProfile(grpc::ServerContext* ctx, const v1::GetProfileRequest* req,
                                         v1::Profile* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  std::string who = req->user_id().empty() ? caller->user_id : req->user_id();
  bool full = who == caller->user_id || caller->role == store::Role::kAdmin;
  auto profile = accounts_->GetProfile(who);
  if (!profile.ok()) return ToGrpc(profile.status(), ctx);
  std::vector<store::Restriction> restrictions;
  if (full) {
    auto r = accounts_->ActiveRestrictions(who);
    if (r.ok()) restrictions = std::move(r).value();
  }
  *reply = ToApi(*profile, restrictions, full);
  AddRating(community_, who, reply);
  return grpc::Status::OK;
}

grpc::Status AccountsService::GetTerms(grpc::ServerContext*, const v1::Empty*, v1::Terms* reply) {
  reply->set_version(terms_version_);
  reply->set_text_ko(kTermsKo);
  reply->set_text_en(kTermsEn);
  return grpc::Status::OK;
}

}  // namespace carledger::api
