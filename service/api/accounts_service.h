// Accounts in the public API: sign-up with the terms agreement, sign-in, token rotation,
// sign-out, the wallet key and profiles, over the PostgreSQL AccountStore. Also the
// bearer-token check every other service uses.
#pragma once

#include "carledger_api.grpc.pb.h"
#include "service/store/accounts.h"
#include "service/store/community.h"

namespace carledger::api {

// The caller behind "authorization: Bearer <access token>": UNAUTHENTICATED without one
// or for a bad one, PERMISSION_DENIED for a banned account.
Result<store::AuthContext> Authenticate(const grpc::ServerContext* ctx,
                                        store::AccountStore* accounts);

// Refuses a restricted caller: read-only accounts may not write anything, and no_trading
// ones may not trade (`trading`). PERMISSION_DENIED with the reason and until when.
Status CheckWriteAllowed(const store::AuthContext& caller, bool trading);

// Refuses a caller barred from listing (no_listing: registering, listing or repricing cars),
// PERMISSION_DENIED with the reason and until when.
Status CheckListingAllowed(const store::AuthContext& caller);

// The text a wallet key signs to prove it belongs to the account.
std::string KeyProofText(const std::string& user_id);

class AccountsService final : public v1::Accounts::Service {
 public:
  // `community` (may be null) gives profiles their rating and review count.
  AccountsService(store::AccountStore* accounts, std::string terms_version,
                  store::CommunityStore* community = nullptr)
      : accounts_(accounts), terms_version_(std::move(terms_version)), community_(community) {}
  grpc::Status Register(grpc::ServerContext* ctx, const v1::RegisterRequest* req,
                        v1::Session* reply) override;
  grpc::Status Login(grpc::ServerContext* ctx, const v1::LoginRequest* req,
                     v1::Session* reply) override;
  grpc::Status Refresh(grpc::ServerContext* ctx, const v1::RefreshRequest* req,
                       v1::Session* reply) override;
  grpc::Status Logout(grpc::ServerContext* ctx, const v1::Empty* req, v1::Empty* reply) override;
  grpc::Status SetPublicKey(grpc::ServerContext* ctx, const v1::SetPublicKeyRequest* req,
                            v1::Profile* reply) override;
  grpc::Status GetProfile(grpc::ServerContext* ctx, const v1::GetProfileRequest* req,
                          v1::Profile* reply) override;
  grpc::Status GetTerms(grpc::ServerContext* ctx, const v1::Empty* req, v1::Terms* reply) override;

 private:
  // Fills `reply` from tokens and the profile.
  Status MakeSession(const store::Tokens& tokens, v1::Session* reply);
  store::AccountStore* accounts_;
  std::string terms_version_;
  store::CommunityStore* community_;
};

// The profile as the API shows it; personal fields only when `full`.
v1::Profile ToApi(const store::Profile& p, const std::vector<store::Restriction>& restrictions,
                  bool full);

// Adds `user_id`'s review average and count to `profile`; leaves them unset when `community`
// is null (no database) or the rating cannot be read.
void AddRating(store::CommunityStore* community, const std::string& user_id, v1::Profile* profile);

}  // namespace carledger::api
