// Notifications in the public API: the Notifier that stores them (and wakes the user's
// streams on every node), and Notifications.Subscribe, the user's server stream.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "carledger_api.grpc.pb.h"
#include "service/api/notification_hub.h"
#include "service/api/notifier.h"
#include "service/store/accounts.h"
#include "service/store/notifications.h"

namespace carledger::api {

// Stores each notification in PostgreSQL (with the user's next seq) and signals it in the
// same transaction; Notifications.Subscribe delivers it. Notify only queues: a worker
// stores what is queued in batches, one transaction (one commit) per batch, so a trade
// step's reply never waits for its notifications and a burst of steps shares commits.
// A full queue makes Notify wait (bounded memory). Failures are logged, never thrown.
class PgNotifier final : public Notifier {
 public:
  static constexpr size_t kMaxQueued = 50000;
  static constexpr size_t kMaxBatch = 500;

  // `pool` and `clock` must outlive the notifier.
  PgNotifier(store::PgPool& pool, const store::Clock& clock);
  // Stores what is still queued, then stops the worker.
  ~PgNotifier() override;
  void Notify(std::string_view user_id, std::string_view kind, const Json& payload) override;
  void NotifyWallet(std::string_view wallet, std::string_view kind, const Json& payload) override;
  // Waits until everything queued before the call is stored (or failed and was logged).
  void Flush();

 private:
  struct Item {
    bool by_wallet = false;
    std::string recipient, kind;
    Json payload;
  };
  void Enqueue(Item item);
  void Run();
  void Store(const std::vector<Item>& batch);

  store::PgPool& pool_;
  const store::Clock& clock_;
  std::mutex mu_;
  std::condition_variable work_, room_, done_;
  std::deque<Item> queue_;
  uint64_t queued_ = 0, stored_ = 0;  // items ever queued / ever handled
  bool stopping_ = false;
  std::thread worker_;
};

class NotificationsService final : public v1::Notifications::Service {
 public:
  // All must outlive the service.
  NotificationsService(store::AccountStore* accounts, store::PgPool& pool,
                       const store::Clock& clock, NotificationHub* hub)
      : accounts_(accounts), store_(pool, clock), hub_(hub) {}

  // The caller's notifications with seq > after_seq in seq order (those stored before the
  // call first), then each new one as it is stored, through any node; each written one is
  // marked delivered. Runs until the client cancels (CANCELLED) or the node shuts down
  // (UNAVAILABLE: reconnect with the last seq seen). A database outage is waited out.
  grpc::Status Subscribe(grpc::ServerContext* ctx, const v1::SubscribeRequest* req,
                         grpc::ServerWriter<v1::Notification>* writer) override;

 private:
  store::AccountStore* accounts_;
  store::NotificationStore store_;
  NotificationHub* hub_;
};

}  // namespace carledger::api
