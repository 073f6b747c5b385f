// Admin in the public API, for the admin app: users and restrictions, the audit log, the
// report queue (with the takedown and repeat-offender rules of CommunityStore), agency
// certificates issued from CSRs with the network CA, governance transactions signed by the
// admin, and the ledger's membership. Every call needs an administrator's account
// (PERMISSION_DENIED otherwise) and every change is audited. The service never signs a
// ledger transaction: when a report requires a takedown, the reply says so and the admin
// app signs car_trade.take_down and submits it through SubmitGovernance.
#pragma once

#include <optional>
#include <string>

#include "carledger_api.grpc.pb.h"
#include "common/x509.h"
#include "service/api/notifier.h"
#include "service/cluster_node.h"
#include "service/store/accounts.h"
#include "service/store/community.h"

namespace carledger::api {

class AdminService final : public v1::Admin::Service {
 public:
  // `ca_cert_pem` / `ca_key_pem`: the network CA ("" if this node does not hold it).
  AdminService(service::NodeBackend* backend, store::AccountStore* accounts,
               store::CommunityStore* community, Notifier* notifier, const std::string& ca_cert_pem,
               const std::string& ca_key_pem);

  grpc::Status ListUsers(grpc::ServerContext* ctx, const v1::ListUsersRequest* req,
                         v1::ListUsersReply* reply) override;
  grpc::Status Restrict(grpc::ServerContext* ctx, const v1::RestrictRequest* req,
                        v1::Profile* reply) override;
  // Lifts every active restriction of `kind` on the user (NOT_FOUND if there is none).
  grpc::Status LiftRestriction(grpc::ServerContext* ctx, const v1::LiftRestrictionRequest* req,
                               v1::Profile* reply) override;
  grpc::Status ListAudit(grpc::ServerContext* ctx, const v1::ListAuditRequest* req,
                         v1::ListAuditReply* reply) override;
  grpc::Status ListReports(grpc::ServerContext* ctx, const v1::ListReportsRequest* req,
                           v1::ListReportsReply* reply) override;
  // Confirms or dismisses a report and tells the reporter (and a user the rules barred).
  grpc::Status ResolveReport(grpc::ServerContext* ctx, const v1::ResolveReportRequest* req,
                             v1::ReportEntry* reply) override;
  // FAILED_PRECONDITION "this node does not hold the CA key" on a node without the CA.
  grpc::Status IssueAgencyCertificate(grpc::ServerContext* ctx, const v1::IssueAgencyRequest* req,
                                      v1::IssueAgencyReply* reply) override;
  // _msp.*, _lifecycle.*, car_trade.take_down / flag_fraud / set_config, signed with the
  // admin's registered wallet key.
  grpc::Status SubmitGovernance(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                                v1::TransactionOutcome* reply) override;
  grpc::Status ListMembers(grpc::ServerContext* ctx, const v1::ListMembersRequest* req,
                           v1::ListMembersReply* reply) override;

 private:
  // The caller, if an administrator.
  Result<store::AuthContext> RequireAdmin(const grpc::ServerContext* ctx);
  // A user's full profile with their active restrictions.
  Status FillProfile(const std::string& user_id, v1::Profile* out);

  service::NodeBackend* backend_;
  store::AccountStore* accounts_;
  store::CommunityStore* community_;
  Notifier* notifier_;
  std::optional<Certificate> ca_cert_;
  std::optional<PrivateKey> ca_key_;
  std::string ca_error_;  // why the CA material given could not be used
};

}  // namespace carledger::api
