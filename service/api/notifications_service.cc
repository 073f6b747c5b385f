#include "service/api/notifications_service.h"

#include <cstdio>

#include "service/api/accounts_service.h"
#include "service/api/api_status.h"

namespace carledger::api {

namespace {

constexpr int kBatch = 200;
// How often a waiting stream looks at whether its client went away.
constexpr std::chrono::milliseconds kPoll{250};
// How long to wait before reading again after the database failed.
constexpr std::chrono::milliseconds kRetry{500};

bool Transient(const Status& st) {
  return st.code() == StatusCode::kUnavailable || st.code() == StatusCode::kResourceExhausted ||
         st.code() == StatusCode::kDeadlineExceeded;
}

}  // namespace

void PgNotifier::Notify(std::string_view user_id, std::string_view kind, const Json& payload) {
  auto stored = store_.Append(user_id, kind, payload);
  if (!stored.ok())
    std::fprintf(stderr, "notifier: %.*s for %.*s not stored: %s\n", static_cast<int>(kind.size()),
                 kind.data(), static_cast<int>(user_id.size()), user_id.data(),
                 stored.status().ToString().c_str());
}

grpc::Status NotificationsService::Subscribe(grpc::ServerContext* ctx,
                                             const v1::SubscribeRequest* req,
                                             grpc::ServerWriter<v1::Notification>* writer) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  if (req->after_seq() > static_cast<uint64_t>(INT64_MAX))
    return ToGrpc(Status::InvalidArgument("after_seq: too large"), ctx);
  auto sub = hub_->Subscribe(store::kNotificationEvent, caller->user_id);
  Wakeup& wakeup = sub->wakeup();
  int64_t cursor = static_cast<int64_t>(req->after_seq());
  bool read = true;  // something may be pending
  uint64_t seen = 0;
  while (!wakeup.stopped() && !ctx->IsCancelled()) {
    if (read) {
      // Taken before reading, so a signal that arrives during the read wakes the next wait.
      seen = wakeup.events();
      read = false;
      for (;;) {
        auto batch = store_.After(caller->user_id, cursor, kBatch);
        if (!batch.ok()) {
          if (!Transient(batch.status())) return ToGrpc(batch.status(), ctx);
          std::fprintf(stderr, "notifications: %s (retrying)\n", batch.status().ToString().c_str());
          read = true;  // again after the wait
          break;
        }
        int64_t first = cursor;
        for (const auto& n : *batch) {
          v1::Notification out;
          out.set_seq(static_cast<uint64_t>(n.seq));
          out.set_kind(n.kind);
          out.set_payload_json(n.payload_json);
          out.set_created_ms(n.created_ms);
          if (!writer->Write(out)) return grpc::Status(grpc::StatusCode::CANCELLED, "client gone");
          cursor = n.seq;
        }
        if (cursor > first) {
          auto marked = store_.MarkDelivered(caller->user_id, cursor);
          if (!marked.ok())
            std::fprintf(stderr, "notifications: marking delivered: %s\n",
                         marked.status().ToString().c_str());
        }
        if (batch->size() < static_cast<size_t>(kBatch)) break;
      }
    }
    if (wakeup.Wait(seen, read ? kRetry : kPoll) != seen) read = true;
  }
  if (ctx->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the node is shutting down; subscribe again with after_seq");
}

}  // namespace carledger::api
