// Community in the public API: reviews of completed trades and reports on users and
// listings (PostgreSQL, CommunityStore). Facts that live on the ledger (a trade's parties
// and status, a car's owner) are read from the node's own ledger, never taken from the
// request. Chat and ListConversations are served elsewhere.
#pragma once

#include "carledger_api.grpc.pb.h"
#include "service/api/chat_service.h"
#include "service/cluster_node.h"
#include "service/store/accounts.h"
#include "service/store/community.h"

namespace carledger::api {

class CommunityService : public v1::Community::Service {
 public:
  // `chat` may be null (no database): chat is then UNAVAILABLE.
  CommunityService(service::NodeBackend* backend, store::AccountStore* accounts,
                   store::CommunityStore* community, ChatHandlers* chat)
      : backend_(backend), accounts_(accounts), community_(community), chat_(chat) {}
  // Once per side of a COMPLETED trade, by its buyer or seller, about the other party.
  grpc::Status Review(grpc::ServerContext* ctx, const v1::ReviewRequest* req,
                      v1::ReviewEntry* reply) override;
  // A user's reviews (empty user_id: the caller's), newest first, with the mean rating.
  grpc::Status ListReviews(grpc::ServerContext* ctx, const v1::ListReviewsRequest* req,
                           v1::ListReviewsReply* reply) override;
  // Reports a user or a listing (exactly one) with a reason.
  grpc::Status Report(grpc::ServerContext* ctx, const v1::ReportRequest* req,
                      v1::ReportEntry* reply) override;
  // Chat (see ChatHandlers).
  grpc::Status Chat(
      grpc::ServerContext* ctx,
      grpc::ServerReaderWriter<v1::ChatMessage, v1::ChatClientFrame>* stream) override {
    if (!chat_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "this node has no chat");
    return chat_->Chat(ctx, stream);
  }
  grpc::Status ListConversations(grpc::ServerContext* ctx, const v1::Empty* req,
                                 v1::ListConversationsReply* reply) override {
    if (!chat_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "this node has no chat");
    return chat_->ListConversations(ctx, req, reply);
  }

 private:
  service::NodeBackend* backend_;
  store::AccountStore* accounts_;
  store::CommunityStore* community_;
  ChatHandlers* chat_;
};

// The API's view of a stored report.
v1::ReportEntry ToApi(const store::Report& r);

}  // namespace carledger::api
