#include "service/api/notifications_service.h"

#include <algorithm>
#include <cstdio>
#include <map>

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
  const int64_t now = clock_.NowMs();
  // Wallets to accounts, in one query for the batch.
  std::map<std::string, std::string> owner;  // wallet fingerprint -> user id
  std::string wallets;
  for (const Item& item : batch) {
    if (!item.by_wallet || owner.count(item.recipient)) continue;
    owner[item.recipient];
    // An array literal; fingerprints are hex, but quote and escape anyway.
    std::string quoted = "\"";
    for (char ch : item.recipient) {
      if (ch == '"' || ch == '\\') quoted += '\\';
      quoted += ch;
    }
    wallets += (wallets.empty() ? "" : ",") + quoted + "\"";
  }
  if (!wallets.empty()) {
    auto rows =
        pool_.Exec("SELECT id, key_fingerprint FROM users WHERE key_fingerprint = ANY($1::text[])",
                   {"{" + wallets + "}"});
    if (!rows.ok()) {
      std::fprintf(stderr, "notifier: %zu notifications not stored: %s\n", batch.size(),
                   rows.status().ToString().c_str());
      return;
    }
    for (size_t r = 0; r < rows->size(); ++r)
      owner[(*rows)[r].Str("key_fingerprint")] = (*rows)[r].Str("id");
  }
  // Each user's counter row is locked until the commit: taking them in one order (by user,
  // keeping each user's own order) keeps two nodes' batches from deadlocking.
  std::vector<std::pair<std::string, const Item*>> to_store;
  for (const Item& item : batch) {
    std::string user = item.by_wallet ? owner[item.recipient] : item.recipient;
    if (!user.empty())
      to_store.emplace_back(std::move(user), &item);  // no account here: nobody to tell
  }
  std::stable_sort(to_store.begin(), to_store.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> unknown;
  Status st = pool_.Transact([&](store::Transaction& tx) -> Status {
    unknown.clear();
    for (const auto& [user, item] : to_store) {
      Status one = store::AppendNotification(tx, now, user, item->kind, item->payload).status();
      if (one.code() == StatusCode::kFailedPrecondition) {
        unknown.push_back(user);
        continue;
      }
      CL_RETURN_IF_ERROR(one);
    }
    return Status::Ok();
  });
  if (!st.ok())
    std::fprintf(stderr, "notifier: %zu notifications not stored: %s\n", to_store.size(),
                 st.ToString().c_str());
  for (const auto& who : unknown)
    std::fprintf(stderr, "notifier: a notification for unknown user %s not stored\n", who.c_str());
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
