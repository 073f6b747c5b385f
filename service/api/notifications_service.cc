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

PgNotifier::PgNotifier(store::PgPool& pool, const store::Clock& clock)
    : pool_(pool), clock_(clock), worker_([this] { Run(); }) {}

PgNotifier::~PgNotifier() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  worker_.join();
}

void PgNotifier::Notify(std::string_view user_id, std::string_view kind, const Json& payload) {
  Enqueue({false, std::string(user_id), std::string(kind), payload});
}

void PgNotifier::NotifyWallet(std::string_view wallet, std::string_view kind, const Json& payload) {
  Enqueue({true, std::string(wallet), std::string(kind), payload});
}

void PgNotifier::Enqueue(Item item) {
  // Refused here rather than in the batch, where it would fail everyone's notifications.
  Status ok = store::CheckNotification(item.kind, item.payload);
  if (!ok.ok()) {
    std::fprintf(stderr, "notifier: %s for %s not stored: %s\n", item.kind.c_str(),
                 item.recipient.c_str(), ok.ToString().c_str());
    return;
  }
  {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return queue_.size() < kMaxQueued || stopping_; });
    queue_.push_back(std::move(item));
    ++queued_;
  }
  work_.notify_one();
}

void PgNotifier::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = queued_;
  done_.wait(lock, [&] { return stored_ >= target; });
}

void PgNotifier::Run() {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything is stored
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    room_.notify_all();
    Store(batch);
    {
      std::lock_guard lock(mu_);
      stored_ += batch.size();
    }
    done_.notify_all();
  }
}

void PgNotifier::Store(const std::vector<Item>& batch) {
  std::vector<store::NotificationDraft> drafts;
  drafts.reserve(batch.size());
  for (const Item& item : batch)
    drafts.push_back({item.recipient, item.by_wallet, item.kind, item.payload});
  // One statement for the batch (store::AppendNotifications): a trade step's notification
  // used to cost four round trips and a commit of its own at low load.
  auto stored = store::AppendNotifications(pool_, clock_.NowMs(), drafts);
  if (!stored.ok()) {
    std::fprintf(stderr, "notifier: %zu notifications not stored: %s\n", batch.size(),
                 stored.status().ToString().c_str());
    return;
  }
  if (*stored < batch.size())
    std::fprintf(stderr, "notifier: %zu notifications for no known account not stored\n",
                 batch.size() - *stored);
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
