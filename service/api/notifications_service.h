// Notifications in the public API: the Notifier that stores them (and wakes the user's
// streams on every node), and Notifications.Subscribe, the user's server stream.
#pragma once

#include "carledger_api.grpc.pb.h"
#include "service/api/notification_hub.h"
#include "service/api/notifier.h"
#include "service/store/accounts.h"
#include "service/store/notifications.h"

namespace carledger::api {

// Stores each notification in PostgreSQL (with the user's next seq) and signals it in the
// same transaction; Notifications.Subscribe delivers it. Failures are logged, never thrown.
class PgNotifier final : public Notifier {
 public:
  // `pool` and `clock` must outlive the notifier.
  PgNotifier(store::PgPool& pool, const store::Clock& clock) : store_(pool, clock) {}
  void Notify(std::string_view user_id, std::string_view kind, const Json& payload) override;

 private:
  store::NotificationStore store_;
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
