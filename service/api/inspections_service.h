// Inspections in the public API. The workflow (a seller's request, an agency's queue,
// accept or decline) is off-ledger, in PostgreSQL; the result is a record_inspection
// transaction signed with the agency's own key, and the car's records are read, with
// their proofs, from the ledger.
#pragma once

#include "carledger_api.grpc.pb.h"
#include "service/api/notifier.h"
#include "service/cluster_node.h"
#include "service/store/accounts.h"
#include "service/store/inspections.h"

namespace carledger::api {

class InspectionsService final : public v1::Inspections::Service {
 public:
  // `inspections` may be null (no database): then only GetRecords is served.
  InspectionsService(service::NodeBackend* backend, store::AccountStore* accounts,
                     store::InspectionStore* inspections, Notifier* notifier)
      : backend_(backend), accounts_(accounts), inspections_(inspections), notifier_(notifier) {}

  grpc::Status RequestInspection(grpc::ServerContext* ctx, const v1::RequestInspectionRequest* req,
                                 v1::InspectionRequest* reply) override;
  grpc::Status ListMyRequests(grpc::ServerContext* ctx, const v1::ListRequestsRequest* req,
                              v1::ListRequestsReply* reply) override;
  grpc::Status ListQueue(grpc::ServerContext* ctx, const v1::ListRequestsRequest* req,
                         v1::ListRequestsReply* reply) override;
  grpc::Status Accept(grpc::ServerContext* ctx, const v1::InspectionDecision* req,
                      v1::InspectionRequest* reply) override;
  grpc::Status Decline(grpc::ServerContext* ctx, const v1::InspectionDecision* req,
                       v1::InspectionRequest* reply) override;
  grpc::Status SubmitResult(grpc::ServerContext* ctx, const v1::SubmitResultRequest* req,
                            v1::InspectionRequest* reply) override;
  grpc::Status GetRecords(grpc::ServerContext* ctx, const v1::GetCarRequest* req,
                          v1::InspectionRecords* reply) override;

 private:
  // The signed-in agency (PERMISSION_DENIED for other roles), allowed to write.
  Result<store::AuthContext> Agency(const grpc::ServerContext* ctx);
  // Tells the requester (and, for a new request addressed to one, the agency).
  void NotifyChange(const store::InspectionRequestRecord& r, const std::string& what,
                    const Json& extra);

  service::NodeBackend* backend_;
  store::AccountStore* accounts_;
  store::InspectionStore* inspections_;
  Notifier* notifier_;
};

}  // namespace carledger::api
